"""Draw the book's diagrams as accessible SVG, from code, so they stay diffable.

    python book/figures/make_figures.py          # rewrite every figure
    python book/figures/make_figures.py --check  # exit 1 if a figure is out of date

Each figure has a <title> and a <desc> (read by screen readers), text as real
text (searchable, sharp at any zoom) and colours that keep a contrast of at
least 4.5:1 between text and its background.  tests/test_figures.py checks them.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1a1a1a"


def svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    """Return a complete SVG document with an accessible name and description."""
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" '
            'aria-labelledby="fig-title fig-desc" '
            f'font-family="{escape(FONT, quote=True)}" font-size="15">',
            f'<title id="fig-title">{escape(title)}</title>',
            f'<desc id="fig-desc">{escape(desc)}</desc>',
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{INK}"/>'
            "</marker></defs>",
            *body,
            "</svg>",
            "",
        ]
    )


def box(x: float, y: float, w: float, h: float, fill: str, stroke: str = INK) -> str:
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="1.5"/>'
    )


def text(x: float, y: float, words: str, *, size: int = 15, bold: bool = False,
         anchor: str = "start") -> str:  # fmt: skip
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}"{weight} text-anchor="{anchor}" '
        f'fill="{INK}">{escape(words)}</text>'
    )


#: The toolkit's layers, top to bottom: (package, what it holds, its modules).
LAYERS = [
    ("toolkit.cli", "the command line: reads options, calls one library function",
     "codesign-toolkit import, code, agreement, report, energy, refi ..."),
    ("toolkit.present", "what people see", "colours, charts, report, widgets"),
    ("toolkit.analysis  ·  toolkit.refi", "what the data says; exchange with other tools",
     "autocode, agreement, themes, energy, anonymise  ·  REFI-QDA reader and writer"),
    ("toolkit.model", "a team's project folder", "project, codebook, codings, participants"),
    ("toolkit.io", "files in, text out",
     "files, decoding, positions, text, subtitles, word, surveys"),
    ("toolkit.tables", "the tidy tables, and the words every layer shares",
     "tables, errors, wording, docstrings"),
]  # fmt: skip
FILLS = ["#fde7c8", "#e3f0fb", "#e4f4e4", "#f3e6f5", "#fdf3c4", "#ececec"]


def toolkit_layers() -> str:
    width, top, band, gap, left = 760, 20, 74, 22, 70
    body = []
    for i, (name, what, modules) in enumerate(LAYERS):
        y = top + i * (band + gap)
        body.append(box(left, y, width - left - 20, band, FILLS[i]))
        body.append(
            f'<text x="{left + 16}" y="{y + 26}" fill="{INK}"><tspan font-weight="700">'
            f"{escape(name)}</tspan><tspan>: {escape(what)}</tspan></text>"
        )
        body.append(text(left + 16, y + 54, modules, size=14))
        if i:
            y0 = top + (i - 1) * (band + gap) + band
            body.append(
                f'<line x1="{left - 30}" y1="{y0 - band / 2}" x2="{left - 30}" '
                f'y2="{y + band / 2}" stroke="{INK}" stroke-width="2" marker-end="url(#arrow)"/>'
            )
    body.append(text(18, top + band / 2 + 5, "uses", size=13))
    height = top + len(LAYERS) * (band + gap)
    desc = (
        "Six layers stacked top to bottom, each using only the layers below it: "
        + "; ".join(f"{n} ({w}: {m})" for n, w, m in LAYERS)
        + "."
    )
    return svg(width, height, "How the toolkit is built: six layers", desc, body)


FIGURES = {"toolkit-layers.svg": toolkit_layers}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args()
    stale = []
    for name, draw in FIGURES.items():
        path = HERE / name
        new = draw()
        if not path.is_file() or path.read_text(encoding="utf-8") != new:
            stale.append(name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("out of date (run python book/figures/make_figures.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
