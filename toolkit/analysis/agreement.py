"""Agreement between coders: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Two layers live here.

The coefficients work on a long table with one row per rating: which *unit*
(a segment, an interview, a survey answer) a *coder* rated, and the *value*
they gave it.  :func:`krippendorff_alpha`, :func:`cohen_kappa`,
:func:`fleiss_kappa` and :func:`percent_agreement` each return an
:class:`Agreement`: a number you can round, compare and format like any
float, which also carries a bootstrap confidence interval when you ask for one
(``ci=True``).

For coded interviews, :func:`reliability` turns a codings table into one row
per code (and one for all codes together) with every figure a methods section
needs, and :func:`disagreements` lists the segments where the coders differ,
with their text, for a coding meeting.

Confidence intervals
--------------------
Intervals are percentile bootstrap intervals with the *unit* as the thing
resampled: each replicate draws as many units as there are, with replacement,
and recomputes the coefficient, so the ratings of one unit stay together.
Units with the same ratings pattern contribute the same amounts to every
coefficient, so a replicate only needs how many units of each pattern it drew
(a multinomial draw); that keeps 1,000 replicates fast even for 100,000
segments.  The default seed is fixed (``seed=0``), so the same data give the
same interval every time; pass ``seed=None`` for a fresh draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import AgreementError

__all__ = [
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "LEVELS",
    "Agreement",
    "cohen_kappa",
    "disagreements",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability",
]

#: Krippendorff's lowest conceivable alpha for drawing tentative conclusions.
ALPHA_TENTATIVE = 0.667
#: Krippendorff's customary alpha for relying on coded data.
ALPHA_RELIABLE = 0.8
#: The levels of measurement :func:`krippendorff_alpha` knows.
LEVELS = ("nominal", "ordinal", "interval", "ratio")
#: The name of the row of :func:`reliability` that pools every code.
ALL_CODES = "(all codes)"
#: Methods of codings made by people (as opposed to ``rule``).
HUMAN_METHODS = ("manual", "import")
# Bootstrap work is done in blocks of about this many numbers, to bound memory.
_BLOCK = 4_000_000


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


# --- the coefficients, computed from summed per-unit contributions ---------------------------
#
# Every coefficient here is a function of *sums over units* of a small vector
# per unit (a coincidence matrix for alpha, a contingency cell for Cohen's
# kappa, category counts for Fleiss' kappa).  Each `_*_stat` takes those sums,
# one row per replicate, and returns one coefficient per row, so the point
# estimate and every bootstrap replicate share one vectorised formula.


def _alpha_stat(level: str, points: np.ndarray | None = None) -> Callable[[np.ndarray], np.ndarray]:
    """Return Krippendorff's alpha as a function of summed coincidence matrices."""

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


def _cohen_stat(sums: np.ndarray) -> np.ndarray:
    """Return Cohen's kappa from contingency tables (coder 1 by coder 2), flattened."""
    k = math.isqrt(sums.shape[-1])
    t = sums.reshape(-1, k, k)
    n = t.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(t, axis1=1, axis2=2) / n
        chance = (t.sum(axis=2) * t.sum(axis=1)).sum(axis=1) / n**2
        kappa = (observed - chance) / (1 - chance)
    return np.where((n > 0) & (chance < 1 - 1e-12), kappa, np.nan)


def _fleiss_stat(raters: int) -> Callable[[np.ndarray], np.ndarray]:
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


def _percent_stat(sums: np.ndarray) -> np.ndarray:
    """Return mean pairwise agreement from summed ``[agreeing share, 1]``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sums[:, 1] > 0, sums[:, 0] / sums[:, 1], np.nan)


# Per-unit contributions, from each unit's counts per category (rows of `counts`).


def _coincidence_features(counts: np.ndarray) -> np.ndarray:
    m = counts.sum(axis=1).astype(float)
    outer = counts[:, :, None] * counts[:, None, :] - np.einsum(
        "ui,ij->uij", counts, np.eye(counts.shape[1])
    )
    scale = np.divide(1.0, m - 1, out=np.zeros_like(m), where=m > 1)
    return (outer * scale[:, None, None]).reshape(len(counts), -1)


def _fleiss_features(counts: np.ndarray) -> np.ndarray:
    return np.column_stack([counts, (counts.astype(float) ** 2).sum(axis=1)]).astype(float)


def _percent_features(counts: np.ndarray) -> np.ndarray:
    m = counts.sum(axis=1).astype(float)
    pairs = m * (m - 1)
    agreeing = (counts * (counts - 1)).sum(axis=1)
    share = np.divide(agreeing, pairs, out=np.zeros_like(m), where=pairs > 0)
    return np.column_stack([share, (m > 1).astype(float)])


# --- the bootstrap ----------------------------------------------------------------------------


def _patterns(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct rows of `features` and how many units have each."""
    if len(features) == 0:
        return features, np.zeros(0, dtype=np.int64)
    unique, counts = np.unique(features, axis=0, return_counts=True)
    return unique, counts


