"""The tidy tables: the one place each table's columns and types are written down.

Everything the toolkit reads or computes about a project is one of these
pandas DataFrames, in long form (one observation per row):

============  =========================================  ==========================================
table         one row per                                columns (required first)
============  =========================================  ==========================================
documents     interview (a file or a survey response)    interview_id, text, source, format,
                                                         encoding
segments      speaker turn (or survey response)          interview_id, segment_id, speaker, start,
                                                         end, text, t_start, t_end
participants  person taking part in an interview         interview_id, name (+ speaker, interviewer,
                                                         and any attributes: role, group, site...)
codebook      code                                       code, theme, parent, definition, include,
                                                         exclude, example, color
codings       code applied to a span by a coder          interview_id, segment_id, start, end, code,
                                                         coder, method, memo, rule
stakeholders  stakeholder                                stakeholder, group, influence, interest,
                                                         energy (+ intensity, the five energies,
                                                         any others)
connections   tie between two stakeholders               source, target, weight, kind
votes         dots placed by a participant on an item    participant, item, dots, session
                                                         (+ code, theme)
============  =========================================  ==========================================

Positions (``start``, ``end``) are offsets in Unicode code points into the
interview's text in ``documents``, end exclusive.

Each table has ``empty_<table>()`` (no rows, the right columns and types) and
``check_<table>(table)``, which checks the columns are there and returns a copy
with the schema's columns first, in order, with the schema's types.  The
checks here are about shape; what the values mean (a rating from 1 to 5, a
coder's name) is checked where the table is read.

Examples
--------
>>> import pandas as pd
>>> from toolkit import tables
>>> list(tables.empty_codings().columns)
['interview_id', 'segment_id', 'start', 'end', 'code', 'coder', 'method', 'memo', 'rule']
>>> tables.check_votes(pd.DataFrame({"participant": ["Ann"], "item": ["Lifts"], "dots": ["2"]}))
  participant   item  dots session
0         Ann  Lifts     2
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.wording import did_you_mean

__all__ = [
    "CODEBOOK",
    "CODINGS",
    "CONNECTIONS",
    "DOCUMENTS",
    "FIVE_ENERGIES",
    "PARTICIPANTS",
    "SCHEMAS",
    "SEGMENTS",
    "SPAN",
    "STAKEHOLDERS",
    "VOTES",
    "Schema",
    "check_codebook",
    "check_codings",
    "check_connections",
    "check_documents",
    "check_participants",
    "check_segments",
    "check_stakeholders",
    "check_votes",
    "conforms",
    "empty_codebook",
    "empty_codings",
    "empty_connections",
    "empty_documents",
    "empty_participants",
    "empty_segments",
    "empty_stakeholders",
    "empty_votes",
    "require_table",
]

TEXT = "str"
WHOLE = "int64"
NUMBER = "float64"
#: A rating: whole numbers where every value is whole (int64), otherwise float64 (2.5 allowed).
RATING = "rating"


@dataclass(frozen=True)
class Schema:
    """The shape of one tidy table.

    Attributes
    ----------
    name
        The table's name, as used in messages ("codings").
    columns
        Each column and its pandas dtype, in order.
    required
        The columns a table given by a user must have; the others are added
        (blank text, or missing numbers) when absent.
    extra
        Whether other columns may follow (attributes such as ``role``).
    optional
        Columns that keep their place and type when present but are not added.
    """

    name: str
    columns: dict[str, str]
    required: tuple[str, ...]
    extra: bool = False
    optional: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The schema's columns, in order."""
        return list(self.columns)

    def empty(self) -> pd.DataFrame:
        """Return a table with no rows and the schema's columns and types."""
        return pd.DataFrame(
            {c: pd.Series(dtype=WHOLE if t == RATING else t) for c, t in self.columns.items()}
        )

    def check(self, table: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
        """Return a copy of ``table`` in the schema's shape.

        Raises
        ------
        ToolkitError
            When ``table`` is not a DataFrame, lacks a required column, or a
            column cannot take the schema's type.
        """
        where = f"{source}: " if source else ""
        if not isinstance(table, pd.DataFrame):
            raise ToolkitError(
                f"{where}expected a {self.name} table (a pandas DataFrame), "
                f"but found {type(table).__name__}",
                hint=f"pass a DataFrame with the columns {', '.join(self.required)}",
            )
        missing = [c for c in self.required if c not in table.columns]
        if missing:
            raise ToolkitError(
                f"{where}expected a {self.name} table with the column(s) "
                f"{', '.join(missing)}, but found only {_listed(table.columns)}",
                hint=f"a {self.name} table needs {', '.join(self.required)}",
            )
        out = table.copy()
        for column, dtype in {**self.columns, **self.optional}.items():
            if column not in out.columns:
                if column in self.optional:
                    continue
                out[column] = _blank(dtype, len(out), out.index)
            else:
                out[column] = _as(out[column], dtype, self.name, column, where)
        known = [c for c in [*self.columns, *self.optional] if c in out.columns]
        rest = [c for c in out.columns if c not in known] if self.extra else []
        result = out[known + rest]
        result.attrs = dict(table.attrs)
        return result

    def conforms(self, table: pd.DataFrame) -> bool:
        """Whether ``table`` has exactly the schema's columns (first, in order) and types."""
        if not isinstance(table, pd.DataFrame):
            return False
        head = list(table.columns[: len(self.columns)])
        if head != self.names:
            return False
        if not all(_same_type(table[c].dtype, t) for c, t in self.columns.items()):
            return False
        rest = list(table.columns[len(self.columns) :])
        for column in rest:
            if column in self.optional:
                if not _same_type(table[column].dtype, self.optional[column]):
                    return False
            elif not self.extra:
                return False
        return True


def _listed(columns: pd.Index) -> str:
    return ", ".join(map(str, columns)) or "no columns"


def _same_type(dtype: object, wanted: str) -> bool:
    if wanted == RATING:
        return str(dtype) in (WHOLE, NUMBER)
    if wanted == TEXT:
        return pd.api.types.is_string_dtype(dtype) or dtype is object or str(dtype) == "object"
    return str(dtype) == wanted


def _blank(dtype: str, n: int, index: pd.Index) -> pd.Series:
    if dtype == TEXT:
        return pd.Series([""] * n, index=index, dtype=TEXT)
    if dtype in (NUMBER, RATING):
        return pd.Series([float("nan")] * n, index=index, dtype=NUMBER)
    return pd.Series([0] * n, index=index, dtype=dtype)


def _as(series: pd.Series, dtype: str, table: str, column: str, where: str) -> pd.Series:
    if dtype == TEXT:
        if str(series.dtype) == TEXT and not series.isna().any():
            return series  # text already, with no gaps: nothing to convert
        return series.astype(object).where(series.notna(), "").astype(str).astype(TEXT)
    if _same_type(series.dtype, dtype):
        return series
    numbers = pd.to_numeric(series, errors="coerce")
    if dtype == RATING:
        whole = numbers.notna().all() and bool((numbers % 1 == 0).all())
        dtype = WHOLE if whole else NUMBER
    bad = numbers.isna() & series.notna() & (series.astype(str).str.strip() != "")
    if dtype == WHOLE:
        bad |= numbers.isna() | (numbers.notna() & (numbers % 1 != 0))
    if bad.any():
        row = list(series.index).index(bad[bad].index[0])
        raise ToolkitError(
            f"{where}expected {'whole numbers' if dtype == WHOLE else 'numbers'} in the "
            f"{table} table's column '{column}', but row {row + 1} holds "
            f"{series[bad].iloc[0]!r}",
            hint=f"correct or remove that value in '{column}'",
        )
    return numbers.astype(dtype)


#: The columns that place a span of an interview's text, and their types: the interview, the
#: segment, and the code-point offsets (end exclusive).  Segments and codings both have them.
SPAN = {"interview_id": TEXT, "segment_id": WHOLE, "start": WHOLE, "end": WHOLE}

#: The five energies of the NHS Improving Quality energy model.
FIVE_ENERGIES = ["social", "spiritual", "psychological", "physical", "intellectual"]

DOCUMENTS = Schema(
    "documents",
    {"interview_id": TEXT, "text": TEXT, "source": TEXT, "format": TEXT, "encoding": TEXT},
    required=("interview_id", "text"),
)
SEGMENTS = Schema(
    "segments",
    {
        "interview_id": TEXT,
        "segment_id": WHOLE,
        "speaker": TEXT,
        "start": WHOLE,
        "end": WHOLE,
        "text": TEXT,
        "t_start": NUMBER,
        "t_end": NUMBER,
    },
    required=(*SPAN, "text"),
)
PARTICIPANTS = Schema(
    "participants",
    {"interview_id": TEXT},
    required=("interview_id",),
    extra=True,
    optional={"name": TEXT, "speaker": TEXT, "interviewer": TEXT},
)
CODEBOOK = Schema(
    "codebook",
    {
        c: TEXT
        for c in ["code", "theme", "parent", "definition", "include", "exclude", "example", "color"]
    },
    required=("code",),
)
CODINGS = Schema(
    "codings",
    {**SPAN, **dict.fromkeys(["code", "coder", "method", "memo", "rule"], TEXT)},
    required=(*SPAN, "code"),
)
STAKEHOLDERS = Schema(
    "stakeholders",
    {"stakeholder": TEXT, "group": TEXT, "influence": RATING, "interest": RATING, "energy": RATING},
    required=("stakeholder", "group", "influence", "interest", "energy"),
    extra=True,
    # intensity: how strongly (1 low to 3 high), beside energy's direction (-2 to +2).
    optional={"intensity": RATING, **dict.fromkeys(FIVE_ENERGIES, NUMBER)},
)
CONNECTIONS = Schema(
    "connections",
    {"source": TEXT, "target": TEXT, "weight": WHOLE, "kind": TEXT},
    required=("source", "target"),
    extra=True,
)
VOTES = Schema(
    "votes",
    {"participant": TEXT, "item": TEXT, "dots": WHOLE, "session": TEXT},
    required=("participant", "item", "dots"),
    extra=True,
    optional={"code": TEXT, "theme": TEXT},
)

#: Every table's schema by name.
SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in (
        DOCUMENTS,
        SEGMENTS,
        PARTICIPANTS,
        CODEBOOK,
        CODINGS,
        STAKEHOLDERS,
        CONNECTIONS,
        VOTES,
    )
}


