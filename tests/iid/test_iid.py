"""IID engine: the acceptance cases of issue 3, band edges, and hand-made edge cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.iid.engine import classify, round_half_up, score, summary_dict
from evalkit.iid.rubric import load_rubric
from evalkit.iid.synth import innovations_with, national, region_levels
from evalkit.issues import InputError

RUBRICS = Path(__file__).resolve().parents[2] / "src" / "evalkit" / "iid" / "rubrics"
BASIC = ["Pendidikan", "Kesehatan", "Pekerjaan Umum dan Penataan Ruang",
         "Perumahan Rakyat dan Kawasan Permukiman",
         "Ketenteraman dan Ketertiban Umum serta Pelindungan Masyarakat", "Sosial"]


@pytest.fixture(scope="module")
def rubrics():
    return {y: load_rubric(RUBRICS / f"iid-{y}.yaml") for y in (2023, 2024, 2025)}


def eight_at_80(rubric, basic_covered: int):
    affairs = BASIC[:basic_covered] + ["Pariwisata"] * (8 - basic_covered)
    return innovations_with(rubric, [80] * 8, affairs=affairs)


def test_2023_eight_innovations_of_maturity_80(rubrics):
    rubric = rubrics[2023]
    innovations, evidence = eight_at_80(rubric, 0)  # no basic-service rule before 2025
    row = score(rubric, region_levels(rubric, 3), innovations, evidence).summary.iloc[0]
    assert row["spd"] == pytest.approx(63)
    assert row["divisor"] == 10
    assert row["innovation_count_score"] == pytest.approx(3.04)
    assert row["sid"] == pytest.approx(67.04, abs=0.005)
    assert row["total"] == pytest.approx(130.04, abs=0.005)
    assert row["iid_rounded"] == pytest.approx(52.02)
    assert row["predicate"] == "Inovatif"


def test_2025_basic_services_five_of_six(rubrics):
    rubric = rubrics[2025]
    innovations, evidence = eight_at_80(rubric, 5)
    row = score(rubric, region_levels(rubric, 3), innovations, evidence).summary.iloc[0]
    assert row["divisor"] == 12
    assert row["basic_services_covered"] == 5
    assert row["sid"] == pytest.approx(56.37, abs=0.005)
    assert row["iid_rounded"] == pytest.approx(47.75)
    assert row["predicate"] == "Inovatif"


def test_2025_basic_services_four_of_six_loses_the_count_score(rubrics):
    rubric = rubrics[2025]
    innovations, evidence = eight_at_80(rubric, 4)
    row = score(rubric, region_levels(rubric, 3), innovations, evidence).summary.iloc[0]
    assert row["innovation_count_score"] == 0
    assert row["iid_rounded"] == pytest.approx(46.53)


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_perfect_region_scores_100(rubrics, year):
    rubric = rubrics[year]
    affairs = [BASIC[i % 6] for i in range(200)]
    innovations, evidence = innovations_with(rubric, [111] * 200, affairs=affairs)
    row = score(rubric, region_levels(rubric, 3), innovations, evidence).summary.iloc[0]
    assert row["iid"] == pytest.approx(100.0)
    assert row["iid_rounded"] == 100.0
    assert row["predicate"] == "Sangat Inovatif"


@pytest.mark.parametrize("year", [2023, 2024, 2025])
@pytest.mark.parametrize("mode", ["verified", "claimed"])
def test_nothing_reported_is_not_assessable(rubrics, year, mode):
    rubric = rubrics[year]
    empty_region = region_levels(rubric).iloc[:0]
    innovations, evidence = innovations_with(rubric, [])
    result = score(rubric, empty_region, innovations, evidence, mode=mode)
    row = result.summary.iloc[0]
    assert row["iid"] == 0
    assert row["predicate"] == "Tidak Dapat Dinilai"
    assert result.points.empty and result.claims.empty
    assert len(result.region_points) == 20 and not result.region_points["reported"].any()


@pytest.mark.parametrize(("year", "index", "predicate"), [
    (2024, 34.99, "Kurang Inovatif"), (2024, 35.00, "Inovatif"), (2024, 60.00, "Inovatif"),
    (2024, 60.01, "Sangat Inovatif"), (2025, 40.00, "Kurang Inovatif"),
    (2025, 40.01, "Inovatif"), (2025, 65.00, "Inovatif"), (2025, 65.01, "Sangat Inovatif"),
    (2024, 62.00, "Sangat Inovatif"), (2025, 62.00, "Inovatif"),
    (2023, 0.0, "Tidak Dapat Dinilai"), (2023, 0.01, "Kurang Inovatif"),
    (2023, 100.0, "Sangat Inovatif"),
    # classified on the index rounded half-up to 2 decimals
    (2024, 34.994999, "Kurang Inovatif"), (2024, 34.995, "Inovatif"),
    (2024, 60.004999, "Inovatif"), (2024, 60.005, "Sangat Inovatif"),
    (2025, 0.004, "Tidak Dapat Dinilai"), (2025, 0.005, "Kurang Inovatif"),
])
def test_band_edges(rubrics, year, index, predicate):
    rubric = rubrics[year]
    assert rubric.band(classify(rubric, index)).label == predicate


def test_round_half_up():
    assert round_half_up(52.016) == 52.02
    assert round_half_up(60.005) == 60.01  # plain round() gives 60.0
    assert round_half_up(1.005) == 1.01
    assert round_half_up(34.994999) == 34.99
    assert np.allclose(round_half_up(np.array([0.125, 0.135])), [0.13, 0.14])


def test_rejected_innovations_do_not_count_and_are_listed(rubrics):
    rubric = rubrics[2023]
    innovations, evidence = innovations_with(
        rubric, [80, 80, 100], statuses=["accepted", "pending", "rejected"])
    result = score(rubric, region_levels(rubric, 3), innovations, evidence)
    row = result.summary.iloc[0]
    assert (row["n_submitted"], row["n_counted"], row["n_rejected"]) == (3, 2, 1)
    assert row["maturity_sum"] == pytest.approx(160)
    assert row["innovation_count_score"] == pytest.approx(0.76)
    assert set(result.points["innovation_id"]) == {"INV-001", "INV-002"}
    rejected = result.claims[result.claims["status"] == "innovation_rejected"]
    assert rejected["innovation_id"].tolist() == ["INV-003"]
    assert rejected["points_at_stake"].tolist() == [100]
    counted = result.innovations.set_index("innovation_id")["counted"]
    assert counted.to_dict() == {"INV-001": True, "INV-002": True, "INV-003": False}


def test_unverified_claims_score_zero_when_verified_and_count_when_claimed(rubrics):
    rubric = rubrics[2025]
    innovations, evidence = innovations_with(rubric, [60, 90])
    unverified = (evidence["innovation_id"] == "INV-002") & evidence["indicator"].isin(
        ["16", "35"])
    evidence.loc[unverified, "verified_level"] = pd.NA
    lowered = (evidence["innovation_id"] == "INV-001") & (evidence["indicator"] == "33")
    evidence.loc[lowered, "verified_level"] = 1
    verified = score(rubric, region_levels(rubric, 2), innovations, evidence, mode="verified")
    claimed = score(rubric, region_levels(rubric, 2), innovations, evidence, mode="claimed")
    maturity = verified.innovations.set_index("innovation_id")["maturity"]
    lost_16_35 = 3 * evidence.loc[unverified, "claimed_level"].iloc[0] + 4 * evidence.loc[
        unverified, "claimed_level"].iloc[1]
    assert maturity["INV-002"] == pytest.approx(90 - lost_16_35)
    claim_33 = int(evidence.loc[lowered, "claimed_level"].iloc[0])
    assert maturity["INV-001"] == pytest.approx(60 - 3 * (claim_33 - 1))
    assert claimed.innovations.set_index("innovation_id")["maturity"].tolist() == [60, 90]
    assert claimed.summary.iloc[0]["iid"] > verified.summary.iloc[0]["iid"]
    claims = verified.claims.set_index(["innovation_id", "indicator"])
    assert claims.loc[("INV-002", "16"), "status"] == "unverified"
    assert claims.loc[("INV-002", "35"), "status"] == "unverified"
    assert claims.loc[("INV-001", "33"), "status"] == "lowered"
    assert claims.loc[("INV-001", "33"), "points_at_stake"] == pytest.approx(3 * (claim_33 - 1))
    assert len(claims) == 3
    assert summary_dict(verified)["open_claims"] == 3


def test_missing_indicators_score_level_zero(rubrics):
    rubric = rubrics[2025]
    innovations, evidence = innovations_with(rubric, [111])
    evidence = evidence[evidence["indicator"] != "35"]  # no row for the video
    region = region_levels(rubric, 3)
    region = region[region["indicator"] != "12"]
    result = score(rubric, region, innovations, evidence)
    assert result.innovations["maturity"].iloc[0] == pytest.approx(111 - 12)
    assert result.summary.iloc[0]["spd"] == pytest.approx(63 - 6)
    missing = result.points.set_index("indicator").loc["35"]
    assert missing["status"] == "missing" and missing["level"] == 0
    row_12 = result.region_points.set_index("indicator").loc["12"]
    assert not row_12["reported"] and row_12["level"] == 0


def test_empty_status_is_pending_and_counts(rubrics):
    rubric = rubrics[2023]
    innovations, evidence = innovations_with(rubric, [50, 50])
    innovations["verification_status"] = pd.array([pd.NA, ""], dtype="str")
    result = score(rubric, region_levels(rubric, 0), innovations, evidence)
    assert result.summary.iloc[0]["n_counted"] == 2
    assert result.innovations["verification_status"].tolist() == ["pending", "pending"]


def test_innovation_count_is_capped_at_200(rubrics):
    rubric = rubrics[2023]
    innovations, evidence = innovations_with(rubric, [10] * 230)
    row = score(rubric, region_levels(rubric, 0), innovations, evidence).summary.iloc[0]
    assert row["innovation_count_score"] == pytest.approx(76)
    assert row["divisor"] == 230


def test_basic_service_aliases_count_once_each(rubrics):
    rubric = rubrics[2025]
    affairs = ["pupr", "PUPR", "Pekerjaan Umum & Penataan Ruang", "TRANTIBUM", "kesehatan",
               "Sosial", "Perkim", "Pariwisata"]
    innovations, evidence = innovations_with(rubric, [50] * 8, affairs=affairs)
    result = score(rubric, region_levels(rubric, 0), innovations, evidence)
    assert result.summary.iloc[0]["basic_services_covered"] == 5
    assert result.innovations["basic_service"].tolist()[:4] == ["pupr", "pupr", "pupr",
                                                                "trantibum"]


def test_bad_input_is_reported(rubrics):
    rubric = rubrics[2025]
    innovations, evidence = innovations_with(rubric, [50])
    with pytest.raises(InputError, match="indicator '2' is not a region"):
        score(rubric, pd.DataFrame({"indicator": ["2"], "level": [1]}), innovations, evidence)
    with pytest.raises(InputError, match=r"level must be 0\.\.3"):
        score(rubric, pd.DataFrame({"indicator": ["1"], "level": [4]}), innovations, evidence)
    with pytest.raises(InputError, match="given twice"):
        score(rubric, pd.DataFrame({"indicator": ["1", "1"], "level": [1, 2]}), innovations,
              evidence)
    with pytest.raises(InputError, match="unknown innovation 'X'"):
        score(rubric, region_levels(rubric), innovations,
              pd.concat([evidence, pd.DataFrame({"innovation_id": ["X"], "indicator": ["16"],
                                                 "claimed_level": [1]})]))
    with pytest.raises(InputError, match="must be in both"):
        score(rubric, region_levels(rubric), innovations.assign(region_id="A"), evidence)
    with pytest.raises(ValueError, match="mode must be"):
        score(rubric, region_levels(rubric), innovations, evidence, mode="guess")


def test_many_regions_match_one_at_a_time(rubrics):
    rubric = rubrics[2025]
    region_indicators, innovations, evidence = national(rubric, regions=6, innovations=90,
                                                        seed=3)
    result = score(rubric, region_indicators, innovations, evidence)
    assert result.multi_region and len(result.summary) == 6
    for region in result.summary["region_id"]:
        mine = innovations[innovations["region_id"] == region].drop(columns=["region_id"])
        alone = score(rubric,
                      region_indicators[region_indicators["region_id"] == region]
                      .drop(columns=["region_id"]),
                      mine, evidence[evidence["innovation_id"].isin(mine["innovation_id"])])
        together = result.summary.set_index("region_id").loc[region]
        assert together["iid"] == pytest.approx(alone.summary.iloc[0]["iid"], abs=1e-12)
        assert together["predicate"] == alone.summary.iloc[0]["predicate"]


def test_summary_dict_for_json(rubrics):
    rubric = rubrics[2023]
    innovations, evidence = innovations_with(rubric, [80] * 8)
    data = summary_dict(score(rubric, region_levels(rubric, 3), innovations, evidence))
    for key in ("year", "rubric", "spd", "sid", "innovation_count_score", "total", "iid",
                "predicate", "innovations"):
        assert key in data
    assert data["year"] == 2023 and data["rubric"] == "iid-2023"
    assert data["innovations"][0] == {"id": "INV-001", "maturity": 80.0,
                                      "maturity_source": "evidence", "counted": True,
                                      "verification_status": "accepted"}
    assert data["spd_source"] == "indicators" and data["lower_bound"] is False
