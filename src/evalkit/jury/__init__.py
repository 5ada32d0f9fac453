"""The jury of the lomba inovasi: rubric, panel and conflicts, rounds and shortlists, score
sheets (signed, print-ready, read from .xlsx or .ods) and store, aggregation, agreement, rank
robustness, the masa sanggah, the notebook form, and the jury chapter (notebook ``04_jury``)."""

from evalkit.jury.aggregate import METHODS, ranking, stage_scores
from evalkit.jury.form import build_form
from evalkit.jury.reliability import agreement
from evalkit.jury.resampling import robustness, verdict
from evalkit.jury.rubric import JuryRubric, load_rubric
from evalkit.jury.store import JuryStore
from evalkit.jury.workflow import (
    Jury,
    Outcome,
    ScoreChange,
    compute,
    current_state,
    decide_objection,
    file_objection,
    import_sheets,
    load_jury,
    make_sheets,
    method_ranks,
    open_jury,
    publish_provisional,
    write_artifacts,
)

__all__ = [
    "METHODS",
    "Jury",
    "JuryRubric",
    "JuryStore",
    "Outcome",
    "ScoreChange",
    "agreement",
    "build_form",
    "compute",
    "current_state",
    "decide_objection",
    "file_objection",
    "import_sheets",
    "load_jury",
    "load_rubric",
    "make_sheets",
    "method_ranks",
    "open_jury",
    "publish_provisional",
    "ranking",
    "robustness",
    "stage_scores",
    "verdict",
    "write_artifacts",
]
