"""Convert text positions between code points, UTF-8 bytes and UTF-16 units.

The toolkit counts positions (``start``, ``end``) in Unicode code points into
an interview's normalised text, first code point 0, end exclusive, as the
REFI-QDA standard does, so ``text[start:end]`` in Python is the span.  Other
tools count differently: editors and databases that store UTF-8 count bytes,
and JavaScript, Java, .NET, Word and NVivo count UTF-16 code units (a
character outside the Basic Multilingual Plane, such as most emoji, is two
units).  The functions here convert between the three, and
:func:`mismatched_spans` checks that a table's spans really point at its text.

Examples
--------
>>> text = "Zoë 👍 ok"
>>> to_byte_offset(text, 4), to_utf16_offset(text, 5)
(5, 6)
>>> from_utf16_offset(text, 6)
5
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from toolkit.errors import ToolkitError

__all__ = [
    "UNITS",
    "convert_offsets",
    "from_byte_offset",
    "from_utf16_offset",
    "mismatched_spans",
    "to_byte_offset",
    "to_utf16_offset",
]

#: The ways of counting positions that :func:`convert_offsets` understands.
UNITS = ("codepoint", "utf-8", "utf-16")


def _check_codepoint(text: str, offset: int) -> int:
    offset = int(offset)
    if not 0 <= offset <= len(text):
        raise ToolkitError(
            f"expected a position from 0 to {len(text)} (the text's length in code points), "
            f"but found {offset}",
            hint="check that the position belongs to this text",
        )
    return offset


def to_byte_offset(text: str, offset: int) -> int:
    """Return the UTF-8 byte offset of code point `offset` in `text`.

    Examples
    --------
    >>> to_byte_offset("café au lait", 5)
    6
    """
    offset = _check_codepoint(text, offset)
    return len(text[:offset].encode("utf-8", "surrogatepass"))


def to_utf16_offset(text: str, offset: int) -> int:
    """Return the UTF-16 code-unit offset of code point `offset` in `text`.

    Examples
    --------
    >>> to_utf16_offset("🙂 hello", 2)
    3
    """
    offset = _check_codepoint(text, offset)
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


def from_byte_offset(text: str, offset: int) -> int:
    """Return the code-point offset of UTF-8 byte `offset` in `text`.

    Raises
    ------
    ToolkitError
        If the offset falls inside a character's bytes or past the end.

    Examples
    --------
    >>> from_byte_offset("café au lait", 6)
    5
    """
    return convert_offsets(text, [offset], source="utf-8", target="codepoint")[0]


def from_utf16_offset(text: str, offset: int) -> int:
    """Return the code-point offset of UTF-16 code unit `offset` in `text`.

    Raises
    ------
    ToolkitError
        If the offset falls between the two halves of a surrogate pair.

    Examples
    --------
    >>> from_utf16_offset("🙂 hello", 3)
    2
    """
    return convert_offsets(text, [offset], source="utf-16", target="codepoint")[0]


def _boundaries(text: str, unit: str) -> np.ndarray:
    """Return the offset, in `unit`, of every code-point boundary 0..len(text)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if unit == "codepoint":
        widths = np.ones(len(points), dtype=np.int64)
    elif unit == "utf-8":
        widths = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
    else:
        widths = 1 + (points >= 0x10000)
    out = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(widths, out=out[1:])
    return out


def convert_offsets(
    text: str, offsets: Iterable[int], source: str = "codepoint", target: str = "utf-16"
) -> list[int]:
    """Convert many positions in one text from one way of counting to another.

    Parameters
    ----------
    text
        The text the positions point into.
    offsets
        The positions, counted in `source` units.
    source, target
        One of ``"codepoint"``, ``"utf-8"`` (bytes) and ``"utf-16"`` (code units).

    Returns
    -------
    list of int
        The positions counted in `target` units.

    Raises
    ------
    ToolkitError
        If a unit is unknown, or a position is past the end or inside a
        character (between the bytes of one character, or the two halves of
        a surrogate pair).

    Examples
    --------
    >>> convert_offsets("a😀b", [0, 1, 2, 3], "codepoint", "utf-8")
    [0, 1, 5, 6]
    >>> convert_offsets("a😀b", [0, 1, 3, 4], "utf-16", "codepoint")
    [0, 1, 2, 3]
    """
    for unit in (source, target):
        if unit not in UNITS:
            raise ToolkitError(
                f"expected a unit from {', '.join(UNITS)}, but found {unit!r}",
                hint="use 'codepoint' for Python, 'utf-8' for bytes, 'utf-16' for JavaScript/Word",
            )
    values = np.asarray(list(offsets), dtype=np.int64)
    source_at = _boundaries(text, source)
    target_at = _boundaries(text, target)
    index = np.searchsorted(source_at, values)
    bad = (index > len(text)) | (values < 0)
    bad[~bad] = source_at[index[~bad]] != values[~bad]
    if bad.any():
        value = int(values[bad][0])
        raise ToolkitError(
            f"expected a {source} position on a character boundary from 0 to "
            f"{int(source_at[-1])}, but found {value}",
            hint="check the unit the other tool counts in (bytes, UTF-16 units or code points)",
        )
    return [int(v) for v in target_at[index]]


def mismatched_spans(
    documents: pd.DataFrame, table: pd.DataFrame, text_column: str = "text"
) -> pd.DataFrame:
    """Return the rows of `table` whose span does not match its document's text.

    For every row, ``documents.text[start:end]`` should equal the row's
    `text_column` (for segments, the segment text).  An empty result means
    every span is right.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"interview_id": ["a"], "text": ["Sam: hello"]})
    >>> segs = pd.DataFrame({"interview_id": ["a"], "start": [5], "end": [10], "text": ["hello"]})
    >>> len(mismatched_spans(docs, segs))
    0
    """
    texts = dict(zip(documents["interview_id"], documents["text"], strict=True))
    bad = [
        i
        for i, (doc, start, end, text) in enumerate(
            zip(
                table["interview_id"], table["start"], table["end"], table[text_column], strict=True
            )
        )
        if doc not in texts or texts[doc][int(start) : int(end)] != text
    ]
    return table.iloc[bad]
