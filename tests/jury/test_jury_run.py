"""The year's jury end to end: conflicts, raw-score checks, results and artifacts."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from test_jury_support import CRITERIA, JURORS, make_region, scores_rows

from evalkit.artifacts import read_table
from evalkit.config import load_params
from evalkit.i18n import Translator
from evalkit.issues import InputError
from evalkit.jury.workflow import (
    ARTIFACTS,
    compute,
    load_jury,
    open_jury,
    results_json,
    write_artifacts,
)


def jury_for(tmp_path, **kw):
    return load_jury(load_params(make_region(tmp_path, **kw)))


def test_conflicts_follow_home_units(tmp_path):
    jury = jury_for(tmp_path)
    pairs = set(zip(jury.conflicts["juror_id"], jury.conflicts["innovation_id"], strict=True))
    assert pairs == {("JA", "E1"), ("JA", "E5"), ("JC", "E3")}
    assert set(jury.conflicts["reason_code"]) == {"own_unit"}
    assert jury.assigned()["JA"] == ["E2", "E3", "E4", "E6"]
    assert jury.assigned()["JB"] == ["E1", "E2", "E3", "E4", "E5", "E6"]


def test_a_raw_score_on_an_own_unit_entry_never_counts(tmp_path):
    rows = scores_rows()
    rows += [{"juror_id": "JA", "innovation_id": "E1", "criterion": c, "score": 1, "stage": "",
              "note": ""} for c in CRITERIA]
    jury = jury_for(tmp_path, scores=rows)
    outcome = compute(jury)
    assert any("conflict of interest" in i.message for i in outcome.issues)
    used = outcome.scores
    assert used[(used["juror_id"] == "JA") & (used["innovation_id"] == "E1")].empty
    clean = compute(jury_for(tmp_path / "clean"))
    pd.testing.assert_series_equal(outcome.ranking["score"], clean.ranking["score"])
    board = outcome.ranking.set_index("innovation_id")
    assert board.loc["E1", "n_jurors"] == 3


@pytest.mark.parametrize(("change", "message"), [
    ({"score": 101}, "outside the scale"),
    ({"criterion": "orisinalitas"}, "unknown criterion 'orisinalitas'"),
    ({"stage": "final"}, "unknown stage 'final'"),
])
def test_bad_raw_scores_are_input_errors_with_their_row(tmp_path, change, message):
    rows = scores_rows()
    rows[3] = {**rows[3], **change}
    with pytest.raises(InputError) as info:
        jury_for(tmp_path, scores=rows)
    (issue,) = [i for i in info.value.errors if message in i.message]
    assert issue.row == 5 and issue.file.endswith("jury_scores.csv")


def test_only_accepted_innovations_compete_by_default(tmp_path):
    params = load_params(make_region(tmp_path))
    year_dir = params.year_dir
    frame = pd.read_csv(year_dir / "innovations.csv")
    frame.loc[frame["innovation_id"] == "E6", "verification_status"] = "pending"
    frame.to_csv(year_dir / "innovations.csv", index=False)
    jury = load_jury(params)
    assert "E6" not in set(jury.entries["innovation_id"])
    assert any("not entries" in i.message for i in jury.issues)
    wide = dataclasses.replace(params, jury=dataclasses.replace(params.jury,
                                                                entries="not_rejected"))
    assert "E6" in set(load_jury(wide).entries["innovation_id"])


def test_params_name_the_panel(tmp_path):
    jury = jury_for(tmp_path, jury={"jurors": ["JB", "JD"]})
    assert jury.juror_ids == ["JB", "JD"]
    assert set(compute(jury).scores["juror_id"]) == {"JB", "JD"}
    with pytest.raises(InputError, match="'JX' named in the params"):
        jury_for(tmp_path / "x", jury={"jurors": ["JB", "JX"]})


def test_zscore_refuses_a_disconnected_plan(tmp_path):
    # JA and JB share no entry with JC and JD.
    groups = {"JA": {"E2", "E3"}, "JB": {"E2", "E3"}, "JC": {"E4", "E6"}, "JD": {"E4", "E6"}}
    rows = [r for r in scores_rows() if r["innovation_id"] in groups[r["juror_id"]]]
    jury = jury_for(tmp_path, scores=rows)
    with pytest.raises(InputError, match="not connected"):
        compute(jury, method="zscore")
    outcome = compute(jury, method="mean")
    assert not outcome.connected


def test_results_json_has_the_contract(tmp_path):
    outcome = compute(jury_for(tmp_path))
    data = json.loads(json.dumps(results_json(outcome)))
    assert data["method"] == "zscore" and 0 < data["alpha"] <= 1
    row = data["ranking"][0]
    assert {"innovation_id", "score", "rank", "rank_low", "rank_high", "p_top3"} <= set(row)
    assert row["rank"] == 1 and isinstance(row["rank"], int)
    assert {r["innovation_id"] for r in data["recusals"]} == {"E1", "E3", "E5"}
    assert data["winner"]["verdict"] in {"clear", "likely", "open"}


def test_results_are_reproducible_with_the_params_seed(tmp_path):
    jury = jury_for(tmp_path)
    a, b = compute(jury), compute(jury)
    pd.testing.assert_frame_equal(a.ranking, b.ranking)
    other = compute(jury, seed=jury.params.seed + 1)
    assert not other.robustness.table.equals(a.robustness.table)


def test_artifacts_name_jurors_by_code_only(tmp_path):
    outcome = compute(jury_for(tmp_path))
    out = tmp_path / "out"
    write_artifacts(outcome, out)
    names = {j["name"] for j in JURORS}
    for name in ARTIFACTS:
        table = read_table(out, name)
        assert "juror_id" not in table.columns
        text = (out / "artifacts" / f"{name}.csv").read_text(encoding="utf-8")
        assert not any(n in text for n in names)
    assert set(read_table(out, "jury_leniency")["juror_code"]) == {"J1", "J2", "J3", "J4"}
    ranking = read_table(out, "jury_ranking")
    assert ranking["rank"].tolist() == list(range(1, 7))


def test_a_year_without_a_rubric_has_no_competition(tmp_path):
    params = load_params(make_region(tmp_path))
    params = dataclasses.replace(params, jury=dataclasses.replace(params.jury, rubric=None))
    jury, why = open_jury(params, Translator("en"))
    assert jury is None and "no competition rubric for 2025" in why


def test_stored_scores_from_another_rubric_are_flagged(tmp_path):
    jury = jury_for(tmp_path)
    frame = pd.DataFrame([{"innovation_id": "E1", "stage": "utama", "criterion": "lama",
                           "score": 50.0, "note": ""}])
    jury.store.replace_juror("JB", frame, pd.DataFrame(), via="sheet", rubric_id="lomba-2024")
    outcome = compute(jury, method="mean")
    (issue,) = [i for i in outcome.issues if i.code == "jury-store-rubric"]
    assert "lomba-2024" in issue.message and "utama.lama" in issue.message
