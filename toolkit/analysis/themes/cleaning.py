"""Clean the text and id columns the theme tables join and count on.

Codings arrive from coders' CSV files, spreadsheets and other tools, so the
same interview id may be ``"int01"`` in one table and ``" int01"`` in
another, and a segment number ``3`` or ``"3"``.  These helpers make them
alike once, fast, before anything is joined.

Examples
--------
>>> import pandas as pd
>>> clean_text(pd.Series([" Sam ", None, "Sam"])).tolist()
['Sam', '', 'Sam']
>>> clean_ids(pd.Series(["3", "4", None])).tolist()
[3, 4, <NA>]
"""

from __future__ import annotations

import pandas as pd

from toolkit.model.naming import text_column

__all__ = ["clean_ids", "clean_text"]


def clean_ids(series: pd.Series) -> pd.Series:
    """Return ids as integers where they all are whole numbers, else as text."""
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("Int64")
    numbers = pd.to_numeric(series, errors="coerce")
    blank = series.isna() | (clean_text(series) == "")
    if numbers[~blank].notna().all() and (numbers[~blank] % 1 == 0).all():
        return numbers.astype("Int64")
    return clean_text(series).astype("string")


def clean_text(series: pd.Series, *, lower: bool = False) -> pd.Series:
    """Return a column as stripped text ("" for missing), keeping its index; see
    :func:`toolkit.model.naming.text_column`."""
    return text_column(series, series.index, lower=lower)
