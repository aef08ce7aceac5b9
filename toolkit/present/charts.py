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
import math
from typing import Any

import altair as alt
import pandas as pd

from toolkit.errors import ToolkitError

__all__ = [
    "AGREEMENT_THRESHOLDS",
    "FONT_SIZE",
    "PALETTE",
    "ROLE_STYLE",
    "agreement_chart",
    "chart_html",
    "chart_script",
    "cooccurrence_chart",
    "describe",
    "dot_votes_chart",
    "energy_profile_chart",
    "follow_the_energy_chart",
    "influence_energy_chart",
    "network_chart",
    "participants_chart",
    "positive_core_chart",
    "prevalence_chart",
    "quotes_chart",
    "rule_evaluation_chart",
    "theme",
    "theme_frequency_chart",
    "theme_group_chart",
    "theme_trend_chart",
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


# --- theme charts ---
# Builders over the tables in toolkit.themes.  Each takes the table a themes
# function returns (already aggregated, so the chart embeds few rows), states
# the counting unit in its title and axis, shows a quote in its tooltip, and
# carries a description computed from the data.

_UNIT_WORDS = {
    "participants": "people",
    "interviews": "interviews",
    "segments": "segments",
    "passages": "passages",
    "dots": "dots",
}


#: Axis labels show codes such as ``being_known`` as "being known".
_SPACED = "replace(datum.label, /_/g, ' ')"


def _words(name: Any) -> str:
    return str(name).replace("_", " ")


def _theme_table(table: pd.DataFrame, columns: list[str], what: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ToolkitError(
            f"expected a {what} table (a pandas DataFrame), but found {type(table).__name__}",
            hint=f"pass the table the toolkit's {what} function returns",
        )
    _check_columns(table, columns, what)
    if table.empty:
        raise ToolkitError(
            f"expected something to chart, but the {what} table is empty",
            hint="code some segments first (by hand or with tk.autocode), then build the "
            "table again",
        )
    if len(table) > MAX_ROWS:
        raise ToolkitError(
            f"expected at most {MAX_ROWS} rows to chart, but the {what} table has {len(table)}",
            hint="chart themes rather than codes (level='theme'), or fewer groups",
        )
    return table


def _theme_level(table: pd.DataFrame) -> str:
    level = table.attrs.get("level")
    if level in table.columns:
        return level
    return "code" if "code" in table.columns else "theme"


def _theme_unit(table: pd.DataFrame) -> str:
    unit = table.attrs.get("unit") or (table["unit"].iloc[0] if "unit" in table.columns else "")
    return _UNIT_WORDS.get(str(unit), str(unit) or "mentions")


def _theme_scale(table: pd.DataFrame, field: str = "theme") -> alt.Scale:
    """Use the codebook's colours (the tables' ``color`` column) where given."""
    names = list(dict.fromkeys(table[field].astype(str)))
    given = {}
    if "color" in table.columns:
        given = dict(zip(table[field].astype(str), table["color"].astype(str), strict=False))
    colours = [given.get(n) or PALETTE[i % len(PALETTE)] for i, n in enumerate(names)]
    return alt.Scale(domain=names, range=colours)


def _listing(pairs: list[tuple[str, Any]], limit: int = 6) -> str:
    shown = "; ".join(f"{_words(name)} {value}" for name, value in pairs[:limit])
    more = len(pairs) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


def _quote_tooltip() -> list[alt.Tooltip]:
    return [alt.Tooltip("quote:N", title="For example"), alt.Tooltip("quote_by:N", title="Said by")]


def theme_frequency_chart(table: pd.DataFrame, top: int | None = 20) -> alt.Chart:
    """Chart how many people (or interviews, or segments) mention each theme or code.

    Parameters
    ----------
    table
        A table from :func:`toolkit.theme_frequency`.
    top
        Show only this many, the most mentioned (``None`` for all).

    Examples
    --------
    >>> import toolkit as tk
    >>> table = tk.theme_frequency(tk.sample_project(), unit="participants")
    >>> tk.charts.describe(tk.charts.theme_frequency_chart(table)).startswith("Bar chart")
    True
    """
    level = _theme_level(table)
    _theme_table(table, [level, "count", "total"], "theme frequency")
    data = table.sort_values("count", ascending=False, kind="stable")
    data = data.head(top) if top else data
    if "theme" not in data.columns:
        data = data.assign(theme=data[level])
    keep = [
        c
        for c in dict.fromkeys(
            [level, "theme", "count", "total", "percent", "label", "color", "quote", "quote_by"]
        )
        if c in data.columns
    ]
    data = data[keep].assign(quote=data.get("quote", ""), quote_by=data.get("quote_by", ""))
    noun = _theme_unit(table)
    total = int(data["total"].iloc[0])
    kind = "themes" if level == "theme" else "codes"
    if int(data["count"].sum()) == 0:
        raise ToolkitError(
            f"expected at least one of the {kind} to be mentioned, but every count is 0",
            hint="check the coder= choice: those coders may not have coded anything yet",
        )
    first = data.iloc[0]
    shown = f"the top {len(data)} of {len(table)} " if len(data) < len(table) else f"{len(data)} "
    description = (
        f"Bar chart of {shown}{kind}, counted as {noun} (of {total}): "
        + _listing([(str(r[level]), f"{int(r['count'])}") for _, r in data.iterrows()], 8)
        + f". The most mentioned is {_words(first[level])}, by {int(first['count'])} of {total} "
        f"{noun}."
    )
    title = {
        "people": f"The {kind} mentioned by the most people",
        "interviews": f"The {kind} that came up in the most interviews",
    }.get(noun, f"The {kind} coded most often")
    colour = (
        alt.Color("theme:N", scale=_theme_scale(data), title="Theme")
        if level == "code"
        else alt.Color("theme:N", scale=_theme_scale(data), legend=None)
    )
    return (
        alt.Chart(
            data,
            title=alt.Title(
                title,
                subtitle=f"Counted as {noun}: {total} in all. Coded by "
                f"{table.attrs.get('coder', 'the coders')}.",
            ),
        )
        .mark_bar()
        .encode(
            x=alt.X(
                "count:Q", title=f"Number of {noun} (of {total})", axis=alt.Axis(tickMinStep=1)
            ),
            y=alt.Y(
                f"{level}:N", sort="-x", title=level.capitalize(), axis=alt.Axis(labelExpr=_SPACED)
            ),
            color=colour,
            tooltip=[
                alt.Tooltip(f"{level}:N", title=level.capitalize()),
                alt.Tooltip("label:N", title="How many"),
                *_quote_tooltip(),
            ],
        )
        .properties(description=description, width=420)
    )


def theme_group_chart(table: pd.DataFrame) -> alt.Chart:
    """Chart the share of each group that mentions each theme, as a heat map.

    Parameters
    ----------
    table
        A table from :func:`toolkit.theme_by_group`.

    Examples
    --------
    >>> import toolkit as tk
    >>> table = tk.theme_by_group(tk.sample_project())
    >>> "chi-square" in tk.charts.describe(tk.charts.theme_group_chart(table))
    True
    """
    level = _theme_level(table)
    _theme_table(
        table, [level, "group", "count", "group_size", "percent_of_group"], "theme by group"
    )
    noun = _theme_unit(table)
    data = table[
        [
            c
            for c in (
                level,
                "group",
                "count",
                "group_size",
                "percent_of_group",
                "quote",
                "quote_by",
            )
            if c in table.columns
        ]
    ].copy()
    data["of"] = [
        f"{c} of {n} {noun}" for c, n in zip(data["count"], data["group_size"], strict=True)
    ]
    for column in ("quote", "quote_by"):
        if column not in data.columns:
            data[column] = ""
    top = data.sort_values(["percent_of_group", "count"], ascending=False).iloc[0]
    groups = data.drop_duplicates("group")
    label = table.attrs.get("group", "group").replace("_", " ")
    description = (
        f"Heat map of {data[level].nunique()} {level}s by {label} ({len(groups)} {label}s, "
        f"counted as {noun}): the darker the square, the larger the share of that {label}'s "
        f"{noun} who mention the {level}. The highest is {_words(top[level])} in {top['group']}: "
        f"{top['of']} ({top['percent_of_group']:.0f}%). " + str(table.attrs.get("note", ""))
    ).strip()
    return (
        alt.Chart(
            data,
            title=alt.Title(
                f"Which {label}s mention each {level}",
                subtitle=f"Share of each {label}'s {noun} who mention it (counted as {noun}).",
            ),
        )
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "group:N",
                title=label.capitalize(),
                sort=list(groups["group"]),
                axis=alt.Axis(labelAngle=-30),
            ),
            y=alt.Y(f"{level}:N", title=level.capitalize(), sort=None),
            color=alt.Color(
                "percent_of_group:Q",
                title=f"% of the {label}",
                scale=alt.Scale(scheme="blues", domain=[0, 100]),
            ),
            tooltip=[
                alt.Tooltip(f"{level}:N", title=level.capitalize()),
                alt.Tooltip("group:N", title=label.capitalize()),
                alt.Tooltip("of:N", title="Mentioned by"),
                alt.Tooltip("percent_of_group:Q", title="% of the group", format=".0f"),
                *_quote_tooltip(),
            ],
        )
        .properties(description=description, width=alt.Step(44), height=alt.Step(26))
    )


