"""Benchmark: import a large synthetic corpus of mixed transcript formats.

Generates a corpus (by default 100 MB in 10,000 transcripts: plain text,
Markdown, Otter exports, Zoom and Teams WebVTT, SubRip and Word) in a
temporary folder, then reports how fast each format reads (MB/s) and the
peak memory of reading the whole folder into ``documents`` and ``segments``,
as a multiple of the corpus size.

    python benchmarks/bench_import.py            # the full 100 MB
    python benchmarks/bench_import.py --mb 10    # a quicker run

Nothing here is timed by the test suite; run it by hand and read the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WORDS = """the ward rang her daughter at nine and the district nurse came the next morning we
talked about the care package medicines transport keys safe lunch club volunteers discharge
lounge pharmacist huddle shared record welcome home call young carers Good Neighbours WhatsApp
group it worked because people knew each other by name"""
WORDS = _WORDS.split()
# Real transcripts often hold a curly apostrophe or an accent, which makes Python keep
# the whole text at two bytes a character: a share of the files do, as in real life.
SPECIAL = ["it’s", "café", "don’t", "Zoë’s"]
SPEAKERS = [("Sam Reid", "Sam"), ("Maya Okafor", "Maya"), ("Derek Lund", "Derek")]

# Share of the corpus (by file count) in each format.
MIX = [("txt", 0.40), ("vtt-zoom", 0.20), ("vtt-teams", 0.15), ("srt", 0.10), ("md", 0.07),
       ("otter", 0.05), ("docx", 0.03)]  # fmt: skip


#: Share of a file's bytes that is speech, for the formats with timing lines.
OVERHEAD = {"vtt-zoom": 0.70, "vtt-teams": 0.55, "srt": 0.75}


def _sentence(rng: random.Random, special: bool = False) -> str:
    words = rng.choices(WORDS + SPECIAL if special else WORDS, k=rng.randint(6, 22))
    return (" ".join(words)).capitalize() + rng.choice([".", ".", "?", "!"])


def _turns(rng: random.Random, size: int) -> list[tuple[str, str, str]]:
    turns, total = [], 0
    special = rng.random() < 0.2
    while total < size:
        full, short = SPEAKERS[len(turns) % 2 if len(turns) % 7 else 2]
        text = " ".join(_sentence(rng, special) for _ in range(rng.randint(1, 6)))
        turns.append((full, short, text))
        total += len(text) + 12
    return turns


def _clock(seconds: float, sep: str = ".") -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _cues(turns, rng):
    t = 0.0
    for full, short, text in turns:
        words = text.split()
        for i in range(0, len(words), 12):
            chunk = " ".join(words[i : i + 12])
            length = 0.4 * len(chunk.split()) + 0.5
            yield full, short, chunk, t, t + length
            t += length + rng.random() * 0.3


def write_one(folder: Path, n: int, fmt: str, size: int, rng: random.Random) -> None:
    turns = _turns(rng, size)
    if fmt == "txt":
        body = "\n\n".join(f"{short}: {text}" for _, short, text in turns)
        (folder / f"t{n:05d}.txt").write_text("Interview notes (synthetic)\n\n" + body + "\n")
    elif fmt == "md":
        body = "\n\n".join(f"**{short}:** {text}" for _, short, text in turns)
        (folder / f"t{n:05d}.md").write_text("# Interview (synthetic)\n\n" + body + "\n")
    elif fmt == "otter":
        t, parts = 0, []
        for full, _, text in turns:
            parts.append(f"{full}  {t // 60}:{t % 60:02d}\n{text}")
            t += len(text) // 12
        (folder / f"t{n:05d}.txt").write_text("\n\n".join(parts) + "\n")
    elif fmt == "vtt-zoom":
        cues = [f"{i}\n{_clock(a)} --> {_clock(b)}\n{full}: {chunk}"
                for i, (full, _, chunk, a, b) in enumerate(_cues(turns, rng), 1)]  # fmt: skip
        (folder / f"t{n:05d}.vtt").write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n")
    elif fmt == "vtt-teams":
        cues = [f"{rng.getrandbits(64):016x}/{i}-0\n{_clock(a)} --> {_clock(b)}\n"
                f"<v {full}>{chunk}</v>"
                for i, (full, _, chunk, a, b) in enumerate(_cues(turns, rng), 1)]  # fmt: skip
        (folder / f"t{n:05d}.vtt").write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n")
    elif fmt == "srt":
        cues, last = [], None
        for i, (_, short, chunk, a, b) in enumerate(_cues(turns, rng), 1):
            label = f"{short}: " if short != last else ""
            last = short
            cues.append(f"{i}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{label}{chunk}")
        (folder / f"t{n:05d}.srt").write_text("\n\n".join(cues) + "\n")
    elif fmt == "docx":
        import docx

        document = docx.Document()
        for _, short, text in turns:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{short}:").bold = True
            paragraph.add_run(" " + text)
        document.save(folder / f"t{n:05d}.docx")


def generate(root: Path, megabytes: float, files: int) -> dict[str, Path]:
    """Write the corpus, one sub-folder per format; return the folders."""
    rng = random.Random(20261106)
    size = int(megabytes * 1_000_000 / files)
    folders = {}
    n = 0
    for fmt, share in MIX:
        folder = root / fmt
        folder.mkdir(parents=True)
        folders[fmt] = folder
        # Subtitle files spend bytes on timing lines: give them less speech, so
        # that every file is about the same size on disk.
        speech = int(size * OVERHEAD.get(fmt, 1.0))
        for _ in range(max(1, round(files * share))):
            write_one(folder, n, fmt, speech, rng)
            n += 1
    return folders


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def text_bytes(folder: Path) -> int:
    """Bytes of transcript text (for .docx, the text inside, not the zip)."""
    total = 0
    for p in folder.rglob("*"):
        if p.suffix == ".docx":
            import docx

            total += sum(len(x.text.encode()) + 1 for x in docx.Document(str(p)).paragraphs)
        elif p.is_file():
            total += p.stat().st_size
    return total


def baseline(folder: Path, fmt: str) -> tuple[float, float | None]:
    """Return CPU MB/s for the floor (read, decode, split lines) and for webvtt-py.

    Measured in the same run as the toolkit, so the ratios hold on a busy machine.
    webvtt-py is timed on a tenth of the subtitle files (it is slow).
    """
    files = sorted(folder.iterdir())
    if fmt == "docx":
        return float("nan"), None
    size = sum(p.stat().st_size for p in files)
    cpu = time.process_time()
    for p in files:
        p.read_bytes().decode("utf-8").split("\n")
    floor = size / 1e6 / (time.process_time() - cpu)
    if not fmt.startswith(("vtt", "srt")):
        return floor, None
    import io

    import webvtt

    sample = files[:: max(1, len(files) // max(1, len(files) // 10))]
    size = sum(p.stat().st_size for p in sample)
    cpu = time.process_time()
    for p in sample:
        text = p.read_text(encoding="utf-8")
        if fmt == "srt":
            webvtt.WebVTT.from_buffer(io.StringIO(text), format="srt")
        else:
            webvtt.WebVTT.from_string(text)
    return floor, size / 1e6 / (time.process_time() - cpu)


def measure_memory(folder: Path) -> dict:
    """Read the whole corpus in fresh processes; return the peak memory of reading it.

    One process measures the peak of Python's own allocations (tracemalloc),
    another the growth of the resident set (all memory, without tracemalloc's
    slowdown): the peak resident size minus the resident size just before.
    """
    code = f"""
