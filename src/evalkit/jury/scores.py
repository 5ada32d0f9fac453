"""Which scores count: the raw table, overridden juror by juror by the score store.

Also the one check of a single score value (number, in the scale's range, whole if the
rubric says so), shared by the raw table, the sheet import and the notebook form so the
three can never disagree about what a valid score is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from evalkit.issues import Issue
from evalkit.jury.panel import DECLARED, RECUSAL_COLUMNS
from evalkit.jury.rubric import JuryRubric, Stage
from evalkit.jury.store import SCORE_COLUMNS, JuryStore


def score_problem(value: object, rubric: JuryRubric) -> str | None:
    """Why ``value`` is not a valid score, or None. Empty is handled by the caller."""
    if isinstance(value, bool):
        return f"not a number: {value!r}"
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return f"not a number: {value!r}"
    if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
        return f"not a number: {value!r}"
    lo, hi = rubric.scale_min, rubric.scale_max
    if not lo <= value <= hi:
        return f"score {value:g} is outside the scale {lo:g}-{hi:g}"
    if rubric.integer and not float(value).is_integer():
        return f"score {value:g} must be a whole number"
    return None


def as_score(value: object) -> float:
    """A validated score as float (accepts a decimal comma in text)."""
    if isinstance(value, str):
        return float(value.strip().replace(",", "."))
    return float(value)  # type: ignore[arg-type]


def normalise_stage(scores: pd.DataFrame, rubric: JuryRubric) -> pd.DataFrame:
    """An empty stage means the rubric's default stage."""
    frame = scores.copy()
    stage = frame["stage"].astype("str").fillna("").str.strip() if "stage" in frame else ""
    frame["stage"] = stage
    frame.loc[frame["stage"] == "", "stage"] = rubric.default_stage
    return frame


def check_raw_scores(scores: pd.DataFrame, rubric: JuryRubric) -> list[Issue]:
    """Problems in the raw jury_scores table against the rubric (stage, criterion, range)."""
    issues: list[Issue] = []
    stages = {s.id: set(s.criterion_ids) for s in rubric.stages}
    for _, row in scores.iterrows():
        where = {"file": str(row.get("_source", "") or ""), "sheet": str(row.get("_sheet", "")
                                                                         or ""),
                 "row": None if pd.isna(row.get("_row")) else int(row["_row"])}
        if row["stage"] not in stages:
            issues.append(Issue("error", f"unknown stage {row['stage']!r}; rubric stages: "
                                         f"{', '.join(stages)}", column="stage",
                                code="jury-stage", **where))
        elif row["criterion"] not in stages[row["stage"]]:
            known = ", ".join(sorted(stages[row["stage"]]))
            issues.append(Issue("error", f"unknown criterion {row['criterion']!r}; rubric "
                                         f"criteria: {known}", column="criterion",
                                code="jury-criterion", **where))
        problem = score_problem(row["score"], rubric)
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
                     assigned: list[str], conflicted: dict[str, str], file: str = "",
                     sheet: str = "", expected_rows: dict[str, int] | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Check one juror's submission for one stage; return (scores, recusals, issues).

    Every assigned entry must be there exactly once, and each either fully scored within the
    scale or marked as a conflict (with a reason and no scores). Entries not assigned to the
    juror are refused, with the conflict named when the entry is from the juror's own unit.
    """
    issues: list[Issue] = []
    scores: list[dict[str, object]] = []
    recusals: list[dict[str, object]] = []
    seen: dict[str, int | None] = {}
    assigned_set = set(assigned)

    def error(message: str, row: int | None, column: str, code: str) -> None:
        issues.append(Issue("error", message, file=file, sheet=sheet, row=row, column=column,
                            code=code))

    for item in rows:
        entry, where = item.innovation_id, item.columns.get("innovation_id", "innovation_id")
        if entry in seen:
            first = seen[entry]
            error(f"entry {entry} appears twice" + (f" (first at row {first})" if first else ""),
                  item.row, where, "jury-duplicate")
            continue
        seen[entry] = item.row
        if entry not in assigned_set:
            if entry in conflicted:
                error(f"entry {entry} is from the juror's own unit ({conflicted[entry]}): "
                      "conflict of interest, it may not be scored", item.row, where,
                      "jury-conflict")
            else:
                error(f"entry {entry} is not assigned to this juror", item.row, where,
                      "jury-foreign-entry")
            continue
        filled = {c: v for c, v in item.values.items() if not _blank(v)}
        if item.recuse.strip():
            if filled:
                error("the row declares a conflict of interest but also holds scores; clear "
                      "the scores or the reason", item.row,
                      item.columns.get(next(iter(filled)), next(iter(filled))), "jury-recuse")
                continue
            recusals.append({"innovation_id": entry, "stage": stage.id,
                             "reason_code": DECLARED, "reason": item.recuse.strip()})
            continue
        for criterion in stage.criterion_ids:
            value = item.values.get(criterion)
            column = item.columns.get(criterion, criterion)
            if _blank(value):
                error(f"score for '{criterion}' is missing", item.row, column, "jury-missing")
                continue
            problem = score_problem(value, rubric)
            if problem:
                error(problem, item.row, column, "jury-score")
                continue
            scores.append({"innovation_id": entry, "stage": stage.id, "criterion": criterion,
                           "score": as_score(value), "note": item.note.strip()})
    for entry in assigned:
        if entry not in seen:
            row = (expected_rows or {}).get(entry)
            error(f"entry {entry} is missing (row deleted?); every assigned entry needs scores "
                  "or a declared conflict", row, "innovation_id", "jury-missing-entry")
    score_frame = pd.DataFrame(scores, columns=SCORE_COLUMNS[1:])
    score_frame["score"] = score_frame["score"].astype("float64")
    return score_frame, pd.DataFrame(recusals, columns=RECUSAL_COLUMNS[1:]), issues
