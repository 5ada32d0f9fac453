"""The year's jury, end to end: load, make sheets, import sheets, compute and publish results.

The CLI (``evalkit jury ...``) and notebook 04_jury call these functions; the statistics live
in jury, jury_agreement and jury_robustness, which know nothing of files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.artifacts import write_table
from evalkit.config import RunParams
from evalkit.i18n import Translator
from evalkit.inputs.validate import YearData, load_year
from evalkit.issues import InputError, Issue
from evalkit.jury.aggregate import StageScores, juror_totals, ranking, stage_scores
from evalkit.jury.panel import (
    DECLARED,
    assignments,
    conflicts,
    entries,
    juror_codes,
    select_jurors,
)
from evalkit.jury.reliability import agreement, components, leniency
from evalkit.jury.resampling import Robustness, Verdict, robustness, verdict
from evalkit.jury.rubric import JuryRubric, load_rubric
from evalkit.jury.scores import check_raw_scores, effective_scores, normalise_stage
from evalkit.jury.sheets import SheetJob, SheetResult, read_sheet, write_sheet
from evalkit.jury.store import JuryStore, default_store_dir

ARTIFACTS = ("jury_ranking", "jury_agreement", "jury_leniency", "jury_recusals", "jury_matrix",
             "jury_summary")


@dataclass(frozen=True)
class Jury:
    """A year's jury setting: rubric, panel, entries, conflicts, assignment, scores, store."""

    params: RunParams
    rubric: JuryRubric
    jurors: pd.DataFrame
    entries: pd.DataFrame  # innovation_id, unit_id, title, unit_name
    conflicts: pd.DataFrame
    assignment: pd.DataFrame
    raw_scores: pd.DataFrame
    store: JuryStore
    issues: list[Issue] = field(default_factory=list)

    @property
    def juror_ids(self) -> list[str]:
        return self.jurors["juror_id"].tolist()

    def assigned(self) -> dict[str, list[str]]:
        return {j: self.assignment.loc[self.assignment["juror_id"] == j, "innovation_id"]
                .tolist() for j in self.juror_ids}

    def conflicted(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {j: {} for j in self.juror_ids}
        for row in self.conflicts.itertuples(index=False):
            out.setdefault(row.juror_id, {})[row.innovation_id] = row.reason
        return out


def rubric_path(params: RunParams) -> Path:
    if params.jury.rubric is not None:
        return params.jury.rubric
    default = (params.source.parent if params.source else Path("params")) / "rubrics" / (
        f"lomba-{params.year}.yaml")
    if not default.is_file():
        raise InputError([Issue("error", f"no jury rubric: set jury.rubric in the params (no "
                                         f"{default.name} beside them)", column="jury.rubric",
                                file=str(params.source or ""))])
    return default


def store_path(params: RunParams) -> Path:
    if params.jury.store_dir is not None:
        return params.jury.store_dir
    source = params.source or Path("params") / f"{params.year}.yaml"
    return default_store_dir(source, params.region, params.year)


def load_jury(params: RunParams, year: YearData | None = None,
              store: JuryStore | None = None) -> Jury:
    """Everything the jury needs for the params' year; raise InputError on any error."""
    rubric = load_rubric(rubric_path(params))
    year = year if year is not None else load_year(params)
    jurors, issues = select_jurors(year.jurors, params.jury.jurors)
    entry_table = entries(year.innovations, params.jury.entries)
    if entry_table.empty:
        issues.append(Issue("error", f"no innovation qualifies as an entry (jury.entries = "
                                     f"{params.jury.entries!r}); check verification_status or "
                                     "set jury.entries", column="jury.entries",
                            code="jury-no-entries"))
    names = year.units.set_index("unit_id")["name"].astype("str").to_dict()
    entry_table["unit_name"] = [names.get(u, u) for u in entry_table["unit_id"]]
    conflict_table = conflicts(jurors, entry_table)
    raw = normalise_stage(year.jury_scores, rubric)
    issues += check_raw_scores(raw, rubric)
    outside = sorted(set(raw["innovation_id"]) - set(entry_table["innovation_id"]))
    if outside:
        issues.append(Issue("warning", f"jury scores for innovations that are not entries "
                                       f"(jury.entries = {params.jury.entries!r}) are ignored: "
                                       f"{', '.join(outside)}", code="jury-not-entry"))
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return Jury(params, rubric, jurors, entry_table, conflict_table,
                assignments(jurors, entry_table, conflict_table), raw,
                store if store is not None else JuryStore(store_path(params)), issues)


def open_jury(params: RunParams, t: Translator) -> tuple[Jury | None, str]:
    """The year's jury, or (None, why) when the year has no competition to judge.

    A year without a rubric or without jurors has no competition (earlier sample years);
    errors in a competition that exists still raise :class:`InputError`.
    """
    try:
        rubric_path(params)
    except InputError:
        return None, t("jury.chapter.no_rubric", year=params.year)
    year = load_year(params)
    if year.jurors.empty:
        return None, t("jury.chapter.no_scores")
    return load_jury(params, year), ""


def store_files(params: RunParams) -> list[Path]:
    """The score store's files (jurors' scores and the change log): inputs of a run, so the
    manifest can hash them next to the raw data."""
    root = store_path(params)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".json", ".jsonl"})


