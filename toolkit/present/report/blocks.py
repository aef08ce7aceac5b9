"""The pieces a report is made of: sections of blocks, figures, tables and quotes.

Every format (HTML, Word, Markdown) draws the same :class:`Report`: a title
block, then :class:`Section` objects in board-paper order, each a list of
blocks.  A block is a pair ``(kind, value)``:

==========  =====================================================================
kind        value
==========  =====================================================================
``p``       a paragraph (plain text)
``note``    a paragraph set apart (a caveat, or what is missing and how to add it)
``draft``   a paragraph marking what follows as a draft, to be replaced by the team
``h3``      a sub-heading
``list``    a list of plain-text items
``markdown`` the team's own Markdown (``summary.md``), comments removed
``chart``   a :class:`Figure`: a chart with the table of numbers behind it
``table``   a :class:`Table`
``quotes``  a list of :class:`Quote`
==========  =====================================================================

Examples
--------
>>> section = Section("themes", "Themes").add("p", "People spoke about waiting.")
>>> [kind for kind, _ in section.blocks]
['p']
>>> day(__import__("datetime").date(2026, 3, 3))
'3 March 2026'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import ProjectError

__all__ = [
    "Figure",
    "Quote",
    "Report",
    "Section",
    "Table",
    "TitleBlock",
    "and_list",
    "as_project",
    "day",
]


@dataclass
class Table:
    """A table to show as a native table: its rows and its caption."""

    data: pd.DataFrame
    caption: str


@dataclass
class Figure:
    """A chart, the table of numbers behind it, and its place in the report.

    ``number`` is given when the report is assembled (Figure 1, 2 ...); the
    appendix lists every figure's ``numbers`` table under the same number.
    """

    chart: Any
    numbers: pd.DataFrame
    title: str
    number: int = 0

    @property
    def anchor(self) -> str:
        """The id of the figure's numbers in the appendix."""
        return f"numbers-{self.number}"


@dataclass
class Quote:
    """A quote and who said it, in words safe to share (a pseudonym and group)."""

    text: str
    by: str


@dataclass
class Section:
    """One section of the report: a heading and its blocks, in order (see the module)."""

    id: str
    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def add(self, kind: str, value: Any) -> Section:
        """Add a block at the end; return the section, so calls can be chained."""
        self.blocks.append((kind, value))
        return self

    def figures(self) -> list[Figure]:
        """The section's figures, in order."""
        return [value for kind, value in self.blocks if kind == "chart"]


@dataclass
class TitleBlock:
    """What a board paper says before anything else.

    ``status`` says whether the data is fictional, pseudonymised or neither;
    ``warning`` is true when the report holds extracts that are not
    pseudonymised.
    """

    name: str
    purpose: str
    date: str
    team: str
    status_title: str
    status: str
    warning: bool
    kind: str = "Report"


@dataclass
class Report:
    """A whole report: its title block and its sections, ready to draw in any format."""

    title: TitleBlock
    sections: list[Section]
    audience: str = "team"

    def figures(self) -> list[Figure]:
        """Every figure in the report, in order."""
        return [f for s in self.sections for f in s.figures()]

    def number_figures(self) -> Report:
        """Number the figures 1, 2, 3 ... in order of appearance; return the report."""
        for number, figure in enumerate(self.figures(), start=1):
            figure.number = number
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


def and_list(items: list[str]) -> str:
    """Return ``"a, b and c"``.

    Examples
    --------
    >>> and_list(["a"]), and_list(["a", "b", "c"])
    ('a', 'a, b and c')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
