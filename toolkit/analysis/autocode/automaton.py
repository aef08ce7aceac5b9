"""The multi-pattern matcher: every occurrence of every pattern in bytes, overlaps too.

One Aho-Corasick package does this: ahocorasick-rs (a compiled DFA).  It was
measured against pyahocorasick on benchmarks/bench_autocode.py and kept as
the faster at the benchmark's sizes (see that script for the figures).
"""

from __future__ import annotations

import itertools

import ahocorasick_rs
import numpy as np

__all__ = ["Automaton"]

#: Above this many bytes of patterns the compact automaton is used instead of the DFA,
#: whose size grows with the patterns.
DFA_LIMIT = 500_000


class Automaton:
    """An Aho-Corasick automaton over byte patterns.

    Examples
    --------
    >>> Automaton([b" home ", b"ho"]).hits(b"go home now").tolist()
    [[4, 1], [7, 0]]
    """

    def __init__(self, patterns: list[bytes]) -> None:
        kind = ahocorasick_rs.Implementation
        big = sum(map(len, patterns)) > DFA_LIMIT
        self._matcher = ahocorasick_rs.BytesAhoCorasick(
            patterns, implementation=kind.ContiguousNFA if big else kind.DFA
        )

    def hits(self, data: bytes) -> np.ndarray:
        """Return ``(last byte offset, pattern number)`` rows for every occurrence."""
        found = self._matcher.find_matches_as_indexes(data, overlapping=True)
        flat = np.fromiter(
            itertools.chain.from_iterable(found), dtype=np.int64, count=3 * len(found)
        ).reshape(-1, 3)
        return np.column_stack([flat[:, 2] - 1, flat[:, 0]])
