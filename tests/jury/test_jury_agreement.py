"""Agreement statistics equal the reference packages (used only here) to 1e-9."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from evalkit.jury.aggregate import stage_scores
from evalkit.jury.reliability import (
    agreement,
    alpha_reading,
    components,
    icc2k,
    is_connected,
    krippendorff_alpha_interval,
    leniency,
)
from evalkit.jury.rubric import parse_rubric


def reference_alpha(data: np.ndarray) -> float:
    return krippendorff.alpha(reliability_data=data, level_of_measurement="interval")


def panel(seed: int, jurors: int = 6, entries: int = 25, missing: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    quality = rng.normal(60, 12, entries)
    lean = rng.normal(0, 5, (jurors, 1))
    data = np.round(quality + lean + rng.normal(0, 8, (jurors, entries)))
    data[rng.random(data.shape) < missing] = np.nan
    return data


@pytest.mark.parametrize("seed", range(5))
def test_alpha_equals_krippendorff_on_complete_design(seed):
    data = panel(seed)
    assert krippendorff_alpha_interval(data) == pytest.approx(reference_alpha(data), abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_equals_krippendorff_on_incomplete_design(seed):
    data = panel(seed, missing=0.35)
    data[:, 0] = np.nan
    data[1:, 1] = np.nan  # a unit with one rating: not pairable, left out by both
    assert krippendorff_alpha_interval(data) == pytest.approx(reference_alpha(data), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 5), st.integers(2, 8)),
              elements=st.one_of(st.just(np.nan), st.integers(1, 100).map(float))))
def test_alpha_equals_krippendorff_on_any_small_design(data):
    m = (~np.isnan(data)).sum(axis=0)
    pairable = data[:, m >= 2]
    values = pairable[~np.isnan(pairable)]
    if values.size == 0 or np.unique(values).size < 2:
        assert np.isnan(krippendorff_alpha_interval(data))
        return
    assert krippendorff_alpha_interval(data) == pytest.approx(reference_alpha(data), abs=1e-9)


def reference_icc(matrix: np.ndarray) -> pd.Series:
    n, k = matrix.shape
    long = pd.DataFrame({"entry": np.repeat(np.arange(n), k), "juror": np.tile(np.arange(k), n),
                         "score": matrix.ravel()})
    old = pingouin.options["round.column.CI95"]
    pingouin.options["round.column.CI95"] = None
    try:
        table = pingouin.intraclass_corr(long, targets="entry", raters="juror", ratings="score")
    finally:
        pingouin.options["round.column.CI95"] = old
    return table.set_index("Type").loc["ICC(A,k)"]  # pingouin's ICC2k


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside pingouin, not ours
@pytest.mark.parametrize("seed", range(5))
def test_icc2k_equals_pingouin(seed):
    matrix = panel(seed).T  # entries x jurors
    ours, ref = icc2k(matrix), reference_icc(matrix)
    assert ours.value == pytest.approx(ref["ICC"], abs=1e-9)
    assert ours.ci_low == pytest.approx(ref["CI95"][0], abs=1e-9)
    assert ours.ci_high == pytest.approx(ref["CI95"][1], abs=1e-9)
    assert ours.f == pytest.approx(ref["F"], rel=1e-9)
    assert ours.pval == pytest.approx(ref["pval"], rel=1e-6, abs=1e-15)
    assert (ours.df1, ours.df2) == (ref["df1"], ref["df2"])


def test_icc_refuses_incomplete_designs():
    data = panel(1).T
    data[0, 0] = np.nan
    with pytest.raises(ValueError, match="every juror"):
        icc2k(data)


def test_alpha_readings_follow_krippendorff():
    assert alpha_reading(0.80) == "reliable"
    assert alpha_reading(0.70) == "tentative"
    assert alpha_reading(0.60) == "unreliable"
    assert alpha_reading(float("nan")) == "undefined"


def test_connectivity_through_shared_entries():
    scored = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=bool)
    assert components(scored) == [[0, 1, 2], [3]]
    assert not is_connected(scored)
    scored[3, 2] = True
    assert is_connected(scored)
    assert components(np.zeros((2, 2), dtype=bool)) == []


def test_leniency_by_hand():
    # Juror C gives everything 10 more than A and B, who agree; D orders entries backwards.
    totals = np.array([[50, 60, 70, 80], [50, 60, 70, 80], [60, 70, 80, 90.0],
                       [80, 70, 60, 50.0]])
    table = leniency(totals, ["A", "B", "C", "D"], limit=8).set_index("juror_id")
    # C against the mean of A, B and D: entries (60,70,80,90) vs (60,63.3,66.7,70).
    assert table.loc["C", "leniency"] == pytest.approx(np.mean([0, 6.6667, 13.3333, 20]),
                                                       abs=1e-3)
    assert table.loc["A", "consensus_r"] > 0.9
    assert table.loc["D", "consensus_r"] < 0
    assert table.loc["D", "flag"] == "order" and table.loc["D", "outlier"]
    assert table.loc["C", "flag"] == "leniency"
    assert not table.loc["A", "outlier"]


def test_agreement_table_alpha_per_criterion_and_icc_when_complete():
    rubric = parse_rubric({"id": "t", "levels": None, "criteria": [
        {"id": c, "name": c, "weight": 1, "description": c} for c in ("a", "b")]})
    rng = np.random.default_rng(2)
    rows = [(j, e, c, float(rng.integers(40, 90))) for j in ("J1", "J2", "J3")
            for e in ("E1", "E2", "E3", "E4") for c in ("a", "b")]
    scores = pd.DataFrame(rows, columns=["juror_id", "innovation_id", "criterion", "score"])
    scores["stage"] = "utama"
    data = stage_scores(scores, rubric.stages[0], ["J1", "J2", "J3"], ["E1", "E2", "E3", "E4"])
    table = agreement([data])
    assert list(table["scope"]) == ["total", "total", "total_z", "a", "b"]
    assert list(table["measure"]) == ["alpha", "icc2k", "alpha", "alpha", "alpha"]
    crit_a = data.scores[:, :, 0]
    assert table.iloc[3]["value"] == pytest.approx(reference_alpha(crit_a), abs=1e-9)
    z = (data.totals - data.totals.mean(axis=1, keepdims=True)) / data.totals.std(
        axis=1, ddof=1, keepdims=True)
    assert table.iloc[2]["value"] == pytest.approx(reference_alpha(z), abs=1e-9)
    assert table.iloc[0]["value"] == pytest.approx(reference_alpha(data.totals), abs=1e-9)
    # With a recusal the design is incomplete: alpha only.
    incomplete = scores[~((scores["juror_id"] == "J1") & (scores["innovation_id"] == "E1"))]
    data = stage_scores(incomplete, rubric.stages[0], ["J1", "J2", "J3"],
                        ["E1", "E2", "E3", "E4"])
    table = agreement([data])
    assert "icc2k" not in set(table["measure"])
    assert table.iloc[0]["value"] == pytest.approx(reference_alpha(data.totals), abs=1e-9)
