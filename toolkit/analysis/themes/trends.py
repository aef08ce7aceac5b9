"""Change over time: themes per session or period, and dot votes per session.

Examples
--------
>>> import toolkit as tk
>>> trend = tk.theme_trend(tk.sample_project(), when="consent_date")
>>> trend.attrs["period"] in {"day", "week", "month"}
True
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from toolkit.analysis.themes.counting import (
    counted_units,
    finish,
    in_codebook_order,
    percent,
    theme_colours,
    unit_keys,
)
from toolkit.analysis.themes.options import NOT_RECORDED, PARAMETERS, of_name, unit_name
from toolkit.analysis.themes.prepare import PreparedThemes, as_prepared
from toolkit.analysis.themes.quotes import best_quote, with_quotes
from toolkit.docstrings import documented
from toolkit.errors import EnergyError, ToolkitError
from toolkit.renamed import renamed_keywords
from toolkit.tables import require_table

__all__ = ["period_labels", "period_order", "theme_trend", "trend_table", "vote_trend"]


def period_labels(values: pd.Series, freq: str | None) -> tuple[pd.Series, str]:
    """Turn dates into period labels (or keep session names), and say which: ``"week"``...

    ``freq`` is ``"D"``, ``"W"``, ``"M"``, ``"Q"`` or ``"Y"``, or None to choose one
    from the span of the dates; values that are not all dates are sessions.
    """
    text = values.astype("string").fillna("").str.strip()
    present = text[text != ""]
    looks_like_dates = bool(len(present)) and present.str.contains(r"\d{1,4}\D\d{1,2}").all()
    dates = pd.to_datetime(present, errors="coerce", format="ISO8601")
    if looks_like_dates and dates.isna().any():
        # UK spreadsheets write dates day first (03/10/2026 is 3 October).
        dates = pd.to_datetime(present, errors="coerce", format="mixed", dayfirst=True)
    if looks_like_dates and dates.notna().all():
        span = (dates.max() - dates.min()).days
        freq = freq or ("D" if span <= 14 else "W" if span <= 120 else "M")
        names = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
        if freq not in names:
            raise ToolkitError(
                f"expected freq to be one of {', '.join(map(repr, names))}, but found {freq!r}",
                hint="use 'W' for weeks or 'M' for months",
            )
        periods = dates.dt.to_period(freq).dt.start_time.dt.strftime("%Y-%m-%d")
        return periods.reindex(values.index).fillna(NOT_RECORDED), names[freq]
    return text.replace("", NOT_RECORDED).astype(object), "session"


def period_order(labels: Any, period_name: str) -> list[str]:
    """Return the periods in order: sessions as they first appear, dates in date order."""
    order = list(dict.fromkeys(labels))
    if period_name != "session":
        order = sorted(order, key=lambda p: (p == NOT_RECORDED, p))
    return order


@renamed_keywords(level="of")
@documented(
    PARAMETERS,
    participants="""
        {participants}
        The session or date may be recorded there, per interview.
    """,
    when="""
        The column holding the session or date: looked for in the codings
        first, then in the participants table (by interview).  Dates are
        grouped into periods; other values are kept as sessions, in the
        order they first appear.
    """,
    freq="""
        For dates: ``"D"``, ``"W"``, ``"M"``, ``"Q"`` or ``"Y"`` (default:
        chosen from the span of the dates).
    """,
)
def theme_trend(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    participants: pd.DataFrame | None = None,
    *,
    when: str = "session",
    freq: str | None = None,
    unit: str = "participants",
    of: str = "theme",
    coder: Any = None,
    interviewers: Any = None,
) -> pd.DataFrame:
    """Count themes per session or period, to see change over time.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        ``period, <of>, count, total, percent, unit``: ``total`` is how
        many units there are in the period, so periods of different sizes
        compare fairly by ``percent``.

    Examples
    --------
    >>> import toolkit as tk
    >>> trend = tk.theme_trend(tk.sample_project(), when="consent_date", freq="W")
    >>> trend.attrs["period"]
    'week'
    """
    unit, of = unit_name(unit), of_name(of)
    data = as_prepared(
        codings, segments, codebook, participants, coder=coder, interviewers=interviewers
    )
    participants = data.participants
    if when in data.extra:
        # Sessions recorded on the codings: each unit belongs to the period it was coded in.
        labels, period_name = period_labels(data.coded[when], freq)
        coded = data.coded.assign(period=labels.to_numpy())
        coded = coded[coded["counted"]]
        coded = coded[coded["person"]] if unit == "participants" else coded
        coded = coded.assign(_unit=unit_keys(coded, unit))
        coded = coded.drop_duplicates(["_unit", of, "period"])
        totals = coded.drop_duplicates(["_unit", "period"]).groupby("period").size()
        counts = coded.groupby(["period", of]).size()
        order = period_order(labels, period_name)
        data = replace(data, coded=data.coded.assign(period=labels.to_numpy()))
    else:
        if participants is None or when not in participants.columns:
            where = list(participants.columns) if participants is not None else []
            raise ToolkitError(
                f"expected a column '{when}' (a session or a date) in the codings or the "
                f"participants table, but neither has it"
                + (f"; participants has {', '.join(map(repr, where))}" if where else ""),
                hint="add a 'session' or 'date' column to the codings or to participants.csv, "
                "or pass when='<that column>'",
            )
        labels, period_name = period_labels(participants[when], freq)
        period_of = pd.Series(
            labels.to_numpy(), index=participants["interview_id"].astype(str).to_numpy()
        )
        # Several people in one interview share its date: the first row gives it.
        period_of = period_of[~period_of.index.duplicated()]
        data = replace(
            data,
            coded=data.coded.assign(
                period=data.coded["interview_id"].map(period_of).fillna(NOT_RECORDED)
            ),
        )
        coded, universe = counted_units(data, unit, of)
        coded = coded.assign(period=coded["interview_id"].map(period_of).fillna(NOT_RECORDED))
        universe = universe.assign(
            period=universe["interview_id"].map(period_of).fillna(NOT_RECORDED)
        )
        totals = universe.groupby("period").size()
        counts = coded.groupby(["period", of]).size()
        order = period_order([*labels, *totals.index], period_name)
    quotes = best_quote(data, ["period", of], 140)
    return trend_table(data, of, unit, counts, totals, order, quotes, period=period_name, when=when)


def trend_table(
    data: PreparedThemes,
    of: str,
    unit: str,
    counts: pd.Series,
    totals: pd.Series,
    order: list[str],
    quotes: pd.DataFrame,
    *,
    period: str,
    when: str,
) -> pd.DataFrame:
    """Return the trend table from the counts: one row per period (in `order`) and theme.

    `counts` holds the units that mention each theme in each period
    (indexed by ``period, <of>``), `totals` the units in each period and
    `quotes` one quote per period and theme; `period` (what a period is:
    ``"week"``, ``"session"``...) and `when` (the column it came from) go
    into ``attrs``.  Periods with no units are left out.  Shared by
    :func:`theme_trend` and the Dask tables, which sum the counts first.
    """
    names = in_codebook_order(data.book, of)
    grid = pd.MultiIndex.from_product([order, names], names=["period", of])
    table = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    table["count"] = table["count"].astype(int)
    table["total"] = table["period"].map(totals).fillna(0).astype(int)
    table["percent"] = percent(table["count"], table["total"])
    table["unit"] = unit
    table["color"] = table["theme" if of == "code" else of].map(theme_colours(data.book))
    table = table[table["total"] > 0]
    table = with_quotes(table, quotes, ["period", of])
    return finish(table, data, unit=unit, level=of, period=period, when=when)


def vote_trend(
    votes: pd.DataFrame, *, when: str = "session", top: int | None = None
) -> pd.DataFrame:
    """Sum dot votes per item and session, to see how priorities moved.

    Parameters
    ----------
    votes
        The votes table: ``participant, item, dots`` and a session (or date)
        column.
    when
        The column holding the session or date.
    top
        Keep only the items with the most dots overall.

    Returns
    -------
    pandas.DataFrame
        ``period, item, dots, total, percent``: ``percent`` is the item's
        share of the dots placed in that session.

    Examples
    --------
    >>> import pandas as pd
    >>> votes = pd.DataFrame({"participant": ["a", "b", "a"], "item": ["Lifts", "Calls", "Calls"],
    ...                       "dots": [2, 1, 3], "session": ["June", "June", "July"]})
    >>> vote_trend(votes)[["period", "item", "dots"]].values.tolist()
    [['June', 'Calls', 1], ['June', 'Lifts', 2], ['July', 'Calls', 3], ['July', 'Lifts', 0]]
    """
    require_table(
        votes,
        ("item", "dots", when),
        "votes",
        hint=f"add a '{when}' column to votes.csv saying which session each vote was in",
        source="pass project.votes",
        error=EnergyError,
        path=getattr(votes, "attrs", {}).get("path"),
    )
    if votes.empty:
        raise EnergyError(
            "expected votes to count, but the votes table is empty",
            hint="record the dots from your workshop in votes.csv",
        )
    dots = pd.to_numeric(votes["dots"], errors="coerce")
    if dots.isna().any():
        bad = votes.loc[dots.isna(), "dots"].iloc[0]
        raise EnergyError(
            f"expected a number of dots in every vote, but found {bad!r}",
            path=votes.attrs.get("path"),
            hint="write the number of dots as digits, e.g. 3",
        )
    labels, period_name = period_labels(votes[when], None)
    table = pd.DataFrame(
        {
            "period": labels.to_numpy(),
            "item": votes["item"].astype(str).to_numpy(),
            "dots": dots.to_numpy(),
        }
    )
    items = (
        table.groupby("item", sort=False)["dots"].sum().sort_values(ascending=False, kind="stable")
    )
    if top:
        items = items.head(top)
    order = period_order(labels, period_name)
    grid = pd.MultiIndex.from_product([order, list(items.index)], names=["period", "item"])
    out = table.groupby(["period", "item"])["dots"].sum().reindex(grid, fill_value=0).reset_index()
    out["dots"] = out["dots"].astype(int) if (out["dots"] % 1 == 0).all() else out["dots"]
    out["total"] = out["period"].map(table.groupby("period")["dots"].sum())
    out["percent"] = percent(out["dots"], out["total"])
    out.attrs.update(unit="dots", period=period_name, when=when, level="item")
    return out
