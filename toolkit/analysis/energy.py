"""Stakeholder energy, network measures and the follow-the-energy ranking.

Three tables come from a workshop or a stakeholder-mapping session:

``stakeholders``
    One row per stakeholder: ``stakeholder, group, influence, interest,
    energy``, and optionally the five energies for change from the NHS
    Horizons framework (``social, spiritual, psychological, physical,
    intellectual``).  Influence, interest and the five energies run from 1 to
    5; energy for the change runs from -2 (strongly against) to +2 (strongly
    for).
``connections``
    One row per tie: ``source, target, weight, kind``.  Ties are treated as
    two-way (people who talk to, work with or trust each other), and
    ``weight`` runs from 1 (a light link) to 3 (a strong link).
``votes``
    One row per participant and item of a dot vote: ``participant, item,
    dots`` and ``session``.

From them this module computes who has the energy (:func:`energy_table`),
who can introduce whom (:func:`introductions`), where the five energies are
high or depleted (:func:`energy_profile`) and which ideas have the most
energy behind them once dot votes, interview evidence and champions are put
side by side (:func:`follow_the_energy`).  :func:`export_network` writes the
map for Gephi (GraphML, GEXF) or Kumu (JSON).

Every function returns a new table and never changes its inputs.  Bad input
raises :class:`~toolkit.errors.EnergyError` naming the file and row.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import json
import math
import numbers
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from toolkit.errors import EnergyError, ToolkitError
from toolkit.io.files import atomic_write, read_table, to_numbers

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.model.project import Project

__all__ = [
    "CONNECTION_COLUMNS",
    "DEFAULT_FRAMES",
    "DEFAULT_WEIGHTS",
    "FIVE_ENERGIES",
    "QUADRANTS",
    "ROLES",
    "STAKEHOLDER_COLUMNS",
    "VOTE_COLUMNS",
    "check_connections",
    "check_stakeholders",
    "check_votes",
    "energy_profile",
    "energy_table",
    "export_network",
    "follow_the_energy",
    "introductions",
    "network_graph",
    "read_connections",
    "read_stakeholders",
    "read_votes",
]

STAKEHOLDER_COLUMNS = ["stakeholder", "group", "influence", "interest", "energy"]
#: The five energies for change (NHS Horizons), in the order the book uses.
FIVE_ENERGIES = ["social", "spiritual", "psychological", "physical", "intellectual"]
CONNECTION_COLUMNS = ["source", "target", "weight", "kind"]
VOTE_COLUMNS = ["participant", "item", "dots"]

#: Role labels, in the order the rules in :func:`energy_table` try them.
ROLES = ["sceptic", "connector", "champion", "potential ally", "bystander"]
#: Boxes of the influence-energy grid, and what a facilitator does about each.
QUADRANTS = {
    "involve now": "high influence, positive energy: likely champions, involve them now",
    "engage with care": "high influence, neutral or negative energy: listen and bring along",
    "connect and amplify": "less influence, positive energy: link them to people with influence",
    "keep informed": "less influence, neutral or negative energy: keep informed and listening",
}
#: Weights of the three kinds of evidence in :func:`follow_the_energy`.
DEFAULT_WEIGHTS = {"dots": 1.0, "interviews": 1.0, "champions": 1.0}
#: Words in a codebook theme that put its codes in an appreciative frame.
DEFAULT_FRAMES = {
    "wish": ("wish", "dream", "hope", "future", "design"),
    "strength": ("strength", "value", "enabl", "positive core", "discover", "works"),
}

_RANGES = {
    "influence": (1, 5),
    "interest": (1, 5),
    "energy": (-2, 2),
    **{name: (1, 5) for name in FIVE_ENERGIES},
}
_ARROW = " → "


# --- reading and checking the tables ----------------------------------------


@contextlib.contextmanager
def _energy_errors() -> Iterator[None]:
    """Re-raise the shared readers' errors as EnergyError, keeping where and how to fix."""
    try:
        yield
    except EnergyError:
        raise
    except ToolkitError as exc:
        raise EnergyError(
            exc.message, path=exc.path, line=exc.line, row=exc.row, hint=exc.hint
        ) from None


def _rows(table: pd.DataFrame) -> list[int]:
    # Spreadsheet row numbers: the header is row 1, so the first record is row 2.
    rows = table.attrs.get("rows")
    if rows is not None and len(rows) == len(table):
        return list(rows)
    return list(range(2, len(table) + 2))


def _where(table: pd.DataFrame) -> dict[str, Any]:
    return {"path": table.attrs.get("path")}


