"""How quickly the command line answers ``--version`` and ``--help``.

Times, in fresh processes, ``codesign-toolkit --version`` (the console
script), ``python -m toolkit --version``, ``codesign-toolkit --help`` and,
as the yardstick, ``python -c "import pandas"``: the median (and the
fastest) of N runs each, measured side by side in one run.  The command line
imports pandas and altair only inside the commands that need them, so
``--version`` and ``--help`` should beat the yardstick; the script exits with
status 1 if they do not.

Run: python benchmarks/bench_cli.py [--runs 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timings(command: list[str], runs: int) -> list[float]:
    """Seconds each of ``runs`` fresh runs of ``command`` took (after one warm-up run)."""
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command (default 10)")
    runs = parser.parse_args().runs
    python = sys.executable
    script = shutil.which("codesign-toolkit", path=str(Path(python).parent)) or shutil.which(
        "codesign-toolkit"
    )
    commands = {
        'python -c "import pandas"': [python, "-c", "import pandas"],
        "python -m toolkit --version": [python, "-m", "toolkit", "--version"],
    }
    if script:
        commands["codesign-toolkit --version"] = [script, "--version"]
        commands["codesign-toolkit --help"] = [script, "--help"]
    else:
        print("(the codesign-toolkit script is not installed: timing python -m toolkit only)")
        commands["python -m toolkit --help"] = [python, "-m", "toolkit", "--help"]
    medians = {}
    print(f"{'command':<32} {'median':>9} {'fastest':>9}   ({runs} runs each)")
    for label, command in commands.items():
        seconds = timings(command, runs)
        medians[label] = statistics.median(seconds)
        print(f"{label:<32} {medians[label]:>8.3f}s {min(seconds):>8.3f}s")
    yardstick = medians.pop('python -c "import pandas"')
    slow = [label for label, median in medians.items() if median >= yardstick]
    for label, median in medians.items():
        print(f"{label}: {median / yardstick:.2f} x the time of importing pandas")
    if slow:
        print(f"Slower than importing pandas: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
