"""Exemplar quotes laid out as text, for a slide or a printed page."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from toolkit.present.charts.base import FONT_SIZE, words
from toolkit.present.charts.themes import check_theme_table, theme_level

__all__ = ["quotes_chart"]


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(str(text), width) or [""]


def quotes_chart(table: pd.DataFrame, width: int = 70) -> alt.Chart:
    """Lay out exemplar quotes as text, for a slide or a printed page.

    Parameters
    ----------
    table
        A table from :func:`toolkit.exemplar_quotes` (filter it to a few codes).
    width
        Characters per line.

    Examples
    --------
    >>> import toolkit as tk
    >>> quotes = tk.exemplar_quotes(tk.sample_project(), per_code=1)
    >>> tk.charts.describe(tk.charts.quotes_chart(quotes.head(3))).startswith("3 quotes")
    True
    """
    level = theme_level(table)
    check_theme_table(table, [level, "quote", "interview_id", "speaker"], "quotes")
    rows, line = [], 0
    for _, r in table.iterrows():
        lines = [f"\u201c{x}" if i == 0 else x for i, x in enumerate(_wrap(r["quote"], width))]
        lines[-1] += "\u201d"
        rows.append(
            {
                "row": line,
                "kind": "heading",
                "text": [words(r[level])],
                "source": "",
                "quote": str(r["quote"]),
            }
        )
        rows.append(
            {
                "row": line + 1,
                "kind": "quote",
                "text": lines,
                "source": f"{r['speaker']} ({r['interview_id']})",
                "quote": str(r["quote"]),
            }
        )
        rows.append(
            {
                "row": line + 1 + len(lines),
                "kind": "source",
                "text": [f"\u2014 {r['speaker']}, {r['interview_id']}"],
                "source": "",
                "quote": str(r["quote"]),
            }
        )
        line += len(lines) + 3
    data = pd.DataFrame(rows)
    description = (
        f"{len(table)} quotes, for "
        + ", ".join(dict.fromkeys(table[level].astype(str)))
        + ". "
        + " ".join(
            f"{words(r[level])}: \u201c{r['quote']}\u201d ({r['speaker']}, {r['interview_id']})."
            for _, r in table.head(3).iterrows()
        )
    )
    return (
        alt.Chart(data, title="In their own words")
        .mark_text(
            align="left",
            baseline="top",
            lineHeight=FONT_SIZE + 6,
            fontSize=FONT_SIZE + 1,
            fontWeight=alt.ExprRef("datum.kind === 'heading' ? 'bold' : 'normal'"),
            fontStyle=alt.ExprRef("datum.kind === 'source' ? 'italic' : 'normal'"),
        )
        .encode(
            x=alt.value(0),
            y=alt.Y(
                "row:Q",
                axis=None,
                scale=alt.Scale(domain=[0, max(line, 1)], nice=False, reverse=True),
            ),
            text="text:N",
            tooltip=[alt.Tooltip("quote:N", title="Quote")],
        )
        .properties(description=description, width=width * 7, height=(line + 1) * 19)
    )
