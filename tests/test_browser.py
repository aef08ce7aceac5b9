"""The published site in a real browser: offline, accessible, searchable.

Playwright drives Debian's Chromium (``/usr/bin/chromium``).  Where no
Chromium is installed these tests skip with the reason; CI installs it.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_setup import launch, require_chromium

from book_pages import ROOT, code_pages, toc_pages

pytestmark = [pytest.mark.book, pytest.mark.browser]

require_chromium(module=True)
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
VIEWPORT_PHONE = {"width": 390, "height": 900}
# A chart draws marks: vega puts each mark group under g.mark-<type>.
CHART_MARKS = """() => Array.from(document.querySelectorAll('.fte-chart-view')).map(
  (view) => view.querySelectorAll('svg g[class^="mark-"] > *').length)"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass

    def end_headers(self):
        # As a real host would: an address with a version (?v=) never changes.
        if "?v=" in self.path or "?digest=" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()


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
    with launch(ARGS) as browser:
        yield browser


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
            # The chart script marks a chart fitted once drawn to its column's width.
            self.page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.fte-chart-view'))"
                ".every((v) => v.dataset.fitted === 'yes' && "
                "(v.querySelector('svg') || v.textContent.length))",
                timeout=30_000,
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
    # No request routing here: routing turns the browser's cache off.
    context = browser.new_context()
    page = context.new_page()
    script = (
        "() => performance.getEntriesByType('resource')"
        ".filter((r) => r.name.includes('fte-charts.js')).map((r) => [r.name, r.transferSize])"
    )
    try:
        page.goto(f"{site_url}/book/practice/sample-project.html", wait_until="load")
        loaded = page.evaluate(script)
        assert len(loaded) == 1
        assert "fte-charts.js?v=" in loaded[0][0], "the chart script's address carries no version"
        # Another page with charts asks for the same address and reuses it from the cache.
        page.goto(f"{site_url}/book/practice/themes.html", wait_until="load")
        again = page.evaluate(script)
        assert [name for name, _ in again] == [loaded[0][0]]
        assert again[0][1] == 0, f"the chart script was downloaded again: {again}"
        assert page.evaluate("() => typeof window.vegaEmbed") == "function"
        # A page without charts does not load it at all.
        page.goto(f"{site_url}/book/intro.html", wait_until="load")
        assert page.evaluate("() => typeof window.vegaEmbed") == "undefined"
    finally:
        context.close()


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


#: A laptop and a phone (an iPhone 12 to 15 is 390 CSS pixels wide).
WIDTHS = {"laptop": 1280, "phone": 390}
#: Pages whose screenshots are kept for review, at both widths.
SCREENSHOTS = [
    "book/intro.html",
    "book/practice/sample-project.html",
    "book/practice/agreement.html",
    "book/practice/themes.html",
    "book/practice/stakeholder-energy.html",
    "book/practice/following-the-energy.html",
    "templates/appreciative-interview-guide.html",
]


