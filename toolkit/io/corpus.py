"""A corpus: the documents and segments read from a set of transcripts, with a report.

Each reader (:mod:`toolkit.io.text`, :mod:`toolkit.io.subtitles`,
:mod:`toolkit.io.word`, :mod:`toolkit.io.surveys`) turns one file into a
:class:`ParsedFile`; the functions here gather those into a :class:`Corpus`
whose tables are exactly :data:`toolkit.tables.DOCUMENTS` and
:data:`toolkit.tables.SEGMENTS`.  Segment rows are kept as tuples while a
file is read and moved into compact columns as soon as it is done, so a
large corpus is read without a Python object per cell.

Examples
--------
>>> from toolkit import tables
>>> corpus = Corpus()
>>> tables.conforms(corpus.documents, "documents"), tables.conforms(corpus.segments, "segments")
(True, True)
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from toolkit import tables
from toolkit.errors import TranscriptError

if TYPE_CHECKING:
    from toolkit.io.speakers import TurnBuilder

__all__ = [
    "REPORT_COLUMNS",
    "Corpus",
    "ParsedFile",
    "add_columns",
    "build_corpus",
    "corpus_from_parsed",
    "parsed_from_builder",
    "report_row",
    "segment_columns",
    "segment_rows",
    "segment_table",
]

#: The columns of the per-file report of :func:`toolkit.io.reading.read_corpus`.
REPORT_COLUMNS = ["file", "kind", "status", "detail", "interview_id", "encoding", "segments"]

_NAN = math.nan


@dataclass
class Corpus:
    """Hold the documents, segments and per-file report of a set of transcripts.

    Attributes
    ----------
    documents
        One row per interview (or survey response): the ``documents`` table
        (``interview_id, text, source, format, encoding``).
    segments
        One row per speaker turn: the ``segments`` table (``interview_id,
        segment_id, speaker, start, end, text, t_start, t_end``).
    report
        One row per file: ``file, kind, status, detail, interview_id,
        encoding, segments``; ``status`` is ``ok`` or ``error``.
    participants
        Participant rows from survey files (their attribute columns).
    errors
        The :class:`~toolkit.errors.TranscriptError` of each file that failed.
    """

    documents: pd.DataFrame = field(default_factory=tables.empty_documents)
    segments: pd.DataFrame = field(default_factory=tables.empty_segments)
    report: pd.DataFrame = field(default_factory=lambda: _empty_report())
    participants: pd.DataFrame = field(default_factory=tables.empty_participants)
    errors: list[TranscriptError] = field(default_factory=list)

    def __repr__(self) -> str:
        bad = len(self.errors)
        return (
            f"<Corpus: {len(self.documents)} documents, {len(self.segments)} segments"
            + (f", {bad} file(s) with errors" if bad else "")
            + ">"
        )


def _empty_report() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REPORT_COLUMNS})


@dataclass
class ParsedFile:
    """What one file gave: its documents, segments and a line for the report.

    ``segments`` holds tuples in the order of the segments table's columns
    (see :func:`segment_rows`); ``participants`` and ``rows`` are filled for
    survey files (the spreadsheet row of each participant).
    """

    documents: list[dict]
    segments: list[tuple]
    kind: str
    encoding: str
    detail: str
    participants: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each participant


def segment_rows(
    interview_id: str, text: str, turns: Iterable[tuple], times: bool = False
) -> list[tuple]:
    """Return segment rows: tuples in the segments table's column order (light on memory).

    Each turn is ``(speaker, start, end)``, or with `times`
    ``(speaker, start, end, t_start, t_end)`` in seconds; segments are
    numbered from 1.

    Examples
    --------
    >>> segment_rows("int01", "Sam: Hi.", [("Sam", 5, 8)])
    [('int01', 1, 'Sam', 5, 8, 'Hi.', nan, nan)]
    """
    return [
        (
            interview_id,
            number,
            turn[0],
            turn[1],
            turn[2],
            text[turn[1] : turn[2]],
            round(turn[3], 3) if times else _NAN,
            round(turn[4], 3) if times else _NAN,
        )
        for number, turn in enumerate(turns, start=1)
    ]


def parsed_from_builder(
    path: Path, interview_id: str, builder: TurnBuilder, kind: str, encoding: str, detail: str
) -> ParsedFile:
    """Return the :class:`ParsedFile` of a transcript written by a :class:`TurnBuilder`.

    Raises
    ------
    TranscriptError
        If the builder holds no turns.
    """
    if not builder.turns:
        raise TranscriptError(
            "expected some transcript text, but found none",
            path=path,
            hint="check the file holds the transcript",
        )
    text = builder.text
    rows = segment_rows(interview_id, text, builder.turns, times=kind in ("webvtt", "srt"))
    doc = {"interview_id": interview_id, "text": text, "source": path.name, "format": kind}
    return ParsedFile([{**doc, "encoding": encoding}], rows, kind, encoding, detail)


# Each segments column's array typecode (None: a list of text).
_SEGMENT_TYPES = [
    {tables.WHOLE: "q", tables.NUMBER: "d"}.get(dtype) for dtype in tables.SEGMENTS.columns.values()
]


def segment_columns() -> list:
    """Return empty columns for segment rows: compact arrays for the numbers."""
    return [[] if code is None else array(code) for code in _SEGMENT_TYPES]


def segment_table(columns: list) -> pd.DataFrame:
    """Build the segments table column by column (no row objects kept alive)."""
    data = {}
    for name, values, code in zip(tables.SEGMENTS.names, columns, _SEGMENT_TYPES, strict=True):
        if code is None:
            data[name] = pd.Series(values, dtype="str")
        else:
            data[name] = pd.Series(np.frombuffer(values, dtype="int64" if code == "q" else "f8"))
    return pd.DataFrame(data)


def corpus_from_parsed(parsed: list[ParsedFile], report: list[dict]) -> Corpus:
    """Gather parsed files into a :class:`Corpus`.

    The report is made from the files when `report` is empty.
    """
    documents = [d for p in parsed for d in p.documents]
    columns = segment_columns()
    for p in parsed:
        add_columns(columns, p)
    participants = [r for p in parsed for r in p.participants]
    if not report:
        report = [report_row(p) for p in parsed]
    return build_corpus(documents, columns, report, participants)


def add_columns(columns: list, parsed: ParsedFile) -> None:
    """Move a file's segment rows into the column lists, freeing the rows."""
    if not parsed.segments:  # a survey whose responses are all empty
        return
    for column, values in zip(columns, zip(*parsed.segments, strict=True), strict=True):
        column.extend(values)
    parsed.segments = []


def build_corpus(
    documents: list[dict], columns: list, report: list[dict], participants: list[dict]
) -> Corpus:
    """Return a :class:`Corpus` from its parts, each table in its schema's shape.

    The parts are document records, the segment columns (see
    :func:`segment_columns`), report rows and participant records.
    """
    names = ["interview_id"]
    names += [c for c in dict.fromkeys(c for r in participants for c in r) if c != "interview_id"]
    participant_table = pd.DataFrame(participants, columns=names).fillna("")
    return Corpus(
        pd.DataFrame(documents, columns=tables.DOCUMENTS.names),
        segment_table(columns),
        pd.DataFrame(report, columns=REPORT_COLUMNS),
        participant_table,
    )


def report_row(p: ParsedFile, file: str | None = None) -> dict:
    """Return the report row (see :data:`REPORT_COLUMNS`) of a file read without error."""
    ids = [d["interview_id"] for d in p.documents]
    return {
        "file": file or (p.documents[0]["source"].split(",")[0] if p.documents else ""),
        "kind": p.kind,
        "status": "ok",
        "detail": p.detail,
        "interview_id": ids[0] if len(ids) == 1 else f"{len(ids)} responses",
        "encoding": p.encoding,
        "segments": len(p.segments),
    }
