"""Colours: the one palette, contrast and colour-blind checks, and colours for themes.

Every chart draws from :data:`PALETTE`, the Okabe-Ito palette, whose colours
stay apart for people with the common colour-vision deficiencies.  A codebook
may give its own colours (``#rrggbb``, ``#rgb`` or a CSS name, see
:mod:`toolkit.colour_names`); :func:`pick_colours` keeps each given colour
where it can be told apart from the colours already chosen, by everyone, and
otherwise takes the next safe colour from the palette.

Telling colours apart is measured as the CIELAB colour difference (CIE76
delta E) between them as seen with normal vision and as simulated for
protanopia, deuteranopia and tritanopia, with the matrices of Machado,
Oliveira and Fernandes (2009), "A physiologically-based model for simulation
of color vision deficiency", IEEE TVCG 15(6), at severity 1.

Examples
--------
>>> round(contrast_ratio("#0072B2"), 2)
5.19
>>> distinguishable("red", "green")   # alike for people with deuteranopia
False
>>> distinguishable(PALETTE[0], PALETTE[1])
True
>>> pick_colours(["Care", "Waiting", "Home"], {"Care": ["#123456"], "Home": ["navy"]})
{'Care': '#123456', 'Waiting': '#0072B2', 'Home': '#009E73'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from toolkit.colour_names import to_hex

__all__ = [
    "DEFICIENCIES",
    "MIN_DIFFERENCE",
    "PALETTE",
    "codebook_colours",
    "colour_difference",
    "contrast_ratio",
    "distinguishable",
    "pick_colours",
    "simulate",
]

#: The Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]

#: Machado et al. (2009) matrices, severity 1, applied to linear RGB.
DEFICIENCIES: dict[str, tuple[tuple[float, float, float], ...]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}

#: Two colours at least this far apart (CIE76 delta E), in every view, can be told apart.
MIN_DIFFERENCE = 15.0
#: Bars and lines stand out from a white page at this contrast ratio (WCAG 2, non-text).
MIN_CONTRAST = 3.0


def _rgb(colour: str) -> tuple[int, int, int]:
    value = to_hex(colour)
    if value is None:
        raise ValueError(f"expected a colour such as '#1b9e77' or 'teal', but found {colour!r}")
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _encode(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _linear_rgb(colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(v / 255) for v in _rgb(colour))
    return r, g, b


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """Return the WCAG contrast ratio of two colours, from 1 (none) to 21.

    Parameters
    ----------
    colour, background
        Colours as ``#rrggbb``, ``#rgb`` or CSS names; the background is white
        unless given.

    Examples
    --------
    >>> contrast_ratio("black")
    21.0
    >>> round(contrast_ratio("#F0E442"), 2)   # the palette's yellow, faint on white
    1.32
    """

    def luminance(value: str) -> float:
        r, g, b = _linear_rgb(value)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def simulate(colour: str, deficiency: str) -> str:
    """Return a colour as a person with ``deficiency`` sees it, as ``#rrggbb``.

    Parameters
    ----------
    colour
        ``#rrggbb``, ``#rgb`` or a CSS colour name.
    deficiency
        ``"protanopia"``, ``"deuteranopia"`` or ``"tritanopia"`` (see
        :data:`DEFICIENCIES`).

    Examples
    --------
    >>> simulate("red", "deuteranopia"), simulate("green", "deuteranopia")
    ('#a39000', '#776a18')
    """
    if deficiency not in DEFICIENCIES:
        raise ValueError(
            f"expected one of {', '.join(DEFICIENCIES)} for the deficiency, but found "
            f"{deficiency!r}"
        )
    rgb = _linear_rgb(colour)
    seen = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in DEFICIENCIES[deficiency]]
    return "#" + "".join(f"{round(_encode(c) * 255):02x}" for c in seen)


def _lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65 white) of an sRGB colour."""
    r, g, b = _linear_rgb(colour)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (
        t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in xyz
    )
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_difference(a: str, b: str, deficiency: str | None = None) -> float:
    """Return how far apart two colours look: CIE76 delta E (about 2.3 is just noticeable).

    Parameters
    ----------
    a, b
        Colours as ``#rrggbb``, ``#rgb`` or CSS names.
    deficiency
        Compare them as simulated for this deficiency (``None``: normal vision).

    Examples
    --------
    >>> round(colour_difference("white", "black"))
    100
    """
    if deficiency is not None:
        a, b = simulate(a, deficiency), simulate(b, deficiency)
    la, lb = _lab(a), _lab(b)
    return sum((x - y) ** 2 for x, y in zip(la, lb, strict=True)) ** 0.5


