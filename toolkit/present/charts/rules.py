"""How well the codebook's rules match a human coder: precision and recall per code."""

from __future__ import annotations

import altair as alt
import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.present.charts.base import check_columns, words
from toolkit.present.colours import PALETTE

__all__ = ["rule_evaluation_chart"]


def rule_evaluation_chart(scores: pd.DataFrame, coder: str = "the coder") -> alt.LayerChart:
    """Chart how well the codebook's rules match a human coder: precision and recall per code.

    Parameters
    ----------
    scores
        The ``scores`` table of :func:`toolkit.evaluate_rules`
        (``code, rules, coder, both, precision, recall, f1``).
    coder
        The human coder's name, for the title and description.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> rules = tk.autocode(project.segments, project.codebook)
    >>> result = tk.evaluate_rules(rules, project.codings, project.segments, coder="sam")
    >>> chart = tk.charts.rule_evaluation_chart(result.scores, "sam")
    >>> tk.charts.describe(chart).startswith("Dot chart")
    True
    """
    check_columns(scores, ["code", "precision", "recall", "f1"], "rule scores")
    table = scores.dropna(subset=["precision", "recall"], how="all").copy()
    if table.empty:
        raise ToolkitError(
            "expected at least one code with rule codings or human codings, but found none",
            hint="run tk.autocode on the segments the coder coded, then tk.evaluate_rules",
        )
    table = table.sort_values(["f1", "code"], ascending=[False, True], na_position="last")
    order = table["code"].tolist()
    long = table.melt(
        id_vars=["code", "f1"], value_vars=["precision", "recall"], var_name="measure"
    ).dropna(subset=["value"])
    long["measure"] = long["measure"].map({"precision": "Precision", "recall": "Recall"})
    best = table.iloc[0]
    weakest = table.sort_values("recall", na_position="first").iloc[0]
    description = (
        f"Dot chart of how well the rules match {coder} for {len(table)} codes, sorted by F1 "
        f"(the balance of precision and recall). Best: {words(best['code'])}, precision "
        f"{best['precision']:.0%}, recall {best['recall']:.0%}. Lowest recall: "
        f"{words(weakest['code'])}, {weakest['recall']:.0%}: the rules miss most of "
        f"what {coder} coded there. "
        + "Precision is the share of the rules' codings the coder also made; recall is the "
        "share of the coder's codings the rules found."
    )
    base = alt.Chart(long).encode(
        y=alt.Y("code:N", sort=order, title=None),
        x=alt.X(
            "value:Q", title="Share", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
        ),
    )
    spans = table.assign(
        low=table[["precision", "recall"]].min(axis=1),
        high=table[["precision", "recall"]].max(axis=1),
    )
    lines = (
        alt.Chart(spans)
        .mark_rule(color="#999999", strokeWidth=2)
        .encode(y=alt.Y("code:N", sort=order, title=None), x="low:Q", x2="high:Q")
    )
    dots = base.mark_point(filled=True, size=90).encode(
        color=alt.Color(
            "measure:N",
            title=None,
            scale=alt.Scale(domain=["Precision", "Recall"], range=[PALETTE[0], PALETTE[1]]),
        ),
        shape=alt.Shape(
            "measure:N",
            scale=alt.Scale(domain=["Precision", "Recall"], range=["circle", "diamond"]),
            title=None,
        ),
        tooltip=[
            alt.Tooltip("code:N", title="Code"),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("value:Q", title="Value", format=".0%"),
            alt.Tooltip("f1:Q", title="F1", format=".2f"),
        ],
    )
    title = alt.Title(
        f"Rules against {coder}, code by code",
        subtitle="Precision: how often the rules are right. Recall: how much they find.",
    )
    return (lines + dots).properties(
        title=title, description=description, width=420, height=alt.Step(18)
    )
