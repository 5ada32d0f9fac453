"""Aggregation across jurors, hand-checked: weighted totals, four methods, ranks, tie-breaks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import trim_mean

from evalkit.jury.aggregate import (
    combine,
    competition_ranks,
    juror_totals,
    ranking,
    stage_scores,
    weighted_totals,
)
from evalkit.jury.rubric import parse_rubric


def rubric_of(weights: dict[str, float], tie_break: list[str] | None = None, stages=None):
    def crit(cid: str, w: float) -> dict:
        return {"id": cid, "name": cid, "weight": w, "description": f"about {cid}"}

    data: dict = {"id": "test", "scale": {"min": 1, "max": 100}, "levels": None,
                  "tie_break": tie_break or []}
    if stages:
        data["stages"] = [{"id": s, "name": s, "weight": sw,
                           "criteria": [crit(c, w) for c, w in ws.items()]}
                          for s, (sw, ws) in stages.items()]
    else:
        data["criteria"] = [crit(c, w) for c, w in weights.items()]
    return parse_rubric(data)


def long(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["juror_id", "innovation_id", "criterion", "score"])
    return frame.assign(stage="utama")


# J1: E1 (80, 40) -> 70, E2 (60, 60) -> 60; J2: E1 (90, 90) -> 90, E2 (50, 70) -> 55;
# J3 recused from E1; E2 (70, 30) -> 60. Weights 3:1.
HAND = long([
    ("J1", "E1", "a", 80), ("J1", "E1", "b", 40), ("J1", "E2", "a", 60), ("J1", "E2", "b", 60),
    ("J2", "E1", "a", 90), ("J2", "E1", "b", 90), ("J2", "E2", "a", 50), ("J2", "E2", "b", 70),
    ("J3", "E2", "a", 70), ("J3", "E2", "b", 30),
])


@pytest.fixture
def hand():
    rubric = rubric_of({"a": 3, "b": 1})
    return rubric, [stage_scores(HAND, rubric.stages[0], ["J1", "J2", "J3"], ["E1", "E2"])]


def test_weighted_totals_by_hand(hand):
    _, (data,) = hand
    expected = np.array([[70, 60], [90, 55], [np.nan, 60]])
    np.testing.assert_allclose(data.totals, expected)
    frame = juror_totals([data])
    assert len(frame) == 5 and set(frame["juror_id"]) == {"J1", "J2", "J3"}


def test_an_incomplete_juror_entry_has_no_total():
    rubric = rubric_of({"a": 1, "b": 1})
    data = stage_scores(long([("J1", "E1", "a", 50)]), rubric.stages[0], ["J1"], ["E1"])
    assert np.isnan(data.totals[0, 0])


def test_mean_ignores_recusals_never_zero(hand):
    rubric, data = hand
    board = ranking(data, rubric, "mean").set_index("innovation_id")
    assert board.loc["E1", "score"] == pytest.approx(80.0)  # (70 + 90) / 2, not / 3
    assert board.loc["E2", "score"] == pytest.approx(175 / 3)
    assert board.loc["E1", "n_jurors"] == 2 and board.loc["E2", "n_jurors"] == 3


def test_median_by_hand(hand):
    rubric, data = hand
    board = ranking(data, rubric, "median").set_index("innovation_id")
    assert board.loc["E1", "score"] == pytest.approx(80.0)
    assert board.loc["E2", "score"] == pytest.approx(60.0)


def test_trimmed_mean_by_hand_and_as_scipy(hand):
    rubric, data = hand
    board = ranking(data, rubric, "trimmed_mean", trim=0.34).set_index("innovation_id")
    assert board.loc["E2", "score"] == pytest.approx(60.0)  # 55 and 60 cut, one 60 left
    assert board.loc["E1", "score"] == pytest.approx(80.0)  # int(0.68) = 0: nothing cut
    rng = np.random.default_rng(5)
    totals = rng.uniform(1, 100, size=(7, 12))
    totals[rng.random(totals.shape) < 0.3] = np.nan
    ours = combine(totals, "trimmed_mean", 0.2)
    for e in range(totals.shape[1]):
        col = totals[:, e][~np.isnan(totals[:, e])]
        assert ours[e] == pytest.approx(trim_mean(col, 0.2), abs=1e-12)


def test_zscore_by_hand(hand):
    # J1 mean 65, sd 5*sqrt2; J2 mean 72.5, sd 17.5*sqrt2; J3 one entry: z = 0, mean 60.
    # z-bar: E1 = 1/sqrt2, E2 = -sqrt2/3; centre 65.8333, spread 11.25*sqrt2.
    rubric, data = hand
    board = ranking(data, rubric, "zscore").set_index("innovation_id")
    centre = (65 + 72.5 + 60) / 3
    assert board.loc["E1", "score"] == pytest.approx(centre + 11.25, abs=1e-12)
    assert board.loc["E2", "score"] == pytest.approx(centre - 7.5, abs=1e-12)


def test_zscore_removes_a_lenient_jurors_offset_on_a_subset():
    # Juror L sees only E1, E2; adding 20 points to L's scores moves the mean, not z-scores.
    rubric = rubric_of({"a": 1})
    normal = [("N", e, "a", s) for e, s in (("E1", 40), ("E2", 60), ("E3", 80))]

    def scores(method: str, offset: float) -> pd.Series:
        rows = [*normal, ("L", "E1", "a", 40 + offset), ("L", "E2", "a", 60 + offset)]
        data = [stage_scores(long(rows), rubric.stages[0], ["L", "N"], ["E1", "E2", "E3"])]
        return ranking(data, rubric, method).set_index("innovation_id")["score"]

    z0, z20 = scores("zscore", 0), scores("zscore", 20)
    assert z20["E2"] - z20["E1"] == pytest.approx(z0["E2"] - z0["E1"])
    assert z20["E3"] - z20["E2"] == pytest.approx(z0["E3"] - z0["E2"])
    m0, m20 = scores("mean", 0), scores("mean", 20)
    assert m20["E2"] - m0["E2"] == pytest.approx(10)  # the raw mean absorbs L's leniency
    assert m20["E3"] == m0["E3"]


def test_zscore_of_a_juror_with_one_score_level_counts_as_average():
    totals = np.array([[50.0, 50.0], [40.0, 80.0]])
    out = combine(totals, "zscore")
    # Juror 0 has sd 0: z = 0. Juror 1: z = -/+ 1/sqrt2 with sd 20*sqrt2. centre 55.
    spread = 20 * np.sqrt(2)
    np.testing.assert_allclose(out, [55 - spread / np.sqrt(2) / 2, 55 + spread / np.sqrt(2) / 2])


def test_entry_nobody_scored_is_unranked():
    rubric = rubric_of({"a": 1})
    data = [stage_scores(long([("J1", "E1", "a", 50)]), rubric.stages[0], ["J1"], ["E1", "E2"])]
    for method in ("mean", "median", "trimmed_mean", "zscore"):
        board = ranking(data, rubric, method).set_index("innovation_id")
        assert pd.isna(board.loc["E2", "rank"]) and np.isnan(board.loc["E2", "score"])
        assert board.loc["E1", "rank"] == 1


def tie_case():
    # Equal totals 70 for A, B, C (equal weights); the rubric breaks ties on b, then a.
    rubric = rubric_of({"a": 1, "b": 1}, tie_break=["b", "a"])
    rows = []
    for entry, (a, b) in {"A": (60, 80), "B": (80, 60), "C": (70, 70), "D": (50, 50),
                          "E": (60, 80)}.items():
        rows += [("J1", entry, "a", a), ("J1", entry, "b", b)]
    return rubric, rows


def test_tie_break_order_by_hand():
    rubric, rows = tie_case()
    rows = [r for r in rows if r[1] != "E"]
    data = [stage_scores(long(rows), rubric.stages[0], ["J1"], list("ABCD"))]
    board = ranking(data, rubric, "mean").set_index("innovation_id")
    assert board["rank"].to_dict() == {"A": 1, "C": 2, "B": 3, "D": 4}
    assert board["tie_break"].to_dict() == {"A": "b", "C": "b", "B": "b", "D": ""}


def test_what_stays_tied_shares_a_rank():
    rubric, rows = tie_case()
    data = [stage_scores(long(rows), rubric.stages[0], ["J1"], list("ABCDE"))]
    board = ranking(data, rubric, "mean").set_index("innovation_id")
    assert board["rank"].to_dict() == {"A": 1, "E": 1, "C": 3, "B": 4, "D": 5}
    assert board.loc["A", "tie_break"] == "shared" == board.loc["E", "tie_break"]


def test_ranks_use_unrounded_scores_and_ignore_float_noise():
    rank, _ = competition_ranks(np.array([70.004, 70.001, 70.0 + 1e-13, 70.0]))
    assert rank.tolist() == [1, 2, 3, 3]  # 70.004 vs 70.001 differ; 1e-13 is noise


def test_stage_weights_combine_stage_scores():
    rubric = rubric_of({}, stages={"p": (40, {"a": 1}), "q": (60, {"a": 1})},
                       tie_break=["q"])
    rows = pd.DataFrame([("J1", "E1", "p", "a", 80), ("J1", "E1", "q", "a", 50),
                         ("J1", "E2", "p", "a", 50), ("J1", "E2", "q", "a", 70),
                         ("J1", "E3", "p", "a", 90)],
                        columns=["juror_id", "innovation_id", "stage", "criterion", "score"])
    data = [stage_scores(rows, s, ["J1"], ["E1", "E2", "E3"]) for s in rubric.stages]
    board = ranking(data, rubric, "mean").set_index("innovation_id")
    assert board.loc["E1", "score"] == pytest.approx(0.4 * 80 + 0.6 * 50)
    assert board.loc["E2", "score"] == pytest.approx(0.4 * 50 + 0.6 * 70)
    # Both 62: the stage tie-break (presentation stage q) puts E2 first.
    assert board.loc["E2", "rank"] == 1 and board.loc["E1", "rank"] == 2
    assert board.loc["E1", "tie_break"] == "q"
    assert pd.isna(board.loc["E3", "rank"])  # no presentation score: not in the final ranking
    assert board.loc["E3", "score_p"] == 90


def test_weighted_totals_batch_matches_single():
    rng = np.random.default_rng(1)
    scores = rng.uniform(1, 100, (4, 6, 3))
    scores[0, 1, 2] = np.nan
    w = rng.uniform(0.5, 1.5, (5, 3))
    w /= w.sum(axis=1, keepdims=True)
    batch = weighted_totals(scores, w)
    for b in range(5):
        np.testing.assert_allclose(batch[b], weighted_totals(scores, w[b]))
    assert np.isnan(batch[:, 0, 1]).all()


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown method"):
        combine(np.ones((2, 2)), "sum")
