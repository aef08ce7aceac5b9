"""Coders' files: read, check, merge and save the codings of each human coder.

The ``codings`` table (:data:`toolkit.tables.CODINGS`) has one row per code
applied to a span of an interview: ``interview_id, segment_id, start, end,
code, coder, method, memo, rule``.  ``start`` and ``end`` are offsets in the
interview's text (as in the segments table), ``method`` is ``manual`` (a
person), ``rule`` (the codebook's rules,
:func:`toolkit.analysis.autocode.engine.autocode`) or ``import`` (another
program), and ``rule`` says which rule matched.

Each human coder's codings live in their own file, ``codings/<coder>.csv``;
:func:`save_coder_codings` writes it (keeping the previous version when a save
would lose codings) and :func:`read_codings` reads them all back.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import CodingError, ToolkitError
from toolkit.io.files import atomic_write, read_table, to_numbers, write_table
from toolkit.model.codebook import Codebook
from toolkit.tables import CODINGS, empty_codings
from toolkit.wording import did_you_mean

__all__ = [
    "BACKUPS_KEPT",
    "CODING_COLUMNS",
    "METHODS",
    "RULE_CODER",
    "check_coder",
    "merge_codings",
    "read_coder_codings",
    "read_codings",
    "save_coder_codings",
    "typed_codings",
    "validate_codings",
]

#: The columns of the codings table, in order (defined in :mod:`toolkit.tables`).
CODING_COLUMNS = CODINGS.names
#: How a coding was made.
METHODS = ("manual", "rule", "import")
#: The coder name given to codings made by rules.
RULE_CODER = "rules"


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_CODER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")
#: How many earlier versions of a coder's file are kept in ``codings/.backup/``.
BACKUPS_KEPT = 50


def check_coder(coder: Any) -> str:
    """Return a coder's name, stripped, or raise CodingError if it cannot name a file.

    A name is letters, digits, spaces, ``-``, ``_`` and ``.`` (up to 64, not
    ending with ``.``): it names the coder's file, ``codings/<coder>.csv``.

    Examples
    --------
    >>> check_coder(" sam ")
    'sam'
    """
    name = str(coder).strip() if coder is not None else ""
    if not _CODER_NAME.fullmatch(name) or name.endswith("."):
        raise CodingError(
            f"expected a coder name of letters, digits, spaces, '-', '_' or '.', but found "
            f"{coder!r}",
            hint="use a short name such as 'sam' or 'nadia' (it names the file codings/<name>.csv)",
        )
    return name


def _segment_index(segments: pd.DataFrame) -> dict[tuple[str, int], tuple[int, int]]:
    """Map ``(interview_id, segment_id)`` to the segment's ``(start, end)``."""
    starts = pd.to_numeric(segments["start"], errors="coerce").fillna(0).astype(np.int64)
    if "end" in segments:
        ends = pd.to_numeric(segments["end"], errors="coerce")
        lengths = segments["text"].map(lambda t: len(t) if isinstance(t, str) else 0)
        ends = ends.fillna(starts + lengths).astype(np.int64)
    else:
        ends = starts + segments["text"].map(lambda t: len(t) if isinstance(t, str) else 0)
    ids = segments["interview_id"].astype(str).tolist()
    numbers = pd.to_numeric(segments["segment_id"], errors="coerce").fillna(-1).astype(int)
    return {
        (i, n): (s, e)
        for i, n, s, e in zip(ids, numbers.tolist(), starts.tolist(), ends.tolist(), strict=True)
    }


