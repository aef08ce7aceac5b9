"""The agreement coefficients on a long ratings table.

:func:`krippendorff_alpha`, :func:`cohen_kappa`, :func:`fleiss_kappa` and
:func:`percent_agreement` take a table with one row per rating (which unit,
which coder, which value) and return an
:class:`~toolkit.analysis.agreement.result.Agreement`: a float that
also carries its bootstrap confidence interval when one is asked for.

Examples
--------
>>> import pandas as pd
>>> ratings = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": ["sam", "nadia"] * 3,
...                         "value": ["yes", "yes", "no", "no", "yes", "no"]})
>>> round(cohen_kappa(ratings), 2), round(percent_agreement(ratings), 2)
(0.4, 0.67)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from toolkit.analysis.agreement import formulas
from toolkit.analysis.agreement.parameters import PARAMETERS
from toolkit.analysis.agreement.ratings import Ratings, read_ratings
from toolkit.analysis.agreement.result import Agreement, agreement_from_features
from toolkit.docstrings import documented
from toolkit.errors import AgreementError
from toolkit.renamed import renamed_keywords
from toolkit.wording import did_you_mean

__all__ = [
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "LEVELS",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
]

#: Krippendorff's lowest conceivable alpha for drawing tentative conclusions.
ALPHA_TENTATIVE = 0.667
#: Krippendorff's customary alpha for relying on coded data.
ALPHA_RELIABLE = 0.8
#: The levels of measurement :func:`krippendorff_alpha` knows.
LEVELS = ("nominal", "ordinal", "interval", "ratio")


#: What a coefficient measures on the ratings: one row of features per unit (see
#: :mod:`~toolkit.analysis.agreement.formulas`), the formula over their sums, and
#: how many coders took part.
Measured = tuple[np.ndarray, formulas.Statistic, int]

#: ``unit=``, ``coder=`` and ``value=`` named the columns before the names said
#: they were columns; they still work, with a :class:`DeprecationWarning`.
_old_column_keywords = renamed_keywords(
    unit="unit_column", coder="coder_column", value="value_column"
)


def _coefficient(
    measure: Callable[[Ratings, str], Measured],
    what: str,
    table: pd.DataFrame,
    columns: tuple[str, str, str],
    values: Iterable | None,
    ci: float | bool | None,
    n_boot: int,
    seed: int | None,
    numeric: bool = False,
) -> Agreement:
    """Read the ratings, `measure` them, and return the coefficient with its interval.

    The shared body of the coefficients: `what` names the coefficient in
    messages (and, capitalised, in the result); the other parameters are the
    coefficients' own.
    """
    ratings = read_ratings(table, *columns, values=values, numeric=numeric, what=what)
    features, stat, n_coders = measure(ratings, what)
    return agreement_from_features(
        features,
        stat,
        statistic=what[:1].upper() + what[1:],
        n_coders=n_coders,
        ci=ci,
        n_boot=n_boot,
        seed=seed,
    )


def _pairable(ratings: Ratings, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the value counts of the units rated by two coders or more, and which units those are.

    Raises :class:`AgreementError` if there are none.
    """
    counts = ratings.counts()
    rated = counts.sum(axis=1) >= 2
    if not rated.any():
        raise _no_units(what)
    return counts[rated], rated


def _no_units(what: str) -> AgreementError:
    return AgreementError(
        f"expected at least one unit rated by two or more coders for {what}, but the coders "
        "have no unit in common",
        hint="have the coders rate (some of) the same units; agreement can only be measured "
        "where they overlap",
    )


