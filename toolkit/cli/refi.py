"""The ``refi`` commands: move projects to and from NVivo, ATLAS.ti, MAXQDA and QualCoder.

``codesign-toolkit refi import FILE.qdpx DIR`` and ``refi export DIR FILE.qdpx``
call :func:`~toolkit.refi.reader.read_qdpx` and :func:`~toolkit.refi.writer.write_qdpx`
and print what carried over and what did not (for an export,
:func:`~toolkit.refi.writer.qdpx_carry_over`).  Like the rest of
:mod:`toolkit.cli`, this imports neither pandas nor altair until a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.cli.errors import ToolkitGroup, fresh_folder, grouped

__all__ = ["echo_report", "refi"]


def echo_report(report: Any) -> None:
    """Print a REFI report: what carried over, what was converted, what did not."""
    sections = [
        ("Carried over", ("ok",)),
        ("Converted", ("converted",)),
        ("Warnings", ("warning",)),
        ("Not carried over", ("not carried", "skipped")),
    ]
    for title, statuses in sections:
        rows = report[report["status"].isin(statuses)]
        if rows.empty:
            continue
        click.echo(f"{title}:")
        # The same message about many files is one line, with a count and the first names.
        for line in grouped(zip(rows["file"], rows["detail"], strict=True)):
            click.echo(f"  - {line}")


@click.group(cls=ToolkitGroup)
def refi() -> None:
    """Move projects to and from NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA .qdpx files).

    'refi import' turns a .qdpx file from another tool into a project folder;
    'refi export' writes a project folder as a .qdpx file the other tools open.
    Each prints what carried over and what did not.
    """


@refi.command("import")
@click.argument("qdpx_file", metavar="FILE.qdpx", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("project_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Write into DIR even if it already has files.")
@click.option(
    "--positions",
    type=click.Choice(["auto", "standard"]),
    default="auto",
    show_default=True,
    help="'auto' detects how the other tool counted positions; 'standard' trusts the file.",
)
def refi_import(qdpx_file: Path, project_dir: Path, overwrite: bool, positions: str) -> None:
    """Import FILE.qdpx (a REFI-QDA project from another tool) into a new project folder DIR.

    Codes, coders, documents, codings, cases and notes carry over; positions
    are checked and converted where the other tool counted differently.  The
    report is also saved as DIR/output/refi-import-report.csv.
    """
    from toolkit.io.files import write_table
    from toolkit.model.project import save_project
    from toolkit.refi.reader import read_qdpx

    project = read_qdpx(qdpx_file, positions=positions)
    with fresh_folder(project_dir):
        save_project(project, project_dir, overwrite=overwrite)
        write_table(project.report, project_dir / "output" / "refi-import-report.csv")
    click.echo(f"Imported {qdpx_file.name} into {project_dir}: {project!r}")
    echo_report(project.report)


@refi.command("export")
@click.argument("project_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.argument("qdpx_file", metavar="FILE.qdpx", type=click.Path(dir_okay=False, path_type=Path))
def refi_export(project_dir: Path, qdpx_file: Path) -> None:
    """Export the project in DIR as FILE.qdpx for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    What REFI-QDA cannot carry (coding rules, energy data) stays in DIR; the
    report says what.  The project's settings travel in a project note, so
    'refi import' of the file restores them.
    """
    from toolkit.model.project import open_project
    from toolkit.refi.writer import qdpx_carry_over, write_qdpx

    project = open_project(project_dir)
    write_qdpx(project, qdpx_file)
    click.echo(f"Exported {project_dir} to {qdpx_file}")
    echo_report(qdpx_carry_over(project))
