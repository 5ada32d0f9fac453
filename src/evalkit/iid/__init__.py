"""The Regional Innovation Index (IID): rubric as data, scoring engine, lost points, the
improvement plan, and the IID report chapter (notebook ``02_iid``)."""

from evalkit.iid.engine import MODES, IIDResult, classify, round_half_up, score, summary_dict
from evalkit.iid.gaps import floor_effect, indicator_gaps, weakest_innovations
from evalkit.iid.plan import Plan, apply_plan, improvement_plan, load_costs
from evalkit.iid.rubric import Rubric, load_rubric, rubric_for
from evalkit.iid.workflow import IIDRun, open_rubric, run, to_json, write_artifacts

__all__ = [
    "MODES",
    "IIDResult",
    "IIDRun",
    "Plan",
    "Rubric",
    "apply_plan",
    "classify",
    "floor_effect",
    "improvement_plan",
    "indicator_gaps",
    "load_costs",
    "load_rubric",
    "open_rubric",
    "round_half_up",
    "rubric_for",
    "run",
    "score",
    "summary_dict",
    "to_json",
    "weakest_innovations",
    "write_artifacts",
]
