"""One year's IID work from params to artifacts: what notebook 02_iid and ``evalkit iid``
share, so the notebook holds no logic a test cannot reach."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.artifacts import write_table
from evalkit.config import RunParams
from evalkit.iid.engine import IIDResult, score, summary_dict
from evalkit.iid.gaps import floor_effect, indicator_gaps, weakest_innovations
from evalkit.iid.plan import Plan, improvement_plan, load_costs
from evalkit.iid.rubric import Rubric, default_rubric_path, rubric_for
from evalkit.inputs.validate import YearData, load_year

ARTIFACTS = ("iid_summary", "iid_region", "iid_points", "iid_innovations", "iid_gaps",
             "iid_weakest", "iid_floor", "iid_plan", "iid_claims")


@dataclass(frozen=True, eq=False)
class IIDRun:
    """A scored year: the result in the chosen mode, the other mode's index, and analyses."""

    rubric: Rubric
    result: IIDResult
    other: IIDResult  # the same year scored in the other mode (claimed vs verified)
    gaps: pd.DataFrame
    weakest: pd.DataFrame
    floor: pd.DataFrame
    plan: Plan


def open_rubric(params: RunParams) -> tuple[Rubric | None, str]:
    """The year's rubric, or (None, why) when the params name none and no file exists for the
    year: a year without IID rules skips the IID instead of failing the whole report. A rubric
    that is named or found but invalid raises :class:`InputError`."""
    if params.iid.rubric is None:
        path = default_rubric_path(params.source, params.year)
        if not path.is_file():
            return None, (f"no IID rubric for {params.year} (looked for {path}); set "
                          "'iid.rubric' in the params to score this year")
    return rubric_for(params), ""


def run(params: RunParams, year: YearData | None = None, mode: str | None = None,
        target: str | None = None, rubric: Rubric | None = None) -> IIDRun:
    """Score the params' year with its rubric and settings (``mode``/``target`` override)."""
    settings = params.iid
    rubric = rubric if rubric is not None else rubric_for(params)
    year = year if year is not None else load_year(params)
    mode = mode or settings.mode
    inputs = (rubric, year.region_indicators, year.innovations, year.evidence)
    result = score(*inputs, mode=mode)
    other = score(*inputs, mode="claimed" if mode == "verified" else "verified")
    costs = load_costs(settings.cost_table) if settings.cost_table is not None else None
    plan = improvement_plan(result, target or settings.plan_target, costs=costs,
                            actionable_only=settings.plan_actionable_only)
    return IIDRun(rubric, result, other, indicator_gaps(result), weakest_innovations(result),
                  floor_effect(result), plan)


def summary_row(done: IIDRun) -> pd.DataFrame:
    """The one-row ``iid_summary`` artifact: scores, both modes, rubric and the plan."""
    row = done.result.summary.copy()
    other = done.other.summary.iloc[0]
    row[f"iid_{done.other.mode}"] = float(other["iid"])
    row[f"predicate_{done.other.mode}"] = str(other["predicate"])
    row[f"predicate_key_{done.other.mode}"] = str(other["predicate_key"])
    row["rubric_version"] = done.rubric.version
    row["rubric_sha256"] = done.rubric.sha256
    row["spd_weight_variant"] = done.rubric.variant
    row["open_claims"] = int((done.result.claims["status"] != "innovation_rejected").sum())
    for key, value in done.plan.summary().items():
        row[key] = value
    row["plan_target"] = row["plan_target"].astype("float64")
    return row


def write_artifacts(done: IIDRun, out_dir: Path) -> list[Path]:
    """Write every IID artifact (see ``ARTIFACTS``) under ``out_dir/artifacts``."""
    result = done.result
    points = result.points.assign(indicator=result.points["indicator"].astype("str"),
                                  status=result.points["status"].astype("str"))
    tables = {
        "iid_summary": summary_row(done),
        "iid_region": result.region_points,
        "iid_points": points,
        "iid_innovations": result.innovations,
        "iid_gaps": done.gaps,
        "iid_weakest": done.weakest,
        "iid_floor": done.floor,
        "iid_plan": done.plan.steps,
        "iid_claims": result.claims,
    }
    return [write_table(frame, out_dir, name) for name, frame in tables.items()]


def to_json(done: IIDRun, lang: str = "id") -> dict[str, Any]:
    """What ``evalkit iid score --json`` prints."""
    data = summary_dict(done.result, lang)
    data[f"iid_{done.other.mode}"] = float(done.other.summary.iloc[0]["iid"])
    data["plan"] = {**done.plan.summary(), "steps": [
        {"indicator": s.indicator, "innovation_id": s.innovation_id, "from_level":
         int(s.from_level), "to_level": int(s.to_level), "gain": float(s.gain)}
        for s in done.plan.steps.itertuples(index=False)]}
    return data
