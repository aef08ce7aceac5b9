"""Write the report a team sends back: HTML to e-mail, Word to circulate, Markdown to edit.

Examples
--------
>>> import tempfile, pathlib, toolkit as tk
>>> out = tk.write_report(tk.sample_project(), pathlib.Path(tempfile.mkdtemp()) / "r.html")
>>> "<script>" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.docstrings import documented
from toolkit.errors import ToolkitError
from toolkit.io.files import atomic_write
from toolkit.present.report.blocks import as_project
from toolkit.present.report.choices import PARAMETERS, ReportChoices
from toolkit.present.report.gather import gather
from toolkit.present.report.participants import participants_report
from toolkit.present.report.sections import team_report
from toolkit.wording import did_you_mean

__all__ = ["AUDIENCES", "REPORT_FORMATS", "report_advice", "report_path", "write_report"]

#: The formats :func:`write_report` writes.
REPORT_FORMATS = ("html", "docx", "md")
#: Who a report is for: the team (the full report) or the people who took part.
AUDIENCES = ("team", "participants")


def report_path(project: Any, format: str = "html", audience: str = "team") -> Path:
    """Return where a report goes by default: ``output/report.html`` (or ``.docx``, ``.md``).

    The participants' version is ``output/report-participants.html`` (and so on).
    """
    stem = "report" if audience == "team" else "report-participants"
    return project.output_dir / f"{stem}.{format}"


@documented(
    PARAMETERS,
    path="""
        Where to write it (default: ``output/report.<format>``, or
        ``output/report-participants.<format>``, in the project folder).
        """,
    format="""
        ``"html"``, ``"docx"`` (Word: heading styles, native tables, charts as
        pictures with alt text) or ``"md"`` (Markdown, with the charts as PNG
        files in a ``report-charts`` folder beside it, linked relatively).
        """,
    audience='``"team"`` (the full report) or ``"participants"``.',
)
def write_report(
    project: Any,
    path: str | Path | None = None,
    format: str = "html",
    *,
    audience: str = "team",
    coder: Any = None,
    unit: str = "participants",
    group: str = "group",
    top: int = 5,
    strengths: Any = None,
    wishes: Any = None,
    show_names: bool = False,
) -> Path:
    """Write the report a team sends back, ordered like a board paper.

    The team's report opens with a title block and the key messages
    (``summary.md``, or a marked draft), then who took part, the themes
    with quotes, where the energy is, what happens next (``actions.csv``),
    how it was done and its limits, and an appendix with the statistics and
    the numbers behind every chart (see
    :func:`~toolkit.present.report.sections.build_report`).  The
    participants' version (``audience="participants"``) is short and plain,
    in large type, with no statistics, and quotes people only when the
    project is pseudonymised.

    The HTML report is one file that opens anywhere, with no internet: the
    chart script, the styles and each chart's data are inside it.  It says
    clearly that it contains pseudonymised interview extracts, or, when the
    project has not been pseudonymised (``pseudonymised: true`` in
    ``project.yml``), warns to pseudonymise before sharing.

    {parameters}

    Returns
    -------
    pathlib.Path
        The report written.
    """
    if format not in REPORT_FORMATS:
        raise ToolkitError(
            f"expected the report format 'html', 'docx' or 'md', but found {format!r}"
            + did_you_mean(format, REPORT_FORMATS),
            hint="use 'html' for a file to e-mail, 'docx' for Word, 'md' to edit as text",
        )
    if audience not in AUDIENCES:
        raise ToolkitError(
            f"expected the report to be for 'team' or 'participants', but found {audience!r}"
            + did_you_mean(audience, AUDIENCES),
            hint="use 'participants' for the short, plain version for the people who took part",
        )
    project = as_project(project)
    target = Path(path) if path is not None else report_path(project, format, audience)
    choices = ReportChoices(coder, unit, group, top, strengths, wishes, show_names)
    if audience == "participants":
        report = participants_report(gather(project, choices.for_participants()))
    else:
        report = team_report(project, choices)
    if format == "html":
        from toolkit.present.report.html import render_html

        return atomic_write(target, render_html(report))
    if format == "docx":
        from toolkit.present.report.docx import render_docx

        return atomic_write(target, render_docx(report))
    from toolkit.present.report.markdown import render_markdown

    return atomic_write(target, render_markdown(report, target))


def report_advice(project: Any, *, audience: str = "team", show_names: bool = False) -> list[str]:
    """Return what a team should know about the report just written, a line each.

    Whether there are codings, whether the summary is still a draft and
    ``actions.csv`` missing, and whether the project is pseudonymised (the
    team's report warns; the participants' version then quotes no one).

    Examples
    --------
    >>> import toolkit as tk
    >>> report_advice(tk.sample_project())[0].startswith("The summary is a draft")
    True
    """
    from toolkit.present.report.actions import read_actions
    from toolkit.present.report.summary import read_summary

    project = as_project(project)
    folder = project.path
    lines = []
    if project.codings is None or project.codings.empty:
        lines.append("There are no codings yet, so the report has no themes: code some interviews.")
    pseudonymised = (project.settings or {}).get("pseudonymised") is True
    if audience == "team":
        if folder is None or not read_summary(folder / "summary.md"):
            where = "summary.md" if folder is None else folder / "summary.md"
            lines.append(
                f"The summary is a draft of highlights: write your key messages in {where} "
                "to replace it."
            )
        if folder is None or read_actions(folder / "actions.csv") is None:
            where = "actions.csv" if folder is None else folder / "actions.csv"
            lines.append(f"No {where} yet, so 'What happens next' says how to add it.")
        if not pseudonymised:
            lines.append(
                "Warning: this project is not pseudonymised, so the quotes may identify people. "
                f"Run 'codesign-toolkit anonymise {folder or 'DIR'} OUT' and report from OUT "
                "before sharing."
            )
    elif not pseudonymised:
        lines.append(
            "It quotes no one, because the project is not pseudonymised (set 'pseudonymised: "
            "true' in project.yml only once every transcript has been pseudonymised)."
        )
    if show_names and audience == "team":
        lines.append("It shows names (--show-names): share it only within the team.")
    elif show_names:
        lines.append("The participants' version never shows names, so --show-names was ignored.")
    return lines