def _validate(
    table: pd.DataFrame,
    rows: Sequence[int],
    path: str | Path | None,
    segments: pd.DataFrame | None,
    codebook: Codebook | None,
) -> pd.DataFrame:
    """Check a codings table, filling blank offsets with the segment's; return a clean copy."""
    table = table.copy()
    known = set(codebook.codes) if codebook is not None and len(codebook) else None
    index = _segment_index(segments) if segments is not None else None
    interviews = {} if index is None else _ranges(index)
    starts, ends = table["start"].tolist(), table["end"].tolist()
    seen: dict[tuple, int] = {}
    for k, row in enumerate(rows):
        interview, number = table["interview_id"].iat[k], int(table["segment_id"].iat[k])
        code = table["code"].iat[k]
        if not interview:
            raise CodingError(
                "expected an interview_id in every row, but this one is empty",
                path=path,
                row=row,
                hint="fill in the interview's id (its file name without the extension)",
            )
        if not code:
            raise CodingError(
                "expected a code in every row, but this one is empty",
                path=path,
                row=row,
                hint="fill in the code, or delete the row",
            )
        if known is not None and code not in known:
            raise CodingError(
                f"expected a code from the codebook, but found {code!r}"
                + did_you_mean(code, known),
                path=path,
                row=row,
                hint="correct the code's spelling, or add the code to codebook.yml",
            )
        if index is not None:
            span = index.get((interview, number))
            if span is None:
                if interview not in interviews:
                    found = f"there is no interview {interview!r}"
                    hint = "check the interview_id against the file names in interviews/"
                else:
                    low, high = interviews[interview]
                    found = f"{interview!r} has segments {low} to {high}"
                    hint = "check the segment number (the transcripts may have been re-read)"
                raise CodingError(
                    f"expected the coding to point at a segment of the project, but segment "
                    f"{number} of {interview!r} does not exist: {found}",
                    path=path,
                    row=row,
                    hint=hint,
                )
            if _missing(starts[k]):
                starts[k] = span[0]
            if _missing(ends[k]):
                ends[k] = span[1]
            if not (span[0] <= starts[k] < ends[k] <= span[1]):
                raise CodingError(
                    f"expected the coding to lie inside segment {number} of {interview!r} "
                    f"(offsets {span[0]} to {span[1]}), but it runs from {starts[k]} to {ends[k]}"
                    + (" (beyond the end of its text)" if ends[k] > span[1] else ""),
                    path=path,
                    row=row,
                    hint="check the start and end offsets, or leave them empty to code the whole "
                    "segment",
                )
        elif not _missing(starts[k]) and not _missing(ends[k]) and starts[k] >= ends[k]:
            raise CodingError(
                f"expected start before end, but found start {starts[k]} and end {ends[k]}",
                path=path,
                row=row,
                hint="swap them, or leave both empty to code the whole segment",
            )
        key = (interview, number, starts[k], ends[k], code, table["coder"].iat[k])
        if key in seen:
            raise CodingError(
                f"expected each coding once, but this row repeats row {seen[key]} "
                f"({code!r} on segment {number} of {interview!r})",
                path=path,
                row=row,
                hint="delete one of the two rows",
            )
        seen[key] = row
    if all(not _missing(v) for v in starts + ends):
        table["start"] = np.array(starts, dtype=np.int64)
        table["end"] = np.array(ends, dtype=np.int64)
    else:
        table["start"] = pd.array(starts, dtype="Int64")
        table["end"] = pd.array(ends, dtype="Int64")
    return table


