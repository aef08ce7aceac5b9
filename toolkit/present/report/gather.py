"""Everything a report draws on, worked out once: codings, people, themes, quotes, energy, plans.

:func:`gather` chooses the codings to count, finds the people who took part
(one number, used in every section), prepares the theme tables, the quotes,
the energy tables and the team's own files (``summary.md``,
``actions.csv``), and returns them as one :class:`ReportData`.  The team's
version and the participants' version are both built from it.

Names never leave this module unless asked: quotes carry a participant id or
pseudonym and group, and stakeholders are described by role and group (see
:func:`stakeholder_labels`) unless ``show_names`` is true.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.core import positive_core
from toolkit.analysis.themes.frequencies import theme_frequency
from toolkit.analysis.themes.groups import theme_by_group
from toolkit.analysis.themes.options import unit_name
from toolkit.analysis.themes.prepare import PreparedThemes, remembered_themes
from toolkit.analysis.themes.quotes import exemplar_quotes
from toolkit.errors import EnergyError, ToolkitError
from toolkit.model.coding_sources import choose_codings
from toolkit.model.interviewers import is_role_label
from toolkit.model.people import people_taking_part
from toolkit.present.report.actions import read_actions
from toolkit.present.report.blocks import Quote, and_list
from toolkit.present.report.choices import ReportChoices
from toolkit.present.report.summary import read_summary
from toolkit.wording import every, plural

__all__ = ["ReportData", "gather", "quotes_of", "stakeholder_labels"]


@dataclass
class ReportData:
    """What a report shows, worked out once (see :func:`gather`).

    Attributes
    ----------
    project
        The project, with ``codings`` replaced by the codings chosen.
    people
        The people who took part: ``len(people)`` is the number everywhere.
    group
        The participants column people are described by, or ``None``.
    unit
        What one count is: ``"participants"``, ``"interviews"`` or ``"segments"``.
    coder, codings_note
        Whose codings are counted (in words), and a sentence on why, or "".
    prepared, themes, codes
        The prepared codings and the frequency tables of themes and codes
        (``None`` when there are no codings).
    quotes
        Exemplar quotes per theme: ``theme, quote, by``.
    core, by_group
        The positive core and the themes by group (only themes someone
        raised), or ``None`` where the codebook or participants do not allow.
    ranking, energy_table, champions, introductions, energy_notes
        The follow-the-energy ranking, the stakeholders table, the
        champions' names and who can introduce whom (each ``None`` when the
        project has not the data), and sentences on what is missing.
    actions, summary
        The team's ``actions.csv`` (or ``None``) and ``summary.md`` text (or "").
    coders, rule_codings
        The human coders' names, and how many codings the rules made.
    agreement, agreement_note
        Agreement between the human coders (two or more), or why there is none.
    show_names
        Whether names may be shown (``--show-names``).
    """

    project: Any
    people: pd.DataFrame
    group: str | None
    unit: str
    coder: str = ""
    codings_note: str = ""
    interviewers_note: str = ""
    prepared: PreparedThemes | None = None
    themes: pd.DataFrame | None = None
    codes: pd.DataFrame | None = None
    quotes: pd.DataFrame | None = None
    core: pd.DataFrame | None = None
    by_group: pd.DataFrame | None = None
    ranking: pd.DataFrame | None = None
    energy_table: pd.DataFrame | None = None
    champions: list[str] = field(default_factory=list)
    introductions: pd.DataFrame | None = None
    energy_notes: list[str] = field(default_factory=list)
    actions: pd.DataFrame | None = None
    summary: str = ""
    coders: list[str] = field(default_factory=list)
    rule_codings: int = 0
    agreement: pd.DataFrame | None = None
    agreement_note: str = ""
    show_names: bool = False

    @property
    def has_themes(self) -> bool:
        """Whether any theme was mentioned at all."""
        return self.themes is not None and bool((self.themes["count"] > 0).any())

    @property
    def pseudonymised(self) -> bool:
        """Whether the project says its transcripts are pseudonymised."""
        return (self.project.settings or {}).get("pseudonymised") is True

    @property
    def fictional(self) -> bool:
        """Whether the project says everything in it is invented."""
        return bool((self.project.settings or {}).get("fictional"))


def gather(project: Any, choices: ReportChoices | None = None, *, per_theme: int = 3) -> ReportData:
    """Work out everything a report shows (see :class:`ReportData`); write nothing.

    ``choices`` says whose codings to count, what one count is, the group,
    the positive core's themes and whether names may be shown (the
    defaults if not given); ``per_theme`` is how many quotes each theme gets.

    Raises
    ------
    CodingError
        When ``choices.coder`` asks for codings the project does not have.
    """
    choices = ReportChoices() if choices is None else choices
    group, show_names = choices.group, choices.show_names
    unit = unit_name(choices.unit)
    choice = choose_codings(project, coder=choices.coder)
    chosen = copy.copy(project)
    chosen.codings = choice.codings
    prepared = None
    if not choice.empty:
        # Kept on the user's project: a second report of it (another format) is quicker.
        prepared = remembered_themes(
            chosen, keep_on=project, coder=choice.coder, show_names=show_names
        )
    # The prepared codings already hold the people (the same table): found once.
    people = prepared.people if prepared is not None else people_taking_part(chosen)
    interviewers = people.attrs.get("interviewers")
    data = ReportData(
        project=chosen,
        people=people,
        group=group if group in people.columns and len(people) else None,
        unit=unit,
        coder=choice.label if show_names else _coder_words(choice),
        codings_note=choice.note,
        interviewers_note=_interviewer_words(interviewers, show_names),
        show_names=show_names,
    )
    if prepared is not None:
        data.prepared = prepared
        data.themes = theme_frequency(data.prepared, unit=unit, of="theme")
        data.codes = theme_frequency(data.prepared, unit=unit, of="code")
        quotes = exemplar_quotes(data.prepared, of="theme", per_code=per_theme)
        data.quotes = quotes[["theme", "quote", "by"]].reset_index(drop=True)
        data.core = _core(data, choices.strengths, choices.wishes)
        data.by_group = _by_group(data)
    _gather_agreement(data, project.codings)
    _gather_energy(data)
    if project.path is not None:
        data.actions = read_actions(project.path / "actions.csv")
        data.summary = read_summary(project.path / "summary.md")
    return data


def _human_coders(codings: pd.DataFrame | None) -> tuple[list[str], np.ndarray]:
    """Return the human coders' names, and which codings the rules made.

    Each distinct value is cleaned once: a consultation has hundreds of
    thousands of codings but only a few methods and coders.
    """
    if codings is None or codings.empty or "method" not in codings.columns:
        return [], np.zeros(0 if codings is None else len(codings), bool)
    codes, methods = pd.factorize(codings["method"].to_numpy(object))
    rule_values = [str(m).strip().lower() == "rule" for m in methods]
    is_rule = np.array([*rule_values, False])[codes]
    coders = pd.unique(codings["coder"].to_numpy(object)[~is_rule])
    names = sorted({str(c).strip() for c in coders if c is not None and c == c} - {""})
    return names, is_rule


def _coder_words(choice: Any) -> str:
    """Whose codings are counted, in words that name no one."""
    humans = len(_human_coders(choice.codings)[0])
    if choice.coder == "rules":
        return "the codebook's rules"
    if choice.coder == "humans":
        return every(humans, "human coder") + ("" if humans == 1 else ", merged")
    if choice.coder == "all":
        return "every coder and the rules, merged"
    return "the coder asked for" if humans <= 1 else f"the {humans} coders asked for, merged"


def _interviewer_words(interviewers: Any, show_names: bool) -> str:
    """Who was treated as an interviewer: labels that name a role, and a count of the rest."""
    if interviewers is None:
        return ""
    if show_names or not getattr(interviewers, "reasons", None):
        return getattr(interviewers, "sentence", "") or ""
    by_reason: dict[str, list[str]] = {}
    for label, why in sorted(interviewers.reasons.items()):
        by_reason.setdefault(why, []).append(label)
    parts = []
    for why, labels in by_reason.items():
        roles = [label for label in labels if is_role_label(label)]
        named = len(labels) - len(roles)
        shown = roles + ([plural(named, "other speaker")] if named else [])
        parts.append(f"{and_list(shown)} ({why})")
    head = (
        "Interviewers (their turns are kept, as asked): "
        if getattr(interviewers, "kept", False)
        else "Interviewers, left out of counts and quotes: "
    )
    return (
        head
        + "; ".join(parts)
        + ". Their names are not shown here; 'codesign-toolkit info' lists them."
    )


def _core(data: ReportData, strengths: Any, wishes: Any) -> pd.DataFrame | None:
    try:
        core = positive_core(data.prepared, strengths=strengths, wishes=wishes, unit=data.unit)
    except ToolkitError:
        if strengths is not None or wishes is not None:
            raise
        return None  # the theme names suggest no strengths or no wishes
    return core if core["count"].sum() > 0 else None


def _by_group(data: ReportData) -> pd.DataFrame | None:
    if data.group is None:
        return None
    table = theme_by_group(data.prepared, group=data.group, unit=data.unit)
    raised = set(data.themes.loc[data.themes["count"] > 0, "theme"])
    kept = table[table["theme"].isin(raised)].reset_index(drop=True)
    kept.attrs = dict(table.attrs)
    return kept


def _gather_agreement(data: ReportData, codings: pd.DataFrame) -> None:
    from toolkit.analysis.agreement.reliability import reliability

    data.coders, is_rule = _human_coders(codings)
    data.rule_codings = int(is_rule.sum())
    if len(data.coders) < 2:
        return
    project = data.project
    humans = codings[~is_rule]
    try:
        # An empty codebook checks nothing (reliability's own rule).
        data.agreement = reliability(humans, project.segments, codebook=project.codebook)
    except ToolkitError as err:
        data.agreement_note = f"Agreement could not be worked out: {err.message}"


def _gather_energy(data: ReportData) -> None:
    from toolkit.analysis.energy.ranking import follow_the_energy
    from toolkit.analysis.energy.roles import introductions

    project = data.project
    if len(project.stakeholders):
        # Who can introduce whom works out the roles too: its notes name the champions.
        data.introductions = introductions(project.stakeholders, project.connections)
        data.energy_table = project.stakeholders
        data.champions = list(data.introductions.attrs.get("champions", []))
    if len(project.votes):
        try:
            data.ranking = follow_the_energy(project)
        except EnergyError as err:
            data.energy_notes.append(f"The ideas could not be ranked: {err.message}")
    if data.ranking is None and data.energy_table is None:
        data.energy_notes.append(
            "There is no energy data yet. Add stakeholders.csv, connections.csv and votes.csv "
            "from the workshop to see where the energy is."
        )


def quotes_of(data: ReportData, theme: str, limit: int = 3) -> list[Quote]:
    """Return up to ``limit`` quotes for a theme, each with who said it in safe words."""
    if data.quotes is None:
        return []
    chosen = data.quotes[data.quotes["theme"] == theme].head(limit)
    return [
        Quote(str(q), str(by) or "a participant")
        for q, by in zip(chosen["quote"], chosen["by"], strict=True)
    ]


def stakeholder_labels(table: pd.DataFrame, show_names: bool = False) -> dict[str, str]:
    """Return each stakeholder's name as the report shows it.

    With ``show_names``, the name.  Otherwise their job or role and their
    group ("ward sister, hospital staff"), or their group and a number
    ("patient 2") when the table has no job; a description two people
    share is numbered too.
    """
    names = [str(n) for n in table["stakeholder"]]
    if show_names:
        return {n: n for n in names}
    job_column = next(
        (c for c in ("job", "role", "role_given", "title", "position") if c in table), None
    )
    described = []
    for _, row in table.iterrows():
        job = str(row[job_column]).strip() if job_column else ""
        group = str(row.get("group", "") or "").strip()
        if job and group and job.lower() != group.lower():
            described.append(f"{job} ({group})")
        else:
            described.append(job or group or "stakeholder")
    counts = pd.Series(described).value_counts()
    seen: dict[str, int] = {}
    out = {}
    for name, words in zip(names, described, strict=True):
        if counts[words] > 1:
            seen[words] = seen.get(words, 0) + 1
            words = f"{words} {seen[words]}"
        out[name] = words[0].upper() + words[1:] if words else words
    return out
