"""From matches to the codings table: one row per code per unit (segment, sentence, match)."""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd

from toolkit.analysis.autocode.arrays import first_of_groups, sort_order
from toolkit.analysis.autocode.ruleset import RuleSet
from toolkit.analysis.autocode.sentences import sentence_spans
from toolkit.model.codings import RULE_CODER
from toolkit.tables import empty_codings

__all__ = ["codings_from_matches"]


def codings_from_matches(
    segments: pd.DataFrame,
    rules: RuleSet,
    columns: list[np.ndarray],
    unit: str,
    texts: list[str],
) -> pd.DataFrame:
    """Build the codings table from matches ``(seg, code, rule, start, end)`` in segment offsets."""
    if not columns or not len(columns[0]):
        return empty_codings()
    # 32-bit numbers (segments, codes, rules, offsets in a segment) halve the memory.
    seg, c, r, ms, me = (np.asarray(col).astype(np.int32) for col in columns)
    columns.clear()  # the caller's list: let its arrays go as soon as they are replaced
    # One row per unit and code: the earliest match (then the first rule) stands for it.
    n_codes = len(rules.codes)
    unit_code = seg.astype(np.int64) * n_codes + c
    if unit == "match":
        keep = first_of_groups([unit_code, ms, me], [r])
        us, ue = ms[keep], me[keep]
    elif unit == "segment":
        # Grouped by segment and code: already in the table's order.
        keep = first_of_groups([unit_code], [ms, r])
        lengths = np.fromiter(map(len, texts), dtype=np.int32, count=len(texts))
        us, ue = np.zeros(len(keep), dtype=np.int32), lengths[seg[keep]]
    else:
        cache: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
        first, last = [], []
        for k, at in zip(seg.tolist(), ms.tolist(), strict=True):
            found = cache.get(k)
            if found is None:
                spans = sentence_spans(texts[k]) or [(0, 0)]
                found = cache[k] = ([a for a, _ in spans], spans)
            index = max(0, bisect.bisect_right(found[0], at) - 1)
            first.append(found[1][index][0])
            last.append(found[1][index][1])
        sentence_start = np.array(first, dtype=np.int32)
        sentence_end = np.array(last, dtype=np.int32)
        keep = first_of_groups([seg, sentence_start, c], [ms, r])
        us, ue = sentence_start[keep], sentence_end[keep]
    del unit_code
    seg, c, r, ms, me = seg[keep], c[keep], r[keep], ms[keep], me[keep]
    del keep
    if unit != "segment":
        order = sort_order([seg, us, c, ue])
        seg, c, r, ms, me, us, ue = (a[order] for a in (seg, c, r, ms, me, us, ue))
    base = pd.to_numeric(segments["start"], errors="coerce").fillna(0).astype(np.int64).to_numpy()
    seg_base = base[seg]
    labels = [label for code_labels in rules.labels for label in code_labels]
    first_label = np.cumsum([0] + [len(x) for x in rules.labels[:-1]])
    spaced_rules = np.array(
        [rule.kind == "regex" or " " in rule.text for code in rules.rules for rule in code],
        dtype=bool,
    )
    memo = _memos(texts, seg, ms, me, seg_base, spaced_rules[first_label[c] + r])
    rows = len(seg)
    return pd.DataFrame(
        {
            "interview_id": pd.array(segments["interview_id"].to_numpy()[seg], dtype="str"),
            "segment_id": segments["segment_id"].to_numpy()[seg],
            "start": seg_base + us.astype(np.int64),
            "end": seg_base + ue.astype(np.int64),
            "code": pd.array(np.array(rules.codes, dtype=object)[c], dtype="str"),
            # A list of one repeated string: one object, not one per row.
            "coder": pd.array([RULE_CODER] * rows, dtype="str"),
            "method": pd.array(["rule"] * rows, dtype="str"),
            "memo": pd.array(memo, dtype="str"),
            "rule": pd.array(np.array(labels, dtype=object)[first_label[c] + r], dtype="str"),
        }
    )


def _memos(
    texts: list[str],
    seg: np.ndarray,
    ms: np.ndarray,
    me: np.ndarray,
    base: np.ndarray,
    spaced: np.ndarray,
) -> list[str]:
    """Return 'matched "words" at start-end' for each row, on one line and not too long.

    Only matches of rules that can span a space (`spaced`: phrases and
    regexes) can hold a line break or a tab, so only those are checked.
    """
    memos: list[str] = []
    # In batches: lists of Python numbers cost far more memory than numpy arrays.
    for a in range(0, len(seg), 1 << 15):
        b = a + (1 << 15)
        starts, ends = (base[a:b] + ms[a:b]).tolist(), (base[a:b] + me[a:b]).tolist()
        rows = zip(seg[a:b].tolist(), ms[a:b].tolist(), me[a:b].tolist(), starts, ends, strict=True)
        memos += [f'matched "{texts[s][x:y]}" at {u}-{v}' for s, x, y, u, v in rows]
    for i in np.flatnonzero(spaced | (me - ms > 80)).tolist():
        words = texts[seg[i]][ms[i] : me[i]]
        if len(words) > 80 or not words.isprintable():
            words = " ".join(words.split())
            words = words[:77] + "..." if len(words) > 80 else words
            memos[i] = f'matched "{words}" at {base[i] + ms[i]}-{base[i] + me[i]}'
    return memos
