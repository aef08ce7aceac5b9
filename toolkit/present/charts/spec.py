"""A chart's Vega-Lite specification, with its tables turned into rows quickly.

Altair writes a chart's tables into its specification through a sanitiser
that copies each table and rebuilds it column by column, and pandas copies a
table's ``attrs`` with every step; for the toolkit's tables (which carry
notes and settings in ``attrs``) that is most of the time :meth:`to_dict`
takes.  :func:`json_records` writes the same rows straight from the columns,
and :func:`chart_dict` gives Altair those rows in place of its sanitiser, so
the specification is the same, dataset names included (they are hashes of
the rows).  A column of a kind the fast path does not know (times of day,
durations, nested objects ...) is left to Altair's own sanitiser.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"theme": ["Pride", None], "count": [3, 1], "share": [0.5, None]})
>>> json_records(table)
[{'theme': 'Pride', 'count': 3, 'share': 0.5}, {'theme': None, 'count': 1, 'share': None}]
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from altair.utils.core import sanitize_pandas_dataframe
from altair.utils.data import limit_rows

__all__ = ["chart_dict", "json_records"]


# Pandas' own extension types that Altair writes as objects, with None for missing values.
_NULLABLE = {"boolean", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"}
_NULLABLE |= {"Float32", "Float64"}


def _column_values(column: pd.Series) -> list | None:
    """Return one column as JSON-ready Python values, or None if it needs Altair's sanitiser."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return column.to_numpy().tolist()
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        numbers = column.to_numpy()
        values = numbers.tolist()
        for i in np.flatnonzero(~np.isfinite(numbers)).tolist():
            values[i] = None  # NaN and infinities are not JSON
        return values
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return ["" if pd.isna(v) else v.isoformat() for v in column.tolist()]
    known = isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)) or str(dtype) in _NULLABLE
    if not (known or (isinstance(dtype, np.dtype) and dtype.kind == "O")):
        return None
    missing = column.isna().to_numpy().tolist()
    return [
        None if gone else value.tolist() if isinstance(value, np.ndarray) else value
        for value, gone in zip(column.astype(object).tolist(), missing, strict=True)
    ]


def json_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a table's rows as JSON-ready dicts, the same rows Altair would embed.

    Text, categories and numbers are written directly (missing values and
    infinities as None, times as ISO text); other columns, and tables Altair
    would refuse, go through Altair's own sanitiser.
    """
    names = list(table.columns)
    fast = not isinstance(table.index, pd.MultiIndex) and not isinstance(
        table.columns, (pd.MultiIndex, pd.RangeIndex)
    )
    fast = fast and all(isinstance(name, str) for name in names) and len(set(names)) == len(names)
    columns = [_column_values(table.iloc[:, i]) for i in range(len(names))] if fast else [None]
    if any(values is None for values in columns):
        bare = table.copy(deep=False)
        bare.attrs = {}  # pandas would copy them at every step of the sanitiser
        return sanitize_pandas_dataframe(bare).to_dict(orient="records")
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _with_tables(chart: Any) -> list[Any]:
    """Return the chart and every chart inside it (layers, panels, a facet's spec) with a table."""
    found = [chart] if isinstance(getattr(chart, "data", None), pd.DataFrame) else []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in getattr(chart, key, None) or []:
            found += _with_tables(part)
    inner = getattr(chart, "spec", None)
    if inner is not None and not isinstance(inner, dict) and hasattr(inner, "to_dict"):
        found += _with_tables(inner)
    return found


def chart_dict(chart: Any, validate: bool = False) -> dict[str, Any]:
    """Return an Altair chart's Vega-Lite specification (a dict is returned as it is).

    The same as ``chart.to_dict(validate=validate)``, made quicker by
    :func:`json_records`: each table is written as rows once, and given to
    Altair as those rows for the moment it writes the specification (so
    Altair need not load its pandas adapter either).  ``validate=True``
    checks the result against the Vega-Lite schema, which takes longer than
    writing it.

    Raises
    ------
    altair.MaxRowsError
        For a table of more rows than Altair allows (5,000 unless changed
        with ``alt.data_transformers.enable("default", max_rows=...)``).
    """
    if isinstance(chart, dict):
        return chart
    if alt.data_transformers.active != "default":
        return chart.to_dict(validate=validate)  # the user chose another way: respect it
    max_rows = alt.data_transformers.options.get("max_rows", 5000)
    rows: dict[int, dict[str, Any]] = {}  # each table written once, however many layers share it
    swapped = []
    try:
        for part in _with_tables(chart):
            table = part.data
            if max_rows is not None and len(table) > max_rows:
                limit_rows(table, max_rows=max_rows)  # raises Altair's MaxRowsError
            if id(table) not in rows:
                rows[id(table)] = {"values": json_records(table)}
            swapped.append((part, table))
            part.data = rows[id(table)]
        return chart.to_dict(validate=validate)
    except (TypeError, ValueError):
        pass  # a field with no type: Altair infers it from the table itself, below
    finally:
        for part, table in swapped:
            part.data = table  # the chart is left as it was given
    return chart.to_dict(validate=validate)
