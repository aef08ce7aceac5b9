"""Theme charts: frequency, groups, the positive core and trends.

Builders over the tables in :mod:`toolkit.analysis.themes`.  Each takes the
table a themes function returns (already aggregated, so the chart embeds few
rows), states the counting unit in its title and axis, shows a quote in its
tooltip, and carries a description computed from the data.  The matrices
(co-occurrence, prevalence) are in :mod:`toolkit.present.charts.matrices`, the
quotes layout in :mod:`toolkit.present.charts.quotes`.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.present.charts.base import (
    FONT_SIZE,
    MAX_ROWS,
    SPACED,
    check_table,
    name_values,
    words,
)
from toolkit.present.colours import PALETTE, pick_colours

__all__ = [
    "positive_core_chart",
    "theme_frequency_chart",
    "theme_group_chart",
    "theme_trend_chart",
]

#: How a chart names each counting unit of the themes tables.
UNIT_WORDS = {
    "participants": "people",
    "interviews": "interviews",
    "segments": "segments",
    "passages": "passages",
    "dots": "dots",
}


def check_theme_table(table: Any, columns: list[str], what: str) -> pd.DataFrame:
    """Check a themes table to chart: its columns, at least one row, at most MAX_ROWS."""
    check_table(
        table,
        columns,
        what,
        source=f"pass the table the toolkit's {what} function returns",
        empty="code some segments first (by hand or with tk.autocode), then build the table again",
    )
    if len(table) > MAX_ROWS:
        raise ToolkitError(
            f"expected at most {MAX_ROWS} rows to chart, but the {what} table has {len(table)}",
            hint="chart themes rather than codes (of='theme'), or fewer groups",
        )
    return table


def theme_level(table: pd.DataFrame) -> str:
    """Return the column a themes table counts by: ``code``, ``theme`` or its level."""
    level = table.attrs.get("level")
    if level in table.columns:
        return level
    return "code" if "code" in table.columns else "theme"


def theme_unit(table: pd.DataFrame) -> str:
    """Return the word for what a themes table counts: "people", "interviews"..."""
    unit = table.attrs.get("unit") or (table["unit"].iloc[0] if "unit" in table.columns else "")
    return UNIT_WORDS.get(str(unit), str(unit) or "mentions")


def theme_scale(table: pd.DataFrame, field: str = "theme") -> alt.Scale:
    """Colour each name by :func:`~toolkit.present.colours.pick_colours`.

    The table's ``color`` column, where there is one, holds the codebook's
    colours: each is kept where everyone can tell it apart from the others,
    and names without one take the palette's.
    """
    names = list(dict.fromkeys(table[field].astype(str)))
    given: dict[str, list[str]] = {}
    if "color" in table.columns:
        for name, colour in zip(table[field].astype(str), table["color"], strict=True):
            given.setdefault(name, []).append(colour)
    colours = pick_colours(names, given)
    return alt.Scale(domain=names, range=[colours[n] for n in names])


def quote_tooltip() -> list[alt.Tooltip]:
    """Return the tooltip lines that show a quote and who said it."""
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
    level = theme_level(table)
    check_theme_table(table, [level, "count", "total"], "theme frequency")
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
    noun = theme_unit(table)
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
        + name_values([(str(r[level]), f"{int(r['count'])}") for _, r in data.iterrows()], 8)
        + f". The most mentioned is {words(first[level])}, by {int(first['count'])} of {total} "
        f"{noun}."
    )
    title = {
        "people": f"The {kind} mentioned by the most people",
        "interviews": f"The {kind} that came up in the most interviews",
    }.get(noun, f"The {kind} coded most often")
    colour = (
        alt.Color("theme:N", scale=theme_scale(data), title="Theme")
        if level == "code"
        else alt.Color("theme:N", scale=theme_scale(data), legend=None)
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
                f"{level}:N", sort="-x", title=level.capitalize(), axis=alt.Axis(labelExpr=SPACED)
            ),
            color=colour,
            tooltip=[
                alt.Tooltip(f"{level}:N", title=level.capitalize()),
                alt.Tooltip("label:N", title="How many"),
                *quote_tooltip(),
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
    level = theme_level(table)
    check_theme_table(
        table, [level, "group", "count", "group_size", "percent_of_group"], "theme by group"
    )
    noun = theme_unit(table)
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
        f"{noun} who mention the {level}. The highest is {words(top[level])} in {top['group']}: "
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
                *quote_tooltip(),
            ],
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
    check_theme_table(table, ["side", "code", "count", "total"], "positive core")
    data = (
        table.sort_values(["side", "count"], ascending=[True, False], kind="stable")
        .groupby("side", sort=False)
        .head(top)
    )
    data = data.assign(**{c: data.get(c, "") for c in ("quote", "quote_by", "label", "theme")})
    data = data[["side", "theme", "code", "count", "total", "label", "quote", "quote_by"]]
    noun = theme_unit(table)
    total = int(data["total"].iloc[0])

    def top_of(side: str) -> str:
        part = data[data["side"] == side]
        return name_values([(str(r["code"]), int(r["count"])) for _, r in part.iterrows()], 4) or (
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
            y=alt.Y("code:N", sort="-x", title=None, axis=alt.Axis(labelExpr=SPACED)),
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
                *quote_tooltip(),
            ],
        )
        .resolve_scale(y="independent")
        .properties(description=description, width=260)
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
    level = "item" if "item" in table.columns else theme_level(table)
    value = "dots" if level == "item" and measure == "count" else measure
    check_theme_table(table, ["period", level, value], "trend")
    keep = ["period", level, value, "total", "color", "quote", "quote_by"]
    data = table[[c for c in dict.fromkeys(keep) if c in table.columns]]
    period = table.attrs.get("period", "session")
    noun = theme_unit(table)
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
        alt.Color(f"{level}:N", scale=theme_scale(table, level), title=level.capitalize())
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
                *(quote_tooltip() if "quote" in data.columns else []),
            ],
        )
        .properties(description=description, width=440)
    )
