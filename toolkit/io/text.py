"""Plain text, Markdown and Otter.ai transcripts.

Speaker turns are written ``Name: text``, ``Q:``/``A:``,
``Interviewer:``/``Participant:``, ``[Int2]:`` or, in Markdown,
``**Name:** text`` (see :mod:`toolkit.io.speakers` for which labels count);
paragraphs without a speaker become segments with an empty speaker, and a
text where few lines start with a name (a comment thread, notes) has no
speakers at all (see :func:`~toolkit.io.speakers.few_speakers`).  An
Otter.ai export (a ``Name  0:00`` line before each turn) is recognised: each
turn's ``t_start`` is its time and its ``t_end`` the next turn's time (the
last turn's is left empty, as the export does not say when it ends).

A line that is only a transcription tool's own note, such as Otter's closing
``Transcribed by https://otter.ai`` (see :data:`TOOL_NOTICES`), is left out
of the segments, so it is never coded or quoted.  The document text is the
file's text, normalised, so a segment's span points straight into the file.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from toolkit.errors import TranscriptError
from toolkit.io.corpus import ParsedFile, add_columns, segment_columns, segment_rows, segment_table
from toolkit.io.decoding import decode_transcript
from toolkit.io.speakers import few_speakers, label_at, speakers_detail, text_turns
from toolkit.wording import listing

__all__ = [
    "TOOL_NOTICES",
    "drop_tool_notes",
    "notes_detail",
    "read_text_file",
    "segment_text",
    "tool_notices",
]

_NAN = math.nan

#: Lines that transcription tools add to their exports, as seen in real exports:
#: Otter.ai's footer, the free versions' notices of TurboScribe and Sonix, and
#: the footers of Cockatoo and Fireflies.  A line that is only one of these
#: (in brackets, italics or bold, or not) is not part of anyone's speech.
TOOL_NOTICES = {
    "Otter.ai": r"transcribed by (?:https?://)?(?:www\.)?otter\.ai/?",
    "TurboScribe": r"transcribed by turboscribe(?:\.ai)?\. go unlimited to remove this message\.?",
    "Sonix": r"(?:audio automatically )?transcribed by sonix(?:\.ai)?(?: - remove this message"
    r" by upgrading your sonix account today!?)?",
    "Cockatoo": r"transcribed with cockatoo",
    "Fireflies": r"transcribed by fireflies(?:\.ai)?",
}
_NOTICE_LINE = re.compile(
    r"^[ \t]*[(_*]{0,3}[ \t]*(?:"
    + "|".join(TOOL_NOTICES.values())
    + r")[ \t]*[)_*]{0,3}[ \t]*\.?[ \t]*$",
    re.I | re.M,
)
#: A note inside a subtitle cue: in brackets, italics or bold anywhere (TurboScribe opens
#: the first cue with its notice in brackets, before the speech), or the whole cue.
_NOTICE_IN_CUE = re.compile(
    r"[ \t]*(?:\([ \t]*(?P<round>NOTE)[ \t]*\)|\[[ \t]*(?P<square>NOTE)[ \t]*\]"
    r"|(?P<mark>[_*]{1,3})[ \t]*(?P<marked>NOTE)[ \t]*(?P=mark)|^[ \t]*(?P<whole>NOTE)[ \t]*$)"
    r"[ \t]*\.?".replace("NOTE", "(?:" + "|".join(TOOL_NOTICES.values()) + ")"),
    re.I,
)

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


def tool_notices(text: str) -> list[tuple[int, int]]:
    """Return the spans of the lines that are only a transcription tool's note.

    Examples
    --------
    >>> text = "Sam  0:00\\nHello.\\n\\nTranscribed by https://otter.ai\\n"
    >>> [text[a:b] for a, b in tool_notices(text)]
    ['Transcribed by https://otter.ai']
    >>> tool_notices("Sam: It was transcribed by hand, by otter.ai, by everyone.")
    []
    """
    if "ranscribed" not in text and "RANSCRIBED" not in text:
        return []
    return [m.span() for m in _NOTICE_LINE.finditer(text)]


def drop_tool_notes(cue: str) -> tuple[str, list[str]]:
    """Return a subtitle cue's text without a transcription tool's note, and the notes dropped.

    Subtitle files give a note no line of its own: TurboScribe's free plan
    opens the first cue with its notice, in brackets, before the speech.  A
    note of :data:`TOOL_NOTICES` is dropped when it is in brackets, italics
    or bold, or is the whole cue; speech about a tool stays.

    Examples
    --------
    >>> drop_tool_notes(
    ...     "(Transcribed by TurboScribe. Go Unlimited to remove this message.) Thanks for coming"
    ... )
    ('Thanks for coming', ['(Transcribed by TurboScribe. Go Unlimited to remove this message.)'])
    >>> drop_tool_notes("It was transcribed by otter.ai, I think.")
    ('It was transcribed by otter.ai, I think.', [])
    """
    if "ranscribed" not in cue and "RANSCRIBED" not in cue:
        return cue, []
    notes = [" ".join(m.group().split()) for m in _NOTICE_IN_CUE.finditer(cue)]
    if not notes:
        return cue, []
    return " ".join(_NOTICE_IN_CUE.sub(" ", cue).split()), notes


def notes_detail(notes: list[str]) -> str:
    """Return the words a reader's report adds for the tool notes it left out (or ``""``).

    Examples
    --------
    >>> notes_detail(["Transcribed by https://otter.ai"])
    "; left out the transcription tool's note 'Transcribed by https://otter.ai'"
    """
    if not notes:
        return ""
    found = dict.fromkeys(repr(" ".join(note.split())) for note in notes)
    return "; left out the transcription tool's note " + listing(found, 2)


def _leave_out(text: str, turns: list[tuple], notices: list[tuple[int, int]]) -> list[tuple]:
    """Return the turns with the notices' lines cut out (a turn left empty is dropped)."""
    if not notices:
        return turns
    kept = []
    for turn in turns:
        start, end = turn[1], turn[2]
        pieces = [start]
        for a, b in notices:
            if a < end and b > start:
                pieces += [a, b]
        pieces.append(end)
        for a, b in zip(pieces[::2], pieces[1::2], strict=True):
            a, b = max(a, start), min(b, end)
            piece = text[a:b]
            a, b = a + len(piece) - len(piece.lstrip()), a + len(piece.rstrip())
            if b > a and _WORD.search(text, a, b):
                kept.append((turn[0], a, b, *turn[3:]))
    return kept


