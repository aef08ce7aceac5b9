"""Subtitle transcripts: WebVTT (Zoom, Microsoft Teams, YouTube) and SubRip (.srt).

Zoom writes ``Name: text`` cues; Teams and YouTube write ``<v Name>`` voice
tags, closed or not.  A cue without a speaker continues the previous
speaker's turn, because captioners only label a change of speaker;
consecutive cues of one speaker are merged into one turn unless
``merge_cues=False``.  WebVTT ``NOTE``, ``STYLE`` and ``REGION`` blocks are
not part of the transcript, and nor is a transcription tool's note inside a
cue (TurboScribe's notice, see :func:`toolkit.io.text.drop_tool_notes`).
The document text is the transcript written out as ``Speaker: text`` turns
separated by blank lines (a cue's line breaks become spaces), and each
segment has the times of its first and last cue.

Cues are read in one pass with a regular expression when the file is well
formed (most are), falling back to a block-by-block reader that names the
line of any bad timing, and to webvtt-py for block structures it does not
expect.  The tests check that the fast reader and webvtt-py agree.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import TranscriptError
from toolkit.io.corpus import ParsedFile, parsed_from_builder
from toolkit.io.decoding import decode_transcript
from toolkit.io.speakers import TurnBuilder, accept_labels, label_at, speakers_detail
from toolkit.io.text import drop_tool_notes, notes_detail
from toolkit.wording import plural

__all__ = ["read_srt", "read_vtt"]


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


def _drop_notes(cues: list[_Cue], text: str) -> list[str]:
    """Take transcription tools' notes out of the cues (a cue left empty goes); return them."""
    if "ranscribed" not in text and "RANSCRIBED" not in text:
        return []
    notes: list[str] = []
    kept = []
    for cue in cues:
        cue.text, found = drop_tool_notes(cue.text)
        notes += found
        if cue.text or cue.speaker is not None:
            kept.append(cue)
    cues[:] = kept
    return notes


def _turns_from_cues(cues: list[_Cue], merge: bool) -> TurnBuilder:
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
                    cache[key] = label_at(cue.text)
                found = cache[key]
        labels.append(found)
    accepted = accept_labels(labels, lenient=True)
    builder = TurnBuilder()
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


#: Each subtitle format's timing line, an example of one, and what comes before it in a
#: cue, for messages.
_FORMATS = {
    "WebVTT": (_VTT_TIMING, "00:01:02.500 --> 00:01:05.000", "an optional identifier line"),
    "SubRip": (_SRT_TIMING, "00:01:02,500 --> 00:01:05,000", "its number"),
}


def _timing(line: str, kind: str) -> tuple[float, float] | str:
    """Return (start, end) in seconds from a cue timing line, or what is wrong with it."""
    match = _FORMATS[kind][0].match(line)
    if match is None:
        if kind == "WebVTT" and _SRT_TIMING.match(line):
            return "the times use a comma before the milliseconds, as SubRip does"
        return "this is not a cue timing line"
    h0, m0, s0, f0, h1, m1, s1, f1 = match.groups()
    if max(int(m0), int(s0), int(m1), int(s1)) > 59:
        return "minutes and seconds must be 59 or less"
    start = (int(h0 or 0) * 60 + int(m0)) * 60 + int(s0) + int(f0.ljust(3, "0")) / 1000
    end = (int(h1 or 0) * 60 + int(m1)) * 60 + int(s1) + int(f1.ljust(3, "0")) / 1000
    if end < start:
        return "the cue ends before it starts"
    return start, end


def _bad_timing(line: str, number: int, problem: str, kind: str, path: Path) -> TranscriptError:
    example = _FORMATS[kind][1]
    return TranscriptError(
        f"expected cue timings like '{example}', but found '{line.strip()}' ({problem})",
        path=path,
        line=number,
        hint=f"correct the times on that line (hours:minutes:seconds{example[8]}"
        "milliseconds), or delete the cue",
    )


def _no_cues(kind: str, path: Path) -> TranscriptError:
    return TranscriptError(
        f"expected {kind} cues (a timing line such as '{_FORMATS[kind][1]}' followed by the "
        "text), but found none",
        path=path,
        hint="check the file is a subtitle file; a plain transcript should end in .txt",
    )


