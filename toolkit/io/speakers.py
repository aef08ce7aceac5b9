"""Speakers: which labels at the start of a line name a speaker, and turns.

A label at the start of a line counts as a speaker when it appears at least
twice in the file, or is a role such as ``Interviewer``, ``Q`` or
``Participant``, or is in brackets (``[P1]:``, read as ``P1``), or is bold in
Word.  This keeps ``Hartwell: getting home well`` in a title from becoming a
speaker.  And a text in which fewer than half of the turns would start with
a name, and none with a role or a bracketed label, is not a transcript (a
comment thread, an e-mail, field notes with the odd ``Tip:``): it has no
speakers at all (:func:`few_speakers`).  The text, Word and subtitle readers
share these rules.

:class:`TurnBuilder` writes a transcript made of parts (Word paragraphs,
subtitle cues) as ``Speaker: text`` turns separated by blank lines, keeping
each turn's span.

Examples
--------
>>> text = "Q: How was it?\\nA: Fine.\\n\\nA note."
>>> [(s, text[a:b]) for s, a, b in text_turns(text)]
[('Q', 'How was it?'), ('A', 'Fine.'), ('', 'A note.')]
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from toolkit.wording import listing, plural

__all__ = [
    "ROLE_LABELS",
    "TurnBuilder",
    "accept_labels",
    "accepted_labels",
    "few_speakers",
    "label_at",
    "speakers_detail",
    "text_turns",
]

_NAN = math.nan

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


def label_at(line: str) -> tuple[str, int, bool] | None:
    """Return (speaker, end of the label, is_certain) if `line` starts with a label."""
    if not line or not (line[0].isalnum() or line[0] in " \t*["):
        return None
    match = _LABEL.match(line)
    if match is None:
        return None
    checked = _check_label(match.group("bold") or match.group("plain"))
    return None if checked is None else (checked[0], match.end(), checked[1])


def accept_labels(
    found: Iterable[tuple[str, int, bool] | None], known: Iterable[str] = (), lenient: bool = False
) -> set[str]:
    """Return the labels that count as speakers, from every line's :func:`label_at` result.

    See the module notes for the rules.

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


def accepted_labels(texts: Iterable[str], known: Iterable[str] = ()) -> set[str]:
    """Return the labels that count as speakers in these texts."""
    return accept_labels((label_at(line) for t in texts for line in t.split("\n")), known)


_HEADING = re.compile(r"#{1,6}[ \t]+")
_ALNUM = re.compile(r"[^\W_]")


def text_turns(text: str, accepted: set[str] | None = None) -> list[tuple[str, int, int]]:
    """Split plain or Markdown text into (speaker, start, end) turns.

    A turn starts at a line with an accepted speaker label and runs to the
    next blank line or label; other paragraphs are turns with no speaker.
    """
    lines = text.split("\n")
    labels = [label_at(line) for line in lines]
    if accepted is None:
        accepted = accept_labels(labels)
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


def few_speakers(text: str, turns: list[tuple[str, int, int]]) -> bool:
    """Return True if `text` is not a transcript, though a few of its lines look like labels.

    That is when fewer than half of its `turns` (from :func:`text_turns`)
    have a speaker and no line starts with a role (``Interviewer:``, ``Q:``)
    or a bracketed label (``[P1]:``): a comment thread whose ``Tip:`` and
    ``Edit:`` lines are not people, say.

    Examples
    --------
    >>> thread = "Posted by holly\\nWe waited all day.\\nTip: ring PALS.\\n\\nReply from Dave\\n"
    >>> thread += "Same here.\\nTip: ask at nine.\\n\\nReply from Kim\\nThanks."
    >>> [s for s, _, _ in text_turns(thread)]
    ['', 'Tip', '', 'Tip', '']
    >>> few_speakers(thread, text_turns(thread))
    True
    >>> text = "Sam: How was it?\\n\\nAnn: Slow.\\n\\nA note.\\n\\nSam: And then?"
    >>> few_speakers(text, text_turns(text))
    False
    """
    named = sum(1 for turn in turns if turn[0])
    if not named or 2 * named >= len(turns):
        return False
    speakers = {turn[0] for turn in turns if turn[0]}
    for line in text.split("\n"):
        found = label_at(line)
        if found is not None and found[2] and found[0] in speakers:
            return False
    return True


def speakers_detail(turns: list[tuple]) -> str:
    """Describe a file's turns for the reading report: how many, and who speaks most.

    Examples
    --------
    >>> speakers_detail([("Sam", 0, 5), ("Ann", 6, 9), ("Sam", 10, 12), ("", 13, 20)])
    '4 segments from 2 speakers (Sam, Ann), 1 without a speaker'
    """
    counts = Counter(t[0] for t in turns)
    unlabelled = counts.pop("", 0)
    names = sorted(counts, key=lambda s: (-counts[s], s))
    words = plural(len(turns), "segment")
    if names:
        words += f" from {plural(len(names), 'speaker')} ({listing(names, 6)})"
    if unlabelled:
        words += f", {unlabelled} without a speaker"
    return words


class TurnBuilder:
    """Write a transcript as ``Speaker: text`` turns separated by blank lines.

    ``turns`` holds each turn's ``(speaker, start, end, t_start, t_end)``,
    where ``text[start:end]`` is the turn's text (after ``Speaker: ``).

    Examples
    --------
    >>> builder = TurnBuilder()
    >>> builder.add("Sam", "Hello.", 0.0, 1.5)
    >>> builder.add("[P1]", "Hi.")
    >>> builder.text
    'Sam: Hello.\\n\\nP1: Hi.'
    >>> builder.turns[1][:3]
    ('P1', 17, 20)
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.turns: list[tuple[str, int, int, float, float]] = []

    def _append(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def add(self, speaker: str, text: str, t_start: float = _NAN, t_end: float = _NAN) -> None:
        """Add a turn (nothing if `text` is blank); ``[P1]`` as a speaker is read as ``P1``."""
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
        """The transcript written so far."""
        return "".join(self.parts)
