"""How the toolkit is built: six layers, each using only the layers below it."""

from __future__ import annotations

from html import escape

from drawings.svg import (
    BLACK,
    BLUE,
    GREEN,
    INK,
    ORANGE,
    PINK,
    YELLOW,
    box,
    line,
    svg,
    text,
    tint,
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
FILLS = [tint(ORANGE, 0.25), tint(BLUE, 0.12), tint(GREEN, 0.12), tint(PINK, 0.25),
         tint(YELLOW, 0.25), tint(BLACK, 0.12)]  # fmt: skip


def toolkit_layers() -> str:
    width, top, band, gap, left = 760, 20, 74, 22, 70
    body = []
    for i, (name, what, modules) in enumerate(LAYERS):
        y = top + i * (band + gap)
        body.append(box(left, y, width - left - 20, band, FILLS[i]))
        body.append(
            f'<text x="{left + 16}" y="{y + 26}" font-size="15" fill="{INK}">'
            f'<tspan font-weight="700">{escape(name)}</tspan><tspan>: {escape(what)}</tspan>'
            "</text>"
        )
        body.append(text(left + 16, y + 54, modules, size=14))
        if i:
            y0 = top + (i - 1) * (band + gap) + band
            body.append(line(left - 30, y0 - band / 2, left - 30, y + band / 2, arrow=True))
    body.append(text(40, top + band / 2 - 8, "uses", size=14, anchor="middle"))
    height = top + len(LAYERS) * (band + gap)
    desc = (
        "Six layers stacked top to bottom, each using only the layers below it: "
        + "; ".join(f"{n} ({w}: {m})" for n, w, m in LAYERS)
        + "."
    )
    return svg(width, height, "How the toolkit is built: six layers", desc, body)
