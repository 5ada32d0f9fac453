"""Which scores count: the raw table, overridden juror by juror by the score store.

Also the one check of a single score value (number, in the scale's range, whole if the
rubric says so), shared by the raw table, the sheet import and the notebook form so the
three can never disagree about what a valid score is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evalkit.i18n import Translator
from evalkit.issues import Issue, as_written
from evalkit.jury.panel import DECLARED, RECUSAL_COLUMNS
from evalkit.jury.rubric import JuryRubric, Stage, text
from evalkit.jury.store import SCORE_COLUMNS, JuryStore


def score_fault(value: object, rubric: JuryRubric) -> tuple[str, dict[str, str]] | None:
    """Why ``value`` is not a valid score, as (code, fields), or None. Empty is the caller's.

    Codes: ``not_number``, ``outside``, ``not_whole`` (texts in ``jury.check.*``).
    """
    shown = str(value).strip() if isinstance(value, str) else value
    if isinstance(value, bool):
        return "not_number", {"value": str(value)}
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return "not_number", {"value": str(shown)}
    if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
        # a date or a time typed into a score cell reads as the juror wrote it, not as a repr
        return "not_number", {"value": as_written(shown).strip("'")}
    lo, hi = rubric.scale_min, rubric.scale_max
    if not lo <= value <= hi:
        return "outside", {"value": f"{value:g}", "min": f"{lo:g}", "max": f"{hi:g}"}
    if rubric.integer and not float(value).is_integer():
        return "not_whole", {"value": f"{value:g}"}
    return None


ENGLISH_FAULTS = {"not_number": "not a number: {value!r}",
                  "outside": "score {value} is outside the scale {min}-{max}",
                  "not_whole": "score {value} must be a whole number"}


def score_problem(value: object, rubric: JuryRubric) -> str | None:
    """Why ``value`` is not a valid score, in English (the raw-table checks), or None."""
    fault = score_fault(value, rubric)
    if fault is None:
        return None
    code, fields = fault
    return ENGLISH_FAULTS[code].format(**fields)


def as_score(value: object) -> float:
    """A validated score as float (accepts a decimal comma in text)."""
    if isinstance(value, str):
        return float(value.strip().replace(",", "."))
    return float(value)  # type: ignore[arg-type]


def _text_column(frame: pd.DataFrame, name: str) -> pd.Series | str:
    """A text column with missing cells as "" (never the string 'nan')."""
    if name not in frame:
        return ""
    # each distinct value once: a stage or note column repeats a few values many times
    codes, uniques = pd.factorize(frame[name].astype(object), use_na_sentinel=True)
    cleaned = np.array([str(v).strip() for v in uniques] + [""], dtype=object)
    return pd.Series(cleaned[codes], index=frame.index, dtype=object)


def normalise_stage(scores: pd.DataFrame, rubric: JuryRubric) -> pd.DataFrame:
    """An empty stage means the rubric's default stage; an empty note is ""."""
    frame = scores.copy()
    frame["stage"] = _text_column(frame, "stage")
    frame.loc[frame["stage"] == "", "stage"] = rubric.default_stage
    frame["note"] = _text_column(frame, "note")
    return frame


def check_raw_scores(scores: pd.DataFrame, rubric: JuryRubric) -> list[Issue]:
    """Problems in the raw jury_scores table against the rubric (stage, criterion, range)."""
    issues: list[Issue] = []
    stages = {s.id: set(s.criterion_ids) for s in rubric.stages}
    n = len(scores)

    def column(name: str) -> list[object]:
        return scores[name].tolist() if name in scores else [None] * n

    problems: dict[tuple[str, str], str | None] = {}  # a score column repeats few values
    sources, sheets, rows = column("_source"), column("_sheet"), column("_row")
    for i, (stage, criterion, score) in enumerate(zip(
            column("stage"), column("criterion"), column("score"), strict=True)):
        key = (type(score).__name__, str(score))
        if key not in problems:
            problems[key] = score_problem(score, rubric)
        problem = problems[key]
        known_stage = stage in stages
        if known_stage and criterion in stages[stage] and not problem:
            continue
        where = {"file": str(sources[i] or ""), "sheet": str(sheets[i] or ""),
                 "row": None if pd.isna(rows[i]) else int(rows[i])}
        if not known_stage:
            issues.append(Issue("error", f"unknown stage {stage!r}; rubric stages: "
                                         f"{', '.join(stages)}", column="stage",
                                code="jury-stage", **where))
        elif criterion not in stages[stage]:
            known = ", ".join(sorted(stages[stage]))
            issues.append(Issue("error", f"unknown criterion {criterion!r}; rubric "
                                         f"criteria: {known}", column="criterion",
                                code="jury-criterion", **where))
        if problem:
            issues.append(Issue("error", problem, column="score", code="jury-score", **where))
    return issues


