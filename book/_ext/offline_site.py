"""Sphinx extension: a site that reads offline, charts included.

- Writes the toolkit's chart script (Vega, Vega-Lite and Vega-Embed bundled by
  vl-convert-python) into the site's ``_static`` folder once, and loads it on
  every page as a deferred classic script (which also runs from ``file://``).
  Chart cells emit a placeholder and their specification (see
  ``toolkit.present.charts.chart_html``); the script fills them in.
- Mends two accessibility faults in the themes' HTML that axe reports as
  serious: the sidebar's expand buttons have no text, and docutils marks
  bibliography entries with a role that a list may not contain.
- Drops the live-code (Thebe) scripts Jupyter Book adds to every page: they
  would fetch Thebe from a CDN, the book does not use them, and the duplicate
  configuration they insert raises an error in the browser console.
"""

from __future__ import annotations

from pathlib import Path

SCRIPT = "fte-charts.js"


def _write_script(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from toolkit.present.charts.render import chart_script

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / SCRIPT
    script = chart_script()
    if not target.is_file() or target.read_text(encoding="utf-8") != script:
        target.write_text(script, encoding="utf-8")


#: (found, replacement) pairs applied to every built page.
HTML_FIXES = [
    (
        '<summary><span class="toctree-toggle"',
        '<summary aria-label="Show or hide the pages in this section"><span class="toctree-toggle"',
    ),
    ('role="doc-biblioentry"', 'role="listitem"'),
]


def _mend_html(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        mended = text
        for found, replacement in HTML_FIXES:
            mended = mended.replace(found, replacement)
        if mended != text:
            page.write_text(mended, encoding="utf-8")


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name.lower() or "THEBE" in body


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def setup(app):
    app.add_js_file(SCRIPT, defer="defer")
    app.add_css_file("follow-the-energy.css")
    app.connect("build-finished", _write_script)
    app.connect("build-finished", _mend_html)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
