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
from toolkit.io.folders import require_folder
from toolkit.model.codebook import Codebook
from toolkit.tables import CODINGS, SPAN, empty_codings
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


def _segment_spans(segments: pd.DataFrame) -> pd.DataFrame:
    """Return each segment's ``interview_id``, ``segment_id``, ``seg_start`` and ``seg_end``.

    A segment without an ``end`` ends after its text.
    """
    starts = pd.to_numeric(segments["start"], errors="coerce").fillna(0).astype(np.int64)
    lengths = segments["text"].str.len().fillna(0).astype(np.int64)
    if "end" in segments:
        ends = pd.to_numeric(segments["end"], errors="coerce").fillna(starts + lengths)
    else:
        ends = starts + lengths
    numbers = pd.to_numeric(segments["segment_id"], errors="coerce").fillna(-1).astype(np.int64)
    spans = pd.DataFrame(
        {
            "interview_id": segments["interview_id"].astype(str).to_numpy(object),
            "segment_id": numbers.to_numpy(),
            "seg_start": starts.to_numpy(),
            "seg_end": ends.astype(np.int64).to_numpy(),
        }
    )
    return spans.drop_duplicates(["interview_id", "segment_id"])  # the first one, as a dict would


def _number(value: float) -> Any:
    """A whole number as an int, for messages (offsets are read as whole numbers)."""
    return int(value) if value == value and float(value).is_integer() else value


def _validate(
    table: pd.DataFrame,
    rows: Sequence[int],
    path: str | Path | None,
    segments: pd.DataFrame | None,
    codebook: Codebook | None,
) -> pd.DataFrame:
    """Check a codings table, filling blank offsets with the segment's; return a clean copy.

    Every check runs on whole columns at once; the first row that fails one
    (counting from the top, each row's checks in the order below) gets the
    message, as if the rows were checked one by one.
    """
    table = table.copy()
    table.attrs = {}
    n = len(table)
    interview = table["interview_id"].to_numpy(object)
    number = table["segment_id"].to_numpy(np.int64)
    code = table["code"].to_numpy(object)
    starts = pd.to_numeric(table["start"]).to_numpy(np.float64, na_value=np.nan)
    ends = pd.to_numeric(table["end"]).to_numpy(np.float64, na_value=np.nan)
    problems = [interview == "", code == ""]
    known = set(codebook.codes) if codebook is not None and len(codebook) else None
    problems.append(~pd.Index(code).isin(list(known)) if known is not None else np.zeros(n, bool))
    spans = None
    if segments is not None:
        spans = _segment_spans(segments)
        keys = pd.DataFrame({"interview_id": interview, "segment_id": number})
        found = keys.merge(spans, on=["interview_id", "segment_id"], how="left", sort=False)
        low = found["seg_start"].to_numpy(np.float64, na_value=np.nan)
        high = found["seg_end"].to_numpy(np.float64, na_value=np.nan)
        absent = np.isnan(low)
        problems.append(absent)
        starts = np.where(np.isnan(starts), low, starts)
        ends = np.where(np.isnan(ends), high, ends)
        with np.errstate(invalid="ignore"):
            inside = (low <= starts) & (starts < ends) & (ends <= high)
        problems.append(~absent & ~inside)
    else:
        with np.errstate(invalid="ignore"):
            problems.append(~np.isnan(starts) & ~np.isnan(ends) & (starts >= ends))
    # A repeated row; offsets left blank (no segments to fill them) never repeat.
    dedup = pd.DataFrame(
        {
            "i": interview,
            "n": number,
            "s": starts,
            "e": ends,
            "c": code,
            "k": table["coder"].to_numpy(object),
        }
    )
    comparable = ~(np.isnan(starts) | np.isnan(ends))
    repeated = np.zeros(n, bool)
    repeated[comparable] = dedup[comparable].duplicated().to_numpy()
    problems.append(repeated)
    failing = np.logical_or.reduce(problems) if n else np.zeros(0, bool)
    if failing.any():
        k = int(np.argmax(failing))
        which = next(p for p, mask in enumerate(problems) if mask[k])
        raise _problem(which, k, rows, path, table, starts, ends, known, spans, dedup)
    if not (np.isnan(starts).any() or np.isnan(ends).any()):
        table["start"] = starts.astype(np.int64)
        table["end"] = ends.astype(np.int64)
    else:
        table["start"] = pd.array([None if v != v else int(v) for v in starts], dtype="Int64")
        table["end"] = pd.array([None if v != v else int(v) for v in ends], dtype="Int64")
    return table


