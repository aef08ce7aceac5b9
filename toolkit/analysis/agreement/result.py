"""The result of an agreement coefficient: :class:`Agreement`, a float with its interval.

Examples
--------
>>> import numpy as np
>>> from toolkit.analysis.agreement.formulas import percent_statistic
>>> features = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0], [1.0, 1.0]])  # agreed?, counted
>>> agreement_from_features(features, percent_statistic, statistic="Percent agreement",
...                         n_coders=2, ci=None, n_boot=1000, seed=0)
<Percent agreement = 0.750 (4 units, 2 coders)>
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from toolkit.analysis.agreement.bootstrap import (
    check_n_boot,
    confidence_level,
    patterns,
    percentile_interval,
    replicates,
)

__all__ = ["Agreement", "agreement_from_features"]


class Agreement(float):
    """An agreement coefficient: a float that also carries its confidence interval.

    Use it as a number (``round(kappa, 2)``, ``kappa > 0.6``, ``f"{kappa:.2f}"``).
    Its attributes say what it is and how sure we can be of it.

    Attributes
    ----------
    statistic
        What was computed, such as ``"Krippendorff's alpha (nominal)"``.
    estimate
        The coefficient as a plain float (the same as ``float(result)``).
    low, high
        The bootstrap confidence interval (NaN when none was asked for, or
        when the coefficient could not be computed in enough replicates).
    ci
        The interval as a pair, ``(low, high)``.
    confidence
        The interval's level, such as 0.95 (``None`` without an interval).
    n_units
        How many units entered the calculation (those rated by enough coders).
    n_coders
        How many coders gave at least one of those ratings.
    n_boot
        How many bootstrap replicates made the interval (0 without one).

    Examples
    --------
    >>> result = Agreement(0.8123, statistic="Cohen's kappa", n_units=40, n_coders=2)
    >>> round(result, 2), result > 0.8
    (0.81, True)
    >>> result
    <Cohen's kappa = 0.812 (40 units, 2 coders)>
    """

    statistic: str
    low: float
    high: float
    confidence: float | None
    n_units: int
    n_coders: int
    n_boot: int

    def __new__(
        cls,
        estimate: float,
        *,
        statistic: str = "agreement",
        low: float = math.nan,
        high: float = math.nan,
        confidence: float | None = None,
        n_units: int = 0,
        n_coders: int = 0,
        n_boot: int = 0,
    ) -> Agreement:
        self = super().__new__(cls, estimate)
        self.statistic = statistic
        self.low = float(low)
        self.high = float(high)
        self.confidence = confidence
        self.n_units = int(n_units)
        self.n_coders = int(n_coders)
        self.n_boot = int(n_boot)
        return self

    @property
    def estimate(self) -> float:
        """Return the coefficient as a plain float."""
        return float(self)

    @property
    def ci(self) -> tuple[float, float]:
        """Return the confidence interval as ``(low, high)``."""
        return (self.low, self.high)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a dict, ready to become a table row."""
        return {
            "statistic": self.statistic,
            "estimate": float(self),
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "n_units": self.n_units,
            "n_coders": self.n_coders,
            "n_boot": self.n_boot,
        }

    def __repr__(self) -> str:
        text = f"{self.statistic} = {_fmt(float(self))}"
        if self.confidence is not None:
            text += f", {self.confidence:.0%} CI {_fmt(self.low)} to {_fmt(self.high)}"
        return f"<{text} ({self.n_units} units, {self.n_coders} coders)>"

    def __reduce__(self) -> tuple:
        return (_rebuild, (float(self), self.to_dict()))


def _rebuild(estimate: float, fields: dict[str, Any]) -> Agreement:
    fields = {k: v for k, v in fields.items() if k != "estimate"}
    return Agreement(estimate, **fields)


def _fmt(x: float) -> str:
    return "undefined" if math.isnan(x) else f"{x:.3f}"


def agreement_from_features(
    features: np.ndarray,
    stat: Callable[[np.ndarray], np.ndarray],
    *,
    statistic: str,
    n_coders: int,
    ci: float | bool | None,
    n_boot: int,
    seed: int | None,
) -> Agreement:
    """Compute a coefficient (and its interval) from per-unit features, as an :class:`Agreement`.

    ``features`` holds one row per unit (see :mod:`~toolkit.analysis.agreement.formulas`),
    ``stat`` the formula applied to their sums; ``ci``, ``n_boot`` and ``seed``
    are those of the coefficients.
    """
    distinct, weights = patterns(features)
    estimate = float(stat((weights.astype(float) @ distinct)[None, :])[0])
    confidence = confidence_level(ci)
    low = high = math.nan
    boots = 0
    if confidence is not None:
        boots = check_n_boot(n_boot)
        boot = replicates(distinct, weights[None, :], stat, boots, np.random.default_rng(seed))
        lows, highs = percentile_interval(boot, confidence)
        low, high = float(lows[0]), float(highs[0])
    return Agreement(
        estimate,
        statistic=statistic,
        low=low,
        high=high,
        confidence=confidence,
        n_units=len(features),
        n_coders=n_coders,
        n_boot=boots,
    )