def _bad_layout(expected: str, found: str, kind: str, path: Path) -> TranscriptError:
    """Return the error for cues that webvtt-py cannot make out, with how a cue is laid out."""
    return TranscriptError(
        f"expected {expected}, but {found}",
        path=path,
        hint=f"each cue needs a blank line before it, then {_FORMATS[kind][2]}, the timing "
        "line and its text",
    )


def _check_timings(text: str, path: Path, kind: str) -> int:
    """Check every cue timing line, naming the first bad one; return how many there are."""
    count = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line:
            continue
        times = _timing(line, kind)
        if isinstance(times, str):
            raise _bad_timing(line, number, times, kind, path)
        count += 1
    if count == 0:
        raise _no_cues(kind, path)
    return count


_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")


class _Unusual(Exception):
    """A subtitle file whose block structure the fast reader leaves to webvtt-py."""


def _fast_cues(text: str, path: Path, kind: str) -> list[tuple[float, float, list[str]]]:
    """Read the cues of a WebVTT or SubRip text in one pass over its blocks.

    Blocks are runs of non-empty lines.  A cue block has its timing line
    first, or second after an identifier (a SubRip cue number).  Anything
    else with a ``-->`` in it raises :class:`_Unusual`, and the file is read
    by webvtt-py instead.  Bad timings raise :class:`TranscriptError` with
    the line number.
    """
    vtt = kind == "WebVTT"
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
        times = _timing(lines[at], kind)
        if isinstance(times, str):
            raise _bad_timing(lines[at], line_no + at, times, kind, path)
        cues.append((times[0], times[1], lines[at + 1 :]))
    if not cues:
        raise _no_cues(kind, path)
    return cues


def _webvtt_py_cues(text: str, path: Path, kind: str) -> list[tuple[float, float, list[str]]]:
    """Read cues with webvtt-py, the parser of record for unusual block structures."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    vtt = kind == "WebVTT"
    expected = _check_timings(text, path, kind)
    try:
        if vtt:
            captions = webvtt.WebVTT.from_string(text).captions
        else:
            body = text.lstrip("\n \t")
            captions = webvtt.WebVTT.from_buffer(io.StringIO(body), format="srt").captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        stopped = f"the parser stopped: {exc}"
        raise _bad_layout(f"a well-formed {kind} file", stopped, kind, path) from None
    if len(captions) != expected:
        found = f"could read only {len(captions)}"
        raise _bad_layout(f"{expected} cues (one per timing line)", found, kind, path)
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


def read_vtt(path: Path, interview_id: str, raw: bytes, merge: bool) -> ParsedFile:
    """Read a WebVTT transcript; with `merge`, one speaker's consecutive cues make one turn.

    Raises
    ------
    TranscriptError
        If the file is not WebVTT (naming SubRip when it looks like it), a
        timing is bad (naming its line), or there are no cues.
    """
    text, encoding = decode_transcript(raw, path, "WebVTT")
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
    notes = _drop_notes(cues, text)
    builder = _turns_from_cues(cues, merge)
    if voices:
        style = "voice tags (Teams/YouTube style)"
    elif any(t[0] for t in builder.turns):
        style = "speaker labels (Zoom style)"
    else:
        style = "no speakers named"
    if rolling:
        style += "; repeated rolling caption lines removed"
    detail = f"{plural(len(captions), 'cue')}, {style}: {speakers_detail(builder.turns)}"
    detail += notes_detail(notes)
    return parsed_from_builder(path, interview_id, builder, "webvtt", encoding, detail)


def read_srt(path: Path, interview_id: str, raw: bytes, merge: bool) -> ParsedFile:
    """Read a SubRip transcript; with `merge`, one speaker's consecutive cues make one turn.

    Raises
    ------
    TranscriptError
        If the file is WebVTT, a timing is bad (naming its line), or there
        are no cues.
    """
    text, encoding = decode_transcript(raw, path, "SubRip")
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
    notes = _drop_notes(cues, text)
    builder = _turns_from_cues(cues, merge)
    detail = f"{plural(len(captions), 'cue')}: {speakers_detail(builder.turns)}"
    detail += notes_detail(notes)
    return parsed_from_builder(path, interview_id, builder, "srt", encoding, detail)
