"""Benchmark rule coding: tk.autocode on a synthetic consultation-sized corpus.

Builds a synthetic corpus (100 MB of English-like text by default, in speaker
turns of 50 to 2,000 characters, with curly apostrophes and dashes as Word
documents have) and a codebook of 500 codes with keyword rules (single words,
phrases and wildcards, and a few "not" phrases), then reports in one run:

* autocode's first call (which builds the case-folding tables, once per
  process) apart from warm calls (best of ``--repeat``), in MB/s of text (wall
  clock and CPU time of this one process), and its peak memory (tracemalloc,
  in a separate run);
* two plain-Python ways, timed on a sample of the corpus and scaled up: the
  naive per-rule ``re`` loop (autocode_reference, the definition autocode must
  agree with) and a fair baseline (each segment lower-cased once, a rule
  skipped unless its keyword's longest word occurs as a substring, then the
  word-boundary regex).  The run stops with an error unless all three give
  the same codings on the sample;
* a raw multi-pattern scan: one Aho-Corasick pass over the lower-cased text,
  no word checks and no table (not a floor: it does less than autocode);
* for regular expressions, on a 10 MB slice with 10 regex rules: each regex on
  every segment (autocode_reference), one combined alternation of all of them
  (faster, but not the same answers: one match hides another), and autocode's
  way (each regex only on the segments where the scan found a word it needs),
  again checked to give the reference's codings.

The Aho-Corasick package was chosen with this script (issue 14): autocode with
ahocorasick-rs against pyahocorasick, best of 4 on 2 shared cores, gave
76 vs 60 MB/s (20 MB, 500 codes), 66 vs 61 (50 MB, 500 codes), 127 vs 95
(100 codes), 43 vs 45 (1,000 codes) and 17-19 vs 20-21 (3,000 codes); the raw
scan alone 111 vs 51 MB/s at 500 codes.  ahocorasick-rs is kept; pyahocorasick
is compared in the raw scan below only when it happens to be installed.

Run:  python benchmarks/bench_autocode.py [--mb 100] [--codes 500] [--seed 1]
      python benchmarks/bench_autocode.py --small     (5 MB: well under 2 minutes)
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import re
import sys
import time
import tracemalloc
from collections import deque
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import toolkit as tk
from toolkit.analysis.autocode.engine import autocode_reference, segment_texts
from toolkit.analysis.autocode.matches import codings_from_matches
from toolkit.analysis.autocode.ruleset import RuleSet
from toolkit.model.rules import normalise_keyword

COMMON = """the and to of a i in was it that we you he she they for on with at but so my our is
had have be not this there when what all just one out up about really then home time know would
could did were if me them like been very going because think said""".split()  # noqa: SIM905
LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
WEIGHTS = [12, 9, 8, 7.5, 7, 6.7, 6.3, 6, 5.9, 4.3, 4, 2.8, 2.8, 2.4, 2.4, 2.2, 2, 2, 1.9, 1.5]
WEIGHTS += [1, 0.8, 0.2, 0.15, 0.1, 0.07]


def make_vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    """Return English-looking words: the common words, then invented ones."""
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choices(LETTERS, WEIGHTS, k=rng.randint(3, 10)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def make_corpus(rng: random.Random, vocabulary: list[str], megabytes: float) -> pd.DataFrame:
    """Return a segments table of about `megabytes` of text (UTF-8)."""
    n = len(vocabulary)
    # Zipf-like frequencies: a few words are very common, most are rare.
    probabilities = 1 / np.arange(1, n + 1) ** 1.05
    probabilities /= probabilities.sum()
    nprng = np.random.default_rng(rng.randint(0, 2**31))
    target = int(megabytes * 1_000_000)
    texts: list[str] = []
    total = 0
    vocab = np.array(vocabulary, dtype=object)
    marks = [".", ",", "?", "!", "\u2019s", " \u2014", "."]
    while total < target:
        draw = vocab[nprng.choice(n, size=200_000, p=probabilities)].tolist()
        i = 0
        while i < len(draw) - 400 and total < target:
            length = int(nprng.integers(10, 380))
            words = draw[i : i + length]
            i += length
            words[0] = words[0].capitalize()
            for k in range(8, length, int(nprng.integers(6, 20))):
                words[k - 1] += marks[int(nprng.integers(0, len(marks)))]
                if words[k - 1].endswith((".", "?", "!")):
                    words[k] = words[k].capitalize()
            text = " ".join(words) + "."
            texts.append(text)
            total += len(text.encode("utf-8"))
    starts = np.concatenate([[0], np.cumsum([len(t) + 2 for t in texts])[:-1]])
    return pd.DataFrame(
        {
            "interview_id": [f"r{k // 50:06d}" for k in range(len(texts))],
            "segment_id": [k % 50 + 1 for k in range(len(texts))],
            "start": starts,
            "text": texts,
        }
    )


def make_codebook(rng: random.Random, vocabulary: list[str], codes: int) -> tk.Codebook:
    """Return a keyword codebook: words from the middle of the vocabulary, phrases, wildcards."""
    middle = vocabulary[300:12_000]
    entries = []
    for k in range(codes):
        keywords = []
        for _ in range(rng.randint(2, 5)):
            roll = rng.random()
            if roll < 0.6:
                keywords.append(rng.choice(middle))
            elif roll < 0.85:
                keywords.append(f"{rng.choice(middle)} {rng.choice(vocabulary[:3000])}")
            else:
                keywords.append(rng.choice(middle)[:5] + "*")
        entry = {"code": f"code_{k:03d}", "theme": f"theme_{k % 12}", "keywords": keywords}
        if k % 25 == 0:
            entry["not"] = [f"not {rng.choice(middle)}"]
        entries.append(entry)
    return tk.Codebook(entries)


def regex_codebook(rng: random.Random, vocabulary: list[str], count: int = 10) -> tk.Codebook:
    """Return a codebook of `count` regex rules, each needing a word from the vocabulary."""
    middle = vocabulary[300:12_000]
    return tk.Codebook(
        {"code": f"pattern_{k}", "regex": [rf"\b{rng.choice(middle)}\s+(?:and|or|the)\s+\w+"]}
        for k in range(count)
    )


def mb(segments: pd.DataFrame) -> float:
    return sum(len(t.encode("utf-8")) for t in segments["text"]) / 1e6


def timed(function, repeat: int) -> tuple[float, float, object]:
    """Return the best wall-clock and CPU seconds of `repeat` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus), result


