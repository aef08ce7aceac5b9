"""Names a reader sees: code labels in place of identifiers, and long charts cut to their top.

A codebook names its codes with identifiers such as ``peak_experience``;
a report shows them as labels ("Peak experience"), the same in every
section, chart and table.  A chart of more than :data:`TOP_BARS` themes or
codes shows the most mentioned and groups the rest in one bar.

Examples
--------
>>> code_label("peak_experience"), code_label("GP access"), code_label("  ")
('Peak experience', 'GP access', '')
>>> import pandas as pd
>>> table = pd.DataFrame({"code": ["being_known", "waiting"], "count": [3, 0]})
>>> labelled(table, "code")["code"].tolist()
['Being known', 'Waiting']
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from toolkit.analysis.themes.counting import count_label, counted_units
from toolkit.analysis.themes.options import UNITS
from toolkit.analysis.themes.prepare import PreparedThemes

__all__ = ["TOP_BARS", "code_label", "labelled", "mentioned", "with_others"]

#: Charts of themes or codes show at most this many bars, then one for the rest.
TOP_BARS = 15


def code_label(name: Any) -> str:
    """Return a code's or theme's name as a reader sees it.

    Underscores become spaces, and a name written all in small letters
    starts with a capital; names written with capitals are kept as they are.
    """
    text = re.sub(r"\s+", " ", str(name).replace("_", " ")).strip()
    if text and text == text.lower():
        text = text[0].upper() + text[1:]
    return text


def labelled(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Return a copy of ``table`` with the codes or themes in ``columns`` as labels."""
    table = table.copy()
    for column in columns:
        if column in table.columns:
            table[column] = [code_label(v) if isinstance(v, str) else v for v in table[column]]
    return table


def mentioned(table: pd.DataFrame) -> pd.DataFrame:
    """Return only the rows of a frequency table with a count above 0 (keeping its notes)."""
    kept = table[table["count"] > 0].reset_index(drop=True)
    kept.attrs = dict(table.attrs)
    return kept


def with_others(
    table: pd.DataFrame, prepared: PreparedThemes, *, top: int = TOP_BARS
) -> tuple[pd.DataFrame, list[str]]:
    """Cut a frequency table to its ``top`` rows and one row for all the others.

    The others' row counts the people (or interviews, or segments) who
    mentioned *any* of them, each once, so it is not the sum of their counts.

    Returns
    -------
    (table, others)
        The table to chart (the same columns, a row "N other themes" at the
        end), and the names grouped into that row (empty when none were).
    """
    level = table.attrs.get("level", "theme")
    table = mentioned(table)
    if len(table) <= top + 1:  # one extra bar is clearer than a bar of one "other"
        return table, []
    shown, rest = table.iloc[:top].copy(), table.iloc[top:]
    others = [str(v) for v in rest[level]]
    unit = table.attrs.get("unit", "participants")
    coded, _ = counted_units(prepared, unit, level)
    count = int(coded.loc[coded[level].isin(others), "_unit"].nunique())
    total = int(table.attrs.get("total", 0))
    kind = "themes" if level == "theme" else "codes"
    row = {column: "" for column in table.columns}
    row.update(
        {
            level: f"{len(others)} other {kind}",
            "count": count,
            "total": total,
            "percent": round(100 * count / total, 1) if total else 0.0,
            "unit": unit,
            "label": count_label(count, total, unit) if unit in UNITS else "",
            "color": "#7f7f7f",
        }
    )
    if level == "code":
        row["theme"] = "Other codes"
    out = pd.concat([shown, pd.DataFrame([row])], ignore_index=True)
    out.attrs = dict(table.attrs)
    return out, others
