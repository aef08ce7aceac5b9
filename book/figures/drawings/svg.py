"""Small helpers that write accessible SVG: the document, boxes, text and arrows.

Every colour comes from the toolkit's Okabe-Ito palette (:data:`PALETTE`), at
full strength for lines and accents, or as a pale tint (:func:`tint`) behind
text.  Text is black on white or on a tint, so it keeps a contrast far above
4.5:1.  Text is real SVG text in the reader's own system font: no web fonts.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

try:
    from toolkit.present.colours import PALETTE
except ImportError:  # run with a Python that has not installed the toolkit
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from toolkit.present.colours import PALETTE

BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, BLACK = PALETTE
INK = BLACK
PAPER = "#FFFFFF"
#: The shares of a palette colour mixed into white for the tints behind text.
TINTS = (0.12, 0.25)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace"
#: Font sizes: never below 14 units, so a figure stays legible when it is scaled down.
SMALL, NORMAL, LARGE = 15, 16, 18


def tint(colour: str, share: float = TINTS[0]) -> str:
    """Return ``colour`` mixed into white: ``share`` 0 is white, 1 the colour itself."""
    if share not in TINTS:
        raise ValueError(f"use one of the tints {TINTS}, not {share}")
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02X}" for c in rgb)


def svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    """Return a complete SVG document with an accessible name and description."""
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" '
            'aria-labelledby="fig-title fig-desc" '
            f'font-family="{escape(FONT, quote=True)}" font-size="{NORMAL}">',
            f'<title id="fig-title">{escape(title)}</title>',
            f'<desc id="fig-desc">{escape(desc)}</desc>',
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{INK}"/>'
            "</marker></defs>",
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="{PAPER}"/>',
            *body,
            "</svg>",
            "",
        ]
    )


def num(value: float) -> str:
    """A coordinate, without a trailing ``.0``."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def box(x: float, y: float, w: float, h: float, fill: str, stroke: str = INK, *,
        width: float = 1.5, dash: bool = False, rx: float = 8) -> str:  # fmt: skip
    """A rounded rectangle; text drawn on it sits on ``fill``."""
    dashes = ' stroke-dasharray="6 4"' if dash else ""
    return (
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" rx="{num(rx)}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{num(width)}"{dashes}/>'
    )


def circle(x: float, y: float, r: float, fill: str, stroke: str = INK, width: float = 1.5) -> str:
    return (
        f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{num(width)}"/>'
    )


def text(x: float, y: float, words: str, *, size: int = NORMAL, bold: bool = False,
         anchor: str = "start", mono: bool = False, italic: bool = False,
         halo: bool = False, colour: str = INK) -> str:  # fmt: skip
    """One line of text (black unless told) with its baseline at ``y``.

    ``halo`` draws a white outline behind the letters, for a label that may touch a line.
    """
    if size < 14:
        raise ValueError(f"text must be at least 14 units high, not {size}")
    extra = ' font-weight="700"' if bold else ""
    extra += ' font-style="italic"' if italic else ""
    extra += f' font-family="{escape(MONO, quote=True)}"' if mono else ""
    extra += f' stroke="{PAPER}" stroke-width="5" paint-order="stroke"' if halo else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{size}"{extra} text-anchor="{anchor}" '
        f'fill="{colour}">{escape(words)}</text>'
    )


def lines(x: float, y: float, rows: list[str], *, size: int = NORMAL, gap: float = 1.3,
          **style) -> list[str]:  # fmt: skip
    """Several lines of text, the first baseline at ``y``."""
    return [text(x, y + i * size * gap, row, size=size, **style) for i, row in enumerate(rows)]


def line(x1: float, y1: float, x2: float, y2: float, *, colour: str = INK, width: float = 2,
         arrow: bool = False, dash: bool = False) -> str:  # fmt: skip
    """A straight line, with an arrow head at its end if asked."""
    extra = ' marker-end="url(#arrow)"' if arrow else ""
    extra += ' stroke-dasharray="6 5"' if dash else ""
    return (
        f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{colour}" '
        f'stroke-width="{num(width)}"{extra}/>'
    )


def polygon(points: list[tuple[float, float]], fill: str, stroke: str = INK) -> str:
    corners = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return f'<polygon points="{corners}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'


def path(d: str, *, colour: str = INK, width: float = 2, arrow: bool = False) -> str:
    """A curve or polyline (SVG path data ``d``), with an arrow head at its end if asked."""
    extra = ' marker-end="url(#arrow)"' if arrow else ""
    return f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{num(width)}"{extra}/>'


# Rough widths of characters in ems, for wrapping text before a browser sees it.
_NARROW, _WIDE = set("ijlt.,:;'!|fr()[] -"), set("mwMW@%")


def text_width(words: str, size: int = NORMAL, *, bold: bool = False, mono: bool = False) -> float:
    """Estimate how wide a line of text is, erring on the wide side."""
    if mono:
        return len(words) * 0.62 * size
    ems = sum(
        0.36 if c in _NARROW else 0.92 if c in _WIDE else 0.74 if c.isupper() else 0.6
        for c in words
    )
    return ems * size * (1.12 if bold else 1.0)


def wrap(words: str, width: float, size: int = NORMAL, *, bold: bool = False) -> list[str]:
    """Break ``words`` into lines no wider than ``width``."""
    rows: list[str] = []
    for word in words.split():
        if rows and text_width(f"{rows[-1]} {word}", size, bold=bold) <= width:
            rows[-1] += f" {word}"
        else:
            rows.append(word)
    return rows
