"""Sentences: where each sentence of a segment starts and ends (``unit="sentence"``)."""

from __future__ import annotations

import re

__all__ = ["sentence_spans"]


# A sentence ends at . ! ? or an ellipsis followed by a space and anything but a
# lower-case letter (transcripts use "..." for a pause inside a sentence).
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s*$|\s+[^\sa-z])|\n+")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof rev cllr sr jr vs etc eg ie e.g i.e approx dept no nos tel".split()  # noqa: SIM905
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split a text into sentences, returning their ``(start, end)`` offsets.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space and
    anything but a lower-case letter, or at a line break.  Common
    abbreviations (Mr., Dr., e.g.) do not end one.
    Spaces between sentences belong to none.

    Examples
    --------
    >>> text = "It worked. Dr. Shah rang at 9pm! Then home"
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['It worked.', 'Dr. Shah rang at 9pm!', 'Then home']
    """
    spans = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and match.group() == ".":
            words = text[begin : match.start()].split()
            if words and words[-1].lower().strip("(\"'") in _ABBREVIATIONS:
                continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        _add_span(text, begin, end, spans)
        begin = match.end()
    _add_span(text, begin, len(text), spans)
    return spans


def _add_span(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[begin:end]
    stripped = piece.strip()
    if stripped:
        left = begin + (len(piece) - len(piece.lstrip()))
        spans.append((left, left + len(stripped)))
