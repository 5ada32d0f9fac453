"""Improvement plan: the fewest single-level upgrades that lift the IID to a target.

Once the set of counted innovations is fixed, the divisor D is fixed, so the IID is linear
in the levels: raising one SPD row one level adds ``weight / max_total × 100`` and raising
one SID indicator of one innovation adds ``weight / D / max_total × 100``, whatever the
current level. The shortest plan is therefore the largest gains first (an exchange argument:
any plan of k steps gains at most the k largest gains). With a cost table the problem is a
covering knapsack; the plan is then greedy by gain per cost, followed by a check that drops
steps no longer needed and tries a cheaper single last step. That is usually, but not
provably, the cheapest plan; it always reaches the target when the target is reachable.

A plan only proposes what the data supports: a step raises a level the data holds. SPD rows
that were never reported, and innovations whose maturity is only the IID application's total
or unknown, have no level to raise, so they give no step (notes ``no_levels`` when nothing is
left, ``lower_bound`` when the index itself is a lower bound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.iid.engine import IIDResult, classify, predicate_labels, round_half_up
from evalkit.iid.rubric import Rubric
from evalkit.inputs.read import read_csv
from evalkit.issues import InputError, Issue

PLAN_COLUMNS = ["step", "aspect", "indicator", "name", "name_en", "innovation_id", "title",
                "from_level", "to_level", "claimed", "gain", "cost", "iid_after",
                "iid_after_rounded", "predicate_key", "predicate"]
EPSILON = 1e-9


@dataclass(frozen=True, eq=False)
class Plan:
    """An ordered list of upgrades; ``target`` is the rounded index to reach."""

    steps: pd.DataFrame
    start_iid: float
    target: float | None
    target_key: str | None
    reached: bool
    final_iid: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total_cost(self) -> float:
        return float(self.steps["cost"].sum()) if len(self.steps) else 0.0

    def summary(self) -> dict[str, Any]:
        """Plain values describing the plan (for the summary artifact and JSON)."""
        return {"plan_target": self.target, "plan_target_key": self.target_key or "",
                "plan_reached": self.reached, "plan_steps": len(self.steps),
                "plan_cost": self.total_cost, "plan_final_iid": self.final_iid,
                "plan_notes": ";".join(self.notes)}


def resolve_target(rubric: Rubric, current_iid: float,
                   target: str | float | None) -> tuple[float | None, str | None]:
    """A target as (rounded index to reach, band key or None).

    ``"next"`` (or None) is the band above the current one; a band key or label names a
    predicate; a number is an index value. At the top band, "next" has no target.
    """
    if target is None or (isinstance(target, str) and target.strip().lower() == "next"):
        key = classify(rubric, current_iid)
        keys = [b.key for b in rubric.bands]
        position = keys.index(key)
        if position + 1 >= len(keys):
            return None, None
        band = rubric.bands[position + 1]
        return band.min, band.key
    if isinstance(target, int | float) and not isinstance(target, bool):
        value = float(target)
    else:
        try:
            value = float(str(target).replace(",", "."))
        except ValueError:
            band = rubric.find_band(str(target))
            return band.min, band.key
    if not 0 <= value <= 100:
        raise ValueError(f"an IID target must be between 0 and 100, got {value:g}")
    return value, None


def load_costs(path: str | Path) -> pd.DataFrame:
    """A cost table: ``indicator``, ``cost`` (> 0, per single-level step) and optional
    ``innovation_id`` (empty = every innovation). Errors name the file, row and column."""
    raw, issues = read_csv(Path(path), str(path))
    if raw is None:
        raise InputError(issues)
    header = [h.strip().lower() for h in raw.header]
    for required in ("indicator", "cost"):
        if required not in header:
            raise InputError([Issue("error", f"cost table needs a '{required}' column",
                                    file=str(path), row=1, column=required, code="iid-costs")])
    rows, problems = [], []
    for offset, cells in enumerate(raw.rows):
        cells = cells + [""] * (len(header) - len(cells))
        record = dict(zip(header, (c.strip() for c in cells), strict=False))
        if not any(record.values()):
            continue
        row = raw.first_row + offset
        try:
            cost = float(record["cost"].replace(",", "."))
        except ValueError:
            cost = math.nan
        if not math.isfinite(cost) or cost <= 0:
            problems.append(Issue("error", f"cost must be a positive number, got "
                                           f"'{record['cost']}'", file=str(path), row=row,
                                  column="cost", code="iid-costs"))
        rows.append({"indicator": record["indicator"].lower(),
                     "innovation_id": record.get("innovation_id", ""), "cost": cost,
                     "_row": row})
    if problems:
        raise InputError(problems)
    return pd.DataFrame(rows, columns=["indicator", "innovation_id", "cost", "_row"])


def _candidates(result: IIDResult, actionable_only: bool) -> pd.DataFrame:
    """Every available single-level upgrade (one row per step) with its IID gain."""
    rubric = result.rubric
    summary = result.summary.iloc[0]
    to_index = 100.0 / rubric.max_total
    meta = rubric.indicators.set_index("indicator")
    region = result.region_points[result.region_points["reported"]]
    spd = region.assign(innovation_id="", claimed_level=np.nan,
                        gain=region["weight"] * to_index)
    sid_points = result.points.assign(indicator=result.points["indicator"].astype("str"))
    sid = sid_points.assign(
        gain=sid_points["weight"] / float(summary["divisor"]) * to_index,
        claimed_level=sid_points["claimed_level"].astype("float64"))
    cells = pd.concat([
        spd[["indicator", "innovation_id", "level", "claimed_level", "gain"]].assign(
            aspect="SPD"),
        sid[["indicator", "innovation_id", "level", "claimed_level", "gain"]].assign(
            aspect="SID")], ignore_index=True)
    cells["actionable"] = cells["indicator"].map(meta["actionable"]).astype(bool)
    cells = cells[cells["level"] < 3]
    if actionable_only:
        cells = cells[cells["actionable"]]
    cells = cells.reset_index(drop=True)
    units = (3 - cells["level"]).to_numpy(dtype="int64")
    steps = cells.loc[cells.index.repeat(units)].copy()
    offset = steps.groupby(level=0).cumcount().to_numpy()
    steps["from_level"] = steps["level"].to_numpy() + offset
    steps["to_level"] = steps["from_level"] + 1
    steps["claimed"] = steps["claimed_level"].fillna(-1).to_numpy() >= steps["to_level"]
    steps["cell"] = steps.index.to_numpy()
    steps["order"] = steps["indicator"].map(meta["order"]).astype("int64")
    return steps.reset_index(drop=True)


def _attach_costs(steps: pd.DataFrame, costs: pd.DataFrame | None, default_cost: float,
                  rubric: Rubric) -> pd.DataFrame:
    steps = steps.assign(cost=float(default_cost))
    if costs is None or costs.empty:
        return steps
    known = set(rubric.indicators["indicator"])
    unknown = sorted(set(costs["indicator"]) - known)
    if unknown:
        raise InputError([Issue("error", f"cost table names indicator '{u}', which rubric "
                                         f"{rubric.id} does not have", column="indicator",
                                code="iid-costs") for u in unknown])
    general = costs[costs["innovation_id"] == ""].drop_duplicates("indicator", keep="last")
    specific = costs[costs["innovation_id"] != ""].drop_duplicates(
        ["indicator", "innovation_id"], keep="last")
    by_indicator = steps["indicator"].map(general.set_index("indicator")["cost"])
    key = pd.MultiIndex.from_frame(steps[["indicator", "innovation_id"]])
    lookup = specific.set_index(["indicator", "innovation_id"])["cost"]
    by_cell = pd.Series(lookup.reindex(key).to_numpy(), index=steps.index)
    steps["cost"] = by_cell.fillna(by_indicator).fillna(float(default_cost)).astype("float64")
    return steps


def _reaches(rubric: Rubric, values: np.ndarray, target: float) -> np.ndarray:
    return np.atleast_1d(round_half_up(values, rubric.digits)) >= target - EPSILON


def improvement_plan(result: IIDResult, target: str | float | None = "next",
                     costs: pd.DataFrame | None = None, actionable_only: bool = True,
                     default_cost: float = 1.0) -> Plan:
    """The shortest (or, with ``costs``, cheapest found) sequence of single-level upgrades
    that lifts the rounded index to ``target``; see the module docstring for the method.

    Steps already claimed but not yet verified (``claimed``) come first among equal gains:
    their evidence exists. ``actionable_only`` leaves out macro-outcome SPD rows the rubric
    marks ``actionable: false``.
    """
    if result.multi_region:
        raise ValueError("improvement_plan() is for one region at a time")
    rubric = result.rubric
    start = float(result.summary.iloc[0]["iid"])
    goal, goal_key = resolve_target(rubric, start, target)
    notes = _notes(result)
    empty = pd.DataFrame(columns=PLAN_COLUMNS)
    if goal is None:
        return Plan(empty, start, None, None, True, start, (*notes, "top_band"))
    if _reaches(rubric, np.array([start]), goal)[0]:
        return Plan(empty, start, goal, goal_key, True, start, notes)
    candidates = _candidates(result, actionable_only)
    if candidates.empty:
        return Plan(empty, start, goal, goal_key, False, start, (*notes, "no_levels"))
    steps = _attach_costs(candidates, costs, default_cost, rubric)
    weighted = costs is not None and not costs.empty
    steps["ratio"] = steps["gain"] / steps["cost"]
    steps = steps.sort_values(
        ["ratio", "gain", "claimed", "aspect", "order", "innovation_id", "from_level"],
        ascending=[False, False, False, False, True, True, True], kind="stable")
    steps = steps.reset_index(drop=True)
    reached_at = np.flatnonzero(_reaches(rubric, start + steps["gain"].cumsum().to_numpy(),
                                         goal))
    if len(reached_at) == 0:
        chosen = steps
        reached = False
    else:
        chosen = steps.iloc[: reached_at[0] + 1]
        if weighted:
            chosen = _cheaper(rubric, steps, chosen, start, goal)
        reached = True
    return _emit(result, chosen, start, goal, goal_key, reached, notes)


def _cheaper(rubric: Rubric, steps: pd.DataFrame, chosen: pd.DataFrame, start: float,
             goal: float) -> pd.DataFrame:
    """Final check of the cost-weighted greedy plan (documented heuristic, not exact)."""
    def ok(frame: pd.DataFrame) -> bool:
        return bool(_reaches(rubric, np.array([start + frame["gain"].sum()]), goal)[0])

    # 1. The greedy prefix without its last step, plus the cheapest single step that closes
    #    the remaining gap (a cell's next level only).
    head = chosen.iloc[:-1]
    taken = head.groupby("cell").size()
    rest = steps.drop(index=chosen.index)
    nxt = rest[rest["from_level"] == rest["level"] + rest["cell"].map(taken).fillna(0)
               .astype("int64")]
    closing = nxt[_reaches(rubric, start + head["gain"].sum() + nxt["gain"].to_numpy(), goal)]
    if len(closing):
        best = closing.sort_values(["cost", "gain"], ascending=[True, False],
                                   kind="stable").iloc[:1]
        if best["cost"].sum() + head["cost"].sum() < chosen["cost"].sum() - EPSILON:
            chosen = pd.concat([head, best])
    # 2. Drop steps that are no longer needed, most expensive first (a cell's top level).
    changed = True
    while changed:
        changed = False
        tops = chosen.sort_values("from_level").groupby("cell").tail(1)
        for index in tops.sort_values(["cost", "gain"], ascending=[False, True]).index:
            trial = chosen.drop(index=index)
            if ok(trial):
                chosen = trial
                changed = True
                break
    return chosen


def _notes(result: IIDResult) -> tuple[str, ...]:
    row = result.summary.iloc[0]
    notes = []
    required = row["basic_services_required"]
    if pd.notna(required) and row["basic_services_covered"] < required:
        notes.append("basic_services_short")
    if row["n_counted"] < row["floor"]:
        notes.append("below_floor")
    if bool(row.get("lower_bound", False)):
        notes.append("lower_bound")
    return tuple(notes)


def _emit(result: IIDResult, chosen: pd.DataFrame, start: float, goal: float,
          goal_key: str | None, reached: bool, notes: tuple[str, ...]) -> Plan:
    rubric = result.rubric
    meta = rubric.indicators.set_index("indicator")
    titles = result.innovations.set_index("innovation_id")["title"]
    out = chosen.reset_index(drop=True)
    iid_after = start + out["gain"].cumsum().to_numpy()
    keys = classify(rubric, iid_after) if len(out) else np.array([], dtype=object)
    steps = pd.DataFrame({
        "step": np.arange(1, len(out) + 1),
        "aspect": out["aspect"].to_numpy(),
        "indicator": out["indicator"].to_numpy(),
        "name": out["indicator"].map(meta["name"]).to_numpy(),
        "name_en": out["indicator"].map(meta["name_en"]).to_numpy(),
        "innovation_id": out["innovation_id"].to_numpy(),
        "title": out["innovation_id"].map(titles).astype("str").fillna("").to_numpy(),
        "from_level": out["from_level"].to_numpy(dtype="int64"),
        "to_level": out["to_level"].to_numpy(dtype="int64"),
        "claimed": out["claimed"].to_numpy(dtype=bool),
        "gain": out["gain"].to_numpy(dtype="float64"),
        "cost": out["cost"].to_numpy(dtype="float64"),
        "iid_after": iid_after,
        "iid_after_rounded": np.atleast_1d(round_half_up(iid_after, rubric.digits)),
        "predicate_key": keys,
        "predicate": predicate_labels(rubric, list(keys)),
    }, columns=PLAN_COLUMNS)
    final = float(iid_after[-1]) if len(out) else start
    return Plan(steps, start, goal, goal_key, reached, final, notes)


def apply_plan(plan: Plan, region_indicators: pd.DataFrame, evidence: pd.DataFrame,
               mode: str = "verified", steps: int | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Inputs as they would be after the first ``steps`` steps (all by default).

    SPD steps set the region level; SID steps set the verified level (and raise the claim
    to match) in verified mode, or the claimed level in claimed mode.
    """
    todo = plan.steps if steps is None else plan.steps.iloc[:steps]
    region = region_indicators.copy()
    evidence = evidence.copy()
    for step in todo.itertuples(index=False):
        if step.aspect == "SPD":
            hit = region["indicator"].astype("str") == step.indicator
            if hit.any():
                region.loc[hit, "level"] = step.to_level
            else:
                region = pd.concat([region, pd.DataFrame(
                    {"indicator": [step.indicator], "level": [step.to_level]})],
                    ignore_index=True)
            continue
        hit = ((evidence["innovation_id"].astype("str") == step.innovation_id)
               & (evidence["indicator"].astype("str") == step.indicator))
        if not hit.any():
            row = {"innovation_id": step.innovation_id, "indicator": step.indicator,
                   "claimed_level": 0, "verified_level": pd.NA}
            evidence = pd.concat([evidence, pd.DataFrame([row])], ignore_index=True)
            hit = ((evidence["innovation_id"].astype("str") == step.innovation_id)
                   & (evidence["indicator"].astype("str") == step.indicator))
        claimed = pd.to_numeric(evidence.loc[hit, "claimed_level"]).fillna(0)
        if mode == "claimed":
            evidence.loc[hit, "claimed_level"] = step.to_level
        else:
            evidence.loc[hit, "verified_level"] = step.to_level
            evidence.loc[hit, "claimed_level"] = np.maximum(claimed, step.to_level)
    region["level"] = pd.to_numeric(region["level"]).astype("Int64")
    for column in ("claimed_level", "verified_level"):
        if column in evidence.columns:
            evidence[column] = pd.to_numeric(evidence[column]).astype("Int64")
    return region, evidence
