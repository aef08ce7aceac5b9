"""Read interview transcripts into the ``documents`` and ``segments`` tables.

Teams arrive with the files they really have, so one reader takes them all:

=============  ===============================================================
``.txt``       speaker turns as ``Name: text``, ``Q:``/``A:``,
``.md``        ``Interviewer:``/``Participant:``, ``[Int2]:`` or Markdown
               ``**Name:** text``; paragraphs without a speaker become
               segments with an empty speaker.  Otter.ai exports (a
               ``Name  0:00`` line before each turn) are recognised too.
``.docx``      Word: ``Name: text`` paragraphs, the speaker in bold, or a
               table with a speaker column and a text column.
``.vtt``       WebVTT from Zoom (``Name: text`` cues), Microsoft Teams and
               YouTube (``<v Name>`` voice tags, closed or not).
``.srt``       SubRip subtitles, with ``Name:`` where the speaker changes.
``.csv``       survey free-text responses (also ``.xlsx``): one document and
``.xlsx``      one segment per response; the other columns become
               participant attributes.
=============  ===============================================================

Positions
---------
Every document's ``text`` is normalised (Unicode NFC, ``\\n`` line endings).
A segment's ``start`` and ``end`` are code-point offsets into it (end
exclusive), so ``document.text[start:end] == segment.text`` always holds.
For text and Markdown files the document text is the file's text.  For
``.docx``, ``.vtt`` and ``.srt`` the toolkit writes the transcript out as
turns, ``Speaker: text``, separated by blank lines (a cue's line breaks
become spaces), and the segment spans cover the text after ``Speaker: ``.
Use :mod:`toolkit.positions` to convert to UTF-8 bytes or UTF-16 units.

Speakers
--------
A label at the start of a line counts as a speaker when it appears at least
twice in the file, or is a role such as ``Interviewer``, ``Q`` or
``Participant``, or is in brackets (``[P1]:``, read as ``P1``), or is bold in
Word.  This keeps ``Hartwell: getting home well`` in a title from becoming a
speaker.  In subtitles a cue without a speaker continues the previous
speaker's turn, because captioners only label a change of speaker;
consecutive cues of one speaker are merged into one turn unless
``merge_cues=False``.  WebVTT ``NOTE``, ``STYLE`` and ``REGION`` blocks are
not part of the transcript.

Subtitles are read in one pass with a regular expression when the file is
well formed (most are), falling back to a block-by-block reader that names
the line of any bad timing, and to webvtt-py for block structures it does
not expect.  The tests check that the fast reader and webvtt-py agree.

Reading
-------
:func:`read_corpus` reads a file or a folder and reports on every file;
:func:`read_transcripts` returns just the segments; :func:`read_survey`
reads one survey export; :func:`import_interviews` copies checked files into
a project.  In a project, ``project.yml`` can set the reading options::

    settings:
      interviews:
        merge_cues: false
        id_column: response_id
        text_column: response
"""

from __future__ import annotations

import functools
import html
import io
import math
import re
import unicodedata
import zipfile
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import ToolkitError, TranscriptError
from toolkit.io.files import atomic_copy, decode_bytes

__all__ = [
    "DOCUMENT_COLUMNS",
    "REPORT_COLUMNS",
    "SEGMENT_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "Corpus",
    "check_participants",
    "import_interviews",
    "merge_participants",
    "normalise_text",
    "read_corpus",
    "read_survey",
    "read_transcripts",
    "segment_text",
]

SEGMENT_COLUMNS = [
    "interview_id",
    "segment_id",
    "speaker",
    "start",
    "end",
    "text",
    "t_start",
    "t_end",
]
DOCUMENT_COLUMNS = ["interview_id", "text", "source", "format", "encoding"]
REPORT_COLUMNS = ["file", "kind", "status", "detail", "interview_id", "encoding", "segments"]

#: File name endings the reader understands, and the kind of file each is.
SUPPORTED_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".vtt": "webvtt",
    ".srt": "srt",
    ".csv": "survey",
    ".tsv": "survey",
    ".xlsx": "survey",
}

_CONVERT_HINTS = {
    ".doc": "open it in Word and save it as a Word document (.docx)",
    ".rtf": "open it in Word and save it as a Word document (.docx) or plain text (.txt)",
    ".odt": "save it from LibreOffice as a Word document (.docx)",
    ".pages": "export it from Pages as a Word document (.docx)",
    ".pdf": "export the transcript from where it came from as .docx or .txt, or copy its text "
    "into a .txt file (PDF text loses who is speaking)",
    ".xls": "open it in Excel and save it as .xlsx or as CSV UTF-8",
    ".json": "export the transcript as WebVTT (.vtt) or text (.txt) instead",
    ".sbv": "convert it to WebVTT (.vtt); YouTube Studio can download .vtt",
}

_NAN = math.nan


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass
class Corpus:
    """Hold the documents, segments and per-file report of a set of transcripts.

    Attributes
    ----------
    documents
        One row per interview (or survey response): ``interview_id, text,
        source, format, encoding``.
    segments
        One row per speaker turn: ``interview_id, segment_id, speaker, start,
        end, text, t_start, t_end``.
    report
        One row per file: ``file, kind, status, detail, interview_id,
        encoding, segments``; ``status`` is ``ok`` or ``error``.
    participants
        Participant rows from survey files (their attribute columns).
    errors
        The :class:`~toolkit.errors.TranscriptError` of each file that failed.
    """

    documents: pd.DataFrame = field(default_factory=lambda: _empty(DOCUMENT_COLUMNS))
    segments: pd.DataFrame = field(default_factory=lambda: _empty(SEGMENT_COLUMNS))
    report: pd.DataFrame = field(default_factory=lambda: _empty(REPORT_COLUMNS))
    participants: pd.DataFrame = field(default_factory=lambda: _empty(["interview_id"]))
    errors: list[TranscriptError] = field(default_factory=list)

    def __repr__(self) -> str:
        bad = len(self.errors)
        return (
            f"<Corpus: {len(self.documents)} documents, {len(self.segments)} segments"
            + (f", {bad} file(s) with errors" if bad else "")
            + ">"
        )


@dataclass
class _Parsed:
    """What one file gave: its documents, segments and a line for the report."""

    documents: list[dict]
    segments: list[tuple]
    kind: str
    encoding: str
    detail: str
    participants: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each participant


# --- text: decoding and normalising ------------------------------------------


