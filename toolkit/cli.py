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
from .project import open_project

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


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``codesign-toolkit`` console script)."""
    cli.main(args=argv, prog_name="codesign-toolkit", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
