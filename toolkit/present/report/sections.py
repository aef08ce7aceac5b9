"""What the report holds: its sections, built from the project's tables and charts.

:func:`report_sections` builds every section (headings, paragraphs, charts,
tables and quotes) without writing anything; :mod:`.html` and
:mod:`.markdown` turn the sections into a file.  The theme tables are all
drawn from one :func:`~toolkit.analysis.themes.prepare.prepare_themes`, so
the codings are checked and joined once per report.

The report never shows participants' names (the ``name`` column of
``participants.csv``): people are counted by group, and quotes pass through
the same name safety net as :func:`toolkit.exemplar_quotes`.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.analysis.agreement.reliability import reliability
from toolkit.analysis.autocode.engine import autocode_project
from toolkit.analysis.themes.cleaning import clean_text
from toolkit.analysis.themes.cooccurrence import cooccurrence
from toolkit.analysis.themes.core import positive_core
from toolkit.analysis.themes.frequencies import theme_frequency
from toolkit.analysis.themes.groups import theme_by_group
from toolkit.analysis.themes.options import NOT_RECORDED, UNITS, unit_name
from toolkit.analysis.themes.prepare import PreparedThemes, prepare_themes
from toolkit.analysis.themes.quotes import exemplar_quotes
from toolkit.errors import CodingError, ProjectError, ToolkitError
from toolkit.model.codebook import as_codebook
from toolkit.model.codings import merge_codings
from toolkit.present import charts

__all__ = ["Section", "as_project", "day", "report_sections", "with_rule_codings"]

_ONE = {"participants": "person", "interviews": "interview", "segments": "segment"}


@dataclass
class Section:
    """One section of the report: a heading and its blocks, in order.

    Blocks are ``("p", text)``, ``("chart", alt.Chart)``, ``("table", (DataFrame,
    caption))``, ``("quotes", DataFrame)``, ``("h3", text)`` or ``("note", text)``.
    """

    id: str
    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def add(self, kind: str, value: Any) -> Section:
        """Add a block at the end; return the section, so calls can be chained."""
        self.blocks.append((kind, value))
        return self


def as_project(project: Any) -> Any:
    """Return ``project`` as a Project, opening it if it is a folder's path."""
    if isinstance(project, (str, Path)):
        from toolkit.model.project import open_project

        return open_project(project)
    if not hasattr(project, "codings") or not hasattr(project, "participants"):
        raise ProjectError(
            f"expected a project (a Project or a project folder), but found "
            f"{type(project).__name__}",
            hint="pass tk.open_project('my-project'), or the folder's path",
        )
    return project


def day(date: Any) -> str:
    """Return a date as "3 March 2026", on every system."""
    # strftime's "%-d" does not work on Windows.
    return f"{date.day} {date:%B %Y}"


def with_rule_codings(project: Any, coder: Any) -> Any:
    """Return the project, with the rules' codings added when ``coder`` asks for them.

    The theme tables count only the codings they are given.  When the report
    is asked for ``coder="rules"`` (or ``"all"``) and the project holds no
    rule codings, they are made here with
    :func:`~toolkit.analysis.autocode.engine.autocode_project`, as
    ``codesign-toolkit code`` makes them; the project itself is not changed.
    """
    if coder not in ("rules", "all"):
        return project
    codings = project.codings
    has_method = codings is not None and "method" in codings.columns
    if has_method and (clean_text(codings["method"], lower=True) == "rule").any():
        return project
    if coder == "all" and not any(code.has_rules for code in as_codebook(project.codebook)):
        return project
    rules = autocode_project(project)  # says so when the codebook has no rules
    if rules.empty:
        raise CodingError(
            "expected the codebook's rules to code something, but they matched no segment",
            hint="check the rules in codebook.yml, or count the human codings (coder='humans')",
        )
    found = copy.copy(project)
    found.codings = rules if codings is None or codings.empty else merge_codings(codings, rules)
    return found


