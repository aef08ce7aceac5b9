"""What we heard: the themes with their quotes, the positive core, and themes by group.

Only themes someone mentioned are charted, by their labels (never a code's
identifier); a chart of more than :data:`~toolkit.present.report.labels.TOP_BARS`
shows the top ones and one bar for the rest.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from toolkit.analysis.themes.options import UNITS
from toolkit.present import charts
from toolkit.present.report.blocks import Figure, Section, and_list
from toolkit.present.report.gather import ReportData, quotes_of
from toolkit.present.report.labels import code_label, labelled, mentioned, with_others

__all__ = ["chart_title", "frequency_numbers", "themes_section"]

NO_CODINGS = (
    "There are no codings yet, so there are no themes to show. Code some interviews (by hand "
    "in codings/<your name>.csv, or by the codebook's rules with 'codesign-toolkit code') and "
    "make the report again."
)


def frequency_numbers(table: pd.DataFrame, level: str, noun: str) -> pd.DataFrame:
    """Return a frequency table as the numbers behind its chart: name, count, share."""
    columns = {level: level.capitalize(), "count": noun.capitalize(), "percent": "Share (%)"}
    if level == "code" and "theme" in table.columns:
        columns = {
            "code": "Code",
            "theme": "Theme",
            "count": noun.capitalize(),
            "percent": "Share (%)",
        }
    return table[list(columns)].rename(columns=columns).reset_index(drop=True)


def _sorted_as_given(chart: Any, order: list[str]) -> Any:
    """Keep a bar chart's bars in the table's order (the "others" bar last)."""
    chart.encoding.y = chart.encoding.y.sort(order)
    return chart


def themes_section(data: ReportData, *, top: int = 5) -> Section:
    """Return the themes: a chart of all, then the main ones, each with its codes and quotes."""
    section = Section("themes", "What we heard: the themes")
    if not data.has_themes:
        return section.add("note", NO_CODINGS)
    noun = UNITS[data.unit]
    themes = labelled(data.themes, "theme")
    themes.attrs["coder"] = data.coder  # the charts' subtitles name no one
    section.add(
        "p",
        f"Each theme is counted as {noun}: how many of the {themes.attrs['total']} {noun} "
        f"raised it at least once. Codings by {data.coder} are counted.",
    )
    shown, others = with_others(themes, data.prepared)
    chart = charts.theme_frequency_chart(shown, top=None)
    if others:
        chart = _sorted_as_given(chart, list(shown["theme"]))
        section.add(
            "p",
            f"The chart shows the {len(shown) - 1} themes raised most; the last bar counts "
            f"everyone who raised any of the other {len(others)}.",
        )
    section.add(
        "chart",
        Figure(chart, frequency_numbers(mentioned(themes), "theme", noun), chart_title(chart)),
    )
    codes = labelled(data.codes, "code", "theme")
    for name, count, total in (
        data.themes[data.themes["count"] > 0][["theme", "count", "total"]].head(top).values
    ):
        label = code_label(name)
        section.add("h3", label)
        inside = codes[(codes["theme"] == label) & (codes["count"] > 0)]
        words = f"Raised by {count} of {total} {noun}."
        if len(inside) > 1:
            words += (
                " Within it: "
                + and_list(
                    [
                        f"{c} ({n})"
                        for c, n in zip(
                            inside["code"].head(6), inside["count"].head(6), strict=True
                        )
                    ]
                )
                + ("" if len(inside) <= 6 else f", and {len(inside) - 6} more")
                + "."
            )
        section.add("p", words)
        quotes = quotes_of(data, name)
        if quotes:
            section.add("quotes", quotes)
    core = _positive_core(data)
    if core is not None:
        section.blocks += core.blocks
    groups = _by_group(data)
    if groups is not None:
        section.blocks += groups.blocks
    return section


def chart_title(chart: Any) -> str:
    """Return a chart's title as plain text."""
    title = getattr(chart, "title", None)
    text = getattr(title, "text", title)
    if isinstance(text, (list, tuple)):
        text = " ".join(map(str, text))
    return "" if text is None or type(text).__name__ == "UndefinedType" else str(text)


def _positive_core(data: ReportData) -> Section | None:
    if data.core is None:
        return None
    core = labelled(data.core, "code", "theme")
    section = Section("positive-core", "The positive core")
    section.add("h3", "The positive core: what works, beside what people wish for")
    section.add(
        "p",
        "Appreciative inquiry builds on what already works. On one side, the strengths and "
        "best experiences people described; on the other, what they wish for. Themes: "
        + and_list([code_label(t) for t in core.attrs["strengths"]])
        + ", beside "
        + and_list([code_label(t) for t in core.attrs["wishes"]])
        + ".",
    )
    chart = charts.positive_core_chart(core)
    noun = UNITS[data.unit]
    numbers = core[core["count"] > 0][["side", "code", "theme", "count"]].rename(
        columns={"side": "Side", "code": "Code", "theme": "Theme", "count": noun.capitalize()}
    )
    section.add("chart", Figure(chart, numbers.reset_index(drop=True), chart_title(chart)))
    return section


def _by_group(data: ReportData) -> Section | None:
    table = None if data.by_group is None else labelled(data.by_group, "theme")
    if table is None or table.empty or table["group"].nunique() < 2:
        return None
    label = data.group.replace("_", " ")
    section = Section("by-group", f"Themes by {label}")
    section.add("h3", f"Themes by {label}")
    section.add(
        "p",
        f"The share of each {label} that raised each theme. Small groups can swing a long way "
        "on one or two people; the tests of the differences are in the appendix.",
    )
    chart = charts.theme_group_chart(table)
    numbers = table[["theme", "group", "count", "group_size", "percent_of_group"]].rename(
        columns={
            "theme": "Theme",
            "group": label.capitalize(),
            "count": "Raised it",
            "group_size": "Of",
            "percent_of_group": "Share (%)",
        }
    )
    section.add("chart", Figure(chart, numbers.reset_index(drop=True), chart_title(chart)))
    return section
