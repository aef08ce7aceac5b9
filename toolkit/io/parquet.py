"""Parquet survey exports: free-text responses in a ``.parquet`` file, or a folder of them.

A national survey (the NHS Friends and Family Test, a consultation) is often
kept as Parquet: one row per response, typed columns, compressed.  The
toolkit reads it like a survey CSV (:mod:`toolkit.io.surveys`): each response
is one document and one segment, the id and text columns are found by name
(or named with ``id_column`` and ``text_column``, ``--id-column`` and
``--text-column`` on the command line), and the other columns become
participant attributes.  Cells that are not text (numbers, dates, true or
false) are read as the text Arrow writes for them (``1``, ``2.5``,
``2024-03-31``, ``true``); missing cells are ``""``.  A row is numbered from 1,
the first response.

Large files are read in pieces: :func:`parquet_pieces` splits the files into
runs of row groups, and :func:`read_piece` reads one into a segments table
with exactly the ids, texts and positions the in-memory reader gives, so
that the Dask engine (:mod:`toolkit.analysis.autocode.dask_engine`) codes
each piece on its own and gets the same codings.

Reading Parquet needs ``pyarrow``, part of the ``scale`` extra
(``pip install 'codesign-toolkit[scale]'``); without it the toolkit says so.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"response_id": ["R1", "R2"], "ward": ["A", "B"],
...               "comment": ["Kind staff.", "Long wait"]}).to_parquet(folder / "fft.parquet")
>>> corpus = read_parquet_survey(folder / "fft.parquet")
>>> corpus.segments[["interview_id", "text"]].values.tolist()
[['R1', 'Kind staff.'], ['R2', 'Long wait']]
>>> corpus.participants.columns.tolist()
['interview_id', 'ward']
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import ToolkitError, TranscriptError
from toolkit.io.corpus import Corpus, ParsedFile, corpus_from_parsed
from toolkit.io.decoding import normalise_text
from toolkit.io.files import atomic_open
from toolkit.io.surveys import TEXT_COLUMN_NAMES, add_response, survey_columns, survey_detail

__all__ = [
    "PIECE_ROWS",
    "SCALE_EXTRA",
    "Piece",
    "needs_extra",
    "parquet_files",
    "parquet_pieces",
    "piece_columns",
    "read_parquet_file",
    "read_parquet_survey",
    "read_piece",
    "survey_rows",
    "text_frame",
    "write_parquet",
]

#: How to install what Parquet and Dask need.
SCALE_EXTRA = "pip install 'codesign-toolkit[scale]'"
#: Row groups are gathered into pieces of at least this many rows.
PIECE_ROWS = 200_000

_NAN = math.nan


def needs_extra(module: str, purpose: str) -> ModuleType:
    """Import `module` from the ``scale`` extra, or raise a ToolkitError saying how to install it.

    Examples
    --------
    >>> needs_extra("no_such_module_here", "to read Parquet files")
    Traceback (most recent call last):
    ...
    toolkit.errors.ToolkitError: expected the package 'no_such_module_here' to be installed \
to read Parquet files, but it is not. How to fix: install the toolkit's scale extra: \
pip install 'codesign-toolkit[scale]'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise ToolkitError(
            f"expected the package '{package}' to be installed {purpose}, but it is not",
            hint=f"install the toolkit's scale extra: {SCALE_EXTRA}",
        ) from None


def _pq(purpose: str = "to read Parquet files") -> Any:
    return needs_extra("pyarrow.parquet", purpose)


def _is_data_file(path: Path, base: Path) -> bool:
    # Spark and Dask leave _SUCCESS, _metadata and .crc files beside the data.
    parts = path.relative_to(base).parts
    return path.suffix.lower() == ".parquet" and not any(p.startswith((".", "_")) for p in parts)


def parquet_files(path: str | Path) -> list[Path]:
    """Return the Parquet file `path`, or the ``.parquet`` files in the folder `path`, in order.

    A folder is read with its sub-folders (``year=2024/part-0.parquet``), in
    name order; hidden files and ``_``-prefixed ones (``_SUCCESS``,
    ``_metadata``) are left out.

    Raises
    ------
    TranscriptError
        If nothing is at `path`, or a folder holds no Parquet files.
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise TranscriptError(
            "expected a Parquet file or a folder of them, but there is nothing at this path",
            path=path,
            hint="check the path",
        )
    files = sorted(
        (p for p in path.rglob("*") if p.is_file() and _is_data_file(p, path)),
        key=lambda p: p.relative_to(path).as_posix().lower(),
    )
    if not files:
        raise TranscriptError(
            "expected .parquet files in this folder, but found none",
            path=path,
            hint="point at the folder that holds the .parquet files",
        )
    return files


def _open(path: Path) -> Any:
    pq = _pq()
    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise TranscriptError(
            f"expected a Parquet file, but it could not be read ({exc})",
            path=path,
            hint="export it again as Parquet, or as CSV UTF-8 (.csv)",
        ) from None


def _texts(column: Any) -> np.ndarray:
    """Return a column's cells as Python text: missing ``""``, other types as Arrow writes them."""
    import pyarrow as pa

    kind = column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        try:
            column = column.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = column.to_pylist()
            return np.array(["" if v is None else str(v) for v in values], dtype=object)
    values = column.to_numpy(zero_copy_only=False)
    values[pd.isna(values)] = ""
    return values.astype(object, copy=False)