def cooccurrence_chart(table: pd.DataFrame, top: int = 25) -> alt.Chart:
    """Chart which codes (or themes) are applied together, as a heat map of Jaccard.

    Parameters
    ----------
    table
        A table from :func:`toolkit.cooccurrence`.
    top
        Show only the pairs among this many codes (those in most pairs).

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.cooccurrence_chart(tk.cooccurrence(tk.sample_project()))
    >>> "Jaccard" in tk.charts.describe(chart)
    True
    """
    level = "theme" if "theme_a" in table.columns else "code"
    a, b = f"{level}_a", f"{level}_b"
    _theme_table(table, [a, b, "both", "jaccard"], "co-occurrence")
    weight = pd.concat([table.groupby(a)["both"].sum(), table.groupby(b)["both"].sum()])
    keep = list(weight.groupby(level=0).sum().sort_values(ascending=False).head(top).index)
    pairs = table[table[a].isin(keep) & table[b].isin(keep)]
    cols = [a, b, "both", "jaccard", "quote", "quote_by"]
    pairs = pairs.assign(**{c: pairs.get(c, "") for c in ("quote", "quote_by")})[cols]
    mirror = pairs.rename(columns={a: b, b: a})
    data = pd.concat([pairs, mirror], ignore_index=True).rename(columns={a: "row", b: "column"})
    unit = _theme_unit(table)
    within = table.attrs.get("within", "segment")
    together = "on the same segment" if within == "segment" else "on overlapping passages"
    best = pairs.sort_values(["jaccard", "both"], ascending=False).iloc[0]
    description = (
        f"Heat map of how often {len(keep)} {level}s are applied together {together}. "
        f"Darker squares mean a higher Jaccard similarity (the share of {unit} with either "
        f"{level} that have both). The strongest pair is {_words(best[a])} with {_words(best[b])}: "
        f"{int(best['both'])} together, Jaccard {best['jaccard']:.2f}. "
        f"{len(pairs)} pairs co-occur at least once."
    )
    order = [k for k in keep]
    return (
        alt.Chart(
            data,
            title=alt.Title(
                f"Which {level}s are applied together",
                subtitle=f"Jaccard similarity, {together} ({unit}).",
            ),
        )
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "column:N", title=None, sort=order, axis=alt.Axis(labelAngle=-40, labelExpr=_SPACED)
            ),
            y=alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelExpr=_SPACED)),
            color=alt.Color(
                "jaccard:Q", title="Jaccard", scale=alt.Scale(scheme="blues", domain=[0, 1])
            ),
            tooltip=[
                alt.Tooltip("row:N", title=level.capitalize()),
                alt.Tooltip("column:N", title="with"),
                alt.Tooltip("both:Q", title=f"Together ({unit})"),
                alt.Tooltip("jaccard:Q", title="Jaccard", format=".2f"),
                *_quote_tooltip(),
            ],
        )
        .properties(description=description, width=alt.Step(30), height=alt.Step(24))
    )


def prevalence_chart(table: pd.DataFrame, limit: int = 60) -> alt.Chart:
    """Chart which interviews mention which themes, as a matrix.

    Parameters
    ----------
    table
        A table from :func:`toolkit.theme_prevalence`.
    limit
        The most interviews to show; with more, those that mention the most
        themes are shown and the description says so.

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.prevalence_chart(tk.theme_prevalence(tk.sample_project()))
    >>> tk.charts.describe(chart).startswith("Matrix")
    True
    """
    level = _theme_level(table)
    if not isinstance(table, pd.DataFrame) or len(table) <= MAX_ROWS:
        _theme_table(table, ["interview_id", level, "segments", "present"], "prevalence")
    else:
        _check_columns(table, ["interview_id", level, "segments", "present"], "prevalence")
    names = list(dict.fromkeys(table[level]))
    limit = max(1, min(limit, MAX_ROWS // max(1, len(names))))
    breadth = table.groupby("interview_id", sort=False)["present"].sum()
    interviews = list(breadth.index)
    shown = interviews
    if len(interviews) > limit:
        shown = list(breadth.sort_values(ascending=False, kind="stable").head(limit).index)
        shown = [i for i in interviews if i in set(shown)]
    data = table[table["interview_id"].isin(shown)]
    cols = ["interview_id", level, "segments", "present", "quote"] + (
        ["group"] if "group" in data.columns else []
    )
    data = data.assign(quote=data.get("quote", ""))[cols]
    # Each row is labelled with its group, and rows of a group sit together.
    data = data.assign(
        case=data["interview_id"] + " \u00b7 " + data["group"]
        if "group" in data.columns
        else data["interview_id"]
    )
    if "group" in data.columns:
        last = data["group"].str.startswith("(")  # "(not recorded)" goes at the end
        data = data.assign(_last=last).sort_values(["_last", "group", "interview_id"])
        data = data.drop(columns="_last")
    order = list(dict.fromkeys(data["case"]))
    counts = table.groupby(level, sort=False)["present"].sum()
    most, least = counts.idxmax(), counts.idxmin()
    n = len(interviews)
    note = (
        f" Showing the {len(shown)} of {n} interviews that mention the most {level}s."
        if len(shown) < n
        else ""
    )
    description = (
        f"Matrix of {n} interviews by {len(names)} {level}s: a filled square means the "
        f"interview mentions the {level}. {_words(most)} is in the most interviews "
        f"({int(counts[most])} of {n}); {_words(least)} in the fewest ({int(counts[least])})."
        + note
    )
    tooltip = [alt.Tooltip("interview_id:N", title="Interview")]
    if "group" in data.columns:
        tooltip.append(alt.Tooltip("group:N", title="Group"))
    tooltip += [
        alt.Tooltip(f"{level}:N", title=level.capitalize()),
        alt.Tooltip("segments:Q", title="Segments coded"),
        alt.Tooltip("quote:N", title="For example"),
    ]
    return (
        alt.Chart(
            data,
            title=alt.Title(
                f"Which interviews mention which {level}s",
                subtitle="Darker squares: more segments coded with the "
                f"{level}." + (f" {len(shown)} of {n} interviews shown." if note else ""),
            ),
        )
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                f"{level}:N",
                title=level.capitalize(),
                sort=names,
                axis=alt.Axis(labelAngle=-30, orient="top", labelExpr=_SPACED),
            ),
            y=alt.Y(
                "case:N",
                title="Interview" + (" and group" if "group" in data.columns else ""),
                sort=order,
            ),
            color=alt.condition(
                "datum.present",
                alt.Color(
                    "segments:Q",
                    title="Segments coded",
                    scale=alt.Scale(scheme="blues", domainMin=0),
                ),
                alt.value("#f2f2f2"),
            ),
            tooltip=tooltip,
        )
        .properties(description=description, width=alt.Step(44), height=alt.Step(26))
    )


