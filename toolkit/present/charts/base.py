"""What every chart shares: the look (type sizes, palette), descriptions and table checks.

Every builder takes a table and returns an :class:`altair.Chart` that can be
refined further.  Each chart carries a plain-English ``description`` (the
text alternative screen readers announce, and the paragraph printed beside
the chart on the site and in the report); :func:`describe` returns it.

Importing this module registers the shared look with Altair as the theme
``follow_the_energy`` and turns it on.
"""

from __future__ import annotations

import warnings
from typing import Any

import altair as alt
import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.present.colours import PALETTE
from toolkit.tables import require_table

__all__ = ["FONT_SIZE", "MAX_ROWS", "PALETTE", "chart_config", "describe", "theme"]

#: Base type size in pixels; titles are larger.
FONT_SIZE = 13
#: Charts embed at most this many data rows; builders aggregate before charting.
MAX_ROWS = 5000


def chart_config() -> dict[str, Any]:
    """Return the shared Vega-Lite config: palette, type sizes, quiet axes.

    Examples
    --------
    >>> chart_config()["config"]["range"]["category"] == PALETTE
    True
    """
    return {
        "config": {
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 480, "continuousHeight": 300},
            "range": {"category": PALETTE},
            "title": {"fontSize": FONT_SIZE + 4, "anchor": "start", "color": "#1a1a1a"},
            "axis": {
                "labelFontSize": FONT_SIZE,
                "titleFontSize": FONT_SIZE,
                "labelColor": "#1a1a1a",
                "titleColor": "#1a1a1a",
                "labelLimit": 260,
                "gridColor": "#e6e6e6",
            },
            "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE},
            "header": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE},
            "text": {"fontSize": FONT_SIZE},
        }
    }


def theme() -> dict[str, Any]:
    """Deprecated: use :func:`chart_config` (a chart's look, not a theme of the interviews)."""
    warnings.warn(
        "charts.theme() is now charts.chart_config(); theme() will be removed",
        DeprecationWarning,
        stacklevel=2,
    )
    return chart_config()


alt.theme.register("follow_the_energy", enable=True)(
    lambda: alt.theme.ThemeConfig(**chart_config())
)


def describe(chart: alt.TopLevelMixin) -> str:
    """Return the chart's plain-English description (its text alternative)."""
    value = getattr(chart, "description", alt.Undefined)
    return "" if value is alt.Undefined else str(value)


def check_columns(table: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise a ToolkitError naming the columns ``table`` lacks (``what`` names the table)."""
    require_table(
        table, columns, what, hint="pass the table the toolkit produced, or rename your columns"
    )


def check_table(
    table: Any, columns: list[str], what: str, *, source: str, empty: str
) -> pd.DataFrame:
    """Check a table to chart: a DataFrame with ``columns`` and at least one row.

    ``source`` is the hint when it is not a DataFrame (where such a table comes
    from); ``empty`` the hint when it has no rows.
    """
    require_table(
        table,
        columns,
        what,
        hint="pass the table the toolkit produced, or rename your columns",
        source=source,
    )
    if table.empty:
        raise ToolkitError(
            f"expected something to chart, but the {what} table is empty", hint=empty
        )
    return table


#: Axis labels show codes such as ``being_known`` as "being known".
SPACED = "replace(datum.label, /_/g, ' ')"


def outlined_points(
    data: pd.DataFrame, stroke: str = "white", width: float = 0.5, **mark: Any
) -> alt.Chart:
    """Return a chart of filled, opaque points with an outline, so that they stand apart.

    The outline (`stroke`, `width` pixels wide) keeps overlapping points
    and points on a coloured background distinct; `mark` adds other mark
    properties (``size=90``).
    """
    return alt.Chart(data).mark_point(
        filled=True, opacity=1, stroke=stroke, strokeWidth=width, **mark
    )


def words(name: Any) -> str:
    """Return a code's name as words: ``being_known`` -> ``being known``."""
    return str(name).replace("_", " ")


def name_values(pairs: list[tuple[str, Any]], limit: int = 6) -> str:
    """Return ``"being known 4; waiting 2; and 3 more"`` for a description."""
    shown = "; ".join(f"{words(name)} {value}" for name, value in pairs[:limit])
    more = len(pairs) - limit
    return shown + (f"; and {more} more" if more > 0 else "")