def _require_frame(table: Any, columns: Iterable[str], what: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise EnergyError(
            f"expected a {what} table (a pandas DataFrame), but got {type(table).__name__}",
            hint=f"read it with tk.read_{what}(path) or use project.{what}",
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise EnergyError(
            f"expected the column(s) {', '.join(map(repr, missing))} in the {what} table, "
            f"but found {', '.join(map(repr, map(str, table.columns))) or 'no columns'}",
            path=table.attrs.get("path"),
            line=1 if table.attrs.get("path") else None,
            hint="rename the columns to match (names are case-sensitive); the starter file in "
            "templates/ has the right header",
        )
    return table


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _numbers(table: pd.DataFrame, column: str, *, optional: bool = False) -> pd.Series:
    low, high = _RANGES[column]
    # to_numbers reads text; blank out missing values so they count as empty cells.
    cells = pd.DataFrame({column: [_text(v) for v in table[column]]}, index=table.index)
    cells.attrs = dict(table.attrs)
    with _energy_errors():
        return to_numbers(cells, column, low=low, high=high, optional=optional)


def _tidy_numbers(values: pd.Series) -> pd.Series:
    """Keep whole-number ratings as integers, so tables read as they were typed."""
    if values.notna().all() and (values == values.round()).all():
        return values.astype("int64")
    return values.astype("float64")


def _suggest(name: str, known: Iterable[str]) -> str:
    known = list(known)
    lowered = {k.casefold(): k for k in known}
    if name.casefold() in lowered:
        return f" (did you mean '{lowered[name.casefold()]}'? names are case-sensitive)"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_stakeholders(stakeholders: pd.DataFrame) -> pd.DataFrame:
    """Check a stakeholders table and return a copy with numeric ratings.

    Influence and interest must be 1 to 5, energy -2 to +2, and each of the
    five energies (optional columns; blank cells allowed) 1 to 5.  Names must
    be filled in and unique.  Extra columns are kept as they are.

    Raises
    ------
    EnergyError
        Naming the file (if the table was read from one) and the row.

    Examples
    --------
    >>> import pandas as pd
    >>> table = check_stakeholders(pd.DataFrame({
    ...     "stakeholder": ["Ann"], "group": ["GP practice"],
    ...     "influence": ["4"], "interest": [5], "energy": ["-1"]}))
    >>> table.loc[0, "energy"]
    np.int64(-1)
    """
    _require_frame(stakeholders, STAKEHOLDER_COLUMNS, "stakeholders")
    out = stakeholders.copy()
    rows = _rows(stakeholders)
    names = [_text(v) for v in stakeholders["stakeholder"]]
    seen: dict[str, int] = {}
    for row, name in zip(rows, names, strict=True):
        if not name:
            raise EnergyError(
                "expected a name in column 'stakeholder', but the cell is empty",
                row=row,
                hint="fill in who this row is about, or delete the row",
                **_where(stakeholders),
            )
        if name in seen:
            raise EnergyError(
                f"expected each stakeholder once, but '{name}' is also in row {seen[name]}",
                row=row,
                hint="merge the two rows, or tell the two people apart (for example by adding "
                "their role to the name)",
                **_where(stakeholders),
            )
        seen[name] = row
    out["stakeholder"] = pd.Series(names, index=out.index, dtype=object)
    out["group"] = pd.Series(
        [_text(v) for v in stakeholders["group"]], index=out.index, dtype=object
    )
    for column in ["influence", "interest", "energy"]:
        out[column] = _tidy_numbers(_numbers(stakeholders, column))
    for column in FIVE_ENERGIES:
        if column in stakeholders.columns:
            out[column] = _tidy_numbers(_numbers(stakeholders, column, optional=True))
    out.attrs = dict(stakeholders.attrs)
    return out


def check_connections(
    connections: pd.DataFrame, stakeholders: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Check a connections table and return a copy with numeric weights.

    ``source`` and ``target`` are required; ``weight`` (1 to 3, blank means
    1) and ``kind`` are optional.  With ``stakeholders``, every name must be
    one of theirs.

    Raises
    ------
    EnergyError
        For an unknown name, a connection from someone to themselves, or a
        weight out of range, naming the row.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"stakeholder": ["Ann", "Bo"], "group": ["", ""],
    ...                        "influence": [3, 3], "interest": [3, 3], "energy": [0, 1]})
    >>> ties = check_connections(pd.DataFrame({"source": ["Ann"], "target": ["Bo"]}), people)
    >>> ties[["source", "target", "weight", "kind"]].values.tolist()
    [['Ann', 'Bo', 1, '']]
    """
    _require_frame(connections, ["source", "target"], "connections")
    known = None
    if stakeholders is not None:
        known = set(check_stakeholders(stakeholders)["stakeholder"])
    out = connections.copy()
    rows = _rows(connections)
    sources = [_text(v) for v in connections["source"]]
    targets = [_text(v) for v in connections["target"]]
    for row, source, target in zip(rows, sources, targets, strict=True):
        for column, name in (("source", source), ("target", target)):
            if not name:
                raise EnergyError(
                    f"expected a stakeholder's name in column '{column}', but the cell is empty",
                    row=row,
                    hint="fill in both people the connection joins, or delete the row",
                    **_where(connections),
                )
            if known is not None and name not in known:
                raise EnergyError(
                    f"expected '{column}' to be a stakeholder in stakeholders.csv, but found "
                    f"'{name}', who is not there{_suggest(name, known)}",
                    row=row,
                    hint="spell the name exactly as in stakeholders.csv, or add the person "
                    "to stakeholders.csv",
                    **_where(connections),
                )
        if source == target:
            raise EnergyError(
                f"expected a connection between two different people, but row links "
                f"'{source}' to themselves",
                row=row,
                hint="correct the target, or delete the row",
                **_where(connections),
            )
    out["source"] = pd.Series(sources, index=out.index, dtype=object)
    out["target"] = pd.Series(targets, index=out.index, dtype=object)
    if "weight" in connections.columns:
        cells = pd.DataFrame(
            {"weight": [_text(v) or "1" for v in connections["weight"]]}, index=out.index
        )
        cells.attrs = dict(connections.attrs)
        with _energy_errors():
            out["weight"] = _tidy_numbers(to_numbers(cells, "weight", low=1, high=3))
    else:
        out["weight"] = 1
    kinds = connections["kind"] if "kind" in connections.columns else [""] * len(out)
    out["kind"] = pd.Series([_text(v) for v in kinds], index=out.index, dtype=object)
    out.attrs = dict(connections.attrs)
    return out[[*CONNECTION_COLUMNS, *[c for c in out.columns if c not in CONNECTION_COLUMNS]]]


def check_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """Check a votes table and return a copy with whole-number dots.

    ``participant`` may be blank (dots on a wall are often anonymous);
    ``item`` may not.  ``session`` is optional (blank when missing).

    Examples
    --------
    >>> import pandas as pd
    >>> check_votes(pd.DataFrame({"participant": ["Ann"], "item": ["Lifts"], "dots": ["2"]}))
      participant   item  dots session
    0         Ann  Lifts     2
    """
    _require_frame(votes, VOTE_COLUMNS, "votes")
    out = votes.copy()
    rows = _rows(votes)
    items = [_text(v) for v in votes["item"]]
    for row, item in zip(rows, items, strict=True):
        if not item:
            raise EnergyError(
                "expected the idea or theme voted on in column 'item', but the cell is empty",
                row=row,
                hint="fill in the item, or delete the row",
                **_where(votes),
            )
    cells = pd.DataFrame({"dots": [_text(v) for v in votes["dots"]]}, index=out.index)
    cells.attrs = dict(votes.attrs)
    with _energy_errors():
        dots = to_numbers(cells, "dots", low=0, high=1000, integer=True)
    out["participant"] = pd.Series(
        [_text(v) for v in votes["participant"]], index=out.index, dtype=object
    )
    out["item"] = pd.Series(items, index=out.index, dtype=object)
    out["dots"] = dots.astype("int64")
    sessions = votes["session"] if "session" in votes.columns else [""] * len(out)
    out["session"] = pd.Series([_text(v) for v in sessions], index=out.index, dtype=object)
    for column in ("code", "theme"):
        if column in out.columns:
            out[column] = pd.Series(
                [_text(v) for v in votes[column]], index=out.index, dtype=object
            )
    out.attrs = dict(votes.attrs)
    first = [*VOTE_COLUMNS, "session"]
    return out[[*first, *[c for c in out.columns if c not in first]]]


def read_stakeholders(path: str | Path) -> pd.DataFrame:
    """Read ``stakeholders.csv`` into a checked stakeholders table.

    Parameters
    ----------
    path
        The CSV file: ``stakeholder, group, influence, interest, energy`` and
        optionally the five energies.

    Raises
    ------
    EnergyError
        Naming the file and row of a missing or repeated name, or a rating
        out of range.

    Examples
    --------
    >>> import toolkit as tk
    >>> people = tk.read_stakeholders(tk.sample_project_path() / "stakeholders.csv")
    >>> people.loc[people["stakeholder"] == "Graham Pike", "energy"].item()
    -2
    """
    with _energy_errors():
        table = read_table(path, STAKEHOLDER_COLUMNS, what="stakeholders")
    return check_stakeholders(table)


def read_connections(path: str | Path, stakeholders: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read ``connections.csv``, checking every name against ``stakeholders``.

    Raises
    ------
    EnergyError
        Naming the file and row of an unknown name, a self-loop or a weight
        outside 1 to 3.

    Examples
    --------
    >>> import toolkit as tk
    >>> folder = tk.sample_project_path()
    >>> ties = tk.read_connections(folder / "connections.csv",
    ...                            tk.read_stakeholders(folder / "stakeholders.csv"))
    >>> sorted(set(ties["kind"]))
    ['talks-to', 'trusts', 'works-with']
    """
    with _energy_errors():
        table = read_table(path, ["source", "target"], what="connections")
    return check_connections(table, stakeholders)


def read_votes(path: str | Path) -> pd.DataFrame:
    """Read ``votes.csv``: dots per participant and item (and session).

    An optional ``code`` or ``theme`` column links an item to the codebook
    code or theme it came from (see :func:`follow_the_energy`).

    Examples
    --------
    >>> import toolkit as tk
    >>> votes = tk.read_votes(tk.sample_project_path() / "votes.csv")
    >>> int(votes["dots"].sum()) > 50
    True
    """
    with _energy_errors():
        table = read_table(path, VOTE_COLUMNS, what="votes")
    return check_votes(table)


# --- the network ------------------------------------------------------------


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
        attributes = {k: v for k, v in record.items() if k != "stakeholder" and not _is_missing(v)}
        graph.add_node(record["stakeholder"], **attributes)
    if connections is None or len(connections) == 0:
        return graph
    ties = check_connections(connections, people)
    for source, target, weight, kind in ties[CONNECTION_COLUMNS].itertuples(index=False):
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


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality that stays well defined when the network is in parts.

    On a network in several parts the usual measure is either undefined or
    depends on numerical accident (two similar parts share one eigenvalue).
    So each part is scored on its own (its leading eigenvector, largest
    score 1), then scaled by the part's leading eigenvalue relative to the
    strongest part's.  On a connected network this is the usual measure,
    scaled so the most central person scores 1; an isolated person scores 0.
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


#: Above this many people in one part, use a sparse solver rather than a dense one.
_DENSE_LIMIT = 100
#: Above this many people, betweenness is estimated from a seeded sample of them.
_EXACT_BETWEENNESS_LIMIT = 1500


def _leading_eigenvector(graph: nx.Graph, order: list[str]) -> tuple[float, np.ndarray]:
    """The largest eigenvalue of a connected part and its (positive) eigenvector."""
    if len(order) <= _DENSE_LIMIT:
        matrix = nx.to_numpy_array(graph, nodelist=order, weight="weight")
        values, vectors = np.linalg.eigh(matrix)
        return float(values[-1]), np.abs(vectors[:, -1])
    from scipy.sparse.linalg import eigsh

    matrix = nx.to_scipy_sparse_array(graph, nodelist=order, weight="weight", dtype=float)
    # A fixed start vector keeps the answer the same from run to run.
    start = np.ones(len(order)) / len(order) ** 0.5
    values, vectors = eigsh(matrix, k=1, which="LA", v0=start)
    return float(values[0]), np.abs(vectors[:, 0])


def _betweenness(graph: nx.Graph) -> dict[str, float]:
    if len(graph) <= 2:
        return {}
    if len(graph) <= _EXACT_BETWEENNESS_LIMIT:
        return nx.betweenness_centrality(graph, normalized=True)
    # Exact betweenness grows with people x ties; on a very large map a seeded
    # sample of starting points gives a close, repeatable estimate.
    return nx.betweenness_centrality(
        graph, k=_EXACT_BETWEENNESS_LIMIT // 2, normalized=True, seed=0
    )


def _network_notes(graph: nx.Graph) -> list[str]:
    notes = []
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


_COMPUTED = ["degree", "strength", "betweenness", "eigenvector", "groups_linked", "hub", "bridge"]


def energy_table(
    stakeholders: pd.DataFrame,
    connections: pd.DataFrame | None = None,
    *,
    high_influence: float = 4,
    hub_degree: int | None = None,
    bridge_share: float = 0.5,
) -> pd.DataFrame:
    """Tabulate each stakeholder's energy, network position and role.

    Parameters
    ----------
    stakeholders
        The stakeholders table.
    connections
        The connections table (ties are two-way).  Without it, everyone is
        unconnected and roles come from influence and energy alone.
    high_influence
        Influence at or above this counts as high (default 4, on 1 to 5).
    hub_degree
        Connections needed to count as a hub.  By default, twice the median
        number of connections, and at least 4.
    bridge_share
        A bridge's betweenness must be at least this share of the highest
        betweenness on the map (default 0.5).

    Returns
    -------
    pandas.DataFrame
        One row per stakeholder, in the order given: their ratings, then

        - ``degree``: how many people they are connected to;
        - ``strength``: the sum of the weights of those ties;
        - ``betweenness``: the share of shortest chains between other people
          that pass through them (0 to 1; counted in steps, not weights; on a
          map of more than 1,500 people, estimated from a seeded sample);
        - ``eigenvector``: how well connected they are to well-connected
          people, using the weights (0 to 1; see below for a map in parts);
        - ``groups_linked``: how many groups other than their own they have
          ties into;
        - ``hub``: ``degree`` at least ``hub_degree``;
        - ``bridge``: ``betweenness`` at least ``bridge_share`` of the
          highest on the map (and above 0), with ties outside their own group;
        - ``role`` and ``quadrant`` (below).

        ``table.attrs["notes"]`` holds warnings a facilitator should see, such
        as a network in separate parts or people with no connections.

    Notes
    -----
    The ``role`` is the first of these rules that fits:

    1. **sceptic**: energy below 0 (against the change today, whatever their
       influence or position);
    2. **connector**: a bridge between groups (see ``bridge`` above), with
       energy 0 or more;
    3. **champion**: energy above 0, and either high influence or a hub;
    4. **potential ally**: energy above 0 but less influence and reach (keen:
       connect them), or energy 0 with high influence (neutral but able to
       help: win them over);
    5. **bystander**: everyone else (neutral, less influence, not a hub or
       a bridge).

    The ``quadrant`` is the box of the influence-energy grid: *involve now*
    (high influence, energy above 0), *engage with care* (high influence,
    energy 0 or below), *connect and amplify* (less influence, energy above
    0) and *keep informed* (less influence, energy 0 or below).

    Eigenvector centrality is only well defined on a connected network, so
    on a map in parts each part is scored on its own and scaled by the
    strength of its part (its leading eigenvalue) relative to the strongest
    part: the most central person overall scores 1 and a person with no ties
    scores 0.

    Examples
    --------
    >>> import toolkit as tk
    >>> project = tk.sample_project()
    >>> table = tk.energy_table(project.stakeholders, project.connections)
    >>> table.set_index("stakeholder").loc["Graham Pike", "role"]
    'sceptic'
    >>> table.loc[table["betweenness"].idxmax(), "role"]
    'connector'
    """
    people = check_stakeholders(stakeholders)
    graph = network_graph(people, connections)
    names = list(people["stakeholder"])
    degree = dict(graph.degree())
    strength = dict(graph.degree(weight="weight"))
    betweenness = _betweenness(graph)
    eigenvector = _eigenvector(graph)
    group_of = dict(zip(names, people["group"], strict=True))
    linked = {n: len({group_of[m] for m in graph.neighbors(n)} - {group_of[n]}) for n in names}
    if hub_degree is None:
        median = float(np.median(list(degree.values()))) if degree else 0.0
        hub_degree = max(4, math.ceil(2 * median))
    top_between = max(betweenness.values(), default=0.0)

    # A column of the user's own with the name of a computed one is kept, renamed.
    computed = [*_COMPUTED, "role", "quadrant"]
    clashes = [c for c in computed if c in people.columns]
    out = people.rename(columns={c: f"{c}_given" for c in clashes})
    out["degree"] = [int(degree[n]) for n in names]
    out["strength"] = _tidy_numbers(pd.Series([float(strength[n]) for n in names], index=out.index))
    out["betweenness"] = [round(float(betweenness.get(n, 0.0)), 4) for n in names]
    out["eigenvector"] = [round(eigenvector[n], 4) for n in names]
    out["groups_linked"] = [linked[n] for n in names]
    out["hub"] = [degree[n] >= hub_degree for n in names]
    out["bridge"] = [
        top_between > 0 and betweenness.get(n, 0.0) >= bridge_share * top_between and linked[n] >= 1
        for n in names
    ]
    high = out["influence"] >= high_influence
    positive = out["energy"] > 0
    roles = []
    for is_high, energy, hub, bridge in zip(
        high, out["energy"], out["hub"], out["bridge"], strict=True
    ):
        if energy < 0:
            roles.append("sceptic")
        elif bridge:
            roles.append("connector")
        elif energy > 0 and (is_high or hub):
            roles.append("champion")
        elif energy > 0 or is_high:
            roles.append("potential ally")
        else:
            roles.append("bystander")
    out["role"] = roles
    out["quadrant"] = [
        ("involve now" if pos else "engage with care")
        if is_high
        else ("connect and amplify" if pos else "keep informed")
        for is_high, pos in zip(high, positive, strict=True)
    ]
    notes = _network_notes(graph)
    if clashes:
        notes.append(
            "Your own column(s) "
            + ", ".join(repr(c) for c in clashes)
            + " are kept as "
            + ", ".join(repr(f"{c}_given") for c in clashes)
            + ", because the energy table computes columns of the same name."
        )
    out.attrs = {
        "notes": notes,
        "hub_degree": hub_degree,
        "high_influence": high_influence,
    }
    return out


# --- introductions ----------------------------------------------------------


def _best_path(graph: nx.Graph, sources: list[str], target: str) -> list[str] | None:
    """The shortest chain from any source to target, preferring strong ties."""
    # One search outwards from the target finds every champion's distance at once.
    distance = nx.single_source_shortest_path_length(graph, target)
    lengths = {s: distance[s] for s in sources if s in distance}
    if not lengths:
        return None
    shortest = min(lengths.values())
    candidates = []
    for source in sorted(s for s, n in lengths.items() if n == shortest):
        # A small map has few shortest chains; the cap keeps a large one quick.
        for path in itertools.islice(nx.all_shortest_paths(graph, source, target), 500):
            weights = [graph[a][b]["weight"] for a, b in itertools.pairwise(path)]
            candidates.append((-min(weights), -sum(weights), path))
    return min(candidates)[2]


def introductions(
    stakeholders: pd.DataFrame,
    connections: pd.DataFrame | None = None,
    *,
    high_influence: float = 4,
    low_energy: float = 0,
) -> pd.DataFrame:
    """Find who can introduce each influential, low-energy stakeholder to a champion.

    For everyone with influence at or above ``high_influence`` and energy at
    or below ``low_energy``, find the shortest chain of existing connections
    from any champion (see :func:`energy_table`).  When several chains are
    equally short, the one whose weakest tie is strongest wins, then the one
    with the most weight overall, then alphabetical order.

    Returns
    -------
    pandas.DataFrame
        One row per such stakeholder (most influential first):
        ``stakeholder, influence, energy, champion, introducer, path, steps,
        weakest_tie, reachable, suggestion``.  ``introducer`` is the last
        person on the chain: the one who already knows the stakeholder.
        ``reachable`` is false when no chain joins them to any champion.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({
    ...     "stakeholder": ["Champ", "Mid", "Boss"], "group": ["a", "b", "c"],
    ...     "influence": [4, 2, 5], "interest": [5, 3, 2], "energy": [2, 0, -1]})
    >>> ties = pd.DataFrame({"source": ["Champ", "Mid"], "target": ["Mid", "Boss"]})
    >>> found = introductions(people, ties, high_influence=4)
    >>> found.loc[0, "path"]
    'Champ → Mid → Boss'
    >>> found.loc[0, "suggestion"]
    'Champ can ask Mid to introduce them to Boss.'
    """
    table = energy_table(stakeholders, connections, high_influence=high_influence)
    graph = network_graph(stakeholders, connections)
    champions = sorted(table.loc[table["role"] == "champion", "stakeholder"])
    targets = table[
        (table["influence"] >= high_influence) & (table["energy"] <= low_energy)
    ].sort_values(["influence", "energy", "stakeholder"], ascending=[False, True, True])
    records = []
    for name, influence, energy in targets[["stakeholder", "influence", "energy"]].itertuples(
        index=False
    ):
        path = _best_path(graph, champions, name) if champions else None
        if path is None:
            why = (
                "There are no champions on the map yet"
                if not champions
                else f"No champion is connected to {name}, even through others"
            )
            records.append(
                {
                    "stakeholder": name,
                    "influence": influence,
                    "energy": energy,
                    "champion": "",
                    "introducer": "",
                    "path": "",
                    "steps": pd.NA,
                    "weakest_tie": np.nan,
                    "reachable": False,
                    "suggestion": f"{why}: find someone {name} trusts and link them to a champion.",
                }
            )
            continue
        weights = [graph[a][b]["weight"] for a, b in itertools.pairwise(path)]
        champion, introducer = path[0], path[-2]
        if len(path) == 2:
            suggestion = f"{champion} already knows {name}: ask {champion} to talk with them."
        else:
            suggestion = f"{champion} can ask {introducer} to introduce them to {name}."
        records.append(
            {
                "stakeholder": name,
                "influence": influence,
                "energy": energy,
                "champion": champion,
                "introducer": introducer,
                "path": _ARROW.join(path),
                "steps": len(path) - 1,
                "weakest_tie": min(weights),
                "reachable": True,
                "suggestion": suggestion,
            }
        )
    columns = [
        "stakeholder",
        "influence",
        "energy",
        "champion",
        "introducer",
        "path",
        "steps",
        "weakest_tie",
        "reachable",
        "suggestion",
    ]
    out = pd.DataFrame.from_records(records, columns=columns)
    out["steps"] = out["steps"].astype("Int64")
    out["reachable"] = out["reachable"].astype(bool)
    out.attrs = {"notes": list(table.attrs.get("notes", [])), "champions": champions}
    return out


# --- five energies ----------------------------------------------------------


def energy_profile(
    stakeholders: pd.DataFrame,
    by: str | None = "group",
    *,
    high: float = 3.5,
    depleted: float = 2.5,
    overall: bool = False,
) -> pd.DataFrame:
    """Average the five energies for each group, or for the whole system.

    Parameters
    ----------
    stakeholders
        The stakeholders table, with some of the five energy columns.
    by
        The column to group by, or ``None`` for the whole system.
    high, depleted
        A mean at or above ``high`` is labelled "high", and one below
        ``depleted`` is labelled "depleted"; anything between is "middle".
        The defaults mean: high if the mean rounds to 4 or 5, depleted if it
        rounds to 1 or 2.
    overall
        Also add the whole system's rows (labelled "whole system").

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per group and energy: ``<by>, energy_type, mean,
        rated, level`` (``rated`` counts the people with a rating; blank
        ratings are left out, not counted as zero).

    Examples
    --------
    >>> import toolkit as tk
    >>> profile = tk.energy_profile(tk.sample_project().stakeholders, by=None)
    >>> profile["energy_type"].tolist()
    ['social', 'spiritual', 'psychological', 'physical', 'intellectual']
    >>> profile.set_index("energy_type").loc["physical", "level"]
    'depleted'
    """
    people = check_stakeholders(stakeholders)
    present = [e for e in FIVE_ENERGIES if e in people.columns]
    if not present or people[present].isna().all().all():
        raise EnergyError(
            "expected ratings of the five energies (columns social, spiritual, psychological, "
            "physical, intellectual), but the stakeholders table has none",
            path=stakeholders.attrs.get("path"),
            hint="add the five columns and rate each from 1 to 5 (the energy-mapping "
            "worksheet in templates/ shows how)",
        )
    label = by or "group"
    if by is not None and by not in people.columns:
        raise EnergyError(
            f"expected a column '{by}' to group by, but the stakeholders table has "
            f"{', '.join(map(repr, map(str, people.columns)))}",
            hint="pass by='group' or the name of another column, or by=None for everyone",
        )
    frame = people[present].copy()
    if by is None:
        frame[label] = "whole system"
    else:
        frame[label] = [_text(v) or "(no group)" for v in people[by]]
    if overall and by is not None:
        everyone = people[present].copy()
        everyone[label] = "whole system"
        frame = pd.concat([frame, everyone], ignore_index=True)
    long = frame.melt(id_vars=[label], var_name="energy_type", value_name="score").dropna()
    profile = long.groupby([label, "energy_type"], as_index=False, sort=False).agg(
        mean=("score", "mean"), rated=("score", "size")
    )
    profile["mean"] = profile["mean"].astype(float).round(2)
    profile["level"] = [
        "high" if m >= high else "depleted" if m < depleted else "middle" for m in profile["mean"]
    ]
    order = {e: i for i, e in enumerate(FIVE_ENERGIES)}
    groups = list(dict.fromkeys(frame[label]))
    profile = profile.sort_values(
        [label, "energy_type"],
        key=lambda s: s.map(order) if s.name == "energy_type" else s.map(groups.index),
    ).reset_index(drop=True)
    return profile[[label, "energy_type", "mean", "rated", "level"]]


# --- follow the energy ------------------------------------------------------


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _frame_of(theme: str, frames: Mapping[str, Iterable[str]]) -> str:
    lowered = theme.casefold()
    for frame, words in frames.items():
        if any(word.casefold() in lowered for word in words):
            return frame
    return ""


def _codebook_table(codebook: Any) -> pd.DataFrame:
    table = getattr(codebook, "table", codebook)
    if not isinstance(table, pd.DataFrame) or "code" not in table.columns:
        return pd.DataFrame({"code": pd.Series(dtype=object), "theme": pd.Series(dtype=object)})
    table = table.copy()
    if "theme" not in table.columns:
        table["theme"] = ""
    table["code"] = [_text(v) for v in table["code"]]
    table["theme"] = [_text(v) for v in table["theme"]]
    return table[table["code"] != ""]


def follow_the_energy(
    project: Project,
    *,
    weights: Mapping[str, float] | None = None,
    frames: Mapping[str, Iterable[str]] | None = None,
    session: str | None = None,
    include_unvoted: bool = True,
) -> pd.DataFrame:
    """Rank ideas and themes by the energy behind them, showing why.

    Three kinds of evidence are put side by side, each as its own column:

    ``dots``
        Dots the workshop placed on the item (``project.votes``).
    ``interviews``
        In how many interviews the item's code was applied
        (``project.codings``).  An item is linked to the codebook by a
        ``code`` or ``theme`` column in votes.csv naming a code or a theme
        (all its codes); without one, an item whose words match a code's or
        theme's name (ignoring case and punctuation) is linked to it.
    ``champions``
        How many champions (see :func:`energy_table`) are linked to the item:
        those who put dots on it (a vote's ``participant`` is a stakeholder's
        name, or an interview id whose participant's ``name`` is one), and
        those who raised its code in their own interview.  Their names are in
        ``champion_names``.

    Each kind is scaled so the item with the most of it scores 1, multiplied
    by its weight, and shown as ``from_dots``, ``from_interviews`` and
    ``from_champions``; ``score`` is their sum.

    Parameters
    ----------
    project
        A :class:`~toolkit.project.Project`.  Codings, a codebook and
        participants are optional: without them the interview evidence is 0.
    weights
        Weights of ``dots``, ``interviews`` and ``champions`` (default 1
        each; see :data:`DEFAULT_WEIGHTS`).
    frames
        Appreciative frames and the words that mark them in a codebook theme
        (default :data:`DEFAULT_FRAMES`: themes with "wish" or "dream" are
        wishes; with "strength", "value" or "enabling", strengths).  Codes in
        other themes, such as peak experiences or frustrations, have no frame
        and are not ranked unless voted on.
    session
        Count only this vote session (default: all sessions).
    include_unvoted
        Also rank codes in a wish or strength theme that the interviews raised
        but nobody voted on (``source`` is "interviews"; the item is the code
        written as words, and codes with sub-codes are left to their sub-codes).

    Returns
    -------
    pandas.DataFrame
        One row per item, best first: ``rank, item, frame, code, theme,
        source, dots, voters, interviews, champions, champion_names,
        from_dots, from_interviews, from_champions, score``.
        ``attrs["notes"]`` explains gaps, such as items not linked to a code.

    Examples
    --------
    >>> import toolkit as tk
    >>> ranking = tk.follow_the_energy(tk.sample_project())
    >>> ranking.loc[0, "item"]
    'Welcome-home call within 48 hours'
    >>> bool((ranking["score"] == ranking[["from_dots", "from_interviews",
    ...                                    "from_champions"]].sum(axis=1).round(3)).all())
    True
    """
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
    if unknown or any(not isinstance(w, numbers.Real) or w < 0 for w in weights.values()):
        raise EnergyError(
            f"expected weights for 'dots', 'interviews' and 'champions' of 0 or more, but got "
            f"{dict(weights)}",
            hint="pass for example weights={'dots': 2, 'interviews': 1, 'champions': 1}",
        )
    frames = DEFAULT_FRAMES if frames is None else frames
    notes: list[str] = []

    votes = check_votes(project.votes)
    if session is not None:
        sessions = sorted(set(votes["session"]))
        if session not in sessions:
            raise EnergyError(
                f"expected a vote session called '{session}', but the sessions are "
                + (", ".join(repr(s) for s in sessions) or "none"),
                hint="pass one of those sessions, or session=None for all of them",
            )
        votes = votes[votes["session"] == session]
    votes = votes[votes["dots"] > 0]

    # Who is who: stakeholders, their roles, and interview ids -> names.
    names: set[str] = set()
    champions: set[str] = set()
    if len(project.stakeholders):
        table = energy_table(project.stakeholders, project.connections)
        names = set(table["stakeholder"])
        champions = set(table.loc[table["role"] == "champion", "stakeholder"])
    id_to_name: dict[str, str] = {}
    participants = project.participants
    if isinstance(participants, pd.DataFrame) and {"interview_id", "name"} <= set(
        participants.columns
    ):
        id_to_name = {
            _text(i): _text(n)
            for i, n in zip(participants["interview_id"], participants["name"], strict=True)
        }

    def person(who: str) -> str | None:
        if who in names:
            return who
        named = id_to_name.get(who)
        return named if named in names else None

    # The codebook: code -> theme and frame; the codings: code -> interviews.
    codebook = _codebook_table(project.codebook)
    theme_of = dict(zip(codebook["code"], codebook["theme"], strict=True))
    codes_in_theme: dict[str, list[str]] = {}
    for code, theme in theme_of.items():
        codes_in_theme.setdefault(theme, []).append(code)
    codings = project.codings
    interviews_of: dict[str, set[str]] = {}
    if isinstance(codings, pd.DataFrame) and {"interview_id", "code"} <= set(codings.columns):
        for interview, code in zip(codings["interview_id"], codings["code"], strict=True):
            interviews_of.setdefault(_text(code), set()).add(_text(interview))
    if codebook.empty:
        notes.append(
            "No codebook yet, so ideas are not linked to the interviews: the interview "
            "evidence is 0 for every idea."
        )
    elif not interviews_of:
        notes.append("No codings yet, so the interview evidence is 0 for every idea.")

    children: dict[str, list[str]] = {}
    if "parent" in codebook.columns:
        for code, parent in zip(codebook["code"], codebook["parent"], strict=True):
            if _text(parent):
                children.setdefault(_text(parent), []).append(code)

    def with_subcodes(codes: list[str]) -> list[str]:
        # A code's evidence includes its sub-codes' (codings of "transport"
        # under "wishes" count for "wishes" too).
        found, queue = [], list(codes)
        while queue:
            code = queue.pop(0)
            if code not in found:
                found.append(code)
                queue.extend(children.get(code, []))
        return found

    by_name = {_normalise(c): [c] for c in theme_of}
    for theme, codes in codes_in_theme.items():
        if theme:
            by_name.setdefault(_normalise(theme), codes)

    def linked_codes(item: str, link: str) -> tuple[list[str], str]:
        if link:
            if link in theme_of:
                return [link], link
            if link in codes_in_theme:
                return codes_in_theme[link], link
            notes.append(
                f"'{item}' is linked to '{link}', which is neither a code nor a theme in the "
                "codebook."
            )
            return [], link
        codes = by_name.get(_normalise(item), [])
        return codes, (codes[0] if len(codes) == 1 else "")

    items = list(dict.fromkeys(votes["item"]))
    link_column = next((c for c in ("code", "theme") if c in votes.columns), None)
    rows = []
    used_codes: set[str] = set()
    for item in items:
        mine = votes[votes["item"] == item]
        link = ""
        if link_column is not None:
            link = next((v for v in mine[link_column] if v), "")
        codes, code_label = linked_codes(item, link)
        codes = with_subcodes(codes)
        used_codes.update(codes)
        voters = {p for p in mine["participant"] if p}
        backers = {person(p) for p in voters} | _interviewees(codes, interviews_of, person)
        rows.append(
            _candidate(
                item,
                codes,
                code_label,
                theme_of,
                frames,
                source="votes",
                dots=int(mine["dots"].sum()),
                voters=len(voters),
                interviews=len(set().union(*[interviews_of.get(c, set()) for c in codes])),
                backers={b for b in backers if b in champions},
            )
        )
    if theme_of and items:
        unlinked = [r["item"] for r in rows if not r["code"] and not r["theme"]]
        if unlinked:
            notes.append(
                "Not linked to a codebook code or theme, so their interview evidence is 0: "
                + "; ".join(unlinked)
                + (
                    f". Fill in the '{link_column}' column of votes.csv"
                    if link_column
                    else ". Add a 'code' column to votes.csv"
                )
                + " naming the code each idea came from."
            )
    if include_unvoted:
        for code, theme in theme_of.items():
            frame = _frame_of(theme, frames)
            # Umbrella codes (with sub-codes) are left to their sub-codes.
            if code in used_codes or code in children or not frame or not interviews_of.get(code):
                continue
            backers = _interviewees([code], interviews_of, person)
            rows.append(
                _candidate(
                    code.replace("_", " ").capitalize(),
                    [code],
                    code,
                    theme_of,
                    frames,
                    source="interviews",
                    dots=0,
                    voters=0,
                    interviews=len(interviews_of[code]),
                    backers={b for b in backers if b in champions},
                )
            )
    if not champions and len(project.stakeholders):
        notes.append("No champions on the stakeholder map, so that evidence is 0 for every idea.")
    return _score(rows, weights, notes)


def _interviewees(codes: list[str], interviews_of: dict[str, set[str]], person) -> set[str]:
    found = set()
    for code in codes:
        for interview in interviews_of.get(code, ()):
            who = person(interview)
            if who:
                found.add(who)
    return found


def _candidate(
    item: str,
    codes: list[str],
    code_label: str,
    theme_of: dict[str, str],
    frames: Mapping[str, Iterable[str]],
    *,
    source: str,
    dots: int,
    voters: int,
    interviews: int,
    backers: set[str],
) -> dict[str, Any]:
    themes = list(dict.fromkeys(theme_of[c] for c in codes if theme_of.get(c)))
    found = list(dict.fromkeys(f for f in (_frame_of(t, frames) for t in themes) if f))
    return {
        "item": item,
        "frame": ", ".join(found),
        "code": code_label if code_label in theme_of else "",
        "theme": "; ".join(themes),
        "source": source,
        "dots": dots,
        "voters": voters,
        "interviews": interviews,
        "champions": len(backers),
        "champion_names": ", ".join(sorted(backers)),
    }


def _score(rows: list[dict], weights: Mapping[str, float], notes: list[str]) -> pd.DataFrame:
    columns = [
        "item",
        "frame",
        "code",
        "theme",
        "source",
        "dots",
        "voters",
        "interviews",
        "champions",
        "champion_names",
    ]
    out = pd.DataFrame.from_records(rows, columns=columns)
    for column in ("dots", "voters", "interviews", "champions"):
        out[column] = out[column].astype("int64")
    total = pd.Series(0.0, index=out.index)
    for kind in ("dots", "interviews", "champions"):
        top = out[kind].max() if len(out) else 0
        part = (out[kind] / top * weights[kind]).round(3) if top else 0.0 * out[kind]
        out[f"from_{kind}"] = part.astype(float)
        total = total + out[f"from_{kind}"]
    out["score"] = total.round(3)
    out = out.sort_values(
        ["score", "dots", "interviews", "item"], ascending=[False, False, False, True]
    ).reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out.attrs = {"notes": list(dict.fromkeys(notes)), "weights": dict(weights)}
    return out


# --- export -----------------------------------------------------------------

_FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "kumu"}


