"""The competition rubric is data, validated on load."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from evalkit.issues import InputError
from evalkit.jury.rubric import SINGLE_STAGE, Shortlist, TieKey, load_rubric, parse_rubric

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_RUBRIC = ROOT / "params" / "rubrics" / "lomba-2025.yaml"
RUBRIC = Path(__file__).resolve().parent / "data" / "lomba-single.yaml"  # one stage


def base() -> dict:
    return yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))


def errors_of(data: dict) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_rubric(data, "r.yaml")
    return [f"{i.column}: {i.message}" for i in info.value.errors]


def test_2025_sample_rubric_has_two_rounds_a_top_10_shortlist_and_documents():
    rubric = load_rubric(SAMPLE_RUBRIC)
    assert rubric.stage_ids == ["proposal", "presentasi"]
    proposal, presentation = rubric.stages
    assert proposal.criterion_ids == ["kebaruan", "efektivitas", "kemanfaatan", "replikasi",
                                      "keberlanjutan"]
    assert proposal.shortlist == Shortlist(top=10) and presentation.shortlist is None
    assert presentation.criterion_ids == ["paparan", "substansi", "tanya_jawab"]
    assert np.allclose(rubric.stage_weights, [0.4, 0.6])
    assert [(d.id, d.indicators) for d in rubric.documents] == [("proposal", ("32",)),
                                                                ("video", ("35",))]
    assert rubric.tie_break[0] == TieKey("presentasi")
    for stage in rubric.stages:
        for c in stage.criteria:
            assert c.description["id"] and c.description["en"]
            assert set(c.guidance) == {lv.id for lv in rubric.levels}


def test_single_stage_rubric_loads_with_five_criteria_and_hash():
    rubric = load_rubric(RUBRIC)
    stage = rubric.stage(SINGLE_STAGE)
    assert stage.criterion_ids == ["kebaruan", "efektivitas", "kemanfaatan", "replikasi",
                                   "keberlanjutan"]
    assert np.isclose(stage.weights.sum(), 1.0)
    assert (rubric.scale_min, rubric.scale_max) == (1, 100)
    assert rubric.default_stage == SINGLE_STAGE and not rubric.multi_stage
    assert rubric.tie_break[0] == TieKey(SINGLE_STAGE, "kemanfaatan")
    assert len(rubric.sha256) == 64
    assert "pilihan panitia" in rubric.weights_basis["id"]
    for c in stage.criteria:
        assert c.description["id"] and c.description["en"]
        assert set(c.guidance) == {lv.id for lv in rubric.levels}


def test_levels_cover_the_scale():
    rubric = load_rubric(RUBRIC)
    assert rubric.level_of(1).id == "sangat_kurang"
    assert rubric.level_of(40.5).id == "kurang"
    assert rubric.level_of(81).id == "sangat_baik"
    assert rubric.level_range(rubric.levels[-1]) == (81, 100)
    assert rubric.level_range(rubric.levels[0]) == (1, 20)


def test_weights_must_sum_as_declared():
    data = base()
    data["criteria"][0]["weight"] = 30
    assert any("sum to 105" in e for e in errors_of(data))


def test_every_problem_is_reported_at_once_with_its_key():
    data = base()
    data["criteria"][1]["id"] = "kebaruan"  # duplicate
    data["criteria"][2]["weight"] = -1
    data["criteria"][3]["wieght"] = 3  # typo
    data["tie_break"] = ["kemanfaatan", "orisinalitas"]
    data["levels"][2]["from"] = 10  # out of order
    errors = errors_of(data)
    joined = "\n".join(errors)
    assert "duplicate id 'kebaruan'" in joined
    assert "criteria[2].weight: 'criteria[2].weight' must be greater than 0" in joined
    assert "criteria[3].wieght: unknown key" in joined
    assert "unknown tie-break 'orisinalitas'" in joined
    assert "increasing order" in joined


def test_guidance_for_unknown_level_and_missing_text_are_errors():
    data = base()
    data["criteria"][0]["guidance"]["luar_biasa"] = "x"
    del data["criteria"][1]["description"]
    joined = "\n".join(errors_of(data))
    assert "unknown level 'luar_biasa'" in joined
    assert "criteria[1].description" in joined


def test_scale_must_be_ordered():
    data = base()
    data["scale"] = {"min": 100, "max": 1}
    data["levels"] = None
    assert any("below scale.max" in e for e in errors_of(data))


def two_stage() -> dict:
    data = base()
    crit = data.pop("criteria")
    data.pop("weight_total")
    data["stages"] = [
        {"id": "proposal", "name": {"id": "Proposal"}, "weight": 40, "criteria": crit[:3]},
        {"id": "presentasi", "name": {"id": "Presentasi"}, "weight": 60,
         "criteria": copy.deepcopy(crit[2:])},
    ]
    data["default_stage"] = "proposal"
    data["tie_break"] = ["presentasi", "proposal.kebaruan"]
    return data


def test_stages_with_own_criteria_weights_and_stage_weight():
    rubric = parse_rubric(two_stage())
    assert rubric.stage_ids == ["proposal", "presentasi"]
    assert np.allclose(rubric.stage_weights, [0.4, 0.6])
    assert rubric.stage("presentasi").criterion_ids == ["kemanfaatan", "replikasi",
                                                         "keberlanjutan"]
    assert rubric.tie_break == (TieKey("presentasi"), TieKey("proposal", "kebaruan"))
    assert rubric.default_stage == "proposal"


def test_stages_and_criteria_are_exclusive_and_default_stage_must_exist():
    data = two_stage()
    data["criteria"] = data["stages"][0]["criteria"]
    assert any("either 'criteria'" in e for e in errors_of(data))
    data = two_stage()
    data["default_stage"] = "final"
    assert any("default_stage 'final'" in e for e in errors_of(data))


def test_shortlist_rules_are_checked():
    data = two_stage()
    data["stages"][0]["shortlist"] = {"top": 3, "min_score": 70}
    rubric = parse_rubric(data)
    assert rubric.stage("proposal").shortlist == Shortlist(top=3, min_score=70.0)
    data["stages"][0]["shortlist"] = {"top": 0, "min": 5}
    data["stages"][1]["shortlist"] = {"top": 2}
    joined = "\n".join(errors_of(data))
    assert "stages[0].shortlist.top" in joined and "at least 1" in joined
    assert "unknown key 'stages[0].shortlist.min'" in joined
    assert "stages[1].shortlist: 'stages[1].shortlist': the last stage" in joined
    data = two_stage()
    data["stages"][0]["shortlist"] = {"min_score": 150}
    assert any("outside the scale 1-100" in e for e in errors_of(data))


def test_documents_are_checked():
    data = base()
    data["documents"] = [{"id": "video", "name": "Video", "indicators": []},
                         {"id": "video", "name": "Video", "indicators": [35]}]
    joined = "\n".join(errors_of(data))
    assert "documents[0].indicators" in joined and "duplicate id 'video'" in joined


def test_missing_rubric_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="1 error"):
        load_rubric(tmp_path / "none.yaml")


def test_a_date_typed_as_a_score_reads_as_written():
    """Issue 9: a juror read Python reprs (``datetime.datetime(2025, 8, 7, 0, 0)``)."""
    import datetime as dt

    from evalkit.jury.scores import score_fault, score_problem

    rubric = load_rubric(Path(__file__).resolve().parents[2] / "params" / "rubrics"
                         / "lomba-2025.yaml")
    assert score_fault(dt.datetime(2025, 8, 7), rubric) == ("not_number", {"value": "2025-08-07"})
    assert score_problem(dt.datetime(2025, 8, 7, 9, 30), rubric) == (
        "not a number: '2025-08-07 09:30'")
    assert score_fault("banyak", rubric) == ("not_number", {"value": "banyak"})
