"""Hierarchy beside network: a tree of command, and a web with hubs, a bridge and a weak tie."""

from __future__ import annotations

from drawings.svg import (
    BLACK,
    BLUE,
    LARGE,
    NORMAL,
    ORANGE,
    PAPER,
    SKY,
    SMALL,
    box,
    circle,
    line,
    lines,
    path,
    polygon,
    svg,
    text,
    tint,
)

#: The tree, top to bottom: each level's label and the centres of its boxes.
TREE = [("Board", [175]), ("Director", [92, 258]), ("Team", [46, 134, 216, 304])]
#: The network's two groups: (name, hub, the others, ties among the others), as x, y centres.
GROUPS = [
    ("hospital", (430, 172), [(380, 100), (472, 94), (370, 205), (398, 262), (470, 252)],
     [(0, 2), (3, 4)]),
    ("community", (625, 172), [(676, 100), (582, 94), (684, 208), (654, 262), (584, 252)],
     [(0, 2), (3, 4)]),
]  # fmt: skip
BRIDGE = (527, 204)


def hierarchy_and_network() -> str:
    width, height = 700, 390
    body = [line(350, 20, 350, height - 20, colour=tint(BLACK, 0.25), width=1.5)]
    # Left: the tree.
    body.append(text(175, 32, "Hierarchy: power over", size=LARGE, bold=True, anchor="middle"))
    box_w, box_h, tops = {0: 104, 1: 110, 2: 78}, 38, [70, 160, 250]
    for level, (label, centres) in enumerate(TREE):
        for x in centres:
            if level:
                parents = TREE[level - 1][1]
                parent = min(parents, key=lambda p, x=x: abs(p - x))
                y0, y1 = tops[level - 1] + box_h, tops[level]
                mid = (y0 + y1) / 2
                body.insert(1, path(f"M{parent} {y0} V{mid} H{x} V{y1}", width=1.5))
            w = box_w[level]
            body.append(box(x - w / 2, tops[level], w, box_h, tint(BLACK, 0.12)))
            body.append(text(x, tops[level] + 24, label, size=SMALL, anchor="middle"))
    body += lines(175, 338, ["Orders flow down and", "reports flow up."], size=NORMAL,
                  anchor="middle")  # fmt: skip
    # Right: the network.
    body.append(text(525, 32, "Network: power with", size=LARGE, bold=True, anchor="middle"))
    edges, nodes = [], []
    for name, hub, others, ties in GROUPS:
        edges += [line(*hub, x, y, width=1.5) for x, y in others]
        edges += [line(*others[i], *others[j], width=1.5) for i, j in ties]
        nodes += [circle(x, y, 11, tint(SKY, 0.25), BLUE) for x, y in others]
        nodes.append(circle(*hub, 24, BLUE, BLACK))
        nodes.append(text(hub[0], hub[1] + 5, "hub", size=SMALL, bold=True, anchor="middle",
                          colour=PAPER))  # fmt: skip
        nodes.append(text(hub[0], 306, name, size=SMALL, italic=True, anchor="middle"))
    bx, by = BRIDGE
    edges += [line(*GROUPS[0][1], bx, by, width=1.5), line(bx, by, *GROUPS[1][1], width=1.5)]
    nodes.append(polygon([(bx, by - 16), (bx + 16, by), (bx, by + 16), (bx - 16, by)], ORANGE))
    nodes.append(text(bx, by + 38, "bridge", size=SMALL, bold=True, anchor="middle", halo=True))
    (x1, y1), (x2, y2) = GROUPS[0][2][1], GROUPS[1][2][1]
    edges.append(line(x1, y1, x2, y2, width=1.5, dash=True))
    nodes.append(text((x1 + x2) / 2, y1 - 12, "weak tie", size=SMALL, anchor="middle"))
    body += edges + nodes
    body += lines(525, 338, ["Links run across groups, held", "together by hubs and bridges."],
                  size=NORMAL, anchor="middle")  # fmt: skip
    desc = (
        "Two pictures side by side. On the left, a hierarchy: a board at the top, two "
        "directors below it and four teams below them, each linked only to the one box "
        "above; orders flow down and reports flow up. On the right, a network of two groups, "
        "the hospital and the community. Each group has a hub, a larger circle linked to "
        "everyone in its group. A bridge, drawn as a diamond, is the only person linking the "
        "groups, and a dashed weak tie joins two people, one in each group, who know each other "
        "a little."
    )
    return svg(width, height, "From hierarchy to network", desc, body)
