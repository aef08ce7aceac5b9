"""Tallying a dot vote live in a workshop: the :class:`DotVote` widget and a plain bar list."""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any

import ipywidgets as widgets
import pandas as pd

from toolkit.docstrings import documented
from toolkit.errors import EnergyError
from toolkit.io.files import write_table
from toolkit.model.stakeholders import check_votes
from toolkit.present.widgets.common import PARAMETERS, NotebookWidget, capture_path, raw_table
from toolkit.tables import VOTES

__all__ = ["DotVote", "dot_bars_html"]


def dot_bars_html(votes: pd.DataFrame, items: list[str] | None = None) -> str:
    """Return a plain HTML bar list of dots per item: readable with no JavaScript.

    Examples
    --------
    >>> import pandas as pd
    >>> votes = pd.DataFrame({"participant": ["a", "b"], "item": ["Lifts", "Lifts"],
    ...                       "dots": [2, 1]})
    >>> "Lifts: 3 dots" in dot_bars_html(votes)
    True
    """
    totals = votes.groupby("item", sort=False)["dots"].sum() if len(votes) else pd.Series()
    items = list(dict.fromkeys([*(items or []), *totals.index]))
    top = max([int(totals.get(i, 0)) for i in items] + [1])
    rows = []
    for item in sorted(items, key=lambda i: -int(totals.get(i, 0))):
        dots = int(totals.get(item, 0))
        width = round(100 * dots / top)
        rows.append(
            '<div role="listitem" style="margin:2px 0">'
            f"<div>{html.escape(item)}: {dots} dot{'s' if dots != 1 else ''}</div>"
            f'<div style="background:#0072B2;height:12px;width:{width}%"></div></div>'
        )
    return '<div role="list" style="max-width:480px">' + "".join(rows) + "</div>"


@documented(
    PARAMETERS,
    items="The ideas to vote on (default: the items already in the file).",
    session="The session's label (default: today's date, as 2026-11-12).",
    dots_per_person="""
        How many dots each person has; the status line warns when someone
        uses more (it does not stop them).
    """,
)
class DotVote(NotebookWidget):
    """Tally a dot vote live: dots per idea for each participant, saved as you go.

    Pick (or type) a participant, then set their dots on each idea, or press
    **+** to add one.  Every change is written to ``votes.csv`` at once (a
    count of 0 removes the row), and the bar list below shows the totals for
    the session.

    {parameters}

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> vote = DotVote(folder, items=["Lifts", "Calls"], session="June")
    >>> vote.participant.value = "Ann"
    >>> vote.plus["Calls"].click()
    >>> vote.plus["Calls"].click()
    >>> print((folder / "votes.csv").read_text())
    participant,item,dots,session
    Ann,Calls,2,June
    <BLANKLINE>
    """

    def __init__(
        self,
        source: Any,
        items: list[str] | None = None,
        *,
        session: str | None = None,
        dots_per_person: int = 5,
    ) -> None:
        self.path = capture_path(source, "votes.csv")
        self._table = raw_table(self.path, VOTES.names, "votes")
        check_votes(self._table)  # refuse to start on a file with errors
        self.session = str(session) if session else date.today().isoformat()
        self.dots_per_person = dots_per_person
        known_items = list(dict.fromkeys(self._table["item"]))
        self.items = list(dict.fromkeys(str(i).strip() for i in (items or known_items)))
        if not self.items or not all(self.items):
            raise EnergyError(
                "expected a list of ideas to vote on, but found none",
                path=self.path,
                hint="pass items=['Welcome-home call', 'Transport home', ...]",
            )
        people = list(dict.fromkeys(p for p in self._table["participant"] if p))
        if hasattr(source, "stakeholders") and "stakeholder" in source.stakeholders:
            people = list(dict.fromkeys([*source.stakeholders["stakeholder"], *people]))
        self._loading = False
        self.participant = widgets.Combobox(
            options=people,
            placeholder="Type or pick a name",
            description="Participant",
            ensure_option=False,
        )
        self.counts = {
            item: widgets.BoundedIntText(value=0, min=0, max=99, layout={"width": "70px"})
            for item in self.items
        }
        self.plus = {
            item: widgets.Button(
                description="+", layout={"width": "40px"}, tooltip=f"One more dot on {item}"
            )
            for item in self.items
        }
        self.status = widgets.HTML()
        self.bars = widgets.HTML()
        self.participant.observe(lambda _: self._show(), names="value")
        for item in self.items:
            self.counts[item].observe(
                lambda change, item=item: self._changed(item, change), names="value"
            )
            self.plus[item].on_click(lambda _, item=item: self._add_one(item))
        rows = [widgets.HBox([self.counts[i], self.plus[i], widgets.Label(i)]) for i in self.items]
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<b>Dot vote: session {html.escape(self.session)}</b>"),
                self.participant,
                *rows,
                self.status,
                self.bars,
            ]
        )
        self._refresh()

    @property
    def table(self) -> pd.DataFrame:
        """The votes table as it is now (checked, with numbers)."""
        return check_votes(self._table)

    def _mine(self, who: str) -> pd.Series:
        table = self._table
        return (table["participant"] == who) & (table["session"] == self.session)

    def _show(self) -> None:
        who = str(self.participant.value or "").strip()
        mine = self._table[self._mine(who)]
        self._loading = True
        try:
            for item, box in self.counts.items():
                cells = mine.loc[mine["item"] == item, "dots"]
                box.value = int(sum(int(c or 0) for c in cells))
        finally:
            self._loading = False
        self._refresh()

    def _add_one(self, item: str) -> None:
        self.counts[item].value = min(self.counts[item].max, self.counts[item].value + 1)

    def _changed(self, item: str, change: dict) -> None:
        if self._loading:
            return
        who = str(self.participant.value or "").strip()
        here = self._mine(who) & (self._table["item"] == item)
        keep = self._table[~here]
        if change["new"] > 0:
            row = dict.fromkeys(self._table.columns, "")
            row.update(participant=who, item=item, dots=str(change["new"]), session=self.session)
            keep = pd.concat([keep, pd.DataFrame([row])], ignore_index=True)
        self._table = keep.reset_index(drop=True)
        self._table.attrs = {"path": str(self.path)}
        write_table(self._table, self.path)
        self._refresh(saved=item)

    def _refresh(self, saved: str | None = None) -> None:
        table = self.table
        here = table[table["session"] == self.session]
        self.bars.value = dot_bars_html(here, self.items)
        who = str(self.participant.value or "").strip()
        used = int(here.loc[here["participant"] == who, "dots"].sum())
        name = html.escape(who) if who else "Anonymous dots"
        text = f"{name}: {used} of {self.dots_per_person} dots used."
        if used > self.dots_per_person:
            text += f" That is {used - self.dots_per_person} more than each person has."
        if saved:
            text += f" Saved ({datetime.now():%H:%M:%S})."
        self.status.value = text
