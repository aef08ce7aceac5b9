"""The commands that start and describe a project: ``new`` and ``info``."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.common import project_argument
from toolkit.cli.errors import ToolkitCommand, fresh_folder

__all__ = ["info", "new"]


@click.command(cls=ToolkitCommand)
@project_argument
def info(project_dir: Path) -> None:
    """Summarise the project in DIR: its interviews, codings and energy data.

    In a notebook: print(tk.project_summary("DIR")).
    """
    from toolkit.model.summary import project_summary

    click.echo(str(project_summary(project_dir)))


@click.command(cls=ToolkitCommand)
@click.argument("project_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--sample", is_flag=True, help="Copy the fictional sample project instead.")
@click.option("--name", help="The project's name (default: the folder's name).")
def new(project_dir: Path, sample: bool, name: str | None) -> None:
    """Create a project folder DIR from the templates (or the sample project).

    The folder gets project.yml, participants/stakeholders/connections/votes
    and actions CSV files with their header rows, summary.md for the
    report's key messages, a starter codebook, and empty interviews/,
    codings/ and output/ folders.  Put your transcripts in interviews/ and
    you are ready to go.
    """
    from toolkit.model.project import new_project

    with fresh_folder(project_dir):  # a folder half-made by a failed command is removed
        folder = new_project(project_dir, sample=sample, name=name)
    what = "a copy of the fictional sample project" if sample else "a new project"
    click.echo(f"Created {what} in {folder}")
    if sample:
        # The sample has its interviews, codings and energy data already: try the commands.
        click.echo(
            f"Next: try 'codesign-toolkit info {folder}', then 'codesign-toolkit report {folder}' "
            f"or 'codesign-toolkit energy {folder}'."
        )
    else:
        click.echo(
            f"Next: put transcripts in {folder / 'interviews'} and run "
            f"'codesign-toolkit info {folder}'."
        )
