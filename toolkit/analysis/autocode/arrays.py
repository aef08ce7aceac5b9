"""Array helpers for the matches: ranks in runs, stable multi-key sorts, first of groups."""

from __future__ import annotations

import numpy as np

__all__ = ["first_of_groups", "non_overlapping", "ranks", "sort_order"]


def ranks(counts: np.ndarray) -> np.ndarray:
    """Return 0..n-1 within each run of a repeat (for expanding CSR entries)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - offsets


def sort_order(keys: list[np.ndarray]) -> np.ndarray:
    """Return the order that sorts rows by `keys` (first key most significant), stably.

    Non-negative keys are packed into one 64-bit number when they fit (one
    argsort is much faster than numpy's lexsort); otherwise lexsort is used.
    """
    if len(keys) > 1 and all(len(k) for k in keys):
        spans = [int(k.max()) + 1 for k in keys]
        total = 1
        for span in spans:
            total *= span
        if total < 2**62 and all(int(k.min()) >= 0 for k in keys):
            packed = np.zeros(len(keys[0]), dtype=np.int64)
            for key, span in zip(keys, spans, strict=True):
                packed *= span
                packed += key
            return np.argsort(packed, kind="stable")
    return np.lexsort(list(reversed(keys)))


def non_overlapping(columns: list[np.ndarray], n_codes: int, n_rules: int) -> list[np.ndarray]:
    """Drop matches of a rule that overlap its earlier match, as `re.finditer` does."""
    seg, code, rule, ms, me = columns
    if len(seg) < 2:
        return columns
    key = (seg * n_codes + code) * n_rules + rule
    # The same rule at the same start always ends at the same place: no need to sort by end.
    order = sort_order([key, ms])
    key, seg, code, rule, ms, me = (a[order] for a in (key, seg, code, rule, ms, me))
    same = key[1:] == key[:-1]
    # The same occurrence found twice (a pattern shared by two entries) counts once.
    dup = same & (ms[1:] == ms[:-1]) & (me[1:] == me[:-1])
    if dup.any():
        keep = np.concatenate([[True], ~dup])
        key, seg, code, rule, ms, me = (a[keep] for a in (key, seg, code, rule, ms, me))
        same = key[1:] == key[:-1]
    clash = same & (ms[1:] < me[:-1])
    if not clash.any():
        return [seg, code, rule, ms, me]
    # Rare (a phrase that overlaps itself, such as "ha ha"): walk the rows in order.
    keep = np.ones(len(seg), dtype=bool)
    last_end = -1
    for i in range(len(seg)):
        if i and same[i - 1] and ms[i] < last_end:
            keep[i] = False
            continue
        last_end = me[i]
    return [a[keep] for a in (seg, code, rule, ms, me)]


def first_of_groups(keys: list[np.ndarray], order_by: list[np.ndarray]) -> np.ndarray:
    """Return the positions of the first row of each group of `keys`, ordered by `order_by`.

    Rows are sorted by the keys and then by `order_by` (numpy's lexsort takes
    its keys last-first); the first row of each run of equal keys is kept, so
    the result is in the order of the keys.
    """
    order = sort_order([*keys, *order_by])
    if not len(order):
        return order
    same = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        k = key[order]
        same &= k[1:] == k[:-1]
    return order[np.concatenate([[True], ~same])]