def report_sections(
    project: Any,
    *,
    coder: Any = "humans",
    unit: str = "participants",
    group: str = "group",
    top: int = 5,
    strengths: Any = None,
    wishes: Any = None,
) -> list[Section]:
    """Build the report's sections (tables and charts) without writing anything.

    Parameters
    ----------
    project
        A Project, or the path of a project folder.
    coder
        Whose codings to count: ``"humans"`` (every human coder, merged),
        ``"rules"`` (the codebook's rules: made here if the project holds
        none), ``"all"``, or a coder's name or a list of names.
    unit
        What one count is: ``"participants"`` (people), ``"interviews"`` or
        ``"segments"`` (singular or plural).
    group
        The participants column to describe who took part by.
    top
        How many themes get their own part, with a chart and quotes.
    strengths, wishes
        Theme names for the positive core (guessed from the names if not given).

    Returns
    -------
    list of Section
        In order: who took part, the main themes, the positive core (when
        the codebook's themes allow), themes by group, which themes go
        together, agreement between coders (with two or more), and the
        method note.

    Examples
    --------
    >>> import toolkit as tk
    >>> from toolkit.present.report.sections import report_sections
    >>> [s.id for s in report_sections(tk.sample_project())][:2]
    ['who-took-part', 'themes']
    """
    project = as_project(project)
    unit = unit_name(unit)
    sections = [_who_took_part(project, group)]
    if project.codings is None or project.codings.empty:
        sections.append(
            Section("themes", "Themes").add(
                "note",
                "There are no codings yet, so there are no themes to show. Code some "
                "interviews (by hand in codings/<your name>.csv, or by the codebook's rules) "
                "and write the report again.",
            )
        )
        sections.append(_method(project, None, unit))
        return sections
    project = with_rule_codings(project, coder)
    prepared = prepare_themes(project, coder=coder)
    freq = theme_frequency(prepared, unit=unit, of="theme")
    sections.append(_top_themes(prepared, freq, unit, top))
    core = _positive_core(prepared, unit, strengths, wishes)
    if core is not None:
        sections.append(core)
    if group in project.participants.columns:
        sections.append(_by_group(prepared, group, unit))
    sections.append(_together(prepared))
    agreement = _agreement(project)
    if agreement is not None:
        sections.append(agreement)
    sections.append(_method(project, freq, unit))
    return sections


def _people_table(participants: pd.DataFrame, by: str) -> pd.DataFrame:
    values = participants[by].astype("string").fillna("").str.strip()
    counts = values.replace("", NOT_RECORDED).value_counts()
    table = counts.rename_axis(by.replace("_", " ").capitalize()).reset_index(name="People")
    return table.sort_values(["People", table.columns[0]], ascending=[False, True])


def _date_range(project: Any) -> str:
    columns = [c for c in project.participants.columns if "date" in c.lower()]
    for column in columns:
        values = project.participants[column].astype("string").fillna("").str.strip()
        dates = pd.to_datetime(values[values != ""], errors="coerce", format="ISO8601").dropna()
        if len(dates):
            first, last = dates.min(), dates.max()
            if first == last:
                return day(first)
            return f"{day(first)} to {day(last)}"
    return ""


def _coders(codings: pd.DataFrame) -> tuple[list[str], int]:
    if codings is None or codings.empty:
        return [], 0
    blank = pd.Series("", index=codings.index)
    method = clean_text(codings.get("method", blank), lower=True)
    names = clean_text(codings.get("coder", blank))
    humans = sorted(set(names[method != "rule"]) - {"", "nan"})
    return humans, int((method == "rule").sum())


def _who_took_part(project: Any, group: str) -> Section:
    section = Section("who-took-part", "Who took part")
    people = project.participants
    interviews = project.documents["interview_id"].nunique() if len(project.documents) else 0
    words = f"{len(people)} people took part."
    if interviews:
        words += (
            f" The project holds {interviews} interviews or survey answers, with "
            f"{len(project.segments):,} turns of speech in all."
        )
    section.add("p", words + " No names are shown in this report.")
    if len(people) and group in people.columns:
        section.add("chart", charts.participants_chart(people, by=group))
        section.add("table", (_people_table(people, group), f"People by {group}"))
    return section


def _top_themes(prepared: PreparedThemes, freq: pd.DataFrame, unit: str, top: int) -> Section:
    noun = UNITS[unit]
    section = Section("themes", "The main themes")
    section.add(
        "p",
        f"Each theme is counted as {noun}: how many of the {freq.attrs['total']} {noun} "
        f"mentioned it at least once. Codings by {freq.attrs['coder']} are counted.",
    )
    section.add("chart", charts.theme_frequency_chart(freq))
    codes = theme_frequency(prepared, unit=unit, of="code")
    quotes = exemplar_quotes(prepared, of="theme", per_code=3)
    for _, row in freq[freq["count"] > 0].head(top).iterrows():
        name = row["theme"]
        section.add("h3", name)
        section.add("p", f"{row['label'][0].upper()}{row['label'][1:]}.")
        inside = codes[(codes["theme"] == name) & (codes["count"] > 0)]
        if len(inside) > 1:
            section.add("chart", charts.theme_frequency_chart(inside))
        chosen = quotes[quotes["theme"] == name]
        if len(chosen):
            section.add("quotes", chosen)
    return section


def _positive_core(
    prepared: PreparedThemes, unit: str, strengths: Any, wishes: Any
) -> Section | None:
    try:
        core = positive_core(prepared, strengths=strengths, wishes=wishes, unit=unit)
    except ToolkitError:
        if strengths is not None or wishes is not None:
            raise
        return None  # the theme names suggest no strengths or no wishes
    if core["count"].sum() == 0:
        return None
    section = Section("positive-core", "The positive core: strengths beside wishes")
    section.add(
        "p",
        "Appreciative inquiry builds on what already works. On the left, the strengths and "
        "best experiences people described; on the right, what they wish for. Themes: "
        + ", ".join(core.attrs["strengths"])
        + " beside "
        + ", ".join(core.attrs["wishes"])
        + ".",
    )
    section.add("chart", charts.positive_core_chart(core))
    return section