def text_frame(table: Any) -> pd.DataFrame:
    """Return an Arrow table as a DataFrame of text cells (see :mod:`toolkit.io.parquet`)."""
    return pd.DataFrame(
        {
            str(name): _texts(column)
            for name, column in zip(table.column_names, table.columns, strict=True)
        },
        dtype=object,
    )


def _no_line(exc: TranscriptError, path: Path) -> TranscriptError:
    # A Parquet file has no header line: say the file, not "line 1".
    return TranscriptError(exc.message, path=path, row=exc.row, hint=exc.hint)


def piece_columns(
    path: Path, id_column: str | None, text_column: str | None
) -> tuple[str | None, str]:
    """Return the id and text columns of the Parquet file `path`, found as for a survey CSV.

    Only the file's schema is read when the columns are named or found by
    name; the whole file is read when the text column must be found by its
    answers (name it with `text_column` to avoid that).
    """
    parquet = _open(path)
    names = [str(n) for n in parquet.schema_arrow.names]
    if parquet.metadata.num_rows == 0:
        raise TranscriptError(
            "expected survey responses, but the file holds no rows",
            path=path,
            hint="add the responses, one per row",
        )
    named = text_column is not None or any(n.lower().strip() in TEXT_COLUMN_NAMES for n in names)
    frame = pd.DataFrame(columns=names, dtype=object) if named else text_frame(parquet.read())
    try:
        return survey_columns(frame, path, id_column, text_column)
    except TranscriptError as exc:
        raise _no_line(exc, path) from None


@dataclass(frozen=True)
class Piece:
    """A run of row groups of one Parquet file: what one task reads and codes.

    Attributes
    ----------
    path
        The file.
    row_groups
        The row groups read, in order.
    first_row
        The number of the piece's first row in the file (the first response is row 1).
    rows
        How many rows the piece holds.
    """

    path: Path
    row_groups: tuple[int, ...]
    first_row: int
    rows: int


def parquet_pieces(path: str | Path, rows: int = PIECE_ROWS) -> list[Piece]:
    """Split the Parquet file or folder `path` into pieces of whole row groups, in order.

    Each piece holds at least `rows` rows (fewer at the end of a file); a
    row group is never split.  Only the files' footers are read.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "fft.parquet"
    >>> pd.DataFrame({"text": ["a b c d"] * 5}).to_parquet(file, row_group_size=2)
    >>> [(p.row_groups, p.first_row, p.rows) for p in parquet_pieces(file, rows=3)]
    [((0, 1), 1, 4), ((2,), 5, 1)]
    """
    pieces = []
    for file in parquet_files(path):
        meta = _open(file).metadata
        groups: list[int] = []
        first = count = 1
        for group in range(meta.num_row_groups):
            groups.append(group)
            count += meta.row_group(group).num_rows
            if count - first >= rows:
                pieces.append(Piece(file, tuple(groups), first, count - first))
                groups, first = [], count
        if groups:
            pieces.append(Piece(file, tuple(groups), first, count - first))
    return pieces


def survey_rows(
    frame: pd.DataFrame, path: Path, id_col: str | None, text_col: str, first_row: int = 1
) -> dict[str, Any]:
    """Turn a frame of text cells into responses, exactly as a survey file's rows are read.

    Returns
    -------
    dict
        ``ids`` (every row's id), ``rows`` (row numbers), ``texts`` (the
        normalised text, ``""`` for an empty answer) and ``attributes`` (the
        other columns).

    Raises
    ------
    TranscriptError
        If an id is empty or repeated, naming the row.
    """
    rows = np.arange(first_row, first_row + len(frame))
    if id_col is None:
        ids = [f"{path.stem}-r{r}" for r in rows.tolist()]
    else:
        ids = [" ".join(str(v).split()) for v in frame[id_col].tolist()]
        empty = [i for i, v in enumerate(ids) if not v]
        if empty:
            raise TranscriptError(
                f"expected an id in column '{id_col}' in every row, but this one is empty",
                path=path,
                row=int(rows[empty[0]]),
                hint="give every response its own id",
            )
        repeated = pd.Series(ids).duplicated()
        if repeated.any():
            second = int(np.flatnonzero(repeated.to_numpy())[0])
            first = ids.index(ids[second])
            raise TranscriptError(
                f"expected each response id once, but '{ids[second]}' is also in row "
                f"{int(rows[first])} (duplicate interview ids)",
                path=path,
                row=int(rows[second]),
                hint="give each response its own id, or remove the repeated row",
            )
    texts = [normalise_text(str(t)).strip() for t in frame[text_col].tolist()]
    attributes = frame[[c for c in frame.columns if c not in (id_col, text_col)]]
    return {"ids": ids, "rows": rows, "texts": texts, "attributes": attributes}


