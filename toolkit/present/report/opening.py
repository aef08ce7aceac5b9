"""The start of a board paper: the title block, the summary and who took part.

The summary is the team's own ``summary.md`` when they have written one;
otherwise a draft of highlights drawn from the analysis (the strongest
themes, the positive core, the ideas with most energy behind them), marked
clearly as a draft for the team to replace.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from toolkit.analysis.themes.options import NOT_RECORDED, UNITS
from toolkit.present import charts
from toolkit.present.report.blocks import Figure, Section, TitleBlock, and_list, day
from toolkit.present.report.gather import ReportData
from toolkit.present.report.labels import code_label
from toolkit.present.report.notice import privacy_notice

__all__ = ["draft_highlights", "people_by_group", "summary", "title_block", "who_took_part"]

DRAFT_NOTE = (
    "These highlights were drawn from the analysis by the toolkit. Replace them with "
    "the team's own key messages: write them in summary.md in the project folder and make "
    "the report again."
)


def title_block(data: ReportData, kind: str = "Report") -> TitleBlock:
    """Return the title block: name, purpose, date, team and what the data is."""
    project = data.project
    settings = project.settings or {}
    purpose = str(settings.get("purpose") or project.description or "").strip()
    team = settings.get("team") or ""
    if isinstance(team, (list, tuple)):
        team = and_list([str(t) for t in team])
    status_title, status, warning = privacy_notice(project)
    return TitleBlock(
        name=project.name,
        purpose=purpose,
        date=day(_dt.date.today()),
        team=str(team).strip(),
        status_title=status_title,
        status=status,
        warning=warning,
        kind=kind,
    )


def summary(data: ReportData) -> Section:
    """Return the summary: the team's key messages, or a clearly marked draft."""
    section = Section("summary", "Summary: key messages")
    if data.summary:
        return section.add("markdown", data.summary)
    section.add("draft", DRAFT_NOTE)
    return section.add("list", draft_highlights(data))


def draft_highlights(data: ReportData) -> list[str]:
    """Return three to five highlights from the analysis, in plain words."""
    noun = UNITS[data.unit]
    points = [f"{_people_sentence(data)}"]
    if data.has_themes:
        found = data.themes[data.themes["count"] > 0].head(3)
        named = [
            f"{code_label(t)} ({n} of {total})"
            for t, n, total in zip(found["theme"], found["count"], found["total"], strict=True)
        ]
        points.append(f"The themes raised by the most {noun}: {and_list(named)}.")
    core = data.core
    if core is not None:
        # Umbrella codes ("wishes", with a code under it for each wish) say little here.
        book = getattr(data.project.codebook, "table", None)
        if book is not None and "parent" in book.columns:
            core = core[~core["code"].isin(set(book["parent"]) - {""})]
        for side, words in (
            ("Strengths", "What works best"),
            ("Wishes", "What people wish for most"),
        ):
            part = core[(core["side"] == side) & (core["count"] > 0)].head(2)
            if len(part):
                points.append(f"{words}: {and_list([code_label(c) for c in part['code']])}.")
    if data.ranking is not None and len(data.ranking):
        top = data.ranking.head(3)
        points.append(
            "The ideas with most energy behind them: "
            + and_list([code_label(i) for i in top["item"]])
            + "."
        )
    if not data.has_themes:
        points.append("No interviews have been coded yet, so there are no themes to report.")
    return points


def _people_sentence(data: ReportData) -> str:
    people = len(data.people)
    text = f"{people} {'person' if people == 1 else 'people'} took part"
    if data.group:
        table = people_by_group(data.people, data.group)
        parts = [f"{n} {str(g).lower() if g != NOT_RECORDED else g}" for g, n in table.values]
        if 1 < len(parts) <= 6:
            text += ": " + and_list(parts)
    return text + "."


def people_by_group(people: pd.DataFrame, group: str) -> pd.DataFrame:
    """Return how many people took part in each group, largest first."""
    values = people[group].astype("string").fillna("").str.strip().replace("", NOT_RECORDED)
    counts = values.value_counts()
    table = counts.rename_axis(group.replace("_", " ").capitalize()).reset_index(name="People")
    return table.sort_values(["People", table.columns[0]], ascending=[False, True]).reset_index(
        drop=True
    )


def who_took_part(data: ReportData) -> Section:
    """Return who took part: one number, the same as every other section uses."""
    section = Section("who-took-part", "Who took part")
    project = data.project
    people = data.people
    words = _people_sentence(data)
    interviews = project.documents["interview_id"].nunique() if len(project.documents) else 0
    if interviews:
        words += (
            f" The project holds {interviews} interviews or survey answers, with "
            f"{len(project.segments):,} turns of speech in all."
        )
    if not data.show_names:
        words += " No names are shown in this report."
    section.add("p", words)
    if len(people) and data.group:
        table = people_by_group(people, data.group)
        chart = charts.participants_chart(
            people.assign(interview_id=range(len(people))), data.group
        )
        section.add("chart", Figure(chart, table, f"Who took part, by {data.group}"))
    return section
