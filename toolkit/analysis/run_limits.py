"""The number of runs to expect on a run chart: the exact limits behind the runs rule.

A run is one or more points in a row on the same side of the median.  When the
points are in random order, the number of runs follows the distribution worked
out by Swed and Eisenhart (1943), "Tables for testing randomness of grouping in
a sequence of alternatives", Annals of Mathematical Statistics 14(1): 66-87.
:func:`runs_distribution` gives it exactly, and :func:`runs_limits` the limits
that Perla, Provost and Murray (2011) tabulate for run charts.

Examples
--------
>>> runs_limits(20)
(6, 16)
"""

from __future__ import annotations

import functools
from fractions import Fraction
from math import comb

from toolkit.errors import ToolkitError

__all__ = ["RUNS_LEVEL", "runs_distribution", "runs_limits"]

#: The chance, in each direction, that points in random order fall outside the limits.
RUNS_LEVEL = 0.05


@functools.cache
def runs_distribution(above: int, below: int) -> dict[int, Fraction]:
    """Return the exact chance of each number of runs, for points in random order.

    With ``above`` points on one side of the median and ``below`` on the other,
    in random order, this is the distribution of the number of runs of Swed and
    Eisenhart (1943), as exact fractions.

    Examples
    --------
    >>> chances = runs_distribution(5, 5)
    >>> chances[2], sum(chances.values())
    (Fraction(1, 126), Fraction(1, 1))
    """
    if above < 0 or below < 0:
        raise ValueError("expected counts of points of zero or more")
    if above == 0 or below == 0:
        return {1: Fraction(1)} if above + below else {}
    total = comb(above + below, above)
    chances: dict[int, Fraction] = {}
    for runs in range(2, above + below + 1):
        k = runs // 2
        if runs % 2 == 0:  # k runs on each side
            ways = 2 * comb(above - 1, k - 1) * comb(below - 1, k - 1)
        else:  # k + 1 runs on one side, k on the other
            ways = comb(above - 1, k) * comb(below - 1, k - 1) + comb(above - 1, k - 1) * comb(
                below - 1, k
            )
        if ways:
            chances[runs] = Fraction(ways, total)
    return chances


@functools.cache
def runs_limits(useful: int, level: float = RUNS_LEVEL) -> tuple[int, int]:
    """Return the limits for the number of runs: fewer is "too few", more is "too many".

    The limits are those of Perla, Provost and Murray's (2011) table 1, worked
    out exactly: with ``useful`` points off the median, split as evenly as they
    can be (half above and half below, the extra one above when ``useful`` is
    odd), the lower limit is the largest number of runs ``r`` with a chance of
    ``r`` or fewer runs of at most ``level`` (5%), and the upper limit the
    smallest ``r`` with a chance of ``r`` or more of at most ``level``.  These
    are the critical values of Swed and Eisenhart (1943).  As the paper's table
    is used, a chart has too few runs when it has *fewer* runs than the lower
    limit, and too many when it has *more* than the upper limit.

    For 10, 20 and 30 useful observations this gives the published 3 to 9,
    6 to 16 and 11 to 21.  For some odd numbers the published table (as it is
    reproduced in run-chart training material) differs by one, either way
    (15 gives 4 to 13 here where the table has 5 to 12; 25 gives 9 to 18 where
    it has 8 to 18): no single split or level reproduces those rows, so the
    toolkit keeps to the exact rule.

    Examples
    --------
    >>> runs_limits(10), runs_limits(20), runs_limits(30)
    ((3, 9), (6, 16), (11, 21))
    """
    if useful < 2:
        raise ToolkitError(
            f"expected at least 2 points off the median to count runs, but found {useful}",
            hint="collect more points before judging the number of runs",
        )
    below = useful // 2
    chances = runs_distribution(useful - below, below)
    low = Fraction(0)
    lower = min(chances)
    for runs in sorted(chances):
        low += chances[runs]
        if low > level:
            break
        lower = runs
    high = Fraction(0)
    upper = max(chances)
    for runs in sorted(chances, reverse=True):
        high += chances[runs]
        if high > level:
            break
        upper = runs
    return lower, upper
