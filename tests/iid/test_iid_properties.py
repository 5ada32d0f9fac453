"""Properties of the IID engine and the improvement plan, on random regions (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.iid.engine import score
from evalkit.iid.plan import apply_plan, improvement_plan
from evalkit.iid.rubric import load_rubric

RUBRICS = Path(__file__).resolve().parents[2] / "src" / "evalkit" / "iid" / "rubrics"
RUBRIC = {y: load_rubric(RUBRICS / f"iid-{y}.yaml") for y in (2023, 2024, 2025)}
AFFAIRS = ["Pendidikan", "kesehatan", "PUPR", "Perkim", "Trantibum", "Sosial", "Pariwisata",
           None]
LEVEL = st.one_of(st.none(), st.integers(0, 3))
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def regions(draw, max_innovations: int = 16):
    """A random region: SPD levels (some missing), innovations with claimed and verified
    levels (some missing), statuses and affairs; and a scoring mode."""
    year = draw(st.sampled_from([2023, 2024, 2025]))
    rubric = RUBRIC[year]
    spd_rows = rubric.spd["indicator"].tolist()
    sid_rows = rubric.sid["indicator"].tolist()
    spd_levels = draw(st.lists(LEVEL, min_size=len(spd_rows), max_size=len(spd_rows)))
    region = pd.DataFrame([(r, lv) for r, lv in zip(spd_rows, spd_levels, strict=True)
                           if lv is not None], columns=["indicator", "level"])
    region["level"] = region["level"].astype("Int64")
    n = draw(st.integers(0, max_innovations))
    ids = [f"I{i}" for i in range(n)]
    innovations = pd.DataFrame({
        "innovation_id": ids,
        "affair": [draw(st.sampled_from(AFFAIRS)) for _ in ids],
        "verification_status": [draw(st.sampled_from(["accepted", "pending", "rejected", ""]))
                                 for _ in ids],
    })
    rows = []
    for inno in ids:
        levels = draw(st.lists(st.tuples(LEVEL, LEVEL), min_size=len(sid_rows),
                               max_size=len(sid_rows)))
        rows += [(inno, ind, claimed, verified)
                 for ind, (claimed, verified) in zip(sid_rows, levels, strict=True)
                 if claimed is not None]
    evidence = pd.DataFrame(rows, columns=["innovation_id", "indicator", "claimed_level",
                                           "verified_level"])
    for column in ("claimed_level", "verified_level"):
        evidence[column] = evidence[column].astype("Int64")
    mode = draw(st.sampled_from(["verified", "claimed"]))
    return rubric, region, innovations, evidence, mode


def iid(rubric, region, innovations, evidence, mode) -> float:
    return float(score(rubric, region, innovations, evidence, mode).summary.iloc[0]["iid"])


@SETTINGS
@given(case=regions(), data=st.data())
def test_raising_any_level_never_lowers_the_iid(case, data):
    rubric, region, innovations, evidence, mode = case
    before = iid(rubric, region, innovations, evidence, mode)
    assert 0.0 <= before <= 100.0
    column = "claimed_level" if mode == "claimed" else "verified_level"
    targets = ["spd"] + (["sid"] if len(evidence) else [])
    if data.draw(st.sampled_from(targets)) == "spd":
        row = data.draw(st.sampled_from(rubric.spd["indicator"].tolist()))
        hit = region["indicator"] == row
        current = int(region.loc[hit, "level"].iloc[0]) if hit.any() else 0
        if current == 3:
            return
        region = pd.concat([region[~hit], pd.DataFrame(
            {"indicator": [row], "level": pd.array([current + 1], dtype="Int64")})])
    else:
        position = data.draw(st.integers(0, len(evidence) - 1))
        current = evidence[column].iloc[position]
        current = 0 if pd.isna(current) else int(current)
        if current == 3:
            return
        evidence = evidence.copy()
        evidence.iloc[position, evidence.columns.get_loc(column)] = current + 1
    after = iid(rubric, region, innovations, evidence, mode)
    assert after >= before - 1e-12
    assert 0.0 <= after <= 100.0


@settings(SETTINGS, max_examples=30)
@given(case=regions(max_innovations=8),
       target=st.one_of(st.just("next"), st.floats(0, 100).map(lambda v: round(v, 2))))
def test_every_plan_step_gains_what_it_claims_and_the_plan_reaches_its_target(case, target):
    rubric, region, innovations, evidence, mode = case
    result = score(rubric, region, innovations, evidence, mode)
    plan = improvement_plan(result, target, actionable_only=False)
    if plan.target is None:  # already in the top band
        return
    # every level the data holds at 3 is the best any plan of level upgrades can do: SPD rows
    # never reported and innovations without evidence have no level to raise
    row = result.summary.iloc[0]
    reported = result.region_points[result.region_points["reported"]]
    known = result.innovations[result.innovations["counted"]
                               & (result.innovations["maturity_source"] == "evidence")]
    best = (reported["max_points"].sum() + len(known) * 111 / row["divisor"]
            + row["innovation_count_score"]) / rubric.max_total * 100
    reachable = np.floor(best * 100 + 0.5 + 1e-6) / 100 >= plan.target
    assert plan.reached == reachable or (plan.steps.empty and plan.reached)
    steps = plan.steps
    if steps.empty:
        return
    previous = float(result.summary.iloc[0]["iid"])
    applied_region, applied_evidence = region, evidence
    stride = max(1, len(steps) // 5)
    for start in range(0, len(steps), stride):
        part = steps.iloc[start:start + stride]
        applied_region, applied_evidence = apply_plan(
            replace(plan, steps=part), applied_region, applied_evidence, mode)
        now = iid(rubric, applied_region, innovations, applied_evidence, mode)
        assert now - previous == pytest.approx(part["gain"].sum(), abs=1e-9)
        assert now == pytest.approx(part["iid_after"].iloc[-1], abs=1e-9)
        previous = now
    if plan.reached:
        final = score(rubric, applied_region, innovations, applied_evidence, mode)
        assert final.summary.iloc[0]["iid_rounded"] >= plan.target - 1e-9
        # shortest: without its smallest step the plan would fall short
        assert plan.start_iid + steps["gain"].sum() - steps["gain"].min() < plan.target - 0.005


@SETTINGS
@given(case=regions())
def test_lost_points_account_for_everything_below_100(case):
    from evalkit.iid.gaps import indicator_gaps

    result = score(*case[:4], case[4])
    gaps = indicator_gaps(result)
    row = result.summary.iloc[0]
    to_index = 100 / result.rubric.max_total
    # what the data does not show has no loss figure: SPD rows never reported, and
    # innovations of unknown maturity (no evidence rows)
    unreported = result.region_points.loc[~result.region_points["reported"], "max_points"]
    unknown = int(row["n_maturity_unknown"]) * 111 / row["divisor"]
    shown = gaps["iid_lost"].sum()
    assert shown + (unreported.sum() + unknown) * to_index == pytest.approx(
        100 - row["iid"], abs=1e-9)
    assert (gaps["iid_lost"].dropna() >= -1e-12).all()
    assert gaps.loc[gaps["iid_lost"].isna(), "note"].eq("not_reported").all()
