"""What a report counts and shows: the choices, made once and passed down whole.

:func:`~toolkit.present.report.sections.build_report` and
:func:`~toolkit.present.report.writer.write_report` take the same keywords
(``coder``, ``unit``, ``group``, ``top``, ``strengths``, ``wishes``,
``show_names``).  Each turns them into one :class:`ReportChoices` and passes
that on, so the keywords are listed once in each public signature and
nowhere else; :data:`PARAMETERS` describes them once for both docstrings.

Examples
--------
>>> choices = ReportChoices(unit="interviews", show_names=True)
>>> choices.top, choices.for_participants().show_names
(5, False)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["PARAMETERS", "ReportChoices"]

#: The descriptions of the report's parameters, for :func:`toolkit.docstrings.documented`.
PARAMETERS = {
    "project": "A Project, or the path of a project folder.",
    "coder": """
        Whose codings to count: ``None`` (the human coders if there are any,
        otherwise the codebook's rules), ``"humans"``, ``"rules"``, ``"all"``,
        or a coder's name or a list of names.
        """,
    "unit": """
        What one count is: ``"participants"`` (people), ``"interviews"`` or
        ``"segments"`` (singular or plural).
        """,
    "group": "The participants column to describe who took part by.",
    "top": "How many themes get their own part, with their codes and quotes.",
    "strengths, wishes": "Theme names for the positive core (guessed from the names if not given).",
    "show_names": """
        Show stakeholders' and coders' names, and let quotes name who said
        them.  Off by default: share a report with names only within the team.
        """,
}


@dataclass(frozen=True)
class ReportChoices:
    """What a report counts and shows (each field is described in :data:`PARAMETERS`).

    The fields are in the order of the public functions' keywords, with
    their defaults, so ``ReportChoices(coder, unit, group, top, strengths,
    wishes, show_names)`` builds it from them (the tests check that the
    signatures and the fields agree).
    """

    coder: Any = None
    unit: str = "participants"
    group: str = "group"
    top: int = 5
    strengths: Any = None
    wishes: Any = None
    show_names: bool = False

    def for_participants(self) -> ReportChoices:
        """The choices for the participants' version: never names, and no positive core."""
        return dataclasses.replace(self, show_names=False, strengths=None, wishes=None)