_WORD = re.compile(r"[^\W_]")


def read_text_file(path: Path, interview_id: str, raw: bytes, kind: str) -> ParsedFile:
    """Read a plain-text or Markdown transcript (`kind` ``"text"`` or ``"markdown"``).

    Raises
    ------
    TranscriptError
        If the file is not text, or holds no turns or paragraphs.
    """
    text, encoding = decode_transcript(raw, path, "text" if kind == "text" else "Markdown")
    headers = _otter_headers(text)
    notices = tool_notices(text)
    if headers:
        turns: list[tuple] = []
        preamble = text[: headers[0][0]]
        turns += [(s, a, b, _NAN, _NAN) for s, a, b in text_turns(preamble)]
        for i, (_start, header_end, name, clock) in enumerate(headers):
            last = i + 1 == len(headers)
            body_end = len(text) if last else headers[i + 1][0]
            body = text[header_end:body_end]
            start = header_end + (len(body) - len(body.lstrip()))
            end = header_end + len(body.rstrip())
            # A turn ends when the next one starts; Otter does not say when the last ends.
            t_end = _NAN if last else _seconds(headers[i + 1][3])
            if end > start:
                turns.append((name, start, end, _seconds(clock), t_end))
        kind = "otter"
        turns = _leave_out(text, turns, notices)
        rows = segment_rows(interview_id, text, turns, times=True)
        detail = f"Otter.ai export: {speakers_detail(turns)}"
    else:
        turns = _leave_out(text, text_turns(text), notices)
        unlabelled = few_speakers(text, turns)
        if unlabelled:  # a comment thread or notes, not a transcript: no speakers
            turns = _leave_out(text, text_turns(text, set()), notices)
        rows = segment_rows(interview_id, text, turns)
        detail = speakers_detail(turns)
        if unlabelled:
            detail += " (too few lines start with a speaker's name to be a transcript)"
    if notices:
        detail += notes_detail([text[a:b] for a, b in notices])
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
