"""Benchmark REFI-QDA export and import on a large project.

Builds a fictional project of many long interviews (emoji, accents, combining
marks, speaker turns) with codings inside turns, then measures:

- tk.write_qdpx (with the schema check) and tk.read_qdpx of the toolkit's own
  file, in MB of interview text per second and peak Python memory;
- reading the same project as another tool would have written it, positions
  counted in UTF-16 code units: with detection (positions="auto") against
  trusting the file (positions="standard"), as a ratio measured in this run,
  and whether every coding landed on its words.

Run:  python benchmarks/bench_refi.py [--interviews 200] [--chars 30000]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit as tk
from toolkit.refi.elements import refi_schema

WORDS = [
    "home",
    "ward",
    "driver",
    "neighbour",
    "café",
    "Zoë",
    "carer",
    "discharge",
    "pharmacy",
    "🙂",
    "transport",
    "🚑",
    "naïve",
    "evening",
    "keys",
    "nurse",
]


def make_project(interviews: int, chars: int, seed: int = 0) -> tk.Project:
    rng = np.random.default_rng(seed)
    documents, codings = [], []
    for number in range(interviews):
        turns, length = [], 0
        while length < chars:
            speaker = "Sam" if len(turns) % 2 == 0 else "Maya"
            words = rng.choice(WORDS, size=int(rng.integers(20, 80)))
            turn = f"{speaker}: " + " ".join(words) + "."
            turns.append(turn)
            length += len(turn) + 2
        text = "\n\n".join(turns)
        interview_id = f"int{number:04d}"
        documents.append({"interview_id": interview_id, "text": text, "source": "bench"})
        for match in re.finditer(r"(?<=: )[^\n]+", text):
            if rng.random() < 0.5:
                continue
            words = [m.span() for m in re.finditer(r"\S+", match.group())]
            first = int(rng.integers(0, len(words)))
            last = min(len(words) - 1, first + int(rng.integers(0, 6)))
            start, end = match.start() + words[first][0], match.start() + words[last][1]
            codings.append(
                {
                    "interview_id": interview_id,
                    "segment_id": 1,
                    "start": start,
                    "end": end,
                    "code": f"code{int(rng.integers(0, 30))}",
                    "coder": ["ann", "bilal"][int(rng.integers(0, 2))],
                    "method": "manual",
                }
            )
    project = tk.Project(name="Benchmark (fictional)")
    project.documents = pd.DataFrame(documents)
    project.codings = pd.DataFrame(codings).drop_duplicates(
        ["interview_id", "start", "end", "code"]
    )
    return project


def _utf16(text: str, position: int) -> int:
    return len(text[:position].encode("utf-16-le")) // 2


def as_other_tool(path: Path, out: Path) -> None:
    """Rewrite an export as a tool counting UTF-16 code units would have written it."""
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    xml = entries["project.qde"].decode()
    texts = {
        name.split("/")[1].removesuffix(".txt"): data.decode()
        for name, data in entries.items()
        if name.startswith("sources/")
    }
    out_parts, last = [], 0
    source = None
    for match in re.finditer(
        r'<TextSource guid="([^"]+)"|startPosition="(\d+)" endPosition="(\d+)"', xml
    ):
        out_parts.append(xml[last : match.start()])
        if match.group(1):
            source = texts[match.group(1)]
            out_parts.append(match.group(0))
        else:
            start, end = (_utf16(source, int(match.group(i))) for i in (2, 3))
            out_parts.append(f'startPosition="{start}" endPosition="{end}"')
        last = match.end()
    out_parts.append(xml[last:])
    xml = "".join(out_parts).replace('origin="codesign-toolkit', 'origin="NVivo 14 via')
    entries["project.qde"] = xml.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def timed(label: str, megabytes: float, func, *args, **kwargs):
    """Time a call (best of two), then run it once more under tracemalloc for peak memory."""
    seconds = float("inf")
    for _ in range(2):
        began = time.perf_counter()
        result = func(*args, **kwargs)
        seconds = min(seconds, time.perf_counter() - began)
    tracemalloc.start()
    func(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1] / 1024**2
    tracemalloc.stop()
    print(f"{label:<44} {seconds:7.2f} s  {megabytes / seconds:6.1f} MB/s  peak {peak:7.1f} MB")
    return result, seconds


def words_of(project: tk.Project) -> list[tuple]:
    texts = dict(zip(project.documents["interview_id"], project.documents["text"], strict=True))
    return sorted(
        (r.interview_id, texts[r.interview_id][r.start : r.end], r.code, r.coder)
        for r in project.codings.itertuples()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--chars", type=int, default=30_000)
    args = parser.parse_args()
    project = make_project(args.interviews, args.chars)
    megabytes = sum(len(t.encode()) for t in project.documents["text"]) / 1024**2
    print(
        f"{len(project.documents)} interviews, {megabytes:.1f} MB of text, "
        f"{len(project.codings):,} codings"
    )
    began = time.perf_counter()
    refi_schema("Project.xsd")
    print(f"loading the REFI-QDA schema once: {time.perf_counter() - began:.2f} s")
    folder = Path(tempfile.mkdtemp())
    own, other = folder / "own.qdpx", folder / "other.qdpx"
    timed("write_qdpx (with schema check)", megabytes, tk.write_qdpx, project, own)
    back, _ = timed("read_qdpx, the toolkit's own file", megabytes, tk.read_qdpx, own)
    assert words_of(back) == words_of(project), "own round trip changed a coding"
    as_other_tool(own, other)
    trusted, standard = timed(
        "read_qdpx UTF-16 file, positions='standard'",
        megabytes,
        tk.read_qdpx,
        other,
        positions="standard",
    )
    detected, auto = timed(
        "read_qdpx UTF-16 file, positions='auto'", megabytes, tk.read_qdpx, other
    )
    print(f"detection costs {auto / standard:.2f}x the time of trusting the file")
    exact = words_of(detected) == words_of(project)
    wrong = sum(a != b for a, b in zip(words_of(trusted), words_of(project), strict=False))
    print(
        f"codings on their words: detected {'all' if exact else 'NOT all'}; trusted {wrong:,} wrong"
    )


if __name__ == "__main__":
    main()
