"""The carry-over report: what an import or export carried over, converted or left behind.

:func:`~toolkit.refi.reader.read_qdpx` puts it in ``project.report``;
:func:`~toolkit.refi.writer.qdpx_carry_over` returns it for an export.  One
row per finding, with the columns of :data:`REPORT_COLUMNS`.  ``status`` is
``ok``, ``converted``, ``warning``, ``skipped`` or ``not carried``.

Examples
--------
>>> report = Report()
>>> report.add("codebook", "codes", "ok", "3 codes")
>>> report.table()
       file   kind status   detail
0  codebook  codes     ok  3 codes
"""

from __future__ import annotations

import pandas as pd

__all__ = ["REPORT_COLUMNS", "Report"]

#: Columns of the report :func:`read_qdpx` and :func:`qdpx_carry_over` return.
REPORT_COLUMNS = ["file", "kind", "status", "detail"]


class Report:
    """Collect what carried over and what did not, one row per finding."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, file: str, kind: str, status: str, detail: str) -> None:
        """Add a finding about ``file`` (or a part of the project such as "codings")."""
        self.rows.append({"file": file, "kind": kind, "status": status, "detail": detail})

    def table(self) -> pd.DataFrame:
        """Return the findings as a table with the columns of :data:`REPORT_COLUMNS`."""
        return pd.DataFrame(self.rows, columns=REPORT_COLUMNS)