def _by_group(prepared: PreparedThemes, group: str, unit: str) -> Section:
    table = theme_by_group(prepared, group=group, unit=unit)
    section = Section("by-group", f"Themes by {group.replace('_', ' ')}")
    # The chart's description carries the note on the chi-square tests.
    return section.add("chart", charts.theme_group_chart(table))


def _together(prepared: PreparedThemes) -> Section:
    section = Section("together", "Which themes go together")
    pairs = cooccurrence(prepared, of="code")
    if pairs.empty:
        return section.add("p", "No two codes were applied to the same segment.")
    section.add(
        "p",
        "Codes applied to the same segment (speaker turn). Jaccard similarity is the share of "
        "segments with either code that have both: 0 means never together, 1 always.",
    )
    section.add("chart", charts.cooccurrence_chart(pairs, top=15))
    shown = pairs.head(8)[["code_a", "code_b", "both", "jaccard"]]
    shown = shown.assign(code_a=shown["code_a"].str.replace("_", " "))
    shown = shown.assign(code_b=shown["code_b"].str.replace("_", " ")).rename(
        columns={"code_a": "Code", "code_b": "With", "both": "Segments", "jaccard": "Jaccard"}
    )
    section.add("table", (shown, "The pairs applied together most often"))
    return section


def _agreement(project: Any) -> Section | None:
    humans, _ = _coders(project.codings)
    if len(humans) < 2:
        return None
    section = Section("agreement", "Agreement between coders")
    try:
        # An empty codebook checks nothing (reliability's own rule).
        table = reliability(project.codings, project.segments, codebook=project.codebook)
    except ToolkitError as err:
        return section.add("note", f"Agreement could not be computed: {err}")
    section.add(
        "p",
        f"{len(humans)} people coded the interviews independently ({', '.join(humans)}). "
        "Krippendorff's alpha of 0.8 or more means the coders applied a code reliably; 0.667 "
        "to 0.8 supports tentative conclusions only; below that, the code's definition needs "
        "discussing and sharpening.",
    )
    try:
        section.add("chart", charts.agreement_chart(table))
    except ToolkitError as err:
        # Said in the report, never dropped silently; the table below still shows.
        section.add("note", f"The agreement chart could not be drawn: {err.message}")
    section.add("table", (_agreement_table(table), "Agreement by code"))
    return section


def _agreement_table(table: pd.DataFrame) -> pd.DataFrame:
    names = {
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
    columns = [c for c in names if c in table.columns]
    if "code" not in columns:
        return table.head(40)
    shown = table[columns].head(40).copy()
    for column in ("prevalence", "percent_agreement"):
        if column in shown.columns:
            shown[column] = ["" if pd.isna(v) else f"{100 * float(v):.0f}%" for v in shown[column]]
    return shown.rename(columns=names)


def _method(project: Any, freq: pd.DataFrame | None, unit: str) -> Section:
    section = Section("method", "How this was done")
    book = project.codebook
    table = getattr(book, "table", book)
    if isinstance(table, pd.DataFrame) and "code" in table.columns:
        n_themes = table["theme"].replace("", pd.NA).nunique() if "theme" in table else 0
        section.add(
            "p",
            f"Codebook: {len(table)} codes in {n_themes} themes (codebook.yml in the project "
            "folder holds each code's definition, with what to include and exclude).",
        )
    humans, rules = _coders(project.codings)
    if humans:
        section.add("p", f"Coders: {', '.join(humans)}, each coding on their own.")
    if rules:
        section.add(
            "p",
            f"Rules: {rules} coding{'s were' if rules != 1 else ' was'} made by the codebook's "
            "rules, and counted only where the report says so.",
        )
    if freq is not None:
        section.add(
            "p",
            f"Counted: codings by {freq.attrs['coder']}; a code counts once per "
            f"{_ONE[unit]} however often it "
            "was applied. Interviewers' own words are not counted or quoted"
            + (
                f" ({', '.join(freq.attrs['interviewers'])})."
                if freq.attrs["interviewers"]
                else "."
            )
            + " Chi-square tests are run only where the numbers allow, and are described "
            "beside each chart.",
        )
    dates = _date_range(project)
    if dates:
        section.add("p", f"Dates: the interviews took place from {dates}.")
    from toolkit import __version__

    section.add(
        "p",
        f"Written on {day(_dt.date.today())} by codesign-toolkit {__version__}, on the "
        "team's own computer: no data was sent anywhere to make it.",
    )
    return section
