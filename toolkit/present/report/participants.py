"""The participants' version: what we heard and what happens next, in plain words.

People who gave their stories get something back: a short page (at most
:data:`MAX_WORDS` words) in large type, with no statistics, that thanks them,
says what we heard, and what happens next.  It quotes people only when the
project is pseudonymised; otherwise it says that no one is quoted.  Counts
become words ("most people", "many people", "some people").
"""

from __future__ import annotations

import datetime as _dt
import re

from toolkit.present.report.blocks import Quote, Report, Section, TitleBlock, and_list, day
from toolkit.present.report.gather import ReportData, quotes_of
from toolkit.present.report.labels import code_label
from toolkit.present.report.opening import people_by_group

__all__ = ["MAX_WORDS", "participants_report", "word_count"]

#: The participants' version is at most this many words long.
MAX_WORDS = 1200


def word_count(report: Report) -> int:
    """Return how many words a report's text holds (headings, paragraphs, lists, quotes)."""
    texts = [report.title.name, report.title.kind, report.title.status_title, report.title.status]
    for section in report.sections:
        texts.append(section.title)
        for kind, value in section.blocks:
            if kind in ("p", "note", "h3", "draft", "markdown"):
                texts.append(str(value))
            elif kind == "list":
                texts += [str(v) for v in value]
            elif kind == "quotes":
                texts += [f"{q.text} {q.by}" for q in value]
    return sum(len(re.findall(r"\w+(?:['’-]\w+)*", t)) for t in texts)


def _how_many(count: int, total: int) -> str:
    share = count / total if total else 0
    if share > 0.5:
        return "Most people"
    if share >= 0.3:
        return "Many people"
    return "Some people"


def _lower(label: str) -> str:
    """'Welcome home call' -> 'welcome home call'; 'GP access' stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _title(data: ReportData) -> TitleBlock:
    settings = data.project.settings or {}
    if data.pseudonymised:
        status_title = "Names have been changed."
        status = "We changed names and other details, so no one can tell who said what."
    else:
        status_title = "No one is quoted here."
        status = "We keep what you told us private, so this summary quotes no one."
    if data.fictional:
        status += " This project is made up, for teaching: the people in it are not real."
    team = settings.get("team") or ""
    if isinstance(team, (list, tuple)):
        team = and_list([str(t) for t in team])
    return TitleBlock(
        name=data.project.name,
        purpose="",
        date=day(_dt.date.today()),
        team=str(team),
        status_title=status_title,
        status=status,
        warning=False,
        kind="What we heard: a summary for the people who took part",
    )


def _who(data: ReportData) -> Section:
    section = Section("who", "Who we heard from")
    people = len(data.people)
    words = f"We heard from {people} {'person' if people == 1 else 'people'}"
    if data.group:
        groups = [_lower(str(g)) for g in people_by_group(data.people, data.group).iloc[:, 0]]
        groups = [g for g in groups if g and g != "(not recorded)"]
        if 1 < len(groups) <= 10:
            words += ": " + and_list(groups)
    return section.add("p", words + ".")


def _heard(data: ReportData, themes: int, quotes: bool) -> Section:
    section = Section("heard", "What we heard")
    if not data.has_themes:
        return section.add(
            "p", "We are still reading what people told us. We will share what we heard soon."
        )
    section.add("p", "These are the things people talked about most.")
    codes = data.codes
    for name, count, total in (
        data.themes[data.themes["count"] > 0][["theme", "count", "total"]].head(themes).values
    ):
        section.add("h3", code_label(name))
        words = f"{_how_many(count, total)} talked about this."
        inside = codes[(codes["theme"] == name) & (codes["count"] > 0)].head(3)
        if len(inside) > 1:
            named = [_lower(code_label(c)) for c in inside["code"]]
            words += f" They spoke about {and_list(named)}."
        section.add("p", words)
        if quotes:
            chosen = quotes_of(data, name, limit=1)
            if chosen:
                # Who said it stays out: a group and an id mean nothing to a reader here.
                section.add("quotes", [Quote(chosen[0].text, "someone who took part")])
    return section


def _energy(data: ReportData) -> Section | None:
    if data.ranking is None or data.ranking.empty:
        return None
    voted = data.ranking[data.ranking["dots"] > 0]
    if voted.empty:
        return None
    ideas = [code_label(i) for i in voted["item"].head(3)]
    section = Section("ideas", "The ideas with most support")
    section.add("p", "At the workshop, people gave the most support to these ideas:")
    return section.add("list", ideas)


def _next(data: ReportData, limit: int) -> Section:
    section = Section("next", "What happens next")
    actions = data.actions
    if actions is None or actions.empty:
        return section.add(
            "p",
            "The team is now planning what to do. We will write to you again to tell you "
            "what we have done.",
        )
    section.add("p", "You told us what matters. This is what we are doing about it.")
    items = []
    for said, did, owner, when in (
        actions[["you_said", "we_did", "owner", "by_when"]].head(limit).values
    ):
        text = f"You said: {said.rstrip('.')}." if said else ""
        if did:
            text += f" We did: {did.rstrip('.')}."
        if owner or when:
            text += " (" + ", ".join(p for p in (owner, f"by {when}" if when else "") if p) + ")"
        items.append(text.strip())
    section.add("list", items)
    if len(actions) > limit:
        section.add("p", "There is more. Ask the team for the full list.")
    return section


def _thanks(data: ReportData) -> Section:
    section = Section("thanks", "Thank you")
    section.add(
        "p",
        "Thank you for taking part. You gave us your time and your stories. This is what we "
        "heard, and what we are doing about it.",
    )
    return section


def _questions(data: ReportData) -> Section:
    contact = str((data.project.settings or {}).get("contact") or "").strip()
    section = Section("questions", "Questions")
    if contact:
        return section.add("p", f"If you have a question, please contact {contact}.")
    return section.add("p", "If you have a question, please ask the person who talked with you.")


def participants_report(data: ReportData) -> Report:
    """Return the participants' version of the report (see the module)."""
    quotes = data.pseudonymised
    for themes, actions, with_quotes in ((5, 8, quotes), (4, 6, False), (3, 4, False)):
        sections = [_thanks(data), _who(data), _heard(data, themes, with_quotes)]
        energy = _energy(data)
        if energy is not None:
            sections.append(energy)
        sections += [_next(data, actions), _questions(data)]
        report = Report(_title(data), sections, audience="participants")
        if word_count(report) <= MAX_WORDS:
            break
    return report
