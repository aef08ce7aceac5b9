"""Benchmark coding at national scale: the in-memory engine against Dask, on FFT-like responses.

Builds a project whose interviews are one Parquet file of synthetic Friends and
Family Test responses (an id, a trust, a service, a date, a score, the question
and a free-text comment of one to four sentences, about 120 characters on
average), with a 30-code codebook of keyword rules, then runs

    codesign-toolkit code DIR --engine memory --output A.parquet
    codesign-toolkit code DIR --engine dask --workers 2 --output B.parquet

each as its own process, sampling the resident memory (RSS) of the whole
process tree (the command, and for Dask its scheduler, nannies and workers)
with psutil every 0.1 s.  It prints, for each engine, the wall time, the
throughput (responses and MB of text per second) and the peak memory, the
Dask/memory ratios against the aims (half the peak memory or less, no more
than 1.2 times the time), and whether the two outputs hold the same codings
(compared in slices, so the check itself stays small).

Run:  python benchmarks/bench_scale.py [--responses 2000000] [--workers 2] [--keep DIR]
      python benchmarks/bench_scale.py --responses 10000000 --engines dask

Needs the scale extra (pip install -e ".[scale]") and psutil (which Dask brings).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

#: Codes and their keyword rules: what FFT comments are about (after the NHS FFT-QDC framework).
CODES = {
    "staff_attitude": ["kind", "caring", "friendly", "rude", "polite", "compassion*"],
    "staff_competence": ["professional*", "knowledgeable", "competent", "skilled"],
    "staffing_levels": ["short staffed", "understaffed", "more staff", "busy staff"],
    "waiting_times": ["wait*", "delay*", "queue*", "on time"],
    "appointments": ["appointment*", "rebook*", "cancelled", "booking"],
    "communication": ["explain*", "informed", "communicat*", "listened", "kept me updated"],
    "information": ["leaflet*", "information", "advice"],
    "involvement": ["involved", "my choice", "decision*"],
    "dignity": ["dignity", "respect*", "privacy"],
    "pain": ["pain*", "painkiller*"],
    "medication": ["medication*", "prescription*", "tablets"],
    "discharge": ["discharge*", "sent home", "went home"],
    "food": ["food", "meal*", "tea", "sandwich*"],
    "cleanliness": ["clean*", "dirty", "hygiene", "tidy"],
    "noise": ["noise", "noisy", "quiet"],
    "parking": ["parking", "car park"],
    "transport": ["transport", "bus", "taxi"],
    "facilities": ["toilet*", "ward", "waiting room", "equipment"],
    "phone_access": ["phone*", "get through", "call back"],
    "continuity": ["same doctor", "continuity", "different nurse"],
    "mental_health": ["anxious", "anxiety", "mental health", "support worker"],
    "children": ["my son", "my daughter", "children", "baby"],
    "carers": ["my husband", "my wife", "carer*", "family"],
    "thanks": ["thank*", "grateful", "brilliant", "excellent"],
    "complaint": ["complain*", "disappointed", "unacceptable"],
    "accessibility": ["wheelchair", "hearing", "interpreter", "disabled"],
    "safety": ["safe", "unsafe", "fall", "security"],
    "environment": ["temperature", "cold", "hot", "lights"],
    "covid": ["covid", "mask*", "visiting"],
    "nothing_to_improve": ["nothing", "can't think", "no improvement*"],
}

_SENTENCES = [
    "The staff were kind and caring from start to finish",
    "Reception was rude and I waited two hours",
    "Nothing, the care was brilliant",
    "Long wait for the appointment but the nurse explained everything",
    "Food could be better and the ward was noisy at night",
    "Parking is impossible and the car park is too expensive",
    "The doctor listened and I felt involved in every decision",
    "Please keep me informed about delays",
    "Very clean ward, thank you to everyone",
    "My appointment was cancelled twice without a call back",
    "I could not get through on the phone for days",
    "The support worker helped with my anxiety",
    "They treated my son with dignity and respect",
    "Discharge took all day because the prescription was not ready",
    "Excellent service, professional and friendly",
    "The toilets were dirty and there was no soap",
    "More staff are needed, they are so short staffed",
    "I was given a leaflet but no real advice",
    "Pain relief came quickly when I asked",
    "Seeing the same doctor each time would help",
    "Everything was fine",
    "Grateful for the interpreter who came to every visit",
    "It was too hot on the ward and the lights stayed on",
    "Visiting rules were clear",
    "The waiting room had nowhere to sit",
    "My wife felt safe throughout",
    "Transport home was late",
    "Can't think of anything to improve",
]
_SERVICES = ["Inpatient", "Outpatient", "A&E", "Community", "Mental health", "Maternity"]
_QUESTIONS = ["What was good?", "What could we do better?"]


def make_codebook(path: Path) -> Path:
    """Write the benchmark's codebook (30 codes with keyword rules) to `path`."""
    lines = ["themes:", "  - theme: Friends and Family Test", "    codes:"]
    for code, words in CODES.items():
        lines.append(f"      - code: {code}")
        lines.append(f"        keywords: {json.dumps(words)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_responses(path: Path, n: int, seed: int = 0, row_group: int = 250_000) -> int:
    """Write `n` synthetic FFT-like responses to the Parquet file `path`; return its text size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    pool = np.array(_SENTENCES, dtype=object)
    chars = 0
    start = np.datetime64("2023-04-01")
    with pq.ParquetWriter(path, _schema(pa)) as writer:
        for a in range(0, n, row_group):
            m = min(row_group, n - a)
            count = rng.integers(1, 5, m)
            picks = rng.integers(0, len(pool), (m, 4))
            texts = [
                ". ".join(pool[picks[i, : count[i]]]) + "." for i in range(m)
            ]  # one to four sentences
            chars += sum(map(len, texts))
            table = pa.table(
                {
                    "response_id": [f"R{i:09d}" for i in range(a + 1, a + m + 1)],
                    "trust": [f"Trust {t:03d}" for t in rng.integers(1, 201, m)],
                    "service": np.array(_SERVICES, dtype=object)[rng.integers(0, 6, m)],
                    "date": start + rng.integers(0, 730, m).astype("timedelta64[D]"),
                    "fft_score": rng.integers(1, 7, m),
                    "question": np.array(_QUESTIONS, dtype=object)[rng.integers(0, 2, m)],
                    "comment": texts,
                },
                schema=_schema(pa),
            )
            writer.write_table(table)
    return chars


def _schema(pa):
    return pa.schema(
        [
            ("response_id", pa.string()),
            ("trust", pa.string()),
            ("service", pa.string()),
            ("date", pa.date32()),
            ("fft_score", pa.int64()),
            ("question", pa.string()),
            ("comment", pa.string()),
        ]
    )


def make_project(folder: Path, n: int) -> int:
    """Make a project folder with `n` responses in interviews/fft.parquet; return the text size."""
    (folder / "interviews").mkdir(parents=True)
    (folder / "output").mkdir()
    (folder / "project.yml").write_text(
        "name: FFT benchmark (synthetic)\n"
        "settings:\n  interviews:\n    id_column: response_id\n    text_column: comment\n",
        encoding="utf-8",
    )
    make_codebook(folder / "codebook.yml")
    return make_responses(folder / "interviews" / "fft.parquet", n)


def tree_rss(pid: int) -> int:
    """Return the resident memory of process `pid` and all its descendants, in bytes."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += proc.memory_info().rss
    return total


def run(command: list[str], interval: float = 0.1) -> dict:
    """Run `command`, sampling its process tree's RSS; return wall time and peak memory."""
    peak = 0
    began = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - began
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{out}\n{err}")
    return {"seconds": wall, "peak_bytes": peak, "output": out.strip()}


def same_codings(a: Path, b: Path) -> bool:
    """Whether two codings datasets hold the same rows, compared a slice of files at a time."""
    import pyarrow.dataset as ds

    left, right = ds.dataset(a).to_batches(), ds.dataset(b).to_batches()
    buffer_a, buffer_b = [], []
    import pyarrow as pa

    def take(batches, buffer, n):
        while sum(len(x) for x in buffer) < n:
            try:
                buffer.append(next(batches))
            except StopIteration:
                break
        table = pa.Table.from_batches(buffer) if buffer else None
        return table

    while True:
        ta, tb = take(left, buffer_a, 500_000), take(right, buffer_b, 500_000)
        if ta is None or tb is None:
            return ta is None and tb is None
        n = min(len(ta), len(tb))
        if n == 0:
            return len(ta) == len(tb)
        if not ta.slice(0, n).equals(tb.slice(0, n)):
            return False
        buffer_a[:] = ta.slice(n).to_batches()
        buffer_b[:] = tb.slice(n).to_batches()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", default="memory,dask")
    parser.add_argument("--keep", type=Path, help="Build the project here and keep it.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    project = folder / "project"
    began = time.perf_counter()
    if (project / "interviews" / "fft.parquet").is_file():
        chars = None
    else:
        chars = make_project(project, args.responses)
    size = (project / "interviews" / "fft.parquet").stat().st_size
    print(
        f"{args.responses:,} synthetic FFT responses"
        + (f", {chars / 1e6:,.0f} MB of text" if chars else "")
        + f", {size / 1e6:,.0f} MB of Parquet (made in {time.perf_counter() - began:.0f} s)"
    )
    tool = [sys.executable, "-m", "toolkit"]
    results = {}
    for engine in args.engines.split(","):
        out = folder / f"codings-{engine}.parquet"
        command = [*tool, "code", str(project), "--quiet", "--engine", engine, "--output", str(out)]
        if engine == "dask":
            command += ["--workers", str(args.workers)]
        found = run(command)
        results[engine] = found
        rate = args.responses / found["seconds"]
        mb = f", {chars / 1e6 / found['seconds']:.1f} MB/s" if chars else ""
        print(
            f"{engine:>6}: {found['seconds']:7.1f} s  {rate:10,.0f} responses/s{mb}  "
            f"peak memory of the process tree {found['peak_bytes'] / 2**30:5.2f} GiB"
        )
        print("        " + found["output"].splitlines()[0])
    if {"memory", "dask"} <= set(results):
        mem, dask = results["memory"], results["dask"]
        time_ratio = dask["seconds"] / mem["seconds"]
        memory_ratio = dask["peak_bytes"] / mem["peak_bytes"]
        print(
            f"Dask/memory: time {time_ratio:.2f}x (aim <= 1.2x), peak memory "
            f"{memory_ratio:.2f}x (aim <= 0.5x)"
        )
        same = same_codings(folder / "codings-memory.parquet", folder / "codings-dask.parquet")
        print("Same codings from both engines:", "yes" if same else "NO")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
