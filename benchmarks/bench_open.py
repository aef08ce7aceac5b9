"""Benchmark what opening a big project checks: coders' files and who spoke.

On a synthetic consultation of 250,000 survey answers (one segment each, 24
codes; the one in ``bench_themes.py``) this times, best of N runs:

* reading and checking one coder's file of 100,000 codings against the
  segments and the codebook (``read_coder_codings``, which ``open_project``
  runs for every coder);
* ``who_spoke`` on the 250,000 answers and their 250,000 participants rows,
  read from ``participants.csv`` as a project reads them (every count of
  people and every quote goes through it).

Give ``--before`` a copy of an older ``toolkit`` tree (for example
``git archive HEAD toolkit | tar -x -C /tmp/before``) to time it side by side
with this tree, on the same data, in one run; the script also checks that
both give the same codings and the same people.

Run: python benchmarks/bench_open.py [--answers 250000] [--codings 100000]
                                     [--runs 3] [--before /tmp/before]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def make_data(folder: Path, answers: int, codings: int) -> None:
    """Write the synthetic consultation's tables (pickled) and one coder's file."""
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from bench_themes import make_project

    project = make_project(answers, folder)
    project.segments.to_pickle(folder / "segments.pkl")
    project.participants.to_csv(folder / "participants.csv", index=False)
    project.documents[["interview_id"]].to_pickle(folder / "documents.pkl")
    project.codebook.to_csv(folder / "codebook.csv", index=False)
    coder = project.codings[project.codings["coder"] == "alex"].head(codings)
    # As a coder's file holds them: some offsets left blank (the whole segment).
    coder = coder.astype({"start": object, "end": object})
    blank = coder.index[::7]
    coder.loc[blank, ["start", "end"]] = ""
    coder.drop(columns=["coder", "method"]).to_csv(folder / "alex.csv", index=False)
    pd.DataFrame({"rows": [len(coder)]}).to_pickle(folder / "sizes.pkl")


def measure(folder: Path, runs: int) -> dict:
    """Time both steps with the toolkit on sys.path; save their results for comparison."""
    import numpy as np
    import pandas as pd

    import toolkit as tk
    from toolkit.model.codings import read_coder_codings

    segments = pd.read_pickle(folder / "segments.pkl")
    # Read as a project reads it: the table remembers each row's line for messages.
    participants = tk.read_participants(folder / "participants.csv")
    documents = pd.read_pickle(folder / "documents.pkl")
    codebook = tk.read_codebook(folder / "codebook.csv")
    times: dict[str, float] = {}

    def best(label: str, func):
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            value = func()
            seconds.append(time.perf_counter() - start)
        times[label] = min(seconds)
        return value

    codings = best("codings", lambda: read_coder_codings(folder / "alex.csv", segments, codebook))
    found = best("who_spoke", lambda: tk.who_spoke(segments, participants, documents=documents))
    tag = os.environ.get("BENCH_TAG", "after")
    codings.astype(str).to_pickle(folder / f"codings-{tag}.pkl")
    np.save(folder / f"person-{tag}.npy", found.person)
    np.save(folder / f"interviewer-{tag}.npy", found.interviewer)
    found.people.astype(str).to_pickle(folder / f"people-{tag}.pkl")
    return {"toolkit": tk.__file__, **times}


def same(folder: Path) -> bool:
    """Whether the two trees gave the same codings, people and turns."""
    import numpy as np
    import pandas as pd

    tables = all(
        pd.read_pickle(folder / f"{name}-before.pkl").equals(
            pd.read_pickle(folder / f"{name}-after.pkl")
        )
        for name in ("codings", "people")
    )
    arrays = all(
        np.array_equal(np.load(folder / f"{n}-before.npy"), np.load(folder / f"{n}-after.npy"))
        for n in ("person", "interviewer")
    )
    return tables and arrays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=250_000)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (the best counts)")
    parser.add_argument("--before", type=Path, help="a folder holding an older toolkit/ tree")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_data(folder, args.answers, args.codings)
        trees = [("before", args.before.resolve())] if args.before else []
        trees.append(("after", ROOT))
        results = {}
        for tag, tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree), "BENCH_TAG": tag}
            command = [sys.executable, __file__, "--measure", str(folder), "--runs", str(args.runs)]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            results[tag] = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{args.answers:,} survey answers; one coder's file of {args.codings:,} codings; "
            f"best of {args.runs} runs"
        )
        print(f"  {'step':<42} " + " ".join(f"{tag:>9}" for tag in results))
        for step, words in (
            ("codings", "read and check 100,000 codings"),
            ("who_spoke", "who_spoke on the answers"),
        ):
            cells = " ".join(f"{results[tag][step]:8.2f}s" for tag in results)
            print(f"  {words:<42} {cells}")
        if args.before:
            print("Same codings and people from both trees:", "yes" if same(folder) else "NO")


if __name__ == "__main__":
    main()
