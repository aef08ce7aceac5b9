"""The whole book builds with warnings as errors, and reads with no network."""

from __future__ import annotations

import re

import pytest

from book_pages import ROOT, code_pages, toc_pages

pytestmark = pytest.mark.book

EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video)\b[^>]*?\b(?:src|href)\s*=\s*["']"""
    r"""(?:https?:)?//""",
    re.IGNORECASE,
)
CSS_EXTERNAL = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_book_builds(built_site):
    assert (built_site / "index.html").is_file()
    for page in toc_pages():
        html = built_site / page.relative_to(ROOT).with_suffix(".html")
        assert html.is_file(), f"{page.relative_to(ROOT)} was not built"


def test_pages_are_not_executed_twice(built_site, book_output, executed_pages):
    if not executed_pages:
        pytest.skip("the page tests did not run in this session, so the build executed the pages")
    log = (book_output / "build.log").read_text(encoding="utf-8")
    run_again = [
        line
        for line in log.splitlines()
        if "Executing notebook" in line or "Executed notebook" in line
    ]
    assert not run_again, "the build executed pages the page tests had already run:\n" + "\n".join(
        run_again
    )
    assert log.count("Using cached notebook") >= len(executed_pages)


def test_no_external_scripts_styles_or_fonts(built_site):
    offenders = []
    for file in built_site.rglob("*"):
        if file.suffix not in {".html", ".css"}:
            continue
        text = file.read_text(encoding="utf-8", errors="replace")
        pattern = EXTERNAL if file.suffix == ".html" else CSS_EXTERNAL
        for match in pattern.finditer(text):
            offenders.append(f"{file.relative_to(built_site)}: {match.group(0)[:120]}")
    assert not offenders, "the site loads things from the internet:\n" + "\n".join(offenders)


def test_chart_script_is_served_locally(built_site):
    script = built_site / "_static" / "fte-charts.js"
    assert script.is_file() and script.stat().st_size > 100_000
    page = (built_site / "book" / "practice" / "sample-project.html").read_text(encoding="utf-8")
    assert "_static/fte-charts.js" in page
    assert 'data-fte-chart="' in page


def test_chart_descriptions_are_in_the_page(built_site):
    page = (built_site / "book" / "practice" / "sample-project.html").read_text(encoding="utf-8")
    assert 'class="fte-chart-description"' in page
    assert "participants by group" in page


def test_every_page_is_light(built_site):
    heavy = []
    for page in toc_pages():
        html = built_site / page.relative_to(ROOT).with_suffix(".html")
        size = html.stat().st_size
        if size > 500_000:
            heavy.append(f"{html.relative_to(built_site)}: {size / 1000:.0f} KB")
    assert not heavy, "pages over 500 KB:\n" + "\n".join(heavy)


def test_chart_bundle_is_not_inlined(built_site):
    for page in toc_pages():
        text = (built_site / page.relative_to(ROOT).with_suffix(".html")).read_text("utf-8")
        assert "window.vegaEmbed=" not in text.replace(" ", "")


def test_no_page_carries_unused_widget_state(built_site):
    # The site has no widget scripts, so stored widget state is dead weight.
    for page in toc_pages():
        text = (built_site / page.relative_to(ROOT).with_suffix(".html")).read_text("utf-8")
        assert "application/vnd.jupyter.widget-state+json" not in text, page


def test_widgets_appear_as_pictures(built_site):
    for page, label in [
        ("book/practice/coding.html", 'class="coding-panel"'),
        ("book/practice/stakeholder-energy.html", 'aria-label="A picture of EnergyCapture'),
        ("book/practice/following-the-energy.html", 'aria-label="A picture of DotVote'),
    ]:
        assert label in (built_site / page).read_text("utf-8"), page


def test_icon_font_script_and_search_index_are_not_loaded_everywhere(built_site):
    for page in toc_pages():
        text = (built_site / page.relative_to(ROOT).with_suffix(".html")).read_text("utf-8")
        assert "scripts/fontawesome.js" not in text, page
        assert "searchindex.js" not in text, page
        charts = 'data-fte-chart="' in text
        assert ("_static/fte-charts.js?v=" in text) == charts, page
    search = (built_site / "search.html").read_text("utf-8")
    assert "searchindex.js" in search and "fte-search.js" in search


def test_every_code_page_downloads_as_a_notebook(built_site):
    import nbformat

    for page in code_pages():
        name = page.relative_to(ROOT).with_suffix("").as_posix()
        html = (built_site / f"{name}.html").read_text("utf-8")
        assert f"_sources/{name}.ipynb" in html, f"{name}: no .ipynb download link"
        notebook = nbformat.read(built_site / "_sources" / f"{name}.ipynb", as_version=4)
        nbformat.validate(notebook)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert code, name
        assert "widgets" not in notebook.metadata, f"{name}: widget state in the download"
        assert not [c for c in code if "use_site_" in c.source], f"{name}: site-only set-up"
        for cell in code:
            for output in cell.get("outputs", []):
                assert "data-fte-chart" not in str(output.get("data", {}).get("text/html", ""))