def distinguishable(a: str, b: str, minimum: float = MIN_DIFFERENCE) -> bool:
    """Whether two colours can be told apart with normal vision and each deficiency.

    True when their colour difference is at least ``minimum`` with normal
    vision and as simulated for protanopia, deuteranopia and tritanopia.

    Examples
    --------
    >>> distinguishable("#0072B2", "#D55E00")
    True
    >>> distinguishable("#0072B2", "#0070b0")
    False
    """
    return all(
        colour_difference(a, b, deficiency) >= minimum for deficiency in (None, *DEFICIENCIES)
    )


def pick_colours(names: Iterable[Any], given: Mapping[Any, Any] | None = None) -> dict[Any, str]:
    """Return one colour for each name: a given colour where it is safe, else the palette's.

    Names take colours in order.  Each takes the first of its given colours
    that everyone can tell apart from the colours already taken (preferring
    one that stands out from a white page, contrast 3:1); a name with no such
    colour takes the first palette colour that can be told apart, in the same
    way.  If the palette runs out, its colours are used again in turn.

    Parameters
    ----------
    names
        The names to colour (themes or codes), in the order they are shown.
    given
        Each name's own colours, a colour or a list of them (for a theme, its
        codes' colours); blank and unreadable colours are skipped.

    Examples
    --------
    >>> pick_colours(["a", "b"], {"a": "#E69F00", "b": ["#E69F01", "teal"]})
    {'a': '#E69F00', 'b': 'teal'}
    """
    given = given or {}
    chosen: dict[Any, str] = {}
    for i, name in enumerate(dict.fromkeys(names)):
        wanted = given.get(name, ())
        wanted = [wanted] if isinstance(wanted, str) else list(wanted or ())
        usable = [str(c).strip() for c in wanted if isinstance(c, str) and to_hex(c)]
        choice = PALETTE[i % len(PALETTE)]
        for options in (usable, PALETTE):
            options = [c for c in options if all(distinguishable(c, t) for t in chosen.values())]
            if options:
                choice = next((c for c in options if contrast_ratio(c) >= MIN_CONTRAST), options[0])
                break
        chosen[name] = choice
    return chosen


def codebook_colours(codebook: Any, by: str = "theme") -> dict[str, str]:
    """Return a colour for each theme (or code) of a codebook, from :func:`pick_colours`.

    Parameters
    ----------
    codebook
        A :class:`toolkit.Codebook`, a codebook table or anything
        :func:`toolkit.model.codebook.as_codebook` accepts.
    by
        ``"theme"`` (each theme offered its codes' colours, in codebook order)
        or ``"code"`` (each code offered its own colour).

    Examples
    --------
    >>> import toolkit as tk
    >>> colours = codebook_colours(tk.sample_project().codebook)
    >>> sorted(colours) == sorted(tk.sample_project().codebook.themes)
    True
    """
    from toolkit.model.codebook import as_codebook

    if by not in ("theme", "code"):
        raise ValueError(f"expected by='theme' or by='code', but found {by!r}")
    table = as_codebook(codebook).table
    given: dict[str, list[str]] = {}
    for name, colour in zip(table[by], table["color"], strict=True):
        given.setdefault(name, []).append(colour)
    return pick_colours(given, given)
