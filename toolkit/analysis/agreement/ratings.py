"""A long ratings table (one row per unit, coder and value), checked and turned into arrays.

The coefficients all start here: :func:`read_ratings` checks the table (two
coders or more, one rating per coder per unit, values of the right kind) and
numbers the units, coders and values, so the formulas work on integer arrays.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"unit": [1, 1, 2, 2], "coder": ["sam", "nadia"] * 2,
...                       "value": ["yes", "yes", "no", "yes"]})
>>> ratings = read_ratings(table, "unit", "coder", "value", what="an example")
>>> ratings.categories
['no', 'yes']
>>> ratings.counts().tolist()
[[0, 2], [1, 1]]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.errors import AgreementError
from toolkit.tables import require_table
from toolkit.wording import did_you_mean, plain

__all__ = ["Ratings", "read_ratings", "row_name"]


@dataclass
class Ratings:
    """Ratings as integer arrays: which unit, which coder and which value, per rating."""

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


def row_name(table: pd.DataFrame, position: int) -> str:
    """Name the row at ``position`` for a message: its file row if known, else its index."""
    rows = table.attrs.get("rows")
    if rows and position < len(rows):
        return f"row {rows[position]}"
    return f"the row with index {plain(table.index[position])!r}"


def _missing(series: pd.Series) -> np.ndarray:
    missing = series.isna().to_numpy()
    if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        text = series.astype(str).str.strip()
        missing = missing | (text == "").to_numpy()
    return missing


def read_ratings(
    table: pd.DataFrame,
    unit_column: str,
    coder_column: str,
    value_column: str,
    *,
    values: Iterable | None = None,
    numeric: bool = False,
    what: str,
) -> Ratings:
    """Check a long ratings table and turn it into integer arrays.

    ``numeric`` asks for numbers (the interval and ratio levels); ``what``
    names the coefficient in messages.  Raises :class:`AgreementError` for a
    missing column, a blank unit or coder, fewer than two coders, a coder who
    rated a unit twice, or a value that is not a number (when ``numeric``) or
    not among ``values``.
    """
    unit, coder, value = unit_column, coder_column, value_column
    require_table(
        table,
        (unit, coder, value),
        "ratings",
        hint="name the columns with unit_column=, coder_column= and value_column=",
        source="build one with pd.DataFrame({'unit': ..., 'coder': ..., 'value': ...})",
        error=AgreementError,
        suggest=True,
    )
    keep = ~_missing(table[value])
    for column in (unit, coder):
        blank = _missing(table[column]) & keep
        if blank.any():
            raise AgreementError(
                f"expected a {column} in every rating, but {row_name(table, int(blank.argmax()))} "
                "has none",
                hint=f"fill in the {column} or delete the row",
            )
    positions = np.flatnonzero(keep)
    data = table.iloc[positions]
    unit_index, unit_labels = pd.factorize(data[unit])
    coder_index, coder_labels = pd.factorize(data[coder])
    if len(coder_labels) < 2:
        found = f"only {plain(coder_labels[0])!r}" if len(coder_labels) else "none"
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
            f"{plain(coder_labels[coder_index[first]])!r} rated unit "
            f"{plain(unit_labels[unit_index[first]])!r} "
            f"twice ({row_name(table, positions[first])} and "
            f"{row_name(table, positions[second])})",
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
                f"{row_name(table, position)} has {plain(raw.iloc[int(bad.argmax())])!r}",
                hint="use level='nominal' (or 'ordinal' with values=) for categories that are "
                "not numbers",
            )
        raw = converted
    if values is not None:
        value_index, categories = _given_values(table, raw, positions, values, numeric)
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
    return Ratings(
        units=unit_index.astype(np.int64),
        coders=coder_index.astype(np.int64),
        values=np.asarray(value_index, dtype=np.int64),
        categories=categories,
        unit_labels=pd.Index(unit_labels),
        coder_labels=pd.Index(coder_labels),
    )


def _given_values(
    table: pd.DataFrame, raw: pd.Series, positions: np.ndarray, values: Iterable, numeric: bool
) -> tuple[np.ndarray, list]:
    """Number each rating by its place in ``values``; any other value is an error."""
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
        found = plain(raw.iloc[int(outside.argmax())])
        raise AgreementError(
            f"expected values from {categories!r}, but {row_name(table, position)} has "
            f"{found!r}" + (did_you_mean(found, categories) if isinstance(found, str) else ""),
            hint="correct the value, or add it to values=",
        )
    if numeric:
        categories = list(lookup)
    return value_index, categories
