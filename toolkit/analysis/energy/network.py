"""The stakeholder network: the graph, its centralities, hubs and bridges.

:func:`network_graph` turns the stakeholders and connections tables into an
undirected networkx graph; :func:`network_measures` gives each stakeholder's
degree, strength, betweenness, eigenvector centrality, the groups they link
and whether they are a hub or a bridge.  :func:`network_notes` lists what a
facilitator should know about the map's shape (parts, people on their own,
ties listed twice).
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from toolkit import tables
from toolkit.model.stakeholders import check_connections, check_stakeholders, tidy_numbers

__all__ = [
    "DENSE_LIMIT",
    "EXACT_BETWEENNESS_LIMIT",
    "MEASURES",
    "betweenness_centrality",
    "eigenvector_centrality",
    "is_missing",
    "network_graph",
    "network_measures",
    "network_notes",
]

#: The columns :func:`network_measures` computes, in order.
MEASURES = ["degree", "strength", "betweenness", "eigenvector", "groups_linked", "hub", "bridge"]

#: Above this many people in one part, use a sparse solver rather than a dense one.
DENSE_LIMIT = 100
#: Above this many people, betweenness is estimated from a seeded sample of them.
EXACT_BETWEENNESS_LIMIT = 1500


def is_missing(value: Any) -> bool:
    """Whether a table cell is empty (None, NA or NaN)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def network_graph(stakeholders: pd.DataFrame, connections: pd.DataFrame | None = None) -> nx.Graph:
    """Build the stakeholder network as an undirected networkx graph.

    Every stakeholder is a node (with their ratings as attributes), even with
    no connections.  A pair listed twice (either way round) becomes one tie
    with the stronger weight and both kinds.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"stakeholder": ["A", "B", "C"], "group": ["x"] * 3,
    ...                        "influence": [1, 2, 3], "interest": [3] * 3, "energy": [0] * 3})
    >>> ties = pd.DataFrame({"source": ["A", "B"], "target": ["B", "A"], "weight": [1, 3]})
    >>> graph = network_graph(people, ties)
    >>> graph.number_of_nodes(), graph.number_of_edges(), graph["A"]["B"]["weight"]
    (3, 1, 3)
    """
    people = check_stakeholders(stakeholders)
    graph = nx.Graph()
    for record in people.to_dict("records"):
        attributes = {k: v for k, v in record.items() if k != "stakeholder" and not is_missing(v)}
        graph.add_node(record["stakeholder"], **attributes)
    if connections is None or len(connections) == 0:
        return graph
    ties = check_connections(connections, people)
    for source, target, weight, kind in ties[tables.CONNECTIONS.names].itertuples(index=False):
        if graph.has_edge(source, target):
            edge = graph[source][target]
            edge["weight"] = max(edge["weight"], weight)
            kinds = [k for k in edge["kind"].split(", ") if k]
            if kind and kind not in kinds:
                edge["kind"] = ", ".join([*kinds, kind])
            edge["listed"] += 1
        else:
            graph.add_edge(source, target, weight=weight, kind=kind, listed=1)
    return graph


def eigenvector_centrality(graph: nx.Graph) -> dict[str, float]:
    """Weighted eigenvector centrality that stays well defined when the network is in parts.

    On a connected network this is networkx's
    :func:`~networkx.algorithms.centrality.eigenvector_centrality_numpy`
    (weighted by ``weight``), scaled so the most central person scores 1.
    On a network in several parts the usual measure is either undefined or
    depends on numerical accident (two similar parts share one eigenvalue),
    so each part is scored on its own (its leading eigenvector, largest
    score 1), then scaled by the part's leading eigenvalue relative to the
    strongest part's.  A person with no ties scores 0.

    Examples
    --------
    >>> import networkx as nx
    >>> scores = eigenvector_centrality(nx.star_graph(3))
    >>> round(scores[0], 3), round(scores[1], 3)
    (1.0, 0.577)
    """
    scores: dict[str, float] = dict.fromkeys(graph.nodes, 0.0)
    parts = []
    for nodes in nx.connected_components(graph):
        if len(nodes) < 2:
            continue
        order = sorted(nodes)
        leading, vector = _leading_eigenvector(graph, order)
        parts.append((order, leading, vector / vector.max()))
    top = max((leading for _, leading, _ in parts), default=0.0)
    for order, leading, vector in parts:
        for node, value in zip(order, vector, strict=True):
            scores[node] = float(value * leading / top) if top > 0 else 0.0
    return scores


