"""The ``report`` command: the board paper, or the participants' short version."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.common import open_project, path_option, project_argument
from toolkit.cli.errors import ToolkitCommand

__all__ = ["report"]


@click.command(cls=ToolkitCommand)
@project_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "docx", "md"]),
    default="html",
    show_default=True,
    help="html: one file to e-mail; docx: Word, with heading styles and native tables; "
    "md: Markdown with PNG charts.",
)
@click.option(
    "--for",
    "audience",
    type=click.Choice(["team", "participants"]),
    default="team",
    show_default=True,
    help="team: the full report; participants: a short, plain version in large type, with no "
    "statistics, for the people who took part (report-participants.html).",
)
@path_option(
    "--output",
    "Where to write it (default: DIR/output/report.html, .docx or .md, or report-participants.*).",
)
@click.option(
    "--coder",
    default=None,
    show_default="humans if any, else rules",
    help="Whose codings to count: 'humans' (all human coders merged), 'rules', 'all', or a name.",
)
@click.option(
    "--unit",
    type=click.Choice(["participants", "interviews", "segments"]),
    default="participants",
    show_default=True,
    help="What one count is: a person, an interview, or a segment.",
)
@click.option(
    "--show-names",
    is_flag=True,
    help="Show names: stakeholders', coders' and interviewers', and who said each quote. "
    "Share such a report only within the team.",
)
def report(
    project_dir: Path,
    fmt: str,
    audience: str,
    output: Path | None,
    coder: str | None,
    unit: str,
    show_names: bool,
) -> None:
    """Write the report for the project in DIR, ordered like a board paper.

    Key messages (DIR/summary.md, or a marked draft), who took part, the
    themes with quotes, where the energy is, what happens next
    (DIR/actions.csv), how it was done and its limits, and an appendix with
    the statistics and the numbers behind every chart.  The HTML file opens
    from an e-mail with no internet.  --for participants writes a short,
    plain version for the people who took part.
    """
    from toolkit.present.report.writer import report_advice, write_report

    project = open_project(project_dir)
    options = {"format": fmt, "audience": audience, "coder": coder, "unit": unit}
    target = write_report(project, output, show_names=show_names, **options)
    size = target.stat().st_size
    click.echo(
        f"Wrote {target} ({size / 1_000_000:.1f} MB)" if size > 100_000 else f"Wrote {target}"
    )
    for line in report_advice(project, audience=audience, show_names=show_names):
        click.echo(line)
