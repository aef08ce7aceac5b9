"""The stages of experience-based co-design: two tracks that meet at the joint event."""

from __future__ import annotations

from drawings.svg import (
    BLUE,
    GREEN,
    LARGE,
    NORMAL,
    ORANGE,
    SMALL,
    box,
    lines,
    path,
    svg,
    text,
    tint,
    wrap,
)

#: Every step, numbered as in the table on book/kit/ebcd-event.md: (name, what happens).
STEPS = {
    1: ("Watch the service", "fieldnotes where care happens"),
    2: ("Staff interviews", "story interviews, sceptics too"),
    3: ("Patient and carer interviews", "filmed story interviews"),
    4: ("The trigger film", "about 30 minutes of agreed clips"),
    5: ("Staff event", "staff agree their priorities"),
    6: ("Patient and carer event", "watch the film, agree priorities"),
    7: ("Joint event", "everyone agrees shared priorities"),
    8: ("Co-design groups", "small mixed groups test changes"),
    9: ("Celebration", "everyone sees what has changed"),
}
#: Where each step sits: its row and its column (0 staff, 1 patients, 0.5 across both).
PLACES = {1: (0, 0), 2: (1, 0), 3: (0, 1), 4: (1, 1), 5: (2, 0), 6: (2, 1), 7: (3, 0.5),
          8: (4, 0), 9: (4, 1)}  # fmt: skip
FLOW = [(1, 2), (2, 5), (3, 4), (4, 6), (5, 7), (6, 7), (7, 8), (8, 9)]


def ebcd_stages() -> str:
    width, column, gap, pad, top = 660, 306, 32, 10, 52
    left = (width - 2 * column - gap) / 2
    drawn = {}
    for step, (name, doing) in STEPS.items():
        title = wrap(f"{step}. {name}", column - 2 * pad, NORMAL, bold=True)
        drawn[step] = (title, wrap(doing, column - 2 * pad, SMALL))
    rows = max(r for r, _ in PLACES.values()) + 1
    heights = [
        max(18 + 21 * len(t) + 19.5 * len(d) + 6 for s, (t, d) in drawn.items()
            if PLACES[s][0] == r)
        for r in range(rows)
    ]  # fmt: skip
    tops = [top + sum(heights[:r]) + 34 * r for r in range(rows)]
    body, frames = [], {}
    for step, (title, doing) in drawn.items():
        r, c = PLACES[step]
        x, y, h = left + c * (column + gap), tops[r], heights[r]
        colour = GREEN if step >= 7 else (BLUE, ORANGE)[int(c)]
        share = 0.25 if colour == ORANGE else 0.12
        body.append(box(x, y, column, h, tint(colour, share), colour, width=4 if step == 7 else 2))
        body += lines(x + pad, y + 23, title, size=NORMAL, bold=True, gap=1.3)
        body += lines(x + pad, y + 23 + 21 * len(title), doing, size=SMALL)
        frames[step] = (x, y, x + column, y + h)
        if step == 7:
            body.append(text(x + column + 14, y + h / 2 + 5, "this plan", size=SMALL, italic=True))
    for a, b in FLOW:
        (ax0, ay0, ax1, ay1), (bx0, by0, bx1, _) = frames[a], frames[b]
        if ay1 < by0:  # down, bending half-way if the boxes are not in line
            start, end = (ax0 + ax1) / 2, (bx0 + bx1) / 2
            if abs(start - end) > 1:
                start = min(max(start, bx0 + 40), bx1 - 40) if b == 7 else start
                end = start if b == 7 else max(min(end, ax1 - 40), ax0 + 40)
            mid = (ay1 + by0) / 2
            body.append(path(f"M{start} {ay1} V{mid} H{end} V{by0 - 2}", arrow=True))
        else:  # across
            y = (ay0 + ay1) / 2
            body.append(path(f"M{ax1} {y} H{bx0 - 2}", arrow=True))
    for c, heading in enumerate(["Staff", "Patients and carers"]):
        x = left + c * (column + gap) + column / 2
        body.append(text(x, 32, heading, size=LARGE, bold=True, anchor="middle"))
    height = tops[-1] + heights[-1] + 16
    desc = (
        "The nine steps of experience-based co-design, in two tracks that meet. "
        "Staff track: " + ", then ".join(_step(s) for s in (1, 2, 5)) + ". "
        "Patient and carer track: " + ", then ".join(_step(s) for s in (3, 4, 6)) + ". "
        "Both tracks lead into " + _step(7) + ", then " + _step(8) + ", then " + _step(9) + "."
    )
    return svg(width, round(height), "The stages of experience-based co-design", desc, body)


def _step(number: int) -> str:
    name, doing = STEPS[number]
    return f"step {number}, {name.lower()} ({doing})"
