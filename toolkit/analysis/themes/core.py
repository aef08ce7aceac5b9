"""The positive core of appreciative inquiry: strengths set beside wishes.

Examples
--------
>>> import toolkit as tk
>>> core = tk.positive_core(tk.sample_project())
>>> core.attrs["wishes"]
['Wishes and dreams']
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from toolkit.analysis.themes.frequencies import theme_frequency
from toolkit.analysis.themes.options import PARAMETERS, unit_name
from toolkit.analysis.themes.prepare import as_prepared
from toolkit.docstrings import documented
from toolkit.errors import CodebookError, ToolkitError

__all__ = ["positive_core"]

_STRENGTH_WORDS = re.compile(r"peak|strength|value|enabl|work(s|ing) well|best|core|asset", re.I)
_WISH_WORDS = re.compile(r"wish|dream|hope|future|imagine|ideas?", re.I)


def _named_themes(given: Any, themes: list[str], words: re.Pattern, side: str) -> list[str]:
    if given is None:
        found = [t for t in themes if words.search(t)]
        if not found:
            raise ToolkitError(
                f"expected the codebook themes for the {side} side of the positive core, but "
                "none of the theme names suggests it; the themes are "
                + ", ".join(map(repr, themes)),
                hint=f"name them, e.g. {side}=['{themes[0]}']",
            )
        return found
    wanted = [given] if isinstance(given, str) else list(given)
    unknown = [t for t in wanted if t not in themes]
    if unknown:
        raise CodebookError(
            f"expected themes from the codebook for the {side} side, but found "
            f"{', '.join(map(repr, unknown))}, which the codebook does not have; its themes are "
            f"{', '.join(map(repr, themes))}",
            hint="use the theme names exactly as they are in codebook.yml",
        )
    return wanted


@documented(
    PARAMETERS,
    {
        "strengths, wishes": """
            Codebook theme names (one, or a list).  If not given, themes whose
            names speak of peaks, strengths, values or what enables (and of
            wishes, dreams or hopes) are used.
        """
    },
)
def positive_core(
    codings: Any,
    segments: pd.DataFrame | None = None,
    codebook: Any = None,
    *,
    strengths: Any = None,
    wishes: Any = None,
    unit: str = "participants",
    coder: Any = None,
    interviewers: Any = None,
) -> pd.DataFrame:
    """Set strengths and peak experiences beside wishes and dreams (the positive core).

    In appreciative inquiry the positive core is what already gives life to
    a system: its strengths, best moments and enabling conditions.  This
    table puts the codes of the themes you name as strengths beside the
    codes of the themes you name as wishes, each counted in the same unit,
    so a team can see what to build on next to what people hope for.

    {parameters}

    Returns
    -------
    pandas.DataFrame
        ``side, theme, code, count, total, percent, unit, label, color, quote,
        quote_by``; ``side`` is "Strengths" or "Wishes".

    Examples
    --------
    >>> import toolkit as tk
    >>> core = tk.positive_core(tk.sample_project())
    >>> sorted(core["side"].unique())
    ['Strengths', 'Wishes']
    """
    unit = unit_name(unit)
    data = as_prepared(codings, segments, codebook, coder=coder, interviewers=interviewers)
    table = theme_frequency(data, unit=unit, of="code")
    themes = list(dict.fromkeys(data.book["theme"]))
    good = _named_themes(strengths, themes, _STRENGTH_WORDS, "strengths")
    hopes = _named_themes(wishes, themes, _WISH_WORDS, "wishes")
    both = set(good) & set(hopes)
    if both:
        raise ToolkitError(
            f"expected each theme on one side only, but {', '.join(map(repr, sorted(both)))} "
            "is named as both a strength and a wish",
            hint="name it on one side only",
        )
    side = table["theme"].map({**{t: "Strengths" for t in good}, **{t: "Wishes" for t in hopes}})
    core = table.assign(side=side).dropna(subset=["side"])
    core["_s"] = core["side"].map({"Strengths": 0, "Wishes": 1})
    core = core.sort_values(["_s", "count"], ascending=[True, False], kind="stable")
    columns = ["side", "theme", "code", "count", "total", "percent", "unit", "label"]
    columns += ["color", "quote", "quote_by"]
    out = core[columns].reset_index(drop=True)
    out.attrs.update(table.attrs)
    out.attrs.update(strengths=good, wishes=hopes)
    return out
