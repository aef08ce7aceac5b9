"""Counting units in prepared codings, and finishing a theme table with its notes.

The theme functions share these steps: turn each coding into the unit it
counts (its segment, its interview, or the person who spoke), order themes
as the codebook does, work out percentages, and note on the finished table
what was counted and how (``table.attrs``, which the charts read).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.options import UNITS
from toolkit.analysis.themes.prepare import PreparedThemes

__all__ = [
    "count_label",
    "counted_units",
    "finish",
    "in_codebook_order",
    "percent",
    "theme_colours",
    "unit_keys",
]


def unit_keys(table: pd.DataFrame, unit: str) -> pd.Series:
    """Return an integer key per row: its segment, its interview, or the person who spoke."""
    if unit == "interviews":
        return table["_iid"]
    if unit == "segments":
        return table["_row"]
    return table["_pid"]


def counted_units(data: PreparedThemes, unit: str, of: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the coded units (``_unit, interview_id, <of>``) and every unit there is.

    Interviewers' turns are not counted (unless they were kept).  In people,
    every unit there is means every person who took part
    (``data.people``), so "of 16 people" is the same 16 everywhere.
    """
    coded = data.coded[data.coded["counted"]]
    if unit == "participants":
        coded = coded[coded["person"]]
        universe = pd.DataFrame(
            {
                "_unit": np.arange(len(data.people), dtype=np.int64),
                "interview_id": data.people["interview_id"].astype(str).to_numpy(object),
            }
        )
    else:
        universe = data.segments[data.segments["counted"]]
        universe = universe.assign(_unit=unit_keys(universe, unit)).drop_duplicates("_unit")
    coded = coded.assign(_unit=unit_keys(coded, unit))
    columns = ["_unit", "interview_id", of] + (["theme"] if of == "code" else [])
    return coded[columns].drop_duplicates(["_unit", of]), universe[["_unit", "interview_id"]]


def count_label(count: int, total: int, unit: str) -> str:
    """Return "mentioned by 9 of 16 people" (or "in 3 of 5 interviews")."""
    noun = UNITS[unit]
    verb = {"participants": "mentioned by", "interviews": "in", "segments": "in"}[unit]
    return f"{verb} {count} of {total} {noun}"


def finish(table: pd.DataFrame, data: PreparedThemes, **more: Any) -> pd.DataFrame:
    """Give a result table its notes, and pandas' usual text type in its text columns."""
    for column in table.columns:
        values = table[column]
        if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
            table[column] = table[column].astype("str")
    table.attrs.update(
        {
            "coder": data.coder,
            "interviewers": list(data.interviewers),
            "interviewers_note": data.who.describe(data.show_names),
            "people": len(data.people),
            "pseudonymised": data.pseudonymised,
            **more,
        }
    )
    return table


def in_codebook_order(book: pd.DataFrame, of: str) -> list[str]:
    """Return the codes (or themes) in the order the codebook first names them."""
    return list(dict.fromkeys(book[of]))


def percent(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Return ``100 * part / whole`` to one decimal place, 0 where ``whole`` is 0."""
    whole = pd.Series(whole, index=part.index).astype(float)
    return (100 * part / whole.where(whole > 0)).fillna(0.0).round(1)


def theme_colours(book: pd.DataFrame) -> dict[str, str]:
    """Return each theme's colour as the codebook gives it: its first code's colour, or "".

    Themes the codebook gives no colour get ``""``: the charts choose those
    (see :mod:`toolkit.present.colours`), so analysis never picks a colour.
    """
    given = book[book["color"] != ""].drop_duplicates("theme")
    colours = dict.fromkeys(book["theme"], "")
    colours.update(zip(given["theme"], given["color"], strict=True))
    return colours
