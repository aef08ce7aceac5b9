"""The chart script a report carries, kept on disk so it is bundled once per version.

Bundling Vega, Vega-Lite and Vega-Embed
(:func:`~toolkit.present.charts.render.chart_script`) takes a second or two,
the longest single step of a report.  The bundle depends only on the
installed ``vl-convert-python`` and on the toolkit's own drawing code, so
it is kept in the user's cache folder under a name made from both, and made
again only when either changes.  The cache holds no project data.  When the
folder cannot be written, the script is simply bundled each time.

The folder is ``$CODESIGN_TOOLKIT_CACHE`` if set, else ``$XDG_CACHE_HOME/
codesign-toolkit`` (``~/.cache/codesign-toolkit``), or ``%LOCALAPPDATA%\\
codesign-toolkit`` on Windows.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

from toolkit.io.files import atomic_write
from toolkit.present.charts import render

__all__ = ["cache_folder", "cached_chart_script"]


def cache_folder() -> Path:
    """Return the folder the toolkit keeps its cache in (it may not exist yet)."""
    given = os.environ.get("CODESIGN_TOOLKIT_CACHE")
    if given:
        return Path(given)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "codesign-toolkit"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "codesign-toolkit"


def _key() -> str:
    # The installed vl-convert is known by its package file (found without importing it,
    # which takes a moment): installing another version writes a new one.
    spec = importlib.util.find_spec("vl_convert")
    library = Path(spec.origin) if spec is not None and spec.origin else None
    stamp = f"{library}:{library.stat().st_size}:{library.stat().st_mtime_ns}" if library else ""
    source = Path(render.__file__).read_bytes()
    digest = hashlib.sha256(stamp.encode() + b"\0" + source).hexdigest()[:16]
    return f"chart-script-{digest}.js"


@functools.cache
def cached_chart_script() -> str:
    """Return the chart script, from the cache when it is there (see the module)."""
    try:
        path = cache_folder() / _key()
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if text.endswith("})();\n"):  # a whole file, not one cut short
                return text
    except OSError:
        path = None
    text = render.chart_script()
    if path is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            atomic_write(path, text)
    return text
