"""Errors raised by the toolkit.

Every error a user can cause with bad input is a :class:`ToolkitError`.
Its message says which file (and line or row), what was expected, what was
found and how to fix it, so the command line can print it without a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AgreementError",
    "CodebookError",
    "CodingError",
    "EnergyError",
    "ProjectError",
    "RefiError",
    "ToolkitError",
    "TranscriptError",
]


class ToolkitError(ValueError):
    """Report bad input in words a user can act on.

    Parameters
    ----------
    message
        What was expected and what was found.
    path
        The file the problem is in, if any.
    line, row
        Where in the file, counted from 1 as an editor or spreadsheet shows it.
    hint
        How to fix it.

    Examples
    --------
    >>> err = ToolkitError("expected a column 'text'", path="survey.csv", hint="rename it")
    >>> print(err)
    survey.csv: expected a column 'text'. How to fix: rename it
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        row: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.row = row
        self.hint = hint
        super().__init__(self._format())

    def without_path(self) -> str:
        """Return the message without the file's path, for a row that already names the file.

        Examples
        --------
        >>> err = ToolkitError("expected a time", path="a.vtt", line=3, hint="correct it")
        >>> err.without_path()
        'line 3: expected a time. How to fix: correct it'
        """
        return self._format(path=False)

    def _format(self, path: bool = True) -> str:
        where = ""
        if self.path is not None and path:
            where = str(self.path)
            if self.line is not None:
                where += f", line {self.line}"
            if self.row is not None:
                where += f", row {self.row}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        elif self.row is not None:
            where = f"row {self.row}: "
        text = f"{where}{self.message.rstrip('.')}."
        if self.hint:
            text += f" How to fix: {self.hint}"
        return text


class ProjectError(ToolkitError):
    """A project folder or one of its files is missing or malformed."""


class TranscriptError(ToolkitError):
    """A transcript, document or survey export cannot be read."""


class CodebookError(ToolkitError):
    """A codebook is invalid: duplicate codes, unknown parents, bad rules."""


class CodingError(ToolkitError):
    """A codings table or coder's file is inconsistent with the project."""


class AgreementError(ToolkitError):
    """Agreement between coders cannot be computed from the data given."""


class EnergyError(ToolkitError):
    """Stakeholder, connection or vote data is malformed."""


class RefiError(ToolkitError):
    """A REFI-QDA project or codebook cannot be read or written safely."""
