"""Resampling at province size: ranks by sorting and scores in blocks give exactly what the
all-at-once (n, E, E) comparison and (n, J, E) totals gave, in memory linear in entries."""

from __future__ import annotations

import numpy as np
import pytest

from evalkit.jury import resampling


def _pairwise(scores: np.ndarray, group: np.ndarray | None) -> np.ndarray:
    filled = np.where(np.isnan(scores), -np.inf, scores)
    above = filled[:, None, :] > filled[:, :, None]
    if group is not None:
        higher, same = group[None, :] > group[:, None], group[None, :] == group[:, None]
        above = higher[None] | (same[None] & above)
    return np.where(np.isnan(scores), np.nan, 1.0 + above.sum(axis=2))


@pytest.mark.parametrize("rounds", [False, True], ids=["one round", "rounds"])
def test_ranks_by_sorting_match_pairwise_comparison(rounds: bool) -> None:
    rng = np.random.default_rng(1)
    scores = np.round(rng.normal(50, 10, (300, 80)), 0)  # many ties
    scores[rng.random(scores.shape) < 0.1] = np.nan
    group = rng.integers(1, 4, 80) if rounds else None
    assert np.array_equal(resampling.resample_ranks(scores, group), _pairwise(scores, group),
                          equal_nan=True)


def test_blocks_cover_every_row_once() -> None:
    for n, cells, budget in ((2000, 7 * 4274, 4_000_000), (10, 3, 7), (5, 100, 1)):
        rows = [i for block in resampling._blocks(n, cells, budget)
                for i in range(n)[block]]
        assert rows == list(range(n))
