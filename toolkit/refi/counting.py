"""Positions: how another tool counted them, and converting them to code points.

The standard counts positions in Unicode code points from 0 in the UTF-8
plain text, but real exports do not always do so: some count UTF-16 code
units (so every emoji shifts what follows by one), some count a Windows line
break as two characters where the text has one, or one where it has two, and
some count the byte-order mark.  :func:`choose_counting` tries each way of
counting (a :class:`Counting`), keeps the one that puts the selections inside
the text and on word boundaries, and :meth:`SourceText.convert` converts to
code points in the toolkit's text (``\\n`` line breaks, Unicode NFC).

Examples
--------
>>> text = SourceText("Ali: The driver \\U0001f697 came.\\r\\nSam: Good.", had_bom=False)
>>> text.text[16:22]
'🚗 came'
>>> utf16 = Counting("UTF-16 code units", "as in the file")
>>> [int(p) for p in text.convert(np.array([18, 23]), utf16, end=True)[0]]
[17, 22]
>>> utf16.describe()
'counted positions in UTF-16 code units, not in code points'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = [
    "BREAKS",
    "UNITS",
    "CodedSource",
    "Counting",
    "Score",
    "SourceText",
    "choose_counting",
    "is_boundary",
    "nfc_with_map",
    "selection_name",
    "squash",
]

#: The units a tool may count positions in.
UNITS = ("code points", "UTF-16 code units", "UTF-8 bytes")
#: How a tool may count a line break: as the file has it, always one or always two.
BREAKS = ("as in the file", "one", "two")


@dataclass(frozen=True)
class Counting:
    """One way a tool may have counted positions."""

    unit: str = "code points"
    breaks: str = "as in the file"
    bom: bool = False

    @property
    def standard(self) -> bool:
        """Whether this is the standard's way: code points, line breaks as in the file."""
        return self == Counting()

    def describe(self) -> str:
        """Say, after "the other tool", how it counted."""
        parts = []
        if self.unit != "code points":
            parts.append(f"counted positions in {self.unit}, not in code points")
        if self.breaks == "one":
            parts.append("counted a Windows line break (CR LF) as one character")
        elif self.breaks == "two":
            parts.append("counted each line break as two characters (CR LF)")
        if self.bom:
            parts.append("counted the byte-order mark at the start of the file as a character")
        return " and ".join(parts) or "counted in code points, as the standard asks"


