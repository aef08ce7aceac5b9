"""Read interview transcripts into the ``documents`` and ``segments`` tables."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import TranscriptError

__all__ = ["Corpus", "read_corpus", "read_transcripts"]

SEGMENT_COLUMNS = ["interview_id", "segment_id", "speaker", "start", "end", "text"]
_TURN = re.compile(r"^(?P<speaker>[A-Z][\w .'-]{0,40}):\s+")


@dataclass
class Corpus:
    """The documents, segments and per-file report of a set of transcripts."""

    documents: pd.DataFrame
    segments: pd.DataFrame
    report: pd.DataFrame


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise TranscriptError(
            "expected a transcript, but the file is empty", path=path, hint="remove the file"
        )
    text = raw.decode("utf-8-sig")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _segments_of(interview_id: str, text: str) -> list[dict]:
    rows = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        para = match.group(0)
        turn = _TURN.match(para)
        speaker = turn.group("speaker") if turn else ""
        offset = turn.end() if turn else 0
        start, end = match.start() + offset, match.end()
        rows.append(
            {
                "interview_id": interview_id,
                "segment_id": len(rows) + 1,
                "speaker": speaker,
                "start": start,
                "end": end,
                "text": text[start:end],
            }
        )
    return rows


def read_corpus(path: str | Path) -> Corpus:
    """Read a transcript file or a folder of them into a :class:`Corpus`."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.suffix == ".txt") if path.is_dir() else [path]
    documents, segments, report = [], [], []
    for file in files:
        text = _read_text(file)
        documents.append({"interview_id": file.stem, "text": text, "source": file.name})
        rows = _segments_of(file.stem, text)
        segments.extend(rows)
        report.append(
            {"file": file.name, "kind": "text", "status": "ok", "detail": f"{len(rows)} segments"}
        )
    return Corpus(
        pd.DataFrame(documents, columns=["interview_id", "text", "source"]),
        pd.DataFrame(segments, columns=SEGMENT_COLUMNS),
        pd.DataFrame(report, columns=["file", "kind", "status", "detail"]),
    )


def read_transcripts(path: str | Path) -> pd.DataFrame:
    """Read a transcript file or a folder of them into a segments table."""
    return read_corpus(path).segments
