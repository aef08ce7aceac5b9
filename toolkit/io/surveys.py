"""Survey exports: free-text responses in a CSV, TSV or Excel (.xlsx) file.

Each response is one document and one segment (its speaker is the response
id); the other columns become participant attributes.  The id and text
columns are found by name (:data:`ID_COLUMN_NAMES`, :data:`TEXT_COLUMN_NAMES`)
unless given; failing a text column named like one, the column with the
longest answers is taken.  In a project, ``project.yml`` can name them::

    settings:
      interviews:
        id_column: response_id
        text_column: response
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import pandas as pd

from toolkit.errors import ToolkitError, TranscriptError
from toolkit.io.corpus import Corpus, ParsedFile, corpus_from_parsed
from toolkit.io.decoding import decode_transcript, normalise_text, read_transcript_bytes
from toolkit.io.files import decode_bytes, read_table
from toolkit.wording import did_you_mean, plural

__all__ = [
    "ID_COLUMN_NAMES",
    "TEXT_COLUMN_NAMES",
    "add_response",
    "read_survey",
    "read_survey_file",
    "survey_columns",
    "survey_detail",
    "survey_table",
]

_NAN = math.nan

#: Column names taken as a response's id, in order of preference (compared in lower case).
ID_COLUMN_NAMES = [
    "interview_id",
    "response_id",
    "respondent_id",
    "participant_id",
    "submission_id",
    "id",
    "responseid",
    "respondentid",
    "respondent",
]
#: Column names taken as the free-text response, in order of preference (lower case).
TEXT_COLUMN_NAMES = [
    "text",
    "response",
    "answer",
    "comment",
    "comments",
    "free_text",
    "free text",
    "feedback",
    "your answer",
]


def survey_table(
    path: Path, raw: bytes, sheet: str | int | None = None, *, repeated: bool = False
) -> tuple[pd.DataFrame, str]:
    """Return a survey file's cells as a table of text, and its encoding (``xlsx`` for Excel).

    ``table.attrs["rows"]`` holds each record's spreadsheet row.  A column
    name given twice is named ``Name.1`` the second time (an error in a CSV
    file unless `repeated`); ``table.attrs["repeated"]`` maps such names to
    the header's.
    """
    if path.suffix.lower() == ".xlsx":
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            raise TranscriptError(
                "expected an Excel .xlsx workbook (a zip package), but found something else",
                path=path,
                hint="open it in Excel and save it as .xlsx, or as CSV UTF-8 (.csv)",
            )
        try:
            cells = pd.read_excel(io.BytesIO(raw), sheet_name=sheet or 0, dtype=str, header=None)
        except (ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise TranscriptError(
                f"expected a readable Excel workbook, but it could not be read ({exc})",
                path=path,
                hint="open it in Excel, check the sheet name, and save it again",
            ) from None
        cells = cells.fillna("").astype(object).apply(lambda c: c.map(lambda v: str(v).strip()))
        header: list[str] = []
        renamed: dict[str, str] = {}
        for k, name in enumerate(cells.iloc[0].tolist() if len(cells) else []):
            name = name or f"Unnamed: {k}"
            if name in header:
                n = 1
                while f"{name}.{n}" in header:
                    n += 1
                renamed[f"{name}.{n}"] = name
                name = f"{name}.{n}"
            header.append(name)
        table = cells.iloc[1:].reset_index(drop=True)
        table.columns = header
        keep = [i for i, r in enumerate(table.itertuples(index=False)) if any(r)]
        rows = [i + 2 for i in keep]
        table = table.iloc[keep].reset_index(drop=True)
        table.attrs.update(rows=rows, repeated=renamed)
        return table, "xlsx"
    decode_transcript(raw, path, "survey CSV")  # the same messages for empty and binary files
    try:
        table = read_table(path, what="survey responses", allow_empty=False, repeated=repeated)
    except TranscriptError:
        raise
    except ToolkitError as exc:
        raise TranscriptError(
            exc.message, path=path, line=exc.line, row=exc.row, hint=exc.hint
        ) from None
    return table, decode_bytes(raw, path)[1]


def _pick_column(
    table: pd.DataFrame, given: str | None, names: list[str], what: str, path: Path
) -> str | None:
    columns = list(table.columns)
    if given is not None:
        if given not in columns:
            raise TranscriptError(
                f"expected a column '{given}' for the {what}, but the header has "
                + ", ".join(repr(c) for c in columns)
                + did_you_mean(given, columns),
                path=path,
                line=1,
                hint=f"name the {what} column with one of those (names are case-sensitive), "
                "or rename the column in the file",
            )
        return given
    lower = {c.lower().strip(): c for c in columns}
    for name in names:
        if name in lower:
            return lower[name]
    return None


def read_survey(
    path: str | Path,
    id_column: str | None = None,
    text_column: str | None = None,
    *,
    sheet: str | int | None = None,
) -> Corpus:
    """Read a CSV or Excel file of survey free-text responses into a :class:`Corpus`.

    Each response is one document and one segment (its speaker is the
    response id); the other columns become participant attributes.

    Parameters
    ----------
    path
        A ``.csv``, ``.tsv`` or ``.xlsx`` file with one row per response.
    id_column
        The column holding each response's id.  By default the first of
        ``interview_id``, ``response_id``, ``respondent_id``, ``id`` ...;
        without one, ids are made from the file name and row
        (``survey-r2``).
    text_column
        The column holding the free text.  By default the first of ``text``,
        ``response``, ``answer``, ``comment`` ..., else the column with the
        longest answers.
    sheet
        For Excel files, the sheet name or number (the first by default).

    Raises
    ------
    TranscriptError
        If a named column is missing, or an id is empty or repeated (naming
        the row).
    """
    path = Path(path)
    raw = read_transcript_bytes(path)
    return corpus_from_parsed([read_survey_file(path, raw, id_column, text_column, sheet)], [])


def survey_columns(
    table: pd.DataFrame, path: Path, id_column: str | None, text_column: str | None
) -> tuple[str | None, str]:
    """Return the id column (None: ids from row numbers) and the text column of a survey table.

    Columns named in the options win; otherwise they are found by name
    (:data:`ID_COLUMN_NAMES`, :data:`TEXT_COLUMN_NAMES`) and, failing a text
    column named like one, the column with the longest answers is taken.
    The cells are text (missing cells are ``""``).

    Raises
    ------
    TranscriptError
        If a named column is missing, no column holds free text, or both
        are the same column.
    """
    id_col = _pick_column(table, id_column, ID_COLUMN_NAMES, "response ids", path)
    text_col = _pick_column(table, text_column, TEXT_COLUMN_NAMES, "response text", path)
    if text_col is None:
        # Failing a column named like text, take the one with the longest
        # answers, if its answers look like sentences (several words each).
        lengths = {}
        for c in table.columns:
            cells = table[c].astype(str)
            cells = cells[cells.str.strip() != ""]
            if c != id_col and len(cells) and cells.str.split().str.len().median() >= 4:
                lengths[c] = cells.str.len().mean()
        if not lengths:
            raise TranscriptError(
                "expected a column of free-text responses (named, for example, 'response' or "
                "'text'), but found none among " + ", ".join(repr(c) for c in table.columns),
                path=path,
                line=1,
                hint="name the column that holds the answers (text_column=..., or "
                "'text_column:' under 'settings: interviews:' in project.yml)",
            )
        text_col = max(lengths, key=lambda c: lengths[c])
    if id_col == text_col:
        raise TranscriptError(
            f"expected different columns for the ids and the text, but both are '{id_col}'",
            path=path,
            line=1,
            hint="name the id column and the text column separately",
        )
    return id_col, text_col


def read_survey_file(
    path: Path,
    raw: bytes,
    id_column: str | None,
    text_column: str | None,
    sheet: str | int | None = None,
) -> ParsedFile:
    """Read a survey file's bytes into a :class:`~toolkit.io.corpus.ParsedFile`.

    See :func:`read_survey` for the columns and the errors.
    """
    table, encoding = survey_table(path, raw, sheet)
    rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
    if table.empty:
        raise TranscriptError(
            "expected survey responses under the header, but found no rows",
            path=path,
            hint="add the responses, one per row",
        )
    id_col, text_col = survey_columns(table, path, id_column, text_column)
    attributes = [c for c in table.columns if c not in (id_col, text_col)]
    seen: dict[str, int] = {}
    documents, segments, participants = [], [], []
    empty = 0
    for row, record in zip(rows, table.to_dict("records"), strict=True):
        if id_col is None:
            rid = f"{path.stem}-r{row}"
        else:
            rid = " ".join(str(record[id_col]).split())
            if not rid:
                raise TranscriptError(
                    f"expected an id in column '{id_col}' in every row, but this one is empty",
                    path=path,
                    row=row,
                    hint="give every response its own id",
                )
        if rid in seen:
            raise TranscriptError(
                f"expected each response id once, but '{rid}' is also in row {seen[rid]} "
                "(duplicate interview ids)",
                path=path,
                row=row,
                hint="give each response its own id, or remove the repeated row",
            )
        seen[rid] = row
        participants.append({"interview_id": rid, **{c: record[c] for c in attributes}})
        text = normalise_text(str(record[text_col])).strip()
        if not text:
            empty += 1
            continue
        add_response(documents, segments, rid, text, f"{path.name}, row {row}", encoding)
    detail = survey_detail(len(documents), id_col, text_col, attributes, empty)
    return ParsedFile(documents, segments, "survey", encoding, detail, participants, list(rows))


def add_response(
    documents: list[dict], segments: list[tuple], rid: str, text: str, source: str, encoding: str
) -> None:
    """Add one survey response: its document, and its one segment (the whole answer)."""
    documents.append(
        {
            "interview_id": rid,
            "text": text,
            "source": source,
            "format": "survey",
            "encoding": encoding,
        }
    )
    segments.append((rid, 1, rid, 0, len(text), text, _NAN, _NAN))


def survey_detail(
    responses: int,
    id_col: str | None,
    text_col: str,
    attributes: list[str],
    empty: int,
    kind: str = "",
) -> str:
    """Say what was read from a survey, for the read report (`kind` such as " in Parquet")."""
    detail = (
        f"{plural(responses, 'survey response')}{kind} (ids: "
        + (f"column '{id_col}'" if id_col else "made from the row numbers")
        + f"; text: column '{text_col}')"
    )
    if attributes:
        detail += "; participant attributes: " + ", ".join(attributes)
    if empty:
        detail += f"; {plural(empty, 'empty response')} skipped"
    return detail