def _bootstrap(
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
        return _bootstrap_units(features, w[0], stat, n_boot, rng)[None, :]
    block = max(1, _BLOCK // max(1, len(w) * max(n_patterns, features.shape[1])))
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        draws = rng.multinomial(n[:, None], p[:, None, :], size=(len(w), size))
        sums = draws.astype(float) @ features
        out[live, start : start + size] = stat(sums.reshape(-1, features.shape[1])).reshape(
            len(w), size
        )
    return out


def _bootstrap_units(
    features: np.ndarray,
    weights: np.ndarray,
    stat: Callable[[np.ndarray], np.ndarray],
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
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


def _interval(
    boot: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:  # (groups x n_boot) -> low, high per group
    tail = (1 - confidence) / 2
    low = np.full(len(boot), np.nan)
    high = np.full(len(boot), np.nan)
    for g, row in enumerate(boot):
        row = row[~np.isnan(row)]
        # An interval from a handful of defined replicates would mislead.
        if len(row) >= max(10, boot.shape[1] // 2):
            low[g], high[g] = np.quantile(row, [tail, 1 - tail])
    return low, high


def _confidence(ci: bool | float) -> float | None:
    if ci is False or ci is None:
        return None
    if ci is True:
        return 0.95
    level = float(ci)
    if not 0 < level < 1:
        raise AgreementError(
            f"expected ci to be True or a confidence level between 0 and 1, but found {ci!r}",
            hint="use ci=True for a 95% interval, or ci=0.9 for a 90% one",
        )
    return level


def _check_boot(n_boot: int) -> int:
    if int(n_boot) != n_boot or n_boot < 50:
        raise AgreementError(
            f"expected n_boot to be a whole number of at least 50, but found {n_boot!r}",
            hint="use the default (1000), or more for a steadier interval",
        )
    return int(n_boot)


def _result(
    features: np.ndarray,
    stat: Callable[[np.ndarray], np.ndarray],
    *,
    statistic: str,
    n_coders: int,
    ci: bool | float,
    n_boot: int,
    seed: int | None,
) -> Agreement:
    """Compute a coefficient (and its interval) from per-unit features."""
    patterns, weights = _patterns(features)
    estimate = float(stat((weights.astype(float) @ patterns)[None, :])[0])
    confidence = _confidence(ci)
    low = high = math.nan
    boots = 0
    if confidence is not None:
        boots = _check_boot(n_boot)
        boot = _bootstrap(patterns, weights[None, :], stat, boots, np.random.default_rng(seed))
        lows, highs = _interval(boot, confidence)
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


# --- reading a long ratings table -------------------------------------------------------------


@dataclass
class _Ratings:
    units: np.ndarray  # unit index per rating
    coders: np.ndarray  # coder index per rating
    values: np.ndarray  # category index per rating
    categories: list
    unit_labels: pd.Index
    coder_labels: pd.Index

    def counts(self) -> np.ndarray:
        """Return the units x categories matrix of how many coders gave each value."""
        k = len(self.categories)
        flat = np.bincount(self.units * k + self.values, minlength=len(self.unit_labels) * k)
        return flat.reshape(len(self.unit_labels), k)


def _plain(value: Any) -> Any:
    """Return numpy scalars as Python ones, so messages show 3, not np.int64(3)."""
    return value.item() if isinstance(value, np.generic) else value


def _row_name(table: pd.DataFrame, position: int) -> str:
    rows = table.attrs.get("rows")
    if rows and position < len(rows):
        return f"row {rows[position]}"
    return f"the row with index {_plain(table.index[position])!r}"


def _missing(series: pd.Series) -> np.ndarray:
    missing = series.isna().to_numpy()
    if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        text = series.astype(str).str.strip()
        missing = missing | (text == "").to_numpy()
    return missing


def _ratings(
    table: pd.DataFrame,
    unit: str,
    coder: str,
    value: str,
    *,
    values: Iterable | None,
    numeric: bool,
    what: str,
) -> _Ratings:
    """Check a long ratings table and turn it into integer arrays."""
    if not isinstance(table, pd.DataFrame):
        raise AgreementError(
            f"expected a table (a pandas DataFrame) of ratings, but found {type(table).__name__}",
            hint="build one with pd.DataFrame({'unit': ..., 'coder': ..., 'value': ...})",
        )
    missing_columns = [c for c in (unit, coder, value) if c not in table.columns]
    if missing_columns:
        raise AgreementError(
            f"expected the ratings table to have column(s) "
            f"{', '.join(map(repr, missing_columns))}, but it has "
            f"{', '.join(map(repr, table.columns)) or 'no columns'}",
            hint="name the columns with unit=, coder= and value=",
        )
    keep = ~_missing(table[value])
    for column in (unit, coder):
        blank = _missing(table[column]) & keep
        if blank.any():
            raise AgreementError(
                f"expected a {column} in every rating, but {_row_name(table, int(blank.argmax()))} "
                "has none",
                hint=f"fill in the {column} or delete the row",
            )
    positions = np.flatnonzero(keep)
    data = table.iloc[positions]
    unit_index, unit_labels = pd.factorize(data[unit])
    coder_index, coder_labels = pd.factorize(data[coder])
    if len(coder_labels) < 2:
        found = f"only {_plain(coder_labels[0])!r}" if len(coder_labels) else "none"
        raise AgreementError(
            f"expected ratings from at least two coders, but found {found}",
            hint="agreement compares coders: add a second coder's ratings of the same units",
        )
    pair = pd.Series(unit_index.astype(np.int64) * len(coder_labels) + coder_index)
    twice = pair.duplicated(keep=False).to_numpy()
    if twice.any():
        first, second = np.flatnonzero(twice)[:2]
        raise AgreementError(
            f"expected one rating per coder per unit for {what}, but coder "
            f"{_plain(coder_labels[coder_index[first]])!r} rated unit "
            f"{_plain(unit_labels[unit_index[first]])!r} "
            f"twice ({_row_name(table, positions[first])} and "
            f"{_row_name(table, positions[second])})",
            hint="keep one rating for each unit and coder (drop duplicates, or give the "
            "second rating its own unit)",
        )
    raw = data[value]
    if numeric:
        converted = pd.to_numeric(raw, errors="coerce")
        bad = converted.isna().to_numpy()
        if bad.any():
            position = positions[int(bad.argmax())]
            raise AgreementError(
                f"expected numbers in column {value!r} for {what}, but "
                f"{_row_name(table, position)} has {_plain(raw.iloc[int(bad.argmax())])!r}",
                hint="use level='nominal' (or 'ordinal' with values=) for categories that are "
                "not numbers",
            )
        raw = converted
    if values is not None:
        categories = list(values)
        lookup = pd.Index(categories)
        if numeric:
            lookup = pd.Index(pd.to_numeric(pd.Series(categories), errors="coerce"))
        if lookup.has_duplicates:
            raise AgreementError(
                "expected each of values= once, but some appear twice",
                hint="list each possible value once, in order",
            )
        value_index = lookup.get_indexer(raw)
        outside = value_index < 0
        if outside.any():
            position = positions[int(outside.argmax())]
            raise AgreementError(
                f"expected values from {categories!r}, but {_row_name(table, position)} has "
                f"{_plain(raw.iloc[int(outside.argmax())])!r}",
                hint="correct the value, or add it to values=",
            )
        if numeric:
            categories = list(lookup)
    else:
        value_index, uniques = pd.factorize(raw, sort=False)
        try:
            order = np.array(sorted(range(len(uniques)), key=lambda i: uniques[i]), dtype=np.int64)
        except TypeError:  # values of mixed kinds cannot be sorted: keep first appearance
            order = np.arange(len(uniques))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        value_index = rank[value_index]
        categories = [uniques[i] for i in order]
    return _Ratings(
        units=unit_index.astype(np.int64),
        coders=coder_index.astype(np.int64),
        values=np.asarray(value_index, dtype=np.int64),
        categories=categories,
        unit_labels=pd.Index(unit_labels),
        coder_labels=pd.Index(coder_labels),
    )


def _no_units(what: str) -> AgreementError:
    return AgreementError(
        f"expected at least one unit rated by two or more coders for {what}, but the coders "
        "have no unit in common",
        hint="have the coders rate (some of) the same units; agreement can only be measured "
        "where they overlap",
    )


# --- the public coefficients ------------------------------------------------------------------


def krippendorff_alpha(
    table: pd.DataFrame,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    level: str = "nominal",
    *,
    values: Iterable | None = None,
    ci: bool | float = False,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute Krippendorff's alpha for any number of coders, with missing ratings allowed.

    Alpha compares the disagreement observed between coders with the
    disagreement expected if values were paired at random:
    ``alpha = 1 - observed / expected``.  1 is perfect agreement, 0 is no
    better than chance.  Krippendorff relies on data with alpha of at least
    0.8 and draws tentative conclusions from 0.667 upwards.

    Parameters
    ----------
    table
        A long table, one row per rating: which unit, which coder, which value.
        Rows whose value is empty or missing are ignored.
    unit, coder, value
        The names of those three columns.
    level
        The level of measurement: ``"nominal"`` (categories), ``"ordinal"``
        (ordered categories), ``"interval"`` or ``"ratio"`` (numbers).
    values
        The possible values, in order.  Needed for ordinal categories that are
        words (``["low", "mid", "high"]``); any other value is an error.
        Default: the values found, sorted.
    ci
        ``True`` for a 95% bootstrap confidence interval, or a level such as 0.9.
    n_boot
        Bootstrap replicates for the interval (units resampled with replacement).
    seed
        Seed for the bootstrap; the default gives the same interval every run.

    Returns
    -------
    Agreement
        A float with ``.low``, ``.high``, ``.n_units`` and ``.n_coders``.
        NaN when no unit shows any variation (alpha is then undefined).

    Raises
    ------
    AgreementError
        For a single coder, coders with no unit in common, a coder who rated
        a unit twice, non-numbers at the interval or ratio level, or a value
        outside ``values``.

    Examples
    --------
    Krippendorff's own example: four coders, twelve units, some ratings missing.

    >>> import numpy as np, pandas as pd
    >>> matrix = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...           "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...           "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...           "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
    >>> ratings = pd.DataFrame(matrix).rename_axis("unit").reset_index().melt(
    ...     id_vars="unit", var_name="coder", value_name="value")
    >>> round(krippendorff_alpha(ratings), 3)
    0.743
    >>> round(krippendorff_alpha(ratings, level="interval"), 3)
    0.849
    >>> alpha = krippendorff_alpha(ratings, ci=True, n_boot=200)
    >>> bool(alpha.low < alpha < alpha.high), alpha.n_units
    (True, 11)
    """
    if level not in LEVELS:
        raise AgreementError(
            f"expected level to be one of {', '.join(LEVELS)}, but found {level!r}",
            hint="use 'nominal' for categories such as codes",
        )
    what = f"Krippendorff's alpha ({level})"
    numeric = level in ("interval", "ratio")
    ratings = _ratings(table, unit, coder, value, values=values, numeric=numeric, what=what)
    if level == "ordinal" and values is None:
        kinds = {type(c) for c in ratings.categories}
        if any(issubclass(t, str) for t in kinds):
            raise AgreementError(
                "expected numbers, or the order of the values, for the ordinal level, but "
                f"found words: {ratings.categories!r}",
                hint="pass values=[...] listing the values from lowest to highest",
            )
    points = None
    if numeric:
        points = np.asarray(ratings.categories, dtype=float)
        if level == "ratio" and (points < 0).any():
            raise AgreementError(
                f"expected values of zero or more at the ratio level, but found {points.min():g}",
                hint="use level='interval' for values that can be negative",
            )
    counts = ratings.counts()
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) == 0:
        raise _no_units(what)
    used = np.unique(ratings.coders[np.isin(ratings.units, np.flatnonzero(counts.sum(1) >= 2))])
    return _result(
        _coincidence_features(pairable),
        _alpha_stat(level, points),
        statistic=what,
        n_coders=len(used),
        ci=ci,
        n_boot=n_boot,
        seed=seed,
    )


def cohen_kappa(
    table: pd.DataFrame,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    *,
    values: Iterable | None = None,
    ci: bool | float = False,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute Cohen's kappa for exactly two coders.

    Kappa is ``(observed - chance) / (1 - chance)``: the share of units on
    which the two coders agree, corrected for the agreement expected from how
    often each coder used each value.  Only units both coders rated count.

    Parameters
    ----------
    table, unit, coder, value, values, ci, n_boot, seed
        As for :func:`krippendorff_alpha`.

    Returns
    -------
    Agreement
        NaN when chance agreement is already perfect (both coders gave every
        unit the same single value).

    Raises
    ------
    AgreementError
        Unless there are exactly two coders with a unit in common, or if a
        coder rated a unit twice.

    Examples
    --------
    Two readers said yes or no to 50 grant proposals: both yes 20, both no 15,
    only the first yes 5, only the second yes 10.

    >>> import pandas as pd
    >>> pairs = [("yes", "yes")] * 20 + [("no", "no")] * 15 + [("yes", "no")] * 5 + [
    ...     ("no", "yes")] * 10
    >>> ratings = pd.DataFrame(
    ...     [(i, "A", a) for i, (a, b) in enumerate(pairs)]
    ...     + [(i, "B", b) for i, (a, b) in enumerate(pairs)],
    ...     columns=["unit", "coder", "value"])
    >>> round(cohen_kappa(ratings), 2)
    0.4
    """
    what = "Cohen's kappa"
    ratings = _ratings(table, unit, coder, value, values=values, numeric=False, what=what)
    if len(ratings.coder_labels) != 2:
        raise AgreementError(
            f"expected exactly two coders for Cohen's kappa, but found "
            f"{len(ratings.coder_labels)}: {', '.join(map(str, ratings.coder_labels))}",
            hint="use fleiss_kappa or krippendorff_alpha for three or more coders",
        )
    k = len(ratings.categories)
    first = np.full(len(ratings.unit_labels), -1)
    second = np.full(len(ratings.unit_labels), -1)
    is_first = ratings.coders == 0
    first[ratings.units[is_first]] = ratings.values[is_first]
    second[ratings.units[~is_first]] = ratings.values[~is_first]
    both = (first >= 0) & (second >= 0)
    if not both.any():
        raise _no_units(what)
    cells = np.zeros((int(both.sum()), k * k))
    cells[np.arange(len(cells)), first[both] * k + second[both]] = 1.0
    return _result(cells, _cohen_stat, statistic=what, n_coders=2, ci=ci, n_boot=n_boot, seed=seed)


def fleiss_kappa(
    table: pd.DataFrame,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    *,
    values: Iterable | None = None,
    ci: bool | float = False,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute Fleiss' kappa: agreement when every unit has the same number of ratings.

    The coders rating one unit need not be those rating another, but each unit
    must be rated the same number of times.  Chance agreement comes from how
    often each value was used overall.

    Parameters
    ----------
    table, unit, coder, value, values, ci, n_boot, seed
        As for :func:`krippendorff_alpha`.

    Returns
    -------
    Agreement

    Raises
    ------
    AgreementError
        If units have different numbers of ratings (use
        :func:`krippendorff_alpha`, which allows that), fewer than two each,
        or a coder rated a unit twice.

    Examples
    --------
    Fleiss' (1971) layout: 10 subjects, 14 raters, 5 categories; each row
    counts how many raters chose each category.

    >>> import pandas as pd
    >>> grid = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
    ...         [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
    ...         [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    >>> rows = []
    >>> for subject, counts in enumerate(grid):
    ...     raters = iter(range(14))
    ...     for category, n in enumerate(counts, start=1):
    ...         rows += [(subject, next(raters), category) for _ in range(n)]
    >>> ratings = pd.DataFrame(rows, columns=["unit", "coder", "value"])
    >>> round(fleiss_kappa(ratings), 3)
    0.21
    """
    what = "Fleiss' kappa"
    ratings = _ratings(table, unit, coder, value, values=values, numeric=False, what=what)
    counts = ratings.counts()
    per_unit = counts.sum(axis=1)
    rated = counts[per_unit > 0]
    sizes = np.unique(per_unit[per_unit > 0])
    if len(sizes) > 1:
        raise AgreementError(
            f"expected every unit to have the same number of ratings for Fleiss' kappa, but "
            f"found units with {', '.join(map(str, sizes))} ratings",
            hint="keep only the units every coder rated, or use krippendorff_alpha, which "
            "allows missing ratings",
        )
    if sizes[0] < 2:
        raise _no_units(what)
    return _result(
        _fleiss_features(rated),
        _fleiss_stat(int(sizes[0])),
        statistic=what,
        n_coders=len(ratings.coder_labels),
        ci=ci,
        n_boot=n_boot,
        seed=seed,
    )


def percent_agreement(
    table: pd.DataFrame,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    *,
    values: Iterable | None = None,
    ci: bool | float = False,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute the share of pairs of coders who gave a unit the same value.

    For two coders this is the share of units they agree on.  For more, it
    is the mean over units of the share of coder pairs that agree (pairs of
    coders who both rated the unit).  It is a proportion from 0 to 1, not
    corrected for chance: report it beside kappa or alpha, never instead.

    Parameters
    ----------
    table, unit, coder, value, values, ci, n_boot, seed
        As for :func:`krippendorff_alpha`.

    Returns
    -------
    Agreement

    Examples
    --------
    >>> import pandas as pd
    >>> ratings = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                         "coder": ["sam", "nadia"] * 4,
    ...                         "value": ["yes", "yes", "no", "no", "yes", "no", "no", "no"]})
    >>> float(percent_agreement(ratings))
    0.75
    """
    what = "percent agreement"
    ratings = _ratings(table, unit, coder, value, values=values, numeric=False, what=what)
    counts = ratings.counts()
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) == 0:
        raise _no_units(what)
    return _result(
        _percent_features(pairable),
        _percent_stat,
        statistic="Percent agreement",
        n_coders=len(ratings.coder_labels),
        ci=ci,
        n_boot=n_boot,
        seed=seed,
    )


# --- coded interviews -------------------------------------------------------------------------
#
# A codings table says which coder applied which code where.  For agreement,
# each (unit, code) pair becomes a yes/no rating by every coder who "saw" the
# unit: yes if they applied the code there, no otherwise.  A coder saw a unit
# if they applied any code to it (or if an explicit coverage table says so);
# rules see every unit.  Units seen by fewer than two coders cannot be compared.

UNITS = ("segment", "interview")


@dataclass
class _Coded:
    """Codings reduced to integer arrays: which coder applied which code to which unit."""

    units: pd.DataFrame  # one row per unit, in order
    coders: list[str]
    codes: list[str]
    code: np.ndarray  # per (deduplicated) coding
    unit: np.ndarray
    coder: np.ndarray
    covered: np.ndarray  # units x coders: did the coder see the unit?
    memos: pd.DataFrame  # code, unit, coder, memo (non-empty memos only)

    def applied(self) -> np.ndarray:
        """Return codes x units: how many coders applied each code to each unit."""
        size = len(self.codes) * len(self.units)
        flat = np.bincount(self.code * len(self.units) + self.unit, minlength=size)
        return flat.reshape(len(self.codes), len(self.units))


def _need(table: Any, columns: list[str], what: str, hint: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise AgreementError(
            f"expected the {what} table (a pandas DataFrame), but found {type(table).__name__}",
            hint=hint,
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AgreementError(
            f"expected the {what} table to have column(s) {', '.join(map(repr, missing))}, but "
            f"it has {', '.join(map(repr, table.columns)) or 'no columns'}",
            hint=hint,
        )


def _ids(series: pd.Series) -> np.ndarray:
    """Return ids as text, so that 3, 3.0 and '3' name the same segment ("" when blank)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        numbers = series.astype(float)
        whole = numbers.dropna()
        if (whole == np.round(whole)).all():
            text = numbers.astype("Int64").astype(str)
        else:
            text = numbers.astype(str)
        return np.where(series.isna(), "", text).astype(object)
    return np.where(series.isna(), "", series.astype(str).str.strip()).astype(object)


@dataclass
class _Factor:
    """A column as integer codes into its distinct normalised labels (-1 where blank).

    Codings tables run to millions of rows but hold few distinct coders, codes
    and interviews, so text is normalised once per label, not once per row.
    """

    codes: np.ndarray
    labels: np.ndarray

    def text(self, rows: np.ndarray | slice | list = slice(None)) -> np.ndarray:
        """Return the label of each row ("" where blank)."""
        return np.append(self.labels, "")[self.codes[rows]]

    def lookup(self, labels: Iterable[str]) -> np.ndarray:
        """Return, for each of this column's labels, its position in `labels` (-1 if absent)."""
        return pd.Index(list(labels), dtype=object).get_indexer(self.labels)

    def mapped(self, lookup: np.ndarray, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Return each row's position in another label list (see lookup), -1 if none."""
        return np.append(lookup, -1)[self.codes[rows]]


def _factor(series: pd.Series) -> _Factor:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    labels = _ids(pd.Series(uniques))
    # Normalising may merge labels (" sam" and "sam", 3 and 3.0) or blank them ("  ").
    merged_codes, merged = pd.factorize(pd.Series(labels, dtype=object))
    merged_codes = np.where(np.asarray(merged, dtype=object)[merged_codes] == "", -1, merged_codes)
    if len(merged_codes):
        codes = np.where(codes >= 0, merged_codes[np.maximum(codes, 0)], -1)
    return _Factor(codes=codes.astype(np.int64), labels=np.asarray(merged, dtype=object))


def _codebook_codes(codebook: Any) -> list[str] | None:
    if codebook is None:
        return None
    if isinstance(codebook, pd.DataFrame):
        table = codebook
    elif hasattr(codebook, "table") and isinstance(codebook.table, pd.DataFrame):
        table = codebook.table
    elif hasattr(codebook, "codes"):
        return [str(c) for c in codebook.codes]
    else:
        return [str(c) for c in codebook]
    if "code" not in table.columns:
        raise AgreementError(
            "expected the codebook to have a 'code' column",
            hint="pass the Codebook the toolkit read, its .table, or a list of codes",
        )
    return [str(c) for c in table["code"]]


def _where(codings: pd.DataFrame, position: int) -> str:
    return _row_name(codings, position)


def _blank(codings: pd.DataFrame, column: str, blank: np.ndarray, what: str = "coding") -> None:
    if blank.any():
        raise AgreementError(
            f"expected a {column} in every {what}, but {_where(codings, int(blank.argmax()))} "
            "has none",
            hint=f"fill in the {column} or delete the row",
        )


def _prepare(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None,
    *,
    unit: str,
    coders: Iterable[str] | None,
    include_rules: bool,
    coverage: pd.DataFrame | None,
    codebook: Any,
) -> _Coded:
    hint = "pass the codings table the toolkit made (project.codings)"
    _need(codings, ["interview_id", "code", "coder"], "codings", hint)
    if unit not in UNITS:
        raise AgreementError(
            f"expected unit to be 'segment' or 'interview', but found {unit!r}",
            hint="use unit='segment' (the default) or unit='interview'",
        )
    if "method" in codings.columns:
        method = _factor(codings["method"])
        # The extra False answers for blank methods (code -1), which count as manual.
        is_rule = np.array([str(m).lower() == "rule" for m in method.labels] + [False])[
            method.codes
        ]
    else:
        is_rule = np.zeros(len(codings), bool)
    keep = np.ones(len(codings), bool) if include_rules else ~is_rule
    coder = _factor(codings["coder"])
    code = _factor(codings["code"])
    _blank(codings, "coder", keep & (coder.codes < 0))
    _blank(codings, "code", keep & (code.codes < 0))
    present = np.unique(coder.codes[keep])
    names = sorted(coder.labels[present].tolist())
    if coders is not None:
        wanted = [str(c) for c in coders]
        unknown = [c for c in wanted if c not in names]
        if unknown:
            rule_names = set(coder.labels[np.unique(coder.codes[is_rule & (coder.codes >= 0)])])
            raise AgreementError(
                f"expected coder(s) {', '.join(map(repr, unknown))} in the codings, but found "
                f"{', '.join(map(repr, names)) or 'no coders'}",
                hint="to compare the rules as a coder, pass include_rules=True "
                "(--include-rules on the command line)"
                if rule_names & set(unknown)
                else "check the spelling of the coders' names",
            )
        keep &= coder.mapped(coder.lookup(wanted)) >= 0
        names = sorted(set(wanted))
    if len(names) < 2:
        found = f"only {names[0]!r}" if names else "none"
        raise AgreementError(
            f"expected codings from at least two coders to compare, but found {found}",
            hint="have a second person code the same interviews independently and add their "
            "file to codings/, or compare with the rules (include_rules=True in Python, "
            "--include-rules on the command line)",
        )
    book = _codebook_codes(codebook)
    if book is not None:
        outside = keep & (code.mapped(code.lookup(book)) < 0)
        if outside.any():
            first = int(outside.argmax())
            others = sorted(set(code.text(outside)))
            raise AgreementError(
                f"expected codes from the codebook, but {_where(codings, first)} has "
                f"{code.text([first])[0]!r}"
                + (f" (also: {', '.join(others[1:6])})" if len(others) > 1 else ""),
                hint="add the code to the codebook, or correct it in the coder's file",
            )
    units, (rows, unit_index) = _units(codings, segments, keep, unit)
    used = set(code.labels[np.unique(code.codes[rows])].tolist())
    codes = [c for c in dict.fromkeys(book) if c in used] if book is not None else sorted(used)
    code_index = code.mapped(code.lookup(codes), rows)
    coder_index = coder.mapped(coder.lookup(names), rows)
    n_units, n_coders = len(units), len(names)
    covered = np.zeros((n_units, n_coders), bool)
    covered[unit_index, coder_index] = True
    rule_coders = set(coder.labels[np.unique(coder.codes[keep & is_rule])].tolist())
    for j, name in enumerate(names):
        if name in rule_coders:
            covered[:, j] = True  # a rule looks at every unit, matching or not
    if coverage is not None:
        _add_coverage(covered, coverage, units, names, unit)
    key = (code_index.astype(np.int64) * n_units + unit_index) * n_coders + coder_index
    _, first = np.unique(key, return_index=True)
    memos = pd.DataFrame({"code": [], "unit": [], "coder": [], "memo": []})
    if "memo" in codings.columns:
        memo = _factor(codings["memo"])
        has = memo.codes[rows] >= 0
        memos = pd.DataFrame(
            {
                "code": code_index[has],
                "unit": unit_index[has],
                "coder": np.asarray(names, dtype=object)[coder_index[has]],
                "memo": memo.text(rows[has]),
            }
        ).drop_duplicates()
    return _Coded(
        units=units,
        coders=names,
        codes=codes,
        code=code_index[first].astype(np.int64),
        unit=unit_index[first].astype(np.int64),
        coder=coder_index[first].astype(np.int64),
        covered=covered,
        memos=memos,
    )


def _units(
    codings: pd.DataFrame, segments: pd.DataFrame | None, keep: np.ndarray, unit: str
) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray]]:
    """Return the units table and, for each kept coding, the unit(s) it falls in."""
    rows = np.flatnonzero(keep)
    interview = _factor(codings["interview_id"])
    _blank(codings, "interview_id", keep & (interview.codes < 0))
    if segments is not None:
        _need(
            segments,
            ["interview_id"] + (["segment_id"] if unit == "segment" else []),
            "segments",
            "pass the segments table the toolkit made (project.segments)",
        )
    if unit == "interview":
        source = _factor(segments["interview_id"]) if segments is not None else interview
        taken = source.codes if segments is not None else interview.codes[rows]
        ids = source.labels[pd.unique(taken[taken >= 0])].tolist()
        index = interview.mapped(interview.lookup(ids), rows)
        _unknown(codings, rows, index, lambda p: f"interview {interview.text([p])[0]!r}")
        return pd.DataFrame({"interview_id": ids}), (rows, index)
    if "segment_id" in codings.columns:
        segment = _factor(codings["segment_id"])
    else:
        segment = _Factor(np.full(len(codings), -1), np.array([], dtype=object))
    if segments is not None:
        units = segments.drop_duplicates(["interview_id", "segment_id"]).reset_index(drop=True)
        unit_interview = _factor(units["interview_id"])
        unit_segment = _factor(units["segment_id"])
    else:
        if "segment_id" not in codings.columns:
            raise AgreementError(
                "expected a segment_id column in the codings, or a segments table, to know "
                "which segment each code is in",
                hint="pass the segments table: tk.reliability(codings, project.segments)",
            )
        named = rows[segment.codes[rows] >= 0]
        pairs = pd.DataFrame(
            {"interview_id": interview.text(named), "segment_id": segment.text(named)}
        ).drop_duplicates()
        units = pairs.reset_index(drop=True)
        unit_interview = _factor(units["interview_id"])
        unit_segment = _factor(units["segment_id"])
    width = max(len(unit_segment.labels), 1)
    unit_keys = pd.Index(unit_interview.codes * width + unit_segment.codes)
    by_id = rows[segment.codes[rows] >= 0]
    in_interview = interview.mapped(interview.lookup(unit_interview.labels), by_id)
    in_segment = segment.mapped(segment.lookup(unit_segment.labels), by_id)
    keys = np.where((in_interview >= 0) & (in_segment >= 0), in_interview * width + in_segment, -1)
    index = np.where(keys >= 0, unit_keys.get_indexer(keys), -1)
    _unknown(
        codings,
        by_id,
        index,
        lambda p: f"segment {segment.text([p])[0]!r} of interview {interview.text([p])[0]!r}",
    )
    by_span = rows[segment.codes[rows] < 0]
    if len(by_span) == 0:
        return units, (by_id, index)
    span_rows, span_units = _span_units(codings, by_span, interview.text(by_span), units, segments)
    return units, (np.concatenate([by_id, span_rows]), np.concatenate([index, span_units]))


def _unknown(
    codings: pd.DataFrame, rows: np.ndarray, index: np.ndarray, name: Callable[[int], str]
) -> None:
    if (index < 0).any():
        position = int(rows[int(np.argmax(index < 0))])
        raise AgreementError(
            f"expected every coding to refer to a known {name(position).split()[0]}, but "
            f"{_where(codings, position)} refers to {name(position)}, which the segments "
            "table does not have",
            hint="re-read the transcripts, or correct the coding's interview_id/segment_id",
        )


def _span_units(
    codings: pd.DataFrame,
    rows: np.ndarray,
    interview: np.ndarray,
    units: pd.DataFrame,
    segments: pd.DataFrame | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Place codings with no segment_id in every segment their span overlaps."""
    spans = {"start", "end"}
    if segments is None or not spans <= set(units.columns) or not spans <= set(codings.columns):
        raise AgreementError(
            f"expected a segment_id, or start and end offsets, but {_where(codings, rows[0])} "
            "has neither",
            hint="fill in the segment_id of each coding",
        )
    starts = pd.to_numeric(codings["start"].iloc[rows], errors="coerce").to_numpy(dtype=float)
    ends = pd.to_numeric(codings["end"].iloc[rows], errors="coerce").to_numpy(dtype=float)
    unit_interview = _ids(units["interview_id"])
    seg_start = pd.to_numeric(units["start"], errors="coerce").to_numpy(dtype=float)
    seg_end = pd.to_numeric(units["end"], errors="coerce").to_numpy(dtype=float)
    out_rows, out_units = [], []
    for name in pd.unique(interview):
        mine = np.flatnonzero(interview == name)
        theirs = np.flatnonzero(unit_interview == name)
        order = theirs[np.argsort(seg_start[theirs], kind="stable")]
        first = np.searchsorted(seg_end[order], starts[mine], side="right")
        last = np.searchsorted(seg_start[order], ends[mine], side="left")
        bad = ~(last > first) | np.isnan(starts[mine]) | np.isnan(ends[mine])
        if bad.any():
            position = int(rows[mine[int(bad.argmax())]])
            raise AgreementError(
                f"expected each coding's span to overlap a segment, but {_where(codings, position)}"
                f" ({starts[mine][bad][0]:g} to {ends[mine][bad][0]:g} in {name!r}) overlaps none",
                hint="check the start and end offsets, or fill in the segment_id",
            )
        counts = last - first
        out_rows.append(np.repeat(rows[mine], counts))
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        out_units.append(order[np.repeat(first, counts) + offsets])
    return np.concatenate(out_rows), np.concatenate(out_units)


def _add_coverage(
    covered: np.ndarray, coverage: pd.DataFrame, units: pd.DataFrame, names: list[str], unit: str
) -> None:
    _need(
        coverage,
        ["coder", "interview_id"],
        "coverage",
        "give one row per coder and interview (and segment_id, to name single segments)",
    )
    coder = pd.Index(names).get_indexer(_ids(coverage["coder"]))
    if (coder < 0).any():
        bad = _ids(coverage["coder"])[int(np.argmax(coder < 0))]
        raise AgreementError(
            f"expected coverage rows for the coders compared ({', '.join(names)}), but found "
            f"{bad!r}",
            hint="remove that coder's rows, or include their codings",
        )
    interview = _ids(coverage["interview_id"])
    unit_interview = _ids(units["interview_id"])
    segment = (
        _ids(coverage["segment_id"])
        if unit == "segment" and "segment_id" in coverage.columns
        else np.full(len(coverage), "", object)
    )
    whole = segment == ""
    # A row without a segment_id means the coder read the whole interview.
    for name in pd.unique(interview[whole]):
        rows = np.flatnonzero(unit_interview == name)
        if len(rows) == 0:
            raise AgreementError(
                f"expected coverage to name known interviews, but found {name!r}",
                hint="correct the interview_id in the coverage table",
            )
        for j in np.unique(coder[whole & (interview == name)]):
            covered[rows, j] = True
    if (~whole).any():
        keys = pd.Index(unit_interview + "\x1f" + _ids(units["segment_id"]))
        index = keys.get_indexer(interview[~whole] + "\x1f" + segment[~whole])
        if (index < 0).any():
            position = int(np.argmax(index < 0))
            raise AgreementError(
                "expected coverage to name known segments, but found segment "
                f"{segment[~whole][position]!r} of interview {interview[~whole][position]!r}",
                hint="correct the segment_id in the coverage table",
            )
        covered[index, coder[~whole]] = True


def _pattern_table(n_coders: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return every (applied, coders) pattern of a yes/no rating and its category counts."""
    size = n_coders + 1
    applied, seen = np.divmod(np.arange(size * size), size)
    possible = applied <= seen
    counts = np.column_stack([seen - applied, applied]) * possible[:, None]
    return applied, seen, counts


def _pooled(
    features: np.ndarray,
    stat: Callable[[np.ndarray], np.ndarray],
    rng: np.random.Generator | None,
    n_boot: int,
    confidence: float | None,
) -> tuple[float, float, float]:
    """Return a coefficient over all codes, resampling units, with its interval."""
    if len(features) == 0:
        return math.nan, math.nan, math.nan
    if confidence is None or rng is None:
        return float(stat(features.sum(axis=0)[None, :])[0]), math.nan, math.nan
    patterns, weights = _patterns(features)
    estimate = float(stat((weights.astype(float) @ patterns)[None, :])[0])
    low, high = _interval(_bootstrap(patterns, weights[None, :], stat, n_boot, rng), confidence)
    return estimate, float(low[0]), float(high[0])


def reliability(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    *,
    unit: str = "segment",
    coders: Iterable[str] | None = None,
    include_rules: bool = False,
    coverage: pd.DataFrame | None = None,
    codebook: Any = None,
    ci: float | None = 0.95,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Measure agreement between coders per code, and over all codes, with intervals.

    Each code becomes a yes/no question asked of every unit (segment or
    interview): did this coder apply the code here?  A coder who coded a
    unit at all (applied any code to it) and did not apply code X is counted
    as saying "not X".  So two coders who both leave a segment without X
    agree on it.  That is the usual choice, but it inflates percent
    agreement for rare codes: most units are easy "not X" agreements.  Kappa
    and alpha correct for chance, and the ``prevalence`` column shows how rare
    each code is, so read the figures together.

    Units seen by fewer than two coders are left out: coders' files that
    cover different segments are compared only where they overlap, and the
    ``units`` column says how many units that was.

    The interval resamples units (see the module notes).  A code on which
    the coders never disagree gets the interval 1 to 1, since every
    resample agrees perfectly too; for a rare code that says little, so
    read it with ``applied``.  The interval is left empty when fewer than
    half the resamples contain the code at all.

    Parameters
    ----------
    codings
        The codings table (``interview_id, segment_id, start, end, code,
        coder, method``).  Codings with no ``segment_id`` are placed in the
        segments their ``start``/``end`` span overlaps.
    segments
        The segments table: the units, and the text for :func:`disagreements`.
        Without it, the units are the segments named in the codings.
    unit
        ``"segment"`` (each speaker turn is a unit) or ``"interview"`` (a
        coder applied X to an interview if they applied it anywhere in it).
    coders
        The coders to compare (default: every human coder).
    include_rules
        Compare the rule-based coding (method ``rule``) as one more coder.
        A rule sees every unit.  By default only people (methods ``manual``
        and ``import``) are compared.
    coverage
        Which units each coder saw, if it is more than the units they
        coded: a table with ``coder, interview_id`` and optionally
        ``segment_id`` (no segment_id means the whole interview).  Units a
        coder applied a code to always count as seen.
    codebook
        A :class:`~toolkit.codebook.Codebook`, its table, or a list of codes.
        Codes outside it are an error; the table follows its order.
    ci
        Confidence level of the bootstrap interval for alpha (``None`` for none).
    n_boot, seed
        Bootstrap replicates (units resampled) and their seed.

    Returns
    -------
    pandas.DataFrame
        One row per code, then a row ``(all codes)`` pooling every yes/no
        decision.  Columns: ``code``; ``units`` (compared: seen by two or
        more coders); ``applied`` (units at least one coder applied the code
        to); ``prevalence`` (share of all ratings that applied it);
        ``percent_agreement`` (0 to 1); ``kappa`` (Cohen's for two coders,
        Fleiss' for more, on the units every coder saw); ``alpha``
        (Krippendorff's, nominal) with ``alpha_low`` and ``alpha_high``;
        ``kappa_method``; ``kappa_units``.  ``table.attrs`` records the
        unit, coders, confidence, n_boot and seed.

    Raises
    ------
    AgreementError
        For a single coder, coders with no unit in common, codes outside the
        codebook, or codings that point at unknown segments.

    Examples
    --------
    >>> import pandas as pd
    >>> codings = pd.DataFrame({
    ...     "interview_id": ["i1"] * 7,
    ...     "segment_id": [1, 2, 3, 1, 2, 3, 4],
    ...     "code": ["kindness", "waiting", "kindness"] + ["kindness"] + ["waiting"] * 3,
    ...     "coder": ["sam"] * 3 + ["nadia"] * 4,
    ... })
    >>> table = reliability(codings, ci=None)
    >>> table[["code", "units", "applied", "percent_agreement", "kappa"]]
              code  units  applied  percent_agreement     kappa
    0     kindness      3        2           0.666667  0.400000
    1      waiting      3        2           0.666667  0.400000
    2  (all codes)      3        3           0.666667  0.333333
    """
    confidence = None if ci is None or ci is False else _confidence(ci)
    boots = _check_boot(n_boot) if confidence is not None else 0
    coded = _prepare(
        codings,
        segments,
        unit=unit,
        coders=coders,
        include_rules=include_rules,
        coverage=coverage,
        codebook=codebook,
    )
    _no_overlap(coded, unit)
    n_codes, n_coders = len(coded.codes), len(coded.coders)
    seen = coded.covered.sum(axis=1)
    compared = seen >= 2
    applied = coded.applied()[:, compared]
    seen_c = seen[compared]
    rng = np.random.default_rng(seed) if confidence is not None else None

    # Per code: count the compared units in each (applied, seen) pattern.
    size = (n_coders + 1) ** 2
    _, pattern_seen, pattern_counts = _pattern_table(n_coders)
    keys = applied * (n_coders + 1) + seen_c[None, :]
    weights = np.bincount(
        (np.arange(n_codes)[:, None] * size + keys).ravel(), minlength=n_codes * size
    ).reshape(n_codes, size)
    alpha_features = _coincidence_features(pattern_counts)
    percent_features = _percent_features(pattern_counts)
    alpha_stat = _alpha_stat("nominal")
    alpha = alpha_stat(weights @ alpha_features)
    percent = _percent_stat(weights @ percent_features)
    low = high = np.full(n_codes, np.nan)
    if confidence is not None and rng is not None:
        boot = _bootstrap(alpha_features, weights, alpha_stat, boots, rng)
        low, high = _interval(boot, confidence)
    # Every unit's own pattern counts, for the row pooling all codes.
    local = np.arange(int(compared.sum()))
    per_unit = np.bincount((local[None, :] * size + keys).ravel(), minlength=len(local) * size)
    per_unit = per_unit.reshape(len(local), size).astype(float)
    all_alpha = _pooled(per_unit @ alpha_features, alpha_stat, rng, boots, confidence)
    all_percent = _pooled(per_unit @ percent_features, _percent_stat, None, 0, None)[0]

    kappa_method, kappa, all_kappa, kappa_units = _kappas(
        coded, seen, weights, per_unit[seen_c == n_coders], pattern_counts, pattern_seen
    )

    total_seen = float(seen_c.sum())
    result = pd.DataFrame(
        {
            "code": [*coded.codes, ALL_CODES],
            "units": int(compared.sum()),
            "applied": [*(applied > 0).sum(axis=1).tolist(), int((applied.sum(axis=0) > 0).sum())],
            "prevalence": [
                *(applied.sum(axis=1) / total_seen).tolist(),
                applied.sum() / (total_seen * max(n_codes, 1)),
            ],
            "percent_agreement": [*percent.tolist(), all_percent],
            "kappa": [*kappa.tolist(), all_kappa],
            "alpha": [*alpha.tolist(), all_alpha[0]],
            "alpha_low": [*low.tolist(), all_alpha[1]],
            "alpha_high": [*high.tolist(), all_alpha[2]],
            "kappa_method": kappa_method,
            "kappa_units": kappa_units,
        }
    )
    result.attrs.update(
        {
            "unit": unit,
            "coders": list(coded.coders),
            "confidence": confidence,
            "n_boot": boots,
            "seed": seed,
        }
    )
    return result


def _kappas(
    coded: _Coded,
    seen: np.ndarray,
    weights: np.ndarray,
    complete_units: np.ndarray,
    pattern_counts: np.ndarray,
    pattern_seen: np.ndarray,
) -> tuple[str, np.ndarray, float, int]:
    """Return the kappa per code and pooled: Cohen's for two coders, Fleiss' for more.

    Both use only the units every coder saw.  Cohen's kappa needs to know
    *which* coder said yes, so it counts (first coder, second coder) cells;
    Fleiss' kappa only needs how many said yes, the patterns already counted.
    """
    n_codes, n_coders, n_units = len(coded.codes), len(coded.coders), len(coded.units)
    everyone = seen == n_coders
    if n_coders > 2:
        features = _fleiss_features(pattern_counts) * (pattern_seen == n_coders)[:, None]
        stat = _fleiss_stat(n_coders)
        pooled = _pooled(complete_units @ features, stat, None, 0, None)[0]
        return "Fleiss", stat((weights @ features).astype(float)), pooled, int(everyone.sum())
    # Bit 0 says the first coder applied the code, bit 1 the second.
    bits = np.bincount(
        coded.code * n_units + coded.unit,
        weights=(1 << coded.coder).astype(float),
        minlength=n_codes * n_units,
    ).reshape(n_codes, n_units)[:, everyone]
    bits = bits.astype(np.int64)
    cells = (bits & 1) * 2 + (bits >> 1)
    tables = np.bincount((np.arange(n_codes)[:, None] * 4 + cells).ravel(), minlength=n_codes * 4)
    n_both = int(everyone.sum())
    per_unit = np.bincount((np.arange(n_both)[None, :] * 4 + cells).ravel(), minlength=n_both * 4)
    pooled = _pooled(per_unit.reshape(n_both, 4).astype(float), _cohen_stat, None, 0, None)[0]
    return "Cohen", _cohen_stat(tables.reshape(n_codes, 4).astype(float)), pooled, n_both


def _no_overlap(coded: _Coded, unit: str) -> None:
    seen = coded.covered.sum(axis=1)
    if (seen >= 2).any():
        return
    per_coder = ", ".join(
        f"{name} {int(coded.covered[:, j].sum())}" for j, name in enumerate(coded.coders)
    )
    raise AgreementError(
        f"expected the coders to have coded some of the same {unit}s, but they have no {unit} "
        f"in common ({unit}s coded: {per_coder})",
        hint="agreement is measured where coders overlap: have each coder code (some of) the "
        "same interviews, or pass a coverage table if they read more than they coded",
    )


def _join_names(chosen: np.ndarray, names: list[str]) -> np.ndarray:
    """Return, per row of a (rows x coders) yes/no matrix, the chosen coders' names joined."""
    if len(names) > 12:  # too many combinations to tabulate: join row by row
        everyone = np.asarray(names, dtype=object)
        return np.array([", ".join(everyone[row]) for row in chosen], dtype=object)
    # Each row is a bit pattern; join the names once per pattern, then look rows up.
    patterns = chosen.astype(np.int64) @ (1 << np.arange(len(names), dtype=np.int64))
    joined = np.array(
        [
            ", ".join(n for j, n in enumerate(names) if mask >> j & 1)
            for mask in range(1 << len(names))
        ],
        dtype=object,
    )
    return joined[patterns]


def disagreements(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    code: str | Iterable[str] | None = None,
    *,
    unit: str = "segment",
    coders: Iterable[str] | None = None,
    include_rules: bool = False,
    coverage: pd.DataFrame | None = None,
    codebook: Any = None,
) -> pd.DataFrame:
    """List the units where coders differ on a code, with the text, for a coding meeting.

    A unit is listed for a code when, among the coders who saw it (see
    :func:`reliability`), some applied the code and some did not.

    Parameters
    ----------
    codings, segments, unit, coders, include_rules, coverage, codebook
        As for :func:`reliability`.
    code
        One code, or several, to list (default: every code).

    Returns
    -------
    pandas.DataFrame
        One row per code and unit: ``code, interview_id`` (and ``segment_id,
        speaker`` for segments), ``applied_by`` and ``not_applied_by`` (coders'
        names, comma-separated), ``text`` (the segment's words, when the
        segments table has them) and ``memos`` (the coders' memos on that
        code there, when the codings have memos).  Sorted by code, then in
        the order of the segments.

    Examples
    --------
    >>> import pandas as pd
    >>> codings = pd.DataFrame({
    ...     "interview_id": ["i1"] * 4, "segment_id": [1, 2, 1, 2],
    ...     "code": ["kindness", "waiting", "kindness", "kindness"],
    ...     "coder": ["sam", "sam", "nadia", "nadia"]})
    >>> disagreements(codings)[["code", "segment_id", "applied_by", "not_applied_by"]]
           code segment_id applied_by not_applied_by
    0  kindness          2      nadia            sam
    1   waiting          2        sam          nadia
    """
    coded = _prepare(
        codings,
        segments,
        unit=unit,
        coders=coders,
        include_rules=include_rules,
        coverage=coverage,
        codebook=codebook,
    )
    _no_overlap(coded, unit)
    wanted = list(range(len(coded.codes)))
    if code is not None:
        names = [code] if isinstance(code, str) else [str(c) for c in code]
        missing = [c for c in names if c not in coded.codes]
        if missing:
            raise AgreementError(
                f"expected code(s) the coders used, but {', '.join(map(repr, missing))} "
                "is not among them",
                hint="choose from: " + ", ".join(coded.codes[:20]),
            )
        wanted = [coded.codes.index(c) for c in names]
    seen = coded.covered.sum(axis=1)
    applied = coded.applied()[wanted]
    differ = (seen[None, :] >= 2) & (applied > 0) & (applied < seen[None, :])
    code_pos, unit_pos = np.nonzero(differ)
    code_ids = np.asarray(wanted, dtype=np.int64)[code_pos]
    n_units, n_coders = len(coded.units), len(coded.coders)
    # Who applied each listed code where: a (pairs x coders) yes/no matrix.
    pair_key = pd.Index(code_ids * n_units + unit_pos)
    row = pair_key.get_indexer(coded.code * n_units + coded.unit)
    yes = np.zeros((len(pair_key), n_coders), bool)
    yes[row[row >= 0], coded.coder[row >= 0]] = True
    saw = coded.covered[unit_pos]
    applied_by = _join_names(yes, coded.coders)
    not_applied_by = _join_names(saw & ~yes, coded.coders)
    columns = ["interview_id", "segment_id", "speaker"] if unit == "segment" else ["interview_id"]
    units = coded.units[[c for c in columns if c in coded.units.columns]]
    out = units.iloc[unit_pos].reset_index(drop=True)
    out.insert(0, "code", np.asarray(coded.codes, dtype=object)[code_ids])
    out["applied_by"] = applied_by
    out["not_applied_by"] = not_applied_by
    if unit == "segment" and "text" in coded.units.columns:
        out["text"] = coded.units["text"].to_numpy()[unit_pos]
    if len(coded.memos):
        memos = coded.memos.assign(key=coded.memos["code"] * n_units + coded.memos["unit"])
        joined = (
            memos[memos["key"].isin(pair_key)]
            .assign(note=lambda t: t["coder"] + ": " + t["memo"])
            .groupby("key")["note"]
            .agg("; ".join)
        )
        out["memos"] = pd.Series(pair_key).map(joined).fillna("").to_numpy()
    order = np.lexsort((unit_pos, code_ids))
    return out.iloc[order].reset_index(drop=True)
