"""What the commands share: the DIR argument, and opening the project it names.

Nothing in :mod:`toolkit.cli` imports pandas, altair or the library at module
level: each command imports what it needs when it runs, so ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

__all__ = ["open_project", "project_argument"]


def open_project(path: Path) -> Any:
    """Open the project folder ``path`` (the model is imported only when a command runs)."""
    from toolkit.model.project import open_project as open_folder

    return open_folder(path)


def project_argument(func: Callable) -> Callable:
    """Add a DIR argument naming a project folder."""
    return click.argument(
        "project_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path)
    )(func)
