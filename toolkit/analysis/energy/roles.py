"""Who has the energy: each stakeholder's role and quadrant, and who can introduce whom.

:func:`energy_table` puts each stakeholder's ratings beside their place in the
network (see :mod:`toolkit.analysis.energy.network`) and gives them a role
(champion, connector, potential ally, sceptic, bystander: a person can hold
several, and ``role`` is the main one, for charts) and a box of the
influence-energy grid.  :func:`introductions` finds, for each influential
person with low energy, the shortest chain of existing ties from a champion.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd

from toolkit.analysis.energy.network import (
    MEASURES,
    network_graph,
    network_measures,
    network_notes,
)
from toolkit.digests import table_digest
from toolkit.model.stakeholders import check_stakeholders

__all__ = ["QUADRANTS", "ROLES", "ROLE_FLAGS", "energy_table", "introductions", "roles_of"]

# The last energy table worked out, with the digest of what it was worked out from.
_last_table: tuple[tuple, pd.DataFrame] | None = None

#: Role labels, in the order that picks a person's main ``role`` (see :func:`energy_table`).
ROLES = ["sceptic", "champion", "connector", "potential ally", "bystander"]
#: The true-or-false column of each role a person can hold (several at once).
ROLE_FLAGS = {
    "champion": "champion",
    "connector": "connector",
    "potential ally": "potential_ally",
    "sceptic": "sceptic",
}
#: Boxes of the influence-energy grid, and what a facilitator does about each.
QUADRANTS = {
    "involve now": "high influence, positive energy: likely champions, involve them now",
    "engage with care": "high influence, neutral or negative energy: listen and bring along",
    "connect and amplify": "less influence, positive energy: link them to people with influence",
    "keep informed": "less influence, neutral or negative energy: keep informed and listening",
}
_ARROW = " → "


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
        One row per stakeholder, in the order given: their ratings (with
        ``intensity``, 1 low to 3 high, when the stakeholders table has it),
        then

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
        - ``role`` and ``quadrant`` (below);
        - ``roles``: every role the person holds, such as ``"champion,
          connector"`` (or ``"bystander"``), and a true-or-false column for
          each: ``champion``, ``connector``, ``potential_ally``, ``sceptic``.

        ``table.attrs["notes"]`` holds warnings a facilitator should see, such
        as a network in separate parts or people with no connections.

    Notes
    -----
    Roles are flags, and a person can hold several (a champion who is also a
    bridge between groups is a champion and a connector):

    - **sceptic**: energy below 0 (against the change today, whatever their
      influence or position);
    - **champion**: energy above 0, and either high influence or a hub (a
      hub who is also a bridge is a connector: their links run between
      groups); so a person with high influence and positive energy is always
      a champion, even when they are also a connector;
    - **connector**: a bridge between groups (see ``bridge`` above), with
      energy 0 or more;
    - **potential ally**: energy above 0 but less influence and reach than a
      champion or a connector (keen: connect them), or energy 0 with high
      influence (neutral but able to help: win them over);
    - **bystander**: none of these (neutral, less influence, not a hub or a
      bridge).

    The ``role`` column is the one label a chart shows (by colour and shape):
    the first of sceptic, champion, connector, potential ally and bystander
    that the person holds.

    The ``quadrant`` is the box of the influence-energy grid: *involve now*
    (high influence, energy above 0), *engage with care* (high influence,
    energy 0 or below), *connect and amplify* (less influence, energy above
    0) and *keep informed* (less influence, energy 0 or below).

    Eigenvector centrality is only well defined on a connected network, so
    on a map in parts each part is scored on its own and scaled by the
    strength of its part (its leading eigenvalue) relative to the strongest
    part: the most central person overall scores 1 and a person with no ties
    scores 0 (see
    :func:`toolkit.analysis.energy.network.eigenvector_centrality`).

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
    # The last table is kept while its inputs stay the same: a report, and the
    # energy command, ask for it three times (ranking, introductions, the table).
    global _last_table
    key = (
        table_digest(stakeholders),
        table_digest(connections),
        repr((high_influence, hub_degree, bridge_share)),
    )
    if None not in key and _last_table is not None and _last_table[0] == key:
        return _last_table[1].copy()
    out = _energy_table(stakeholders, connections, high_influence, hub_degree, bridge_share)
    if None not in key:
        _last_table = (key, out.copy())
    return out


def _energy_table(
    stakeholders: pd.DataFrame,
    connections: pd.DataFrame | None,
    high_influence: float,
    hub_degree: int | None,
    bridge_share: float,
) -> pd.DataFrame:
    people = check_stakeholders(stakeholders)
    graph = network_graph(people, connections)
    measures = network_measures(people, graph, hub_degree=hub_degree, bridge_share=bridge_share)

    # A column of the user's own with the name of a computed one is kept, renamed.
    computed = [*MEASURES, "role", "quadrant", "roles", *ROLE_FLAGS.values()]
    clashes = [c for c in computed if c in people.columns]
    out = people.rename(columns={c: f"{c}_given" for c in clashes})
    for column in MEASURES:
        out[column] = measures[column].to_numpy()  # by position: the index may repeat
    high = out["influence"] >= high_influence
    held = [
        roles_of(energy, is_high, hub, bridge)
        for is_high, energy, hub, bridge in zip(
            high, out["energy"], out["hub"], out["bridge"], strict=True
        )
    ]
    out["role"] = [next(r for r in ROLES if r in roles) for roles in held]
    out["quadrant"] = [
        ("involve now" if energy > 0 else "engage with care")
        if is_high
        else ("connect and amplify" if energy > 0 else "keep informed")
        for is_high, energy in zip(high, out["energy"], strict=True)
    ]
    out["roles"] = [", ".join(roles) for roles in held]
    for role, column in ROLE_FLAGS.items():
        out[column] = [role in roles for roles in held]
    notes = network_notes(graph)
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
        "hub_degree": measures.attrs["hub_degree"],
        "high_influence": high_influence,
    }
    return out


def roles_of(energy: float, is_high: bool, hub: bool, bridge: bool) -> list[str]:
    """Return every role a person holds, by the rules in :func:`energy_table`.

    Examples
    --------
    >>> roles_of(2, True, False, True)  # high influence, keen, and a bridge
    ['champion', 'connector']
    >>> roles_of(0, False, False, False)
    ['bystander']
    """
    roles = []
    if energy < 0:
        roles.append("sceptic")
    if energy > 0 and (is_high or (hub and not bridge)):
        roles.append("champion")
    if bridge and energy >= 0:
        roles.append("connector")
    if (energy > 0 and not (is_high or hub or bridge)) or (energy == 0 and is_high):
        roles.append("potential ally")
    return roles or ["bystander"]


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


_INTRODUCTION_COLUMNS = [
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
    champions = sorted(table.loc[table["champion"], "stakeholder"])
    targets = table[
        (table["influence"] >= high_influence) & (table["energy"] <= low_energy)
    ].sort_values(["influence", "energy", "stakeholder"], ascending=[False, True, True])
    records = []
    for name, influence, energy in targets[["stakeholder", "influence", "energy"]].itertuples(
        index=False
    ):
        record = {"stakeholder": name, "influence": influence, "energy": energy}
        path = _best_path(graph, champions, name) if champions else None
        if path is None:
            why = (
                "There are no champions on the map yet"
                if not champions
                else f"No champion is connected to {name}, even through others"
            )
            record.update(
                champion="",
                introducer="",
                path="",
                steps=pd.NA,
                weakest_tie=np.nan,
                reachable=False,
                suggestion=f"{why}: find someone {name} trusts and link them to a champion.",
            )
        else:
            champion, introducer = path[0], path[-2]
            if len(path) == 2:
                suggestion = f"{champion} already knows {name}: ask {champion} to talk with them."
            else:
                suggestion = f"{champion} can ask {introducer} to introduce them to {name}."
            record.update(
                champion=champion,
                introducer=introducer,
                path=_ARROW.join(path),
                steps=len(path) - 1,
                weakest_tie=min(graph[a][b]["weight"] for a, b in itertools.pairwise(path)),
                reachable=True,
                suggestion=suggestion,
            )
        records.append(record)
    out = pd.DataFrame.from_records(records, columns=_INTRODUCTION_COLUMNS)
    out["steps"] = out["steps"].astype("Int64")
    out["reachable"] = out["reachable"].astype(bool)
    out.attrs = {"notes": list(table.attrs.get("notes", [])), "champions": champions}
    return out
