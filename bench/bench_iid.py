"""Benchmark: score a national-scale IID dataset (550 regions, 40,000 innovations, every
indicator) and print the time and peak memory. Goal: under 2 s and 1 GB on 2 cores.

Run with ``make bench`` or ``python bench/bench_iid.py [--regions N] [--innovations N]``.
Generation is not timed; scoring (both modes) is.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    from evalkit.iid.engine import score
    from evalkit.iid.gaps import indicator_gaps
    from evalkit.iid.rubric import load_rubric
    from evalkit.iid.synth import national

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=550)
    parser.add_argument("--innovations", type=int, default=40_000)
    parser.add_argument("--rubric", type=Path,
                        default=ROOT / "src/evalkit/iid/rubrics/iid-2025.yaml")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    rubric = load_rubric(args.rubric)
    region_indicators, innovations, evidence = national(rubric, args.regions, args.innovations,
                                                        args.seed)
    score(rubric, region_indicators.head(40), innovations.head(10),
          evidence.head(200))  # warm-up: imports and first-call costs are not the engine
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    verified = score(rubric, region_indicators, innovations, evidence, mode="verified")
    verified_time = time.perf_counter() - start
    claimed = score(rubric, region_indicators, innovations, evidence, mode="claimed")
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    gaps = indicator_gaps(verified)
    gaps_time = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A second, traced run: tracemalloc slows Python down, so it is not timed.
    tracemalloc.start()
    score(rubric, region_indicators, innovations, evidence, mode="verified")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    summary = verified.summary
    print(f"bench_iid: {args.regions} regions, {len(innovations):,} innovations, "
          f"{len(evidence):,} evidence rows, rubric {rubric.id}")
    print(f"  score (verified):            {verified_time:6.2f} s")
    print(f"  score (verified + claimed):  {elapsed:6.2f} s")
    print(f"  gaps, all regions:           {gaps_time:6.2f} s ({len(gaps):,} rows)")
    print(f"  peak memory of one score():  {peak / 2**20:8.1f} MiB (tracemalloc)")
    print(f"  peak RSS of the process:     {rss_after:8.1f} MiB (incl. the generated data; "
          f"{rss_before:.1f} MiB before scoring)")
    print(f"  mean IID verified {summary['iid'].mean():.2f}, claimed "
          f"{claimed.summary['iid'].mean():.2f}; predicates: "
          + ", ".join(f"{k} {v}" for k, v in summary["predicate"].value_counts().items()))
    ok = elapsed < 2.0 and rss_after < 1024
    print("  goal (< 2 s, < 1 GB): " + ("met" if ok else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
