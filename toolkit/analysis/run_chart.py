"""Run charts: the median and the run-chart rules, for learning from tests of change.

A run chart plots one measure in time order, with a line at the median.  Perla,
Provost and Murray (2011), "The run chart: a simple analytical tool for
learning from variation in healthcare processes", BMJ Quality & Safety 20(1):
46-51, give four rules that tell a signal of change apart from everyday ups and
downs.  :func:`run_chart_rules` applies them:

**Shift.**
    Six or more points in a row all above the median, or all below it.  A point
    exactly on the median neither counts nor breaks the run.
**Trend.**
    Five or more points in a row all going up, or all going down.  A point equal
    to the one before it neither counts nor breaks the trend.
**Too few or too many runs.**
    A run is one or more points in a row on the same side of the median (points
    on the median are left out).  The number of runs is compared with limits for
    the number of *useful observations*, the points not on the median.  The
    limits are worked out exactly from the distribution of the number of runs
    (Swed and Eisenhart 1943): see :func:`toolkit.analysis.run_limits.runs_limits`.
**Astronomical point.**
    One point clearly different from all the others.  The paper leaves this to
    judgement; the toolkit uses a documented *heuristic* (see
    :func:`run_chart_rules`), and says so wherever it reports one.

Examples
--------
>>> import pandas as pd
>>> weeks = pd.DataFrame({"week": range(1, 13),
...                       "calls": [5, 6, 4, 5, 6, 4, 9, 9, 10, 8, 9, 10]})
>>> result = run_chart_rules(weeks, date="week", value="calls")
>>> result.median, result.runs, result.limits
(7.0, 2, (3, 11))
>>> list(result.signals["rule"])
['shift', 'shift', 'too few runs']
"""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.analysis.run_limits import runs_limits
from toolkit.errors import ToolkitError
from toolkit.wording import did_you_mean, listing, plural

__all__ = [
    "ASTRONOMICAL",
    "MIN_POINTS",
    "SHIFT",
    "TREND",
    "RunChartResult",
    "date_words",
    "number_words",
    "run_chart_rules",
]

#: A shift is at least this many points in a row on one side of the median.
SHIFT = 6
#: A trend is at least this many points in a row all going up or all going down.
TREND = 5
#: The rules need at least this many points (and the runs rule this many useful ones).
MIN_POINTS = 10
#: How many median moving ranges away a point must be to count as astronomical.
ASTRONOMICAL = 3.14

#: The signals, in the order the signals table lists them.
RULES = ["shift", "trend", "too few runs", "too many runs", "astronomical point"]
#: The columns of :attr:`RunChartResult.points`.
POINT_COLUMNS = [
    "date",
    "value",
    "median",
    "side",
    "run",
    "shift",
    "trend",
    "astronomical",
    "signal",
]
#: The columns of :attr:`RunChartResult.signals`.
SIGNAL_COLUMNS = ["rule", "first", "last", "points", "direction", "text"]


