"""The ``codesign-toolkit`` command line: a thin layer over the library.

Every command calls the same public functions a notebook would.  A
:class:`~toolkit.errors.ToolkitError` is printed as a plain message (no
traceback) and the command exits with status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ToolkitError
from .project import new_project, open_project

__all__ = ["cli", "main"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="codesign-toolkit")
def cli() -> None:
    """Follow the Energy: code interviews, check agreement, chart themes, map energy.

    Every command works on a project folder (see 'codesign-toolkit new') and
    runs entirely on this machine: no data is sent anywhere.
    """


def project_argument(func: Callable) -> Callable:
    """Add a DIR argument naming a project folder."""
    return click.argument(
        "project_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path)
    )(func)


@cli.command()
@project_argument
def info(project_dir: Path) -> None:
    """Summarise the project in DIR: its interviews, codings and energy data."""
    project = open_project(project_dir)
    click.echo(f"{project.name}")
    if project.description:
        click.echo(project.description)
    for label, table in [
        ("interviews", project.documents),
        ("segments", project.segments),
        ("participants", project.participants),
        ("codings", project.codings),
        ("stakeholders", project.stakeholders),
        ("connections", project.connections),
        ("votes", project.votes),
    ]:
        click.echo(f"  {label:<13} {len(table):>7,}")


@cli.command()
@click.argument("project_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--sample", is_flag=True, help="Copy the fictional sample project instead.")
@click.option("--name", help="The project's name (default: the folder's name).")
def new(project_dir: Path, sample: bool, name: str | None) -> None:
    """Create a project folder DIR from the templates (or the sample project).

    The folder gets project.yml, participants/stakeholders/connections/votes
    CSV files with their header rows, a starter codebook, and empty
    interviews/, codings/ and output/ folders.  Put your transcripts in
    interviews/ and you are ready to go.
    """
    folder = new_project(project_dir, sample=sample, name=name)
    what = "a copy of the fictional sample project" if sample else "a new project"
    click.echo(f"Created {what} in {folder}")
    click.echo(
        f"Next: put transcripts in {folder / 'interviews'} and run "
        f"'codesign-toolkit info {folder}'."
    )


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``codesign-toolkit`` console script)."""
    cli.main(args=argv, prog_name="codesign-toolkit", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