def _ranges(index: dict[tuple[str, int], tuple[int, int]]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for interview, number in index:
        low, high = out.get(interview, (number, number))
        out[interview] = (min(low, number), max(high, number))
    return out


def _as_codings(table: pd.DataFrame, *, coder: str | None = None) -> pd.DataFrame:
    """Return a table with exactly the codings columns, typed, defaults filled."""
    missing = [c for c in ("interview_id", "segment_id", "code") if c not in table.columns]
    if missing:
        raise CodingError(
            f"expected a codings table with the columns interview_id, segment_id and code, but "
            f"{', '.join(map(repr, missing))} is missing",
            path=table.attrs.get("path"),
            hint="the codings columns are " + ", ".join(CODING_COLUMNS),
        )
    out = pd.DataFrame(index=range(len(table)))
    for column in ("interview_id", "code", "memo", "rule"):
        values = table[column].tolist() if column in table.columns else [""] * len(table)
        out[column] = pd.array(["" if _missing(v) else str(v).strip() for v in values], "str")
    coders = table["coder"].tolist() if "coder" in table.columns else [""] * len(table)
    fallback = coder or ""
    out["coder"] = pd.array(
        [fallback if _missing(v) or not str(v).strip() else str(v).strip() for v in coders], "str"
    )
    methods = table["method"].tolist() if "method" in table.columns else [""] * len(table)
    out["method"] = pd.array(
        ["manual" if _missing(v) or not str(v).strip() else str(v).strip() for v in methods], "str"
    )
    return out


def _numbers(table: pd.DataFrame, column: str, *, optional: bool) -> list[Any]:
    if column not in table.columns:
        return [np.nan] * len(table)
    if pd.api.types.is_integer_dtype(table[column]) and not table[column].isna().any():
        return table[column].astype(np.int64).tolist()
    values = to_numbers(
        table.assign(**{column: table[column].map(lambda v: "" if _missing(v) else str(v))}),
        column,
        low=0,
        integer=True,
        optional=optional,
    )
    return [v if np.isnan(v) else int(v) for v in values.tolist()]


def typed_codings(table: pd.DataFrame, *, coder: str | None = None) -> pd.DataFrame:
    """Return a codings table with exactly the codings columns, typed, blanks filled.

    ``coder`` fills blank coders; a blank ``method`` is ``manual``; ``start``
    and ``end`` may stay missing (the whole segment, filled in by
    :func:`validate_codings`).

    Raises
    ------
    CodingError
        For a missing column, a number that is not a whole number, or an
        unknown method, naming the file and row.
    """
    base = _as_codings(table, coder=coder)
    base["segment_id"] = _numbers(table, "segment_id", optional=False)
    base["start"] = _numbers(table, "start", optional=True)
    base["end"] = _numbers(table, "end", optional=True)
    for k, method in enumerate(base["method"].tolist()):
        if method not in METHODS:
            rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
            raise CodingError(
                f"expected the method to be one of {', '.join(METHODS)}, but found {method!r}",
                path=table.attrs.get("path"),
                row=rows[k],
                hint="use 'manual' for codings made by a person",
            )
    return base[CODING_COLUMNS]


def validate_codings(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Check a codings table against the segments and the codebook; return it cleaned.

    Blank ``start``/``end`` become the whole segment's offsets.

    Raises
    ------
    CodingError
        For an unknown code, a coding pointing at a segment that does not
        exist or beyond the end of its text, or a repeated row; the message
        names the row (counting the header as row 1).

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> segments = pd.DataFrame({"interview_id": ["a"], "segment_id": [1], "start": [0],
    ...                          "end": [9], "text": ["Home safe"]})
    >>> codings = pd.DataFrame({"interview_id": ["a"], "segment_id": [1], "code": ["wish"]})
    >>> validate_codings(codings, segments)[["start", "end", "code", "method"]]
       start  end  code  method
    0      0    9  wish  manual
    """
    typed = typed_codings(codings)
    rows = codings.attrs.get("rows") or list(range(2, len(codings) + 2))
    return _validate(typed, rows, codings.attrs.get("path"), segments, codebook)


def read_coder_codings(
    path: str | Path,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Read one coder's file, ``codings/<coder>.csv``, and check it.

    The coder is the file's name; a ``coder`` column, if present, must agree.
    Only ``interview_id``, ``segment_id`` and ``code`` are required: blank
    ``start``/``end`` code the whole segment.

    Raises
    ------
    CodingError
        For a malformed file, an unknown code, a coding that points at a
        missing segment or past the end of its text, or a repeated row.
    """
    path = Path(path)
    coder = check_coder(path.stem)
    table = read_table(path, ["interview_id", "segment_id", "code"], what="codings")
    typed = typed_codings(table, coder=coder)
    rows = table.attrs.get("rows") or []
    for row, found in zip(rows, typed["coder"].tolist(), strict=True):
        if found != coder:
            raise CodingError(
                f"expected the coder {coder!r} (from the file name) in every row, but found "
                f"{found!r}",
                path=path,
                row=row,
                hint=f"one file per coder: move {found}'s rows to codings/{found}.csv",
            )
    return _validate(typed, rows, path, segments, codebook)


def read_codings(
    folder: str | Path,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Read every coder's file in a ``codings/`` folder into one codings table.

    Parameters
    ----------
    folder
        The folder holding ``<coder>.csv`` files (hidden files and the
        ``.backup`` folder are skipped).
    segments, codebook
        When given, each coding is checked against them.

    Returns
    -------
    pandas.DataFrame
        The codings table, sorted by interview, segment, position, coder and code.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> codings = tk.read_codings(project.path / "codings", project.segments, project.codebook)
    >>> sorted(codings["coder"].unique())
    ['nadia', 'sam']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CodingError(
            "expected a folder of coders' files here, but there is none",
            path=folder,
            hint="create the folder 'codings' in the project folder",
        )
    files = sorted(p for p in folder.glob("*.csv") if not p.name.startswith("."))
    return merge_codings([read_coder_codings(p, segments, codebook) for p in files])


def merge_codings(*tables: pd.DataFrame | Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Put several codings tables (coders' files, rule codings) into one.

    Each row keeps its ``coder`` and ``method``, so rule codings stay apart
    from human ones.  Exact repeats are dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"interview_id": ["x"], "segment_id": [1], "start": [0], "end": [4],
    ...                   "code": ["wish"], "coder": ["sam"]})
    >>> b = a.assign(coder="rules", method="rule")
    >>> merge_codings(a, b)[["coder", "method"]].to_dict("list")
    {'coder': ['rules', 'sam'], 'method': ['rule', 'manual']}
    """
    flat: list[pd.DataFrame] = []
    for item in tables:
        if isinstance(item, pd.DataFrame):
            flat.append(item)
        elif isinstance(item, Iterable) and not isinstance(item, str | bytes):
            flat.extend(item)
        else:
            raise CodingError(
                f"expected codings tables, but found {type(item).__name__}",
                hint="pass DataFrames, e.g. merge_codings(project.codings, tk.autocode(...))",
            )
    parts = [typed_codings(t) if list(t.columns) != CODING_COLUMNS else t for t in flat if len(t)]
    if not parts:
        return empty_codings()
    merged = pd.concat(parts, ignore_index=True)
    for column in ("start", "end"):
        if not merged[column].isna().any():
            merged[column] = merged[column].astype(np.int64)
    merged["segment_id"] = merged["segment_id"].astype(np.int64)
    merged = merged.drop_duplicates(
        ["interview_id", "segment_id", "start", "end", "code", "coder", "method"]
    )
    merged = merged.sort_values(
        ["interview_id", "segment_id", "start", "end", "coder", "code"], kind="stable"
    )
    return merged.reset_index(drop=True)[CODING_COLUMNS]


def save_coder_codings(codings: pd.DataFrame, folder: str | Path, coder: str | None = None) -> Path:
    """Save one coder's codings to ``<folder>/<coder>.csv``, atomically, keeping a backup.

    This is the one function that writes coders' files (the coding panel
    saves through it on every click).  The file is written to a temporary
    name and renamed, so a crash leaves the old file or the new one.  If the
    file already holds more codings than the new table, the old file is
    first copied to ``<folder>/.backup/<coder>-<time>.csv`` (the latest
    :data:`BACKUPS_KEPT` are kept).

    Parameters
    ----------
    codings
        The coder's codings (all of them: the file is replaced).
    folder
        The ``codings/`` folder of the project.
    coder
        The coder's name; by default the single name in the ``coder`` column.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"interview_id": ["a"], "segment_id": [1], "start": [0],
    ...                       "end": [9], "code": ["wish"], "coder": ["sam"]})
    >>> save_coder_codings(table, folder).name
    'sam.csv'
    >>> len(read_coder_codings(folder / "sam.csv"))
    1
    """
    folder = Path(folder)
    typed = typed_codings(codings) if len(codings) else empty_codings()
    names = sorted(set(typed["coder"].tolist()) - {""})
    if coder is None:
        if len(names) != 1:
            raise CodingError(
                "expected the codings of one coder, but found "
                + (f"the coders {', '.join(names)}" if names else "no coder name"),
                hint="pass coder='name', or save each coder's rows separately",
            )
        coder = names[0]
    coder = check_coder(coder)
    others = [n for n in names if n != coder]
    if others:
        raise CodingError(
            f"expected only {coder!r}'s codings, but the table also has {', '.join(others)}'s",
            hint="filter the table to one coder before saving",
        )
    typed = typed.assign(coder=coder)
    typed = typed.sort_values(["interview_id", "segment_id", "start", "end", "code"], kind="stable")
    target = folder / f"{coder}.csv"
    if target.exists():
        try:
            before = len(read_table(target, what="codings"))
        except ToolkitError:
            before = len(typed) + 1  # unreadable: keep it, whatever it holds
        if before > len(typed):
            _backup(target, folder, coder)
    folder.mkdir(parents=True, exist_ok=True)
    return write_table(typed[CODING_COLUMNS], target)


def _backup(target: Path, folder: Path, coder: str) -> Path:

    stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S-%f")
    backup = folder / ".backup" / f"{coder}-{stamp}.csv"
    atomic_write(backup, target.read_bytes())
    kept = sorted((folder / ".backup").glob(f"{coder}-*.csv"))
    for old in kept[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return backup
