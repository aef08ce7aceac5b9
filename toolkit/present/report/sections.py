"""What the report holds, in board-paper order, built from the project's tables.

:func:`build_report` works everything out (see
:func:`~toolkit.present.report.gather.gather`) and returns a
:class:`~toolkit.present.report.blocks.Report` without writing anything; the
format modules (:mod:`.html`, :mod:`.docx`, :mod:`.markdown`) draw it.  The
order is a board paper's:

1. the title block (name, purpose, date, team, what the data is);
2. **Summary**: the team's ``summary.md``, or a draft of highlights;
3. **Who took part**: one number, used in every section;
4. **What we heard**: the themes with their quotes;
5. **Where the energy is**: the follow-the-energy ranking, champions, introductions;
6. **What happens next**: the team's ``actions.csv``;
7. **How we did it**, and its limits;
8. **Appendix**: agreement, which themes go together, group statistics and
   the numbers behind every chart.

The report never shows participants' names unless asked (``show_names``):
people are counted by group, quotes carry a participant id or pseudonym and
group, and stakeholders are described by job and group.
"""

from __future__ import annotations

from typing import Any

from toolkit.docstrings import documented
from toolkit.present.report.appendix import add_numbers, appendix
from toolkit.present.report.blocks import Report, Section, as_project
from toolkit.present.report.choices import PARAMETERS, ReportChoices
from toolkit.present.report.closing import method_section, next_steps
from toolkit.present.report.energy import energy_section
from toolkit.present.report.findings import themes_section
from toolkit.present.report.gather import gather
from toolkit.present.report.opening import summary, title_block, who_took_part

__all__ = ["build_report", "report_sections", "team_report"]


@documented(PARAMETERS)
def build_report(
    project: Any,
    *,
    coder: Any = None,
    unit: str = "participants",
    group: str = "group",
    top: int = 5,
    strengths: Any = None,
    wishes: Any = None,
    show_names: bool = False,
) -> Report:
    """Build the team's report (every section, chart and table) without writing anything.

    {parameters}

    Returns
    -------
    Report
        Its sections in board-paper order (see the module), figures numbered.

    Examples
    --------
    >>> import toolkit as tk
    >>> report = build_report(tk.sample_project())
    >>> [s.id for s in report.sections]
    ['summary', 'who-took-part', 'themes', 'energy', 'next', 'method', 'appendix']
    """
    choices = ReportChoices(coder, unit, group, top, strengths, wishes, show_names)
    return team_report(as_project(project), choices)


def team_report(project: Any, choices: ReportChoices) -> Report:
    """Build the team's report of a Project with the ``choices`` made (see :func:`build_report`)."""
    data = gather(project, choices)
    sections = [
        summary(data),
        who_took_part(data),
        themes_section(data, top=choices.top),
        energy_section(data),
        next_steps(data),
        method_section(data),
    ]
    back = appendix(data)
    report = Report(title_block(data), [*sections, back]).number_figures()
    add_numbers(report, back)
    return report


def report_sections(project: Any, **options: Any) -> list[Section]:
    """Return the report's sections (see :func:`build_report`, which takes the same options).

    Examples
    --------
    >>> import toolkit as tk
    >>> [s.id for s in report_sections(tk.sample_project())][:2]
    ['summary', 'who-took-part']
    """
    return build_report(project, **options).sections