class SourceText:
    """A source's text as found, and maps from any way of counting to the final text.

    The final text is the toolkit's normalised text: line breaks as ``\\n`` and
    Unicode NFC.  Each line break (CR LF, CR or LF) is one token, every other
    code point another, so a token's index is its position in the text with
    ``\\n`` line breaks.
    """

    def __init__(self, raw: str, had_bom: bool) -> None:
        self.had_bom = had_bom
        points = np.frombuffer(raw.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        is_cr, is_lf = points == 13, points == 10
        crlf = np.zeros(len(points), dtype=bool)
        crlf[:-1] = is_cr[:-1] & is_lf[1:]
        self.has_crlf = bool(crlf.any())
        if self.has_crlf:
            keep = np.ones(len(points), dtype=bool)
            keep[1:] = ~crlf[:-1]
            points, is_cr, is_lf, crlf = points[keep], is_cr[keep], is_lf[keep], crlf[keep]
        self.points = points
        self.is_break = is_cr | is_lf
        self.raw_width = crlf.astype(np.int8) + 1
        self.has_single_breaks = bool((self.is_break & ~crlf).any())
        self.non_ascii = bool((points > 127).any())
        self.astral = bool((points > 0xFFFF).any())
        lf_text = raw
        if self.has_crlf or is_cr.any():
            lf_points = np.where(self.is_break, 10, points).astype("<u4")
            lf_text = lf_points.tobytes().decode("utf-32-le", "surrogatepass")
        self.text, self.to_final, self.normalised = nfc_with_map(lf_text)
        self._starts: dict[Counting, np.ndarray] = {}

    def forget(self) -> None:
        """Drop the cached offsets of the ways of counting tried so far."""
        self._starts = {}

    def release(self) -> None:
        """Free the arrays once the positions are converted (keep the text)."""
        self.points = self.is_break = self.raw_width = self.to_final = None
        self._starts = {}

    def canonical(self, counting: Counting) -> Counting:
        """Return the simplest counting that gives this text the same positions."""
        unit = counting.unit
        if unit == "UTF-16 code units" and not self.astral:
            unit = "code points"
        if unit == "UTF-8 bytes" and not self.non_ascii:
            unit = "code points"
        breaks = counting.breaks
        if breaks == "one" and not self.has_crlf:
            breaks = "as in the file"
        if breaks == "two" and not self.has_single_breaks:
            breaks = "as in the file"
        return Counting(unit, breaks, counting.bom and self.had_bom)

    def starts(self, counting: Counting) -> np.ndarray:
        """Return the offset, in the tool's counting, where each token starts (and the end)."""
        if counting not in self._starts:
            points = self.points
            if counting.unit == "UTF-16 code units":
                widths = 1 + (points > 0xFFFF)
            elif counting.unit == "UTF-8 bytes":
                widths = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
            else:
                widths = np.ones(len(points), dtype=np.int8)
            if counting.breaks == "as in the file":
                widths = np.where(self.is_break, self.raw_width, widths)
            else:
                widths = np.where(self.is_break, 1 if counting.breaks == "one" else 2, widths)
            offset = (3 if counting.unit == "UTF-8 bytes" else 1) if counting.bom else 0
            starts = np.zeros(len(points) + 1, dtype=np.int64)
            np.cumsum(widths, out=starts[1:])
            self._starts[counting] = starts + offset
        return self._starts[counting]

    def convert(
        self, positions: np.ndarray, counting: Counting, end: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Convert positions to the final text: (positions, out of range, inside a character)."""
        if self.to_final is None and not self.has_crlf and self.canonical(counting).standard:
            # The common case: the file's positions are already the final ones.
            outside = (positions < 0) | (positions > len(self.text))
            return np.clip(positions, 0, len(self.text)), outside, np.zeros_like(outside)
        starts = self.starts(counting)
        values = np.maximum(positions, starts[0]) if counting.bom else positions
        outside = (values < 0) | (values > starts[-1])
        clipped = np.clip(values, starts[0], starts[-1])
        token = np.searchsorted(starts, clipped, side="right") - 1
        inside = starts[token] != clipped
        # A boundary inside a character (half a surrogate pair, a byte of a
        # multi-byte character, between CR and LF) is moved outwards.
        if end:
            token = np.where(inside, token + 1, token)
        token = np.minimum(token, len(starts) - 1)
        final = token if self.to_final is None else self.to_final[token]
        return final, outside, inside & ~outside


def nfc_with_map(text: str) -> tuple[str, np.ndarray | None, bool]:
    """Normalise `text` to NFC: the text, a map of old to new positions (None: the same), a flag."""
    if unicodedata.is_normalized("NFC", text):
        return text, None, False
    # Normalise cluster by cluster (a starter and its combining marks), so
    # that positions between clusters map exactly.
    out: list[str] = []
    mapping = np.empty(len(text) + 1, dtype=np.int64)
    position, start = 0, 0
    for index in range(1, len(text) + 1):
        if index < len(text) and (
            unicodedata.combining(text[index]) or 0x1160 <= ord(text[index]) <= 0x11FF
        ):
            continue
        cluster = text[start:index]
        normal = unicodedata.normalize("NFC", cluster)
        if normal == cluster:
            mapping[start:index] = position + np.arange(index - start)
        else:
            mapping[start:index] = position
        out.append(normal)
        position += len(normal)
        start = index
    mapping[len(text)] = position
    result = "".join(out)
    if result != unicodedata.normalize("NFC", text):
        # Composition across clusters (rare scripts): keep the text as found,
        # so that positions stay exact, rather than guess.
        return text, None, False
    return result, mapping, True


def _in_word(char: str) -> bool:
    # Accents written as combining marks belong to their word.
    return char.isalnum() or unicodedata.category(char).startswith("M")


def is_boundary(text: str, position: int) -> bool:
    """Say whether a position is at a word boundary (where people start and end codings)."""
    if position <= 0 or position >= len(text):
        return True
    return not (_in_word(text[position - 1]) and _in_word(text[position]))


def squash(text: str) -> str:
    """Return `text` with its white space collapsed to single spaces, case-folded."""
    return " ".join(text.split()).casefold()


class CodedSource(Protocol):
    """A source whose selections' positions are to be checked: what :func:`choose_counting` reads.

    ``starts`` and ``ends`` are the selections' positions as the file gives
    them; ``names`` their names as :func:`selection_name` returns them.
    """

    guid: str
    text: SourceText
    starts: np.ndarray
    ends: np.ndarray
    names: list[str]


@dataclass
class Score:
    """How plausibly a way of counting places a source's selections.

    Selections ``outside`` the text and boundaries ``inside`` a character count
    against it; ``hits`` (boundaries on word edges, names that match the
    words) count for it.
    """

    outside: int = 0
    inside: int = 0
    hits: int = 0

    def __iadd__(self, other: Score) -> Score:
        self.outside += other.outside
        self.inside += other.inside
        self.hits += other.hits
        return self


def _score(source: CodedSource, counting: Counting) -> Score:
    """Score how plausibly `counting` is the tool's way of counting in this source."""
    text = source.text.text
    starts, out_s, in_s = source.text.convert(source.starts, counting, end=False)
    ends, out_e, in_e = source.text.convert(source.ends, counting, end=True)
    score = Score(int((out_s | out_e).sum()), int((in_s | in_e).sum()))
    for start, end, name in zip(starts, ends, source.names, strict=True):
        start, end = int(start), int(end)
        score.hits += is_boundary(text, start) + is_boundary(text, end)
        # People code words, not the spaces around them.
        if start < end:
            score.hits += (not text[start].isspace()) + (not text[end - 1].isspace())
        # ATLAS.ti and others name a selection after its first words: strong evidence.
        if name and squash(text[start:end]).startswith(name):
            score.hits += 4
    return score


def _differs(source: CodedSource, a: Counting, b: Counting) -> int:
    """Count the selection boundaries that two countings place differently."""
    if source.text.canonical(a) == source.text.canonical(b):
        return 0
    count = 0
    for positions, end in ((source.starts, False), (source.ends, True)):
        first = source.text.convert(positions, a, end)[0]
        second = source.text.convert(positions, b, end)[0]
        count += int((first != second).sum())
    return count


def _better(candidate: Score, baseline: Score, differing: int) -> bool:
    """Decide whether a non-standard counting clearly beats the standard one."""
    if candidate.outside != baseline.outside:
        return candidate.outside < baseline.outside
    if candidate.inside > baseline.inside:
        return False
    # Demand a clear margin: by chance a wrong counting can land a few
    # selections on word boundaries too.
    return candidate.hits - baseline.hits >= max(2, -(-differing // 4))


def _candidates(sources: list[CodedSource]) -> list[Counting]:
    """Return the ways of counting that differ from the standard's in at least one source."""
    seen: list[Counting] = []
    for unit in UNITS:
        for breaks in BREAKS:
            for bom in (False, True):
                counting = Counting(unit, breaks, bom)
                if any(s.text.canonical(counting) == counting for s in sources) and (
                    counting not in seen
                ):
                    seen.append(counting)
    return seen


def choose_counting(sources: list[CodedSource]) -> dict[str, Counting]:
    """Choose, for each source, the way its positions were counted."""
    standard = Counting()
    coded = [s for s in sources if len(s.starts)]
    chosen = {s.guid: standard for s in sources}
    if not coded:
        return chosen
    candidates = [standard, *(c for c in _candidates(coded) if not c.standard)]
    # Score every way of counting on each source in turn, freeing the source's
    # arrays before the next, so memory stays that of one source.
    scores: dict[str, dict[Counting, tuple[Score, int]]] = {}
    for source in coded:
        table: dict[Counting, tuple[Score, int]] = {}
        for counting in candidates:
            canonical = source.text.canonical(counting)
            if canonical in table:
                table[counting] = table[canonical]
            else:
                table[counting] = table[canonical] = (
                    _score(source, canonical),
                    _differs(source, canonical, standard),
                )
        scores[source.guid] = table
        source.text.forget()
    # One tool counts one way, so decide for the whole project first ...
    baseline = Score()
    for source in coded:
        baseline += scores[source.guid][standard][0]
    best, best_score = standard, baseline
    for counting in candidates[1:]:
        total, differing = Score(), 0
        for source in coded:
            total += scores[source.guid][counting][0]
            differing += scores[source.guid][counting][1]
        if differing and _better(total, baseline, differing):
            rank = (-total.outside, -total.inside, total.hits)
            if best.standard or rank > (-best_score.outside, -best_score.inside, best_score.hits):
                best, best_score = counting, total
    # ... then rescue single sources the project-wide choice leaves out of range
    # (for example one document imported into the tool from a different file).
    for source in coded:
        table = scores[source.guid]
        current, choice = table[best][0], best
        for counting in candidates:
            if table[counting][0].outside < current.outside:
                current, choice = table[counting][0], counting
        chosen[source.guid] = source.text.canonical(choice)
    return chosen


def selection_name(name: str) -> str:
    """Return a selection's name as evidence of its words, or ``""`` if it says nothing.

    ATLAS.ti and others name a selection after its first words; names such as
    ``line:12``, numbers and GUIDs are not words.
    """
    name = squash(name).rstrip(".…").strip()
    if len(name) < 4 or re.fullmatch(r"line:\d+|\d+|[0-9a-f-]{32,38}", name):
        return ""
    return name[:40]
