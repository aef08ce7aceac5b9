"""Each coefficient as a formula over summed per-unit amounts, vectorised over replicates.

Every coefficient here is a function of *sums over units* of a small vector
per unit (a coincidence matrix for alpha, a contingency cell for Cohen's
kappa, category counts for Fleiss' kappa).  The ``*_features`` functions give
each unit's vector from its counts per category; the ``*_statistic``
functions take those sums, one row per replicate, and return one coefficient
per row, so the point estimate and every bootstrap replicate share one
formula.

Examples
--------
Four units, two coders, categories (no, yes): both said yes to the first,
they split on the second, both said no to the last two.

>>> import numpy as np
>>> counts = np.array([[0, 2], [1, 1], [2, 0], [2, 0]])
>>> percent_statistic(percent_features(counts).sum(axis=0)[None, :]).tolist()
[0.75]
>>> alpha_statistic("nominal")(coincidence_features(counts).sum(axis=0)[None, :]).round(3).tolist()
[0.533]
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "alpha_statistic",
    "cohen_statistic",
    "coincidence_features",
    "fleiss_features",
    "fleiss_statistic",
    "percent_features",
    "percent_statistic",
]

Statistic = Callable[[np.ndarray], np.ndarray]


def alpha_statistic(level: str, points: np.ndarray | None = None) -> Statistic:
    """Return Krippendorff's alpha as a function of summed coincidence matrices.

    ``points`` are the categories' numeric values, needed at the interval and
    ratio levels.
    """

    def stat(sums: np.ndarray) -> np.ndarray:
        k = math.isqrt(sums.shape[-1])
        o = sums.reshape(-1, k, k)
        n_c = o.sum(axis=2)
        n = n_c.sum(axis=1)
        if level == "ordinal":
            # Krippendorff's ordinal difference is the squared distance between
            # the categories' mid-ranks among the pairable values.
            mid = np.cumsum(n_c, axis=1) - n_c / 2
            delta = (mid[:, :, None] - mid[:, None, :]) ** 2
            expected = np.einsum("bi,bj,bij->b", n_c, n_c, delta)
            observed = (o * delta).sum(axis=(1, 2))
        else:
            delta = _fixed_delta(level, k, points)
            expected = np.einsum("bi,bj,ij->b", n_c, n_c, delta)
            observed = (o * delta).sum(axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = 1 - (n - 1) * observed / expected
        return np.where((expected > 0) & (n > 1), alpha, np.nan)

    return stat


def _fixed_delta(level: str, k: int, points: np.ndarray | None) -> np.ndarray:
    if level == "nominal":
        return 1.0 - np.eye(k)
    assert points is not None
    diff = points[:, None] - points[None, :]
    if level == "interval":
        return diff**2
    total = points[:, None] + points[None, :]
    ratio = np.divide(diff, total, out=np.zeros_like(diff), where=total != 0)
    return ratio**2


def cohen_statistic(sums: np.ndarray) -> np.ndarray:
    """Return Cohen's kappa from contingency tables (coder 1 by coder 2), flattened."""
    k = math.isqrt(sums.shape[-1])
    t = sums.reshape(-1, k, k)
    n = t.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(t, axis1=1, axis2=2) / n
        chance = (t.sum(axis=2) * t.sum(axis=1)).sum(axis=1) / n**2
        kappa = (observed - chance) / (1 - chance)
    return np.where((n > 0) & (chance < 1 - 1e-12), kappa, np.nan)


def fleiss_statistic(raters: int) -> Statistic:
    """Return Fleiss' kappa from summed ``[count per category..., sum of squared counts]``."""

    def stat(sums: np.ndarray) -> np.ndarray:
        per_category, squares = sums[:, :-1], sums[:, -1]
        ratings = per_category.sum(axis=1)
        units = ratings / raters
        with np.errstate(divide="ignore", invalid="ignore"):
            observed = (squares - ratings) / (ratings * (raters - 1))
            chance = ((per_category / ratings[:, None]) ** 2).sum(axis=1)
            kappa = (observed - chance) / (1 - chance)
        return np.where((units > 0) & (chance < 1 - 1e-12), kappa, np.nan)

    return stat


def percent_statistic(sums: np.ndarray) -> np.ndarray:
    """Return mean pairwise agreement from summed ``[agreeing share, 1]``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sums[:, 1] > 0, sums[:, 0] / sums[:, 1], np.nan)


# Per-unit amounts, from each unit's counts per category (rows of `counts`).


def coincidence_features(counts: np.ndarray) -> np.ndarray:
    """Return each unit's coincidence matrix (flattened): pairs of values within the unit."""
    m = counts.sum(axis=1).astype(float)
    outer = counts[:, :, None] * counts[:, None, :] - np.einsum(
        "ui,ij->uij", counts, np.eye(counts.shape[1])
    )
    scale = np.divide(1.0, m - 1, out=np.zeros_like(m), where=m > 1)
    return (outer * scale[:, None, None]).reshape(len(counts), -1)


def fleiss_features(counts: np.ndarray) -> np.ndarray:
    """Return each unit's counts per category and, last, the sum of their squares."""
    return np.column_stack([counts, (counts.astype(float) ** 2).sum(axis=1)]).astype(float)


def percent_features(counts: np.ndarray) -> np.ndarray:
    """Return each unit's share of agreeing coder pairs, and 1 if it has a pair at all."""
    m = counts.sum(axis=1).astype(float)
    pairs = m * (m - 1)
    agreeing = (counts * (counts - 1)).sum(axis=1)
    share = np.divide(agreeing, pairs, out=np.zeros_like(m), where=pairs > 0)
    return np.column_stack([share, (m > 1).astype(float)])