def _plain(value: Any) -> Any:
    # networkx writers and json want plain Python values, not numpy ones.
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def export_network(
    stakeholders: pd.DataFrame,
    connections: pd.DataFrame | None,
    path: str | Path,
    format: str | None = None,
) -> Path:
    """Write the stakeholder network for Gephi (GraphML, GEXF) or Kumu (JSON).

    Each stakeholder carries their ratings and the measures and role from
    :func:`energy_table`; each tie its weight and kind.  The file is written
    atomically.

    Parameters
    ----------
    stakeholders, connections
        The two tables.
    path
        Where to write.  The format follows the suffix: ``.graphml``,
        ``.gexf`` or ``.json`` (Kumu's import format, "elements" and
        "connections").
    format
        ``"graphml"``, ``"gexf"`` or ``"kumu"``, to override the suffix.

    Examples
    --------
    >>> import tempfile, pathlib, toolkit as tk
    >>> project = tk.sample_project()
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hartwell.gexf"
    >>> tk.export_network(project.stakeholders, project.connections, out).suffix
    '.gexf'
    """
    path = Path(path)
    kind = (format or _FORMATS.get(path.suffix.lower(), "")).lower()
    if kind == "json":
        kind = "kumu"
    if kind not in {"graphml", "gexf", "kumu"}:
        raise EnergyError(
            f"expected a file ending .graphml, .gexf or .json, but found '{path.name}'",
            path=path,
            hint="use .graphml or .gexf for Gephi, or .json for Kumu",
        )
    table = energy_table(stakeholders, connections)
    graph = network_graph(stakeholders, connections)
    for record in table.to_dict("records"):
        name = record.pop("stakeholder")
        graph.nodes[name].clear()
        graph.nodes[name].update({k: _plain(v) for k, v in record.items() if not _is_missing(v)})
    for _, _, data in graph.edges(data=True):
        data.pop("listed", None)
        data["weight"] = _plain(data["weight"])
    if kind == "graphml":
        text = "\n".join(nx.generate_graphml(graph)) + "\n"
    elif kind == "gexf":
        text = "\n".join(nx.generate_gexf(graph)) + "\n"
    else:
        text = json.dumps(_kumu(graph), ensure_ascii=False, indent=2) + "\n"
    return atomic_write(path, text)


def _kumu(graph: nx.Graph) -> dict[str, list[dict[str, Any]]]:
    """Kumu's JSON blueprint: elements with a label and type; undirected connections."""
    elements = []
    for name, data in graph.nodes(data=True):
        element = {"label": name, "type": data.get("group") or "stakeholder"}
        element["tags"] = [data["role"]] + [t for t in ("hub", "bridge") if data.get(t)]
        for key, value in data.items():
            if key != "group":
                element[key.replace("_", " ").capitalize()] = value
        elements.append(element)
    ties = [
        {
            "from": a,
            "to": b,
            "type": data.get("kind") or "connection",
            "direction": "undirected",
            "strength": data["weight"],
        }
        for a, b, data in graph.edges(data=True)
    ]
    return {"elements": elements, "connections": ties}