def normalise_text(text: str) -> str:
    """Return `text` in the toolkit's normal form: NFC, ``\\n`` line endings, no BOM.

    Examples
    --------
    >>> normalise_text("Cafe\\u0301\\r\\nok")
    'Café\\nok'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return unicodedata.normalize("NFC", text)


def _decode(raw: bytes, path: Path, kind: str) -> tuple[str, str]:
    """Decode a text file's bytes, refusing empty and binary files with a clear message."""
    if not raw.strip():
        raise TranscriptError(
            f"expected a {kind} file with text in it, but the file is empty"
            + (" (it holds only blank space)" if raw else ""),
            path=path,
            hint="check you copied the right file, or remove it from the folder",
        )
    if raw.startswith(b"%PDF"):
        raise TranscriptError(
            f"expected a {kind} file, but found a PDF document with a {path.suffix} name",
            path=path,
            hint=_CONVERT_HINTS[".pdf"],
        )
    if raw.startswith(b"PK\x03\x04"):
        raise TranscriptError(
            f"expected a {kind} file, but found a zip package (such as a Word .docx or Excel "
            f".xlsx file) with a {path.suffix} name",
            path=path,
            hint="give the file its real extension (.docx for Word, .xlsx for Excel)",
        )
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        even, odd = raw[0::2], raw[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            raw = b"\xff\xfe" + raw
        elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            raw = b"\xfe\xff" + raw
        else:
            raise TranscriptError(
                f"expected a {kind} file, but found binary data (bytes that are not text)",
                path=path,
                hint="open the file in the program that made it and save or export it as text "
                "(.txt), Word (.docx), WebVTT (.vtt) or SubRip (.srt)",
            )
    try:
        text, encoding = decode_bytes(raw, path)
    except TranscriptError:
        raise
    except ToolkitError as exc:
        raise TranscriptError(exc.message, path=path, hint=exc.hint) from None
    text = normalise_text(text)
    if not text.strip():
        raise TranscriptError(
            f"expected a {kind} file with text in it, but it holds only blank space",
            path=path,
            hint="check you copied the right file, or remove it from the folder",
        )
    return text, encoding


# --- speaker labels ------------------------------------------------------------

# A label at the start of a line: "Name:", "**Name:**", "**Name**:", "[Int2]:".
_LABEL_BODY = r"\[[^\]\n]{1,40}\]|[^\W\d_][^\s:*]*(?:[ \t]+[^\s:*]+){0,4}?"
_LABEL = re.compile(
    rf"[ \t]*(?:\*\*(?P<bold>{_LABEL_BODY})[ \t]*(?::\*\*|\*\*[ \t]*:)"
    rf"|(?P<plain>{_LABEL_BODY})[ \t]*:)(?:[ \t]+|$)"
)
_LABEL_WORD = re.compile(r"(?:\w[\w'’-]*|[A-Z][a-z]{0,2}\.|\(\w[\w ]*\))\Z")
#: Labels that name a role, accepted even when they appear only once.
ROLE_LABELS = {
    "a",
    "facilitator",
    "i",
    "int",
    "interviewee",
    "interviewer",
    "moderator",
    "p",
    "participant",
    "q",
    "r",
    "researcher",
    "respondent",
    "speaker",
}
_PARTICLES = {"al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von"}


@functools.lru_cache(maxsize=4096)
def _check_label(label: str) -> tuple[str, bool] | None:
    """Return (speaker, is_certain) if `label` can be a speaker's name or role."""
    if len(label) > 40:
        return None
    if label.startswith("["):
        inner = " ".join(label[1:-1].split())
        return (inner, True) if inner else None
    words = label.split()
    if words[0].lower() in ROLE_LABELS:
        return label, True
    for i, word in enumerate(words):
        if not _LABEL_WORD.match(word):
            return None
        first = word.lstrip("(")[:1]
        if not (first.isupper() or first.isdigit() or (i and word in _PARTICLES)):
            return None
    return " ".join(words), False


def _label_at(line: str) -> tuple[str, int, bool] | None:
    """Return (speaker, end of the label, is_certain) if `line` starts with a label."""
    if not line or not (line[0].isalnum() or line[0] in " \t*["):
        return None
    match = _LABEL.match(line)
    if match is None:
        return None
    checked = _check_label(match.group("bold") or match.group("plain"))
    return None if checked is None else (checked[0], match.end(), checked[1])


def _accept(
    found: Iterable[tuple[str, int, bool] | None], known: Iterable[str] = (), lenient: bool = False
) -> set[str]:
    """Return the labels that count as speakers, from every line's label (see the module notes).

    With `lenient` (subtitle cues, where a label can only start a cue), a
    name-like label seen once is accepted too, once the file uses labels.
    """
    accepted = set(known)
    counts: Counter[str] = Counter()
    for item in found:
        if item is not None:
            if item[2]:
                accepted.add(item[0])
            counts[item[0]] += 1
    accepted.update(s for s, n in counts.items() if n >= 2)
    if lenient and accepted:
        accepted.update(s for s in counts if len(s.split()) <= 3)
    return accepted


def _accepted_labels(texts: Iterable[str], known: Iterable[str] = ()) -> set[str]:
    """Return the labels that count as speakers in these texts."""
    return _accept((_label_at(line) for t in texts for line in t.split("\n")), known)


_HEADING = re.compile(r"#{1,6}[ \t]+")
_ALNUM = re.compile(r"[^\W_]")


def _text_turns(text: str, accepted: set[str] | None = None) -> list[tuple[str, int, int]]:
    """Split plain or Markdown text into (speaker, start, end) turns.

    A turn starts at a line with an accepted speaker label and runs to the
    next blank line or label; other paragraphs are turns with no speaker.
    """
    lines = text.split("\n")
    labels = [_label_at(line) for line in lines]
    if accepted is None:
        accepted = _accept(labels)
    turns: list[tuple[str, int, int]] = []
    speaker, start, end = "", -1, -1
    pending = False  # a label alone on its line: the text starts on a later line
    offset = 0
    for line, found in zip(lines, labels, strict=True):
        line_start, offset = offset, offset + len(line) + 1
        stripped = line.rstrip()
        if not stripped or stripped.isspace():
            if not pending:
                if start >= 0 and end > start and _ALNUM.search(text, start, end):
                    turns.append((speaker, start, end))
                start = -1
            continue
        if found is not None and found[0] in accepted:
            if start >= 0 and end > start and _ALNUM.search(text, start, end):
                turns.append((speaker, start, end))
            speaker = found[0]
            rest = line[found[1] :]
            if rest.strip():
                start = line_start + found[1] + (len(rest) - len(rest.lstrip()))
                end = line_start + len(stripped)
                pending = False
            else:
                start, end, pending = -1, -1, True
            continue
        if pending or start < 0:
            if not pending:
                speaker = ""
            lead = len(line) - len(line.lstrip())
            heading = _HEADING.match(line, lead) if line[lead] == "#" else None
            start = line_start + (heading.end() if heading else lead)
            pending = False
        end = line_start + len(stripped)
    if start >= 0 and end > start and _ALNUM.search(text, start, end):
        turns.append((speaker, start, end))
    return turns


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
            found = _label_at(name + ": ")
            if found is None or found[0] != name.strip("[]").strip():
                continue
            name = found[0]
        headers.append((line_start, match.end(), name, line.group("time")))
    return headers if len(headers) >= 2 else []


def _segment_rows(
    interview_id: str, text: str, turns: Iterable[tuple], times: bool = False
) -> list[tuple]:
    """Return segment rows (tuples in SEGMENT_COLUMNS order: light on memory)."""
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


def _speakers_detail(turns: list[tuple]) -> str:
    counts = Counter(t[0] for t in turns)
    unlabelled = counts.pop("", 0)
    names = sorted(counts, key=lambda s: (-counts[s], s))
    words = f"{len(turns)} segments"
    if names:
        shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
        words += f" from {len(names)} speaker{'s' if len(names) != 1 else ''} ({shown})"
    if unlabelled:
        words += f", {unlabelled} without a speaker"
    return words


def _read_text_file(path: Path, interview_id: str, raw: bytes, kind: str) -> _Parsed:
    text, encoding = _decode(raw, path, "text" if kind == "text" else "Markdown")
    headers = _otter_headers(text)
    if headers:
        turns: list[tuple] = []
        preamble = text[: headers[0][0]]
        turns += [(s, a, b, _NAN, _NAN) for s, a, b in _text_turns(preamble)]
        for i, (_start, header_end, name, clock) in enumerate(headers):
            body_end = headers[i + 1][0] if i + 1 < len(headers) else len(text)
            body = text[header_end:body_end]
            start = header_end + (len(body) - len(body.lstrip()))
            end = header_end + len(body.rstrip())
            if end > start:
                turns.append((name, start, end, _seconds(clock), _NAN))
        kind = "otter"
        rows = _segment_rows(interview_id, text, turns, times=True)
        detail = f"Otter.ai export: {_speakers_detail(turns)}"
    else:
        turns = _text_turns(text)
        rows = _segment_rows(interview_id, text, turns)
        detail = _speakers_detail(turns)
    if not rows:
        raise TranscriptError(
            "expected speaker turns or paragraphs of text, but found none",
            path=path,
            hint="check the file holds the transcript",
        )
    doc = {"interview_id": interview_id, "text": text, "source": path.name, "format": kind}
    return _Parsed([{**doc, "encoding": encoding}], rows, kind, encoding, detail)


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
        parsed = _read_text_file(Path(f"{interview_id}.txt"), interview_id, text.encode(), "text")
    except TranscriptError:
        return _segment_table(_segment_columns())
    return pd.DataFrame(parsed.segments, columns=SEGMENT_COLUMNS)


# --- transcripts built from parts: subtitles and Word ----------------------------


class _Builder:
    """Write a transcript as ``Speaker: text`` turns separated by blank lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.turns: list[tuple[str, int, int, float, float]] = []

    def _append(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def add(self, speaker: str, text: str, t_start: float = _NAN, t_end: float = _NAN) -> None:
        text = text.strip()
        if not text:
            return
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        speaker = " ".join(speaker.split())
        if speaker.startswith("[") and speaker.endswith("]"):
            speaker = speaker[1:-1].strip()  # "[P1]" is P1, as in a text transcript
        if self.parts:
            self._append("\n\n")
        if speaker:
            self._append(f"{speaker}: ")
        start = self.length
        self._append(text)
        self.turns.append((speaker, start, self.length, t_start, t_end))

    @property
    def text(self) -> str:
        return "".join(self.parts)


_TAG = re.compile(r"<[^>\n]*>")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*[ \t]+([^>\n]+)>")
_ASS_TAG = re.compile(r"\{\\[^}\n]*\}")
_INLINE_TIME = re.compile(r"<(?:\d+:)?\d{2}:\d{2}\.\d{3}>")


def _clean_cue(line: str) -> str:
    if "<" in line:
        line = _TAG.sub("", line)
    if "{" in line:
        line = _ASS_TAG.sub("", line)
    if "&" in line:
        line = html.unescape(line)
    return line.replace("\u00a0", " ")


@dataclass(slots=True)
class _Cue:
    speaker: str | None
    text: str
    t_start: float | str  # seconds, or a fixed-width clock time not yet converted
    t_end: float | str


def _turns_from_cues(cues: list[_Cue], merge: bool) -> _Builder:
    """Assign speakers to cues (label or voice, else carried on) and merge turns."""
    cache: dict[str, tuple[str, int, bool] | None] = {}
    labels = []
    for cue in cues:
        found = None
        if cue.speaker is None:
            # Zoom labels every cue with the same few names: look each up once.
            colon = cue.text.find(":", 0, 60)
            if colon > 0:  # no colon, no label
                key = cue.text[: colon + 2]
                if key not in cache:
                    cache[key] = _label_at(cue.text)
                found = cache[key]
        labels.append(found)
    accepted = _accept(labels, lenient=True)
    builder = _Builder()
    current: str | None = None
    open_turn: list | None = None  # [speaker, texts, t_start, t_end]

    def flush() -> None:
        if open_turn is not None:
            t_start, t_end = _clock_seconds(open_turn[2]), _clock_seconds(open_turn[3])
            builder.add(open_turn[0], " ".join(open_turn[1]), t_start, t_end)

    for cue, found in zip(cues, labels, strict=True):
        speaker, text = cue.speaker, cue.text
        if found is not None and found[0] in accepted:
            speaker, text = found[0], text[found[1] :].strip()
        if speaker is None:
            speaker = current or ""
        current = speaker or current
        if not text:
            continue
        if merge and open_turn is not None and speaker and open_turn[0] == speaker:
            open_turn[1].append(text)
            open_turn[3] = cue.t_end
            continue
        flush()
        open_turn = [speaker, [text], cue.t_start, cue.t_end]
    flush()
    return builder


_VTT_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})"
_VTT_TIMING = re.compile(rf"[ \t]*{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?$")
_SRT_TIME = r"(\d+):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_SRT_TIMING = re.compile(rf"[ \t]*{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t].*)?$")


def _check_timings(text: str, path: Path, pattern: re.Pattern, example: str, kind: str) -> int:
    """Check every cue timing line, naming the first bad one; return how many there are."""
    count = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line:
            continue
        match = pattern.match(line)
        problem = None
        if match is None:
            problem = "this is not a cue timing line"
            if kind == "WebVTT" and _SRT_TIMING.match(line):
                problem = "the times use a comma before the milliseconds, as SubRip does"
        else:
            g = [int(x or 0) for x in match.groups()]
            starts = (g[0] * 60 + g[1]) * 60 + g[2] + int(match.group(4).ljust(3, "0")) / 1000
            ends = (g[4] * 60 + g[5]) * 60 + g[6] + int(match.group(8).ljust(3, "0")) / 1000
            if max(g[1], g[2], g[5], g[6]) > 59:
                problem = "minutes and seconds must be 59 or less"
            elif ends < starts:
                problem = "the cue ends before it starts"
        if problem:
            raise TranscriptError(
                f"expected cue timings like '{example}', but found '{line.strip()}' ({problem})",
                path=path,
                line=number,
                hint=f"correct the times on that line (hours:minutes:seconds{example[8]}"
                "milliseconds), or delete the cue",
            )
        count += 1
    if count == 0:
        raise TranscriptError(
            f"expected {kind} cues (a timing line such as '{example}' followed by the text), "
            "but found none",
            path=path,
            hint="check the file is a subtitle file; a plain transcript should end in .txt",
        )
    return count


_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")


class _Unusual(Exception):
    """A subtitle file whose block structure the fast reader leaves to webvtt-py."""


def _timing(match: re.Match, hours_optional: bool) -> tuple[float, float] | str:
    """Return (start, end) in seconds from a timing match, or what is wrong with it."""
    g = match.groups()
    h0, m0, s0, f0, h1, m1, s1, f1 = g
    if max(int(m0), int(s0), int(m1), int(s1)) > 59:
        return "minutes and seconds must be 59 or less"
    start = (int(h0 or 0) * 60 + int(m0)) * 60 + int(s0) + int(f0.ljust(3, "0")) / 1000
    end = (int(h1 or 0) * 60 + int(m1)) * 60 + int(s1) + int(f1.ljust(3, "0")) / 1000
    if end < start:
        return "the cue ends before it starts"
    return start, end


def _fast_cues(text: str, path: Path, kind: str) -> list[tuple[float, float, list[str]]]:
    """Read the cues of a WebVTT or SubRip text in one pass over its blocks.

    Blocks are runs of non-empty lines.  A cue block has its timing line
    first, or second after an identifier (a SubRip cue number).  Anything
    else with a ``-->`` in it raises :class:`_Unusual`, and the file is read
    by webvtt-py instead.  Bad timings raise :class:`TranscriptError` with
    the line number.
    """
    vtt = kind == "WebVTT"
    pattern = _VTT_TIMING if vtt else _SRT_TIMING
    example = "00:01:02.500 --> 00:01:05.000" if vtt else "00:01:02,500 --> 00:01:05,000"
    cues: list[tuple[float, float, list[str]]] = []
    line_no, pos = 1, 0
    first = True
    for match in _BLOCK.finditer(text):
        line_no += text.count("\n", pos, match.start())
        pos = match.start()
        block = match.group()
        if first and vtt:
            first = False
            if "-->" in block:
                raise _Unusual
            continue
        first = False
        if "-->" not in block:
            if not vtt and cues:
                cues[-1][2].extend(block.split("\n"))  # a blank line inside a cue's text
            elif not vtt:
                raise _Unusual
            continue
        lines = block.split("\n")
        if "-->" in lines[0]:
            at = 0
        elif len(lines) > 1 and "-->" in lines[1] and not lines[0].startswith("NOTE"):
            at = 1
        else:
            raise _Unusual
        if any("-->" in line for line in lines[at + 1 :]):
            raise _Unusual
        timing = pattern.match(lines[at])
        times = _timing(timing, vtt) if timing else "this is not a cue timing line"
        if isinstance(times, str):
            if vtt and timing is None and _SRT_TIMING.match(lines[at]):
                times = "the times use a comma before the milliseconds, as SubRip does"
            raise TranscriptError(
                f"expected cue timings like '{example}', but found '{lines[at].strip()}' ({times})",
                path=path,
                line=line_no + at,
                hint=f"correct the times on that line (hours:minutes:seconds{example[8]}"
                "milliseconds), or delete the cue",
            )
        cues.append((times[0], times[1], lines[at + 1 :]))
    if not cues:
        raise TranscriptError(
            f"expected {kind} cues (a timing line such as '{example}' followed by the text), "
            "but found none",
            path=path,
            hint="check the file is a subtitle file; a plain transcript should end in .txt",
        )
    return cues


def _webvtt_py_cues(text: str, path: Path, kind: str) -> list[tuple[float, float, list[str]]]:
    """Read cues with webvtt-py, the parser of record for unusual block structures."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    vtt = kind == "WebVTT"
    if vtt:
        pattern, example = _VTT_TIMING, "00:01:02.500 --> 00:01:05.000"
    else:
        pattern, example = _SRT_TIMING, "00:01:02,500 --> 00:01:05,000"
    expected = _check_timings(text, path, pattern, example, kind)
    try:
        if vtt:
            captions = webvtt.WebVTT.from_string(text).captions
        else:
            body = text.lstrip("\n \t")
            captions = webvtt.WebVTT.from_buffer(io.StringIO(body), format="srt").captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise TranscriptError(
            f"expected a well-formed {kind} file, but the parser stopped: {exc}",
            path=path,
            hint="each cue is "
            + ("an optional identifier" if vtt else "a number")
            + ", a timing line, the text and a blank line",
        ) from None
    if len(captions) != expected:
        raise TranscriptError(
            f"expected {expected} cues (one per timing line), but could read only {len(captions)}",
            path=path,
            hint="each cue needs a blank line before it, then "
            + ("an optional identifier line" if vtt else "its number")
            + ", the timing line and its text",
        )
    return [
        (
            c.start_time.in_milliseconds() / 1000,
            c.end_time.in_milliseconds() / 1000,
            list(c.lines),
        )
        for c in captions
    ]


# The timing lines Zoom, Teams, YouTube and subtitle editors write: fixed width, hours
# always given.  Such times compare correctly as text, so they are only converted to
# seconds where a turn starts or ends.
_QUICK = {
    kind: re.compile(
        rf"^({t}) --> ({t})(?:[ \t][^\n]*)?\n((?:[^\n]+(?:\n|$))*)",
        re.M,
    )
    for kind, t in [
        ("WebVTT", r"\d\d:[0-5]\d:[0-5]\d\.\d\d\d"),
        ("SubRip", r"\d\d:[0-5]\d:[0-5]\d,\d\d\d"),
    ]
}


def _clock_seconds(clock: str | float) -> float:
    """Return seconds from a fixed-width ``hh:mm:ss.mmm`` time (numbers pass through)."""
    if not isinstance(clock, str):
        return clock
    return int(clock[:2]) * 3600 + int(clock[3:5]) * 60 + float(clock[6:].replace(",", "."))


def _quick_cues(text: str, kind: str) -> list[tuple[str, str, list[str]]] | None:
    """Read well-formed cues with one regular expression; None if anything looks odd.

    Most files are well formed, so this is the common path; the block reader
    then deals with the rest, naming the line of any problem.
    """
    cues = []
    for start, end, payload in _QUICK[kind].findall(text):
        if end < start:
            return None
        cues.append((start, end, payload.rstrip("\n").split("\n")))
    # Every "-->" must be a cue's timing line, and no cue may run into the next.
    if not cues or text.count("-->") != len(cues):
        return None
    if kind == "SubRip" and not re.match(r"\s*\d+\s*\n", text):
        return None
    return cues


def _subtitle_cues(text: str, path: Path, kind: str) -> list[tuple[float, float, list[str]]]:
    quick = _quick_cues(text, kind)
    if quick is not None:
        return quick
    try:
        return _fast_cues(text, path, kind)
    except _Unusual:
        return _webvtt_py_cues(text, path, kind)


def _clean_line(line: str) -> str:
    if "<" in line or "&" in line or "{" in line:
        line = _clean_cue(line)
    elif "  " not in line and "\t" not in line and line == line.strip():
        return line
    return " ".join(line.split())


def _read_vtt(path: Path, interview_id: str, raw: bytes, merge: bool) -> _Parsed:
    text, encoding = _decode(raw, path, "WebVTT")
    first = text.split("\n", 1)[0]
    if not first.startswith("WEBVTT"):
        looks_srt = bool(_SRT_TIMING.match(text.split("\n", 2)[1])) if "\n" in text else False
        raise TranscriptError(
            f"expected 'WEBVTT' on the first line of a WebVTT file, but found '{first[:40]}'",
            path=path,
            line=1,
            hint="rename the file to .srt (it looks like SubRip)"
            if looks_srt
            else "add a first line reading WEBVTT, or give the file the extension of its format",
        )
    captions = _subtitle_cues(text, path, "WebVTT")
    rolling = bool(_INLINE_TIME.search(text))
    cues: list[_Cue] = []
    previous_line = None
    voices = 0
    for t0, t1, lines in captions:
        if len(lines) == 1 and not rolling:
            # The common Zoom cue, one plain line: nothing to clean.
            line = lines[0]
            if line and "<" not in line and line == _clean_line(line):
                cues.append(_Cue(None, line, t0, t1))
                continue
        first_line = True
        for line in lines:
            voice = None
            if line.startswith("<v") and (close := line.find(">")) > 2 and "<" not in line[1:close]:
                # The common Teams line, "<v Name>text</v>", without regular expressions.
                name = line[2:close]
                if name.startswith("."):
                    parts = name.split(None, 1)
                    voice = parts[1] if len(parts) == 2 else None
                elif name[:1] in " \t":
                    voice = name
                if voice is not None:
                    line = line[close + 1 :]
                    if line.endswith("</v>"):
                        line = line[:-4]
            elif "<v" in line and (found := _VOICE.search(line)) is not None:
                voice = found.group(1)
            cleaned = _clean_line(line)
            if not cleaned and voice is None:
                continue
            if rolling:
                # YouTube's automatic captions repeat the previous cue's line.
                if not cleaned or cleaned == previous_line:
                    continue
                previous_line = cleaned
            if voice is not None:
                voices += 1
                # A voice tag starts a turn, even in the middle of a cue.
                cues.append(_Cue(" ".join(voice.split()), cleaned, t0, t1))
            elif first_line:
                cues.append(_Cue(None, cleaned, t0, t1))
            else:
                cues[-1].text += " " + cleaned
            first_line = False
    builder = _turns_from_cues(cues, merge)
    if voices:
        style = "voice tags (Teams/YouTube style)"
    elif any(t[0] for t in builder.turns):
        style = "speaker labels (Zoom style)"
    else:
        style = "no speakers named"
    if rolling:
        style += "; repeated rolling caption lines removed"
    detail = f"{len(captions)} cues, {style}: {_speakers_detail(builder.turns)}"
    return _built(path, interview_id, builder, "webvtt", encoding, detail)


def _read_srt(path: Path, interview_id: str, raw: bytes, merge: bool) -> _Parsed:
    text, encoding = _decode(raw, path, "SubRip")
    if text.lstrip().startswith("WEBVTT"):
        raise TranscriptError(
            "expected a SubRip file, but it starts with 'WEBVTT', so it is a WebVTT file",
            path=path,
            line=1,
            hint="rename the file to .vtt",
        )
    captions = _subtitle_cues(text, path, "SubRip")
    cues = [
        _Cue(None, _clean_line(" ".join(lines)), t0, t1)
        for t0, t1, lines in captions
        if any(line.strip() for line in lines)
    ]
    builder = _turns_from_cues(cues, merge)
    detail = f"{len(captions)} cues: {_speakers_detail(builder.turns)}"
    return _built(path, interview_id, builder, "srt", encoding, detail)


def _built(
    path: Path, interview_id: str, builder: _Builder, kind: str, encoding: str, detail: str
) -> _Parsed:
    if not builder.turns:
        raise TranscriptError(
            "expected some transcript text, but found none",
            path=path,
            hint="check the file holds the transcript",
        )
    text = builder.text
    rows = _segment_rows(interview_id, text, builder.turns, times=kind in ("webvtt", "srt"))
    doc = {"interview_id": interview_id, "text": text, "source": path.name, "format": kind}
    return _Parsed([{**doc, "encoding": encoding}], rows, kind, encoding, detail)


_HEADER_WORDS = {
    "speaker": "speaker",
    "name": "speaker",
    "who": "speaker",
    "person": "speaker",
    "text": "text",
    "transcript": "text",
    "transcription": "text",
    "utterance": "text",
    "what was said": "text",
    "speech": "text",
    "said": "text",
    "time": "time",
    "timestamp": "time",
    "start": "time",
}


def _is_bold(run, styles: dict[str, bool]) -> bool:
    """Return whether a run is bold, directly or through its character style."""
    if run.bold is not None:
        return bool(run.bold)
    style_id = run._r.style  # looking a style up is slow in python-docx: once per style
    if style_id is None:
        return False
    if style_id not in styles:
        styles[style_id] = bool(run.style is not None and run.style.font.bold)
    return styles[style_id]


def _bold_speaker(paragraph, styles: dict[str, bool]) -> tuple[str, str] | None:
    """Return (speaker, rest) when a paragraph starts with a bold ``Name:``."""
    lead = []
    runs = list(paragraph.runs)
    for run in runs:
        if run.text.strip() == "" and not lead:
            lead.append(run.text)
            continue
        if not _is_bold(run, styles):
            break
        lead.append(run.text)
    bold = "".join(lead)
    if not bold.strip():
        return None
    full = paragraph.text
    if not full.startswith(bold):
        return None
    rest = full[len(bold) :]
    candidate = bold.strip()
    if candidate.endswith(":"):
        name = candidate[:-1].strip()
    elif rest.lstrip().startswith(":"):
        name = candidate
        rest = rest.lstrip()[1:]
    else:
        return None
    name = name.strip("[]").strip()
    if not name or len(name) > 40 or "\n" in name:
        return None
    return " ".join(name.split()), rest


def _read_docx(path: Path, interview_id: str, raw: bytes) -> _Parsed:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    if not raw:
        raise TranscriptError(
            "expected a Word document, but the file is empty",
            path=path,
            hint="check you copied the right file, or remove it from the folder",
        )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        looks = "an old Word 97-2003 .doc file" if raw.startswith(b"\xd0\xcf\x11\xe0") else None
        hint = "open it in Word and use Save As > Word Document (.docx)"
        if raw.startswith(b"%PDF"):
            looks = "a PDF"
        elif raw.lstrip()[:1] == b"{" and b"rtf" in raw[:10]:
            looks = "an RTF document"
        elif b"\x00" not in raw[:4096]:
            looks = "plain text with a .docx name"
            hint = "rename the file to .txt (it is a text transcript), or save it as .docx"
        raise TranscriptError(
            "expected a Word .docx file (a zip package), but found "
            + (looks or "something that is not a zip package"),
            path=path,
            hint=hint,
        )
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TranscriptError(
            f"expected a Word .docx document, but the package could not be opened ({exc})",
            path=path,
            hint="open it in Word and save it again as a Word Document (.docx)",
        ) from None
    blocks: list[tuple[str | None, str]] = []  # (speaker or None, text)
    known: set[str] = set()
    styles: dict[str, bool] = {}
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_blocks(item, known))
            continue
        text = re.sub(r"\n\s*\n", "\n", item.text)
        if not text.strip():
            continue
        found = _bold_speaker(item, styles)
        if found is not None:
            known.add(found[0])
            blocks.append(found)
        else:
            blocks.append((None, text))
    accepted = _accepted_labels((t for s, t in blocks if s is None), known)
    builder = _Builder()
    for speaker, text in blocks:
        if speaker is not None:
            builder.add(speaker, text)
            continue
        text = normalise_text(text)
        for label, start, end in _text_turns(text, accepted):
            builder.add(label, text[start:end])
    style = "bold speakers" if known else "speaker labels"
    if any(s is not None for s, _ in blocks) and document.tables:
        style = "a speaker/text table"
    detail = f"Word document with {style}: {_speakers_detail(builder.turns)}"
    return _built(path, interview_id, builder, "docx", "docx (XML)", detail)


