"""Theme matrices: which codes are applied together, and which interviews mention what."""

from __future__ import annotations

import altair as alt
import pandas as pd

from toolkit.present.charts.base import MAX_ROWS, SPACED, check_columns, words
from toolkit.present.charts.themes import (
    check_theme_table,
    quote_tooltip,
    theme_level,
    theme_unit,
)

__all__ = ["cooccurrence_chart", "prevalence_chart"]


def cooccurrence_chart(table: pd.DataFrame, top: int = 25) -> alt.Chart:
    """Chart which codes (or themes) are applied together, as a heat map of Jaccard.

    Parameters
    ----------
    table
        A table from :func:`toolkit.cooccurrence`.
    top
        Show only the pairs among this many codes (those in most pairs).

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.cooccurrence_chart(tk.cooccurrence(tk.sample_project()))
    >>> "Jaccard" in tk.charts.describe(chart)
    True
    """
    level = "theme" if "theme_a" in table.columns else "code"
    a, b = f"{level}_a", f"{level}_b"
    check_theme_table(table, [a, b, "both", "jaccard"], "co-occurrence")
    weight = pd.concat([table.groupby(a)["both"].sum(), table.groupby(b)["both"].sum()])
    keep = list(weight.groupby(level=0).sum().sort_values(ascending=False).head(top).index)
    pairs = table[table[a].isin(keep) & table[b].isin(keep)]
    cols = [a, b, "both", "jaccard", "quote", "quote_by"]
    pairs = pairs.assign(**{c: pairs.get(c, "") for c in ("quote", "quote_by")})[cols]
    mirror = pairs.rename(columns={a: b, b: a})
    data = pd.concat([pairs, mirror], ignore_index=True).rename(columns={a: "row", b: "column"})
    unit = theme_unit(table)
    within = table.attrs.get("within", "segment")
    together = "on the same segment" if within == "segment" else "on overlapping passages"
    best = pairs.sort_values(["jaccard", "both"], ascending=False).iloc[0]
    description = (
        f"Heat map of how often {len(keep)} {level}s are applied together {together}. "
        f"Darker squares mean a higher Jaccard similarity (the share of {unit} with either "
        f"{level} that have both). The strongest pair is {words(best[a])} with {words(best[b])}: "
        f"{int(best['both'])} together, Jaccard {best['jaccard']:.2f}. "
        f"{len(pairs)} pairs co-occur at least once."
    )
    order = [k for k in keep]
    return (
        alt.Chart(
            data,
            title=alt.Title(
                f"Which {level}s are applied together",
                subtitle=f"Jaccard similarity, {together} ({unit}).",
            ),
        )
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "column:N", title=None, sort=order, axis=alt.Axis(labelAngle=-40, labelExpr=SPACED)
            ),
            y=alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelExpr=SPACED)),
            color=alt.Color(
                "jaccard:Q", title="Jaccard", scale=alt.Scale(scheme="blues", domain=[0, 1])
            ),
            tooltip=[
                alt.Tooltip("row:N", title=level.capitalize()),
                alt.Tooltip("column:N", title="with"),
                alt.Tooltip("both:Q", title=f"Together ({unit})"),
                alt.Tooltip("jaccard:Q", title="Jaccard", format=".2f"),
                *quote_tooltip(),
            ],
        )
        .properties(description=description, width=alt.Step(30), height=alt.Step(24))
    )


def prevalence_chart(table: pd.DataFrame, limit: int = 60) -> alt.Chart:
    """Chart which interviews mention which themes, as a matrix.

    Parameters
    ----------
    table
        A table from :func:`toolkit.theme_prevalence`.
    limit
        The most interviews to show; with more, those that mention the most
        themes are shown and the description says so.

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.prevalence_chart(tk.theme_prevalence(tk.sample_project()))
    >>> tk.charts.describe(chart).startswith("Matrix")
    True
    """
    level = theme_level(table)
    if not isinstance(table, pd.DataFrame) or len(table) <= MAX_ROWS:
        check_theme_table(table, ["interview_id", level, "segments", "present"], "prevalence")
    else:
        check_columns(table, ["interview_id", level, "segments", "present"], "prevalence")
    names = list(dict.fromkeys(table[level]))
    limit = max(1, min(limit, MAX_ROWS // max(1, len(names))))
    breadth = table.groupby("interview_id", sort=False)["present"].sum()
    interviews = list(breadth.index)
    shown = interviews
    if len(interviews) > limit:
        shown = list(breadth.sort_values(ascending=False, kind="stable").head(limit).index)
        shown = [i for i in interviews if i in set(shown)]
    data = table[table["interview_id"].isin(shown)]
    cols = ["interview_id", level, "segments", "present", "quote"] + (
        ["group"] if "group" in data.columns else []
    )
    data = data.assign(quote=data.get("quote", ""))[cols]
    # Each row is labelled with its group, and rows of a group sit together.
    data = data.assign(
        case=data["interview_id"] + " \u00b7 " + data["group"]
        if "group" in data.columns
        else data["interview_id"]
    )
    if "group" in data.columns:
        last = data["group"].str.startswith("(")  # "(not recorded)" goes at the end
        data = data.assign(_last=last).sort_values(["_last", "group", "interview_id"])
        data = data.drop(columns="_last")
    order = list(dict.fromkeys(data["case"]))
    counts = table.groupby(level, sort=False)["present"].sum()
    most, least = counts.idxmax(), counts.idxmin()
    n = len(interviews)
    note = (
        f" Showing the {len(shown)} of {n} interviews that mention the most {level}s."
        if len(shown) < n
        else ""
    )
    description = (
        f"Matrix of {n} interviews by {len(names)} {level}s: a filled square means the "
        f"interview mentions the {level}. {words(most)} is in the most interviews "
        f"({int(counts[most])} of {n}); {words(least)} in the fewest ({int(counts[least])})." + note
    )
    tooltip = [alt.Tooltip("interview_id:N", title="Interview")]
    if "group" in data.columns:
        tooltip.append(alt.Tooltip("group:N", title="Group"))
    tooltip += [
        alt.Tooltip(f"{level}:N", title=level.capitalize()),
        alt.Tooltip("segments:Q", title="Segments coded"),
        alt.Tooltip("quote:N", title="For example"),
    ]
    return (
        alt.Chart(
            data,
            title=alt.Title(
                f"Which interviews mention which {level}s",
                subtitle="Darker squares: more segments coded with the "
                f"{level}." + (f" {len(shown)} of {n} interviews shown." if note else ""),
            ),
        )
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                f"{level}:N",
                title=level.capitalize(),
                sort=names,
                axis=alt.Axis(labelAngle=-30, orient="top", labelExpr=SPACED),
            ),
            y=alt.Y(
                "case:N",
                title="Interview" + (" and group" if "group" in data.columns else ""),
                sort=order,
            ),
            color=alt.condition(
                "datum.present",
                alt.Color(
                    "segments:Q",
                    title="Segments coded",
                    scale=alt.Scale(scheme="blues", domainMin=0),
                ),
                alt.value("#f2f2f2"),
            ),
            tooltip=tooltip,
        )
        .properties(description=description, width=alt.Step(44), height=alt.Step(26))
    )