def competition_name(params: RunParams, t: Translator) -> str:
    return f"{t('jury.chapter.heading')} {params.year} — {params.region_name}"


def make_sheets(jury: Jury, out_dir: Path, t: Translator, prefill: bool = True) -> list[Path]:
    """One workbook per juror in ``out_dir``: ``<region>-<year>-<juror>.xlsx``.

    With ``prefill``, each sheet carries the juror's current scores (store, else raw data),
    so a juror can revise rather than retype.
    """
    scores, recusals, _ = current_scores(jury) if prefill else (None, None, None)
    paths = []
    by_id = jury.entries.set_index("innovation_id")
    for juror in jury.jurors.itertuples(index=False):
        mine = jury.assigned()[juror.juror_id]
        own = list(jury.conflicted()[juror.juror_id])
        job = SheetJob(
            juror_id=juror.juror_id,
            juror_name="" if pd.isna(juror.name) else str(juror.name),
            entries=by_id.loc[mine, ["title", "unit_name"]].reset_index(),
            conflicts=by_id.loc[own, ["title", "unit_name"]].reset_index(),
            competition=competition_name(jury.params, t), region=jury.params.region_name,
            year=jury.params.year,
            prefill=None if scores is None else scores[scores["juror_id"] == juror.juror_id],
            declared={} if recusals is None else {
                (r.innovation_id, r.stage): r.reason for r in recusals.itertuples(index=False)
                if r.juror_id == juror.juror_id and r.reason_code == DECLARED})
        name = f"{jury.params.region}-{jury.params.year}-{_file_part(juror.juror_id)}.xlsx"
        paths.append(write_sheet(Path(out_dir) / name, job, jury.rubric, t))
    return paths


