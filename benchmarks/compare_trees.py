"""Compare two source trees of the toolkit side by side, in one run.

Used for the architecture change (issue 14): the same measurements on the old
and the new tree, alternating between them so that the machine's load falls on
both alike, each figure the best of ``--repeat`` runs.

    python benchmarks/compare_trees.py OLD_TREE NEW_TREE [--mb 20] [--repeat 3]

OLD_TREE and NEW_TREE are checkouts (for example ``git worktree add
/tmp/before <commit>``).  Each measurement runs in a fresh Python process with
``PYTHONPATH`` set to the tree, using only the public API that both trees have:

- module sizes and import cycles (counting imports inside functions), from the source;
- ``--version``: wall time of ``python -m toolkit --version``, and of
  ``python -c "import pandas"`` for scale;
- import: ``tk.read_transcripts`` over a folder of copies of the sample interviews (MB/s);
- rule coding: ``tk.autocode`` of those segments with the sample codebook (MB/s, warm);
- report: ``tk.write_report`` of the sample project to HTML (seconds).

Nothing here is run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from import_graph import cycles, read_imports

MEASURE = r"""
import json, sys, time
from pathlib import Path
import toolkit as tk
# Resolve the names first: a lazy package would otherwise time its own imports.
read, autocode, write_report = tk.read_transcripts, tk.autocode, tk.write_report
kind, folder, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
size = sum(p.stat().st_size for p in folder.iterdir())
if kind == "import":
    t = time.perf_counter(); segments = read(folder); t = time.perf_counter() - t
    print(json.dumps({"seconds": t, "mb_s": size / 1e6 / t, "segments": len(segments)}))
elif kind == "autocode":
    segments = read(folder)
    book = tk.sample_project().codebook
    chars = int(segments["text"].str.len().sum())
    t0 = time.perf_counter(); first = autocode(segments, book, progress=False)
    t1 = time.perf_counter(); codings = autocode(segments, book, progress=False)
    t2 = time.perf_counter()
    print(json.dumps({"first_s": t1 - t0, "seconds": t2 - t1, "mb_s": chars / 1e6 / (t2 - t1),
                      "codings": len(codings)}))
elif kind == "report":
    project = tk.sample_project()
    t = time.perf_counter()
    write_report(project, out / "report.html")
    t = time.perf_counter() - t
    print(json.dumps({"seconds": t, "bytes": (out / "report.html").stat().st_size}))
"""


def source_shape(tree: Path) -> dict:
    """Module sizes and import cycles of ``tree/toolkit`` (imports inside functions counted)."""
    found = read_imports(tree)
    sizes = found.sizes
    groups = cycles(found.edges)
    return {
        "modules": sum(v > 10 for v in sizes.values()),
        "lines": sum(sizes.values()),
        "largest": max(sizes.values()),
        "over_600": sum(v > 600 for v in sizes.values()),
        "over_1000": sum(v > 1000 for v in sizes.values()),
        "cycles": len(groups),
        "modules_in_cycles": sum(len(c) for c in groups),
        "private_imports": len(found.private),
    }


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    # Run outside any checkout: Python puts the working folder first on sys.path.
    subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=tempfile.gettempdir())
    return time.perf_counter() - t


def run(tree: Path, kind: str, folder: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, kind, str(folder), str(out)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=out,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_corpus(folder: Path, mb: float) -> None:
    sample = Path(__file__).resolve().parents[1] / "toolkit" / "data" / "sample" / "interviews"
    sources = sorted(p for p in sample.iterdir() if p.suffix in (".txt", ".vtt", ".srt", ".md"))
    total, i = 0, 0
    while total < mb * 1e6:
        src = sources[i % len(sources)]
        target = folder / f"{src.stem}-{i:05d}{src.suffix}"
        shutil.copyfile(src, target)
        total += target.stat().st_size
        i += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--mb", type=float, default=20, help="corpus size for import and coding")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = {"before": args.old.resolve(), "after": args.new.resolve()}
    results: dict[str, dict] = {k: {"shape": source_shape(t)} for k, t in trees.items()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        make_corpus(folder, args.mb)
        version: dict[str, list[float]] = {k: [] for k in trees}
        pandas_times = []
        measures: dict[str, dict[str, list[dict]]] = {k: {} for k in trees}
        for _ in range(args.repeat):
            for key, tree in trees.items():  # alternate, so load falls on both alike
                env = {**os.environ, "PYTHONPATH": str(tree)}
                for _ in range(5):
                    version[key].append(timed([sys.executable, "-m", "toolkit", "--version"], env))
                pandas_times.append(timed([sys.executable, "-c", "import pandas"], env))
                for kind in ("import", "autocode", "report"):
                    out = Path(tmp) / f"out-{key}"
                    out.mkdir(exist_ok=True)
                    measures[key].setdefault(kind, []).append(run(tree, kind, folder, out))
        for key in trees:
            results[key]["version_s"] = round(statistics.median(version[key]), 3)
            for kind, runs in measures[key].items():
                best = min(runs, key=lambda r: r["seconds"])
                results[key][kind] = {k: round(v, 3) for k, v in best.items()}
        results["import pandas_s"] = round(statistics.median(pandas_times), 3)
        results["corpus_mb"] = round(sum(p.stat().st_size for p in folder.iterdir()) / 1e6, 1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