def _leading_eigenvector(graph: nx.Graph, order: list[str]) -> tuple[float, np.ndarray]:
    """The largest eigenvalue of a connected part and its (positive) eigenvector."""
    if len(order) <= DENSE_LIMIT:
        matrix = nx.to_numpy_array(graph, nodelist=order, weight="weight")
        values, vectors = np.linalg.eigh(matrix)
        return float(values[-1]), np.abs(vectors[:, -1])
    from scipy.sparse.linalg import eigsh  # only for large maps: scipy is slow to import

    matrix = nx.to_scipy_sparse_array(graph, nodelist=order, weight="weight", dtype=float)
    # A fixed start vector keeps the answer the same from run to run.
    start = np.ones(len(order)) / len(order) ** 0.5
    values, vectors = eigsh(matrix, k=1, which="LA", v0=start)
    return float(values[0]), np.abs(vectors[:, 0])


def betweenness_centrality(graph: nx.Graph) -> dict[str, float]:
    """Normalised betweenness (counted in steps), estimated on a very large map.

    Exact betweenness grows with people x ties, so on a map of more than
    :data:`EXACT_BETWEENNESS_LIMIT` people a seeded sample of starting points
    gives a close, repeatable estimate.  A map of two people or fewer has none.
    """
    if len(graph) <= 2:
        return {}
    if len(graph) <= EXACT_BETWEENNESS_LIMIT:
        return nx.betweenness_centrality(graph, normalized=True)
    return nx.betweenness_centrality(graph, k=EXACT_BETWEENNESS_LIMIT // 2, normalized=True, seed=0)


def network_notes(graph: nx.Graph) -> list[str]:
    """Return what a facilitator should know about the map: parts, loners, doubled ties."""
    notes: list[str] = []
    if graph.number_of_nodes() == 0:
        return notes
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    alone = sorted(n for n in graph.nodes if graph.degree(n) == 0)
    if len(parts) > 1:
        sizes = ", ".join(str(len(p)) for p in parts)
        notes.append(
            f"The network is in {len(parts)} separate parts (sizes {sizes}): no chain of "
            "connections joins them, so introductions cannot cross between them."
        )
    if alone:
        notes.append(
            "Not connected to anyone on the map: "
            + ", ".join(alone)
            + ". Add their connections if they have any, or plan how to reach them."
        )
    doubled = sorted(
        f"{a} and {b}" for a, b, listed in graph.edges(data="listed", default=1) if listed > 1
    )
    if doubled:
        notes.append(
            "Listed more than once (kept as one tie with the stronger weight): "
            + "; ".join(doubled)
            + "."
        )
    return notes


def network_measures(
    people: pd.DataFrame,
    graph: nx.Graph,
    *,
    hub_degree: int | None = None,
    bridge_share: float = 0.5,
) -> pd.DataFrame:
    """Return each stakeholder's place in the network: the :data:`MEASURES` columns.

    Parameters
    ----------
    people
        A checked stakeholders table (see
        :func:`toolkit.model.stakeholders.check_stakeholders`).
    graph
        Their network, from :func:`network_graph`.
    hub_degree
        Connections needed to count as a hub.  By default, twice the median
        number of connections, and at least 4.
    bridge_share
        A bridge's betweenness must be at least this share of the highest
        betweenness on the map (default 0.5), with ties outside their group.

    Returns
    -------
    pandas.DataFrame
        One row per stakeholder, with the index of ``people``;
        ``attrs["hub_degree"]`` is the threshold used.

    Examples
    --------
    >>> import networkx as nx, pandas as pd
    >>> people = pd.DataFrame({"stakeholder": ["A", "B", "C"], "group": ["x", "x", "y"]})
    >>> graph = nx.path_graph(["A", "B", "C"])
    >>> network_measures(people, graph)[["degree", "betweenness", "bridge"]].values.tolist()
    [[1, 0.0, False], [2, 1.0, True], [1, 0.0, False]]
    """
    names = list(people["stakeholder"])
    degree = dict(graph.degree())
    strength = dict(graph.degree(weight="weight"))
    betweenness = betweenness_centrality(graph)
    eigenvector = eigenvector_centrality(graph)
    group_of = dict(zip(names, people["group"], strict=True))
    linked = {n: len({group_of[m] for m in graph.neighbors(n)} - {group_of[n]}) for n in names}
    if hub_degree is None:
        median = float(np.median(list(degree.values()))) if degree else 0.0
        hub_degree = max(4, math.ceil(2 * median))
    top_between = max(betweenness.values(), default=0.0)
    out = pd.DataFrame(index=people.index)
    out["degree"] = [int(degree[n]) for n in names]
    out["strength"] = tidy_numbers(pd.Series([float(strength[n]) for n in names], index=out.index))
    out["betweenness"] = [round(float(betweenness.get(n, 0.0)), 4) for n in names]
    out["eigenvector"] = [round(eigenvector[n], 4) for n in names]
    out["groups_linked"] = [linked[n] for n in names]
    out["hub"] = [degree[n] >= hub_degree for n in names]
    out["bridge"] = [
        top_between > 0 and betweenness.get(n, 0.0) >= bridge_share * top_between and linked[n] >= 1
        for n in names
    ]
    out.attrs = {"hub_degree": hub_degree}
    return out
