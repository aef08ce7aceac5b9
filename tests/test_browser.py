"""The published site in a real browser: offline, accessible, searchable.

Playwright drives Debian's Chromium (``/usr/bin/chromium``).  Where no
Chromium is installed these tests skip with the reason; CI installs it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from book_pages import ROOT, toc_pages

pytestmark = [pytest.mark.book, pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip(
        "no Chromium found at /usr/bin/chromium: install Debian's 'chromium' package "
        "(CI does) to run the browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

# Chromium as the workplace runs it: no sandbox (root), no background traffic.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_pages()]
# A chart draws marks: vega puts each mark group under g.mark-<type>.
CHART_MARKS = """() => Array.from(document.querySelectorAll('.fte-chart-view')).map(
  (view) => view.querySelectorAll('svg g[class^="mark-"] > *').length)"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Visit:
    """A page opened with every request and console message recorded."""

    def __init__(self, browser, url: str, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.route("**/*", self._route)
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _route(self, route):
        parsed = urlparse(route.request.url)
        if parsed.scheme in ("file", "data", "blob") or parsed.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def wait_for_charts(self) -> list[int]:
        if self.page.locator(".fte-chart-view").count():
            self.page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.fte-chart-view'))"
                ".every((v) => v.querySelector('svg') || v.textContent.length)",
                timeout=20_000,
            )
        return self.page.evaluate(CHART_MARKS)

    def close(self):
        self.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_in_browser(browser, site_url, path, built_site):
    visit = Visit(browser, f"{site_url}/{path}")
    try:
        marks = visit.wait_for_charts()
        assert not visit.outside, f"{path} asked the internet for: {visit.outside}"
        assert not visit.errors, f"{path} logged console errors: {visit.errors}"
        assert all(n > 0 for n in marks), f"{path}: a chart drew no marks ({marks})"
        # Every chart has its description beside it, as text.
        descriptions = visit.page.locator(".fte-chart .fte-chart-description").count()
        assert descriptions == len(marks), f"{path}: a chart has no text description"
        results = axe_api.Axe().run(visit.page, options=AXE_OPTIONS)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert not serious, f"{path}: accessibility violations:\n" + "\n".join(serious)
    finally:
        visit.close()


@pytest.mark.parametrize("query", ["energy", "appreciative"])
def test_search_finds_pages(browser, site_url, query):
    visit = Visit(browser, f"{site_url}/search.html?q={query}")
    try:
        results = visit.page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=20_000)
        assert results.count() >= 2
        assert not visit.outside
    finally:
        visit.close()


def test_site_works_from_the_folder(browser, built_site):
    page = (built_site / "book" / "practice" / "sample-project.html").as_uri()
    visit = Visit(browser, page)
    try:
        marks = visit.wait_for_charts()
        assert marks and all(n > 0 for n in marks)
        assert not visit.outside and not visit.errors
        visit.page.click("text=Glossary")
        visit.page.wait_for_load_state("load")
        assert visit.page.url.startswith("file://") and "glossary" in visit.page.url
    finally:
        visit.close()


def test_chart_script_loads_once_and_is_cached(browser, site_url):
    visit = Visit(browser, f"{site_url}/book/practice/sample-project.html")
    try:
        loaded = visit.page.evaluate(
            "() => performance.getEntriesByType('resource')"
            ".filter((r) => r.name.includes('fte-charts.js')).length"
        )
        assert loaded == 1
        visit.page.goto(f"{site_url}/book/intro.html", wait_until="load")
        assert visit.page.evaluate("() => typeof window.vegaEmbed") == "function"
    finally:
        visit.close()


def test_pages_work_at_200_percent_zoom(browser, site_url):
    # 200% zoom on a 1280-pixel screen lays a page out in 640 CSS pixels.
    for path in ["book/intro.html", "book/practice/sample-project.html"]:
        visit = Visit(
            browser,
            f"{site_url}/{path}",
            viewport={"width": 640, "height": 900},
            device_scale_factor=2,
        )
        try:
            visit.wait_for_charts()
            overflow = visit.page.evaluate(
                "() => document.querySelector('main, .bd-main').scrollWidth"
                " - document.querySelector('main, .bd-main').clientWidth"
            )
            assert overflow <= 2, f"{path} scrolls sideways at 200% zoom by {overflow}px"
        finally:
            visit.close()


def test_templates_print_without_navigation(browser, site_url, tmp_path):
    visit = Visit(browser, f"{site_url}/templates/appreciative-interview-guide.html")
    try:
        visit.page.emulate_media(media="print")
        hidden = visit.page.evaluate(
            "() => ['.bd-sidebar-primary', '.bd-header', '.bd-footer']"
            ".map((s) => document.querySelector(s))"
            ".filter(Boolean).every((el) => getComputedStyle(el).display === 'none')"
        )
        assert hidden
        pdf = tmp_path / "appreciative-interview-guide.pdf"
        visit.page.pdf(path=str(pdf), format="A4")
        assert pdf.stat().st_size > 5_000
    finally:
        visit.close()


def test_screenshots_for_review(browser, site_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    for path in [
        "book/intro.html",
        "book/practice/sample-project.html",
        "templates/appreciative-interview-guide.html",
    ]:
        visit = Visit(browser, f"{site_url}/{path}", viewport={"width": 1280, "height": 1000})
        try:
            visit.wait_for_charts()
            target = folder / (Path(path).stem + ".png")
            visit.page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
        finally:
            visit.close()
    print(f"screenshots saved in {folder}")
