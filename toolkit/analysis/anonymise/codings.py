"""Keeping coded spans on the same words once the interviews are pseudonymised.

A pseudonym is rarely as long as what it replaces, so every offset after it
moves.  :func:`remap_positions` maps positions in an interview's original
text to its pseudonymised text (a position inside a replaced identifier moves
to the edge of its pseudonym), and :func:`pseudonymise_codings` rewrites a
coder's file with the new offsets.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

from toolkit.analysis.anonymise.audit import Audit
from toolkit.analysis.anonymise.documents import pseudonymise_cells
from toolkit.analysis.anonymise.pseudonymiser import Pseudonymiser
from toolkit.io.files import read_table, write_table

__all__ = ["FREE_TEXT_COLUMNS", "pseudonymise_codings", "remap_positions"]

#: Columns of a coder's file that hold free text (and so may name people).
FREE_TEXT_COLUMNS = frozenset({"text", "quote", "memo", "note", "notes", "comment"})


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m[0], m.start()) for m in re.finditer(r"\S+|\s+", text)]


def _remap(old: str, new: str, p: Pseudonymiser, positions: list[int], is_end: bool) -> list[int]:
    """Map positions in `old` to `new` (the same text after pseudonymisation).

    A position inside a replaced identifier moves to the edge of its
    replacement, so a coded span keeps covering the same words.
    """
    expected, placed = p.replace(old, p.find(old))
    if expected == new:
        spans = [(f.start, f.end, a, b) for f, a, b in placed]
    else:
        # Rare (an identifier split across subtitle cues): align word by word.
        a_tokens, b_tokens = _tokens(old), _tokens(new)
        matcher = SequenceMatcher(None, [t for t, _ in a_tokens], [t for t, _ in b_tokens])
        spans = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                spans.append(
                    (
                        a_tokens[i1][1] if i1 < len(a_tokens) else len(old),
                        a_tokens[i2][1] if i2 < len(a_tokens) else len(old),
                        b_tokens[j1][1] if j1 < len(b_tokens) else len(new),
                        b_tokens[j2][1] if j2 < len(b_tokens) else len(new),
                    )
                )
    out = []
    for pos in positions:
        shift, mapped = 0, None
        for start, end, new_start, new_end in spans:
            if pos <= start:
                break
            if pos < end:
                mapped = new_end if is_end else new_start
                break
            shift = new_end - end
        out.append(mapped if mapped is not None else pos + shift)
    return out


def remap_positions(
    old: pd.DataFrame, new: pd.DataFrame, p: Pseudonymiser, positions: list[int], is_end: bool
) -> list[int]:
    """Map positions in an interview's old document to its pseudonymised document.

    Both documents have the same segments in the same order, so a position
    inside a segment is mapped within that segment's text; one between
    segments (a speaker's name, a blank line) moves to the nearest segment edge.

    Parameters
    ----------
    old, new
        One interview's segments before and after pseudonymisation.
    p
        The pseudonymiser that made ``new``.
    positions
        Offsets into the old document.
    is_end
        Whether they are span ends (a position on a segment's edge then
        stays with the segment before it).

    Examples
    --------
    >>> import pandas as pd
    >>> p = Pseudonymiser(["Maya Okafor"])
    >>> old = pd.DataFrame({"start": [0], "end": [22], "text": ["Maya Okafor rang today"]})
    >>> new = pd.DataFrame({"start": [0], "end": [21], "text": ["[Person 1] rang today"]})
    >>> remap_positions(old, new, p, [12, 22], is_end=True)
    [11, 21]
    """
    old_spans = list(zip(old["start"], old["end"], old["text"], strict=True))
    new_spans = list(zip(new["start"], new["end"], new["text"], strict=True))
    out = []
    for pos in positions:
        mapped = None
        for (a, b, text), (c, _d, new_text) in zip(old_spans, new_spans, strict=True):
            if a <= pos <= b and (pos < b or is_end) and (pos > a or not is_end):
                mapped = c + _remap(text, new_text, p, [pos - a], is_end)[0]
                break
            if pos < a:
                mapped = c  # between segments: the start of the next one
                break
        if mapped is None:
            mapped = new_spans[-1][1] if new_spans else pos
        out.append(int(mapped))
    return out


def pseudonymise_codings(
    source: Path,
    target: Path,
    rel: str,
    p: Pseudonymiser,
    audit: Audit,
    old_segments: pd.DataFrame,
    new_segments: pd.DataFrame,
) -> Path:
    """Write a coder's file with offsets into the pseudonymised interviews; return ``target``.

    ``old_segments`` and ``new_segments`` are the segments before and after
    pseudonymisation; an interview whose segments do not pair up keeps its
    offsets.  Free-text columns (:data:`FREE_TEXT_COLUMNS`) are
    pseudonymised too.
    """
    table = read_table(source, what="codings")
    if {"interview_id", "start", "end"} <= set(table.columns):
        table = table.copy()
        old_by = dict(tuple(old_segments.groupby("interview_id")))
        new_by = dict(tuple(new_segments.groupby("interview_id")))
        for interview_id, index in table.groupby("interview_id").groups.items():
            old, new = old_by.get(interview_id), new_by.get(interview_id)
            if old is None or new is None or len(old) != len(new):
                continue
            for column, is_end in (("start", False), ("end", True)):
                cells = table.loc[index, column]
                filled = [c for c in cells if str(c).strip()]
                if not filled:
                    continue  # empty offsets mean "the whole segment"
                values = [int(float(c)) if str(c).strip() else -1 for c in cells]
                mapped = remap_positions(old, new, p, [v for v in values if v >= 0], is_end)
                it = iter(mapped)
                table.loc[index, column] = [str(next(it)) if v >= 0 else "" for v in values]
    skip = [c for c in table.columns if c not in FREE_TEXT_COLUMNS]
    id_column = "interview_id" if "interview_id" in table.columns else None
    return write_table(pseudonymise_cells(table, rel, p, audit, skip, id_column), target)
