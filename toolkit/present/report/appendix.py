"""The appendix: agreement between coders, which themes go together, group statistics,
and the numbers behind every chart in the report.
"""

from __future__ import annotations

import pandas as pd

from toolkit.analysis.agreement.reliability import ALL_CODES
from toolkit.analysis.themes.cooccurrence import cooccurrence
from toolkit.errors import ToolkitError
from toolkit.present import charts
from toolkit.present.report.blocks import Figure, Report, Section, Table
from toolkit.present.report.findings import chart_title
from toolkit.present.report.gather import ReportData
from toolkit.present.report.labels import TOP_BARS, labelled

__all__ = ["add_numbers", "agreement_numbers", "appendix"]

_AGREEMENT_COLUMNS = {
    "code": "Code",
    "units": "Segments",
    "applied": "Applied",
    "prevalence": "Prevalence",
    "percent_agreement": "Agreement",
    "kappa": "Kappa",
    "alpha": "Alpha",
    "alpha_low": "Alpha, low",
    "alpha_high": "Alpha, high",
}


def agreement_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """Return the agreement table with readable column names and percentages."""
    columns = [c for c in _AGREEMENT_COLUMNS if c in table.columns]
    shown = labelled(table[columns], "code")
    shown["code"] = shown["code"].replace({ALL_CODES: "All codes (pooled)"})
    for column in ("prevalence", "percent_agreement"):
        if column in shown.columns:
            shown[column] = ["" if pd.isna(v) else f"{100 * float(v):.0f}%" for v in shown[column]]
    return shown.rename(columns=_AGREEMENT_COLUMNS).reset_index(drop=True)


def _agreement(data: ReportData, section: Section) -> None:
    if data.agreement is None and not data.agreement_note:
        return
    section.add("h3", "Agreement between coders")
    if data.agreement is None:
        section.add("note", data.agreement_note)
        return
    who = ", ".join(data.coders) if data.show_names else f"{len(data.coders)} people"
    section.add(
        "p",
        f"{who[0].upper() + who[1:]} coded the same interviews, each on their own. "
        "Krippendorff's alpha of 0.8 or more means the coders applied a code reliably; 0.667 "
        "to 0.8 supports tentative conclusions only; below that, the code's definition needs "
        "discussing and sharpening.",
    )
    table = labelled(data.agreement, "code")
    if not data.show_names:
        table.attrs = {k: v for k, v in data.agreement.attrs.items() if k != "coders"}
    numbers = agreement_numbers(data.agreement)
    try:
        chart = charts.agreement_chart(table)
    except ToolkitError as err:
        # Said in the report, never dropped silently; the table still shows.
        section.add("note", f"The agreement chart could not be drawn: {err.message}")
        section.add("table", Table(numbers, "Agreement by code"))
        return
    section.add("chart", Figure(chart, numbers, chart_title(chart)))


def _together(data: ReportData, section: Section) -> None:
    pairs = cooccurrence(data.prepared, of="code")
    section.add("h3", "Which themes go together")
    if pairs.empty:
        section.add("p", "No two codes were applied to the same turn of speech.")
        return
    section.add(
        "p",
        "Codes applied to the same turn of speech. Jaccard similarity is the share of turns "
        "with either code that have both: 0 means never together, 1 always.",
    )
    pairs = labelled(pairs, "code_a", "code_b")
    chart = charts.cooccurrence_chart(pairs, top=TOP_BARS)
    numbers = pairs.head(40)[["code_a", "code_b", "both", "jaccard"]].rename(
        columns={
            "code_a": "Code",
            "code_b": "With",
            "both": "Turns with both",
            "jaccard": "Jaccard",
        }
    )
    section.add("chart", Figure(chart, numbers.reset_index(drop=True), chart_title(chart)))


def _group_tests(data: ReportData, section: Section) -> None:
    table = data.by_group
    if table is None or table.empty or not table.attrs.get("tests"):
        return
    tests = labelled(pd.DataFrame(table.attrs["tests"]), "theme")
    label = data.group.replace("_", " ")
    section.add("h3", "Differences between groups" + ("" if label == "group" else f" ({label})"))
    section.add(
        "p",
        "For each theme, a chi-square test of whether the share who raised it differs "
        f"between the {label}s, with Cramér's V for the size of the difference (0 none, 1 "
        "complete). Tests run only where the numbers allow; p-values are not adjusted for "
        "testing several themes.",
    )
    shown = pd.DataFrame(
        {
            "Theme": tests["theme"],
            "People": tests["n"],
            "Groups": tests["groups"],
            "Chi-square": tests["chi2"].round(2),
            "p": tests["p_value"].round(3),
            "Cramér's V": tests["cramers_v"].round(2),
            "Note": tests["note"],
        }
    )
    section.add("table", Table(shown, f"Tests of the differences between {label}s"))


def appendix(data: ReportData) -> Section:
    """Return the appendix, without the numbers behind the charts (see :func:`add_numbers`)."""
    section = Section("appendix", "Appendix")
    _agreement(data, section)
    if data.prepared is not None:
        _together(data, section)
    _group_tests(data, section)
    return section


def add_numbers(report: Report, section: Section) -> None:
    """Add the numbers behind every chart of the report to the appendix, by figure number."""
    figures = report.figures()
    if not figures:
        return
    section.add("h3", "The numbers behind each chart")
    section.add(
        "p",
        "Each chart's figures as a table, for anyone who cannot see the charts or wants the "
        "exact numbers.",
    )
    for figure in figures:
        section.add("numbers", figure)
