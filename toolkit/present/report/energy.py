"""Where the energy is: the ideas with most energy behind them, the champions, and introductions.

The follow-the-energy ranking is shown with each of its parts (dots,
interviews, champions), so a reader sees why an idea ranks where it does.
Stakeholders are described by their job and group, never by name, unless
the team asks for names (``show_names``).
"""

from __future__ import annotations

import pandas as pd

from toolkit.present import charts
from toolkit.present.report.blocks import Figure, Section
from toolkit.present.report.findings import chart_title
from toolkit.present.report.gather import ReportData, stakeholder_labels
from toolkit.present.report.labels import code_label

__all__ = ["energy_section", "introduction_sentences", "ranking_numbers"]

#: How many ideas the report ranks.
TOP_IDEAS = 10


def ranking_numbers(ranking: pd.DataFrame) -> pd.DataFrame:
    """Return the follow-the-energy ranking as a table a reader can follow."""
    table = ranking.head(TOP_IDEAS)
    return pd.DataFrame(
        {
            "Rank": table["rank"],
            "Idea": [code_label(i) for i in table["item"]],
            "Kind": table["frame"].replace("", "-"),
            "Dots": table["dots"],
            "Interviews": table["interviews"],
            "Champions": table["champions"],
            "From dots": table["from_dots"],
            "From interviews": table["from_interviews"],
            "From champions": table["from_champions"],
            "Score": table["score"],
        }
    ).reset_index(drop=True)


def introduction_sentences(data: ReportData) -> list[str]:
    """Return, for each influential person with low energy, who can bring them in."""
    found = data.introductions
    if found is None or found.empty:
        return []
    names = stakeholder_labels(data.energy_table, data.show_names)

    def who(name: str) -> str:
        label = names.get(str(name), str(name))
        if data.show_names:
            return label
        # "Ward sister (hospital staff)" -> "the ward sister (hospital staff)"; "GP ..." stays.
        lower = label[:1].lower() + label[1:] if label[1:2].islower() else label
        return "the " + lower

    def first(text: str) -> str:
        return text[:1].upper() + text[1:]

    out = []
    for row in found.itertuples(index=False):
        target = who(row.stakeholder)
        if not row.reachable:
            out.append(
                f"No champion is linked to {target}, even through others: find someone "
                "they trust and link them to a champion."
            )
        elif row.steps == 1:
            out.append(first(f"{who(row.champion)} already knows {target}: ask them to talk."))
        else:
            out.append(
                first(
                    f"{who(row.champion)} can ask {who(row.introducer)} to introduce them "
                    f"to {target}."
                )
            )
    return out


def energy_section(data: ReportData) -> Section:
    """Return where the energy is, or a one-line note when there is no energy data."""
    section = Section("energy", "Where the energy is")
    if data.ranking is None and data.energy_table is None:
        return section.add("note", " ".join(data.energy_notes))
    if data.ranking is not None and len(data.ranking):
        ranking = data.ranking
        weights = ranking.attrs.get("weights", {})
        section.add(
            "p",
            "The ideas with most energy behind them. Each idea's score adds three parts: the "
            "dots it got at the workshop, the interviews that raised it, and the champions "
            "linked to it. Each part is scaled so the idea with the most of it scores 1"
            + (
                ""
                if all(w == 1 for w in weights.values())
                else " (times its weight: "
                + ", ".join(f"{k} {v:g}" for k, v in weights.items())
                + ")"
            )
            + ".",
        )
        shown = ranking.assign(item=[code_label(i) for i in ranking["item"]])
        chart = charts.follow_the_energy_chart(shown, top=TOP_IDEAS)
        section.add("chart", Figure(chart, ranking_numbers(ranking), chart_title(chart)))
    else:
        section.add("note", " ".join(data.energy_notes) or "No votes yet, so no ideas are ranked.")
    if data.energy_table is not None:
        table = data.energy_table
        names = stakeholder_labels(table, data.show_names)
        chosen = set(data.champions)
        champions = [names[str(n)] for n in table["stakeholder"] if str(n) in chosen]
        section.add("h3", "Champions")
        if champions:
            section.add(
                "p",
                f"{len(champions)} of the {len(table)} people on the stakeholder map are "
                "champions: for the change, and with influence or many connections. They are "
                "the people to build on.",
            )
            section.add("list", champions)
        else:
            section.add(
                "p",
                "Nobody on the stakeholder map is a champion yet: no one is both for the "
                "change and has influence or many connections.",
            )
        sentences = introduction_sentences(data)
        section.add("h3", "Who can introduce whom")
        if sentences:
            section.add(
                "p",
                "People with influence whose energy is low or against the change, and the "
                "shortest chain of people who already know each other that links them to a "
                "champion.",
            )
            section.add("list", sentences)
        else:
            section.add(
                "p",
                "Everyone with high influence on the map is already for the change, so no "
                "introductions are needed.",
            )
    if data.show_names is False:
        section.add(
            "note",
            "People are described by their job and group. To show names, make the report "
            "with --show-names, and share it only within the team.",
        )
    return section