def raw_scan(segments: pd.DataFrame, codebook: tk.Codebook, engine: str) -> None:
    """One Aho-Corasick pass over the lower-cased text, no word checks and no table."""
    keywords = [k.rstrip("*").lower() for c in codebook for k in (*c.keywords, *c.veto)]
    texts = segments["text"].tolist()
    if engine == "ahocorasick-rs":
        import ahocorasick_rs

        automaton = ahocorasick_rs.BytesAhoCorasick(
            [k.encode() for k in keywords], implementation=ahocorasick_rs.Implementation.DFA
        )
        for k in range(0, len(texts), 2_000):
            text = "\n".join(texts[k : k + 2_000]).lower().encode()
            automaton.find_matches_as_indexes(text, overlapping=True)
    else:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for keyword in keywords:
            automaton.add_word(keyword, 1)
        automaton.make_automaton()
        for k in range(0, len(texts), 2_000):
            text = "\n".join(texts[k : k + 2_000]).lower()
            deque(automaton.iter(text), maxlen=0)  # consumes the hits in C


def _needle(keyword: str) -> str:
    """The longest word of a keyword, lower-cased: every match contains it."""
    stem = normalise_keyword(keyword).rstrip("*")
    return max(stem.lower().split(" "), key=len)


def fair_baseline(segments: pd.DataFrame, codebook: tk.Codebook) -> pd.DataFrame:
    """Plain Python done with care: lower-case each segment once, and run a rule's
    word-boundary regex only where its keyword's longest word occurs as a substring.

    The same codings as autocode (for keyword rules on text whose lower-casing
    agrees with ``re``'s case folding, as the synthetic corpus's does).
    """
    rules = RuleSet(codebook)
    checks = [
        [(r.index, _needle(r.text), r.compiled) for r in code_rules] for code_rules in rules.rules
    ]
    vetoes = [[(_needle(v.text), v.compiled) for v in code_vetoes] for code_vetoes in rules.vetoes]
    segments = segments.reset_index(drop=True)
    texts = segment_texts(segments)
    found = []
    for seg, text in enumerate(texts):
        lower = text.lower()
        for c, code_checks in enumerate(checks):
            if any(needle in lower and p.search(text) for needle, p in vetoes[c]):
                continue
            for index, needle, pattern in code_checks:
                if needle in lower:
                    for m in pattern.finditer(text):
                        found.append((seg, c, index, m.start(), m.end()))
    columns = list(np.array(found, dtype=np.int64).reshape(-1, 5).T)
    return codings_from_matches(segments, rules, columns, "segment", texts)


