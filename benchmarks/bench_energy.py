"""How the energy analyses scale with the size of the stakeholder map.

Builds seeded synthetic maps (clustered, with a few hubs, like real ones) of
growing size and times energy_table, introductions, follow_the_energy, the
four tables of the ``energy`` command (write_energy_tables), the network chart
and a GraphML export, with peak memory from tracemalloc (on the smaller maps,
in a second run, since tracing slows Python down).  A real
workshop map has 20 to 200 people; the larger sizes show the headroom.

Run: python benchmarks/bench_energy.py
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import toolkit as tk
from toolkit.tables import FIVE_ENERGIES

GROUPS = ["hospital", "surgery", "council", "community", "volunteer", "patient", "carer"]
IDEAS = [f"Idea {i}" for i in range(12)]


def synthetic_project(size: int, seed: int = 1) -> tk.Project:
    rng = np.random.default_rng(seed)
    graph = nx.powerlaw_cluster_graph(size, 3, 0.3, seed=seed)
    names = [f"Person {n:05d}" for n in range(size)]
    stakeholders = pd.DataFrame(
        {
            "stakeholder": names,
            "group": rng.choice(GROUPS, size),
            "influence": rng.integers(1, 6, size),
            "interest": rng.integers(1, 6, size),
            "energy": rng.integers(-2, 3, size),
            **{e: rng.integers(1, 6, size) for e in FIVE_ENERGIES},
        }
    )
    connections = pd.DataFrame(
        {
            "source": [names[a] for a, _ in graph.edges],
            "target": [names[b] for _, b in graph.edges],
            "weight": rng.integers(1, 4, graph.number_of_edges()),
            "kind": "talks-to",
        }
    )
    voters = rng.choice(names, min(size, 300), replace=False)
    votes = pd.DataFrame(
        [
            {"participant": v, "item": item, "dots": int(d), "session": "one"}
            for v in voters
            for item, d in zip(
                rng.choice(IDEAS, 3, replace=False), rng.integers(1, 3, 3), strict=True
            )
        ]
    )
    return tk.Project(stakeholders=stakeholders, connections=connections, votes=votes)


def measure(label: str, func, trace: bool) -> float:
    """Time one run untraced; then, if asked, a traced run for the peak memory."""
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    peak = ""
    if trace:
        tracemalloc.start()
        func()
        peak = f"   peak {tracemalloc.get_traced_memory()[1] / 1e6:7.1f} MB"
        tracemalloc.stop()
    print(f"  {label:<22} {seconds:8.3f} s{peak}")
    return seconds


def main() -> None:
    out = Path(tempfile.mkdtemp())
    timings = {}
    for size in (25, 200, 1000):
        project = synthetic_project(size)
        print(f"{size} stakeholders, {len(project.connections)} connections")
        table = tk.energy_table(project.stakeholders, project.connections)
        runs = {
            "energy_table": lambda p=project: tk.energy_table(p.stakeholders, p.connections),
            "introductions": lambda p=project: tk.introductions(p.stakeholders, p.connections),
            "follow_the_energy": lambda p=project: tk.follow_the_energy(p),
            "write_energy_tables": lambda p=project: tk.write_energy_tables(p, out / "tables"),
            "network_chart": lambda p=project, t=table: tk.charts.network_chart(
                t, p.connections
            ).to_dict(),
            "export GraphML": lambda p=project: tk.export_network(
                p.stakeholders, p.connections, out / "map.graphml"
            ),
        }
        for label, func in runs.items():
            timings[(size, label)] = measure(label, func, trace=size <= 200)
    print("Time ratio, 1000 vs 200 stakeholders (5x the people):")
    for label in ("energy_table", "introductions", "follow_the_energy"):
        print(f"  {label:<22} {timings[(1000, label)] / timings[(200, label)]:6.1f}x")


if __name__ == "__main__":
    main()