def positive_core_chart(table: pd.DataFrame, top: int = 8) -> alt.Chart:
    """Chart strengths and peak experiences beside wishes and dreams.

    Parameters
    ----------
    table
        A table from :func:`toolkit.positive_core`.
    top
        Show at most this many codes on each side.

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.positive_core_chart(tk.positive_core(tk.sample_project()))
    >>> "strengths" in tk.charts.describe(chart)
    True
    """
    _theme_table(table, ["side", "code", "count", "total"], "positive core")
    data = (
        table.sort_values(["side", "count"], ascending=[True, False], kind="stable")
        .groupby("side", sort=False)
        .head(top)
    )
    data = data.assign(**{c: data.get(c, "") for c in ("quote", "quote_by", "label", "theme")})
    data = data[["side", "theme", "code", "count", "total", "label", "quote", "quote_by"]]
    noun = _theme_unit(table)
    total = int(data["total"].iloc[0])

    def top_of(side: str) -> str:
        part = data[data["side"] == side]
        return _listing([(str(r["code"]), int(r["count"])) for _, r in part.iterrows()], 4) or (
            "none"
        )

    description = (
        f"Two bar charts side by side, counted as {noun} (of {total}). Left, the strengths "
        f"and peak experiences people describe: {top_of('Strengths')}. Right, their wishes and "
        f"dreams: {top_of('Wishes')}."
    )
    return (
        alt.Chart(
            data,
            title=alt.Title(
                "The positive core: what works, beside what people wish for",
                subtitle=f"Counted as {noun}: {total} in all.",
            ),
        )
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title=f"Number of {noun}", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("code:N", sort="-x", title=None, axis=alt.Axis(labelExpr=_SPACED)),
            color=alt.Color(
                "side:N",
                scale=alt.Scale(domain=["Strengths", "Wishes"], range=[PALETTE[2], PALETTE[1]]),
                legend=None,
            ),
            column=alt.Column(
                "side:N",
                title=None,
                sort=["Strengths", "Wishes"],
                header=alt.Header(labelFontSize=FONT_SIZE + 2, labelFontWeight="bold"),
            ),
            tooltip=[
                alt.Tooltip("code:N", title="Code"),
                alt.Tooltip("theme:N", title="Theme"),
                alt.Tooltip("label:N", title="How many"),
                *_quote_tooltip(),
            ],
        )
        .resolve_scale(y="independent")
        .properties(description=description, width=260)
    )


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(str(text), width) or [""]


def quotes_chart(table: pd.DataFrame, width: int = 70) -> alt.Chart:
    """Lay out exemplar quotes as text, for a slide or a printed page.

    Parameters
    ----------
    table
        A table from :func:`toolkit.exemplar_quotes` (filter it to a few codes).
    width
        Characters per line.

    Examples
    --------
    >>> import toolkit as tk
    >>> quotes = tk.exemplar_quotes(tk.sample_project(), per_code=1)
    >>> tk.charts.describe(tk.charts.quotes_chart(quotes.head(3))).startswith("3 quotes")
    True
    """
    level = _theme_level(table)
    _theme_table(table, [level, "quote", "interview_id", "speaker"], "quotes")
    rows, line = [], 0
    for _, r in table.iterrows():
        lines = [f"\u201c{x}" if i == 0 else x for i, x in enumerate(_wrap(r["quote"], width))]
        lines[-1] += "\u201d"
        rows.append(
            {
                "row": line,
                "kind": "heading",
                "text": [_words(r[level])],
                "source": "",
                "quote": str(r["quote"]),
            }
        )
        rows.append(
            {
                "row": line + 1,
                "kind": "quote",
                "text": lines,
                "source": f"{r['speaker']} ({r['interview_id']})",
                "quote": str(r["quote"]),
            }
        )
        rows.append(
            {
                "row": line + 1 + len(lines),
                "kind": "source",
                "text": [f"\u2014 {r['speaker']}, {r['interview_id']}"],
                "source": "",
                "quote": str(r["quote"]),
            }
        )
        line += len(lines) + 3
    data = pd.DataFrame(rows)
    description = (
        f"{len(table)} quotes, for "
        + ", ".join(dict.fromkeys(table[level].astype(str)))
        + ". "
        + " ".join(
            f"{_words(r[level])}: \u201c{r['quote']}\u201d ({r['speaker']}, {r['interview_id']})."
            for _, r in table.head(3).iterrows()
        )
    )
    return (
        alt.Chart(data, title="In their own words")
        .mark_text(
            align="left",
            baseline="top",
            lineHeight=FONT_SIZE + 6,
            fontSize=FONT_SIZE + 1,
            fontWeight=alt.ExprRef("datum.kind === 'heading' ? 'bold' : 'normal'"),
            fontStyle=alt.ExprRef("datum.kind === 'source' ? 'italic' : 'normal'"),
        )
        .encode(
            x=alt.value(0),
            y=alt.Y(
                "row:Q",
                axis=None,
                scale=alt.Scale(domain=[0, max(line, 1)], nice=False, reverse=True),
            ),
            text="text",
            tooltip=[alt.Tooltip("quote:N", title="Quote")],
        )
        .properties(description=description, width=width * 7, height=(line + 1) * 19)
    )


def _trend_words(rise: pd.Series, periods: list, unit: str) -> str:
    if len(periods) < 2 or rise.empty:
        return "There is only one period so far."
    up, down = rise[rise > 0], rise[rise < 0]
    words = []
    if len(up):
        words.append(f"The biggest rise is {up.index[0]} (up {up.iloc[0]:.0f} {unit})")
    if len(down):
        words.append(f"the biggest fall is {down.index[-1]} (down {-down.iloc[-1]:.0f} {unit})")
    if not words:
        return "Nothing changed between the first and the last."
    text = "; ".join(words)
    return text[0].upper() + text[1:] + "."