import json, resource, sys, time, tracemalloc
import toolkit as tk

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024

traced = sys.argv[1] == "trace"
before = rss()
if traced:
    tracemalloc.start()
start = time.perf_counter()
corpus = tk.read_corpus({str(folder)!r})
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] if traced else 0
held = tracemalloc.get_traced_memory()[0] if traced else 0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
import sys as _sys
documents_bytes = sum(_sys.getsizeof(t) for t in corpus.documents["text"])
print(json.dumps({{"seconds": seconds, "tracemalloc_peak": peak, "held": held,
    "documents_bytes": documents_bytes,
    "rss_growth": after - before, "documents": len(corpus.documents),
    "segments": len(corpus.segments), "errors": len(corpus.errors)}}))
"""
    results = {}
    for mode in ("trace", "rss"):
        out = subprocess.run(
            [sys.executable, "-c", code, mode], capture_output=True, text=True, check=True
        )
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    merged = results["trace"]
    merged["rss_growth"] = results["rss"]["rss_growth"]
    merged["seconds_plain"] = results["rss"]["seconds"]
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=100, help="corpus size in MB (default 100)")
    parser.add_argument("--files", type=int, default=None, help="number of transcripts")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    files = args.files or max(10, int(args.mb * 100))

    import toolkit as tk

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        start = time.perf_counter()
        folders = generate(root / "corpus", args.mb, files)
        print(f"Generated {files:,} transcripts in {time.perf_counter() - start:.1f} s in {root}")
        # CPU time as well as wall time: on a shared machine the wall clock also
        # counts time spent waiting for other programs.
        print(
            f"{'format':<10} {'files':>6} {'MB':>8} {'seconds':>8} {'MB/s':>8} "
            f"{'CPU MB/s':>9} {'segments':>9} {'floor':>7} {'webvtt-py':>9}"
        )
        total_mb = total_s = total_cpu = 0.0
        for fmt, folder in folders.items():
            mb = text_bytes(folder) / 1e6
            start, cpu = time.perf_counter(), time.process_time()
            corpus = tk.read_corpus(folder)
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
            assert not corpus.errors, corpus.errors[:1]
            n_files = len(list(folder.iterdir()))
            floor, reference = baseline(folder, fmt)
            reference_text = f"{reference:>9.1f}" if reference else f"{'':>9}"
            print(f"{fmt:<10} {n_files:>6,} {mb:>8.1f} {seconds:>8.2f} {mb / seconds:>8.1f} "
                  f"{mb / cpu:>9.1f} {len(corpus.segments):>9,} {floor:>7.0f} "
                  f"{reference_text}")  # fmt: skip
            total_mb += mb
            total_s += seconds
            total_cpu += cpu
            del corpus
        print(
            f"{'all':<10} {files:>6,} {total_mb:>8.1f} {total_s:>8.2f} {total_mb / total_s:>8.1f} "
            f"{total_mb / total_cpu:>9.1f}"
            + "\n(MB: the transcripts' text; for Word files, the text inside them. CPU MB/s, "
            "floor and webvtt-py use CPU time: floor is reading, decoding and splitting the "
            "lines only; webvtt-py is that library parsing the same files, for comparison)"
        )
        memory = measure_memory(root / "corpus")
        print(
            f"\nWhole corpus in one call: {memory['documents']:,} documents, "
            f"{memory['segments']:,} segments in {memory['seconds_plain']:.1f} s "
            f"({total_mb / memory['seconds_plain']:.1f} MB/s)"
        )
        print(
            f"Peak memory (tracemalloc): {memory['tracemalloc_peak'] / 1e6:.0f} MB = "
            f"{memory['tracemalloc_peak'] / (total_mb * 1e6):.2f} x the text size "
            f"(tables held afterwards: {memory['held'] / (total_mb * 1e6):.2f} x)"
        )
        print(
            f"Peak resident memory growth: {memory['rss_growth'] / 1e6:.0f} MB = "
            f"{memory['rss_growth'] / (total_mb * 1e6):.2f} x the text size"
        )
        print(
            f"The documents' own text takes {memory['documents_bytes'] / 1e6:.0f} MB in Python "
            f"(a text with any character beyond Latin-1, such as a curly apostrophe, takes two "
            f"bytes a character); the peak is "
            f"{memory['tracemalloc_peak'] / memory['documents_bytes']:.2f} x that"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