@_old_column_keywords
@documented(
    PARAMETERS,
    level="""
        The level of measurement: ``"nominal"`` (categories), ``"ordinal"``
        (ordered categories), ``"interval"`` or ``"ratio"`` (numbers).
    """,
)
def krippendorff_alpha(
    table: pd.DataFrame,
    unit_column: str = "unit",
    coder_column: str = "coder",
    value_column: str = "value",
    level: str = "nominal",
    *,
    values: Iterable | None = None,
    ci: float | bool | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute Krippendorff's alpha for any number of coders, with missing ratings allowed.

    Alpha compares the disagreement observed between coders with the
    disagreement expected if values were paired at random:
    ``alpha = 1 - observed / expected``.  1 is perfect agreement, 0 is no
    better than chance.  Krippendorff relies on data with alpha of at least
    0.8 (:data:`ALPHA_RELIABLE`) and draws tentative conclusions from 0.667
    (:data:`ALPHA_TENTATIVE`) upwards.

    {parameters}

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
    >>> alpha = krippendorff_alpha(ratings, ci=0.95, n_boot=200)
    >>> bool(alpha.low < alpha < alpha.high), alpha.n_units
    (True, 11)
    """
    if level not in LEVELS:
        raise AgreementError(
            f"expected level to be one of {', '.join(LEVELS)}, but found {level!r}"
            + did_you_mean(level, LEVELS),
            hint="use 'nominal' for categories such as codes",
        )
    measure = functools.partial(_alpha, level=level, ordered=values is not None)
    what, numeric = f"Krippendorff's alpha ({level})", level in ("interval", "ratio")
    columns = (unit_column, coder_column, value_column)
    return _coefficient(measure, what, table, columns, values, ci, n_boot, seed, numeric)


def _alpha(ratings: Ratings, what: str, *, level: str, ordered: bool) -> Measured:
    """Measure Krippendorff's alpha: each pairable unit's coincidence matrix.

    `ordered` says whether the order of the values was given (``values=``).
    """
    if level == "ordinal" and not ordered:
        kinds = {type(c) for c in ratings.categories}
        if any(issubclass(t, str) for t in kinds):
            raise AgreementError(
                "expected numbers, or the order of the values, for the ordinal level, but "
                f"found words: {ratings.categories!r}",
                hint="pass values=[...] listing the values from lowest to highest",
            )
    points = None
    if level in ("interval", "ratio"):
        points = np.asarray(ratings.categories, dtype=float)
        if level == "ratio" and (points < 0).any():
            raise AgreementError(
                f"expected values of zero or more at the ratio level, but found {points.min():g}",
                hint="use level='interval' for values that can be negative",
            )
    pairable, rated = _pairable(ratings, what)
    used = np.unique(ratings.coders[np.isin(ratings.units, np.flatnonzero(rated))])
    return (
        formulas.coincidence_features(pairable),
        formulas.alpha_statistic(level, points),
        len(used),
    )


@_old_column_keywords
@documented(PARAMETERS)
def cohen_kappa(
    table: pd.DataFrame,
    unit_column: str = "unit",
    coder_column: str = "coder",
    value_column: str = "value",
    *,
    values: Iterable | None = None,
    ci: float | bool | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute Cohen's kappa for exactly two coders.

    Kappa is ``(observed - chance) / (1 - chance)``: the share of units on
    which the two coders agree, corrected for the agreement expected from how
    often each coder used each value.  Only units both coders rated count.

    {parameters}

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
    ...     columns=["proposal", "reader", "say"])
    >>> round(cohen_kappa(ratings, "proposal", "reader", "say"), 2)
    0.4
    """
    columns = (unit_column, coder_column, value_column)
    return _coefficient(_cohen, "Cohen's kappa", table, columns, values, ci, n_boot, seed)


def _cohen(ratings: Ratings, what: str) -> Measured:
    """Measure Cohen's kappa: each unit both coders rated, as its cell of their table."""
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
    return cells, formulas.cohen_statistic, 2


@_old_column_keywords
@documented(PARAMETERS)
def fleiss_kappa(
    table: pd.DataFrame,
    unit_column: str = "unit",
    coder_column: str = "coder",
    value_column: str = "value",
    *,
    values: Iterable | None = None,
    ci: float | bool | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute Fleiss' kappa: agreement when every unit has the same number of ratings.

    The coders rating one unit need not be those rating another, but each unit
    must be rated the same number of times.  Chance agreement comes from how
    often each value was used overall.

    {parameters}

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
    columns = (unit_column, coder_column, value_column)
    return _coefficient(_fleiss, "Fleiss' kappa", table, columns, values, ci, n_boot, seed)


def _fleiss(ratings: Ratings, what: str) -> Measured:
    """Measure Fleiss' kappa: each unit's counts per value, when every unit has as many."""
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
    stat = formulas.fleiss_statistic(int(sizes[0]))
    return formulas.fleiss_features(rated), stat, len(ratings.coder_labels)


@_old_column_keywords
@documented(PARAMETERS)
def percent_agreement(
    table: pd.DataFrame,
    unit_column: str = "unit",
    coder_column: str = "coder",
    value_column: str = "value",
    *,
    values: Iterable | None = None,
    ci: float | bool | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> Agreement:
    """Compute the share of pairs of coders who gave a unit the same value.

    For two coders this is the share of units they agree on.  For more, it
    is the mean over units of the share of coder pairs that agree (pairs of
    coders who both rated the unit).  It is a proportion from 0 to 1, not
    corrected for chance: report it beside kappa or alpha, never instead.

    {parameters}

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
    columns = (unit_column, coder_column, value_column)
    return _coefficient(_percent, "percent agreement", table, columns, values, ci, n_boot, seed)


def _percent(ratings: Ratings, what: str) -> Measured:
    """Measure percent agreement: each pairable unit's share of agreeing coder pairs."""
    pairable, _ = _pairable(ratings, what)
    stat = formulas.percent_statistic
    return formulas.percent_features(pairable), stat, len(ratings.coder_labels)
