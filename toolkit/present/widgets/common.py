"""What the notebook widgets share: showing themselves, and the files the capture widgets write.

The workshop capture widgets (:class:`~toolkit.present.widgets.energy_capture.EnergyCapture`,
:class:`~toolkit.present.widgets.dot_vote.DotVote`) keep the CSV file's own
text cells (and any extra columns) and rewrite the whole file atomically after
every change, so a crash or a closed laptop never leaves half a file.

Examples
--------
>>> number_text(3.0), number_text(2.5)
('3', '2.5')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import EnergyError
from toolkit.io.files import read_table
from toolkit.tables import SCHEMAS

__all__ = ["PARAMETERS", "NotebookWidget", "capture_path", "number_text", "raw_table"]

#: The parameters the capture widgets share (see :func:`toolkit.docstrings.documented`).
PARAMETERS = {
    "source": """
        A :class:`~toolkit.model.project.Project` saved in a folder, a project
        folder, or the path of the CSV file to save to (created if missing).
    """,
}


class NotebookWidget:
    """A toolkit widget: its ipywidgets box is ``.widget``, shown when a cell ends with it."""

    widget: Any

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def capture_path(source: Any, filename: str) -> Path:
    """Resolve a Project, a project folder or a CSV file to the file to write.

    Parameters
    ----------
    source
        A project saved in a folder, a project folder, or the path of a CSV file.
    filename
        The file's name inside a project folder (``stakeholders.csv``).

    Raises
    ------
    EnergyError
        For a project built in memory, a CSV file whose folder is missing, or a
        path that is neither a folder nor a ``.csv`` file.
    """
    if hasattr(source, "stakeholders") and hasattr(source, "path"):
        if source.path is None:
            raise EnergyError(
                "expected a project saved in a folder, but this one was built in memory",
                hint="save it with tk.save_project(project, folder) first, or pass a folder",
            )
        return Path(source.path) / filename
    path = Path(source)
    if path.suffix.lower() == ".csv":
        if not path.parent.is_dir():
            raise EnergyError(
                "expected the folder of this CSV file to exist, but it does not",
                path=path,
                hint="create the folder first, or check the path",
            )
        return path
    if not path.is_dir():
        raise EnergyError(
            "expected a project folder or a .csv file, but there is neither at this path",
            path=path,
            hint="pass the project folder (for example tk.sample_project_path()) or the CSV file",
        )
    return path / filename


def raw_table(path: Path, columns: list[str], what: str) -> pd.DataFrame:
    """Return the file's cells as text, with at least ``columns`` (no rows if there is no file).

    ``what`` names the table (``"stakeholders"``, ``"votes"``): the file must
    have that table's required columns.
    """
    if path.is_file():
        required = SCHEMAS[what].required
        table = read_table(path, [c for c in columns if c in required], what=what)
    else:
        table = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in columns:
        if column not in table.columns:
            table[column] = ""
    table = table.astype(object).reset_index(drop=True)
    table.attrs = {"path": str(path)}
    return table


def number_text(value: float) -> str:
    """Write a number as a CSV cell: ``3``, not ``3.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)