def require_table(
    table: Any,
    columns: Iterable[str],
    what: str,
    *,
    hint: str,
    source: str | None = None,
    error: type[ToolkitError] = ToolkitError,
    path: str | Path | None = None,
    suggest: bool = False,
) -> pd.DataFrame:
    """Return `table` if it is a DataFrame with every one of `columns`, else raise `error`.

    `what` names the table in messages ("votes"); `hint` says how to fix
    missing columns, and `source` (default: `hint`) where such a table comes
    from.  The message names the columns missing and those the table has
    (and, with `suggest`, a close match to the first one missing).

    Examples
    --------
    >>> require_table(pd.DataFrame({"item": [], "dot": []}), ["item", "dots"], "votes",
    ...               hint="count the dots", suggest=True)
    Traceback (most recent call last):
    ...
    toolkit.errors.ToolkitError: expected the votes table to have column(s) 'dots', but it ...
    """
    if not isinstance(table, pd.DataFrame):
        raise error(
            f"expected a {what} table (a pandas DataFrame), but found {type(table).__name__}",
            hint=source or hint,
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise error(
            f"expected the {what} table to have column(s) {', '.join(map(repr, missing))}, but it "
            f"has {', '.join(map(repr, table.columns)) or 'no columns'}"
            + (did_you_mean(missing[0], table.columns) if suggest else ""),
            path=path,
            hint=hint,
        )
    return table


def conforms(table: pd.DataFrame, name: str) -> bool:
    """Whether ``table`` is exactly in the shape of the table called ``name``."""
    return SCHEMAS[name].conforms(table)


def _pair(schema: Schema) -> tuple:
    def empty() -> pd.DataFrame:
        return schema.empty()

    def check(table: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
        return schema.check(table, source=source)

    empty.__doc__ = f"Return a {schema.name} table with no rows (the right columns and types)."
    check.__doc__ = (
        f"Check a {schema.name} table's columns and return a copy in the schema's shape.\n\n"
        f"The columns are {', '.join(schema.names)}; a table needs at least "
        f"{', '.join(schema.required)}.  Raises ToolkitError naming what is missing."
    )
    empty.__name__, check.__name__ = f"empty_{schema.name}", f"check_{schema.name}"
    return empty, check


empty_documents, check_documents = _pair(DOCUMENTS)
empty_segments, check_segments = _pair(SEGMENTS)
empty_participants, check_participants = _pair(PARTICIPANTS)
empty_codebook, check_codebook = _pair(CODEBOOK)
empty_codings, check_codings = _pair(CODINGS)
empty_stakeholders, check_stakeholders = _pair(STAKEHOLDERS)
empty_connections, check_connections = _pair(CONNECTIONS)
empty_votes, check_votes = _pair(VOTES)