def theme_trend_chart(table: pd.DataFrame, measure: str = "percent") -> alt.Chart:
    """Chart how themes (or dot votes) change across sessions or dates.

    Parameters
    ----------
    table
        A table from :func:`toolkit.theme_trend` or :func:`toolkit.vote_trend`.
    measure
        ``"percent"`` (fair across periods of different sizes) or ``"count"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> trend = tk.theme_trend(tk.sample_project(), when="consent_date", freq="W")
    >>> tk.charts.describe(tk.charts.theme_trend_chart(trend)).startswith("Line chart")
    True
    """
    level = "item" if "item" in table.columns else _theme_level(table)
    value = "dots" if level == "item" and measure == "count" else measure
    _theme_table(table, ["period", level, value], "trend")
    keep = ["period", level, value, "total", "color", "quote", "quote_by"]
    data = table[[c for c in dict.fromkeys(keep) if c in table.columns]]
    period = table.attrs.get("period", "session")
    noun = _theme_unit(table)
    x = (
        alt.X("period:T", title=period.capitalize())
        if period != "session"
        else alt.X("period:N", title="Session", sort=list(dict.fromkeys(data["period"])))
    )
    periods = list(dict.fromkeys(data["period"]))
    first, last = data[data["period"] == periods[0]], data[data["period"] == periods[-1]]
    rise = (last.set_index(level)[value] - first.set_index(level)[value]).sort_values(
        ascending=False
    )
    what = "share of dots" if level == "item" else f"share of {noun}"
    y_title = f"Percentage ({what})" if value == "percent" else f"Number of {noun}"
    description = (
        f"Line chart of {data[level].nunique()} {level}s over {len(periods)} "
        f"{period}s, from {periods[0]} to {periods[-1]}, as {y_title.lower()}. "
        + _trend_words(rise, periods, "points" if value == "percent" else noun)
    )
    colour = (
        alt.Color(f"{level}:N", scale=_theme_scale(table, level), title=level.capitalize())
        if "color" in table.columns
        else alt.Color(f"{level}:N", title=level.capitalize())
    )
    return (
        alt.Chart(
            data,
            title=alt.Title(f"How {level}s change over time", subtitle=f"{y_title}, per {period}."),
        )
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y(f"{value}:Q", title=y_title),
            color=colour,
            tooltip=[
                alt.Tooltip("period:N", title=period.capitalize()),
                alt.Tooltip(f"{level}:N", title=level.capitalize()),
                alt.Tooltip(f"{value}:Q", title=y_title, format=".0f"),
                *(_quote_tooltip() if "quote" in data.columns else []),
            ],
        )
        .properties(description=description, width=440)
    )


# --- agreement charts ---

#: Krippendorff's thresholds for alpha: tentative conclusions, and reliable data.
AGREEMENT_THRESHOLDS = {0.667: "tentative 0.667", 0.8: "0.8 reliable"}


def _alpha_band(alpha: float) -> str:
    if alpha >= 0.8:
        return "0.8 or more (reliable)"
    if alpha >= 0.667:
        return "0.667 to 0.8 (tentative)"
    return "below 0.667 (not reliable)"


def _name_list(names: list[str], limit: int = 6) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def agreement_chart(reliability_table: pd.DataFrame) -> alt.HConcatChart:
    """Chart Krippendorff's alpha per code, with its interval, beside how often each code is used.

    Each code is a dot at its alpha with a bar for its confidence interval,
    sorted from the best agreement to the worst, with the pooled figure for
    all codes at the top.  Dashed lines mark Krippendorff's thresholds: 0.8
    (rely on the coding) and 0.667 (draw tentative conclusions only).  A
    second panel shows each code's prevalence, because agreement figures for
    rarely used codes rest on few cases.

    Parameters
    ----------
    reliability_table
        The table :func:`toolkit.reliability` returns.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> table = pd.DataFrame({
    ...     "code": ["kindness", "waiting", "(all codes)"], "units": 40, "applied": [12, 5, 15],
    ...     "prevalence": [0.2, 0.08, 0.14], "percent_agreement": [0.9, 0.95, 0.92],
    ...     "kappa": [0.75, 0.5, 0.68], "alpha": [0.75, 0.5, 0.68],
    ...     "alpha_low": [0.55, 0.1, 0.5], "alpha_high": [0.9, 0.8, 0.82]})
    >>> chart = tk.charts.agreement_chart(table)
    >>> "1 is between 0.667 and 0.8: kindness" in tk.charts.describe(chart)
    True
    """
    _check_columns(
        reliability_table,
        ["code", "units", "prevalence", "alpha", "alpha_low", "alpha_high"],
        "reliability",
    )
    from toolkit.analysis.agreement import ALL_CODES as pooled_name

    table = reliability_table.copy()
    is_pooled = table["code"] == pooled_name
    scored = table[table["alpha"].notna()]
    codes = scored[scored["code"] != pooled_name].sort_values(
        ["alpha", "code"], ascending=[False, True]
    )
    if codes.empty:
        raise ToolkitError(
            "expected at least one code with an agreement figure to chart, but every code's "
            "alpha is undefined (no code was both applied and left out on the compared units)",
            hint="check that the coders coded the same segments, with the same codes",
        )
    pooled = scored[scored["code"] == pooled_name]
    label_pooled = "All codes (pooled)"
    data = pd.concat([pooled, codes], ignore_index=True)
    data["label"] = data["code"].where(data["code"] != pooled_name, label_pooled)
    data["band"] = [_alpha_band(a) for a in data["alpha"]]
    data["prevalence_pct"] = data["prevalence"] * 100
    data = data.astype({"label": object, "band": object, "code": object})
    columns = [
        "code",
        "label",
        "band",
        "alpha",
        "alpha_low",
        "alpha_high",
        "prevalence",
        "prevalence_pct",
        "units",
    ]
    for extra in ("kappa", "percent_agreement", "applied"):
        if extra in data.columns:
            columns.append(extra)
    data = data[columns]
    order = list(data["label"])
    import math

    low = min(data["alpha_low"].min(skipna=True), data["alpha"].min())
    low = float(data["alpha"].min()) if pd.isna(low) else float(low)
    domain = [min(0.0, math.floor(low * 10) / 10), 1.0]
    bands = ["0.8 or more (reliable)", "0.667 to 0.8 (tentative)", "below 0.667 (not reliable)"]
    y = alt.Y("label:N", sort=order, title=None)
    tooltip = [
        alt.Tooltip("code:N", title="Code"),
        alt.Tooltip("alpha:Q", title="Alpha", format=".2f"),
        alt.Tooltip("alpha_low:Q", title="Interval from", format=".2f"),
        alt.Tooltip("alpha_high:Q", title="Interval to", format=".2f"),
        alt.Tooltip("prevalence:Q", title="Prevalence", format=".1%"),
        alt.Tooltip("units:Q", title="Units compared"),
    ]
    if "kappa" in data.columns:
        tooltip.insert(4, alt.Tooltip("kappa:Q", title="Kappa", format=".2f"))
    height = max(80, 22 * len(data))
    base = alt.Chart(data)
    interval = base.mark_rule(strokeWidth=2, color="#555555").encode(
        x=alt.X("alpha_low:Q", scale=alt.Scale(domain=domain), title="Krippendorff's alpha"),
        x2="alpha_high:Q",
        y=y,
        tooltip=tooltip,
    )
    dots = base.mark_point(filled=True, size=90, opacity=1).encode(
        x="alpha:Q",
        y=y,
        color=alt.Color(
            "band:N",
            title="Agreement",
            scale=alt.Scale(domain=bands, range=[PALETTE[2], PALETTE[1], PALETTE[5]]),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        shape=alt.Shape(
            "band:N", scale=alt.Scale(domain=bands, range=["circle", "diamond", "square"])
        ),
        tooltip=tooltip,
    )
    lines = pd.DataFrame(
        {"x": list(AGREEMENT_THRESHOLDS), "text": list(AGREEMENT_THRESHOLDS.values())}
    )
    rules = alt.Chart(lines).mark_rule(strokeDash=[4, 4], color="#1a1a1a").encode(x="x:Q")
    # The two lines are close: label the lower one on its left, the higher on its right.
    labels = [
        alt.Chart(lines.iloc[[i]])
        .mark_text(align=side, dx=gap, dy=-6, baseline="bottom", color="#1a1a1a")
        .encode(x="x:Q", y=alt.value(0), text="text:N")
        for i, (side, gap) in enumerate([("right", -3), ("left", 3)])
    ]
    left = alt.layer(rules, *labels, interval, dots).properties(width=340, height=height)
    bars = (
        base.mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("prevalence_pct:Q", title="Prevalence (%)", axis=alt.Axis(tickCount=3)),
            y=alt.Y("label:N", sort=order, axis=None),
            tooltip=tooltip,
        )
        .properties(width=110, height=height)
    )
    return (
        alt.hconcat(left, bars, spacing=12)
        .resolve_scale(y="shared")
        .properties(
            title="Agreement between coders, per code",
            description=_agreement_description(reliability_table, codes, pooled, table, is_pooled),
        )
    )


