"""What the commands share: the DIR argument, options naming paths, and opening the project.

Nothing in :mod:`toolkit.cli` imports pandas, altair or the library at module
level: each command imports what it needs when it runs, so ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = ["open_project", "path_option", "project_argument"]


def open_project(path: Path) -> Any:
    """Open the project folder ``path`` (the model is imported only when a command runs)."""
    from toolkit.model.project import open_project as open_folder

    return open_folder(path)


def project_argument(func: Callable) -> Callable:
    """Add a DIR argument naming a project folder."""
    return click.argument(
        "project_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path)
    )(func)


def path_option(name: str, text: str, *, folder: bool = False, exists: bool = False) -> Callable:
    """Add the option `name` (help `text`) naming a file, or with `folder` a folder.

    With `exists`, click checks that it is there before the command runs.
    """
    return click.option(
        name,
        type=click.Path(file_okay=not folder, dir_okay=folder, exists=exists, path_type=Path),
        help=text,
    )
