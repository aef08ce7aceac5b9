"""Drawing charts with no internet: the site's script and each chart's HTML.

:func:`chart_script` builds one JavaScript file holding Vega, Vega-Lite and
Vega-Embed (from ``vl-convert-python``), and :func:`chart_html` writes a chart
as a placeholder that script fills in.  :func:`use_site_renderer` makes the
book's pages render charts that way.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
from typing import Any

import altair as alt

from toolkit.errors import ToolkitError
from toolkit.present.charts.base import MAX_ROWS

__all__ = ["chart_html", "chart_script", "describe_spec", "use_site_renderer"]

_RENDER_SNIPPET = """
window.vegaEmbed = vegaEmbed;
function fteRenderCharts() {
  document.querySelectorAll('script[type="application/json"][data-fte-chart]').forEach((node) => {
    const target = document.getElementById(node.dataset.fteChart);
    if (!target || target.dataset.rendered) return;
    target.dataset.rendered = "yes";
    const spec = JSON.parse(node.textContent);
    vegaEmbed(target, spec, { renderer: "svg", actions: false }).then((result) => {
      const svg = target.querySelector("svg");
      if (svg && spec.description) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", spec.description);
      }
    }).catch((error) => {
      target.textContent = "This chart could not be drawn: " + error;
    });
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", fteRenderCharts);
} else {
  fteRenderCharts();
}
"""


@functools.cache
def chart_script() -> str:
    """Return the JavaScript that draws every chart on a page, with no network.

    It bundles Vega, Vega-Lite and Vega-Embed (from ``vl-convert-python``).
    The bundle is an ES module with no imports or exports; wrapping it in a
    function lets it load as a classic script, which browsers also run from
    ``file://`` pages (module scripts are blocked there).
    """
    import vl_convert

    bundle = vl_convert.javascript_bundle(_RENDER_SNIPPET)
    return '(function () {\n"use strict";\n' + bundle + "\n})();\n"


def chart_html(chart: alt.TopLevelMixin | dict, chart_id: str | None = None) -> str:
    """Return a chart as HTML that :func:`chart_script` draws, with its description.

    The specification goes in a JSON script element; the description is a
    visible paragraph, so the chart's meaning is in the page as text too.
    """
    try:
        spec = chart if isinstance(chart, dict) else chart.to_dict()
    except alt.MaxRowsError:
        spec = {"datasets": {"too_many": range(MAX_ROWS + 1)}}
    rows = sum(len(v) for v in spec.get("datasets", {}).values())
    if rows > MAX_ROWS:
        raise ToolkitError(
            f"expected a chart to embed at most {MAX_ROWS} data rows, but this one has {rows}",
            hint="aggregate the table before charting it (the toolkit's builders do)",
        )
    if chart_id is None:
        digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
        chart_id = f"fte-chart-{digest}"
    payload = json.dumps(spec).replace("</", "<\\/")
    description = html.escape(str(spec.get("description", "")))
    caption = (
        f'<p class="fte-chart-description" id="{chart_id}-desc">{description}</p>'
        if description
        else ""
    )
    return (
        f'<figure class="fte-chart">'
        # A wide chart scrolls sideways inside its box; tabindex lets keyboard
        # users reach and scroll it, and the label names it when they do.
        f'<div class="fte-chart-view" id="{chart_id}" role="region" tabindex="0" '
        f'aria-label="{html.escape(_title_text(spec))}" aria-describedby="{chart_id}-desc"></div>'
        f'<script type="application/json" data-fte-chart="{chart_id}">{payload}</script>'
        f"{caption}</figure>"
    )


def _title_text(spec: dict) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return f"Chart: {title}" if title else "Chart"


def _site_renderer(spec: dict, **_: Any) -> dict[str, str]:
    return {"text/html": chart_html(spec), "text/plain": describe_spec(spec)}


def describe_spec(spec: dict) -> str:
    """Return the description stored in a chart specification."""
    return str(spec.get("description", "<chart>"))


alt.renderers.register("follow_the_energy_site", _site_renderer)


def use_site_renderer() -> None:
    """Render charts for the published book: drawn by the site's own script.

    The book's pages call this in a hidden first cell.  In Jupyter, leave
    Altair's default renderer on: JupyterLab draws charts itself.
    """
    alt.renderers.enable("follow_the_energy_site")
