"""Two-round competitions: a shortlist after the proposals, only finalists in stage 2, and a
final ranking that combines the rounds as the rubric says (checked against hand arithmetic)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
import yaml
from test_jury_support import write_csv

from evalkit.config import load_params
from evalkit.i18n import Translator
from evalkit.issues import InputError
from evalkit.jury.sheets import FIRST_ROW, META_SHEET
from evalkit.jury.workflow import compute, import_sheets, load_jury, make_sheets, write_artifacts
from evalkit.report.blocks import ReportContext, to_markdown
from evalkit.report.chapters import build_chapter

ID = Translator("id")
JURORS = ("JA", "JB", "JC")
# Proposal scores (criterion a weighs 60%, b 40%) per entry and juror, and the final-stage
# score (one criterion c). E5's final-stage scores are there but E5 is not shortlisted.
PROPOSAL = {
    "E1": {"JA": (80, 70), "JB": (90, 80), "JC": (70, 60)},  # totals 76, 86, 66 -> mean 76
    "E2": {"JA": (60, 60), "JB": (60, 60), "JC": (60, 60)},  # 60
    "E3": {"JA": (90, 90), "JB": (80, 80), "JC": (85, 85)},  # 85 (best proposal)
    "E4": {"JA": (70, 70), "JB": (70, 70), "JC": (70, 70)},  # 70
    "E5": {"JA": (50, 50), "JB": (50, 50), "JC": (50, 50)},  # 50
}
FINAL = {"E1": (90, 88, 92), "E3": (70, 72, 74), "E4": (40, 40, 40), "E5": (99, 99, 99)}


def rubric(shortlist: dict) -> dict:
    level = [{"id": "semua", "from": 1, "label": "Semua"}]
    return {
        "id": "dua-tahap", "scale": {"min": 1, "max": 100}, "levels": level,
        "stages": [
            {"id": "proposal", "name": "Proposal", "weight": 40, "shortlist": shortlist,
             "criteria": [{"id": "a", "name": "A", "weight": 60, "description": "a"},
                          {"id": "b", "name": "B", "weight": 40, "description": "b"}]},
            {"id": "final", "name": "Final", "weight": 60,
             "criteria": [{"id": "c", "name": "C", "weight": 100, "description": "c"}]},
        ],
        "default_stage": "proposal", "tie_break": ["final", "proposal"],
    }


def region(tmp_path: Path, shortlist: dict | None = None, proposal=PROPOSAL,
           final=FINAL) -> Path:
    year = tmp_path / "data" / "r" / "2025"
    write_csv(year / "units.csv", [{"unit_id": f"u{i}", "name": f"Unit {i}", "kind": "dinas",
                                    "aliases": ""} for i in range(1, 6)])
    write_csv(year / "innovations.csv", [
        {"innovation_id": e, "year": 2025, "unit_id": f"u{i}", "title": f"Inovasi {e}",
         "description": f"Uraian {e}", "verification_status": "accepted"}
        for i, e in enumerate(proposal, start=1)])
    write_csv(year / "jurors.csv", [{"juror_id": j, "name": "", "home_unit_id": ""}
                                    for j in JURORS])
    rows = []
    for entry, per in proposal.items():
        for juror, (a, b) in per.items():
            rows += [{"juror_id": juror, "innovation_id": entry, "criterion": "a", "score": a,
                      "stage": "proposal", "note": ""},
                     {"juror_id": juror, "innovation_id": entry, "criterion": "b", "score": b,
                      "stage": "", "note": ""}]
    for entry, values in final.items():
        rows += [{"juror_id": j, "innovation_id": entry, "criterion": "c", "score": v,
                  "stage": "final", "note": ""} for j, v in zip(JURORS, values, strict=True)]
    write_csv(year / "jury_scores.csv", rows)
    file = tmp_path / "params" / "rubrics" / "lomba-2025.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(yaml.safe_dump(rubric(shortlist or {"top": 3})), encoding="utf-8")
    params = tmp_path / "params" / "2025.yaml"
    params.write_text(yaml.safe_dump({
        "region": "r", "region_name": "Kabupaten R", "year": 2025, "data_dir": "../data/r",
        "output_dir": "../reports", "seed": 1,
        "jury": {"method": "mean", "store_dir": "../store", "resamples": 200}}),
        encoding="utf-8")
    return params


def test_final_ranking_equals_the_hand_computed_one(tmp_path):
    jury = load_jury(load_params(region(tmp_path)))
    outcome = compute(jury)
    board = outcome.ranking.set_index("innovation_id")
    # Finalists (top 3 proposals: E3 85, E1 76, E4 70): 40% proposal + 60% final.
    #   E1 = 0.4*76 + 0.6*90 = 84.4;  E3 = 0.4*85 + 0.6*72 = 77.2;  E4 = 0.4*70 + 0.6*40 = 52.0
    # Out after the proposal: E2 (60) and E5 (50) rank below every finalist, even E4.
    expected = {"E1": (84.4, 1), "E3": (77.2, 2), "E4": (52.0, 3), "E2": (60.0, 4),
                "E5": (50.0, 5)}
    for entry, (score, rank) in expected.items():
        assert board.loc[entry, "score"] == pytest.approx(score, abs=1e-9)
        assert board.loc[entry, "rank"] == rank
    assert outcome.ranking["innovation_id"].tolist() == ["E1", "E3", "E4", "E2", "E5"]
    assert board["round"].to_dict() == {"E1": "final", "E3": "final", "E4": "final",
                                        "E2": "proposal", "E5": "proposal"}
    assert board.loc["E3", "score_proposal"] == pytest.approx(85)
    # E5's final-stage scores do not count (it was not shortlisted), and that is said.
    assert any(i.code == "jury-not-shortlisted" and "JA/E5" in i.message
               for i in outcome.issues)
    assert outcome.scores[(outcome.scores["stage"] == "final")]["innovation_id"].nunique() == 3
    rounds = outcome.rounds
    assert rounds.loc[rounds["advanced"], "innovation_id"].tolist() == ["E1", "E3", "E4"]
    # Rank intervals respect the rounds: an entry that went out never ranks above a finalist.
    assert board.loc["E2", "rank_low"] >= 4 and board.loc["E4", "rank_high"] <= 3


def test_stage_two_sheets_hold_only_the_shortlisted_entries(tmp_path):
    jury = load_jury(load_params(region(tmp_path)))
    paths = make_sheets(jury, tmp_path / "s", ID, prefill=False)
    book = openpyxl.load_workbook(paths[0])
    assert book.sheetnames == ["Petunjuk", "Nilai Proposal", "Nilai Final", "Deskripsi",
                               META_SHEET]
    def ids(page):
        ws = book[page]
        return [ws.cell(row=r, column=2).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert ids("Nilai Proposal") == ["E1", "E2", "E3", "E4", "E5"]
    assert ids("Nilai Final") == ["E1", "E3", "E4"]
    assert "Hanya 3 inovasi yang lolos dari tahap Proposal" in book["Nilai Final"]["A5"].value
    # A final-stage sheet that scores E5 anyway is refused with the reason.
    only_final = make_sheets(jury, tmp_path / "f", ID, prefill=True, stages=["final"])[0]
    edited = openpyxl.load_workbook(only_final)
    ws = edited["Nilai Final"]
    ws.cell(row=FIRST_ROW + 2, column=2).value = "E5"
    edited.save(only_final)
    (result,) = import_sheets(jury, [only_final])
    assert not result.ok
    assert any("inovasi E5 tidak lolos ke tahap Final" in i.message for i in result.issues)
    assert jury.store.jurors() == []


def test_stage_two_opens_only_when_the_proposals_are_complete(tmp_path):
    proposal = {e: dict(per) for e, per in PROPOSAL.items()}
    del proposal["E2"]["JB"]  # JB has not scored E2 yet
    jury = load_jury(load_params(region(tmp_path, proposal=proposal)))
    paths = make_sheets(jury, tmp_path / "s", ID)
    assert openpyxl.load_workbook(paths[0]).sheetnames == ["Petunjuk", "Nilai Proposal",
                                                           "Deskripsi", META_SHEET]
    with pytest.raises(InputError, match="tahap Final belum dibuka: 1 penilaian tahap "
                                         "Proposal belum lengkap"):
        make_sheets(jury, tmp_path / "f", ID, stages=["final"])
    outcome = compute(jury)
    assert outcome.ranking["round"].eq("proposal").all()  # nobody is a finalist yet
    rounds = outcome.rounds.drop_duplicates("stage").set_index("stage")
    assert not rounds.loc["proposal", "complete"] and rounds.loc["proposal", "missing"] == 1


def test_a_tie_at_the_cut_sends_both_on(tmp_path):
    proposal = {e: dict(per) for e, per in PROPOSAL.items()}
    proposal["E2"] = {j: (70, 70) for j in JURORS}  # E2 now ties E4 at 70 for third place
    jury = load_jury(load_params(region(tmp_path, proposal=proposal,
                                        final={**FINAL, "E2": (50, 50, 50)})))
    outcome = compute(jury)
    finalists = outcome.rounds[outcome.rounds["advanced"]]["innovation_id"].tolist()
    assert finalists == ["E1", "E2", "E3", "E4"]


def test_a_minimum_score_rule(tmp_path):
    jury = load_jury(load_params(region(tmp_path, shortlist={"min_score": 75})))
    outcome = compute(jury)
    assert outcome.rounds[outcome.rounds["advanced"]]["innovation_id"].tolist() == ["E1", "E3"]
    assert outcome.ranking["innovation_id"].tolist()[:2] == ["E1", "E3"]


def test_the_chapter_shows_each_round_and_how_they_combine(tmp_path):
    params = load_params(region(tmp_path))
    out = tmp_path / "out"
    write_artifacts(compute(load_jury(params)), out)
    text = to_markdown(build_chapter("jury", ReportContext.create(params, out)))
    assert "## Tahap penilaian" in text
    assert "Lomba berlangsung dalam 2 tahap dengan bobot Proposal 40%, Final 60%." in text
    assert "Nilai akhir finalis adalah rata-rata tertimbang" in text
    assert "Lolos ke tahap Final: 3 besar" in text and "3 inovasi lolos" in text
    assert "{#tbl-jury-round-proposal}" in text and "{#tbl-jury-round-final}" in text
    english = dataclasses.replace(params, language="en")
    text = to_markdown(build_chapter("jury", ReportContext.create(english, out)))
    assert "The competition has 2 stages, weighted Proposal 40%, Final 60%." in text


def test_the_sample_competition_has_two_rounds_and_the_real_winners(tmp_path):
    """The bundled 2025 sample: ten finalists present; all four methods give the real
    award order (ARTIS, Digitalisasi Sistem Percetakan Sawah, ERISALA, SIMICA, Sampah
    Inspektorat)."""
    from conftest import SAMPLE_PARAMS

    params = load_params(SAMPLE_PARAMS)
    params = dataclasses.replace(params, jury=dataclasses.replace(
        params.jury, store_dir=tmp_path / "store", resamples=200))
    jury = load_jury(params)
    awarded = ["RL-2025-007", "RL-2025-031", "RL-2025-034", "RL-2025-005", "RL-2025-012"]
    for method in ("zscore", "mean", "median", "trimmed_mean"):
        outcome = compute(jury, method=method, n=50)
        assert outcome.ranking["innovation_id"].tolist()[:5] == awarded, method
    outcome = compute(jury)
    finalists = outcome.rounds[outcome.rounds["advanced"]]["innovation_id"].tolist()
    assert len(finalists) == 10 and set(awarded) <= set(finalists)
    assert (outcome.ranking.head(10)["round"] == "presentasi").all()
    sheet = make_sheets(jury, tmp_path / "s", ID, prefill=False)[0]
    ws = openpyxl.load_workbook(sheet)["Nilai Presentasi finalis"]
    listed = [ws.cell(row=r, column=2).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert sorted(listed) == sorted(finalists)  # J1 has no own-unit conflict
