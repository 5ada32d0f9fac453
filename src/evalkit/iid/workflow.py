"""One year's IID work from params to artifacts: what notebook 02_iid and ``evalkit iid``
share, so the notebook holds no logic a test cannot reach."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.artifacts import write_table
from evalkit.config import RunParams
from evalkit.iid.engine import IIDResult, indicator_issues, score, summary_dict
from evalkit.iid.gaps import floor_effect, indicator_gaps, weakest_innovations
from evalkit.iid.plan import PLAN_COLUMNS, Plan, improvement_plan, load_costs
from evalkit.iid.rubric import Rubric, default_rubric_path, rubric_for
from evalkit.inputs.validate import YearData, load_year
from evalkit.issues import InputError, Issue

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
    report_year: int = 0  # the year the report is about (a rubric of another year: a warning)
    status_given: bool = True  # whether the innovations table had a status column


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


def input_issues(params: RunParams, year: YearData) -> list[Issue]:
    """What the IID notebook would refuse, found before any kernel starts: a rubric that
    cannot be read, and indicators of the year's tables that the rubric does not score
    (a heading row such as '2' of '2a', '2b' included), each located in the data."""
    return (rubric_issues(params, year.region_indicators, year.evidence)
            + cost_table_issues(params))


def cost_table_issues(params: RunParams) -> list[Issue]:
    """The problems of the params' ``iid.cost_table`` (none when it is not given)."""
    if "iid" not in params.report.chapters or params.iid.cost_table is None:
        return []
    try:
        load_costs(params.iid.cost_table)
    except InputError as exc:
        return exc.issues
    return []


def rubric_issues(params: RunParams, region_indicators: pd.DataFrame, evidence: pd.DataFrame,
                  *, other_year: bool = False) -> list[Issue]:
    """The rubric's problems and the data's indicators it does not score; with
    ``other_year`` also a warning when the rubric is of another year than the report."""
    if "iid" not in params.report.chapters:
        return []
    try:
        rubric, _ = open_rubric(params)
    except InputError as exc:
        return exc.issues
    if rubric is None:
        return []
    found = rubric_year_issue(rubric, params.year) if other_year else None
    return ([found] if found is not None else []) + indicator_issues(
        rubric, region_indicators, evidence)


def run(params: RunParams, year: YearData | None = None, mode: str | None = None,
        target: str | None = None, rubric: Rubric | None = None) -> IIDRun:
    """Score the params' year with its rubric and settings (``mode``/``target`` override)."""
    settings = params.iid
    rubric = rubric if rubric is not None else rubric_for(params)
    year = year if year is not None else load_year(params)
    mode = mode or settings.mode
    inputs = (rubric, year.region_indicators, year.innovations, year.evidence)
    status_given = not year.columns or year.given("innovations", "verification_status")
    result = score(*inputs, mode=mode, spd_total=settings.spd_total)
    if not result.innovations["counted"].any():  # nothing to score: a user's data, not a bug
        n = len(result.innovations)
        raise InputError([Issue("error", f"none of the year's {n} innovation(s) counts for the "
                                "IID (a rejected innovation does not count); check "
                                "verification_status", file=str(params.year_dir),
                                column="verification_status", code="iid:none-counted")])
    other = score(*inputs, mode="claimed" if mode == "verified" else "verified",
                  spd_total=settings.spd_total)
    if not bool(result.summary.iloc[0]["computable"]):
        start = float(result.summary.iloc[0]["iid"])
        empty = pd.DataFrame(columns=PLAN_COLUMNS)
        plan = Plan(empty, start, None, None, False, start, ("not_computable",))
        return IIDRun(rubric, result, other, indicator_gaps(result).iloc[:0],
                      weakest_innovations(result).iloc[:0], floor_effect(result).iloc[:0], plan,
                      params.year, status_given)
    costs = load_costs(settings.cost_table) if settings.cost_table is not None else None
    plan = improvement_plan(result, target or settings.plan_target, costs=costs,
                            actionable_only=settings.plan_actionable_only)
    return IIDRun(rubric, result, other, indicator_gaps(result), weakest_innovations(result),
                  floor_effect(result), plan, params.year, status_given)


def summary_row(done: IIDRun) -> pd.DataFrame:
    """The one-row ``iid_summary`` artifact: scores, both modes, rubric and the plan."""
    row = done.result.summary.copy()
    other = done.other.summary.iloc[0]
    row[f"iid_{done.other.mode}"] = float(other["iid"])
    row[f"predicate_{done.other.mode}"] = str(other["predicate"])
    row[f"predicate_key_{done.other.mode}"] = str(other["predicate_key"])
    row["rubric_version"] = done.rubric.version
    row["report_year"] = done.report_year or int(done.rubric.year)
    row["status_given"] = done.status_given
    row["spd_rows"] = len(done.rubric.spd)
    row["n_draft"] = int((done.result.innovations["verification_status"] == "draft").sum())
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


def rubric_year_issue(rubric: Rubric, year: int) -> Issue | None:
    """A warning when the rubric is of another year than the report (its rules may differ)."""
    if rubric.year == year:
        return None
    return Issue("warning", f"the IID rubric {rubric.id} is for {rubric.year}, the report for "
                            f"{year}: the year's rules (floor, bands, basic-service rule) may "
                            "differ; name that year's rubric in iid.rubric when it exists",
                 file=str(rubric.path), code="rubric-year", value=str(rubric.year),
                 args=(("rubric", rubric.id), ("rubric_year", str(rubric.year)),
                       ("year", str(year))))


def to_json(done: IIDRun, lang: str = "id") -> dict[str, Any]:
    """What ``evalkit iid score --json`` prints."""
    data = summary_dict(done.result, lang)
    other = done.other.summary.iloc[0]
    data[f"iid_{done.other.mode}"] = float(other["iid"]) if data["computable"] else None
    data["report_year"] = done.report_year or data["year"]
    data["plan"] = {**done.plan.summary(), "steps": [
        {"indicator": s.indicator, "innovation_id": s.innovation_id, "from_level":
         int(s.from_level), "to_level": int(s.to_level), "gain": float(s.gain)}
        for s in done.plan.steps.itertuples(index=False)]}
    return data
