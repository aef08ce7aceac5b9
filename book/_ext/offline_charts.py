"""Sphinx extension: draw the book's Altair charts with no internet.

Writes the toolkit's chart script (Vega, Vega-Lite and Vega-Embed bundled by
vl-convert-python) into the site's ``_static`` folder once, and loads it on
every page as a deferred classic script (which also runs from ``file://``).
Chart cells emit a placeholder and their specification (see
``toolkit.charts.chart_html``); the script fills them in.
"""

from __future__ import annotations

from pathlib import Path

SCRIPT = "fte-charts.js"


def _write_script(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from toolkit.charts import chart_script

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / SCRIPT
    script = chart_script()
    if not target.is_file() or target.read_text(encoding="utf-8") != script:
        target.write_text(script, encoding="utf-8")


def setup(app):
    app.add_js_file(SCRIPT, defer="defer")
    app.add_css_file("follow-the-energy.css")
    app.connect("build-finished", _write_script)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