def _file_part(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def import_sheets(jury: Jury, paths: Sequence[Path]) -> list[SheetResult]:
    """Read each sheet; store every valid one (replacing its juror's scores), skip the rest.

    Two sheets for the same juror in one call are both refused: which one counts would be a
    guess.
    """
    results = [read_sheet(p, jury.rubric, jury.assigned(), jury.conflicted()) for p in paths]
    by_juror: dict[str, list[SheetResult]] = {}
    for res in results:
        if res.juror_id:
            by_juror.setdefault(res.juror_id, []).append(res)
    for juror, group in by_juror.items():
        if len(group) > 1:
            for res in group:
                res.issues.append(Issue("error", f"{len(group)} sheets for juror {juror} in one "
                                                 "import; import one", file=res.path.name,
                                        code="jury-duplicate-sheet"))
    for res in results:
        if res.ok:
            save_juror(jury, res.juror_id, res.scores, res.recusals, res.stages, via="sheet",
                       source=str(res.path), sha256=res.sha256)
    return results


def save_juror(jury: Jury, juror_id: str, scores: pd.DataFrame, recusals: pd.DataFrame,
               stages: Sequence[str], *, via: str, source: str = "", sha256: str = ""
               ) -> dict[str, Any]:
    """Replace a juror's stored scores for ``stages``; other stages keep what is stored."""
    keep_s = keep_r = None
    if set(stages) != set(jury.rubric.stage_ids):
        stored_s, stored_r = jury.store.scores(), jury.store.recusals()
        keep_s = stored_s[(stored_s["juror_id"] == juror_id) & ~stored_s["stage"].isin(stages)]
        keep_r = stored_r[(stored_r["juror_id"] == juror_id) & ~stored_r["stage"].isin(stages)]
    all_s = pd.concat([d for d in (keep_s, scores) if d is not None and not d.empty] or [scores])
    all_r = pd.concat([d for d in (keep_r, recusals) if d is not None and not d.empty]
                      or [recusals])
    return jury.store.replace_juror(juror_id, all_s, all_r, via=via, source=source,
                                    sha256=sha256, rubric_id=jury.rubric.id,
                                    rubric_sha256=jury.rubric.sha256)


def current_scores(jury: Jury) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """The scores that count now (store over raw), all recusals, warnings."""
    scores, recusals, issues = effective_scores(jury.raw_scores, jury.store, jury.rubric,
                                                jury.conflicts, jury.juror_ids)
    return scores, recusals, store_issues(jury) + issues


def store_issues(jury: Jury) -> list[Issue]:
    """Warn about stored scores the current rubric cannot use (it changed after import)."""
    known = {(s.id, c) for s in jury.rubric.stages for c in s.criterion_ids}
    issues = []
    for record in jury.store.records():
        odd = sorted({f"{r['stage']}.{r['criterion']}" for r in record["scores"]
                      if (r["stage"], r["criterion"]) not in known})
        if record.get("rubric_id") != jury.rubric.id or odd:
            issues.append(Issue(
                "warning", f"stored scores of juror {record['juror_id']} were saved under rubric "
                           f"{record.get('rubric_id')!r}" + (f"; criteria not in the current "
                                                             f"rubric are ignored: {odd}"
                                                             if odd else ""),
                file=str(jury.store.juror_file(record["juror_id"])), code="jury-store-rubric"))
    return issues


def arrays(jury: Jury, scores: pd.DataFrame) -> list[StageScores]:
    entry_ids = jury.entries["innovation_id"].tolist()
    return [stage_scores(scores, s, jury.juror_ids, entry_ids) for s in jury.rubric.stages]


@dataclass(frozen=True)
class Outcome:
    """Everything the jury chapter, the notebook and ``evalkit jury results`` show."""

    method: str
    ranking: pd.DataFrame
    agreement: pd.DataFrame
    leniency: pd.DataFrame
    recusals: pd.DataFrame
    matrix: pd.DataFrame
    robustness: Robustness
    verdict: Verdict
    connected: bool
    codes: dict[str, str]
    scores: pd.DataFrame
    issues: list[Issue]
    store_jurors: list[str] = field(default_factory=list)  # jurors whose scores came from it
    store_last: str = ""  # time of the store's last change


def compute(jury: Jury, method: str | None = None, n: int | None = None,
            seed: int | None = None) -> Outcome:
    """Aggregate, rank, measure agreement and robustness with the params' settings."""
    settings = jury.params.jury
    method = method or settings.method
    scores, recusals, issues = current_scores(jury)
    issues = jury.issues + issues
    data = arrays(jury, scores)
    scored = np.zeros((len(jury.juror_ids), len(jury.entries)), dtype=bool)
    for part in data:
        scored |= ~np.isnan(part.totals)
    groups = components(scored)
    connected = len(groups) <= 1
    if method == "zscore" and not connected:
        names = " | ".join(", ".join(jury.juror_ids[i] for i in g) for g in groups)
        raise InputError([Issue(
            "error", f"the judging plan is not connected (juror groups sharing no entry: "
                     f"{names}); z-scores cannot compare them: choose jury.method mean, median "
                     "or trimmed_mean, or have the groups score some entries in common",
            column="jury.method", code="jury-disconnected")])
    board = ranking(data, jury.rubric, method, settings.trim)
    rob = robustness(data, jury.rubric, method, n=n or settings.resamples,
                     spread=settings.weight_spread, trim=settings.trim,
                     seed=jury.params.seed if seed is None else seed, top_k=settings.top_k)
    board = board.merge(rob.table, on="innovation_id", how="left")
    board = board.merge(jury.entries[["innovation_id", "title", "unit_id", "unit_name"]],
                        on="innovation_id", how="left")
    codes = juror_codes(jury.juror_ids)
    lean = pd.concat([leniency(p.totals, jury.juror_ids, settings.leniency_limit,
                               settings.min_consensus_r).assign(stage=p.stage.id)
                      for p in data], ignore_index=True)
    lean.insert(0, "juror_code", lean["juror_id"].map(codes))
    matrix = juror_totals(data)
    matrix.insert(1, "juror_code", matrix["juror_id"].map(codes))
    recusals = recusals.assign(juror_code=recusals["juror_id"].map(codes))
    log = jury.store.log()
    stored = sorted(set(scores.loc[scores["origin"] == "store", "juror_id"]))
    return Outcome(method, board, agreement(data), lean, recusals, matrix, rob,
                   verdict(board, rob.table, clear=settings.clear_winner), connected, codes,
                   scores, issues, stored,
                   str(log["timestamp"].iloc[-1]) if not log.empty else "")


def write_artifacts(outcome: Outcome, out_dir: Path) -> list[Path]:
    """The jury artifacts; jurors appear by code only (no ids, no names)."""
    ranking_cols = ["innovation_id", "title", "unit_id", "unit_name", "score", "rank",
                    "rank_low", "rank_high", "median_rank", "p_top", "p_first", "n_jurors",
                    "tie_break"]
    ranking_cols += [c for c in outcome.ranking if c.startswith("score_")]
    paths = [
        write_table(outcome.ranking[ranking_cols], out_dir, "jury_ranking"),
        write_table(outcome.agreement, out_dir, "jury_agreement"),
        write_table(outcome.leniency.drop(columns="juror_id"), out_dir, "jury_leniency"),
        write_table(outcome.recusals[["juror_code", "innovation_id", "stage", "reason_code",
                                      "reason"]], out_dir, "jury_recusals"),
        write_table(outcome.matrix.drop(columns="juror_id"), out_dir, "jury_matrix"),
        write_table(summary_frame(outcome), out_dir, "jury_summary"),
    ]
    return paths


def summary_frame(outcome: Outcome) -> pd.DataFrame:
    """One-row facts the chapter states in words (method, verdict, resampling settings)."""
    rob, v = outcome.robustness, outcome.verdict
    return pd.DataFrame([{
        "method": outcome.method, "winner": v.winner, "p_first": v.p_first,
        "verdict": v.level, "contenders": ";".join(v.contenders), "resamples": rob.n_resamples,
        "weight_spread": rob.spread, "top_k": rob.top_k, "connected": outcome.connected,
        "jurors": len(outcome.codes), "jurors_from_store": len(outcome.store_jurors),
        "store_last": outcome.store_last,
        "entries_scored": int(outcome.ranking["rank"].notna().sum()),
    }])


def results_json(outcome: Outcome) -> dict[str, Any]:
    """``evalkit jury results --json``: method, alpha, ranking, recusals (and more)."""
    def num(x: Any) -> Any:
        return None if x is None or pd.isna(x) else (int(x) if isinstance(x, np.integer | int)
                                                     else float(x))

    agree = outcome.agreement
    total = agree[(agree["scope"] == "total")]
    alpha = total[total["measure"] == "alpha"]
    icc = total[total["measure"] == "icc2k"]
    alpha_z = agree[(agree["scope"] == "total_z") & (agree["measure"] == "alpha")]
    rows = []
    for r in outcome.ranking.itertuples(index=False):
        rows.append({"innovation_id": r.innovation_id, "title": r.title, "score": num(r.score),
                     "rank": num(r.rank), "rank_low": num(r.rank_low),
                     "rank_high": num(r.rank_high), "median_rank": num(r.median_rank),
                     f"p_top{outcome.robustness.top_k}": num(r.p_top), "p_first": num(r.p_first),
                     "n_jurors": num(r.n_jurors), "tie_break": r.tie_break})
    return {
        "method": outcome.method,
        "alpha": num(alpha["value"].iloc[0]) if len(alpha) == 1 else {
            s: num(v) for s, v in zip(alpha["stage"], alpha["value"], strict=True)},
        "alpha_reading": alpha["reading"].iloc[0] if len(alpha) else None,
        "alpha_normalised": num(alpha_z["value"].iloc[0]) if len(alpha_z) == 1 else {
            s: num(v) for s, v in zip(alpha_z["stage"], alpha_z["value"], strict=True)},
        "icc2k": None if icc.empty else {"value": num(icc["value"].iloc[0]),
                                        "ci95": [num(icc["ci_low"].iloc[0]),
                                                 num(icc["ci_high"].iloc[0])]},
        "connected": outcome.connected,
        "winner": {"innovation_id": outcome.verdict.winner, "p_first": num(
            outcome.verdict.p_first), "verdict": outcome.verdict.level,
            "contenders": outcome.verdict.contenders},
        "resamples": outcome.robustness.n_resamples,
        "top_k": outcome.robustness.top_k,
        "ranking": rows,
        "recusals": [{"juror_id": r.juror_id, "juror_code": r.juror_code,
                      "innovation_id": r.innovation_id, "stage": r.stage,
                      "reason_code": r.reason_code, "reason": r.reason}
                     for r in outcome.recusals.itertuples(index=False)],
        "leniency": [{"juror_code": r.juror_code, "stage": r.stage, "leniency": num(r.leniency),
                      "consensus_r": num(r.consensus_r), "outlier": bool(r.outlier)}
                     for r in outcome.leniency.itertuples(index=False)],
        "warnings": [str(i) for i in outcome.issues if i.severity == "warning"],
    }
