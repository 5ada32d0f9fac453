"""Gap analysis, the floor what-if and the improvement plan."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.iid.engine import score
from evalkit.iid.gaps import floor_effect, indicator_gaps, weakest_innovations
from evalkit.iid.plan import apply_plan, improvement_plan, load_costs, resolve_target
from evalkit.iid.rubric import load_rubric
from evalkit.iid.synth import innovations_with, national, region_levels
from evalkit.issues import InputError

RUBRICS = Path(__file__).resolve().parents[2] / "src" / "evalkit" / "iid" / "rubrics"


@pytest.fixture(scope="module")
def r25():
    return load_rubric(RUBRICS / "iid-2025.yaml")


@pytest.fixture(scope="module")
def r23():
    return load_rubric(RUBRICS / "iid-2023.yaml")


def case(rubric, maturities=(80, 60, 40, 70, 90, 30, 55, 65), spd=1, mode="verified"):
    innovations, evidence = innovations_with(rubric, list(maturities))
    region = region_levels(rubric, spd)
    return region, innovations, evidence, score(rubric, region, innovations, evidence, mode)


def test_gaps_add_up_to_what_is_missing(r25):
    *_, result = case(r25)
    gaps = indicator_gaps(result)
    assert gaps["iid_lost"].sum() == pytest.approx(100 - result.summary.iloc[0]["iid"])
    assert gaps["iid_lost"].is_monotonic_decreasing
    assert set(gaps["kind"]) == {"spd", "sid", "empty_seats", "innovation_count"}
    seats = gaps.set_index("kind").loc["empty_seats"]
    assert seats["innovations_below_max"] == 12 - 8
    sid_35 = gaps[(gaps["kind"] == "sid") & (gaps["indicator"] == "35")].iloc[0]
    points = result.points[result.points["indicator"] == "35"]
    assert sid_35["lost_points"] == pytest.approx(points["lost_points"].sum())
    assert sid_35["iid_lost"] == pytest.approx(points["lost_points"].sum() / 12 / 2.5)


def test_gaps_name_the_basic_service_rule(r25):
    *_, result = case(r25, maturities=(50, 50), spd=3)  # covers 2 of the 6 affairs
    gaps = indicator_gaps(result).set_index("kind")
    assert gaps.loc["innovation_count", "note"] == "basic_services"
    assert gaps.loc["innovation_count", "lost_points"] == pytest.approx(76)


def test_gaps_for_many_regions(r25):
    regions, innovations, evidence = national(r25, regions=5, innovations=60, seed=1)
    result = score(r25, regions, innovations, evidence)
    gaps = indicator_gaps(result)
    lost = gaps.groupby("region_id")["iid_lost"].sum()
    expected = 100 - result.summary.set_index("region_id")["iid"]
    assert np.allclose(lost.sort_index(), expected.sort_index())


def test_weakest_innovations_are_below_the_mean(r23):
    *_, result = case(r23)
    weakest = weakest_innovations(result, k=3)
    mean = np.mean([80, 60, 40, 70, 90, 30, 55, 65])
    assert weakest["maturity"].tolist() == [30, 40, 55]
    assert weakest["gap"].tolist() == pytest.approx([mean - 30, mean - 40, mean - 55])
    assert weakest["iid_if_average"].iloc[0] == pytest.approx((mean - 30) / 10 / 2.5)


def test_floor_effect_below_and_above_the_floor(r23):
    *_, below = case(r23, maturities=(80, 60, 40))
    effect = floor_effect(below).set_index("scenario")
    typical = 60
    # below the floor D stays 10: the new innovation adds m/D plus 0.38 for the count
    assert effect.loc["add_typical", "delta_iid"] == pytest.approx((typical / 10 + 0.38) / 2.5)
    assert effect.loc["fill_floor", "n_counted"] == 10
    assert effect.loc["drop_weakest", "delta_iid"] == pytest.approx(-(40 / 10 + 0.38) / 2.5)
    assert effect.loc["add_typical", "break_even_maturity"] == 0

    region, innovations, evidence, above = case(r23, maturities=[90] * 12 + [20])
    effect = floor_effect(above).set_index("scenario")
    assert "fill_floor" not in effect.index
    assert effect.loc["drop_weakest", "delta_iid"] > 0  # the weak one pulls the average down
    need = effect.loc["add_typical", "break_even_maturity"]
    assert 0 < need < 111
    extra, extra_evidence = innovations_with(r23, [int(np.ceil(need))])
    extra["innovation_id"] = "NEW"
    extra_evidence["innovation_id"] = "NEW"
    after = score(r23, region, pd.concat([innovations, extra]),
                  pd.concat([evidence, extra_evidence]))
    assert after.summary.iloc[0]["iid"] >= above.summary.iloc[0]["iid"] - 1e-12


def rescore(rubric, region, innovations, evidence, plan, mode="verified", most=25):
    """(IIDs rescored at checkpoints, the plan's cumulative IID there): each checkpoint
    applies the steps since the previous one to the previous inputs. Every step is a
    checkpoint for plans of up to ``most`` steps."""
    n = len(plan.steps)
    marks = range(n + 1) if n <= most else sorted(set(np.linspace(0, n, most, dtype=int)))
    values, claimed, done = [], [], 0
    for mark in marks:
        if mark > done:
            part = dataclasses.replace(plan, steps=plan.steps.iloc[done:mark])
            region, evidence = apply_plan(part, region, evidence, mode)
            done = mark
        values.append(score(rubric, region, innovations, evidence, mode).summary.iloc[0]["iid"])
        claimed.append(plan.start_iid + plan.steps["gain"].iloc[:mark].sum())
    return np.array(values), np.array(claimed)


@pytest.mark.parametrize("actionable_only", [True, False])
def test_plan_reaches_the_next_predicate_with_gains_that_add_up(r25, actionable_only):
    region, innovations, evidence, result = case(r25)
    assert result.summary.iloc[0]["predicate"] == "Kurang Inovatif"
    plan = improvement_plan(result, "next", actionable_only=actionable_only)
    assert plan.reached and plan.target == pytest.approx(40.01)
    assert plan.target_key == "inovatif"
    values, claimed = rescore(r25, region, innovations, evidence, plan)
    assert values == pytest.approx(claimed, abs=1e-9)
    assert values[-1] == pytest.approx(plan.steps["iid_after"].iloc[-1], abs=1e-9)
    assert plan.steps["predicate"].iloc[-1] == "Inovatif"
    assert (plan.steps["predicate"].iloc[:-1] == "Kurang Inovatif").all()
    if actionable_only:
        macro = set(r25.indicators.loc[~r25.indicators["actionable"], "indicator"])
        assert not set(plan.steps["indicator"]) & macro


def test_plan_is_shortest(r25):
    *_, result = case(r25)
    plan = improvement_plan(result, "next", actionable_only=False)
    gains = plan.steps["gain"].to_numpy()
    need = plan.target - 0.005 - plan.start_iid
    assert gains.sum() >= need
    # no plan with one step fewer can reach: even the largest gains fall short
    assert gains[:-1].sum() < need
    assert list(gains) == sorted(gains, reverse=True)
    levels = plan.steps.groupby(["indicator", "innovation_id"])["from_level"]
    assert levels.apply(lambda s: list(s) == sorted(s) and s.diff().dropna().eq(1).all()).all()


def test_plan_prefers_claims_waiting_for_verification(r23):
    innovations, evidence = innovations_with(r23, [60, 60])
    evidence.loc[(evidence["innovation_id"] == "INV-002") & (evidence["indicator"] == "35"),
                 ["claimed_level", "verified_level"]] = [3, 1]
    region = region_levels(r23, 1)
    result = score(r23, region, innovations, evidence)
    plan = improvement_plan(result, 60.0, actionable_only=False)
    first_sid = plan.steps[plan.steps["aspect"] == "SID"].iloc[0]
    assert (first_sid["indicator"], first_sid["innovation_id"]) == ("35", "INV-002")
    assert bool(first_sid["claimed"])


def test_plan_targets(r25, r23):
    *_, result = case(r25)
    start = result.summary.iloc[0]["iid"]
    assert resolve_target(r25, start, "Sangat Inovatif") == (65.01, "sangat_inovatif")
    assert resolve_target(r25, start, "inovatif") == (40.01, "inovatif")
    assert resolve_target(r25, start, 30) == (30.0, None)
    assert resolve_target(r25, start, "45,5") == (45.5, None)
    with pytest.raises(ValueError, match="between 0 and 100"):
        resolve_target(r25, start, 140)
    with pytest.raises(ValueError, match="unknown predicate"):
        resolve_target(r25, start, "terinovatif")
    done = improvement_plan(result, 10.0)
    assert done.reached and done.steps.empty
    *_, perfect = case(r23, maturities=[111] * 10, spd=3)
    top = improvement_plan(perfect, "next")
    assert top.target is None and top.steps.empty and "top_band" in top.notes


def test_unreachable_target_says_so(r25):
    *_, result = case(r25, maturities=(50, 50), spd=0)  # basic services fail: count score 0
    plan = improvement_plan(result, "Sangat Inovatif", actionable_only=True)
    assert not plan.reached
    assert "basic_services_short" in plan.notes and "below_floor" in plan.notes
    assert plan.final_iid == pytest.approx(plan.steps["iid_after"].iloc[-1])


def test_costs_steer_the_plan_and_it_still_reaches(r25, tmp_path):
    region, innovations, evidence, result = case(r25)
    costs_file = tmp_path / "costs.csv"
    costs_file.write_text("indicator,cost,innovation_id\n12,50,\n26,0.1,\n33,4,INV-001\n",
                          encoding="utf-8")
    costs = load_costs(costs_file)
    plan = improvement_plan(result, "next", costs=costs)
    assert plan.reached
    assert "12" not in set(plan.steps["indicator"])  # expensive: avoided
    assert set(plan.steps.loc[plan.steps["indicator"] == "26", "cost"]) == {0.1}
    first_sid = plan.steps[plan.steps["aspect"] == "SID"].iloc[0]
    assert first_sid["indicator"] == "26"  # best gain per cost first
    values, claimed = rescore(r25, region, innovations, evidence, plan)
    assert values == pytest.approx(claimed, abs=1e-9)
    # no step can be dropped without missing the target
    need = plan.target - 0.005 - plan.start_iid
    assert plan.steps["gain"].sum() - plan.steps["gain"].min() < need
    assert plan.total_cost == pytest.approx(plan.steps["cost"].sum())


def test_cost_table_errors(tmp_path, r25):
    bad = tmp_path / "costs.csv"
    bad.write_text("indicator,cost\n16,-1\n17,abc\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_costs(bad)
    assert [i.row for i in info.value.errors] == [2, 3]
    missing = tmp_path / "nocost.csv"
    missing.write_text("indicator\n16\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a 'cost' column"):
        load_costs(missing)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("indicator,cost\n99,1\n", encoding="utf-8")
    *_, result = case(r25)
    with pytest.raises(InputError, match="indicator '99'"):
        improvement_plan(result, "next", costs=load_costs(unknown))


def test_plan_in_claimed_mode(r23):
    region, innovations, evidence, result = case(r23, mode="claimed", spd=0)
    plan = improvement_plan(result, "next", actionable_only=False)
    values, claimed = rescore(r23, region, innovations, evidence, plan, mode="claimed")
    assert values == pytest.approx(claimed, abs=1e-9)
    assert plan.reached


def test_plan_and_what_if_need_one_region(r25):
    regions, innovations, evidence = national(r25, regions=2, innovations=10)
    result = score(r25, regions, innovations, evidence)
    with pytest.raises(ValueError, match="one region"):
        improvement_plan(result)
    with pytest.raises(ValueError, match="one region"):
        floor_effect(result)
