"""The files an energy mapping gives: the four tables, and the network for Gephi or Kumu.

:func:`write_energy_tables` writes what the ``codesign-toolkit energy``
command writes (the energy table, introductions, the five-energies profile
and the follow-the-energy ranking); :func:`energy_tables` makes the same
tables without writing them.  :func:`export_network` writes the stakeholder
map as GraphML or GEXF (for Gephi) or JSON (for Kumu).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from toolkit.analysis.energy.network import is_missing, network_graph
from toolkit.analysis.energy.profile import energy_profile
from toolkit.analysis.energy.ranking import check_weights, follow_the_energy, select_session
from toolkit.analysis.energy.roles import energy_table, introductions
from toolkit.errors import EnergyError
from toolkit.io.files import atomic_write, write_table
from toolkit.wording import plain

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.model.project import Project

__all__ = [
    "ENERGY_FILES",
    "EnergyTables",
    "energy_tables",
    "export_network",
    "write_energy_tables",
]

#: The file each of :class:`EnergyTables`' tables is written to, in order.
ENERGY_FILES = {
    "table": "energy-table.csv",
    "introductions": "introductions.csv",
    "profile": "energy-profile.csv",
    "ranking": "follow-the-energy.csv",
}
#: Network file formats by suffix.
NETWORK_FORMATS = {".graphml": "graphml", ".gexf": "gexf", ".json": "kumu"}


@dataclass
class EnergyTables:
    """The tables of an energy mapping, and why any of them could not be made.

    Attributes
    ----------
    table
        :func:`~toolkit.analysis.energy.roles.energy_table`: each
        stakeholder's ratings, network measures, role and quadrant.
    introductions
        :func:`~toolkit.analysis.energy.roles.introductions`.
    profile
        :func:`~toolkit.analysis.energy.profile.energy_profile` by group, or
        ``None`` when nobody has ratings of the five energies.
    ranking
        :func:`~toolkit.analysis.energy.ranking.follow_the_energy`, or
        ``None`` when there are no votes.
    missing
        For each table that is ``None``, a sentence saying why.
    """

    table: pd.DataFrame
    introductions: pd.DataFrame
    profile: pd.DataFrame | None = None
    ranking: pd.DataFrame | None = None
    missing: dict[str, str] = field(default_factory=dict)

    def files(self) -> dict[str, pd.DataFrame]:
        """Return each table there is by the name of its file (see :data:`ENERGY_FILES`)."""
        found = {name: getattr(self, key) for key, name in ENERGY_FILES.items()}
        return {name: table for name, table in found.items() if table is not None}

    def write(self, folder: str | Path) -> list[Path]:
        """Write each table to its CSV file in ``folder``; return the paths written."""
        folder = Path(folder)
        return [write_table(table, folder / name) for name, table in self.files().items()]


def energy_tables(
    project: Project,
    *,
    session: str | None = None,
    weights: Mapping[str, float] | None = None,
) -> EnergyTables:
    """Make the tables of the project's energy mapping (see :class:`EnergyTables`).

    Parameters
    ----------
    project
        A :class:`~toolkit.model.project.Project` with stakeholders (and
        ideally connections, votes, codings and a codebook).
    session
        Count only this vote session in the ranking (default: all).
    weights
        Weights of ``dots``, ``interviews`` and ``champions`` in the ranking
        (see :func:`~toolkit.analysis.energy.ranking.follow_the_energy`).

    Raises
    ------
    EnergyError
        When the project has no stakeholders, a weight is not 0 or more, or
        there is no vote session called ``session``.  Everything is checked
        before any table is made.

    Examples
    --------
    >>> import toolkit as tk
    >>> tables = tk.energy_tables(tk.sample_project())
    >>> list(tables.files())
    ['energy-table.csv', 'introductions.csv', 'energy-profile.csv', 'follow-the-energy.csv']
    """
    weights = check_weights(weights)
    if not project.votes.empty:
        select_session(project.votes, session)
    if project.stakeholders.empty:
        raise EnergyError(
            "expected stakeholders to map, but stakeholders.csv is missing or has no rows",
            path=project.path / "stakeholders.csv" if project.path is not None else None,
            hint="fill in stakeholders.csv (and connections.csv) from the stakeholder map",
        )
    result = EnergyTables(
        table=energy_table(project.stakeholders, project.connections),
        introductions=introductions(project.stakeholders, project.connections),
    )
    try:
        result.profile = energy_profile(project.stakeholders)
    except EnergyError as exc:
        result.missing[ENERGY_FILES["profile"]] = f"no five-energies profile ({exc.message})"
    if project.votes.empty:
        result.missing[ENERGY_FILES["ranking"]] = (
            "No votes.csv rows, so there is no follow-the-energy ranking yet."
        )
    else:
        result.ranking = follow_the_energy(project, session=session, weights=weights)
    return result


def write_energy_tables(
    project: Project,
    folder: str | Path,
    *,
    session: str | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[Path]:
    """Write the project's energy tables as CSV files in ``folder``; return their paths.

    The files are ``energy-table.csv``, ``introductions.csv``,
    ``energy-profile.csv`` (when there are ratings of the five energies) and
    ``follow-the-energy.csv`` (when there are votes): see
    :func:`energy_tables`, which takes the same ``session`` and ``weights``.
    Each file is written atomically.

    Examples
    --------
    >>> import tempfile, toolkit as tk
    >>> written = tk.write_energy_tables(tk.sample_project(), tempfile.mkdtemp())
    >>> [path.name for path in written][:2]
    ['energy-table.csv', 'introductions.csv']
    """
    return energy_tables(project, session=session, weights=weights).write(folder)


def export_network(
    stakeholders: pd.DataFrame,
    connections: pd.DataFrame | None,
    path: str | Path,
    format: str | None = None,
) -> Path:
    """Write the stakeholder network for Gephi (GraphML, GEXF) or Kumu (JSON).

    Each stakeholder carries their ratings and the measures and role from
    :func:`~toolkit.analysis.energy.roles.energy_table`; each tie its weight
    and kind.  The file is written atomically.

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
    kind = (format or NETWORK_FORMATS.get(path.suffix.lower(), "")).lower()
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
        graph.nodes[name].update({k: plain(v) for k, v in record.items() if not is_missing(v)})
    for _, _, data in graph.edges(data=True):
        data.pop("listed", None)
        data["weight"] = plain(data["weight"])
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
        roles = str(data.get("roles") or data["role"]).split(", ")  # every role they hold
        element["tags"] = roles + [t for t in ("hub", "bridge") if data.get(t)]
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
