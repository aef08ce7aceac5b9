"""Benchmark agreement on a large coding project: 100,000 segments x 5 coders x 50 codes.

Prints the time for tk.reliability (with its 1,000-replicate bootstrap intervals)
and tk.disagreements, their peak memory, and, on one code, the time of
tk.krippendorff_alpha against the `krippendorff` package measured in the same run.

Run:  python benchmarks/bench_agreement.py [--segments 100000] [--coders 5] [--codes 50]

The `krippendorff` package is the reference, not a dependency of the toolkit:
it comes with the test extra (pip install -e ".[test]").
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import krippendorff
import numpy as np
import pandas as pd

import toolkit as tk


def make_project(n_segments: int, n_coders: int, n_codes: int, seed: int = 0):
    """Return (segments, codings): coders who mostly agree, on codes of varied prevalence."""
    rng = np.random.default_rng(seed)
    per_interview = 100
    interview = np.arange(n_segments) // per_interview
    segments = pd.DataFrame(
        {
            "interview_id": pd.Series(interview).map("int{:05d}".format),
            "segment_id": np.arange(n_segments) % per_interview + 1,
            "speaker": "P",
            "start": 0,
            "end": 0,
            "text": "",
        }
    )
    prevalence = rng.uniform(0.01, 0.2, n_codes)
    skill = rng.uniform(0.6, 0.95, n_codes)  # how reliably coders spot each code
    truth = rng.random((n_segments, n_codes)) < prevalence
    parts = []
    for coder in range(n_coders):
        spotted = truth & (rng.random(truth.shape) < skill)
        extra = ~truth & (rng.random(truth.shape) < prevalence * (1 - skill) / 2)
        seg, code = np.nonzero(spotted | extra)
        parts.append(
            pd.DataFrame(
                {
                    "interview_id": segments["interview_id"].to_numpy()[seg],
                    "segment_id": segments["segment_id"].to_numpy()[seg],
                    "start": 0,
                    "end": 0,
                    "code": np.char.add("code", code.astype(str)),
                    "coder": f"coder{coder + 1}",
                    "method": "manual",
                    "memo": "",
                    "rule": "",
                }
            )
        )
    return segments, pd.concat(parts, ignore_index=True)


def timed(label: str, func, repeat: int = 1):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<52} {best:8.2f} s")
    return result, best


def peak_memory(func) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--n-boot", type=int, default=1000)
    args = parser.parse_args()

    print(
        f"Agreement benchmark: {args.segments:,} segments x {args.coders} coders x "
        f"{args.codes} codes, {args.n_boot} bootstrap replicates"
    )
    (segments, codings), _ = timed(
        "build the synthetic project", lambda: make_project(args.segments, args.coders, args.codes)
    )
    print(f"  codings rows: {len(codings):,}")

    def run():
        return tk.reliability(codings, segments, n_boot=args.n_boot)

    table, seconds = timed("tk.reliability (per code + pooled, with 95% CIs)", run, repeat=2)
    _, no_ci = timed(
        "tk.reliability without intervals (ci=None)",
        lambda: tk.reliability(codings, segments, ci=None),
    )
    found, _ = timed("tk.disagreements (every code)", lambda: tk.disagreements(codings, segments))
    print(f"  disagreements listed: {len(found):,}")
    print(f"  bootstrap share of reliability time: {(seconds - no_ci) / seconds:.0%}")

    # One code as a long table: our alpha against the krippendorff package.
    code = table["code"].iloc[0]
    coders = sorted(codings["coder"].unique())
    key = codings["interview_id"] + "/" + codings["segment_id"].astype(str)
    seen = pd.DataFrame({"unit": key, "coder": codings["coder"]}).drop_duplicates()
    applied = set(
        zip(key[codings["code"] == code], codings["coder"][codings["code"] == code], strict=True)
    )
    long = seen.assign(
        value=[(u, c) in applied for u, c in zip(seen["unit"], seen["coder"], strict=True)]
    )
    ours, t_ours = timed(
        f"tk.krippendorff_alpha, one code ({len(long):,} ratings)",
        lambda: tk.krippendorff_alpha(long),
        repeat=3,
    )

    def package_from_long():
        # The package takes a coders x units matrix, so it must be pivoted from the long table.
        matrix = (
            long.pivot(index="coder", columns="unit", values="value")
            .reindex(coders)
            .astype(float)
            .to_numpy()
        )
        return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")

    theirs, t_theirs = timed(
        "krippendorff.alpha, same code (pivot + alpha)", package_from_long, repeat=3
    )
    print(f"  same alpha: {np.isclose(ours, theirs)} ({float(ours):.6f} vs {float(theirs):.6f})")
    print(f"  time ratio toolkit / package, same long table: {t_ours / t_theirs:.2f}")
    ci, t_ci = timed(
        "tk.krippendorff_alpha, one code, with 1000-replicate CI",
        lambda: tk.krippendorff_alpha(long, ci=0.95),
        repeat=3,
    )
    print(f"  one-code alpha {float(ci):.3f} (95% CI {ci.low:.3f} to {ci.high:.3f})")
    print(f"  time ratio with CI / without: {t_ci / t_ours:.2f}")

    print("Peak memory (tracemalloc, Python and numpy allocations):")
    print(f"  tk.reliability:    {peak_memory(run):8.0f} MB")
    print(
        f"  tk.disagreements:  {peak_memory(lambda: tk.disagreements(codings, segments)):8.0f} MB"
    )
    print(f"  codings table:     {codings.memory_usage(deep=True).sum() / 2**20:8.0f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process max RSS:   {rss:8.0f} MB")
    summary = table.set_index("code").loc["(all codes)"]
    print(
        f"Pooled over all codes: alpha {summary['alpha']:.3f} "
        f"({summary['alpha_low']:.3f} to {summary['alpha_high']:.3f}), "
        f"Fleiss' kappa {summary['kappa']:.3f}, on {int(summary['units']):,} segments"
    )


if __name__ == "__main__":
    main()
