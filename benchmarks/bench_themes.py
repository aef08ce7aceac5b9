"""Benchmark the theme tables and the report on a large synthetic consultation.

A consultation of 250,000 survey responses (one segment each), 24 codes in 6
themes, coded by one coder with a second coder double-coding a 2% sample, and
the rules.  Prints the time of each theme table and of the HTML report (aim:
under 60 s), the report's size, the rows each chart embeds (at most
``tk.charts.MAX_ROWS``, whatever the corpus size), and the peak memory.

Run:  python benchmarks/bench_themes.py [--responses 250000]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit as tk

THEMES = {
    "Peak experiences": ["felt welcome", "someone noticed", "went smoothly", "rang my family"],
    "What people value": ["known by name", "kindness", "practical help", "being listened to"],
    "Enabling conditions": ["named contact", "shared plan", "trust to act", "teams talk"],
    "Wishes and dreams": ["welcome home call", "one record", "transport", "carers recognised"],
    "Frustrations": ["waiting", "medicines confusion", "sent home at night", "forms"],
    "Energy": ["pride", "tired", "new ideas", "community spirit"],
}
GROUPS = [
    "patient",
    "carer",
    "hospital staff",
    "GP practice",
    "volunteer",
    "community group",
    "local council",
    "community pharmacy",
]
# Responses are strung together from these phrases.
PHRASES = [
    "the team rang my daughter",
    "it felt like someone cared",
    "a lift to clinic",
    "waiting weeks for a care package",
    "one number to ring made all the difference",
    "the lunch club noticed",
    "forms and more forms",
    "we trusted each other to act",
]


def make_project(n: int, folder: Path, seed: int = 0) -> tk.Project:
    """Return a project of `n` survey responses with codings, in memory, writing to `folder`."""
    rng = np.random.default_rng(seed)
    ids = pd.Series(np.arange(n)).map("r{:06d}".format).to_numpy()
    lengths = rng.integers(1, 6, n)
    phrases = np.array(PHRASES)
    texts = ["; ".join(phrases[rng.integers(0, len(phrases), k)]) + "." for k in lengths]
    ends = np.array([len(t) for t in texts])
    segments = pd.DataFrame(
        {
            "interview_id": ids,
            "segment_id": 1,
            "speaker": "Respondent",
            "start": 0,
            "end": ends,
            "text": texts,
        }
    )
    documents = pd.DataFrame({"interview_id": ids, "text": texts, "source": "responses.csv"})
    weights = np.array([30, 20, 12, 10, 10, 8, 6, 4], dtype=float)
    dates = pd.Timestamp("2026-09-01") + pd.to_timedelta(rng.integers(0, 84, n), unit="D")
    participants = pd.DataFrame(
        {
            "interview_id": ids,
            "name": "",
            "group": rng.choice(GROUPS, n, p=weights / weights.sum()),
            "date": dates.strftime("%Y-%m-%d"),
        }
    )
    codes = [(code, theme) for theme, names in THEMES.items() for code in names]
    codebook = pd.DataFrame(
        {"code": [c for c, _ in codes], "theme": [t for _, t in codes], "parent": "", "color": ""}
    )
    prevalence = rng.uniform(0.02, 0.15, len(codes))
    hits = rng.random((n, len(codes))) < prevalence
    row, col = np.nonzero(hits)
    main = pd.DataFrame(
        {
            "interview_id": ids[row],
            "segment_id": 1,
            "start": 0,
            "end": ends[row],
            "code": codebook["code"].to_numpy()[col],
            "coder": "alex",
            "method": "manual",
        }
    )
    sample = rng.random(n) < 0.02
    second = main[sample[row]].sample(frac=0.9, random_state=seed).assign(coder="bea")
    rules = main.sample(frac=0.6, random_state=seed + 1).assign(coder="rules", method="rule")
    codings = pd.concat([main, second, rules], ignore_index=True)
    return tk.Project(
        name=f"Synthetic consultation ({n:,} responses)",
        settings={"pseudonymised": True},
        documents=documents,
        segments=segments,
        participants=participants,
        codebook=codebook,
        codings=codings,
        path=folder,
    )


def timed(label: str, func, results: dict):
    start = time.perf_counter()
    value = func()
    results[label] = time.perf_counter() - start
    print(f"  {label:<40} {results[label]:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=250_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-themes-"))
    start = time.perf_counter()
    project = make_project(args.responses, folder)
    print(
        f"Synthetic consultation: {len(project.segments):,} responses, "
        f"{len(project.codings):,} codings ({(project.codings['method'] == 'rule').sum():,} by "
        f"rules), {len(project.codebook)} codes in {project.codebook['theme'].nunique()} themes "
        f"(built in {time.perf_counter() - start:.1f} s)"
    )
    results: dict[str, float] = {}
    print("Theme tables (coder='humans', merged):")
    for unit in ("segments", "interviews", "participants"):
        timed(
            f"theme_frequency, unit={unit}",
            lambda u=unit: tk.theme_frequency(project, unit=u),
            results,
        )
    timed("theme_frequency, of=code", lambda: tk.theme_frequency(project, of="code"), results)
    by_group = timed(
        "theme_by_group (+ chi-square tests)", lambda: tk.theme_by_group(project), results
    )
    timed("cooccurrence, within segment", lambda: tk.cooccurrence(project), results)
    prevalence = timed(
        "theme_prevalence (every response x theme)", lambda: tk.theme_prevalence(project), results
    )
    timed("positive_core", lambda: tk.positive_core(project), results)
    timed("exemplar_quotes, 3 per code", lambda: tk.exemplar_quotes(project), results)
    timed("theme_trend, weekly", lambda: tk.theme_trend(project, when="date"), results)
    tables = sum(results.values())
    print(f"  {'all theme tables':<40} {tables:7.2f} s")
    tested = sum(t["tested"] for t in by_group.attrs["tests"])
    print(
        f"  (chi-square run for {tested} of {len(by_group.attrs['tests'])} themes; "
        f"prevalence table {len(prevalence):,} rows)"
    )

    print("Report:")
    path = timed("write_report (HTML, self-contained)", lambda: tk.write_report(project), results)
    text = path.read_text(encoding="utf-8")
    specs = [
        json.loads(s)
        for s in re.findall(
            r'<script type="application/json" data-fte-chart="[^"]+">(.*?)</script>', text, re.S
        )
    ]
    rows = [sum(len(v) for v in s.get("datasets", {}).values()) for s in specs]
    script = len(tk.charts.chart_script().encode())
    size = path.stat().st_size
    print(
        f"  report size {size / 1e6:.2f} MB ({script / 1e6:.2f} MB of it the chart script), "
        f"{len(specs)} charts"
    )
    print(f"  rows embedded per chart: {rows} (max {max(rows)}; limit {tk.charts.MAX_ROWS})")
    md = timed(
        "write_report (Markdown + PNG charts)",
        lambda: tk.write_report(project, format="md"),
        results,
    )
    pngs = list((md.parent / "report-charts").glob("*.png"))
    print(f"  {len(pngs)} PNG charts, {sum(p.stat().st_size for p in pngs) / 1e6:.2f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory (resident): {peak:,.0f} MB")
    verdict = "within" if results["write_report (HTML, self-contained)"] < 60 else "OVER"
    print(f"Report time {verdict} the 60 s aim; theme tables {tables:.1f} s in all.")


if __name__ == "__main__":
    main()
