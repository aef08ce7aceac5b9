"""The end of a board paper: what happens next, and how we did it (with its limits)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

from toolkit.analysis.agreement.reliability import ALL_CODES
from toolkit.analysis.themes.options import UNITS
from toolkit.present.report.blocks import Section, Table, day
from toolkit.present.report.gather import ReportData

__all__ = ["action_table", "limits", "method_section", "next_steps"]

_ONE = {"participants": "person", "interviews": "interview", "segments": "segment"}
#: Groups smaller than this are called small in the limits.
SMALL_GROUP = 5


def action_table(actions: pd.DataFrame) -> pd.DataFrame:
    """Return actions.csv as the report's table: You said, We did, Who, By when (and Status)."""
    table = actions.rename(
        columns={
            "you_said": "You said",
            "we_did": "We did",
            "owner": "Who",
            "by_when": "By when",
            "status": "Status",
        }
    )
    if not table["Status"].str.strip().any():
        table = table.drop(columns="Status")
    return table.reset_index(drop=True)


def next_steps(data: ReportData) -> Section:
    """Return what happens next: the team's actions.csv, or how to add it."""
    section = Section("next", "What happens next")
    if data.actions is None or data.actions.empty:
        return section.add(
            "note",
            "The team has not yet written what happens next. Add actions.csv to the project "
            "folder (columns: you_said, we_did, owner, by_when; the starter in templates/ has "
            "them) and make the report again.",
        )
    section.add(
        "p",
        "What people told us, what we did or will do about it, who is doing it and by when.",
    )
    return section.add("table", Table(action_table(data.actions), "You said, we did"))


def limits(data: ReportData) -> list[str]:
    """Return the limits of the work, in plain words, each a sentence or two."""
    noun = UNITS[data.unit]
    out = [
        "The people who took part chose to. They may not speak for everyone who uses or "
        "runs the service, and the people hardest to reach are often missing.",
        f"Counts show how many {noun} raised a theme, not how strongly they felt about it, and "
        "not whether everyone else would agree.",
    ]
    if data.coder.startswith("the codebook's rules") or "rule" in data.coder:
        out.append(
            "The codings counted were made by the codebook's rules. Rules find the plain cases "
            "and miss the subtle ones: read the quotes, and check a sample by hand."
        )
    if len(data.coders) == 1:
        out.append(
            "One person coded the interviews, so there is no check of how far two coders agree."
        )
    if data.agreement is not None and "alpha" in data.agreement.columns:
        scored = data.agreement[data.agreement["code"] != ALL_CODES]
        weak = scored[scored["alpha"] < 0.667]
        if len(weak):
            out.append(
                f"The coders agreed too little on {len(weak)} of {len(scored)} codes (alpha "
                "below 0.667; see the appendix): findings that rest on those codes are "
                "tentative until the codes are sharpened."
            )
    if data.group is not None and len(data.people):
        sizes = data.people[data.group].astype("string").fillna("").value_counts()
        small = [str(g) or "not recorded" for g, n in sizes.items() if n < SMALL_GROUP]
        if small:
            out.append(
                f"Some groups are small (fewer than {SMALL_GROUP} people: "
                + ", ".join(small[:6])
                + (" and more" if len(small) > 6 else "")
                + "), so differences between groups are a guide, not proof."
            )
    if data.ranking is not None or data.energy_table is not None:
        out.append(
            "The stakeholder map and the votes are the view of those at the workshop on the "
            "day; energy changes, so map it again as the work goes on."
        )
    return out


def method_section(data: ReportData) -> Section:
    """Return how we did it, and its limits, in plain words."""
    section = Section("method", "How we did it")
    for paragraph in _method_paragraphs(data):
        section.add("p", paragraph)
    section.add("h3", "Its limits")
    return section.add("list", limits(data))


def _method_paragraphs(data: ReportData) -> list[str]:
    """Return how we did it, a paragraph each, leaving out what does not apply."""
    from toolkit import __version__

    dates = _date_range(data.project)
    rules = (
        f"The codebook's rules made {data.rule_codings:,} codings ('codesign-toolkit code'); "
        "they are counted only where the report says so."
    )
    counted = (
        f"Counted: codings by {data.coder}. A code counts once per {_ONE[data.unit]}, "
        "however often it was applied."
    )
    paragraphs = [
        _codebook_words(data.project.codebook),
        _coders_words(data),
        rules if data.rule_codings else "",
        data.codings_note,
        counted if data.themes is not None else "",
        data.interviewers_note,
        f"The interviews took place from {dates}." if dates else "",
        "Quotes are pseudonymised: names and details that could identify people were replaced."
        if data.pseudonymised
        else "The quotes have not been pseudonymised: see the notice at the top.",
        f"Written on {day(_dt.date.today())} by codesign-toolkit {__version__}, on the "
        "team's own computer: no data was sent anywhere to make it.",
    ]
    return [paragraph for paragraph in paragraphs if paragraph]


def _codebook_words(book: Any) -> str:
    """The codebook's size and where its definitions are, or "" without one."""
    table = getattr(book, "table", book)
    if not (isinstance(table, pd.DataFrame) and "code" in table.columns and len(table)):
        return ""
    themes = table["theme"].replace("", pd.NA).nunique() if "theme" in table else 0
    return (
        f"We coded what people said with a codebook of {len(table)} codes in {themes} "
        "themes (codebook.yml in the project folder holds each code's definition, with "
        "what to include and leave out)."
    )


def _coders_words(data: ReportData) -> str:
    """Who coded by hand (their names only with ``show_names``), or "" if no one did."""
    count = len(data.coders)
    if not count:
        return ""
    if data.show_names:
        who, each = f"Coders: {', '.join(data.coders)}", ", each coding on their own."
    else:
        who = f"{count} {'person' if count == 1 else 'people'} coded the interviews by hand"
        each = ", each on their own."
    return who + (each if count > 1 else ".")


def _date_range(project) -> str:
    participants = project.participants
    columns = [c for c in participants.columns if "date" in c.lower()]
    for column in columns:
        values = participants[column].astype("string").fillna("").str.strip()
        dates = pd.to_datetime(values[values != ""], errors="coerce", format="ISO8601").dropna()
        if len(dates):
            first, last = dates.min(), dates.max()
            return day(first) if first == last else f"{day(first)} to {day(last)}"
    return ""
