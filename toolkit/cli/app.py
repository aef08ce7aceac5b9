"""The ``codesign-toolkit`` group: ``--version``, ``--help``, every command, and :func:`main`.

Each command lives in the module of its topic (:mod:`toolkit.cli.project`,
:mod:`~toolkit.cli.interviews`, :mod:`~toolkit.cli.coding`,
:mod:`~toolkit.cli.energy`, :mod:`~toolkit.cli.report`,
:mod:`~toolkit.cli.refi`); this module puts them in one group.
"""

from __future__ import annotations

import sys

import click

from toolkit import __version__
from toolkit.cli.coding import agreement, code_command, codebook
from toolkit.cli.energy import energy, network
from toolkit.cli.errors import ToolkitGroup
from toolkit.cli.interviews import anonymise, import_
from toolkit.cli.project import info, new
from toolkit.cli.refi import refi
from toolkit.cli.report import report

__all__ = ["cli", "main"]


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="codesign-toolkit")
def cli() -> None:
    """Follow the Energy: code interviews, check agreement, chart themes, map energy.

    Every command works on a project folder (see 'codesign-toolkit new') and
    runs entirely on this machine: no data is sent anywhere.
    """


for _command in (
    info,
    new,
    import_,
    anonymise,
    code_command,
    agreement,
    codebook,
    energy,
    network,
    report,
    refi,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``codesign-toolkit`` console script)."""
    cli.main(args=argv, prog_name="codesign-toolkit", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
