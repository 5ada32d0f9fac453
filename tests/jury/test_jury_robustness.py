"""Robustness of the ranking: reproducible, consistent with the nominal result, fast."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_jury_support import CRITERIA, RUBRIC

from evalkit.jury.aggregate import competition_ranks, entry_scores, ranking, stage_scores
from evalkit.jury.resampling import resample_ranks, robustness, verdict
from evalkit.jury.rubric import load_rubric


def synthetic(jurors: int = 7, entries: int = 20, gap: float = 0.0, seed: int = 0):
    """Scores with a true quality per entry; ``gap`` lifts entry E00 above the rest."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(60, 10, entries)
    quality[0] = quality.max() + gap
    lean = rng.normal(0, 5, jurors)
    rows = [(f"J{j}", f"E{e:02d}", "utama", c,
             float(np.clip(np.round(quality[e] + lean[j] + rng.normal(0, 6)), 1, 100)))
            for j in range(jurors) for e in range(entries) for c in CRITERIA]
    frame = pd.DataFrame(rows, columns=["juror_id", "innovation_id", "stage", "criterion",
                                        "score"])
    rubric = load_rubric(RUBRIC)
    ids = [f"J{j}" for j in range(jurors)], [f"E{e:02d}" for e in range(entries)]
    return rubric, [stage_scores(frame, rubric.stages[0], *ids)]


@pytest.mark.parametrize("method", ["mean", "median", "trimmed_mean", "zscore"])
def test_same_seed_same_result_other_seed_differs(method):
    rubric, data = synthetic()
    a = robustness(data, rubric, method, n=200, seed=11)
    b = robustness(data, rubric, method, n=200, seed=11)
    c = robustness(data, rubric, method, n=200, seed=12)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert not np.array_equal(a.ranks, c.ranks)


@pytest.mark.parametrize("method", ["mean", "median", "trimmed_mean", "zscore"])
def test_without_perturbation_every_resample_is_the_nominal_ranking(method):
    rubric, data = synthetic(seed=3)
    rob = robustness(data, rubric, method, n=20, spread=0.0, resample_jurors=False)
    final, _ = entry_scores(data, rubric, method)
    nominal, _ = competition_ranks(final)  # resamples do not replay the tie-break
    assert (rob.ranks == nominal[None, :]).all()
    assert (rob.table["rank_low"] == rob.table["rank_high"]).all()


def test_probabilities_are_consistent():
    rubric, data = synthetic(seed=4)
    rob = robustness(data, rubric, "mean", n=500, seed=1)
    table = rob.table
    assert table["p_top"].sum() == pytest.approx(3, abs=0.01)  # ties are rare
    assert table["p_first"].sum() == pytest.approx(1, abs=0.01)
    assert (table["rank_low"] <= table["median_rank"]).all()
    assert (table["median_rank"] <= table["rank_high"]).all()
    assert (table["p_first"] <= table["p_top"]).all()


def test_resampled_ranks_share_ties_and_skip_unscored():
    scores = np.array([[3.0, 5.0, 5.0, np.nan, 1.0]])
    assert resample_ranks(scores)[0].tolist()[:3] == [3.0, 1.0, 1.0]
    assert np.isnan(resample_ranks(scores)[0, 3])


def test_verdict_clear_when_winner_stands_out_open_when_close():
    rubric, data = synthetic(gap=25, seed=5)
    board = ranking(data, rubric, "zscore")
    rob = robustness(data, rubric, "zscore", n=400, seed=2)
    clear = verdict(board, rob.table)
    assert clear.winner == "E00" and clear.level == "clear" and clear.p_first >= 0.9
    rubric, data = synthetic(gap=-0.0, seed=6, jurors=3)
    board = ranking(data, rubric, "mean")
    rob = robustness(data, rubric, "mean", n=400, seed=2)
    close = verdict(board, rob.table)
    assert close.level in {"likely", "open"}
    assert close.winner in close.contenders and len(close.contenders) >= 2


def test_shared_first_place_is_never_clear():
    board = pd.DataFrame({"innovation_id": ["A", "B"], "rank": pd.array([1, 1], dtype="Int64")})
    table = pd.DataFrame({"innovation_id": ["A", "B"], "p_first": [1.0, 1.0]})
    assert verdict(board, table).level == "open"


def test_two_thousand_resamples_of_60_by_7_are_fast():
    import time

    rubric, data = synthetic(jurors=7, entries=60)
    start = time.perf_counter()
    robustness(data, rubric, "zscore", n=2000, seed=0)
    assert time.perf_counter() - start < 3.0
