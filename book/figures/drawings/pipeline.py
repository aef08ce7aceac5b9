"""From your files to a report: the command-line path of book/practice/files-to-report.md."""

from __future__ import annotations

from html import escape

from drawings.svg import (
    BLACK,
    BLUE,
    GREEN,
    NORMAL,
    PAPER,
    PINK,
    SMALL,
    VERMILION,
    box,
    line,
    svg,
    text,
    text_width,
    tint,
    wrap,
)

TOOL = "codesign-toolkit"
#: The path, top to bottom: (step, what it does, its commands, colour).  A list of
#: such steps in place of one is a group: any or all of them, side by side in time.
PATH = [
    ("Your files", "transcripts, Word files, subtitles, survey sheets", [], BLACK),
    ("Make a project, bring the files in", "each file is read before it goes in",
     [f"{TOOL} new my-project", f"{TOOL} import my-transcripts my-project"], BLUE),
    ("Say who took part", "fill in participants.csv, interviewers too",
     [f"{TOOL} info my-project"], BLUE),
    ("Take the names out", "work on a pseudonymised copy",
     [f"{TOOL} anonymise my-project my-project-shared"], VERMILION),
    ("Code by rules", "the codebook's rules code every turn",
     [f"{TOOL} code my-project-shared"], GREEN),
    [
        ("Agreement", "do two coders agree?", [f"{TOOL} agreement my-project-shared"], GREEN),
        ("Themes", "counted and quoted by the report", [], GREEN),
        ("Energy", "champions, sceptics and ideas", [f"{TOOL} energy my-project-shared"], GREEN),
    ],
    ("Report", "HTML, Word or Markdown, ready to share",
     [f"{TOOL} report my-project-shared"], PINK),
]  # fmt: skip


def _step(x: float, y: float, w: float, step: tuple, number: str) -> tuple[list[str], float]:
    """Draw one step's box; return its elements and its height."""
    name, doing, commands, colour = step
    head = f"{number}{name}"
    inner = w - 28
    first = [f"{head}: {doing}"]
    if text_width(f"{head}: ", NORMAL, bold=True) + text_width(doing, NORMAL) > inner:
        first = [head, *wrap(doing, inner, NORMAL)]
    h = 14 + 22 * len(first) + 20 * len(commands) + 10
    share = 0.12 if colour in (BLUE, GREEN, BLACK, VERMILION) else 0.25
    body = [box(x, y, w, h, tint(colour, share), colour, width=2, dash=not commands and
                colour == BLACK)]  # fmt: skip
    if len(first) == 1:
        body.append(
            f'<text x="{x + 14}" y="{y + 28}" font-size="{NORMAL}" fill="{BLACK}">'
            f'<tspan font-weight="700">{escape(head)}:</tspan> {escape(doing)}</text>'
        )
    else:
        body.append(text(x + 14, y + 28, head, bold=True))
        body += [text(x + 14, y + 50 + 22 * i, row) for i, row in enumerate(first[1:])]
    for i, command in enumerate(commands):
        body.append(text(x + 14, y + 28 + 22 * len(first) + 20 * i, command, size=SMALL,
                         mono=True))  # fmt: skip
    return body, h


def files_to_report() -> str:
    width, left, gap = 660, 20, 24
    w = width - 2 * left
    body, y, number = [], 16.0, 1
    for step in PATH:
        if y > 16:
            body.append(line(width / 2, y - gap, width / 2, y - 2, arrow=True))
        if isinstance(step, list):  # a group, in a frame of its own
            top = y
            y += 34
            parts = []
            for part in step:
                drawn, h = _step(left + 14, y, w - 28, part, "")
                parts += drawn
                y += h + 10
            frame = box(left, top, w, y - top + 4, PAPER, GREEN, width=2)
            label = text(left + 14, top + 24, f"{number}. Check and map: any of these", bold=True)
            body += [frame, label, *parts]
            y += 4
        else:
            drawn, h = _step(left, y, w, step, f"{number}. ")
            body += drawn
            y += h
        y += gap
        number += 1
    height = round(y - gap + 16)
    desc = "The path from a folder of files to a report, top to bottom, one command a step: " + (
        "; ".join(_describe(s, i + 1) for i, s in enumerate(PATH)) + "."
    )
    return svg(width, height, "From your files to a report", desc, body)


def _describe(step: tuple | list, number: int) -> str:
    if isinstance(step, list):
        return f"{number}, check and map, any of these: " + ", ".join(
            _describe(part, 0).split(", ", 1)[1] for part in step
        )
    name, doing, commands, _ = step
    said = f" ({' then '.join(commands)})" if commands else ""
    return f"{number}, {name.lower()}: {doing}{said}"
