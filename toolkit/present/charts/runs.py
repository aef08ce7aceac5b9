"""The run chart: one measure over time, its median, and the signals of change.

:func:`run_chart` draws what :func:`toolkit.run_chart_rules` finds.  Each point
that is part of a signal is marked three ways, so nobody depends on colour: by
its shape, by its colour (from :data:`toolkit.present.colours.PALETTE`) and by
a short text label beside it.  The chart's description names every signal.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from toolkit.analysis.run_chart import (
    RunChartResult,
    date_words,
    number_words,
    run_chart_rules,
)
from toolkit.errors import ToolkitError
from toolkit.present.charts.base import FONT_SIZE, MAX_ROWS, outlined_points, words
from toolkit.present.colours import PALETTE

__all__ = ["SIGNAL_STYLE", "run_chart"]

#: Colour and shape of the points, by the signal they are part of.
SIGNAL_STYLE = {
    "no signal": ("#595959", "circle"),
    "shift": (PALETTE[0], "square"),
    "trend": (PALETTE[5], "triangle-up"),
    "shift and trend": (PALETTE[2], "cross"),
    "astronomical point": (PALETTE[3], "diamond"),
}
#: What a signal's text label says, and whether it sits above or below its point.
_LABELS = {
    "shift": ("Shift: {points} {direction}", -14),
    "trend": ("Trend: {points} {direction}", 18),
    "astronomical point": ("Astronomical point", -14),
}


def run_chart(
    table: pd.DataFrame,
    *,
    date: str,
    value: str,
    baseline: int | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """Chart a measure over time with its median, marking the run-chart signals.

    Parameters
    ----------
    table
        One row per point in time: a ``date`` column (dates, week numbers or
        labels) and a ``value`` column (the measure).
    date, value
        The names of those columns.
    baseline
        Draw the median of the first ``baseline`` points only, and judge every
        point against it (see :func:`toolkit.run_chart_rules`).
    title
        The chart's title (by default, the measure's name).

    Returns
    -------
    altair.LayerChart
        The line and points, a dashed line at the median, the signals marked by
        shape, colour and a text label, and a description naming each signal.

    Raises
    ------
    ToolkitError
        As :func:`toolkit.run_chart_rules` does for bad input.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> weeks = pd.DataFrame({"week": range(1, 13),
    ...                       "calls": [5, 6, 4, 5, 6, 4, 9, 9, 10, 8, 9, 10]})
    >>> chart = tk.charts.run_chart(weeks, date="week", value="calls")
    >>> "A shift: 6 points in a row above the median" in tk.charts.describe(chart)
    True
    """
    result = run_chart_rules(table, date=date, value=value, baseline=baseline)
    if len(result.points) > MAX_ROWS:
        raise ToolkitError(
            f"expected at most {MAX_ROWS} points to chart, but found {len(result.points)}",
            hint="chart weekly or monthly totals rather than every event",
        )
    kind = result.points.attrs.get("date_kind", "label")
    data = result.points[["date", "value", "median", "side", "signal"]].copy()
    data["marker"] = [_marker(s) for s in data["signal"]]
    data["signal"] = data["signal"].replace("", "none")
    if kind == "label":
        data["date"] = data["date"].astype(str)
    when_title = words(date).capitalize()
    value_title = words(value).capitalize()
    x = _x(kind, when_title, list(data["date"]))
    y = alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False, nice=True))
    tooltip = [
        alt.Tooltip("date:T" if kind == "date" else f"date:{'Q' if kind == 'number' else 'N'}",
                    title=when_title, **({"format": "%d %b %Y"} if kind == "date" else {})),
        alt.Tooltip("value:Q", title=value_title),
        alt.Tooltip("side:N", title="Side of the median"),
        alt.Tooltip("signal:N", title="Signal"),
    ]  # fmt: skip
    present = [m for m in SIGNAL_STYLE if m in set(data["marker"])]
    line = alt.Chart(data).mark_line(color="#7f7f7f", strokeWidth=1.5).encode(x=x, y=y)
    points = outlined_points(data).encode(
        x=x,
        y=y,
        color=alt.Color(
            "marker:N",
            title="Signal",
            scale=alt.Scale(domain=present, range=[SIGNAL_STYLE[m][0] for m in present]),
            legend=alt.Legend(orient="bottom"),
        ),
        shape=alt.Shape(
            "marker:N",
            title="Signal",
            scale=alt.Scale(domain=present, range=[SIGNAL_STYLE[m][1] for m in present]),
        ),
        size=alt.condition("datum.marker == 'no signal'", alt.value(45), alt.value(110)),
        tooltip=tooltip,
    )
    middle = number_words(result.median)
    median = pd.DataFrame(
        {"median": [result.median], "text": [f"Median {middle}"], "date": [data["date"].iloc[-1]]}
    )
    rule = (
        alt.Chart(median)
        .mark_rule(color="#1a1a1a", strokeDash=[6, 4], strokeWidth=1.5)
        .encode(y=alt.Y("median:Q"))
    )
    rule_label = (
        alt.Chart(median)
        .mark_text(align="left", dx=8, fontSize=FONT_SIZE - 1, color="#1a1a1a")
        .encode(x=x, y=alt.Y("median:Q"), text="text:N")
    )
    layers = [line, rule, rule_label, points, *_signal_labels(result, data, x, y)]
    return alt.layer(*layers).properties(
        title=alt.Title(title or f"{value_title} over time", subtitle=_subtitle(result)),
        width=520,
        height=300,
        description=_description(result, date, value),
    )


def _marker(signal: str) -> str:
    names = set(signal.split("; ")) - {""}
    if "astronomical point" in names:
        return "astronomical point"
    if {"shift", "trend"} <= names:
        return "shift and trend"
    return next(iter(names), "no signal")


def _x(kind: str, title: str, order: list[Any]) -> alt.X:
    if kind == "date":
        return alt.X("date:T", title=title, axis=alt.Axis(format="%d %b", labelAngle=0))
    if kind == "number":
        return alt.X("date:Q", title=title, scale=alt.Scale(zero=False, nice=False),
                     axis=alt.Axis(tickMinStep=1, format="d"))  # fmt: skip
    return alt.X("date:O", title=title, sort=[str(d) for d in order], axis=alt.Axis(labelAngle=-45))


def _signal_labels(result: RunChartResult, data: pd.DataFrame, x: alt.X, y: alt.Y) -> list:
    """One text label per signal, beside the last point it covers."""
    rows = []
    for signal in result.signals.itertuples(index=False):
        if signal.rule not in _LABELS:
            continue
        text, dy = _LABELS[signal.rule]
        at = result.points.index[result.points["date"] == signal.last][0]
        rows.append(
            {
                "date": data["date"].iloc[at],
                "value": data["value"].iloc[at],
                "text": text.format(points=signal.points, direction=signal.direction),
                "dy": dy,
            }
        )
    if not rows:
        return []
    labels = pd.DataFrame(rows)
    return [
        alt.Chart(labels[labels["dy"] == dy])
        .mark_text(dy=dy, fontSize=FONT_SIZE - 1, fontWeight="bold", color="#1a1a1a")
        .encode(x=x, y=y, text="text:N")
        for dy in sorted(set(labels["dy"]))
    ]


def _subtitle(result: RunChartResult) -> str:
    rules = list(dict.fromkeys(result.signals["rule"]))
    found = f"Signals: {', '.join(rules)}." if rules else "No signals."
    base = f" of the first {result.baseline} points" if result.baseline else ""
    return f"The dashed line is the median{base}, {number_words(result.median)}. {found}"


def _description(result: RunChartResult, date: str, value: str) -> str:
    points = result.points
    first, last = points["date"].iloc[0], points["date"].iloc[-1]
    span = f"from {date_words(first, date)} to {date_words(last, date)}"
    runs = ""
    if result.limits and not result.signals["rule"].str.endswith("runs").any():
        low, high = result.limits
        runs = (
            f" There are {result.runs} runs among {result.useful} points off the median, "
            f"within the usual {low} to {high}."
        )
    return (
        f"Run chart of {words(value)}: {len(points)} points {span}, with a dashed line at the "
        f"median, {number_words(result.median)}. Points that are part of a signal are marked "
        "by shape, colour and a label. " + result.summary() + runs
    )