def effective_scores(raw: pd.DataFrame, store: JuryStore | None, rubric: JuryRubric,
                     conflict_table: pd.DataFrame, juror_ids: list[str]
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Scores that count, the full recusal table, and warnings.

    A juror found in the store is taken wholly from the store; others from the raw table.
    Scores on a conflicted entry are dropped (and reported): a recusal never counts, and
    it never counts as zero either.
    """
    raw = normalise_stage(raw, rubric)
    stored_jurors = set(store.jurors()) if store is not None else set()
    from_raw = raw[~raw["juror_id"].isin(stored_jurors)].copy()
    from_raw["origin"] = "data"
    parts = [from_raw]
    declared = pd.DataFrame(columns=RECUSAL_COLUMNS)
    if store is not None and stored_jurors:
        stored = store.scores()
        stored["origin"] = "store"
        parts.append(stored)
        declared = store.recusals()
    scores = pd.concat([p for p in parts if not p.empty] or [from_raw], ignore_index=True)
    scores = scores[scores["juror_id"].isin(juror_ids)]
    issues: list[Issue] = []
    blocked = set(zip(conflict_table["juror_id"], conflict_table["innovation_id"], strict=True))
    hit = [(j, e) in blocked for j, e in zip(scores["juror_id"], scores["innovation_id"],
                                             strict=True)]
    for (juror, entry), _ in scores[hit].groupby(["juror_id", "innovation_id"]):
        issues.append(Issue("warning", f"juror {juror} scored {entry} from their own unit; the "
                                       "scores are ignored (conflict of interest)",
                            code="jury-conflict"))
    scores = scores[[not h for h in hit]]
    declared = declared.assign(reason_code=DECLARED) if not declared.empty else declared
    recusals = pd.concat([d for d in (conflict_table, declared) if not d.empty]
                         or [conflict_table], ignore_index=True)
    recusals = recusals[recusals["juror_id"].isin(juror_ids)]
    keep = [*SCORE_COLUMNS, "origin", *[c for c in ("_source", "_sheet", "_row") if c in scores]]
    scores = scores[keep].sort_values(["stage", "juror_id", "innovation_id", "criterion"])
    return (scores.reset_index(drop=True),
            recusals.sort_values(["juror_id", "innovation_id"]).reset_index(drop=True), issues)


@dataclass
class SubmittedRow:
    """One entry as a juror submitted it (a sheet row or the notebook form).

    ``values`` maps criterion id to the raw value (None or blank = empty); ``columns`` maps
    criterion ids and ``innovation_id`` to a column label for error messages.
    """

    innovation_id: str
    values: dict[str, object]
    note: str = ""
    recuse: str = ""
    row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def check_submission(rows: list[SubmittedRow], *, stage: Stage, rubric: JuryRubric,
                     assigned: list[str], conflicted: dict[str, str], t: Translator,
                     file: str = "", sheet: str = "",
                     expected_rows: dict[str, int] | None = None,
                     competing: set[str] | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Check one juror's submission for one stage; return (scores, recusals, issues).

    Every assigned entry must be there exactly once, and each either fully scored within the
    scale or marked as a conflict (with a reason and no scores). Entries not assigned to the
    juror are refused, with the conflict named when the entry is from the juror's own unit,
    and said to be out of this stage when it competes but was not shortlisted for it.
    Messages are in ``t``'s language and name the entry and the criterion by their labels.
    """
    issues: list[Issue] = []
    scores: list[dict[str, object]] = []
    recusals: list[dict[str, object]] = []
    seen: dict[str, int | None] = {}
    assigned_set = set(assigned)
    names = {c.id: text(c.name, t.lang) for c in stage.criteria}
    stage_name = text(stage.name, t.lang)
    columns = rows[0].columns if rows else {}

    def error(key: str, row: int | None, column: str, code: str, **fields: object) -> None:
        issues.append(Issue("error", t(f"jury.check.{key}", **fields), file=file, sheet=sheet,
                            row=row, column=column, code=code,
                            args=tuple((k, str(v)) for k, v in fields.items())))

    for item in rows:
        entry, where = item.innovation_id, item.columns.get("innovation_id", "")
        if entry in seen:
            first = seen[entry]
            error("duplicate_at" if first else "duplicate", item.row, where, "jury-duplicate",
                  entry=entry, first=first or "")
            continue
        seen[entry] = item.row
        if entry not in assigned_set:
            if entry in conflicted:
                error("conflict", item.row, where, "jury-conflict", entry=entry,
                      unit=conflicted[entry])
            elif competing is not None and entry in competing:
                error("not_in_stage", item.row, where, "jury-not-shortlisted", entry=entry,
                      stage=stage_name)
            else:
                error("foreign", item.row, where, "jury-foreign-entry", entry=entry)
            continue
        filled = {c: v for c, v in item.values.items() if not _blank(v)}
        if item.recuse.strip():
            if filled:
                first_filled = next(iter(filled))
                error("recuse_and_scores", item.row,
                      item.columns.get(first_filled, names.get(first_filled, first_filled)),
                      "jury-recuse", entry=entry)
                continue
            recusals.append({"innovation_id": entry, "stage": stage.id,
                             "reason_code": DECLARED, "reason": item.recuse.strip()})
            continue
        for criterion in stage.criterion_ids:
            value = item.values.get(criterion)
            column = item.columns.get(criterion, names[criterion])
            if _blank(value):
                error("missing", item.row, column, "jury-missing", entry=entry,
                      criterion=names[criterion])
                continue
            fault = score_fault(value, rubric)
            if fault:
                code, fields = fault
                error(code, item.row, column, "jury-score", entry=entry,
                      criterion=names[criterion], **fields)
                continue
            scores.append({"innovation_id": entry, "stage": stage.id, "criterion": criterion,
                           "score": as_score(value), "note": item.note.strip()})
    for entry in assigned:
        if entry not in seen:
            row = (expected_rows or {}).get(entry)
            error("missing_entry", row, columns.get("innovation_id", ""),
                  "jury-missing-entry", entry=entry)
    score_frame = pd.DataFrame(scores, columns=SCORE_COLUMNS[1:])
    score_frame["score"] = score_frame["score"].astype("float64")
    return score_frame, pd.DataFrame(recusals, columns=RECUSAL_COLUMNS[1:]), issues
