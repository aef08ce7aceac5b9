"""Save a chart as a picture (PNG or SVG), with no browser and no network.

Examples
--------
>>> import tempfile, pathlib, toolkit as tk
>>> chart = tk.charts.participants_chart(tk.sample_project().participants)
>>> tk.save_chart(chart, pathlib.Path(tempfile.mkdtemp()) / "who.svg").suffix
'.svg'
"""

from __future__ import annotations

from pathlib import Path

import altair as alt

from toolkit.errors import ToolkitError
from toolkit.io.files import atomic_write
from toolkit.present.charts.spec import chart_dict

__all__ = ["save_chart"]


def save_chart(chart: alt.TopLevelMixin | dict, path: str | Path, *, scale: float = 2) -> Path:
    """Save a chart as a PNG or SVG picture, chosen by the file's suffix.

    The picture is drawn by vl-convert (no browser, no network) and written
    atomically: a temporary file renamed over `path`.

    Parameters
    ----------
    chart
        An Altair chart (or a Vega-Lite specification as a dict).
    path
        Where to write it: ``.png`` or ``.svg``.
    scale
        For PNG, pixels per chart unit (2 is sharp on slides and in print).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    import vl_convert

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ToolkitError(
            f"expected a file name ending in .png or .svg, but found '{path.name}'",
            path=path,
            hint="use .png for documents and slides, .svg for pictures that stay sharp",
        )
    spec = chart_dict(chart, validate=True)
    if suffix == ".png":
        data: bytes | str = vl_convert.vegalite_to_png(spec, scale=scale)
    else:
        data = vl_convert.vegalite_to_svg(spec)
    return atomic_write(path, data)
