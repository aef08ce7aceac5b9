"""How long the sample's report takes, beside the time of importing pandas and altair.

Times, in fresh processes and side by side (the two commands alternate, so
a busy machine slows both alike), ``codesign-toolkit report DIR`` on a copy
of the sample project and, as the yardstick, ``python -c "import pandas,
altair"``: the median (and the fastest) of N runs each.  The aim is a report
in at most 2.5 times the yardstick; the script exits with status 1 if it
takes longer.

Both sides run from compiled bytecode: pip compiles pandas and altair when
it installs them, so the toolkit's own modules are compiled first too
(``compileall``, into the usual ``__pycache__`` folders).  Otherwise, where
``PYTHONDONTWRITEBYTECODE`` is set (some containers set it), every run would
compile the toolkit's 100-odd modules from source, about 0.2 s that a user's
installed copy never spends.

The chart script (Vega, Vega-Lite and Vega-Embed) is bundled once per
version and kept in the cache folder (see ``toolkit.present.report.script``);
the first report on a machine bundles it, so it is timed apart ("cold").
The other formats and the participants' version are timed for information.

Run: python benchmarks/bench_report.py [--runs 7] [--formats]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import toolkit as tk

#: The report may take at most this many times the yardstick.
LIMIT = 2.5


def run(command: list[str], env: dict[str, str]) -> float:
    """Seconds one fresh run of ``command`` took."""
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default 7)")
    parser.add_argument(
        "--formats", action="store_true", help="also time docx, md and the participants' version"
    )
    options = parser.parse_args()
    python = sys.executable
    script = shutil.which("codesign-toolkit", path=str(Path(python).parent))
    cli = [script] if script else [python, "-m", "toolkit"]
    compileall.compile_dir(Path(tk.__file__).parent, quiet=1)  # as pip does for pandas
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "sample"
        shutil.copytree(tk.sample_project_path(), folder)
        env = {**os.environ, "CODESIGN_TOOLKIT_CACHE": str(Path(scratch) / "cache")}
        yardstick = [python, "-c", "import pandas, altair"]
        report = [*cli, "report", str(folder)]
        run(yardstick, env)  # warm the file cache
        cold = run(report, env)  # bundles the chart script into the empty cache
        times: dict[str, list[float]] = {"import": [], "report": []}
        for _ in range(options.runs):
            times["import"].append(run(yardstick, env))
            times["report"].append(run(report, env))
        base = statistics.median(times["import"])
        took = statistics.median(times["report"])
        rows = {
            'python -c "import pandas, altair"': times["import"],
            "codesign-toolkit report (sample, html)": times["report"],
        }
        print(f"{'command':<44} {'median':>8} {'fastest':>8}   ({options.runs} runs each)")
        for label, seconds in rows.items():
            print(f"{label:<44} {statistics.median(seconds):>7.2f}s {min(seconds):>7.2f}s")
        print(f"{'  its first run, bundling the chart script':<44} {cold:>7.2f}s")
        if options.formats:
            for label, extra in {
                "report --format docx": ["--format", "docx"],
                "report --format md": ["--format", "md"],
                "report --for participants": ["--for", "participants"],
            }.items():
                seconds = statistics.median(run([*report, *extra], env) for _ in range(3))
                print(f"{label:<44} {seconds:>7.2f}s")
        ratio = took / base
        size = (folder / "output" / "report.html").stat().st_size
        print(
            f"The report took {ratio:.2f} x the time of importing pandas and altair (aim: "
            f"at most {LIMIT}); report.html is {size / 1_000_000:.1f} MB."
        )
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
