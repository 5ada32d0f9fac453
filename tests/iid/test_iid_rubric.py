"""The IID rubric files load, add up, and broken copies fail with the file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evalkit.iid.rubric import load_rubric, normalise_affair
from evalkit.issues import InputError

RUBRICS = Path(__file__).resolve().parents[2] / "src" / "evalkit" / "iid" / "rubrics"
SPD_ROWS = ["1", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a",
            "11b", "12", "13a", "13b", "14", "15"]
SID_ROWS = [str(i) for i in range(16, 36)]


@pytest.fixture(scope="module", params=[2023, 2024, 2025])
def rubric(request):
    return load_rubric(RUBRICS / f"iid-{request.param}.yaml")


def test_rows_weights_and_maxima(rubric):
    assert rubric.spd["indicator"].tolist() == SPD_ROWS
    assert rubric.sid["indicator"].tolist() == SID_ROWS
    assert rubric.spd["weight"].sum() == pytest.approx(21)
    assert rubric.spd["max_points"].sum() == pytest.approx(63)
    assert rubric.sid["max_points"].sum() == pytest.approx(111)
    assert rubric.max_total == 250
    assert rubric.count.max == pytest.approx(76)
    assert rubric.count.cap == 200 and rubric.count.per_innovation == pytest.approx(0.38)
    assert rubric.variant == "A"


def test_every_row_has_levels_source_and_confidence(rubric):
    rows = rubric.indicators
    for column in ("level_1", "level_2", "level_3", "evidence", "source", "name", "name_en"):
        assert (rows[column].str.len() > 0).all(), column
    assert set(rows["confidence"]) <= {"high", "medium", "low"}
    assert set(rows["source"].str.split("; ").explode()) <= set(rubric.sources)


def test_year_specific_rules():
    r23, r24, r25 = (load_rubric(RUBRICS / f"iid-{y}.yaml") for y in (2023, 2024, 2025))
    assert (r23.floor, r24.floor, r25.floor) == (10, 10, 12)
    assert r23.count.basic_services.min_covered is None
    assert r24.count.basic_services.min_covered is None
    assert r25.count.basic_services.min_covered == 5
    assert [(b.min, b.max) for b in r23.bands] == [(0, 0), (0.01, 34.99), (35, 60),
                                                   (60.01, 100)]
    assert [b.min for b in r24.bands] == [b.min for b in r23.bands]
    assert [(b.min, b.max) for b in r25.bands] == [(0, 0), (0.01, 40), (40.01, 65),
                                                   (65.01, 100)]
    assert [b.label for b in r25.bands] == ["Tidak Dapat Dinilai", "Kurang Inovatif",
                                            "Inovatif", "Sangat Inovatif"]


def test_2024_is_the_2023_shape_and_says_so():
    r23, r24 = (load_rubric(RUBRICS / f"iid-{y}.yaml") for y in (2023, 2024))
    columns = ["indicator", "weight", "level_1", "level_2", "level_3", "mandatory"]
    assert r24.indicators[columns].equals(r23.indicators[columns])
    assert "shape_2023" in r24.assumptions
    assert "spd_rows_from_2025" in r23.assumptions
    assert "innovation_count_linear" in r23.assumptions


def test_weight_variant_b_switches_spd_weights_only():
    a = load_rubric(RUBRICS / "iid-2025.yaml")
    b = load_rubric(RUBRICS / "iid-2025.yaml", variant="B")
    assert b.variant == "B"
    assert b.spd["max_points"].sum() == pytest.approx(63)
    assert b.spd.set_index("indicator").loc["8", "weight"] == 2
    assert a.spd.set_index("indicator").loc["8", "weight"] == 1.5
    assert b.sid["weight"].tolist() == a.sid["weight"].tolist()
    with pytest.raises(InputError, match="unknown weight variant 'C'"):
        load_rubric(RUBRICS / "iid-2025.yaml", variant="C")


def test_basic_service_aliases_match_case_insensitively():
    lookup = load_rubric(RUBRICS / "iid-2025.yaml").count.basic_services.lookup()
    assert lookup[normalise_affair("PUPR")] == "pupr"
    assert lookup[normalise_affair("trantibum")] == "trantibum"
    assert lookup[normalise_affair("Pekerjaan Umum & Penataan Ruang")] == "pupr"
    assert lookup[normalise_affair("  KESEHATAN ")] == "kesehatan"
    assert lookup[normalise_affair(
        "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat")] == "trantibum"
    assert len(set(lookup.values())) == 6


def _broken(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load((RUBRICS / "iid-2025.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "iid-broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _first_spd_row(data):
    return data["aspects"][0]["variables"][0]["indicators"][0]


def _errors(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_rubric(path)
    for issue in info.value.errors:
        assert issue.file == str(path.resolve())
    return [f"{i.column}: {i.message}" for i in info.value.errors]


def test_weight_change_breaks_points_and_the_sum(tmp_path):
    path = _broken(tmp_path, lambda d: _first_spd_row(d).update(weight=2))
    errors = _errors(path)
    key = "aspects[0].variables[0].indicators[0].levels[0].points"
    assert any(e.startswith(key) and "weight 2 × level 1" in e for e in errors)
    assert any("SPD weights × 3 sum to 66" in e for e in errors)


def test_bands_must_be_contiguous(tmp_path):
    def edit(data):
        data["aggregation"]["predicate"]["bands"][2]["min"] = 40.5
    errors = _errors(_broken(tmp_path, edit))
    assert any(e.startswith("aggregation.predicate.bands[2].min") and "contiguous" in e
               for e in errors)


def test_unknown_keys_sources_and_levels_are_named(tmp_path):
    def edit(data):
        row = _first_spd_row(data)
        row["wieght"] = 1
        row["source"] = ["nowhere"]
        row["levels"] = row["levels"][:2]
        data["sources"]["repo_65852825538"]["tag"] = False  # what a bare OFF becomes
    errors = _errors(_broken(tmp_path, edit))
    assert any("unknown key 'wieght'" in e for e in errors)
    assert any("unknown source 'nowhere'" in e for e in errors)
    assert any("levels 1, 2, 3" in e for e in errors)
    assert any("quote it" in e for e in errors)
    assert len(errors) >= 4  # every problem at once


def test_count_rule_and_total_must_agree(tmp_path):
    def edit(data):
        data["aggregation"]["innovation_count"]["max"] = 80
    errors = _errors(_broken(tmp_path, edit))
    assert any("cap 200 × per_innovation 0.38" in e for e in errors)
    assert any("max_total 250 differs" in e for e in errors)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(InputError, match="rubric file not found"):
        load_rubric(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_rubric(bad)
