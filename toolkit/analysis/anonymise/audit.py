"""The pseudonymisation audit: one row per change, without the original words.

Each row says what kind of identifier was changed, in which file, on which
line and column of the new file, and what it was replaced by, so the audit
can travel with the pseudonymised data.
"""

from __future__ import annotations

import pandas as pd

from toolkit.analysis.anonymise.patterns import Found

__all__ = ["AUDIT_COLUMNS", "Audit", "line_column"]

#: The columns of the audit table.
AUDIT_COLUMNS = ["file", "interview_id", "kind", "line", "column", "field", "replacement", "action"]


def line_column(text: str, at: int) -> tuple[int, int]:
    """Return the line and column (both from 1) of position ``at`` in ``text``.

    Examples
    --------
    >>> line_column("one\\ntwo", 5)
    (2, 2)
    """
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


class Audit:
    """The rows of the audit, gathered as a project is pseudonymised.

    Examples
    --------
    >>> audit = Audit()
    >>> audit.note("interviews/a.docx", "a", "document property", "cleared", field="author")
    >>> audit.table()[["file", "kind", "action"]].values.tolist()
    [['interviews/a.docx', 'document property', 'cleared']]
    """

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(
        self,
        file: str,
        interview_id: str,
        placed: list[tuple[Found, int, int]],
        new_text: str,
        *,
        line: int | None = None,
        field: str = "",
    ) -> None:
        """Record the changes ``placed`` in ``new_text`` (as returned by
        :meth:`~toolkit.analysis.anonymise.pseudonymiser.Pseudonymiser.replace`).

        ``line`` overrides the line counted in ``new_text`` (a spreadsheet row,
        a Word paragraph).
        """
        for item, start, _end in placed:
            where_line, column = line_column(new_text, start)
            self.note(
                file,
                interview_id,
                item.kind,
                item.action,
                line=line if line is not None else where_line,
                column=column,
                field=field,
                replacement=item.replacement,
            )

    def note(
        self,
        file: str,
        interview_id: str,
        kind: str,
        action: str,
        *,
        line: int = 0,
        column: int = 0,
        field: str = "",
        replacement: str = "",
    ) -> None:
        """Record one row: a change, a file left out, or a place to review."""
        self.rows.append(
            {
                "file": file,
                "interview_id": interview_id,
                "kind": kind,
                "line": line,
                "column": column,
                "field": field,
                "replacement": replacement,
                "action": action,
            }
        )

    def table(self) -> pd.DataFrame:
        """Return the audit table: the :data:`AUDIT_COLUMNS`."""
        return pd.DataFrame(self.rows, columns=AUDIT_COLUMNS)
