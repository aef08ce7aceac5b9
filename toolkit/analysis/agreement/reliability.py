"""The reliability table: agreement between coders per code, and over all codes.

:func:`reliability` asks, for each code, a yes/no question of every unit
(segment or interview) a coder saw: did this coder apply the code here?  It
measures agreement on those answers with percent agreement, kappa and
Krippendorff's alpha (with a bootstrap interval), one row per code and one,
:data:`ALL_CODES`, pooling them all.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({"interview_id": ["i1"] * 4, "segment_id": [1, 2, 1, 2],
...                         "code": ["kind", "wait", "kind", "kind"],
...                         "coder": ["sam", "sam", "nadia", "nadia"]})
>>> reliability(codings, ci=None)["code"].tolist()
['kind', 'wait', '(all codes)']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.agreement.bootstrap import (
    check_n_boot,
    confidence_level,
    patterns,
    percentile_interval,
    replicates,
)
from toolkit.analysis.agreement.formulas import (
    alpha_statistic,
    cohen_statistic,
    coincidence_features,
    fleiss_features,
    fleiss_statistic,
    percent_features,
    percent_statistic,
)
from toolkit.analysis.agreement.groups import ALL_GROUPS, unit_groups
from toolkit.analysis.agreement.parameters import PARAMETERS
from toolkit.analysis.agreement.units import CodedUnits, compared_units
from toolkit.docstrings import documented

__all__ = ["ALL_CODES", "ALL_GROUPS", "reliability"]

#: The name of the row of :func:`reliability` that pools every code.
ALL_CODES = "(all codes)"


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
    distinct, weights = patterns(features)
    estimate = float(stat((weights.astype(float) @ distinct)[None, :])[0])
    low, high = percentile_interval(
        replicates(distinct, weights[None, :], stat, n_boot, rng), confidence
    )
    return estimate, float(low[0]), float(high[0])


@documented(
    PARAMETERS,
    ci="""
        {ci}
        Here it is the interval for alpha, and 0.95 by default.
    """,
    by="""
        An attribute to measure agreement within, such as ``"question"``
        for survey answers to several questions: a column of `participants`
        (one value per interview) or of `segments`.  Each code is measured
        within each group where someone used it, and the rows labelled
        ``(all groups)`` pool the groups fairly: a code counts only on the
        units of the groups in which anyone used it, so the answers to a
        question the code does not belong to do not add easy agreements.
    """,
    participants="""
        The participants table (``project.participants``), where `by` is
        looked up.
    """,
)
def reliability(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    *,
    unit: str = "segment",
    coders: Iterable[str] | None = None,
    include_rules: bool = False,
    coverage: pd.DataFrame | None = None,
    codebook: Any = None,
    ci: float | bool | None = 0.95,
    n_boot: int = 1000,
    seed: int | None = 0,
    by: str | None = None,
    participants: pd.DataFrame | None = None,
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

    The interval resamples units (see :mod:`toolkit.analysis.agreement`).  A
    code on which the coders never disagree gets the interval 1 to 1, since
    every resample agrees perfectly too; for a rare code that says little, so
    read it with ``applied``.  The interval is left empty when fewer than
    half the resamples contain the code at all.

    {parameters}

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
        ``kappa_method``; ``kappa_units``.  With `by`, a first column named
        after it gives each row's group (``(all groups)`` for the pooled
        rows), and ``units`` counts a code's units in its groups only.
        ``table.attrs`` records the unit (singular), coders, confidence,
        n_boot, seed and by.

    Raises
    ------
    AgreementError
        For a single coder, coders with no unit in common, codes outside the
        codebook, codings that point at unknown segments, or a `by` column
        that neither table has.

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
    confidence = confidence_level(ci)
    boots = check_n_boot(n_boot) if confidence is not None else 0
    coded, unit = compared_units(codings, segments, unit, coders, include_rules, coverage, codebook)
    rng = np.random.default_rng(seed) if confidence is not None else None
    if by is None:
        result = _rows(coded, None, confidence, boots, rng)
    else:
        result = _grouped(coded, str(by), segments, participants, confidence, boots, rng)
    result.attrs.update(
        {
            "unit": unit,
            "coders": list(coded.coders),
            "confidence": confidence,
            "n_boot": boots,
            "seed": seed,
            "by": None if by is None else str(by),
        }
    )
    return result


def _grouped(
    coded: CodedUnits,
    by: str,
    segments: pd.DataFrame | None,
    participants: pd.DataFrame | None,
    confidence: float | None,
    boots: int,
    rng: np.random.Generator | None,
) -> pd.DataFrame:
    """Return the rows of each group, then the rows pooling the groups fairly.

    In a group, a code counts on the group's units if anyone used it there;
    pooled, a code counts only on the units of the groups in which anyone used it.
    """
    groups = unit_groups(coded.units, by, segments=segments, participants=participants)
    compared = coded.covered.sum(axis=1) >= 2
    used_anywhere = coded.applied() > 0
    relevant = np.zeros(used_anywhere.shape, bool)
    parts = []
    for group in dict.fromkeys(groups[compared]):
        inside = groups == group
        used = used_anywhere[:, inside & compared].any(axis=1)
        if not used.any():
            continue
        mask = used[:, None] & inside[None, :]
        relevant |= mask
        parts.append(_rows(coded, mask, confidence, boots, rng).assign(**{by: group}))
    parts.append(_rows(coded, relevant, confidence, boots, rng).assign(**{by: ALL_GROUPS}))
    table = pd.concat(parts, ignore_index=True)
    return table[[by, *table.columns[:-1]]]


def _rows(
    coded: CodedUnits,
    relevant: np.ndarray | None,
    confidence: float | None,
    boots: int,
    rng: np.random.Generator | None,
) -> pd.DataFrame:
    """Return one row per code and one pooling them, counting only `relevant` decisions.

    `relevant` (codes x units) says which (code, unit) decisions count; ``None``
    counts them all.  With a mask, codes with no relevant unit are left out.
    """
    n_coders = len(coded.coders)
    seen = coded.covered.sum(axis=1)
    compared = seen >= 2
    applied = coded.applied()[:, compared]
    seen_c = seen[compared]
    keep = np.arange(len(coded.codes))
    if relevant is None:
        mask = np.ones(applied.shape, bool)
    else:
        mask = relevant[:, compared]
        keep = np.flatnonzero(mask.any(axis=1))
        mask, applied = mask[keep], applied[keep]
    n_codes = len(keep)

    # Per code: count the relevant compared units in each (applied, seen) pattern.
    size = (n_coders + 1) ** 2
    _, pattern_seen, pattern_counts = _pattern_table(n_coders)
    keys = applied * (n_coders + 1) + seen_c[None, :]
    flat = np.arange(n_codes)[:, None] * size + keys
    weights = np.bincount(flat[mask], minlength=n_codes * size).reshape(n_codes, size)
    alpha_features = coincidence_features(pattern_counts)
    agree_features = percent_features(pattern_counts)
    alpha_stat = alpha_statistic("nominal")
    alpha = alpha_stat(weights @ alpha_features)
    percent = percent_statistic(weights @ agree_features)
    low = high = np.full(n_codes, np.nan)
    if confidence is not None and rng is not None:
        boot = replicates(alpha_features, weights, alpha_stat, boots, rng)
        low, high = percentile_interval(boot, confidence)
    # Every unit's own pattern counts (over its relevant codes), for the pooled row.
    local = np.broadcast_to(np.arange(len(seen_c))[None, :], keys.shape)
    per_unit = np.bincount((local * size + keys)[mask], minlength=len(seen_c) * size).reshape(
        len(seen_c), size
    )
    counted = per_unit.sum(axis=1) > 0
    per_unit = per_unit[counted].astype(float)
    all_alpha = _pooled(per_unit @ alpha_features, alpha_stat, rng, boots, confidence)
    all_percent = _pooled(per_unit @ agree_features, percent_statistic, None, 0, None)[0]

    everyone = seen_c == n_coders
    kappa_method, kappa, all_kappa = _kappas(
        coded,
        keep,
        compared,
        mask,
        weights,
        per_unit[everyone[counted]],
        pattern_counts,
        pattern_seen,
    )
    kappa_units = (mask & everyone[None, :]).sum(axis=1)
    seen_codes = (mask * seen_c[None, :]).sum(axis=1).astype(float)
    hits = applied * mask
    with np.errstate(divide="ignore", invalid="ignore"):
        prevalence = hits.sum(axis=1) / seen_codes
    return pd.DataFrame(
        {
            "code": [*(coded.codes[k] for k in keep), ALL_CODES],
            "units": [*mask.sum(axis=1).tolist(), int(counted.sum())],
            "applied": [*(hits > 0).sum(axis=1).tolist(), int((hits.sum(axis=0) > 0).sum())],
            "prevalence": [*prevalence.tolist(), hits.sum() / max(seen_codes.sum(), 1.0)],
            "percent_agreement": [*percent.tolist(), all_percent],
            "kappa": [*kappa.tolist(), all_kappa],
            "alpha": [*alpha.tolist(), all_alpha[0]],
            "alpha_low": [*low.tolist(), all_alpha[1]],
            "alpha_high": [*high.tolist(), all_alpha[2]],
            "kappa_method": kappa_method,
            "kappa_units": [*kappa_units.tolist(), int((counted & everyone).sum())],
        }
    )


def _kappas(
    coded: CodedUnits,
    keep: np.ndarray,
    compared: np.ndarray,
    mask: np.ndarray,
    weights: np.ndarray,
    complete_units: np.ndarray,
    pattern_counts: np.ndarray,
    pattern_seen: np.ndarray,
) -> tuple[str, np.ndarray, float]:
    """Return the kappa per code and pooled: Cohen's for two coders, Fleiss' for more.

    Both use only the units every coder saw, and of those only the relevant
    ones (`mask`, codes x compared units).  Cohen's kappa needs to know
    *which* coder said yes, so it counts (first coder, second coder) cells;
    Fleiss' kappa only needs how many said yes, the patterns already counted.
    """
    n_codes, n_coders, n_units = len(coded.codes), len(coded.coders), len(coded.units)
    if n_coders > 2:
        features = fleiss_features(pattern_counts) * (pattern_seen == n_coders)[:, None]
        stat = fleiss_statistic(n_coders)
        pooled = _pooled(complete_units @ features, stat, None, 0, None)[0]
        return "Fleiss", stat((weights @ features).astype(float)), pooled
    everyone = coded.covered[compared].sum(axis=1) == n_coders
    # Bit 0 says the first coder applied the code, bit 1 the second.
    bits = np.bincount(
        coded.code * n_units + coded.unit,
        weights=(1 << coded.coder).astype(float),
        minlength=n_codes * n_units,
    ).reshape(n_codes, n_units)[keep][:, compared][:, everyone]
    bits = bits.astype(np.int64)
    cells = (bits & 1) * 2 + (bits >> 1)
    inside = mask[:, everyone]
    rows = np.broadcast_to(np.arange(len(keep))[:, None], cells.shape)
    tables = np.bincount((rows * 4 + cells)[inside], minlength=len(keep) * 4)
    n_both = int(everyone.sum())
    local = np.broadcast_to(np.arange(n_both)[None, :], cells.shape)
    per_unit = np.bincount((local * 4 + cells)[inside], minlength=n_both * 4)
    pooled = _pooled(per_unit.reshape(n_both, 4).astype(float), cohen_statistic, None, 0, None)[0]
    return "Cohen", cohen_statistic(tables.reshape(len(keep), 4).astype(float)), pooled