def _problem(
    which: int,
    k: int,
    rows: Sequence[int],
    path: str | Path | None,
    table: pd.DataFrame,
    starts: np.ndarray,
    ends: np.ndarray,
    known: set[str] | None,
    spans: pd.DataFrame | None,
    dedup: pd.DataFrame,
) -> CodingError:
    """Return the error for row `k`, which failed check number `which` of :func:`_validate`."""
    row = rows[k]
    interview, number = table["interview_id"].iat[k], int(table["segment_id"].iat[k])
    code = table["code"].iat[k]
    start, end = _number(starts[k]), _number(ends[k])
    if which == 0:
        return CodingError(
            "expected an interview_id in every row, but this one is empty",
            path=path,
            row=row,
            hint="fill in the interview's id (its file name without the extension)",
        )
    if which == 1:
        return CodingError(
            "expected a code in every row, but this one is empty",
            path=path,
            row=row,
            hint="fill in the code, or delete the row",
        )
    if which == 2:
        return CodingError(
            f"expected a code from the codebook, but found {code!r}"
            + did_you_mean(code, known or ()),
            path=path,
            row=row,
            hint="correct the code's spelling, or add the code to codebook.yml",
        )
    if which == 3 and spans is not None:
        same = spans.loc[spans["interview_id"] == interview, "segment_id"]
        if same.empty:
            found = f"there is no interview {interview!r}"
            hint = "check the interview_id against the file names in interviews/"
        else:
            found = f"{interview!r} has segments {same.min()} to {same.max()}"
            hint = "check the segment number (the transcripts may have been re-read)"
        return CodingError(
            f"expected the coding to point at a segment of the project, but segment "
            f"{number} of {interview!r} does not exist: {found}",
            path=path,
            row=row,
            hint=hint,
        )
    if which == 4 and spans is not None:
        span = spans[(spans["interview_id"] == interview) & (spans["segment_id"] == number)]
        low, high = int(span["seg_start"].iat[0]), int(span["seg_end"].iat[0])
        return CodingError(
            f"expected the coding to lie inside segment {number} of {interview!r} "
            f"(offsets {low} to {high}), but it runs from {start} to {end}"
            + (" (beyond the end of its text)" if end > high else ""),
            path=path,
            row=row,
            hint="check the start and end offsets, or leave them empty to code the whole segment",
        )
    if which == 3:
        return CodingError(
            f"expected start before end, but found start {start} and end {end}",
            path=path,
            row=row,
            hint="swap them, or leave both empty to code the whole segment",
        )
    first = int(np.flatnonzero((dedup.iloc[:k] == dedup.iloc[k]).all(axis=1).to_numpy())[0])
    return CodingError(
        f"expected each coding once, but this row repeats row {rows[first]} "
        f"({code!r} on segment {number} of {interview!r})",
        path=path,
        row=row,
        hint="delete one of the two rows",
    )


def _text(table: pd.DataFrame, column: str, blank: str = "") -> np.ndarray:
    """A column's values as stripped text (an object array); missing or blank ones as `blank`."""
    if column not in table.columns:
        return np.full(len(table), blank, dtype=object)
    series = table[column]
    missing = series.isna().to_numpy()
    text = series.astype(str).str.strip().to_numpy(object)
    return np.where(missing | (text == ""), blank, text)


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
        out[column] = pd.array(_text(table, column), "str")
    out["coder"] = pd.array(_text(table, "coder", coder or ""), "str")
    out["method"] = pd.array(_text(table, "method", "manual"), "str")
    return out


def _numbers(table: pd.DataFrame, column: str, *, optional: bool) -> np.ndarray:
    """A column of whole numbers of 0 or more, as int64 (float64 with NaN where blank)."""
    if column not in table.columns:
        return np.full(len(table), np.nan)
    if pd.api.types.is_integer_dtype(table[column]) and not table[column].isna().any():
        return table[column].to_numpy(np.int64)
    bare = pd.DataFrame({column: _text(table, column)}, index=table.index)
    bare.attrs = {"path": table.attrs.get("path"), "rows": table.attrs.get("rows")}
    values = to_numbers(bare, column, low=0, integer=True, optional=optional).to_numpy(float)
    return values.astype(np.int64) if not np.isnan(values).any() else values


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
    unknown = ~base["method"].isin(METHODS).to_numpy()
    if unknown.any():
        k = int(np.argmax(unknown))
        rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
        raise CodingError(
            f"expected the method to be one of {', '.join(METHODS)}, but found "
            f"{base['method'].iat[k]!r}",
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
    other = (typed["coder"] != coder).to_numpy()
    if other.any():
        k = int(np.argmax(other))
        found = typed["coder"].iat[k]
        raise CodingError(
            f"expected the coder {coder!r} (from the file name) in every row, but found {found!r}",
            path=path,
            row=rows[k],
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
    folder = require_folder(
        folder,
        "a folder of coders' files",
        "create the folder 'codings' in the project folder",
        CodingError,
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
    merged = merged.drop_duplicates([*SPAN, "code", "coder", "method"])
    merged = merged.sort_values([*SPAN, "coder", "code"], kind="stable")
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
    typed = typed.sort_values([*SPAN, "code"], kind="stable")
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