@dataclass(frozen=True)
class RunChartResult:
    """What the run-chart rules found in one measure.

    Attributes
    ----------
    points
        One row per point, in time order: ``date, value, median, side`` (above,
        below or on the median), ``run`` (the run it belongs to, counted from 1;
        blank on the median), one true/false column per point signal
        (``shift, trend, astronomical``) and ``signal``, the names of the
        signals the point is part of ("shift; trend", or blank).
    signals
        One row per signal found: ``rule`` (shift, trend, too few runs, too
        many runs, astronomical point), the ``first`` and ``last`` dates it
        covers, the number of ``points`` that count towards it, its
        ``direction`` (above, below, up, down, high or low; blank for runs) and
        a plain-English ``text``.
    median
        The median the points are judged against.
    useful
        The useful observations: points not on the median.
    runs
        The number of runs.
    limits
        The fewest and the most runs that are usual for ``useful`` points
        (:func:`toolkit.runs_limits`), or None when there are too few to judge.
    baseline
        How many of the first points the median was taken from (None: all).
    notes
        Things a reader should know, such as a rule that could not be applied.
    """

    points: pd.DataFrame
    signals: pd.DataFrame
    median: float
    useful: int
    runs: int
    limits: tuple[int, int] | None
    baseline: int | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return the signals found, in plain English (one sentence per signal)."""
        if self.signals.empty:
            text = "No signals: the ups and downs look like everyday variation."
        else:
            text = " ".join(self.signals["text"])
        return " ".join([text, *self.notes])


def run_chart_rules(
    table: pd.DataFrame,
    *,
    date: str,
    value: str,
    baseline: int | None = None,
    astronomical: float | None = ASTRONOMICAL,
) -> RunChartResult:
    """Apply the run-chart rules to one measure over time.

    Parameters
    ----------
    table
        One row per point in time, with a ``date`` and a ``value`` column.
        Dates may be dates, numbers (such as week numbers) or labels; dates and
        numbers are put in order, labels are taken in the order given.
    date, value
        The names of the columns holding when and how much.
    baseline
        Take the median of the first ``baseline`` points only, and judge every
        point against it: the usual way to see whether a change moved a measure
        away from where it was before.  By default, the median of all points.
    astronomical
        How far from the rest a point must be to count as astronomical, in
        median moving ranges (default 3.14; None to leave the rule out).

    Returns
    -------
    RunChartResult
        The points with their signals, one row per signal, and the median, runs
        and limits (see :class:`RunChartResult`).

    Raises
    ------
    ToolkitError
        When a column is missing, a value is blank or not a number (naming the
        row), a date is blank or repeated, or there are fewer than 10 points.

    Notes
    -----
    The shift, trend and runs rules are those of Perla, Provost and Murray
    (2011).  The paper leaves the astronomical point to judgement ("a point any
    observer would agree is unusual"); the toolkit's **heuristic** flags a point
    when it is more than ``astronomical`` median moving ranges both from the
    median and from every other point.  3.14 median moving ranges is about
    three standard deviations (the individuals chart's limits, Provost and
    Murray 2011), and asking for distance from every other point means a single
    point stands out, not a new level reached by several.  When the median
    moving range is 0, the mean moving range times 2.66 is used instead.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.DataFrame({"day": pd.date_range("2026-01-05", periods=10),
    ...                      "waits": [3, 4, 3, 5, 4, 3, 4, 30, 4, 3]})
    >>> result = run_chart_rules(days, date="day", value="waits")
    >>> result.signals[["rule", "first", "direction"]].values.tolist()
    [['astronomical point', Timestamp('2026-01-12 00:00:00'), 'high']]
    """
    points = _read_points(table, date, value)
    n = len(points)
    if baseline is not None and (
        isinstance(baseline, bool) or not isinstance(baseline, int) or not 1 <= baseline <= n
    ):
        raise ToolkitError(
            f"expected baseline to be a whole number of points from 1 to {n}, "
            f"but found {baseline!r}",
            hint="give how many of the first points make the baseline, or leave it out",
        )
    values = list(points["value"])
    median = float(pd.Series(values[:baseline] if baseline else values).median())
    sides = [_side(v, median) for v in values]
    notes = []
    if baseline:
        notes.append(f"The median is that of the first {plural(baseline, 'point')} only.")

    dates = list(points["date"])
    marks = {column: [False] * n for column in ("shift", "trend", "astronomical")}
    records: list[dict[str, Any]] = []

    def found(rule: str, members: list[int], direction: str, text: str) -> None:
        column = rule.split()[0]
        for i in members if column in marks else []:
            marks[column][i] = True
        first, last = dates[members[0]], dates[members[-1]]
        when = {"first": date_words(first, date), "last": date_words(last, date)}
        text = text.format(n=len(members), **when)
        records.append(
            {
                "rule": rule,
                "first": first,
                "last": last,
                "points": len(members),
                "direction": direction,
                "text": text,
            }
        )

    useful = [i for i, s in enumerate(sides) if s != "on the median"]
    run_of: list[Any] = [pd.NA] * n
    runs = 0
    for k, i in enumerate(useful):
        runs += k == 0 or sides[i] != sides[useful[k - 1]]
        run_of[i] = runs
    for members in _groups(useful, lambda i: run_of[i]):
        if len(members) >= SHIFT:
            side = sides[members[0]]
            found(
                "shift",
                members,
                side,
                f"A shift: {{n}} points in a row {side} the median, from {{first}} to {{last}}.",
            )
    for members, direction in _trends(values):
        found(
            "trend",
            members,
            direction,
            f"A trend: {{n}} points in a row going {direction}, from {{first}} to {{last}}.",
        )

    limits = None
    if len(useful) >= MIN_POINTS:
        limits = lower, upper = runs_limits(len(useful))
        if runs < lower:
            found(
                "too few runs",
                useful,
                "",
                f"Too few runs: {runs}, where {lower} to {upper} are usual for {{n}} points "
                "off the median; the points stay on one side for longer than chance would.",
            )
        elif runs > upper:
            found(
                "too many runs",
                useful,
                "",
                f"Too many runs: {runs}, where {lower} to {upper} are usual for {{n}} points "
                "off the median; the points swap sides more often than chance would.",
            )
    else:
        notes.append(
            f"The runs rule was not applied: it needs {MIN_POINTS} points off the "
            f"median, and there are {len(useful)}."
        )
    for i in _astronomical(values, median, astronomical) if astronomical is not None else []:
        high = values[i] > median
        found(
            "astronomical point",
            [i],
            "high" if high else "low",
            f"An astronomical point ({{first}}): {number_words(values[i])} is far "
            f"{'above' if high else 'below'} all the others (the toolkit's rule of thumb; "
            "check what happened then).",
        )

    names = {"shift": "shift", "trend": "trend", "astronomical": "astronomical point"}
    out = pd.DataFrame(
        {
            "date": points["date"].to_numpy(),
            "value": pd.Series(values, dtype="float64").to_numpy(),
            "median": median,
            "side": sides,
            "run": pd.array(run_of, dtype="Int64"),
            **marks,
            "signal": ["; ".join(names[c] for c in marks if marks[c][i]) for i in range(n)],
        },
        columns=POINT_COLUMNS,
    )
    out.attrs = {"date": date, "value": value, **points.attrs}
    signals = pd.DataFrame.from_records(records, columns=SIGNAL_COLUMNS)
    signals["points"] = signals["points"].astype("int64")
    return RunChartResult(out, signals, median, len(useful), runs, limits, baseline, notes)


def _read_points(table: Any, date: str, value: str) -> pd.DataFrame:
    """The table's dates and values, checked, in time order."""
    if not isinstance(table, pd.DataFrame):
        raise ToolkitError(
            f"expected a table of points (a pandas DataFrame), but found {type(table).__name__}",
            hint="pass a DataFrame with one row per week (or day, or month)",
        )
    for role, column in (("date", date), ("value", value)):
        if column not in table.columns:
            raise ToolkitError(
                f"expected a {role} column '{column}', but the table has "
                f"{listing(map(repr, map(str, table.columns)), 12) or 'no columns'}"
                f"{did_you_mean(column, map(str, table.columns))}",
                hint=f"give {role}= the name of the column that holds the "
                + ("dates or week numbers" if role == "date" else "measure"),
            )
    if len(table) < MIN_POINTS:
        raise ToolkitError(
            f"expected at least {MIN_POINTS} points for the run-chart rules, "
            f"but found {len(table)}",
            hint="keep collecting: the rules need at least 10 weeks (or days, or months)",
        )
    numbers = []
    for row, cell in enumerate(table[value], start=1):
        number = _asnumber_words(cell)
        if number is None:
            blank = _blank(cell)
            raise ToolkitError(
                f"expected a number in column '{value}', but "
                + ("the cell is blank" if blank else f"found {cell!r}"),
                row=row,
                hint="fill in the number, or remove the row" if blank else "correct the value",
            )
        numbers.append(number)
    for row, cell in enumerate(table[date], start=1):
        if _blank(cell):
            raise ToolkitError(
                f"expected a date in column '{date}', but the cell is blank",
                row=row,
                hint="fill in when the value was measured, or remove the row",
            )
    dates, kind = _as_dates(table[date])
    points = pd.DataFrame({"date": dates, "value": numbers, "_row": range(1, len(table) + 1)})
    keys = points["date"].astype(str) if kind == "label" else points["date"]
    repeated = keys[keys.duplicated(keep=False)]
    if not repeated.empty:
        rows = list(points.loc[repeated.index, "_row"])
        when = date_words(repeated.iloc[0], date)
        raise ToolkitError(
            f"expected each date once in column '{date}', but {when} is in "
            f"rows {listing(map(str, rows), 4, sep=' and ')}",
            hint="add the values for that date together (or average them), or correct the date",
        )
    if kind != "label":
        points = points.sort_values("date", kind="stable").reset_index(drop=True)
    points.attrs = {"date_kind": kind}
    return points.drop(columns="_row")


def _blank(cell: Any) -> bool:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return True
    try:
        return bool(pd.isna(cell))
    except (TypeError, ValueError):
        return False


def _asnumber_words(cell: Any) -> float | None:
    if _blank(cell) or isinstance(cell, bool):
        return None
    try:
        number = float(cell)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _as_dates(column: pd.Series) -> tuple[pd.Series, str]:
    """Dates as datetimes ("date"), numbers ("number") or text labels ("label")."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.reset_index(drop=True), "date"
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.reset_index(drop=True), "number"
    text = column.astype(str).str.strip().reset_index(drop=True)
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.notna().all():
        return numbers, "number"
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    if parsed.notna().all():
        return parsed, "date"
    return text, "label"


def _side(value: float, median: float) -> str:
    if math.isclose(value, median, rel_tol=1e-9, abs_tol=1e-12):
        return "on the median"
    return "above" if value > median else "below"


def _groups(indices: list[int], key: Any) -> list[list[int]]:
    """Split ``indices`` into groups of consecutive equal ``key(i)``."""
    groups: list[list[int]] = []
    for i in indices:
        if groups and key(groups[-1][-1]) == key(i):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _trends(values: list[float]) -> list[tuple[list[int], str]]:
    """Each stretch of TREND or more points all going up, or all going down."""
    # A point equal to the one before it neither counts nor breaks the trend.
    kept = [i for i in range(len(values)) if i == 0 or values[i] != values[i - 1]]
    steps = [values[b] > values[a] for a, b in itertools.pairwise(kept)]
    found = []
    for group in _groups(list(range(len(steps))), lambda k: steps[k]):
        members = kept[group[0] : group[-1] + 2]  # a stretch of k steps joins k + 1 points
        if len(members) >= TREND:
            found.append((members, "up" if steps[group[0]] else "down"))
    return found


def _astronomical(values: list[float], median: float, factor: float) -> list[int]:
    """The points the toolkit's heuristic calls astronomical (see run_chart_rules)."""
    ranges = pd.Series(values).diff().abs().dropna()
    spread = float(ranges.median()) * factor
    if spread == 0:
        spread = float(ranges.mean()) * 2.66 * factor / ASTRONOMICAL
    if spread == 0:
        return []
    found = []
    for i, x in enumerate(values):
        others = values[:i] + values[i + 1 :]
        if abs(x - median) > spread and min(abs(x - o) for o in others) > spread:
            found.append(i)
    return found


def _signal(rule: str, dates: list, members: list[int], direction: str, text: str) -> dict:
    return {
        "rule": rule,
        "first": dates[members[0]],
        "last": dates[members[-1]],
        "points": len(members),
        "direction": direction,
        "text": text,
    }


def date_words(date: Any, column: str = "") -> str:
    """Return a date as a reader would write it: "5 January 2026", "week 3" or the label.

    A number is named by its ``column`` ("week 3" for the column ``week``).

    Examples
    --------
    >>> date_words(pd.Timestamp("2026-01-05")), date_words(3, "week"), date_words("Spring")
    ('5 January 2026', 'week 3', 'Spring')
    """
    if isinstance(date, pd.Timestamp):
        return f"{date.day} {date:%B %Y}"
    if isinstance(date, numbers.Real) and not isinstance(date, bool):
        return f"{column.replace('_', ' ')} {number_words(date)}".strip()
    return str(date)


def number_words(value: float) -> str:
    """Return a value as a reader would write it: ``62``, ``62.5``, ``1234.57``.

    Examples
    --------
    >>> number_words(62.0), number_words(2 / 3), number_words(1234.5)
    ('62', '0.67', '1234.5')
    """
    return f"{value:.2f}".rstrip("0").rstrip(".")
