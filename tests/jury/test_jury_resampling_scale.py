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


def test_quantiles_of_complete_and_partial_columns_equal_nanquantile() -> None:
    # Columns ranked in every resample take the vectorised path, the others nanquantile:
    # both must give numpy's nanquantile, column by column.
    from evalkit.jury.resampling import _quantile

    rng = np.random.default_rng(3)
    ranks = rng.integers(1, 40, size=(200, 30)).astype(float)
    ranks[rng.random(ranks.shape) < 0.1] = np.nan
    ranks[:, :10] = rng.integers(1, 40, size=(200, 10))  # complete columns
    ranks[:, 29] = np.nan  # never ranked
    any_ranked = ~np.isnan(ranks).all(axis=0)
    for q, exact in ((0.05, True), (0.95, True), (0.5, False)):
        method = "inverted_cdf" if exact else "linear"
        expected = np.full(30, np.nan)
        expected[any_ranked] = np.nanquantile(ranks[:, any_ranked], q, axis=0, method=method)
        np.testing.assert_array_equal(_quantile(ranks, q, any_ranked, exact=exact), expected)
