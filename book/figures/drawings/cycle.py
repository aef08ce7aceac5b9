"""The 4-D cycle of appreciative inquiry: four stages around an affirmative topic."""

from __future__ import annotations

from drawings.svg import (
    BLUE,
    GREEN,
    INK,
    LARGE,
    NORMAL,
    ORANGE,
    PINK,
    SMALL,
    YELLOW,
    box,
    circle,
    lines,
    path,
    svg,
    text,
    tint,
    wrap,
)

#: The stages, clockwise from the top: (name, its question, what people do).
STAGES = [
    ("Discover", "What gives life?", "interviews, peak stories"),
    ("Dream", "What might be?", "the best, made normal"),
    ("Design", "What should be?", "provocative propositions"),
    ("Destiny", "What will be?", "offers, action groups"),
]
COLOURS = [BLUE, ORANGE, GREEN, PINK]
TOPIC = ("Affirmative topic", "“getting home well”")


def four_d_cycle() -> str:
    width, height = 500, 520
    cx, cy, radius = width / 2, height / 2, 78
    wide, narrow, pad = 210, 152, 10
    # Each stage's box: centre x, centre y and width (top, right, bottom, left).
    places = [
        (cx, 62, wide),
        (width - 8 - narrow / 2, cy, narrow),
        (cx, height - 62, wide),
        (8 + narrow / 2, cy, narrow),
    ]
    body, edges = [], []
    for (name, question, doing), colour, (x, y, w) in zip(STAGES, COLOURS, places, strict=True):
        rows = wrap(doing, w - 2 * pad, SMALL)
        h = 30 + 22 + len(rows) * 19.5 + 14
        top = y - h / 2
        body.append(box(x - w / 2, top, w, h, tint(colour, 0.12), colour, width=3))
        body.append(text(x, top + 26, name, size=LARGE, bold=True, anchor="middle"))
        body.append(text(x, top + 48, question, size=NORMAL, anchor="middle"))
        body += lines(x, top + 70, rows, size=SMALL, anchor="middle")
        edges.append((x - w / 2, top, x + w / 2, top + h))
    # Arrows run clockwise from each box to the next, round the corners of the square.
    (l0, _, r0, _), (l1, t1, r1, b1), (l2, _, r2, _), (l3, t3, r3, b3) = edges
    mid = [(t + b) / 2 for _, t, _, b in edges]
    right_x, left_x = (l1 + r1) / 2, (l3 + r3) / 2
    gap = 4
    curves = [
        f"M{r0 + gap} {mid[0]} Q{right_x} {mid[0]} {right_x} {t1 - gap}",
        f"M{right_x} {b1 + gap} Q{right_x} {mid[2]} {r2 + gap} {mid[2]}",
        f"M{l2 - gap} {mid[2]} Q{left_x} {mid[2]} {left_x} {b3 + gap}",
        f"M{left_x} {t3 - gap} Q{left_x} {mid[0]} {l0 - gap} {mid[0]}",
    ]
    body = [path(d, width=2.5, arrow=True) for d in curves] + body
    body.append(circle(cx, cy, radius, tint(YELLOW, 0.25), INK, width=1.5))
    body += lines(cx, cy - 22, ["Affirmative", "topic"], size=LARGE, bold=True, anchor="middle")
    body += lines(cx, cy + 26, ["“getting", "home well”"], size=SMALL, anchor="middle",
                  italic=True)  # fmt: skip
    desc = (
        "A cycle of four stages drawn around a central circle, the affirmative topic, "
        "for example getting home well. Arrows run clockwise from each stage to the next: "
        + "; then ".join(f"{n}: {q.lower()} ({d})" for n, q, d in STAGES)
        + ". From Destiny an arrow leads back to Discover, and the cycle begins again."
    )
    return svg(width, height, "The 4-D cycle of appreciative inquiry", desc, body)
