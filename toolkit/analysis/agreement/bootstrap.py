"""Bootstrap intervals that resample units: the replicates, and percentile intervals.

Units with the same ratings pattern contribute the same amounts to every
coefficient, so a replicate only needs how many units of each pattern it
drew: a multinomial draw over the distinct patterns, not a draw of every
unit.  See the notes of :mod:`toolkit.analysis.agreement`.

Examples
--------
>>> import numpy as np
>>> features = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0]])  # agreed?, counted
>>> patterns(features)[1].tolist()
[1, 2]
>>> confidence_level(True), confidence_level(0.9), confidence_level(None)
(0.95, 0.9, None)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from toolkit.errors import AgreementError

__all__ = [
    "check_n_boot",
    "confidence_level",
    "patterns",
    "percentile_interval",
    "replicates",
    "replicates_by_unit",
]

# Bootstrap work is done in blocks of about this many numbers, to bound memory.
_BLOCK = 4_000_000


def confidence_level(ci: float | bool | None) -> float | None:
    """Return the confidence level ``ci`` asks for, or ``None`` for no interval.

    ``ci`` is a level between 0 and 1; ``True`` means 0.95 and ``False`` none.
    """
    if ci is False or ci is None:
        return None
    if ci is True:
        return 0.95
    try:
        level = float(ci)
    except (TypeError, ValueError):
        level = float("nan")
    if not 0 < level < 1:
        raise AgreementError(
            f"expected ci to be a confidence level between 0 and 1 (or None), but found {ci!r}",
            hint="use ci=0.95 for a 95% interval, or ci=0.9 for a 90% one",
        )
    return level


def check_n_boot(n_boot: int) -> int:
    """Return ``n_boot`` as an int, if it is a whole number of at least 50."""
    if int(n_boot) != n_boot or n_boot < 50:
        raise AgreementError(
            f"expected n_boot to be a whole number of at least 50, but found {n_boot!r}",
            hint="use the default (1000), or more for a steadier interval",
        )
    return int(n_boot)


def patterns(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct rows of `features` and how many units have each."""
    if len(features) == 0:
        return features, np.zeros(0, dtype=np.int64)
    unique, counts = np.unique(features, axis=0, return_counts=True)
    return unique, counts


def replicates(
    features: np.ndarray,
    weights: np.ndarray,
    stat: Callable[[np.ndarray], np.ndarray],
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Return bootstrap replicates of `stat`, units resampled, for each row of `weights`.

    `features` holds one row per ratings pattern, `weights` (groups x patterns)
    how many units of each group have that pattern.  Drawing n units with
    replacement is the same as drawing how many of each pattern were drawn
    from a multinomial, so the work grows with the number of distinct
    patterns, not of units.  Returns an array (groups x n_boot).
    """
    groups, n_patterns = weights.shape
    totals = weights.sum(axis=1)
    out = np.full((groups, n_boot), np.nan)
    live = totals > 0
    if not live.any():
        return out
    w = weights[live]
    n = totals[live]
    p = w / n[:, None]
    if groups == 1 and n_patterns > 4000 and n_patterns * 4 > n[0]:
        # Nearly every unit is its own pattern: drawing units directly is cheaper.
        return replicates_by_unit(features, w[0], stat, n_boot, rng)[None, :]
    block = max(1, _BLOCK // max(1, len(w) * max(n_patterns, features.shape[1])))
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        draws = rng.multinomial(n[:, None], p[:, None, :], size=(len(w), size))
        sums = draws.astype(float) @ features
        out[live, start : start + size] = stat(sums.reshape(-1, features.shape[1])).reshape(
            len(w), size
        )
    return out


def replicates_by_unit(
    features: np.ndarray,
    weights: np.ndarray,
    stat: Callable[[np.ndarray], np.ndarray],
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Return bootstrap replicates of `stat` by drawing units themselves (one group).

    The plain way of :func:`replicates`, cheaper when nearly every unit has a
    pattern of its own.  Returns an array of ``n_boot`` replicates.
    """
    pattern_of_unit = np.repeat(np.arange(len(weights)), weights)
    n = len(pattern_of_unit)
    out = np.empty(n_boot)
    block = max(1, _BLOCK // max(n, 1))
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        picked = pattern_of_unit[rng.integers(0, n, size=(size, n))]
        picked += np.arange(size)[:, None] * len(weights)
        drawn = np.bincount(picked.ravel(), minlength=size * len(weights))
        out[start : start + size] = stat(drawn.reshape(size, -1).astype(float) @ features)
    return out


def percentile_interval(boot: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the percentile interval (low, high) of each row of replicates (groups x n_boot).

    NaN where fewer than half the replicates (or fewer than 10) are defined:
    an interval from a handful of replicates would mislead.
    """
    tail = (1 - confidence) / 2
    low = np.full(len(boot), np.nan)
    high = np.full(len(boot), np.nan)
    for g, row in enumerate(boot):
        row = row[~np.isnan(row)]
        if len(row) >= max(10, boot.shape[1] // 2):
            low[g], high[g] = np.quantile(row, [tail, 1 - tail])
    return low, high