def same_codings(name: str, got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Stop the benchmark if `got` is not exactly the reference's codings."""
    try:
        pd.testing.assert_frame_equal(got, expected)
    except AssertionError as exc:
        raise SystemExit(f"{name} does not give the reference's codings:\n{exc}") from None


def regex_ways(segments: pd.DataFrame, book: tk.Codebook, repeat: int) -> dict[str, float]:
    """Time three ways of applying regex rules; return seconds for each (checking codings)."""
    texts = segments["text"].tolist()
    patterns = [re.compile(c.regex[0], re.IGNORECASE) for c in book]
    combined = re.compile(
        "|".join(f"(?P<r{k}>{p.pattern})" for k, p in enumerate(patterns)), re.IGNORECASE
    )

    def alternation() -> int:
        return sum(1 for t in texts for _ in combined.finditer(t))

    each, _, reference = timed(lambda: autocode_reference(segments, book, unit="match"), 1)
    fast, _, codings = timed(lambda: tk.autocode(segments, book, unit="match"), repeat)
    same_codings("autocode with regex rules", codings, reference)
    return {
        "each regex on every segment (autocode_reference)": each,
        "one alternation (not exact)": timed(alternation, repeat)[0],
        "autocode (needed words first)": fast,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100, help="corpus size in MB (default 100)")
    parser.add_argument("--codes", type=int, default=500, help="codes in the codebook")
    parser.add_argument("--sample-mb", type=float, default=0.2, help="sample for the plain ways")
    parser.add_argument("--repeat", type=int, default=3, help="timed warm runs (the best counts)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--small", action="store_true", help="a quick run: 5 MB, 2 warm runs, a 2 MB regex slice"
    )
    args = parser.parse_args()
    if args.small:
        args.mb, args.repeat = min(args.mb, 5), min(args.repeat, 2)
    regex_mb = 2 if args.small else 10

    rng = random.Random(args.seed)
    vocabulary = make_vocabulary(rng)
    begin = time.perf_counter()
    segments = make_corpus(rng, vocabulary, args.mb)
    codebook = make_codebook(rng, vocabulary, args.codes)
    size = mb(segments)
    keywords = sum(len(c.keywords) for c in codebook)
    vetoes = sum(len(c.veto) for c in codebook)
    print(
        f"corpus: {size:.1f} MB in {len(segments):,} segments; codebook: {len(codebook)} codes, "
        f"{keywords} keywords and {vetoes} 'not' phrases "
        f"(built in {time.perf_counter() - begin:.0f} s)"
    )

    # The first call builds the case-folding tables (once per process): timed apart.
    first, first_cpu, codings = timed(lambda: tk.autocode(segments, codebook, progress=False), 1)
    count = len(codings)
    del codings
    wall, cpu, codings = timed(lambda: tk.autocode(segments, codebook, progress=False), args.repeat)
    assert len(codings) == count
    del codings
    gc.collect()
    # Memory in a separate run: tracemalloc slows allocation down, so it is not timed.
    tracemalloc.start()
    codings = tk.autocode(segments, codebook, progress=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del codings
    print(
        f"autocode, first call (building the folding tables): {first:.2f} s = "
        f"{size / first:.1f} MB/s (CPU {first_cpu:.2f} s)"
    )
    print(
        f"autocode, warm (best of {args.repeat}): {wall:.2f} s = {size / wall:.1f} MB/s "
        f"(CPU time {cpu:.2f} s = {size / cpu:.1f} MB/s on one core), {count:,} codings; "
        f"peak memory {peak / 1e6:.0f} MB = {peak / 1e6 / size:.2f} x the corpus"
    )

    rows = max(1, int(len(segments) * args.sample_mb / size))
    sample = segments.iloc[:rows]
    sample_size = mb(sample)
    fast = tk.autocode(sample, codebook, progress=False)
    for name, way in (
        ("naive per-rule re loop (autocode_reference)", autocode_reference),
        ("fair plain-Python baseline (substring first)", fair_baseline),
    ):
        seconds, _, codings = timed(lambda way=way: way(sample, codebook), 1)
        same_codings(name, codings, fast)
        scaled = seconds * size / sample_size
        print(
            f"{name}: {sample_size / seconds:.3f} MB/s (timed on {sample_size:.2f} MB, "
            f"scaled: {scaled:,.0f} s for the corpus); warm autocode is {scaled / wall:,.0f}x "
            f"faster; same codings on the sample"
        )

    engines = ["ahocorasick-rs"]
    if importlib.util.find_spec("ahocorasick") is not None:
        engines.append("pyahocorasick")
    for engine in engines:
        raw = timed(lambda engine=engine: raw_scan(segments, codebook, engine), args.repeat)[0]
        print(
            f"raw multi-pattern scan with {engine} (no word checks, no table): {raw:.2f} s = "
            f"{size / raw:.1f} MB/s; warm autocode takes {wall / raw:.2f}x as long"
        )

    part = segments.iloc[: max(1, int(len(segments) * min(regex_mb, size) / size))]
    ways = regex_ways(part, regex_codebook(rng, vocabulary), args.repeat)
    part_size = mb(part)
    print(
        f"10 regex rules on {part_size:.1f} MB (same codings as the reference): "
        + "; ".join(
            f"{name} {seconds:.2f} s ({part_size / seconds:.1f} MB/s)"
            for name, seconds in ways.items()
        )
    )


if __name__ == "__main__":
    main()
