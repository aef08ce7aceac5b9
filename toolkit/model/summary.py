"""A project or a codebook at a glance.

:func:`project_summary` gives a project's name, description and how many rows
each of its tables has: what ``codesign-toolkit info DIR`` prints.
:func:`codebook_summary` gives a codebook's codes by theme and how many rules
it has: what ``codesign-toolkit codebook check FILE`` prints.

Examples
--------
>>> import toolkit as tk
>>> summary = tk.project_summary(tk.sample_project())
>>> summary.counts["interviews"], summary.counts["stakeholders"]
(48, 24)
>>> summary.counts["people"], summary.counts["rule codings"]
(48, 0)
>>> [line for line in str(summary).splitlines() if "votes" in line]
['  votes              82']
>>> codebook = tk.codebook_summary(tk.sample_project_path() / "codebook.yml")
>>> codebook.codes, codebook.themes[:2]
(23, ['Peak experiences', 'What people value'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.model.codebook import as_codebook, read_codebook
from toolkit.model.people import who_spoke
from toolkit.model.project import open_project

__all__ = [
    "SUMMARY_TABLES",
    "CodebookSummary",
    "ProjectSummary",
    "codebook_summary",
    "project_summary",
]

#: Each line of the summary: the word shown and the Project attribute counted.
SUMMARY_TABLES = {
    "interviews": "documents",
    "segments": "segments",
    "participants": "participants",
    "people": "people",
    "codings": "human_codings",
    "rule codings": "rule_codings",
    "stakeholders": "stakeholders",
    "connections": "connections",
    "votes": "votes",
}


@dataclass(frozen=True)
class ProjectSummary:
    """A project's name, description and the number of rows of each of its tables.

    ``str(summary)`` is the text ``codesign-toolkit info`` prints.
    """

    name: str
    description: str = ""
    path: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)
    coders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [self.name]
        if self.description:
            lines.append(self.description)
        for label, count in self.counts.items():
            line = f"  {label:<13} {count:>7,}"
            if label == "codings" and self.coders:
                line += f"  by {', '.join(self.coders)}"
            elif label == "people":
                line += "  who took part (not interviewers): what reports count"
            elif label == "rule codings" and count:
                line += (
                    "  by the codebook's rules (report --coder rules, agreement --include-rules)"
                )
            lines.append(line)
        lines += self.notes
        return "\n".join(lines)


def project_summary(project: Any) -> ProjectSummary:
    """Summarise a project: its interviews, people, codings (people's and rules') and energy data.

    ``people`` counts who took part, as the reports do (see
    :func:`toolkit.model.people.people_taking_part`); the notes say who was
    treated as an interviewer and why, and warn about speakers participants.csv
    does not describe and about a rules' codings file that is out of date.

    Parameters
    ----------
    project
        A :class:`~toolkit.model.project.Project`, or the path of a project folder.

    Raises
    ------
    ProjectError
        When ``project`` is a path that is not a project folder.
    """
    if not hasattr(project, "documents"):
        project = open_project(project)
    who = who_spoke(project)
    counts = {}
    for label, attribute in SUMMARY_TABLES.items():
        table = who.people if attribute == "people" else getattr(project, attribute)
        counts[label] = 0 if table is None else len(table)
    humans = project.human_codings
    coders = sorted(set(humans["coder"].astype(str).str.strip()) - {""})
    notes = []
    if len(project.segments):
        notes += [who.interviewers.sentence, *who.interviewers.warnings]
    report = getattr(project, "report", None)
    if report is not None and len(report) and "status" in report.columns:
        warned = report[(report["status"] == "warning") & (report["kind"] == "codings")]
        notes += [str(d) for d in warned["detail"]]
    return ProjectSummary(
        name=str(project.name),
        description=str(project.description or ""),
        path=project.path,
        counts=counts,
        coders=coders,
        notes=notes,
    )


@dataclass(frozen=True)
class CodebookSummary:
    """A codebook's codes by theme and how many rules of each kind it has.

    ``str(summary)`` is the text ``codesign-toolkit codebook check`` prints.
    """

    path: Path | None = None
    codes: int = 0
    keywords: int = 0
    regex: int = 0
    vetoes: int = 0
    by_theme: dict[str, list[str]] = field(default_factory=dict)

    @property
    def themes(self) -> list[str]:
        """The themes, in codebook order (codes with no theme are under ``""``, not counted)."""
        return [theme for theme in self.by_theme if theme]

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path is not None else ""
        lines = [
            f"{where}OK. {self.codes} codes in {len(self.themes)} themes; "
            f"{self.keywords} keywords, {self.regex} regular expressions, "
            f"{self.vetoes} 'not' phrases."
        ]
        for theme, names in self.by_theme.items():
            lines.append(f"  {theme or '(no theme)'}: {', '.join(names)}")
        return "\n".join(lines)


def codebook_summary(codebook: Any) -> CodebookSummary:
    """Check a codebook and summarise it: its codes by theme and its rules.

    Parameters
    ----------
    codebook
        The path of a codebook file (``.yml`` or ``.csv``), which is read and
        checked, or a codebook (see :func:`toolkit.model.codebook.as_codebook`).

    Raises
    ------
    CodebookError
        For a codebook file with a problem: the message gives its line (or row)
        and how to fix it.
    """
    path = None
    if isinstance(codebook, (str, Path)):
        path = Path(codebook)
        book = read_codebook(path)
    else:
        book = as_codebook(codebook)
    by_theme = {t: [c for c in book.codes if book.theme_of(c) == t] for t in book.themes}
    loose = [c for c in book.codes if not book.theme_of(c)]
    if loose:
        by_theme[""] = loose
    return CodebookSummary(
        path=path,
        codes=len(book),
        keywords=sum(len(c.keywords) for c in book),
        regex=sum(len(c.regex) for c in book),
        vetoes=sum(len(c.veto) for c in book),
        by_theme=by_theme,
    )