def read_piece(
    piece: Piece, id_col: str | None, text_col: str, *, attributes: bool = False
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read one piece into a segments table (and, with `attributes`, its participants).

    The segments are those the in-memory reader gives for the same rows:
    one per response with text, numbered 1, spoken by the response id.
    """
    columns = None if attributes else [c for c in (id_col, text_col) if c is not None]
    table = _open(piece.path).read_row_groups(list(piece.row_groups), columns=columns)
    try:
        found = survey_rows(text_frame(table), piece.path, id_col, text_col, piece.first_row)
    except TranscriptError as exc:
        raise _no_line(exc, piece.path) from None
    ids, texts = found["ids"], found["texts"]
    keep = [i for i, t in enumerate(texts) if t]
    kept_ids = [ids[i] for i in keep]
    kept_texts = [texts[i] for i in keep]
    segments = pd.DataFrame(
        {
            "interview_id": pd.array(kept_ids, dtype="str"),
            "segment_id": np.ones(len(keep), dtype=np.int64),
            "speaker": pd.array(kept_ids, dtype="str"),
            "start": np.zeros(len(keep), dtype=np.int64),
            "end": np.fromiter(map(len, kept_texts), dtype=np.int64, count=len(keep)),
            "text": pd.array(kept_texts, dtype="str"),
            "t_start": np.full(len(keep), _NAN),
            "t_end": np.full(len(keep), _NAN),
        }
    )
    if not attributes:
        return segments
    people = found["attributes"].reset_index(drop=True)
    people.insert(0, "interview_id", ids)
    return segments, people


def read_parquet_file(
    path: Path, id_column: str | None = None, text_column: str | None = None
) -> ParsedFile:
    """Read one Parquet file into a :class:`~toolkit.io.corpus.ParsedFile` (the in-memory reader).

    See :mod:`toolkit.io.parquet` for the columns, and
    :func:`toolkit.io.surveys.read_survey` for the errors.
    """
    id_col, text_col = piece_columns(path, id_column, text_column)
    try:
        found = survey_rows(text_frame(_open(path).read()), path, id_col, text_col)
    except TranscriptError as exc:
        raise _no_line(exc, path) from None
    try:
        return _parsed(path, found, id_col, text_col)
    except MemoryError:
        pass  # leave the except block first, so that the half-built lists are freed
    found = None
    raise ToolkitError(
        "expected the answers to fit in this computer's memory, but they do not",
        path=path,
        hint="code them in pieces on Dask: codesign-toolkit code DIR --engine dask (with "
        f"the scale extra: {SCALE_EXTRA})",
    )


def _parsed(path: Path, found: dict, id_col: str | None, text_col: str) -> ParsedFile:
    """Return the in-memory reader's records of the rows `found` by :func:`survey_rows`."""
    attributes = found["attributes"]
    names = list(attributes.columns)
    documents, segments, participants = [], [], []
    columns = [attributes[c].tolist() for c in names]
    for i, (rid, row, text) in enumerate(
        zip(found["ids"], found["rows"].tolist(), found["texts"], strict=True)
    ):
        cells = {c: col[i] for c, col in zip(names, columns, strict=True)}
        participants.append({"interview_id": rid, **cells})
        if not text:
            continue
        add_response(documents, segments, rid, text, f"{path.name}, row {row}", "utf-8")
    empty = len(participants) - len(documents)
    detail = survey_detail(len(documents), id_col, text_col, names, empty, " in Parquet")
    rows = found["rows"].tolist()
    return ParsedFile(documents, segments, "survey", "utf-8", detail, participants, rows)


def read_parquet_survey(
    path: str | Path, id_column: str | None = None, text_column: str | None = None
) -> Corpus:
    """Read a Parquet file, or a folder of them, of survey free-text responses.

    Parameters
    ----------
    path
        A ``.parquet`` file, or a folder of them (read in name order, with
        its sub-folders).
    id_column, text_column
        The columns holding each response's id and its free text (found by
        name if not given, as for a survey CSV).

    Returns
    -------
    Corpus
        Documents, segments and participants (the other columns).

    Raises
    ------
    TranscriptError
        If a file is not Parquet, a named column is missing, or an id is
        empty or repeated (naming the row).
    """
    parsed = [read_parquet_file(file, id_column, text_column) for file in parquet_files(path)]
    return corpus_from_parsed(parsed, [])


def write_parquet(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table to the Parquet file `path`, atomically, without the index."""
    pq = _pq("to write Parquet files")
    import pyarrow as pa

    plain = table.copy(deep=False)
    plain.attrs = {}  # notes for charts and messages, not data
    arrow = pa.Table.from_pandas(plain, preserve_index=False)
    # Plain strings, as the Dask engine's part files have them (not large_string).
    arrow = arrow.cast(
        pa.schema(
            [
                f.with_type(pa.string()) if pa.types.is_large_string(f.type) else f
                for f in arrow.schema
            ],
            metadata=arrow.schema.metadata,
        )
    )
    with atomic_open(path, "wb", encoding=None) as fh:
        pq.write_table(arrow, fh)
    return Path(path)
