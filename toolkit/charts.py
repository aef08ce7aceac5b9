"""Charts over the toolkit's tidy tables, in one visual theme.

Every builder takes a table and returns an :class:`altair.Chart` that can be
refined further.  Each chart carries a plain-English ``description`` (the
text alternative screen readers announce, and the paragraph printed beside
the chart on the site and in the report); :func:`describe` returns it.

Charts render with no internet: :func:`chart_script` builds one JavaScript
file holding Vega, Vega-Lite and Vega-Embed (from ``vl-convert-python``), and
:func:`chart_html` writes a chart as a placeholder that script fills in.
"""

from __future__ import annotations

import functools
import html
import json
from typing import Any

import altair as alt
import pandas as pd

from .errors import ToolkitError

__all__ = [
    "FONT_SIZE",
    "PALETTE",
    "chart_html",
    "chart_script",
    "describe",
    "participants_chart",
    "theme",
    "use_site_renderer",
]

#: The Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]
#: Base type size in pixels; titles are larger.
FONT_SIZE = 13
#: Charts embed at most this many data rows; builders aggregate before charting.
MAX_ROWS = 5000


def theme() -> dict[str, Any]:
    """Return the shared Vega-Lite config: palette, type sizes, quiet axes."""
    return {
        "config": {
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 480, "continuousHeight": 300},
            "range": {"category": PALETTE},
            "title": {"fontSize": FONT_SIZE + 4, "anchor": "start", "color": "#1a1a1a"},
            "axis": {
                "labelFontSize": FONT_SIZE,
                "titleFontSize": FONT_SIZE,
                "labelColor": "#1a1a1a",
                "titleColor": "#1a1a1a",
                "labelLimit": 260,
                "gridColor": "#e6e6e6",
            },
            "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE},
            "header": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE},
            "text": {"fontSize": FONT_SIZE},
        }
    }


alt.theme.register("follow_the_energy", enable=True)(lambda: alt.theme.ThemeConfig(**theme()))


def describe(chart: alt.TopLevelMixin) -> str:
    """Return the chart's plain-English description (its text alternative)."""
    value = getattr(chart, "description", alt.Undefined)
    return "" if value is alt.Undefined else str(value)


def _check_columns(table: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ToolkitError(
            f"expected the {what} table to have column(s) {', '.join(map(repr, missing))}, "
            f"but it has {', '.join(map(repr, table.columns))}",
            hint="pass the table the toolkit produced, or rename your columns",
        )


def participants_chart(participants: pd.DataFrame, by: str = "group") -> alt.Chart:
    """Chart how many participants took part, per value of one attribute.

    Parameters
    ----------
    participants
        The participants table (one row per interview).
    by
        The attribute to count by, such as ``"group"`` or ``"site"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.participants_chart(tk.sample_project().participants)
    >>> tk.charts.describe(chart).startswith("Bar chart")
    True
    """
    _check_columns(participants, ["interview_id", by], "participants")
    if participants.empty:
        raise ToolkitError(
            "expected at least one participant to chart, but the table is empty",
            hint="add rows to participants.csv",
        )
    counts = (
        participants.assign(**{by: participants[by].replace("", "(not recorded)")})
        .groupby(by, as_index=False)
        .agg(people=("interview_id", "nunique"))
        .sort_values(["people", by], ascending=[False, True])
    )
    label = by.replace("_", " ")
    most = counts["people"].max()
    largest = counts.loc[counts["people"] == most, by].tolist()
    summary = (
        f"The largest {label} is {largest[0]}, with {most}."
        if len(largest) == 1
        else f"The largest are {', '.join(largest[:-1])} and {largest[-1]}, with {most} each."
    )
    description = (
        f"Bar chart of the {int(counts['people'].sum())} participants by {label}: "
        + "; ".join(f"{value} {n}" for value, n in zip(counts[by], counts["people"], strict=True))
        + f". {summary}"
    )
    return (
        alt.Chart(counts, title=f"Who took part, by {label}")
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("people:Q", title="Number of participants", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(f"{by}:N", sort="-x", title=label.capitalize()),
            tooltip=[alt.Tooltip(f"{by}:N", title=label.capitalize()), "people:Q"],
        )
        .properties(description=description, width=420)
    )


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
        import hashlib

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
        f'<div class="fte-chart-view" id="{chart_id}" aria-describedby="{chart_id}-desc"></div>'
        f'<script type="application/json" data-fte-chart="{chart_id}">{payload}</script>'
        f"{caption}</figure>"
    )


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
