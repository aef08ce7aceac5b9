"""Plain text, Markdown and Otter.ai transcripts.

Speaker turns are written ``Name: text``, ``Q:``/``A:``,
``Interviewer:``/``Participant:``, ``[Int2]:`` or, in Markdown,
``**Name:** text`` (see :mod:`toolkit.io.speakers` for which labels count);
paragraphs without a speaker become segments with an empty speaker.  An
Otter.ai export (a ``Name  0:00`` line before each turn) is recognised, and
each turn's ``t_start`` is its time.  The document text is the file's text,
normalised, so a segment's span points straight into the file.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from toolkit.errors import TranscriptError
from toolkit.io.corpus import ParsedFile, add_columns, segment_columns, segment_rows, segment_table
from toolkit.io.decoding import decode_transcript
from toolkit.io.speakers import label_at, speakers_detail, text_turns

__all__ = ["read_text_file", "segment_text"]

_NAN = math.nan

# Otter.ai: "Sam Reid  0:00" or "Speaker 1  1:02:03" on a line of its own.  Lines ending
# in a time are found first (a fast search); the name before the time is then checked.
_OTTER_END = re.compile(r"\d:\d\d[ \t]*$", re.M)
_OTTER_LINE = re.compile(r"(?:(?P<name>.*?)[ \t]+)?(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})[ \t]*")


def _seconds(clock: str) -> float:
    parts = [int(p) for p in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    return float(parts[0] * 3600 + parts[1] * 60 + parts[2])


def _otter_headers(text: str) -> list[tuple[int, int, str, str]]:
    """Return the Otter turn headers, (start, end, speaker, time), if there are two or more."""
    headers = []
    for match in _OTTER_END.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = _OTTER_LINE.fullmatch(text, line_start, match.end())
        if line is None:
            continue
        name = " ".join((line.group("name") or "").split())
        if len(name) > 60:
            continue
        if name:
            found = label_at(name + ": ")
            if found is None or found[0] != name.strip("[]").strip():
                continue
            name = found[0]
        headers.append((line_start, match.end(), name, line.group("time")))
    return headers if len(headers) >= 2 else []


def read_text_file(path: Path, interview_id: str, raw: bytes, kind: str) -> ParsedFile:
    """Read a plain-text or Markdown transcript (`kind` ``"text"`` or ``"markdown"``).

    Raises
    ------
    TranscriptError
        If the file is not text, or holds no turns or paragraphs.
    """
    text, encoding = decode_transcript(raw, path, "text" if kind == "text" else "Markdown")
    headers = _otter_headers(text)
    if headers:
        turns: list[tuple] = []
        preamble = text[: headers[0][0]]
        turns += [(s, a, b, _NAN, _NAN) for s, a, b in text_turns(preamble)]
        for i, (_start, header_end, name, clock) in enumerate(headers):
            body_end = headers[i + 1][0] if i + 1 < len(headers) else len(text)
            body = text[header_end:body_end]
            start = header_end + (len(body) - len(body.lstrip()))
            end = header_end + len(body.rstrip())
            if end > start:
                turns.append((name, start, end, _seconds(clock), _NAN))
        kind = "otter"
        rows = segment_rows(interview_id, text, turns, times=True)
        detail = f"Otter.ai export: {speakers_detail(turns)}"
    else:
        turns = text_turns(text)
        rows = segment_rows(interview_id, text, turns)
        detail = speakers_detail(turns)
    if not rows:
        raise TranscriptError(
            "expected speaker turns or paragraphs of text, but found none",
            path=path,
            hint="check the file holds the transcript",
        )
    doc = {"interview_id": interview_id, "text": text, "source": path.name, "format": kind}
    return ParsedFile([{**doc, "encoding": encoding}], rows, kind, encoding, detail)


def segment_text(text: str, interview_id: str) -> pd.DataFrame:
    """Split a document's text into segments, as a plain-text transcript would be.

    Other importers (REFI-QDA) use this so that a project saved with its
    documents as ``.txt`` files opens again with exactly the same segments.

    Parameters
    ----------
    text
        The document's text, already normalised (NFC, ``\\n`` line endings).
    interview_id
        The id the segments get.

    Returns
    -------
    pandas.DataFrame
        The segments table; empty when the text holds no words.

    Examples
    --------
    >>> text = "Sam: Hello.\\n\\nAsha: Hi there.\\n\\nSam: Shall we start?\\n\\nAsha: Yes."
    >>> segment_text(text, "int01")[["speaker", "start", "text"]]
      speaker  start             text
    0     Sam      5           Hello.
    1    Asha     19        Hi there.
    2     Sam     35  Shall we start?
    3    Asha     58             Yes.
    """
    try:
        parsed = read_text_file(Path(f"{interview_id}.txt"), interview_id, text.encode(), "text")
    except TranscriptError:
        return segment_table(segment_columns())
    columns = segment_columns()
    add_columns(columns, parsed)
    return segment_table(columns)
