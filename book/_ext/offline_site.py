"""Sphinx extension: a site that reads offline, stays light, and searches well.

Charts
    Writes the toolkit's chart script (Vega, Vega-Lite and Vega-Embed bundled
    by vl-convert-python, plus the code that fits each chart to its column)
    into ``_static`` when the build starts, so Sphinx versions its address
    (``fte-charts.js?v=<checksum>``) for caching.  Only pages with charts load
    it, as a deferred classic script (which also runs from ``file://``).
    Chart cells emit a placeholder and their specification (see
    ``toolkit.present.charts.render.chart_html``); the script fills them in.
Weight
    Drops the theme's 1.5 MB icon-font script (the icons still show: the
    theme's stylesheet draws them with the icon web font) and, on every page
    but ``search.html``, the search index and search scripts the theme loads
    for a search-as-you-type box the site does not use.  Drops the widget
    state Jupyter stores when a page makes ipywidgets: the site has no widget
    scripts, so the state was never used (pages show widgets as pictures).
Search
    On ``search.html``, ``fte-search.js`` takes snippets from the article text
    and, opened from a folder, explains why there are no snippets.
Downloads
    Every executable page gets a ``.ipynb`` download in the theme's download
    menu: the executed notebook, without the site-only set-up line, with
    charts as Vega-Lite (which Jupyter draws) and as SVG pictures, and with
    the cells the site folds folded.
Accessibility
    Mends two faults in the themes' HTML that axe reports as serious: the
    sidebar's expand buttons have no text, and docutils marks bibliography
    entries with a role that a list may not contain.
Thebe
    Drops the live-code (Thebe) scripts Jupyter Book adds to every page: they
    would fetch Thebe from a CDN, the book does not use them, and the
    duplicate configuration they insert raises an error in the browser console.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat

SCRIPT = "fte-charts.js"
SEARCH_SCRIPT = "fte-search.js"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


# --- charts ----------------------------------------------------------------------------------


def _write_chart_script(app) -> None:
    if app.builder.format != "html":
        return
    from toolkit.present.charts.render import chart_script

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / SCRIPT
    script = chart_script()
    if not target.is_file() or target.read_text(encoding="utf-8") != script:
        target.write_text(script, encoding="utf-8")


# --- scripts each page loads -----------------------------------------------------------------


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name.lower() or "THEBE" in body


def _is_widget_state(asset) -> bool:
    return getattr(asset, "attributes", {}).get("type") == WIDGET_STATE


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    if "data-fte-chart=" in context.get("body", ""):
        app.add_js_file(SCRIPT, defer="defer")
    if pagename == "search":
        app.add_js_file(SEARCH_SCRIPT, defer="defer")
    if "script_files" in context:
        context["script_files"][:] = [
            asset
            for asset in context["script_files"]
            if not _is_thebe(asset) and not _is_widget_state(asset)
        ]
    if "css_files" in context:
        context["css_files"][:] = [a for a in context["css_files"] if not _is_thebe(a)]


# --- notebook downloads ----------------------------------------------------------------------

#: Lines that only make sense on the site (they switch on the site's renderers).
SITE_ONLY = re.compile(
    r"^.*\b(use_site_display|use_site_renderer|toolkit\.present\.site)\b.*$\n?", re.M
)
CHART_SPEC = re.compile(
    r'<script type="application/json" data-fte-chart="[^"]*">(.*?)</script>', re.S
)
FOLDED = {"hide-input", "hide-cell"}  # the cells the site shows folded ("Show code")


def _chart_as_vega_lite(output: dict) -> dict:
    """Turn the site's chart placeholder into a Vega-Lite output that Jupyter draws."""
    data = output.get("data", {})
    found = CHART_SPEC.search(str(data.get("text/html", "")))
    if not found:
        return output
    spec = json.loads(found.group(1).replace("<\\/", "</"))
    version = re.search(r"/v(\d+)[.\d]*\.json", str(spec.get("$schema", "")))
    mime = f"application/vnd.vegalite.v{version.group(1) if version else 5}+json"
    output = copy.deepcopy(output)
    output["data"] = {mime: spec, "text/plain": data.get("text/plain", spec.get("description", ""))}
    try:  # a picture too, for a Jupyter that cannot draw this Vega-Lite version
        import vl_convert

        output["data"]["image/svg+xml"] = vl_convert.vegalite_to_svg(spec)
    except Exception:  # the Vega-Lite output is enough
        pass
    return output


def notebook_for_download(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of an executed page to download and run in Jupyter.

    Drops the site-only set-up line and stored widget state, turns charts back
    into Vega-Lite outputs, and folds the cells the site folds (``hide-input``).
    """
    notebook = copy.deepcopy(notebook)
    for key in ("widgets", "source_map"):  # unused widget state; the build's own bookkeeping
        notebook.metadata.pop(key, None)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            source = SITE_ONLY.sub("", cell.source).strip("\n")
            if not source.strip():
                continue
            cell.source = source
            if FOLDED & set(cell.metadata.get("tags", [])):
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.outputs = [
                _chart_as_vega_lite(o)
                for o in cell.get("outputs", [])
                if WIDGET_VIEW not in o.get("data", {})
            ]
        cells.append(cell)
    notebook.cells = cells
    return notebook


def _executed_notebook(app, pagename: str) -> Path | None:
    path = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    return path if path.is_file() else None


def _notebook_download(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html" or doctree is None:
        return
    source = _executed_notebook(app, pagename)
    if source is None:
        return
    notebook = nbformat.read(source, as_version=4)
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook_for_download(notebook), target)
    # The book theme lists "_sources/<page>.ipynb" in its download menu.
    context["ipynb_source"] = f"{pagename}.ipynb"


# --- the built pages -------------------------------------------------------------------------

#: (found, replacement) pairs applied to every built page.
HTML_FIXES = [
    (
        '<summary><span class="toctree-toggle"',
        '<summary aria-label="Show or hide the pages in this section"><span class="toctree-toggle"',
    ),
    ('role="doc-biblioentry"', 'role="listitem"'),
]
#: The theme's icon-font script (1.5 MB): its stylesheet already draws the icons.
ICON_SCRIPT = re.compile(
    r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?'
)
#: Search scripts and index, needed on search.html only.
SEARCH_TAGS = re.compile(
    r'[ \t]*<script src="[^"]*'
    r'(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>\n?'
)


def mend_page(text: str, *, search_page: bool = False) -> str:
    """Return a built page with the fixes above applied (idempotent)."""
    for found, replacement in HTML_FIXES:
        text = text.replace(found, replacement)
    text = ICON_SCRIPT.sub("", text)
    if not search_page:
        text = SEARCH_TAGS.sub("", text)
    return text


def _mend_html(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        mended = mend_page(text, search_page=page == outdir / "search.html")
        if mended != text:
            page.write_text(mended, encoding="utf-8")


def setup(app):
    app.add_css_file("follow-the-energy.css")
    app.connect("builder-inited", _write_chart_script)
    app.connect("html-page-context", _notebook_download, priority=400)
    app.connect("html-page-context", _page_assets, priority=900)
    app.connect("build-finished", _mend_html)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
