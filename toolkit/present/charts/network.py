"""The stakeholder network: who is connected to whom, and where the energy is."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from toolkit.present.charts.base import FONT_SIZE, outlined_points
from toolkit.present.charts.energy import (
    ENERGY_SCALE,
    check_energy_table,
    people_list,
    short_names,
    stakeholder_marks,
)

__all__ = ["network_chart"]


def network_chart(
    table: pd.DataFrame,
    connections: pd.DataFrame | None = None,
    *,
    size: str = "degree",
    seed: int = 7,
) -> alt.LayerChart:
    """Draw the stakeholder network: who is connected to whom, and where the energy is.

    Node size shows ``size`` (a column of the energy table: ``degree``,
    ``betweenness`` or ``eigenvector``), colour shows energy for the change
    on a colour-blind-safe diverging scale, and shape shows role.  Hubs,
    bridges and sceptics are named in bold.  The layout is a spring layout
    with a fixed ``seed``, so the same data always gives the same picture.

    Parameters
    ----------
    table
        A table from :func:`toolkit.energy_table`.
    connections
        The connections table.
    size
        The measure for node size.
    seed
        Seed of the layout.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> table = tk.energy_table(project.stakeholders, project.connections)
    >>> chart = tk.charts.network_chart(table, project.connections)
    >>> "Bridges between groups" in tk.charts.describe(chart)
    True
    """
    import networkx as nx

    from toolkit.analysis.energy.network import network_graph

    columns = ["stakeholder", "energy", "role", "degree", "hub", "bridge", size]
    check_energy_table(table, list(dict.fromkeys(columns)), "energy table")
    graph = network_graph(table, connections)
    nodes = sorted(graph.nodes)
    layout_graph = nx.Graph()
    layout_graph.add_nodes_from(nodes)
    # The layout depends on the order of nodes and edges, so fix both.
    ties = sorted((min(a, b), max(a, b), w) for a, b, w in graph.edges(data="weight"))
    layout_graph.add_weighted_edges_from(ties)
    spread = 2.4 / max(1, len(nodes)) ** 0.5
    # Small maps get a careful layout; large ones a quicker one.
    rounds = 200 if len(nodes) <= 300 else 50
    where = nx.spring_layout(layout_graph, seed=seed, weight="weight", k=spread, iterations=rounds)
    data = table.copy()
    data["x"] = [round(float(where[n][0]), 4) for n in data["stakeholder"]]
    data["y"] = [round(float(where[n][1]), 4) for n in data["stakeholder"]]
    data["short"] = short_names(data["stakeholder"])
    flags = []
    for hub, bridge, role, influence in zip(
        data["hub"], data["bridge"], data["role"], data["influence"], strict=True
    ):
        tags = [t for t, on in (("hub", hub), ("bridge", bridge)) if on]
        if role == "sceptic" and influence >= table.attrs.get("high_influence", 4):
            tags.append("sceptic")
        flags.append(" and ".join(tags))
    data["flag"] = flags
    data["label"] = [f"{s} ({f})" if f else s for s, f in zip(data["short"], flags, strict=True)]
    # Node areas run from 60 to 700 square pixels.  Each label sits just above its
    # node: its radius plus a gap, turned from pixels into layout units.
    width, height, pad = 600, 500, 30
    top = float(data[size].max()) or 1.0
    size_scale = alt.Scale(domain=[0, top], range=[60, 700])
    area = 60 + 640 * data[size].astype(float) / top
    span = float(data["y"].max() - data["y"].min()) or 1.0
    per_pixel = span / (height - 2 * pad)
    data["label_y"] = (data["y"] + ((area / math.pi) ** 0.5 + 8) * per_pixel).round(4)
    keep = ["stakeholder", "group", "influence", "energy", "role", "degree", "betweenness"]
    keep += ["eigenvector", "x", "y", "label", "flag", "label_y"]
    data = data[[c for c in dict.fromkeys([*keep, size]) if c in data.columns]]
    edges = pd.DataFrame(
        [
            {
                "source": a,
                "target": b,
                "weight": d["weight"],
                "kind": d["kind"],
                "x": round(float(where[a][0]), 4),
                "y": round(float(where[a][1]), 4),
                "x2": round(float(where[b][0]), 4),
                "y2": round(float(where[b][1]), 4),
            }
            for a, b, d in sorted(graph.edges(data=True))
        ],
        columns=["source", "target", "weight", "kind", "x", "y", "x2", "y2"],
    )
    ys = data["y"].astype(float)
    x_scale = alt.Scale(zero=False, nice=False, padding=pad)
    y_scale = alt.Scale(zero=False, nice=False, padding=pad, domain=[ys.min(), ys.max()])
    axis_x = alt.X("x:Q", axis=None, scale=x_scale)
    axis_y = alt.Y("y:Q", axis=None, scale=y_scale)
    lines = (
        alt.Chart(edges)
        .mark_rule(color="#9a9a9a", opacity=0.8)
        .encode(
            x=axis_x,
            y=axis_y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth(
                "weight:Q", scale=alt.Scale(domain=[1, 3], range=[0.7, 3.2]), legend=None
            ),
            tooltip=[
                alt.Tooltip("source:N", title="From"),
                alt.Tooltip("target:N", title="To"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("weight:Q", title="Strength (1 to 3)"),
            ],
        )
    )
    size_title = {"degree": "Connections", "betweenness": "Betweenness"}.get(size, size)
    points = outlined_points(data, "#1a1a1a", 0.8).encode(
        x=axis_x,
        y=axis_y,
        size=alt.Size(f"{size}:Q", scale=size_scale, title=size_title),
        color=alt.Color(
            "energy:Q",
            scale=alt.Scale(domain=[-2, 2], domainMid=0, **ENERGY_SCALE),
            title="Energy (-2 to +2)",
            legend=alt.Legend(values=[-2, -1, 0, 1, 2], format="+d"),
        ),
        **stakeholder_marks(
            data,
            alt.Tooltip("degree:Q", title="Connections"),
            alt.Tooltip("betweenness:Q", title="Betweenness", format=".2f"),
        ),
    )
    # Hubs, bridges and sceptics are named in bold; everyone else in plain type.
    labels = [
        alt.Chart(data[data["flag"].ne("") == bold])
        .mark_text(
            fontSize=FONT_SIZE - 2,
            fontWeight="bold" if bold else "normal",
            color="#1a1a1a",
        )
        .encode(x=axis_x, y=alt.Y("label_y:Q", axis=None, scale=y_scale), text="label:N")
        for bold in (False, True)
    ]
    ranked = table.sort_values(["degree", "stakeholder"], ascending=[False, True])
    hubs = [f"{n} ({d})" for n, d, h in ranked[["stakeholder", "degree", "hub"]].values if h]
    bridges = list(
        table[table["bridge"]].sort_values("betweenness", ascending=False)["stakeholder"]
    )
    least = ranked[ranked["degree"] == ranked["degree"].min()]
    alone = ", ".join(f"{n} ({d})" for n, d in least[["stakeholder", "degree"]].values[:4])
    sceptics = list(table.loc[table["role"] == "sceptic", "stakeholder"])
    description = (
        f"Network map of {len(table)} stakeholders and {len(edges)} connections; thicker lines "
        f"are stronger ties. Hubs, with the most connections: {people_list(hubs)}. "
        f"Bridges between groups: {people_list(bridges)}. "
        f"Fewest connections: {alone}. "
        + (f"Sceptics: {people_list(sceptics)}. " if sceptics else "")
        + "Colour shows energy for the change, from orange (against) through white to blue "
        f"(for); shape shows role; size shows {size_title.lower()}."
    )
    notes = table.attrs.get("notes") or []
    if notes:
        description += " " + " ".join(notes)
    return alt.layer(lines, points, *labels).properties(
        title=alt.Title(
            "Who is connected to whom",
            subtitle="Size: " + size_title.lower() + ". Colour: energy. Shape: role.",
        ),
        width=width,
        height=height,
        description=description,
    )
