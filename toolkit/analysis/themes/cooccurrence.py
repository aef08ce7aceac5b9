"""Which codes (or themes) are applied together: pairs, counts and Jaccard similarity.

Examples
--------
>>> import toolkit as tk
>>> pairs = tk.cooccurrence(tk.sample_project(), of="theme")
>>> list(pairs.columns[:2])
['theme_a', 'theme_b']
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from toolkit.analysis.themes.counting import finish, in_codebook_order
from toolkit.analysis.themes.options import PARAMETERS, of_name
from toolkit.analysis.themes.prepare import PreparedThemes, as_prepared
from toolkit.analysis.themes.quotes import quote_names, quote_sources, quote_texts
from toolkit.docstrings import documented
from toolkit.errors import ToolkitError
from toolkit.renamed import renamed_keywords

__all__ = ["cooccurrence"]


@renamed_keywords(level="of")
@documented(
    PARAMETERS,
    within="""
        ``"segment"``: two codes co-occur when both are applied to the same
        segment; ``jaccard`` is segments with both / segments with either.
        ``"overlap"``: two codes co-occur when their coded spans overlap;
        each code's spans in an interview are first merged into passages,
        ``both`` counts overlapping pairs of passages and ``jaccard`` is the
        characters coded with both / characters coded with either.
    """,
)
def cooccurrence(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    of: str = "code",
    within: str = "segment",
    coder: Any = None,
) -> pd.DataFrame:
    """Count pairs of codes (or themes) applied together, with Jaccard similarity.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        One row per pair that co-occurs (``<of>_a`` before ``<of>_b``
        in codebook order): ``<of>_a, <of>_b, both, count_a, count_b,
        jaccard, unit, quote, quote_by``, most frequent first; ``unit`` is
        ``"segments"`` or ``"passages"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> pairs = tk.cooccurrence(tk.sample_project())
    >>> list(pairs.columns[:6])
    ['code_a', 'code_b', 'both', 'count_a', 'count_b', 'jaccard']
    """
    of = of_name(of)
    if within not in ("segment", "overlap"):
        raise ToolkitError(
            f"expected within='segment' or within='overlap', but found {within!r}",
            hint="'segment' counts codes on the same turn; 'overlap' counts overlapping spans",
        )
    data = as_prepared(codings, segments, codebook, coder=coder)
    # Interviewers' turns are not counted (unless they were kept).
    data = replace(data, coded=data.coded[data.coded["counted"]])
    a, b = f"{of}_a", f"{of}_b"
    order = {name: i for i, name in enumerate(in_codebook_order(data.book, of))}
    if within == "segment":
        units = data.coded[["_row", "_rank", of]].drop_duplicates(["_row", of])
        units["_o"] = units[of].map(order)
        counts = units.groupby(of).size()
        pairs = units.merge(units, on=["_row", "_rank"], suffixes=("_a", "_b"))
        pairs = pairs[pairs["_o_a"] < pairs["_o_b"]].sort_values("_rank", kind="stable")
        table = pairs.groupby([a, b], as_index=False).agg(
            both=("_row", "size"), _row=("_row", "first")
        )
        table["count_a"] = table[a].map(counts).astype(int)
        table["count_b"] = table[b].map(counts).astype(int)
        table["jaccard"] = table["both"] / (table["count_a"] + table["count_b"] - table["both"])
        unit_name = "segments"
    else:
        table = _overlaps(data, of, order)
        unit_name = "passages"
    if table.empty:
        table = pd.DataFrame(columns=[a, b, "both", "count_a", "count_b", "jaccard"])
        table["quote"], table["quote_by"] = [], []
    else:
        table = _pair_quotes(data, table)
    table["jaccard"] = table["jaccard"].astype(float).round(3)
    table["_o"] = table[a].map(order) * 10_000 + table[b].map(order)
    table = table.sort_values(["both", "jaccard", "_o"], ascending=[False, False, True])
    table["unit"] = unit_name
    columns = [a, b, "both", "count_a", "count_b", "jaccard", "unit", "quote", "quote_by"]
    table = table[columns].reset_index(drop=True)
    measure = "segments" if within == "segment" else "characters"
    return finish(table, data, unit=unit_name, level=of, within=within, measure=measure)


def _pair_quotes(data: PreparedThemes, table: pd.DataFrame) -> pd.DataFrame:
    """Quote the segment where each pair first comes together."""
    rows = table["_row"].to_numpy()
    picked = pd.DataFrame(
        {
            "_row": rows,
            "span_start": data.segments["start"].to_numpy()[rows],
            "span_end": data.segments["end"].to_numpy()[rows],
        },
        index=table.index,
    ).fillna(0)
    picked = picked.astype({"span_start": "int64", "span_end": "int64"})
    table = table.copy()
    table["quote"] = quote_texts(data, picked, 160, quote_names(data))
    table["quote_by"] = quote_sources(data, picked)["by"]
    return table


def _overlaps(data: PreparedThemes, of: str, order: dict[str, int]) -> pd.DataFrame:
    a, b = f"{of}_a", f"{of}_b"
    spans = data.coded[["_iid", "_row", of, "span_start", "span_end"]]
    spans = spans.sort_values(["_iid", of, "span_start"], kind="stable")
    # Merge each code's spans into passages: a passage starts where a span
    # begins after every earlier span of the same code has ended.
    reach = spans.groupby(["_iid", of])["span_end"].cummax()
    previous = reach.groupby([spans["_iid"], spans[of]]).shift()
    starts = previous.isna() | (spans["span_start"] > previous)
    spans = spans.assign(_p=starts.cumsum())
    passages = (
        spans.groupby("_p", as_index=False)
        .agg(
            _iid=("_iid", "first"),
            _row=("_row", "first"),
            code=(of, "first"),
            start=("span_start", "min"),
            end=("span_end", "max"),
        )
        .rename(columns={"code": of})
    )
    passages["_o"] = passages[of].map(order)
    counts = passages.groupby(of).size()
    chars = (passages["end"] - passages["start"]).groupby(passages[of]).sum()
    pairs = passages.merge(passages, on="_iid", suffixes=("_a", "_b"))
    pairs = pairs[
        (pairs["_o_a"] < pairs["_o_b"])
        & (pairs["start_a"] < pairs["end_b"])
        & (pairs["start_b"] < pairs["end_a"])
    ]
    if pairs.empty:
        return pd.DataFrame(columns=[a, b, "both", "count_a", "count_b", "jaccard"])
    pairs = pairs.assign(
        _shared=np.minimum(pairs["end_a"], pairs["end_b"])
        - np.maximum(pairs["start_a"], pairs["start_b"])
    )
    table = pairs.groupby([a, b], as_index=False).agg(
        both=("_shared", "size"),
        shared=("_shared", "sum"),
        _row=("_row_a", "first"),
    )
    table["count_a"] = table[a].map(counts).astype(int)
    table["count_b"] = table[b].map(counts).astype(int)
    union = table[a].map(chars) + table[b].map(chars) - table["shared"]
    table["jaccard"] = table["shared"] / union
    return table.drop(columns="shared")