def _agreement_description(
    source: pd.DataFrame,
    codes: pd.DataFrame,
    pooled: pd.DataFrame,
    table: pd.DataFrame,
    is_pooled: pd.Series,
) -> str:
    coders = source.attrs.get("coders")
    unit = source.attrs.get("unit", "unit")
    confidence = source.attrs.get("confidence") or 0.95
    units = int(table["units"].iloc[0])
    who = f"{len(coders)} coders" if coders else "the coders"
    if coders and len(coders) == 2:
        who = f"two coders ({coders[0]} and {coders[1]})"
    text = (
        f"Dot chart of Krippendorff's alpha for {len(codes)} code{'s' if len(codes) != 1 else ''},"
        f" comparing {who} on {units} {unit}s, each with its {confidence:.0%} "
        "confidence interval, beside a bar chart of each code's prevalence."
    )
    if not pooled.empty:
        row = pooled.iloc[0]
        text += (
            f" Over all codes alpha is {row['alpha']:.2f} "
            f"({row['alpha_low']:.2f} to {row['alpha_high']:.2f})."
        )
    groups = [
        (codes["alpha"] >= 0.8, "reach 0.8 or more", "reaches 0.8 or more"),
        (
            (codes["alpha"] >= 0.667) & (codes["alpha"] < 0.8),
            "are between 0.667 and 0.8",
            "is between 0.667 and 0.8",
        ),
        (codes["alpha"] < 0.667, "are below 0.667", "is below 0.667"),
    ]
    for mask, plural, single in groups:
        names = list(codes.loc[mask, "code"])
        if names:
            verb = single if len(names) == 1 else plural
            text += f" {len(names)} {verb}: {_name_list(names)}."
    worst = codes.iloc[-1]
    text += f" The lowest is {worst['code']} at {worst['alpha']:.2f}."
    used = codes.sort_values("prevalence")
    text += (
        f" Prevalence ranges from {used['prevalence'].iloc[0]:.0%} ({used['code'].iloc[0]}) "
        f"to {used['prevalence'].iloc[-1]:.0%} ({used['code'].iloc[-1]})."
    )
    unscored = table[~is_pooled & table["alpha"].isna()]["code"].tolist()
    if unscored:
        text += (
            f" Not shown, because alpha is undefined when a code is never applied (or always): "
            f"{_name_list(unscored)}."
        )
    return text


# --- energy charts ---
# Builders over the tables in toolkit.energy.  Role is always shown by shape
# as well as colour, and every chart says in words who sits where.

#: Colour and shape of each stakeholder role (Okabe-Ito colours).
ROLE_STYLE = {
    "champion": ("#0072B2", "circle"),
    "connector": ("#009E73", "diamond"),
    "potential ally": ("#56B4E9", "square"),
    "sceptic": ("#D55E00", "triangle-down"),
    "bystander": ("#7f7f7f", "cross"),
}
_ENERGY_SCALE = {"scheme": "blueorange", "reverse": True}


