"""The toolkit's import graph, read from the source (imports inside functions included).

Used by tests/test_architecture.py and benchmarks/compare_trees.py.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Imports:
    """Modules of a tree's ``toolkit`` package, their sizes and who imports what."""

    sizes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, set[str]] = field(default_factory=dict)
    #: (importer, module, name) for each ``from module import _name`` across modules.
    private: list[tuple[str, str, str]] = field(default_factory=list)


def module_name(tree: Path, path: Path) -> str:
    parts = list(path.relative_to(tree).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def read_imports(tree: Path) -> Imports:
    """Return the import graph of ``tree/toolkit`` (``tree`` is a checkout's root)."""
    files = [p for p in (tree / "toolkit").rglob("*.py") if "data" not in p.parts]
    names = {module_name(tree, p): p for p in files}
    found = Imports()
    for name, path in names.items():
        text = path.read_text(encoding="utf-8")
        found.sizes[name] = text.count("\n")
        found.edges.setdefault(name, set())
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(text)):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")
                    up = up[: len(up) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
                if base.startswith("toolkit"):
                    for alias in node.names:
                        if alias.name.startswith("_") and not alias.name.startswith("__"):
                            found.private.append((name, base, alias.name))
            for target in targets:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != name and target != "toolkit":
                    found.edges[name].add(target)
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that import each other, directly or through others."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(edges)
    graph.add_edges_from((a, b) for a, targets in edges.items() for b in targets)
    return [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
