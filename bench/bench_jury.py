"""Benchmark: jury robustness, 2,000 resamples of 60 entries x 7 jurors x 5 criteria, for
each aggregation method, plus the nominal ranking and agreement. Goal: under 3 s per method.

Run with ``make bench`` or ``python bench/bench_jury.py [--entries N] [--jurors N] [--n N]``.
Generating the scores is not timed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 3.0


def synthetic(rubric, jurors: int, entries: int, seed: int, recuse: float = 0.05):
    """Scores = entry quality + juror leniency + noise; a few (juror, entry) pairs recused."""
    from evalkit.jury.aggregate import stage_scores

    rng = np.random.default_rng(seed)
    stage = rubric.stages[0]
    quality = rng.normal(65, 10, entries)
    lean = rng.normal(0, 5, jurors)
    j, e, c = np.meshgrid(np.arange(jurors), np.arange(entries), np.arange(len(stage.criteria)),
                          indexing="ij")
    score = np.clip(np.round(quality[e] + lean[j] + rng.normal(0, 7, j.shape)), 1, 100)
    frame = pd.DataFrame({"juror_id": [f"J{x}" for x in j.ravel()],
                          "innovation_id": [f"E{x:03d}" for x in e.ravel()],
                          "stage": stage.id,
                          "criterion": np.array(stage.criterion_ids)[c.ravel()],
                          "score": score.ravel()})
    pairs = rng.random((jurors, entries)) < recuse
    drop = pairs[j.ravel(), e.ravel()]
    juror_ids = [f"J{x}" for x in range(jurors)]
    entry_ids = [f"E{x:03d}" for x in range(entries)]
    return [stage_scores(frame[~drop], stage, juror_ids, entry_ids)]


def main(argv: list[str] | None = None) -> int:
    from evalkit.jury.aggregate import METHODS, ranking
    from evalkit.jury.reliability import agreement
    from evalkit.jury.resampling import robustness
    from evalkit.jury.rubric import load_rubric

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=60)
    parser.add_argument("--jurors", type=int, default=7)
    parser.add_argument("--n", type=int, default=2000, help="resamples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rubric", type=Path, default=ROOT / "params/rubrics/lomba-2025.yaml")
    args = parser.parse_args(argv)

    rubric = load_rubric(args.rubric)
    data = synthetic(rubric, args.jurors, args.entries, args.seed)
    robustness(data, rubric, "mean", n=10, seed=args.seed)  # warm-up: imports, first calls
    print(f"bench_jury: {args.entries} entries x {args.jurors} jurors x "
          f"{len(rubric.stages[0].criteria)} criteria, {args.n:,} resamples "
          f"(jurors bootstrapped, weights +-20%), rubric {rubric.id}")
    start = time.perf_counter()
    agreement(data)
    for method in METHODS:
        ranking(data, rubric, method)
    print(f"  ranking (4 methods) + agreement: {time.perf_counter() - start:6.3f} s")
    worst = 0.0
    for method in METHODS:
        start = time.perf_counter()
        rob = robustness(data, rubric, method, n=args.n, seed=args.seed)
        elapsed = time.perf_counter() - start
        worst = max(worst, elapsed)
        top = rob.table.sort_values("median_rank").iloc[0]
        print(f"  robustness {method:<13} {elapsed:6.3f} s   leader {top['innovation_id']} "
              f"P(first) {top['p_first']:.2f}")
    ok = worst < GOAL_SECONDS
    print(f"  goal (< {GOAL_SECONDS:g} s per method): " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
