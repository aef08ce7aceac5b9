"""Who took part: a bar chart of the participants table."""

from __future__ import annotations

import altair as alt
import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.present.charts.base import check_columns
from toolkit.present.colours import PALETTE

__all__ = ["participants_chart"]


def participants_chart(participants: pd.DataFrame, by: str = "group") -> alt.Chart:
    """Chart how many participants took part, per value of one attribute.

    Parameters
    ----------
    participants
        The participants table (one row per interview).
    by
        The attribute to count by, such as ``"group"`` or ``"site"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> chart = tk.charts.participants_chart(tk.sample_project().participants)
    >>> tk.charts.describe(chart).startswith("Bar chart")
    True
    """
    check_columns(participants, ["interview_id", by], "participants")
    if participants.empty:
        raise ToolkitError(
            "expected at least one participant to chart, but the table is empty",
            hint="add rows to participants.csv",
        )
    counts = (
        participants.assign(**{by: participants[by].replace("", "(not recorded)")})
        .groupby(by, as_index=False)
        .agg(people=("interview_id", "nunique"))
        .sort_values(["people", by], ascending=[False, True])
    )
    label = by.replace("_", " ")
    most = counts["people"].max()
    largest = counts.loc[counts["people"] == most, by].tolist()
    summary = (
        f"The largest {label} is {largest[0]}, with {most}."
        if len(largest) == 1
        else f"The largest are {', '.join(largest[:-1])} and {largest[-1]}, with {most} each."
    )
    description = (
        f"Bar chart of the {int(counts['people'].sum())} participants by {label}: "
        + "; ".join(f"{value} {n}" for value, n in zip(counts[by], counts["people"], strict=True))
        + f". {summary}"
    )
    return (
        alt.Chart(counts, title=f"Who took part, by {label}")
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("people:Q", title="Number of participants", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(f"{by}:N", sort="-x", title=label.capitalize()),
            tooltip=[alt.Tooltip(f"{by}:N", title=label.capitalize()), "people:Q"],
        )
        .properties(description=description, width=420)
    )