def _energy_check(table: pd.DataFrame, columns: list[str], what: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ToolkitError(
            f"expected a {what} table (a pandas DataFrame), but found {type(table).__name__}",
            hint=f"pass the table tk.{what.replace(' ', '_')}() returns",
        )
    _check_columns(table, columns, what)
    if table.empty:
        raise ToolkitError(
            f"expected something to chart, but the {what} table is empty",
            hint="add rows to stakeholders.csv (or votes.csv) first",
        )
    return table


def _role_scales() -> tuple[alt.Scale, alt.Scale]:
    roles = list(ROLE_STYLE)
    return (
        alt.Scale(domain=roles, range=[c for c, _ in ROLE_STYLE.values()]),
        alt.Scale(domain=roles, range=[s for _, s in ROLE_STYLE.values()]),
    )


def _short_names(names: pd.Series) -> list[str]:
    """First names, or more words where the first word is shared or is not a name."""
    names = [str(n) for n in names]
    first = [n.split()[0] if n.split() else n for n in names]
    shared = {f for f in first if first.count(f) > 1}
    return [
        n if f in shared else " ".join(n.split()[:2]) if len(n.split()) > 2 else f
        for n, f in zip(names, first, strict=True)
    ]


def _plural(role: str) -> str:
    return role[:-1] + "ies" if role.endswith("y") else role + "s"


def _people(names: list[str], limit: int = 8) -> str:
    names = list(names)
    if not names:
        return "nobody"
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def influence_energy_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Chart the influence-energy grid: where each stakeholder stands, in four boxes.

    Parameters
    ----------
    table
        A table from :func:`toolkit.energy_table`.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> table = tk.energy_table(project.stakeholders, project.connections)
    >>> "Engage with care" in tk.charts.describe(tk.charts.influence_energy_chart(table))
    True
    """
    columns = ["stakeholder", "influence", "energy", "role", "quadrant"]
    _energy_check(table, columns, "energy table")
    high = float(table.attrs.get("high_influence", 4))
    data = table[[*columns, *[c for c in ("group",) if c in table.columns]]].copy()
    data["label"] = _short_names(data["stakeholder"])
    # People in the same cell are stacked upwards, so nobody hides anybody.
    data["_n"] = data.groupby(["influence", "energy"]).cumcount()
    data["_size"] = data.groupby(["influence", "energy"])["stakeholder"].transform("size")
    data["y"] = (data["influence"] + (data["_n"] - (data["_size"] - 1) / 2) * 0.17).round(3)
    data["x"] = data["energy"].astype(float) - 0.3
    data = data.drop(columns=["_n", "_size"])
    boxes = pd.DataFrame(
        [
            ("Involve now", 0.5, 2.5, high - 0.5, 5.5, "#e8f1f8", 2.45, 5.45, "right"),
            ("Engage with care", -2.5, 0.5, high - 0.5, 5.5, "#fbeee6", -2.45, 5.45, "left"),
            ("Connect and amplify", 0.5, 2.5, 0.5, high - 0.5, "#eef7f3", 2.45, 0.55, "right"),
            ("Keep informed", -2.5, 0.5, 0.5, high - 0.5, "#f2f2f2", -2.45, 0.55, "left"),
        ],
        columns=["box", "x1", "x2", "y1", "y2", "fill", "tx", "ty", "align"],
    )
    x_scale = alt.Scale(domain=[-2.5, 2.5], nice=False)
    y_scale = alt.Scale(domain=[0.5, 5.5], nice=False)
    background = (
        alt.Chart(boxes)
        .mark_rect(opacity=1)
        .encode(
            x=alt.X("x1:Q", scale=x_scale),
            x2="x2:Q",
            y=alt.Y("y1:Q", scale=y_scale),
            y2="y2:Q",
            color=alt.Color("fill:N", scale=None),
            tooltip=alt.value(None),
        )
    )
    box_labels = [
        alt.Chart(boxes[boxes["align"] == side])
        .mark_text(
            align=side,
            baseline="top" if side == "left" else "bottom",
            fontWeight="bold",
            color="#333333",
        )
        .encode(x=alt.X("tx:Q", scale=x_scale), y=alt.Y("ty:Q", scale=y_scale), text="box:N")
        for side in ("left", "right")
    ]
    # The left labels sit at the top of their boxes and the right ones at the bottom.
    box_labels[0] = box_labels[0].transform_calculate(ty="datum.y2 - 0.05")
    box_labels[1] = box_labels[1].transform_calculate(ty="datum.y1 + 0.05")
    colour, shape = _role_scales()
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, opacity=1, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "x:Q",
                scale=x_scale,
                title="Energy for the change (-2 against, +2 for)",
                axis=alt.Axis(values=[-2, -1, 0, 1, 2], format="+d", grid=False),
            ),
            y=alt.Y(
                "y:Q",
                scale=y_scale,
                title="Influence (1 to 5)",
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=False),
            ),
            color=alt.Color("role:N", scale=colour, title="Role"),
            shape=alt.Shape("role:N", scale=shape, title="Role"),
            tooltip=[
                alt.Tooltip("stakeholder:N", title="Stakeholder"),
                *([alt.Tooltip("group:N", title="Group")] if "group" in data.columns else []),
                alt.Tooltip("influence:Q", title="Influence"),
                alt.Tooltip("energy:Q", title="Energy"),
                alt.Tooltip("role:N", title="Role"),
            ],
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=7, fontSize=FONT_SIZE - 2, color="#1a1a1a")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="label:N")
    )
    order = ["involve now", "engage with care", "connect and amplify", "keep informed"]
    parts = []
    for box in order:
        names = list(table.loc[table["quadrant"] == box, "stakeholder"])
        parts.append(f"{box.capitalize()} ({len(names)}): {_people(names, 6)}.")
    roles = table["role"].value_counts()
    role_text = ", ".join(
        f"{int(roles[r])} {_plural(r) if roles[r] > 1 else r}" for r in ROLE_STYLE if r in roles
    )
    description = (
        f"Influence-energy grid of {len(table)} stakeholders: influence up the side, energy for "
        f"the change along the bottom, high influence meaning {high:g} or more. "
        + " ".join(parts)
        + f" Colour and shape show each person's role: {role_text}."
    )
    return alt.layer(background, *box_labels, points, labels).properties(
        title=alt.Title(
            "Influence and energy: who to involve, and how",
            subtitle="Each person's role is shown by its shape and colour.",
        ),
        width=520,
        height=420,
        description=description,
    )


def network_chart(
    table: pd.DataFrame,
    connections: pd.DataFrame | None = None,
    *,
    size: str = "degree",
    seed: int = 7,
) -> alt.LayerChart:
    """Draw the stakeholder network: who is connected to whom, and where the energy is.

    Node size shows ``size`` (a column of the energy table: ``degree``,
    ``betweenness`` or ``eigenvector``), colour shows energy for the change
    on a colour-blind-safe diverging scale, and shape shows role.  Hubs,
    bridges and sceptics are named in bold.  The layout is a spring layout
    with a fixed ``seed``, so the same data always gives the same picture.

    Parameters
    ----------
    table
        A table from :func:`toolkit.energy_table`.
    connections
        The connections table.
    size
        The measure for node size.
    seed
        Seed of the layout.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> table = tk.energy_table(project.stakeholders, project.connections)
    >>> chart = tk.charts.network_chart(table, project.connections)
    >>> "Bridges between groups" in tk.charts.describe(chart)
    True
    """
    import networkx as nx

    from toolkit.analysis import energy

    columns = ["stakeholder", "energy", "role", "degree", "hub", "bridge", size]
    _energy_check(table, list(dict.fromkeys(columns)), "energy table")
    graph = energy.network_graph(table, connections)
    nodes = sorted(graph.nodes)
    layout_graph = nx.Graph()
    layout_graph.add_nodes_from(nodes)
    # The layout depends on the order of nodes and edges, so fix both.
    ties = sorted((min(a, b), max(a, b), w) for a, b, w in graph.edges(data="weight"))
    layout_graph.add_weighted_edges_from(ties)
    spread = 2.4 / max(1, len(nodes)) ** 0.5
    # Small maps get a careful layout; large ones a quicker one.
    rounds = 200 if len(nodes) <= 300 else 50
    where = nx.spring_layout(layout_graph, seed=seed, weight="weight", k=spread, iterations=rounds)
    data = table.copy()
    data["x"] = [round(float(where[n][0]), 4) for n in data["stakeholder"]]
    data["y"] = [round(float(where[n][1]), 4) for n in data["stakeholder"]]
    data["short"] = _short_names(data["stakeholder"])
    flags = []
    for hub, bridge, role, influence in zip(
        data["hub"], data["bridge"], data["role"], data["influence"], strict=True
    ):
        tags = [t for t, on in (("hub", hub), ("bridge", bridge)) if on]
        if role == "sceptic" and influence >= table.attrs.get("high_influence", 4):
            tags.append("sceptic")
        flags.append(" and ".join(tags))
    data["flag"] = flags
    data["label"] = [f"{s} ({f})" if f else s for s, f in zip(data["short"], flags, strict=True)]
    # Node areas run from 60 to 700 square pixels.  Each label sits just above its
    # node: its radius plus a gap, turned from pixels into layout units.
    width, height, pad = 600, 500, 30
    top = float(data[size].max()) or 1.0
    size_scale = alt.Scale(domain=[0, top], range=[60, 700])
    area = 60 + 640 * data[size].astype(float) / top
    span = float(data["y"].max() - data["y"].min()) or 1.0
    per_pixel = span / (height - 2 * pad)
    data["label_y"] = (data["y"] + ((area / math.pi) ** 0.5 + 8) * per_pixel).round(4)
    keep = ["stakeholder", "group", "influence", "energy", "role", "degree", "betweenness"]
    keep += ["eigenvector", "x", "y", "label", "flag", "label_y"]
    data = data[[c for c in dict.fromkeys([*keep, size]) if c in data.columns]]
    edges = pd.DataFrame(
        [
            {
                "source": a,
                "target": b,
                "weight": d["weight"],
                "kind": d["kind"],
                "x": round(float(where[a][0]), 4),
                "y": round(float(where[a][1]), 4),
                "x2": round(float(where[b][0]), 4),
                "y2": round(float(where[b][1]), 4),
            }
            for a, b, d in sorted(graph.edges(data=True))
        ],
        columns=["source", "target", "weight", "kind", "x", "y", "x2", "y2"],
    )
    ys = data["y"].astype(float)
    x_scale = alt.Scale(zero=False, nice=False, padding=pad)
    y_scale = alt.Scale(zero=False, nice=False, padding=pad, domain=[ys.min(), ys.max()])
    axis_x = alt.X("x:Q", axis=None, scale=x_scale)
    axis_y = alt.Y("y:Q", axis=None, scale=y_scale)
    lines = (
        alt.Chart(edges)
        .mark_rule(color="#9a9a9a", opacity=0.8)
        .encode(
            x=axis_x,
            y=axis_y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth(
                "weight:Q", scale=alt.Scale(domain=[1, 3], range=[0.7, 3.2]), legend=None
            ),
            tooltip=[
                alt.Tooltip("source:N", title="From"),
                alt.Tooltip("target:N", title="To"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("weight:Q", title="Strength (1 to 3)"),
            ],
        )
    )
    _, shape = _role_scales()
    size_title = {"degree": "Connections", "betweenness": "Betweenness"}.get(size, size)
    points = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=1, stroke="#1a1a1a", strokeWidth=0.8)
        .encode(
            x=axis_x,
            y=axis_y,
            size=alt.Size(f"{size}:Q", scale=size_scale, title=size_title),
            color=alt.Color(
                "energy:Q",
                scale=alt.Scale(domain=[-2, 2], domainMid=0, **_ENERGY_SCALE),
                title="Energy (-2 to +2)",
                legend=alt.Legend(values=[-2, -1, 0, 1, 2], format="+d"),
            ),
            shape=alt.Shape("role:N", scale=shape, title="Role"),
            tooltip=[
                alt.Tooltip("stakeholder:N", title="Stakeholder"),
                *([alt.Tooltip("group:N", title="Group")] if "group" in data.columns else []),
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("energy:Q", title="Energy"),
                alt.Tooltip("degree:Q", title="Connections"),
                alt.Tooltip("betweenness:Q", title="Betweenness", format=".2f"),
            ],
        )
    )
    # Hubs, bridges and sceptics are named in bold; everyone else in plain type.
    labels = [
        alt.Chart(data[data["flag"].ne("") == bold])
        .mark_text(
            fontSize=FONT_SIZE - 2,
            fontWeight="bold" if bold else "normal",
            color="#1a1a1a",
        )
        .encode(x=axis_x, y=alt.Y("label_y:Q", axis=None, scale=y_scale), text="label:N")
        for bold in (False, True)
    ]
    ranked = table.sort_values(["degree", "stakeholder"], ascending=[False, True])
    hubs = [f"{n} ({d})" for n, d, h in ranked[["stakeholder", "degree", "hub"]].values if h]
    bridges = list(
        table[table["bridge"]].sort_values("betweenness", ascending=False)["stakeholder"]
    )
    least = ranked[ranked["degree"] == ranked["degree"].min()]
    alone = ", ".join(f"{n} ({d})" for n, d in least[["stakeholder", "degree"]].values[:4])
    sceptics = list(table.loc[table["role"] == "sceptic", "stakeholder"])
    description = (
        f"Network map of {len(table)} stakeholders and {len(edges)} connections; thicker lines "
        f"are stronger ties. Hubs, with the most connections: {_people(hubs)}. "
        f"Bridges between groups: {_people(bridges)}. "
        f"Fewest connections: {alone}. "
        + (f"Sceptics: {_people(sceptics)}. " if sceptics else "")
        + "Colour shows energy for the change, from orange (against) through white to blue "
        f"(for); shape shows role; size shows {size_title.lower()}."
    )
    notes = table.attrs.get("notes") or []
    if notes:
        description += " " + " ".join(notes)
    return alt.layer(lines, points, *labels).properties(
        title=alt.Title(
            "Who is connected to whom",
            subtitle="Size: " + size_title.lower() + ". Colour: energy. Shape: role.",
        ),
        width=width,
        height=height,
        description=description,
    )


def energy_profile_chart(profile: pd.DataFrame) -> alt.LayerChart:
    """Chart the five energies as a heat map: where energy is high and where depleted.

    Parameters
    ----------
    profile
        A table from :func:`toolkit.energy_profile`.

    Examples
    --------
    >>> import toolkit as tk
    >>> profile = tk.energy_profile(tk.sample_project().stakeholders)
    >>> "depleted" in tk.charts.describe(tk.charts.energy_profile_chart(profile))
    True
    """
    from toolkit.analysis.energy import FIVE_ENERGIES

    _energy_check(profile, ["energy_type", "mean", "rated", "level"], "energy profile")
    by = profile.columns[0]
    data = profile.copy()
    data["text"] = [
        f"{m:.1f}" + {"high": " high", "depleted": " low"}.get(level, "")
        for m, level in zip(data["mean"], data["level"], strict=True)
    ]
    data["dark"] = (data["mean"] >= 4.5) | (data["mean"] <= 1.5)
    groups = list(dict.fromkeys(data[by]))
    x = alt.X(
        "energy_type:N",
        sort=FIVE_ENERGIES,
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelExpr="upper(slice(datum.label,0,1)) + slice(datum.label,1)",
        ),
    )
    y = alt.Y(f"{by}:N", sort=groups, title=None)
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "mean:Q",
                scale=alt.Scale(domain=[1, 5], domainMid=3, **_ENERGY_SCALE),
                title="Mean (1 to 5)",
            ),
            tooltip=[
                alt.Tooltip(f"{by}:N", title=by.capitalize()),
                alt.Tooltip("energy_type:N", title="Energy"),
                alt.Tooltip("mean:Q", title="Mean", format=".1f"),
                alt.Tooltip("rated:Q", title="People rated"),
                alt.Tooltip("level:N", title="Level"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(fontSize=FONT_SIZE - 1)
        .encode(
            x=x,
            y=y,
            text="text:N",
            color=alt.condition("datum.dark", alt.value("white"), alt.value("#1a1a1a")),
        )
    )

    def where(level: str) -> str:
        rows = data[data["level"] == level].sort_values("mean", ascending=level == "depleted")
        if rows.empty:
            return "none"
        if len(groups) == 1:
            return ", ".join(f"{e} ({m:.1f})" for e, m in rows[["energy_type", "mean"]].values)
        return "; ".join(
            f"{e} in {g} ({m:.1f})" for g, e, m in rows[[by, "energy_type", "mean"]].values[:6]
        ) + (f"; and {len(rows) - 6} more" if len(rows) > 6 else "")

    means = data.groupby("energy_type")["mean"].mean().reindex(FIVE_ENERGIES).dropna()
    subject = "the whole system" if len(groups) == 1 else f"{len(groups)} groups"
    description = (
        f"Heat map of the five energies for change (mean rating, 1 to 5) for {subject}. "
        f"High: {where('high')}. Most depleted: {where('depleted')}. "
        f"Averaged over the groups shown, the strongest energy is {means.idxmax()} "
        f"({means.max():.1f}) and the weakest {means.idxmin()} ({means.min():.1f})."
    )
    return alt.layer(cells, text).properties(
        title=alt.Title(
            "The five energies: where energy is high and where it is depleted",
            subtitle="Mean rating from 1 (very low) to 5 (very high); blank ratings left out.",
        ),
        width=100 * len(means),
        height=max(60, 28 * len(groups)),
        description=description,
    )


_COMPONENTS = {
    "from_dots": "Dots in the workshop",
    "from_interviews": "Raised in interviews",
    "from_champions": "Champions behind it",
}


def follow_the_energy_chart(ranking: pd.DataFrame, top: int | None = 12) -> alt.Chart:
    """Chart the follow-the-energy ranking, with the evidence behind each score.

    Each bar is split into its parts (dots, interviews, champions), so a
    facilitator can see why an idea ranks where it does.

    Parameters
    ----------
    ranking
        A table from :func:`toolkit.follow_the_energy`.
    top
        Show only the top items (``None`` for all).

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.follow_the_energy_chart(tk.follow_the_energy(tk.sample_project()))
    >>> tk.charts.describe(chart).startswith("Stacked bar chart")
    True
    """
    columns = ["rank", "item", "frame", "dots", "interviews", "champions", "score", *_COMPONENTS]
    _energy_check(ranking, columns, "follow the energy")
    data = ranking.sort_values("rank")
    data = data.head(top) if top else data
    data = data.assign(
        label=[f"{i} ({f})" if f else i for i, f in zip(data["item"], data["frame"], strict=True)]
    )
    long = data.melt(
        id_vars=["rank", "label", "item", "dots", "interviews", "champions", "score"],
        value_vars=list(_COMPONENTS),
        var_name="part",
        value_name="value",
    )
    long["evidence"] = long["part"].map(_COMPONENTS)
    long["order"] = long["part"].map({p: i for i, p in enumerate(_COMPONENTS)})
    weights = ranking.attrs.get("weights", {})
    first = data.iloc[0]
    description = (
        f"Stacked bar chart ranking {len(data)} ideas and themes by the energy behind them. "
        "Each bar adds three parts, each scaled so the leader scores its weight: dots in the "
        "workshop, interviews that raised it and champions linked to it. "
        f"First is {first['item']} (score {first['score']:.2f}): {int(first['dots'])} dots, "
        f"raised in {int(first['interviews'])} interviews, {int(first['champions'])} champions. "
        + "Then "
        + "; ".join(f"{r['item']} ({r['score']:.2f})" for _, r in data.iloc[1:6].iterrows())
        + "."
    )
    if int(data["interviews"].sum()) == 0:
        description += " No interview evidence is linked to these ideas yet."
    if weights:
        description += " Weights: " + ", ".join(f"{k} {v:g}" for k, v in weights.items()) + "."
    return (
        alt.Chart(
            long,
            title=alt.Title(
                "Follow the energy: which ideas to build on",
                subtitle="Each bar shows the evidence behind its score.",
            ),
        )
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("sum(value):Q", title="Score (the sum of the three parts)"),
            y=alt.Y("label:N", sort=list(data["label"]), title=None),
            color=alt.Color(
                "evidence:N",
                scale=alt.Scale(domain=list(_COMPONENTS.values()), range=PALETTE[:3]),
                title="Evidence",
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("item:N", title="Idea"),
                alt.Tooltip("evidence:N", title="Part"),
                alt.Tooltip("value:Q", title="Adds", format=".2f"),
                alt.Tooltip("dots:Q", title="Dots"),
                alt.Tooltip("interviews:Q", title="Interviews"),
                alt.Tooltip("champions:Q", title="Champions"),
                alt.Tooltip("score:Q", title="Score", format=".2f"),
            ],
        )
        .properties(width=420, description=description)
    )


def dot_votes_chart(votes: pd.DataFrame) -> alt.Chart | alt.FacetChart:
    """Chart the dots placed on each idea, side by side for each session.

    Parameters
    ----------
    votes
        The votes table: ``participant, item, dots`` and optionally ``session``.

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.dot_votes_chart(tk.sample_project().votes)
    >>> "2026-11-12" in tk.charts.describe(chart)
    True
    """
    from toolkit.analysis.energy import check_votes

    _energy_check(votes, ["participant", "item", "dots"], "votes")
    table = check_votes(votes)
    totals = (
        table.groupby(["session", "item"], as_index=False, sort=False)
        .agg(dots=("dots", "sum"), people=("participant", lambda p: p[p != ""].nunique()))
        .sort_values(["session", "dots"], ascending=[True, False])
    )
    order = list(table.groupby("item", sort=False)["dots"].sum().sort_values(ascending=False).index)
    sessions = sorted(set(totals["session"]))
    parts = []
    for session in sessions:
        rows = totals[totals["session"] == session]
        name = f"Session {session}" if session else "All votes"
        parts.append(
            f"{name}: {int(rows['dots'].sum())} dots; "
            + _listing([(i, int(d)) for i, d in rows[["item", "dots"]].values], 8)
            + "."
        )
    description = f"Bar chart of dot votes on {len(order)} ideas. " + " ".join(parts)
    if len(sessions) == 2:
        first, last = (totals[totals["session"] == s].set_index("item")["dots"] for s in sessions)
        change = last.reindex(order, fill_value=0) - first.reindex(order, fill_value=0)
        up = change.idxmax()
        description += f" The biggest rise between sessions is {up} ({int(change[up]):+d} dots)."
    base = (
        alt.Chart(totals)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("dots:Q", title="Dots", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("item:N", sort=order, title=None),
            tooltip=[
                alt.Tooltip("item:N", title="Idea"),
                alt.Tooltip("session:N", title="Session"),
                alt.Tooltip("dots:Q", title="Dots"),
                alt.Tooltip("people:Q", title="People who voted for it"),
            ],
        )
    )
    title = alt.Title("Dot votes on ideas", subtitle="Total dots per idea in each session.")
    if len(sessions) > 1:
        return (
            base.properties(width=220)
            .facet(column=alt.Column("session:N", title="Session", sort=sessions))
            .properties(title=title, description=description)
        )
    return base.properties(width=420, title=title, description=description)


# --- coding charts ---


def rule_evaluation_chart(scores: pd.DataFrame, coder: str = "the coder") -> alt.LayerChart:
    """Chart how well the codebook's rules match a human coder: precision and recall per code.

    Parameters
    ----------
    scores
        The ``scores`` table of :func:`toolkit.coding.evaluate_rules`
        (``code, rules, coder, both, precision, recall, f1``).
    coder
        The human coder's name, for the title and description.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> rules = tk.autocode(project.segments, project.codebook)
    >>> result = tk.evaluate_rules(rules, project.codings, project.segments, coder="sam")
    >>> chart = tk.charts.rule_evaluation_chart(result.scores, "sam")
    >>> tk.charts.describe(chart).startswith("Dot chart")
    True
    """
    _check_columns(scores, ["code", "precision", "recall", "f1"], "rule scores")
    table = scores.dropna(subset=["precision", "recall"], how="all").copy()
    if table.empty:
        raise ToolkitError(
            "expected at least one code with rule codings or human codings, but found none",
            hint="run tk.autocode on the segments the coder coded, then tk.evaluate_rules",
        )
    table = table.sort_values(["f1", "code"], ascending=[False, True], na_position="last")
    order = table["code"].tolist()
    long = table.melt(
        id_vars=["code", "f1"], value_vars=["precision", "recall"], var_name="measure"
    ).dropna(subset=["value"])
    long["measure"] = long["measure"].map({"precision": "Precision", "recall": "Recall"})
    best = table.iloc[0]
    weakest = table.sort_values("recall", na_position="first").iloc[0]
    description = (
        f"Dot chart of how well the rules match {coder} for {len(table)} codes, sorted by F1 "
        f"(the balance of precision and recall). Best: {_words(best['code'])}, precision "
        f"{best['precision']:.0%}, recall {best['recall']:.0%}. Lowest recall: "
        f"{_words(weakest['code'])}, {weakest['recall']:.0%}: the rules miss most of "
        f"what {coder} coded there. "
        + "Precision is the share of the rules' codings the coder also made; recall is the "
        "share of the coder's codings the rules found."
    )
    base = alt.Chart(long).encode(
        y=alt.Y("code:N", sort=order, title=None),
        x=alt.X(
            "value:Q", title="Share", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
        ),
    )
    spans = table.assign(
        low=table[["precision", "recall"]].min(axis=1),
        high=table[["precision", "recall"]].max(axis=1),
    )
    lines = (
        alt.Chart(spans)
        .mark_rule(color="#999999", strokeWidth=2)
        .encode(y=alt.Y("code:N", sort=order, title=None), x="low:Q", x2="high:Q")
    )
    dots = base.mark_point(filled=True, size=90).encode(
        color=alt.Color(
            "measure:N",
            title=None,
            scale=alt.Scale(domain=["Precision", "Recall"], range=[PALETTE[0], PALETTE[1]]),
        ),
        shape=alt.Shape(
            "measure:N",
            scale=alt.Scale(domain=["Precision", "Recall"], range=["circle", "diamond"]),
            title=None,
        ),
        tooltip=[
            alt.Tooltip("code:N", title="Code"),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("value:Q", title="Value", format=".0%"),
            alt.Tooltip("f1:Q", title="F1", format=".2f"),
        ],
    )
    title = alt.Title(
        f"Rules against {coder}, code by code",
        subtitle="Precision: how often the rules are right. Recall: how much they find.",
    )
    return (lines + dots).properties(
        title=title, description=description, width=420, height=alt.Step(18)
    )