def _table_blocks(table, known: set[str]) -> list[tuple[str | None, str]]:
    rows = [[normalise_text(cell.text).strip() for cell in row.cells] for row in table.rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    roles = [_HEADER_WORDS.get(c.lower().rstrip(":")) for c in rows[0]]
    if "speaker" in roles and "text" in roles:
        speaker_at, text_at = roles.index("speaker"), roles.index("text")
        rows = rows[1:]
    elif len(rows[0]) == 2:
        speaker_at, text_at = 0, 1
    elif len(rows[0]) == 3 and re.fullmatch(r"[\d:.,]+", rows[0][0] or "x"):
        speaker_at, text_at = 1, 2
    else:
        return [(None, "\n".join(c for c in r if c)) for r in rows]
    blocks: list[tuple[str | None, str]] = []
    for row in rows:
        speaker = " ".join(row[speaker_at].rstrip(":").strip("[]").split())
        text = row[text_at] if text_at < len(row) else ""
        if speaker and len(speaker) <= 60:
            known.add(speaker)
            blocks.append((speaker, text))
        elif text:
            blocks.append((None, text))
    return blocks


# --- survey responses ----------------------------------------------------------

_ID_NAMES = [
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
_TEXT_NAMES = [
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


def _survey_table(path: Path, raw: bytes, sheet: str | int | None) -> tuple[pd.DataFrame, str]:
    if path.suffix.lower() == ".xlsx":
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            raise TranscriptError(
                "expected an Excel .xlsx workbook (a zip package), but found something else",
                path=path,
                hint="open it in Excel and save it as .xlsx, or as CSV UTF-8 (.csv)",
            )
        try:
            table = pd.read_excel(io.BytesIO(raw), sheet_name=sheet or 0, dtype=str)
        except (ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise TranscriptError(
                f"expected a readable Excel workbook, but it could not be read ({exc})",
                path=path,
                hint="open it in Excel, check the sheet name, and save it again",
            ) from None
        table = table.fillna("").astype(object)
        table.columns = [str(c).strip() for c in table.columns]
        table = table.apply(lambda col: col.map(lambda v: str(v).strip()))
        keep = [i for i, r in enumerate(table.itertuples(index=False)) if any(r)]
        rows = [i + 2 for i in keep]
        table = table.iloc[keep].reset_index(drop=True)
        table.attrs["rows"] = rows
        return table, "xlsx"
    from toolkit.io.files import read_table

    _decode(raw, path, "survey CSV")  # the same messages for empty and binary files
    try:
        table = read_table(path, what="survey responses", allow_empty=False)
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
                + ", ".join(repr(c) for c in columns),
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
    raw = _read_bytes(path)
    return _corpus_from_parsed([_read_survey(path, raw, id_column, text_column, sheet)], [])


def _read_survey(
    path: Path,
    raw: bytes,
    id_column: str | None,
    text_column: str | None,
    sheet: str | int | None = None,
) -> _Parsed:
    table, encoding = _survey_table(path, raw, sheet)
    rows = table.attrs.get("rows") or list(range(2, len(table) + 2))
    if table.empty:
        raise TranscriptError(
            "expected survey responses under the header, but found no rows",
            path=path,
            hint="add the responses, one per row",
        )
    id_col = _pick_column(table, id_column, _ID_NAMES, "response ids", path)
    text_col = _pick_column(table, text_column, _TEXT_NAMES, "response text", path)
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
        documents.append(
            {
                "interview_id": rid,
                "text": text,
                "source": f"{path.name}, row {row}",
                "format": "survey",
                "encoding": encoding,
            }
        )
        segments.append((rid, 1, rid, 0, len(text), text, _NAN, _NAN))
    detail = (
        f"{len(documents)} survey responses (ids: "
        + (f"column '{id_col}'" if id_col else "made from the row numbers")
        + f"; text: column '{text_col}')"
    )
    if attributes:
        detail += "; participant attributes: " + ", ".join(attributes)
    if empty:
        detail += f"; {empty} empty response{'s' if empty != 1 else ''} skipped"
    return _Parsed(documents, segments, "survey", encoding, detail, participants, list(rows))


# --- files and folders -------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise TranscriptError(
            "expected a transcript file or folder here, but there is nothing at this path",
            path=path,
            hint="check the path and the file name",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TranscriptError(
            f"expected a readable file, but it could not be read ({exc.strerror})",
            path=path,
            hint="check the file's permissions",
        ) from None


def _read_one(
    path: Path,
    *,
    merge_cues: bool,
    id_column: str | None,
    text_column: str | None,
    interview_id: str | None = None,
) -> _Parsed:
    suffix = path.suffix.lower()
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise TranscriptError(
            f"expected a transcript ({supported}), but found a '{suffix or 'no extension'}' file",
            path=path,
            hint=_CONVERT_HINTS.get(suffix, f"save or export it as one of {supported}"),
        )
    raw = _read_bytes(path)
    interview_id = interview_id or path.stem
    if kind in ("text", "markdown"):
        return _read_text_file(path, interview_id, raw, kind)
    if kind == "webvtt":
        return _read_vtt(path, interview_id, raw, merge_cues)
    if kind == "srt":
        return _read_srt(path, interview_id, raw, merge_cues)
    if kind == "docx":
        return _read_docx(path, interview_id, raw)
    return _read_survey(path, raw, id_column, text_column)


def _is_candidate(path: Path) -> bool:
    name = path.name
    # Hidden files, Office lock files (~$name.docx) and notes about the folder.
    return not (
        name.startswith((".", "~$", "_"))
        or path.stem.lower() in ("readme", "notes", "index")
        or name.lower() in ("thumbs.db", "desktop.ini")
    )


_SEGMENT_TYPES = [None, "q", None, "q", "q", None, "d", "d"]  # array typecodes, None: str


def _segment_columns() -> list:
    """Return empty columns for segment rows: compact arrays for the numbers."""
    return [[] if code is None else array(code) for code in _SEGMENT_TYPES]


def _segment_table(columns: list) -> pd.DataFrame:
    """Build the segments table column by column (no row objects kept alive)."""
    data = {}
    for name, values, code in zip(SEGMENT_COLUMNS, columns, _SEGMENT_TYPES, strict=True):
        if code is None:
            data[name] = pd.Series(values, dtype="str")
        else:
            data[name] = pd.Series(np.frombuffer(values, dtype="int64" if code == "q" else "f8"))
    return pd.DataFrame(data)


def _corpus_from_parsed(parsed: list[_Parsed], report: list[dict]) -> Corpus:
    documents = [d for p in parsed for d in p.documents]
    columns = _segment_columns()
    for p in parsed:
        _add_columns(columns, p)
    participants = [r for p in parsed for r in p.participants]
    if not report:
        report = [_report_row(p) for p in parsed]
    return _corpus(documents, columns, report, participants)


def _add_columns(columns: list, parsed: _Parsed) -> None:
    """Move a file's segment rows into the column lists, freeing the rows."""
    for column, values in zip(columns, zip(*parsed.segments, strict=True), strict=True):
        column.extend(values)
    parsed.segments = []


def _corpus(
    documents: list[dict], columns: list, report: list[dict], participants: list[dict]
) -> Corpus:
    names = ["interview_id"]
    names += [c for c in dict.fromkeys(c for r in participants for c in r) if c != "interview_id"]
    participant_table = pd.DataFrame(participants, columns=names).fillna("")
    return Corpus(
        pd.DataFrame(documents, columns=DOCUMENT_COLUMNS),
        _segment_table(columns),
        pd.DataFrame(report, columns=REPORT_COLUMNS),
        participant_table,
    )


def _report_row(p: _Parsed, file: str | None = None) -> dict:
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


def read_corpus(
    path: str | Path,
    strict: bool = False,
    *,
    merge_cues: bool = True,
    id_column: str | None = None,
    text_column: str | None = None,
    recursive: bool = True,
) -> Corpus:
    """Read a transcript file, or a folder of them, into a :class:`Corpus`.

    Parameters
    ----------
    path
        A file, or a folder whose files (and sub-folders', if `recursive`)
        are read in name order.  Each file's name without its extension is
        its ``interview_id``.
    strict
        For a folder: raise the first file's error instead of reporting it.
        A single file always raises.
    merge_cues
        Merge consecutive subtitle cues of one speaker into one turn.
    id_column, text_column
        For survey CSV/Excel files: the id and free-text columns (see
        :func:`read_survey`).
    recursive
        Also read the files in sub-folders.

    Returns
    -------
    Corpus
        ``documents``, ``segments``, ``participants`` (from surveys) and a
        ``report`` with one row per file (``status`` ``ok`` or ``error``).

    Raises
    ------
    TranscriptError
        For a bad single file, a missing path, or (with `strict`) any bad file.

    Examples
    --------
    >>> import toolkit as tk
    >>> corpus = tk.read_corpus(tk.sample_project_path() / "interviews")
    >>> corpus.report.loc[0, ["file", "kind", "status"]].tolist()
    ['int01.txt', 'text', 'ok']
    """
    path = Path(path)
    options = {"merge_cues": merge_cues, "id_column": id_column, "text_column": text_column}
    if not path.is_dir():
        parsed = _read_one(path, **options)
        return _corpus_from_parsed([parsed], [_report_row(parsed, path.name)])
    pattern = "**/*" if recursive else "*"
    files = sorted(
        (p for p in path.glob(pattern) if p.is_file() and _is_candidate(p)),
        key=lambda p: p.relative_to(path).as_posix().lower(),
    )
    files = [
        p for p in files if all(_is_candidate(Path(part)) for part in p.relative_to(path).parts)
    ]
    documents: list[dict] = []
    columns = _segment_columns()
    participants: list[dict] = []
    report: list[dict] = []
    errors: list[TranscriptError] = []
    owner: dict[str, str] = {}
    for file in files:
        name = file.relative_to(path).as_posix()
        try:
            parsed = _read_one(file, **options)
            _check_unique(parsed, name, file, owner)
        except TranscriptError as exc:
            if strict:
                raise
            errors.append(exc)
            report.append(_error_row(name, file, exc))
            continue
        report.append(_report_row(parsed, name))
        documents.extend(parsed.documents)
        participants.extend(parsed.participants)
        _add_columns(columns, parsed)
    corpus = _corpus(documents, columns, report, participants)
    corpus.errors = errors
    return corpus


def _check_unique(parsed: _Parsed, name: str, file: Path, owner: dict[str, str]) -> None:
    rows = parsed.participants if parsed.kind == "survey" else parsed.documents
    for number, record in enumerate(rows):
        rid = record["interview_id"]
        if rid in owner:
            raise TranscriptError(
                f"expected each interview id once, but '{rid}' is also the id of {owner[rid]} "
                "(duplicate interview ids)",
                path=file,
                row=parsed.rows[number] if parsed.kind == "survey" else None,
                hint="rename one of the files (a transcript's id is its file name without the "
                "extension) or change the response id",
            )
    for record in rows:
        owner[record["interview_id"]] = name


def read_transcripts(path: str | Path, **options) -> pd.DataFrame:
    """Read a transcript file or a folder of them into a segments table.

    Takes the same options as :func:`read_corpus`.  Bad files in a folder are
    skipped (see :func:`read_corpus` for the report); pass ``strict=True`` to
    raise instead.

    Examples
    --------
    >>> import toolkit as tk
    >>> segments = tk.read_transcripts(tk.sample_project_path() / "interviews" / "int01.txt")
    >>> segments.columns.tolist()[:6]
    ['interview_id', 'segment_id', 'speaker', 'start', 'end', 'text']
    """
    return read_corpus(path, **options).segments


# --- participants (cases) ------------------------------------------------------------


def check_participants(documents: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Return the interviews missing a participant row, and the rows missing a transcript.

    Returns
    -------
    pandas.DataFrame
        One row per problem: ``interview_id, problem, detail``, where
        ``problem`` is ``no transcript`` or ``no participant row``.  Empty
        when every transcript has exactly its participant.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"interview_id": ["int01", "int02"]})
    >>> people = pd.DataFrame({"interview_id": ["int01", "int03"]})
    >>> check_participants(docs, people)[["interview_id", "problem"]].values.tolist()
    [['int02', 'no participant row'], ['int03', 'no transcript']]
    """
    have_text = set(documents["interview_id"].astype(str))
    have_row = set(participants["interview_id"].astype(str))
    rows = [
        {
            "interview_id": i,
            "problem": "no participant row",
            "detail": f"{i} has a transcript but no row in participants.csv: add a row with "
            "interview_id " + i,
        }
        for i in sorted(have_text - have_row)
    ] + [
        {
            "interview_id": i,
            "problem": "no transcript",
            "detail": f"{i} has a row in participants.csv but no transcript in interviews/: "
            "add the file (named " + i + ".txt, .docx, ...) or check the id",
        }
        for i in sorted(have_row - have_text)
    ]
    table = pd.DataFrame(rows, columns=["interview_id", "problem", "detail"])
    return table.sort_values(["interview_id", "problem"], ignore_index=True)


def merge_participants(participants: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Return `participants` with the survey respondents in `extra` added as rows.

    Rows keep their columns; a respondent already in `participants` keeps
    that row, with blanks filled from `extra`.  A ``kind`` column says where
    each row came from (``interview`` or ``survey``) when there are survey rows.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"interview_id": ["int01"], "role": ["nurse"]})
    >>> survey = pd.DataFrame({"interview_id": ["s01"], "role": ["carer"], "area": ["Eastfield"]})
    >>> merge_participants(people, survey).values.tolist()
    [['int01', 'nurse', '', 'interview'], ['s01', 'carer', 'Eastfield', 'survey']]
    """
    if extra.empty:
        return participants.copy()
    base = participants.copy()
    if "kind" not in base.columns:
        base["kind"] = "interview"
    extra = extra.assign(kind="survey") if "kind" not in extra.columns else extra
    columns = list(base.columns[base.columns != "kind"]) + [
        c for c in extra.columns if c not in base.columns
    ]
    columns.append("kind")
    known = base.set_index("interview_id")
    new = extra[~extra["interview_id"].isin(known.index)]
    both = extra[extra["interview_id"].isin(known.index)].set_index("interview_id")
    merged = pd.concat([base, new], ignore_index=True)[columns].fillna("")
    for rid, row in both.iterrows():
        at = merged.index[merged["interview_id"] == rid][0]
        for column, value in row.items():
            if column != "kind" and merged.at[at, column] == "":
                merged.at[at, column] = value
    return merged


# --- bringing files into a project ---------------------------------------------------------


def import_interviews(
    source: str | Path,
    project_dir: str | Path,
    *,
    strict: bool = False,
    merge_cues: bool = True,
    id_column: str | None = None,
    text_column: str | None = None,
) -> pd.DataFrame:
    """Copy transcripts into a project's ``interviews/`` folder, checking each one first.

    Every file is read before it is copied, so a bad file never enters the
    project.  A ``participants.csv`` beside the transcripts is copied too,
    unless the project already has participant rows.  If `project_dir` is
    not a project yet, it becomes one (``project.yml`` and the starter files).

    Parameters
    ----------
    source
        A transcript file, or a folder of them (sub-folders included).
    project_dir
        The project folder.
    strict
        Import nothing if any file is bad (raise its error instead).
    merge_cues, id_column, text_column
        As for :func:`read_corpus`.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``file, kind, status, detail, interview_id,
        encoding, segments``; ``status`` is ``imported``, ``unchanged``
        (already there), ``error`` (not copied) or ``warning``.

    Raises
    ------
    TranscriptError
        If `source` does not exist, or (with `strict`) a file is bad.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> from toolkit.io.transcripts import import_interviews
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "project"
    >>> src = tk.sample_project_path() / "interviews" / "int01.txt"
    >>> import_interviews(src, target)[["file", "status"]].values.tolist()
    [['int01.txt', 'imported']]
    """

    from toolkit.io.files import atomic_write
    from toolkit.model.project import new_project, read_participants

    source, project_dir = Path(source), Path(project_dir)
    if not source.exists():
        _read_bytes(source)  # raises the "nothing at this path" error
    options = {"merge_cues": merge_cues, "id_column": id_column, "text_column": text_column}
    if source.is_dir():
        files = sorted(
            (p for p in source.rglob("*") if p.is_file()),
            key=lambda p: p.relative_to(source).as_posix().lower(),
        )
        files = [
            p
            for p in files
            if all(_is_candidate(Path(part)) for part in p.relative_to(source).parts)
        ]
        base = source
    else:
        files, base = [source], source.parent
    participants = [p for p in files if p.relative_to(base).as_posix() == "participants.csv"]
    files = [p for p in files if p not in participants]
    interviews = project_dir / "interviews"
    existing: dict[str, str] = {}
    if interviews.is_dir():
        for p in interviews.rglob("*"):
            if p.is_file() and _is_candidate(p) and p.suffix.lower() in SUPPORTED_SUFFIXES:
                existing[p.stem] = p.relative_to(interviews).as_posix()
    plan: list[tuple[Path, Path, dict]] = []
    report: list[dict] = []
    owner = dict(existing)
    for file in files:
        name = file.relative_to(base).as_posix()
        target = interviews / name
        try:
            parsed = _read_one(file, **options)
            if target.is_file() and target.read_bytes() == file.read_bytes():
                row = _report_row(parsed, name)
                row.update(status="unchanged", detail="already in the project: " + row["detail"])
                report.append(row)
                continue
            if target.exists():
                raise TranscriptError(
                    f"expected a new file name, but interviews/{name} already holds a different "
                    "file",
                    path=file,
                    hint="rename one of the two files (its name is its interview id)",
                )
            _check_unique(parsed, name, file, owner)
        except TranscriptError as exc:
            if strict:
                raise
            report.append(_error_row(name, file, exc))
            continue
        plan.append((file, target, _report_row(parsed, name)))
    if not (project_dir / "project.yml").is_file():
        if project_dir.exists() and any(project_dir.iterdir()):
            atomic_write(project_dir / "project.yml", f"name: {_yaml_quote(project_dir.name)}\n")
        else:
            new_project(project_dir)
    interviews.mkdir(parents=True, exist_ok=True)
    for file, target, row in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_copy(file, target)
        row["status"] = "imported"
        report.append(row)
    for file in participants:
        row = {
            "file": "participants.csv",
            "kind": "participants",
            "interview_id": "",
            "encoding": "",
            "segments": 0,
        }
        target = project_dir / "participants.csv"
        has_rows = target.is_file() and len(read_participants(target)) > 0
        if has_rows and target.read_bytes() != file.read_bytes():
            row.update(
                status="warning",
                detail="not copied: the project already has participant rows; merge the two "
                "files by hand",
            )
        else:
            read_participants(file)  # a bad file raises with its row
            atomic_copy(file, target)
            row.update(status="imported", detail="participants copied")
        report.append(row)
    table = pd.DataFrame(report, columns=REPORT_COLUMNS)
    order = {"error": 0, "warning": 1}
    return table.sort_values(
        "status", key=lambda s: s.map(lambda v: order.get(v, 2)), kind="stable"
    ).reset_index(drop=True)


def _yaml_quote(text: str) -> str:
    """Return `text` as a double-quoted YAML string (JSON strings are valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _error_row(name: str, file: Path, exc: TranscriptError) -> dict:
    return {
        "file": name,
        "kind": SUPPORTED_SUFFIXES.get(file.suffix.lower(), "unsupported"),
        "status": "error",
        "detail": str(exc),
        "interview_id": "",
        "encoding": "",
        "segments": 0,
    }
