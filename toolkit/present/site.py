"""Showing results on the published book's pages: tables in full, widgets as pictures.

The book's code pages call :func:`use_site_display` in a hidden first cell.
It turns on the site's chart renderer
(:func:`toolkit.present.charts.render.use_site_renderer`) and shows pandas
tables in full: no cell cut short with "...", and no column of row numbers
(pandas' index is shown only when it means something: it has a name, or it
is not a plain count).  Long text wraps, by the site's stylesheet.

:func:`widget_picture` draws a notebook widget (such as
:class:`~toolkit.present.widgets.energy_capture.EnergyCapture`) as static
HTML, for a page that cannot run it.  In Jupyter, show the live widget
instead.

Examples
--------
>>> import pandas as pd
>>> "<th>0</th>" in table_html(pd.DataFrame({"code": ["waiting"]}))
False
>>> codes = pd.DataFrame({"n": [3]}, index=pd.Index(["waiting"], name="code"))
>>> "<th>code</th>" in table_html(codes)
True
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from toolkit.present.charts.render import use_site_renderer

__all__ = [
    "index_is_meaningful",
    "long_text_columns",
    "table_html",
    "use_site_display",
    "widget_picture",
]

#: Tables up to this many rows show every row on the site.
MAX_ROWS = 200
#: A column holding text longer than this (characters) is a column of long text...
LONG_TEXT = 80
#: ...and is at least this wide, so its rows stay readable on a phone.
TEXT_COLUMN_WIDTH = "20rem"


def index_is_meaningful(table: pd.DataFrame) -> bool:
    """Return whether a table's index says something (False for plain row numbers).

    Examples
    --------
    >>> index_is_meaningful(pd.DataFrame({"a": [1, 2]}))
    False
    >>> index_is_meaningful(pd.DataFrame({"a": [1, 2]}).set_index("a"))
    True
    """
    index = table.index
    if isinstance(index, pd.MultiIndex) or any(name is not None for name in index.names):
        return True
    return not pd.api.types.is_integer_dtype(index.dtype)


def long_text_columns(table: pd.DataFrame, longer_than: int = LONG_TEXT) -> list:
    """Return the columns holding text longer than ``longer_than`` characters.

    Examples
    --------
    >>> long_text_columns(pd.DataFrame({"id": ["a"], "quote": ["word " * 30]}))
    ['quote']
    """
    texts = [c for c in table.columns if pd.api.types.is_string_dtype(table[c].dtype)]
    return [c for c in texts if table[c].astype(str).str.len().max() > longer_than]


def table_html(table: pd.DataFrame) -> str:
    """Return a table as the site shows it: in full, without meaningless row numbers.

    Columns of long text get a minimum width, so that on a phone their rows
    stay readable (the table then scrolls sideways inside its own box).
    """
    return table.to_html(
        index=index_is_meaningful(table),
        border=0,
        max_rows=MAX_ROWS,
        show_dimensions=False,
        na_rep="",
        col_space=dict.fromkeys(long_text_columns(table), TEXT_COLUMN_WIDTH) or None,
    )


def use_site_display() -> None:
    """Show charts and tables as the published book does (its pages call this first).

    Charts are drawn by the site's own script; tables show every cell in full
    and hide pandas' row numbers.  In Jupyter, do not call it: JupyterLab
    draws charts itself, and pandas' own tables suit a notebook.
    """
    use_site_renderer()
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_rows", MAX_ROWS)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


# --- widgets as pictures ---------------------------------------------------------------------

_BOX = "display:flex;gap:0.35rem 0.8rem;"
_FIELD = (
    "display:inline-block;min-width:4rem;padding:0.1rem 0.5rem;border:1px solid #8a8a8a;"
    "border-radius:3px;background:#fff;color:#1a1a1a;"
)
_BUTTON = (
    "display:inline-block;padding:0.1rem 0.8rem;border:1px solid #6b6b6b;border-radius:3px;"
    "background:#ececec;color:#1a1a1a;"
)
_LABEL = "display:inline-block;min-width:7rem;font-weight:600;"


def _labelled(widget: Any, inner: str) -> str:
    name = str(getattr(widget, "description", "") or "")
    label = f'<span style="{_LABEL}">{html.escape(name)}</span>' if name else ""
    return f'<div style="{_BOX}flex-wrap:wrap;align-items:center">{label}{inner}</div>'


def _slider(widget: Any) -> str:
    low, high, value = float(widget.min), float(widget.max), float(widget.value)
    share = 0 if high == low else (value - low) / (high - low)
    track = (
        '<span aria-hidden="true" style="display:inline-block;position:relative;width:9rem;'
        'max-width:40vw;height:0.35rem;border-radius:0.2rem;background:#c8c8c8">'
        f'<span style="position:absolute;left:{share:.0%};top:-0.3rem;width:0.95rem;'
        'height:0.95rem;margin-left:-0.48rem;border-radius:50%;background:#0072B2"></span></span>'
    )
    return _labelled(widget, f"{track}<span>{html.escape(str(widget.value))}</span>")


def _field(widget: Any) -> str:
    value = getattr(widget, "value", None)
    if value in (None, ""):
        text = html.escape(str(getattr(widget, "placeholder", "") or ""))
        shown = f'<span style="color:#595959;font-style:italic">{text or "&nbsp;"}</span>'
    else:
        shown = html.escape(str(value))
    marker = " &#9662;" if hasattr(widget, "options") else ""
    return _labelled(widget, f'<span style="{_FIELD}">{shown}{marker}</span>')


def _picture(widget: Any) -> str:
    import ipywidgets as widgets

    if isinstance(widget, widgets.Box):
        direction = (
            "row;flex-wrap:wrap;align-items:center"
            if isinstance(widget, widgets.HBox)
            else "column;align-items:flex-start"
        )
        inner = "".join(_picture(child) for child in widget.children)
        return f'<div style="{_BOX}flex-direction:{direction}">{inner}</div>'
    if isinstance(widget, widgets.HTML):
        # The toolkit's widgets escape their own HTML (and mark their lists properly).
        return "<div>" + widget.value + "</div>"
    if isinstance(widget, widgets.Label):
        return f"<span>{html.escape(str(widget.value))}</span>"
    if isinstance(widget, widgets.Button):
        return f'<span style="{_BUTTON}">{html.escape(widget.description or "")}</span>'
    if isinstance(widget, widgets.Checkbox):
        box = "&#9745;" if widget.value else "&#9744;"
        return f"<div>{box} {html.escape(widget.description or '')}</div>"
    if isinstance(widget, (widgets.IntSlider, widgets.FloatSlider)):
        return _slider(widget)
    if hasattr(widget, "value"):
        return _field(widget)
    return f"<span>[{html.escape(type(widget).__name__)}]</span>"


def widget_picture(widget: Any, label: str = "A picture of the widget") -> str:
    """Return static HTML that looks like a notebook widget as it is now.

    Parameters
    ----------
    widget
        A toolkit widget (it has a ``.widget``) or any ipywidgets widget.
    label
        What the picture shows, for screen readers.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> picture = widget_picture(widgets.VBox([widgets.Button(description="Save")]))
    >>> "Save" in picture and "<button" not in picture
    True
    """
    box = getattr(widget, "widget", widget)
    return (
        f'<div role="group" aria-label="{html.escape(label)}" style="max-width:100%;'
        "overflow-x:auto;border:1px solid #bbb;border-radius:6px;padding:0.6rem 0.9rem;"
        f'margin:0.5rem 0;background:#fafafa;color:#1a1a1a">{_picture(box)}</div>'
    )
