"""The influence-energy grid: four boxes, and what a facilitator does about each."""

from __future__ import annotations

import ast
from pathlib import Path

from drawings.svg import (
    BLACK,
    BLUE,
    GREEN,
    LARGE,
    NORMAL,
    SMALL,
    VERMILION,
    box,
    line,
    lines,
    svg,
    text,
    tint,
    wrap,
)


def _quadrants() -> dict[str, str]:
    """The toolkit's QUADRANTS, read from its source so that drawing needs no pandas."""
    source = Path(__file__).resolve().parents[3] / "toolkit" / "analysis" / "energy" / "roles.py"
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "QUADRANTS"
        ]:
            return ast.literal_eval(node.value)
    raise LookupError(f"no QUADRANTS in {source}")


#: The boxes of the grid and what a facilitator does about each (toolkit.analysis.energy.roles).
QUADRANTS = _quadrants()
#: Each box's colour, in the order of QUADRANTS, as on the toolkit's chart.
COLOURS = {
    "involve now": BLUE,
    "engage with care": VERMILION,
    "connect and amplify": GREEN,
    "keep informed": BLACK,
}


def influence_energy_grid() -> str:
    width, height = 612, 510
    left, top, column, row = 60, 44, 108, 80  # five energy columns, five influence rows
    right, bottom = left + 5 * column, top + 5 * row
    split_x, split_y = left + 3 * column, top + 2 * row  # energy 0 | +1, influence 3 | 4
    spans = {  # x0, y0, x1, y1
        "involve now": (split_x, top, right, split_y),
        "engage with care": (left, top, split_x, split_y),
        "connect and amplify": (split_x, split_y, right, bottom),
        "keep informed": (left, split_y, split_x, bottom),
    }
    body = []
    for name, (x0, y0, x1, y1) in spans.items():
        body.append(box(x0, y0, x1 - x0, y1 - y0, tint(COLOURS[name], 0.12), COLOURS[name],
                        width=2, rx=0))  # fmt: skip
        who, action = QUADRANTS[name].split(": ", 1)
        inner = x1 - x0 - 28
        y = y0 + 28
        for words, size, style in [
            (name.capitalize(), LARGE, {"bold": True}),
            (who, SMALL, {"italic": True}),
            (action, NORMAL, {}),
        ]:
            rows = wrap(words, inner, size, bold=style.get("bold", False))
            body += lines(x0 + 14, y, rows, size=size, **style)
            y += len(rows) * size * 1.3 + 6
    # Axes: influence up the side, energy along the bottom.
    body.append(line(left, bottom, left, top - 30, arrow=True))
    body.append(line(left, bottom, right + 2, bottom, arrow=True))
    body.append(text(left + 10, top - 16, "Influence (1 to 5)", size=NORMAL, bold=True))
    for level in range(1, 6):
        y = bottom - (level - 0.5) * row
        body.append(line(left - 6, y, left, y, width=1.5))
        body.append(text(left - 12, y + 5, str(level), size=SMALL, anchor="end"))
    for i, (value, word) in enumerate(
        [("−2", "against"), ("−1", ""), ("0", "neutral"), ("+1", ""), ("+2", "for")]
    ):
        x = left + (i + 0.5) * column
        body.append(line(x, bottom, x, bottom + 6, width=1.5))
        body.append(text(x, bottom + 24, f"{value} {word}".strip(), size=SMALL, anchor="middle"))
    middle = (left + right) / 2
    body.append(text(middle, bottom + 54, "Energy for the change", bold=True, anchor="middle"))
    desc = (
        "A grid with influence, from 1 to 5, up the side and energy for the change, from "
        "minus 2 (against) through 0 (neutral) to plus 2 (for), along the bottom. "
        "Influence of 4 or 5 counts as high; energy above 0 counts as positive. "
        "Four boxes: "
        + "; ".join(f"{n.capitalize()}, {QUADRANTS[n]}" for n in spans)
        + ". Involve now is top right, engage with care top left, connect and amplify bottom "
        "right and keep informed bottom left."
    )
    return svg(width, height, "The influence-energy grid", desc, body)
