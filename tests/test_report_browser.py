"""The report in a real browser, on a 390-pixel phone and a 1280-pixel desktop.

Playwright drives Debian's Chromium (``/usr/bin/chromium``), with the file opened from disk
as an e-mail attachment would be.  At both widths: every chart is drawn and fits its column,
no legend is cut short, the page never scrolls sideways, nothing is fetched from anywhere,
and axe finds no serious or critical accessibility fault.  Screenshots of each are saved
and their folder printed, for review.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_setup import launch, require_chromium

import toolkit as tk

pytestmark = pytest.mark.browser

require_chromium(module=True)
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

WIDTHS = [390, 1280]
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
# For each chart: its id, the width of its column, the drawn picture's width, the marks it
# drew, and any legend label cut short with an ellipsis.
CHARTS = """() => [...document.querySelectorAll('.fte-chart-view')].map((view) => {
  const svg = view.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : { width: -1 };
  const cut = svg ? [...svg.querySelectorAll('.role-legend text')]
    .map((t) => t.textContent).filter((t) => t.endsWith('…')) : [];
  return { id: view.id, column: view.clientWidth, drawn: box.width,
           marks: svg ? svg.querySelectorAll('g[class^="mark-"] > *').length : 0, cut };
})"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The sample's team report and participants' version, written to disk."""
    tmp = tmp_path_factory.mktemp("browser")
    folder = Path(shutil.copytree(tk.sample_project_path(), tmp / "sample"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODESIGN_TOOLKIT_CACHE", str(tmp / "cache"))
        project = tk.open_project(folder)
        return {
            "report": tk.write_report(project),
            "participants": tk.write_report(project, audience="participants"),
        }


@pytest.fixture(scope="module")
def browser():
    with launch(["--no-sandbox"]) as browser:
        yield browser


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-screenshots")
    yield folder
    print(f"\nreport screenshots saved in {folder}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", ["report", "participants"])
def test_report_in_the_browser(browser, reports, screenshots, which, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(reports[which].as_uri(), wait_until="load")
        if page.locator(".fte-chart-view").count():
            page.wait_for_function(
                "() => [...document.querySelectorAll('.fte-chart-view')]"
                ".every((v) => v.dataset.fitted === 'yes')",
                timeout=60_000,
            )
        charts = page.evaluate(CHARTS)
        sideways = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        results = axe_api.Axe().run(page, options=AXE_OPTIONS)
        target = screenshots / f"{which}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
    finally:
        context.close()
    assert not errors, errors
    assert [u for u in requests if not u.startswith("file:")] == []
    assert sideways <= 0, f"the page scrolls sideways by {sideways}px at {width}px"
    if which == "report":
        assert len(charts) >= 6
    for chart in charts:
        assert chart["marks"] > 0, f"{chart['id']} drew nothing"
        assert 0 < chart["drawn"] <= chart["column"] + 1, f"{chart['id']} is cut off: {chart}"
        assert not chart["cut"], f"{chart['id']} cuts its legend: {chart['cut']}"
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, f"{which} at {width}px:\n" + "\n".join(serious)
    assert target.stat().st_size > 10_000