def test_screenshots_for_review(browser, site_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    for name, width in WIDTHS.items():
        for path in SCREENSHOTS:
            visit = Visit(browser, f"{site_url}/{path}", viewport={"width": width, "height": 1000})
            try:
                visit.wait_for_charts()
                target = folder / f"{Path(path).stem}-{name}-{width}px.png"
                visit.page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000
            finally:
                visit.close()
    print(f"screenshots saved in {folder}")


# --- the reading experience at both widths (issue 17) -----------------------------------------

#: What a page looks like once drawn: charts that do not fit their column,
#: chart labels and table cells cut short with an ellipsis, sideways scrolling,
#: pandas row numbers, notebook download links.
SURVEY = """() => {
  const views = Array.from(document.querySelectorAll('.fte-chart-view'));
  const wide = views.filter((v) => {
    const svg = v.querySelector('svg');
    return !svg || svg.getBoundingClientRect().width > v.clientWidth + 1
      || v.scrollWidth > v.clientWidth + 1;
  }).map((v) => (v.getAttribute('aria-label') || v.id) + ' ' + v.clientWidth + 'px');
  const cutLabels = views.flatMap((v) => Array.from(v.querySelectorAll('svg text'))
    .map((t) => t.textContent).filter((t) => t.endsWith('\u2026')));
  const cutCells = Array.from(document.querySelectorAll('.cell_output td, .cell_output th'))
    .map((c) => c.textContent.trim()).filter((t) => t.endsWith('\u2026') || t.endsWith('...'));
  const rowNumbers = Array.from(document.querySelectorAll('.cell_output table')).filter((t) => {
    const heads = Array.from(t.querySelectorAll('tbody tr > th'));
    return heads.length && heads.every((h) => /^\\d+$/.test(h.textContent.trim()));
  }).length;
  const notebooks = Array.from(document.querySelectorAll('a[href$=".ipynb"]'))
    .map((a) => a.getAttribute('href'));
  return {charts: views.length, wide, cutLabels, cutCells, rowNumbers, notebooks,
          sideways: document.scrollingElement.scrollWidth - document.documentElement.clientWidth};
}"""
#: Bytes the browser downloaded for the page, and the addresses it asked for.
TRANSFERRED = """() => {
  const entries = [performance.getEntriesByType('navigation')[0],
                   ...performance.getEntriesByType('resource')];
  return {bytes: entries.reduce((n, e) => n + e.transferSize, 0), urls: entries.map((e) => e.name)};
}"""


@pytest.fixture(scope="module")
def survey(browser, site_url):
    """Every page drawn at both widths, each in a fresh browser (nothing cached)."""
    found = {}
    for name, width in WIDTHS.items():
        for path in PAGES:
            visit = Visit(browser, f"{site_url}/{path}", viewport={"width": width, "height": 900})
            try:
                visit.wait_for_charts()
                found[name, path] = visit.page.evaluate(SURVEY) | visit.page.evaluate(TRANSFERRED)
            finally:
                visit.close()
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_fit_their_column(survey, width):
    wide = {p: s["wide"] for (w, p), s in survey.items() if w == width and s["wide"]}
    assert not wide, f"charts wider than their column at {WIDTHS[width]}px: {wide}"
    cut = {p: s["cutLabels"] for (w, p), s in survey.items() if w == width and s["cutLabels"]}
    assert not cut, f"chart labels cut short at {WIDTHS[width]}px: {cut}"
    assert sum(s["charts"] for (w, _), s in survey.items() if w == width) >= 10


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(survey, width):
    sideways = {p: s["sideways"] for (w, p), s in survey.items() if w == width and s["sideways"]}
    assert not sideways, f"pages scrolling sideways at {WIDTHS[width]}px (pixels): {sideways}"


def test_tables_show_every_cell_in_full(survey):
    cut = {p: s["cutCells"][:3] for (w, p), s in survey.items() if w == "phone" and s["cutCells"]}
    assert not cut, f"table cells cut short with an ellipsis: {cut}"
    # Pages that show results in the site's way hide pandas' row numbers.
    numbered = {
        p: s["rowNumbers"]
        for (w, p), s in survey.items()
        if w == "phone" and p.startswith("book/practice/") and s["rowNumbers"]
    }
    assert not numbered, f"tables showing pandas' row numbers: {numbered}"


def test_page_weight(survey):
    heavy, misplaced = {}, []
    for (width, path), s in survey.items():
        if width != "laptop":
            continue
        limit = 2_000_000 if s["charts"] else 1_200_000
        if s["bytes"] > limit:
            heavy[path] = f"{s['bytes'] / 1e6:.2f} MB (limit {limit / 1e6:.1f} MB)"
        if any("fontawesome.js" in u for u in s["urls"]):
            misplaced.append(f"{path} loads the icon-font script")
        charts_script = [u for u in s["urls"] if "fte-charts.js" in u]
        if bool(charts_script) != bool(s["charts"]):
            misplaced.append(f"{path}: chart script {charts_script} with {s['charts']} charts")
        if any("searchindex.js" in u for u in s["urls"]):
            misplaced.append(f"{path} loads the search index")
    assert not heavy, f"pages over their weight: {heavy}"
    assert not misplaced, "\n".join(misplaced)


def test_notebook_downloads_are_linked(survey, site_url, browser):
    code = {p.relative_to(ROOT).with_suffix("").as_posix() for p in code_pages()}
    linked = {p: s["notebooks"] for (w, p), s in survey.items() if w == "laptop"}
    missing = [p for p in code if not any(h.endswith(f"{p}.ipynb") for h in linked[f"{p}.html"])]
    assert not missing, f"executable pages with no .ipynb download: {missing}"
    visit = Visit(browser, f"{site_url}/book/practice/themes.html")
    try:
        response = visit.page.request.get(f"{site_url}/_sources/book/practice/themes.ipynb")
        assert response.ok and response.json()["nbformat"] == 4
    finally:
        visit.close()


SNIPPETS = """() => Array.from(document.querySelectorAll('#search-results ul.search li')).map(
  (li) => (li.querySelector('p.context') || {}).textContent || '')"""


@pytest.mark.parametrize("query", ["energy", "codebook"])
def test_search_snippets_come_from_the_article(browser, site_url, query):
    visit = Visit(browser, f"{site_url}/search.html?q={query}", viewport=VIEWPORT_PHONE)
    try:
        visit.page.locator("#search-results ul.search li").first.wait_for(timeout=20_000)
        # Snippets arrive one page at a time: wait until every result has one.
        visit.page.wait_for_function(
            "() => { const items = document.querySelectorAll('#search-results ul.search li');"
            " return items.length && Array.from(items).every((li) => li.querySelector('p.context'))"
            " && document.querySelector('#search-results .search-summary, #search-results p');}",
            timeout=30_000,
        )
        snippets = visit.page.evaluate(SNIPPETS)
        assert len(snippets) >= 5
        bad = [s[:60] for s in snippets if ".md" in s[:12] or query[:5] not in s.lower()]
        assert not bad, f"snippets that are not the article's words about {query!r}: {bad}"
        sideways = visit.page.evaluate(
            "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 0, f"search results scroll sideways on a phone by {sideways}px"
        assert not visit.errors and not visit.outside
    finally:
        visit.close()


def test_search_from_the_folder_explains_snippets(browser, built_site):
    visit = Visit(browser, (built_site / "search.html").as_uri() + "?q=energy")
    try:
        visit.page.locator("#search-results ul.search li").first.wait_for(timeout=20_000)
        visit.page.wait_for_timeout(1_000)
        assert visit.page.locator("#search-results ul.search li").count() >= 5
        note = visit.page.locator(".fte-search-note")
        assert note.is_visible() and "local server" in note.inner_text()
        assert not visit.errors, f"search from a folder logged errors: {visit.errors[:3]}"
    finally:
        visit.close()
