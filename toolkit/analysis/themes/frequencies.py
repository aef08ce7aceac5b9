"""How often each theme (or code) came up: frequency, prevalence by interview, the codings counted.

Examples
--------
>>> import toolkit as tk
>>> table = tk.theme_frequency(tk.sample_project(), unit="interviews")
>>> table.attrs["unit"], table["label"].iloc[0].startswith("in ")
('interviews', True)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from toolkit.analysis.themes.counting import (
    count_label,
    counted_units,
    finish,
    in_codebook_order,
    theme_colours,
)
from toolkit.analysis.themes.groups import participant_groups
from toolkit.analysis.themes.options import NOT_RECORDED, PARAMETERS, of_name, unit_name
from toolkit.analysis.themes.prepare import PreparedThemes, as_prepared
from toolkit.analysis.themes.quotes import best_quote, with_quotes
from toolkit.docstrings import documented
from toolkit.renamed import renamed_keywords

__all__ = ["frequency_table", "select_codings", "theme_frequency", "theme_prevalence"]


@renamed_keywords(level="of")
@documented(
    PARAMETERS,
    participants="""
        {participants}
        In people, the total is the people who took part
        (:func:`toolkit.model.people.people_taking_part`).
    """,
)
def theme_frequency(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    unit: str = "participants",
    of: str = "theme",
    coder: Any = None,
    interviewers: Any = None,
    participants: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count how often each theme (or code) was mentioned, in a stated unit.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        ``<of>, [theme,] count, total, percent, unit, label, color, quote,
        quote_by``, most mentioned first; ``label`` reads "mentioned by 9 of 16
        people", ``color`` is the theme's colour in the codebook ("" where it
        gives none) and ``quote`` a short example (for a chart's tooltip).
        ``attrs`` hold ``unit``, ``total``, ``level`` (what was counted),
        ``coder`` and ``interviewers``.

    Raises
    ------
    CodingError
        If the codings are empty, name codes not in the codebook, or point
        at segments that do not exist.

    Examples
    --------
    >>> import toolkit as tk
    >>> table = tk.theme_frequency(tk.sample_project(), unit="participants")
    >>> table.attrs["unit"], table["unit"].iloc[0]
    ('participants', 'participants')
    """
    unit, of = unit_name(unit), of_name(of)
    data = as_prepared(
        codings, segments, codebook, participants, coder=coder, interviewers=interviewers
    )
    # Worked out once per prepared data (a report asks for the codes' table twice).
    key = ("frequency", unit, of)
    if key not in data.derived:
        coded, universe = counted_units(data, unit, of)
        total = int(universe["_unit"].nunique())
        quotes = best_quote(data, [of])
        data.derived[key] = frequency_table(data, of, unit, coded.groupby(of).size(), total, quotes)
    return data.derived[key].copy()


def frequency_table(
    data: PreparedThemes,
    of: str,
    unit: str,
    counts: pd.Series,
    total: int,
    quotes: pd.DataFrame,
) -> pd.DataFrame:
    """Return the frequency table from the counts: one row per theme (or code), most first.

    `counts` holds each theme's count by name, `total` the units there are
    and `quotes` one quote per theme (``<of>, quote, quote_by``).  Shared by
    :func:`theme_frequency` and the Dask tables, which sum the counts first.
    """
    table = pd.DataFrame({of: in_codebook_order(data.book, of)})
    if of == "code":
        table["theme"] = table["code"].map(
            dict(zip(data.book["code"], data.book["theme"], strict=True))
        )
    table["count"] = table[of].map(counts).fillna(0).astype(int)
    table["total"] = total
    table["percent"] = (100 * table["count"] / total).round(1) if total else 0.0
    table["unit"] = unit
    table["label"] = [count_label(n, total, unit) for n in table["count"]]
    table["color"] = table["theme" if of == "code" else of].map(theme_colours(data.book))
    table = with_quotes(table, quotes, [of])
    table["_o"] = range(len(table))
    table = table.sort_values(["count", "_o"], ascending=[False, True], kind="stable")
    table = table.drop(columns="_o").reset_index(drop=True)
    return finish(table, data, unit=unit, total=total, level=of)


@renamed_keywords(level="of")
@documented(
    PARAMETERS,
    participants="""
        {participants}
        Here it labels each interview with its group.
    """,
    group="A participants column to add beside each interview (for sorting).",
    quoted="""
        Quote the interviews that mention the most themes, up to this many
        (the ones a matrix chart can show); the rest get an empty quote, so
        a large consultation does not wait for hundreds of thousands.
    """,
)
def theme_prevalence(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    participants: pd.DataFrame | None = None,
    *,
    of: str = "theme",
    group: str | None = None,
    coder: Any = None,
    quoted: int = 500,
) -> pd.DataFrame:
    """Show which interviews mention which themes: a table for a matrix view.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        One row per interview and theme (every pair, so absences show):
        ``interview_id, <of>, segments, present, [group,] quote``.
        ``segments`` is how many of the interview's segments were coded
        with the theme.  ``table.pivot(index="interview_id", columns="theme",
        values="segments")`` gives the wide matrix.

    Examples
    --------
    >>> import toolkit as tk
    >>> matrix = tk.theme_prevalence(tk.sample_project())
    >>> bool(matrix["present"].any())
    True
    """
    of = of_name(of)
    data = as_prepared(codings, segments, codebook, participants, coder=coder)
    groups = participant_groups(data.participants, group) if group else None
    coded, universe = counted_units(data, "segments", of)
    counts = coded.groupby(["interview_id", of]).size()
    interviews = list(dict.fromkeys(universe["interview_id"]))
    names = in_codebook_order(data.book, of)
    grid = pd.MultiIndex.from_product([interviews, names], names=["interview_id", of])
    table = counts.reindex(grid, fill_value=0).rename("segments").reset_index()
    table["present"] = table["segments"] > 0
    if groups is not None:
        table["group"] = table["interview_id"].map(groups).fillna(NOT_RECORDED)
    breadth = coded.groupby("interview_id")[of].nunique()
    chosen = breadth.sort_values(ascending=False, kind="stable").head(quoted).index
    subset = replace(data, coded=data.coded[data.coded["interview_id"].isin(chosen)])
    quotes = best_quote(subset, ["interview_id", of], max_chars=140)
    table = table.merge(quotes.drop(columns="quote_by"), on=["interview_id", of], how="left")
    table["quote"] = table["quote"].fillna("")
    return finish(table, data, unit="segments", level=of, group=group)


@documented(PARAMETERS)
def select_codings(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    coder: Any = None,
) -> pd.DataFrame:
    """Return the codings a theme table would count, checked and joined to speakers.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        ``interview_id, segment_id, speaker, code, theme, coder, method,
        start, end``; ``attrs["coder"]`` says in words what was chosen.

    Raises
    ------
    CodingError
        If the table is empty, names codes the codebook does not have, or
        there are no codings by the coder asked for.

    Examples
    --------
    >>> import toolkit as tk
    >>> chosen = tk.select_codings(tk.sample_project(), coder="humans")
    >>> chosen.attrs["coder"].startswith("all human coders")
    True
    """
    data = as_prepared(codings, segments, codebook, coder=coder)
    columns = [
        "interview_id",
        "segment_id",
        "speaker",
        "code",
        "theme",
        "coder",
        "method",
        "start",
        "end",
    ]
    table = data.coded[columns].reset_index(drop=True)
    return finish(table, data)
