"""The year's jury, end to end: load, make sheets, import sheets, rounds, objections, results.

The CLI (``evalkit jury ...``) and notebook 04_jury call these functions; the statistics live
in aggregate, reliability, resampling and rounds, which know nothing of files.
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
from evalkit.jury.aggregate import (
    METHODS,
    StageScores,
    juror_totals,
    ranking,
    stage_scores,
)
from evalkit.jury.objections import (
    Objection,
    ObjectionError,
    Publication,
    Sanggah,
    check_decision,
    record_decision,
)
from evalkit.jury.objections import file_objection as record_objection
from evalkit.jury.objections import load as load_sanggah
from evalkit.jury.objections import publish as record_publication
from evalkit.jury.panel import (
    DECLARED,
    assignments,
    conflicts,
    entries,
    evidence_refs,
    juror_codes,
    select_jurors,
)
from evalkit.jury.profile import build_profiles
from evalkit.jury.reliability import agreement, components, leniency
from evalkit.jury.resampling import Robustness, Verdict, robustness, verdict
from evalkit.jury.rounds import Rounds, plan_rounds
from evalkit.jury.rubric import JuryRubric, load_rubric, text
from evalkit.jury.scores import (
    check_raw_scores,
    effective_scores,
    normalise_stage,
    score_fault,
)
from evalkit.jury.sheets import (
    SheetContext,
    SheetJob,
    SheetPage,
    SheetResult,
    read_sheet,
    shortlist_text,
    write_sheet,
)
from evalkit.jury.store import SCORE_COLUMNS, JuryStore, default_store_dir

ARTIFACTS = ("jury_ranking", "jury_agreement", "jury_leniency", "jury_recusals", "jury_matrix",
             "jury_summary", "jury_rounds", "jury_objections", "jury_changes")


@dataclass(frozen=True)
class Jury:
    """A year's jury setting: rubric, panel, entries, conflicts, assignment, scores, store."""

    params: RunParams
    rubric: JuryRubric
    jurors: pd.DataFrame
    entries: pd.DataFrame  # innovation_id, unit_id, title, unit_name and the entry's profile
    conflicts: pd.DataFrame
    assignment: pd.DataFrame  # every juror x entry but own-unit ones (the first stage's)
    raw_scores: pd.DataFrame
    store: JuryStore
    evidence: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["innovation_id", "indicator", "ref"]))
    issues: list[Issue] = field(default_factory=list)

    @property
    def juror_ids(self) -> list[str]:
        return self.jurors["juror_id"].tolist()

    @property
    def entry_ids(self) -> list[str]:
        return self.entries["innovation_id"].tolist()

    @property
    def t(self) -> Translator:
        """The params' language: what the committee and jurors read."""
        return Translator(self.params.language)

    def assigned(self) -> dict[str, list[str]]:
        """Each juror's entries of the first stage (all entries but their own unit's)."""
        return {j: self.assignment.loc[self.assignment["juror_id"] == j, "innovation_id"]
                .tolist() for j in self.juror_ids}

    def conflicted(self) -> dict[str, dict[str, str]]:
        """Juror -> {entry: the name of the juror's own unit that submitted it}."""
        names = self.entries.set_index("innovation_id")["unit_name"].to_dict()
        out: dict[str, dict[str, str]] = {j: {} for j in self.juror_ids}
        for row in self.conflicts.itertuples(index=False):
            out.setdefault(row.juror_id, {})[row.innovation_id] = str(
                names.get(row.innovation_id, row.reason))
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
    refs = evidence_refs(year.evidence, entry_table["innovation_id"].tolist())
    return Jury(params, rubric, jurors, entry_table, conflict_table,
                assignments(jurors, entry_table, conflict_table), raw,
                store if store is not None else JuryStore(store_path(params)), refs, issues)


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
    """The score store's files (jurors' scores, objections and the change log): inputs of a
    run, so the manifest can hash them next to the raw data. The signing key is not one."""
    root = store_path(params)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".json", ".jsonl"})


def competition_name(params: RunParams, t: Translator) -> str:
    return f"{t('jury.chapter.heading')} {params.year} — {params.region_name}"


# --- the current state: scores that count, rounds ------------------------------------------


@dataclass(frozen=True)
class State:
    """What counts now: effective scores, recusals, each stage's scores and the rounds."""

    scores: pd.DataFrame
    recusals: pd.DataFrame
    issues: list[Issue]
    data: list[StageScores]  # each stage's scores, limited to that stage's entries
    rounds: Rounds
    conflicted: dict[str, dict[str, str]]

    def assigned(self, stage_id: str) -> dict[str, list[str]]:
        """Juror -> the entries they score in ``stage_id`` (competing, not their own unit)."""
        competing = self.rounds.entries(stage_id)
        return {j: [e for e in competing if e not in own] for j, own in self.conflicted.items()}


def current_state(jury: Jury) -> State:
    """The scores that count now (store over raw), the rounds they give, warnings."""
    scores, recusals, issues = effective_scores(jury.raw_scores, jury.store, jury.rubric,
                                                jury.conflicts, jury.juror_ids)
    issues = store_issues(jury) + issues
    jurors, entry_ids = jury.juror_ids, jury.entry_ids
    data = [stage_scores(scores, s, jurors, entry_ids) for s in jury.rubric.stages]
    j_index = {j: i for i, j in enumerate(jurors)}
    e_index = {e: i for i, e in enumerate(entry_ids)}
    own = {(j_index[r.juror_id], e_index[r.innovation_id])
           for r in jury.conflicts.itertuples(index=False)
           if r.juror_id in j_index and r.innovation_id in e_index}
    excused: dict[str, set[tuple[int, int]]] = {s: set() for s in jury.rubric.stage_ids}
    for r in recusals.itertuples(index=False):
        if r.reason_code == DECLARED and r.juror_id in j_index and r.innovation_id in e_index:
            for stage_id in ([r.stage] if r.stage else jury.rubric.stage_ids):
                excused.setdefault(stage_id, set()).add((j_index[r.juror_id],
                                                         e_index[r.innovation_id]))
    settings = jury.params.jury
    rounds = plan_rounds(data, jury.rubric, settings.method, settings.trim, excused, own)
    if rounds.ignored:
        grouped: dict[str, list[str]] = {}
        for stage_id, juror, entry in rounds.ignored:
            grouped.setdefault(stage_id, []).append(f"{juror}/{entry}")
        for stage_id, pairs in grouped.items():
            issues.append(Issue("warning", f"scores for stage {stage_id!r} of entries that do "
                                           f"not compete in it (not shortlisted, or the stage "
                                           f"is not open yet) are ignored: {', '.join(pairs)}",
                                code="jury-not-shortlisted"))
        drop = {(s, j, e) for s, j, e in rounds.ignored}
        keep = [(s, j, e) not in drop for s, j, e in zip(scores["stage"], scores["juror_id"],
                                                         scores["innovation_id"], strict=True)]
        scores = scores[keep].reset_index(drop=True)
    return State(scores, recusals, issues, rounds.data, rounds, jury.conflicted())


def current_scores(jury: Jury) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """The scores that count now (store over raw), all recusals, warnings."""
    state = current_state(jury)
    return state.scores, state.recusals, state.issues


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


# --- sheets ----------------------------------------------------------------------------------


def closed_stage_error(jury: Jury, state: State, stage_id: str, t: Translator) -> InputError:
    """Why a stage cannot be judged yet: the previous round is not complete."""
    index = jury.rubric.stage_ids.index(stage_id)
    before = state.rounds.rounds[index - 1] if index else None
    message = t("jury.rounds.not_open", stage=text(jury.rubric.stage(stage_id).name, t.lang),
                previous=text(before.stage.name, t.lang) if before else "-",
                missing=before.missing if before else 0)
    return InputError([Issue("error", message, column="stage", code="jury-stage-closed")])


def stage_note(jury: Jury, state: State, stage_id: str, t: Translator) -> str:
    """For a later stage: how many entries reached it and by which rule."""
    index = jury.rubric.stage_ids.index(stage_id)
    if index == 0:
        return ""
    before = state.rounds.rounds[index - 1]
    if before.stage.shortlist is None:
        return ""
    return t("jury.rounds.sheet_note", n=len(state.rounds.entries(stage_id)),
             previous=text(before.stage.name, t.lang), rule=shortlist_text(before.stage, t))


def make_sheets(jury: Jury, out_dir: Path, t: Translator, prefill: bool = True,
                stages: Sequence[str] | None = None) -> list[Path]:
    """One workbook per juror in ``out_dir``: ``<region>-<year>-<juror>.xlsx``.

    The workbook has a scoring page for each of ``stages`` (by default every open stage: the
    first, and each later one whose shortlist is drawn). With ``prefill``, each sheet carries
    the juror's current scores (store, else raw data), so a juror can revise, not retype.
    """
    state = current_state(jury)
    wanted = list(stages) if stages else state.rounds.open_stages
    for stage_id in wanted:
        if stage_id not in jury.rubric.stage_ids:
            raise InputError([Issue("error", t("jury.rounds.unknown_stage", stage=stage_id,
                                               stages=", ".join(jury.rubric.stage_ids)),
                                    column="stage", code="jury-stage")])
        if stage_id not in state.rounds.open_stages:
            raise closed_stage_error(jury, state, stage_id, t)
    key = jury.store.sheet_key(create=True)
    assert key is not None
    profiles = build_profiles(jury.entries, jury.evidence, jury.rubric, t)
    notes = {s: stage_note(jury, state, s, t) for s in wanted}
    scores, recusals = (state.scores, state.recusals) if prefill else (None, None)
    paths = []
    for juror in jury.jurors.itertuples(index=False):
        pages = [SheetPage(jury.rubric.stage(s), state.assigned(s)[juror.juror_id])
                 for s in wanted]
        job = SheetJob(
            juror_id=juror.juror_id,
            juror_name="" if pd.isna(juror.name) else str(juror.name),
            pages=pages, profiles=profiles,
            conflicts=sorted(state.conflicted[juror.juror_id].items()),
            competition=competition_name(jury.params, t), region=jury.params.region,
            region_name=jury.params.region_name, year=jury.params.year, key=key,
            prefill=None if scores is None else scores[scores["juror_id"] == juror.juror_id],
            declared={} if recusals is None else {
                (r.innovation_id, r.stage): r.reason for r in recusals.itertuples(index=False)
                if r.juror_id == juror.juror_id and r.reason_code == DECLARED},
            notes=notes)
        name = f"{jury.params.region}-{jury.params.year}-{_file_part(juror.juror_id)}.xlsx"
        paths.append(write_sheet(Path(out_dir) / name, job, jury.rubric, t))
    return paths


def _file_part(value: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in value)


def sheet_context(jury: Jury, state: State, t: Translator) -> SheetContext:
    return SheetContext(
        rubric=jury.rubric, region=jury.params.region, region_name=jury.params.region_name,
        year=jury.params.year, key=jury.store.sheet_key(create=False),
        assigned={s: state.assigned(s) for s in jury.rubric.stage_ids},
        conflicted=state.conflicted, entries=set(jury.entry_ids), t=t)


def import_sheets(jury: Jury, paths: Sequence[Path], t: Translator | None = None
                  ) -> list[SheetResult]:
    """Read each sheet; store every valid one (replacing its juror's scores), skip the rest.

    Two sheets for the same juror in one call are both refused: which one counts would be a
    guess. Each stored result carries the store's log entry in ``result.saved`` (what it
    replaced, from which source and date, how many scores changed).
    """
    t = t or jury.t
    state = current_state(jury)
    ctx = sheet_context(jury, state, t)
    results = [read_sheet(p, ctx) for p in paths]
    by_juror: dict[str, list[SheetResult]] = {}
    for res in results:
        if res.juror_id:
            by_juror.setdefault(res.juror_id, []).append(res)
    for juror, group in by_juror.items():
        if len(group) > 1:
            for res in group:
                res.issues.append(Issue("error", t("jury.read.duplicate_sheet", n=len(group),
                                                   juror=juror), file=res.path.name,
                                        code="jury-duplicate-sheet"))
    for res in results:
        if res.ok:
            res.saved = save_juror(jury, res.juror_id, res.scores, res.recusals, res.stages,
                                   via="sheet", source=str(res.path), sha256=res.sha256,
                                   state=state)
    return results


def save_juror(jury: Jury, juror_id: str, scores: pd.DataFrame, recusals: pd.DataFrame,
               stages: Sequence[str], *, via: str, source: str = "", sha256: str = "",
               state: State | None = None, detail: bool = False,
               extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Replace a juror's scores for ``stages``; their other stages keep what counts now (from
    the store, or from the raw data for a juror not stored yet)."""
    state = state or current_state(jury)
    mine = state.scores[state.scores["juror_id"] == juror_id]
    mine_r = state.recusals[(state.recusals["juror_id"] == juror_id)
                            & (state.recusals["reason_code"] == DECLARED)]
    keep_s = mine[~mine["stage"].isin(stages)][SCORE_COLUMNS[1:]]
    keep_r = mine_r[~mine_r["stage"].isin(stages)].drop(columns="juror_id")
    all_s = pd.concat([d for d in (keep_s, scores) if not d.empty] or [scores])
    all_r = pd.concat([d for d in (keep_r, recusals) if not d.empty] or [recusals])
    raw = jury.raw_scores
    baseline = None
    if jury.store.record(juror_id) is None:
        baseline = raw[raw["juror_id"] == juror_id].reindex(columns=SCORE_COLUMNS[1:])
    return jury.store.replace_juror(juror_id, all_s, all_r, via=via, source=source,
                                    sha256=sha256, rubric_id=jury.rubric.id,
                                    rubric_sha256=jury.rubric.sha256, baseline=baseline,
                                    detail=detail, extra=extra)


def raw_source(jury: Jury) -> str:
    """The file the raw jury scores came from (for 'replaces the scores from ...')."""
    sources = jury.raw_scores["_source"].dropna().unique() if "_source" in jury.raw_scores \
        else []
    return Path(str(sources[0])).name if len(sources) else ""


# --- objections (masa sanggah) ----------------------------------------------------------------


@dataclass(frozen=True)
class ScoreChange:
    """One score an objection's decision sets."""

    juror_id: str
    innovation_id: str
    stage: str
    criterion: str
    score: float


def publish_provisional(jury: Jury, published_on: str, until: str) -> Publication:
    """Publish the current ranking as the provisional one (masa sanggah opens)."""
    outcome = compute(jury)
    return record_publication(jury.store, outcome.ranking, published_on, until)


def file_objection(jury: Jury, innovation_id: str, reason: str, filed_on: str,
                   filed_by: str = "") -> Objection:
    return record_objection(jury.store, innovation_id, reason, filed_on,
                                  set(jury.entry_ids), filed_by)


def decide_objection(jury: Jury, number: int, decision: str, reason: str, decided_on: str,
                     changes: Sequence[ScoreChange] = ()) -> Objection:
    """Decide an objection; score changes go into the store as audited changes.

    Every change is checked first (juror, stage, criterion, entry assigned to the juror in
    that stage, score within the scale); nothing is written unless all are valid.
    """
    state = current_state(jury)
    check_decision(load_sanggah(jury.store), number, decision, decided_on, reason,
                           len(changes))
    t = jury.t
    for change in changes:
        _check_change(jury, state, change, t)
    applied: list[dict[str, Any]] = []
    for juror in sorted({c.juror_id for c in changes}):
        mine = [c for c in changes if c.juror_id == juror]
        current = state.scores[state.scores["juror_id"] == juror][SCORE_COLUMNS[1:]].copy()
        for change in mine:
            hit = ((current["innovation_id"] == change.innovation_id)
                   & (current["stage"] == change.stage)
                   & (current["criterion"] == change.criterion))
            current.loc[hit, "score"] = float(change.score)
        declared = state.recusals[(state.recusals["juror_id"] == juror)
                                  & (state.recusals["reason_code"] == DECLARED)]
        entry = save_juror(jury, juror, current, declared.drop(columns="juror_id"),
                           jury.rubric.stage_ids, via="objection",
                           source=f"sanggah {number}", state=state, detail=True,
                           extra={"objection": number})
        applied += [{"juror_id": juror, **c} for c in entry.get("changes", [])]
    return record_decision(jury.store, number, decision, decided_on, reason, applied)


def _check_change(jury: Jury, state: State, change: ScoreChange, t: Translator) -> None:
    def fail(key: str, **fields: Any) -> None:
        raise ObjectionError(key, **fields)

    if change.juror_id not in jury.juror_ids:
        fail("change_juror", juror=change.juror_id)
    if change.stage not in jury.rubric.stage_ids:
        fail("change_stage", stage=change.stage, stages=", ".join(jury.rubric.stage_ids))
    stage = jury.rubric.stage(change.stage)
    if change.criterion not in stage.criterion_ids:
        fail("change_criterion", criterion=change.criterion,
             criteria=", ".join(stage.criterion_ids))
    if change.innovation_id not in state.assigned(change.stage)[change.juror_id]:
        fail("change_entry", entry=change.innovation_id, juror=change.juror_id,
             stage=text(stage.name, t.lang))
    mine = state.scores[(state.scores["juror_id"] == change.juror_id)
                        & (state.scores["innovation_id"] == change.innovation_id)
                        & (state.scores["stage"] == change.stage)
                        & (state.scores["criterion"] == change.criterion)]
    if mine.empty:
        fail("change_unscored", entry=change.innovation_id, juror=change.juror_id)
    fault = score_fault(change.score, jury.rubric)
    if fault:
        code, fields = fault
        fail("change_score", problem=t(f"jury.check.{code}", entry=change.innovation_id,
                                       criterion=change.criterion, **fields))


# --- results ---------------------------------------------------------------------------------


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
    rounds: pd.DataFrame = field(default_factory=pd.DataFrame)
    objections: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    published_on: str = ""
    objections_until: str = ""


def compute(jury: Jury, method: str | None = None, n: int | None = None,
            seed: int | None = None) -> Outcome:
    """Aggregate, rank, measure agreement and robustness with the params' settings.

    The rounds (who competed in which stage) always follow the params' method: a shortlist
    is the committee's decision, so comparing methods reorders within the same rounds.
    """
    settings = jury.params.jury
    method = method or settings.method
    state = current_state(jury)
    scores, recusals = state.scores, state.recusals
    issues = jury.issues + state.issues
    data = state.data
    groups = _juror_groups(jury, data)
    connected = len(groups) <= 1
    if method == "zscore" and not connected:
        names = " | ".join(", ".join(jury.juror_ids[i] for i in g) for g in groups)
        raise InputError([Issue(
            "error", f"the judging plan is not connected (juror groups sharing no entry: "
                     f"{names}); z-scores cannot compare them: choose jury.method mean, median "
                     "or trimmed_mean, or have the groups score some entries in common",
            column="jury.method", code="jury-disconnected")])
    reached = state.rounds.reached if jury.rubric.multi_stage else None
    board = ranking(data, jury.rubric, method, settings.trim, reached)
    rob = robustness(data, jury.rubric, method, n=n or settings.resamples,
                     spread=settings.weight_spread, trim=settings.trim,
                     seed=jury.params.seed if seed is None else seed, top_k=settings.top_k,
                     reached=reached)
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
    state_s = load_sanggah(jury.store)
    publication = state_s.publication
    if publication is not None:
        before = {r["innovation_id"]: r["rank"] for r in publication.ranking}
        board["provisional_rank"] = pd.array([before.get(e) for e in board["innovation_id"]],
                                             dtype="Int64")
    else:
        board["provisional_rank"] = pd.array([None] * len(board), dtype="Int64")
    return Outcome(method, board, agreement(data), lean, recusals, matrix, rob,
                   verdict(board, rob.table, clear=settings.clear_winner), connected, codes,
                   scores, issues, stored,
                   str(log["timestamp"].iloc[-1]) if not log.empty else "",
                   rounds=rounds_frame(jury, state, method),
                   objections=objections_frame(state_s), changes=changes_frame(log, codes),
                   published_on=publication.published_on if publication else "",
                   objections_until=publication.until if publication else "")


def _juror_groups(jury: Jury, data: Sequence[StageScores]) -> list[list[int]]:
    """Groups of jurors linked by entries they scored in common (one group: connected)."""
    scored = np.zeros((len(jury.juror_ids), len(jury.entries)), dtype=bool)
    for part in data:
        scored |= ~np.isnan(part.totals)
    return components(scored)


def method_ranks(jury: Jury, methods: Sequence[str] = METHODS) -> pd.DataFrame:
    """Each entry's rank under every aggregation method, indexed by innovation_id: how much
    the method decides. Z-scores are left out when the judging plan is not connected. Ranks
    need no resampling, so this is one :func:`current_state` and a ranking per method, where
    a :func:`compute` per method would redo the state and the robustness each time."""
    settings = jury.params.jury
    state = current_state(jury)
    reached = state.rounds.reached if jury.rubric.multi_stage else None
    connected = len(_juror_groups(jury, state.data)) <= 1
    ranks = {}
    for method in methods:
        if method == "zscore" and not connected:
            continue
        board = ranking(state.data, jury.rubric, method, settings.trim, reached)
        ranks[method] = board.set_index("innovation_id")["rank"]
    return pd.DataFrame(ranks)


def rounds_frame(jury: Jury, state: State, method: str) -> pd.DataFrame:
    """Each stage's result: stage, innovation_id, score, position, advanced (bool)."""
    rows = []
    for index, rnd in enumerate(state.rounds.rounds):
        position = {e: i + 1 for i, e in enumerate(rnd.order)}
        advanced = set(rnd.advanced)
        last = index == len(state.rounds.rounds) - 1
        for i, entry in enumerate(jury.entry_ids):
            if entry not in rnd.entries:
                continue
            rows.append({"stage": rnd.stage.id, "stage_index": index, "innovation_id": entry,
                         "score": float(rnd.score[i]), "position": position.get(entry),
                         "advanced": (not last) and entry in advanced,
                         "open": rnd.open, "complete": rnd.complete, "missing": rnd.missing})
    frame = pd.DataFrame(rows, columns=["stage", "stage_index", "innovation_id", "score",
                                        "position", "advanced", "open", "complete", "missing"])
    frame["position"] = frame["position"].astype("Int64")
    return frame


def objections_frame(state: Sanggah) -> pd.DataFrame:
    columns = ["number", "innovation_id", "filed_on", "filed_by", "reason", "decision",
               "decided_on", "decision_reason", "n_changes"]
    return pd.DataFrame([{"number": o.number, "innovation_id": o.innovation_id,
                          "filed_on": o.filed_on, "filed_by": o.filed_by, "reason": o.reason,
                          "decision": o.decision, "decided_on": o.decided_on,
                          "decision_reason": o.decision_reason, "n_changes": len(o.changes)}
                         for o in state.objections], columns=columns)


def changes_frame(log: pd.DataFrame, codes: dict[str, str]) -> pd.DataFrame:
    """Every score an objection's decision changed, from the store's log (jurors by code)."""
    columns = ["objection", "timestamp", "juror_code", "innovation_id", "stage", "criterion",
               "old", "new"]
    rows = []
    if not log.empty and "via" in log:
        for entry in log[log["via"] == "objection"].to_dict("records"):
            for change in entry.get("changes") or []:
                rows.append({"objection": int(entry.get("objection", 0)),
                             "timestamp": entry["timestamp"],
                             "juror_code": codes.get(entry["juror_id"], "?"),
                             "innovation_id": change["innovation_id"],
                             "stage": change["stage"], "criterion": change["criterion"],
                             "old": change["old"], "new": change["new"]})
    frame = pd.DataFrame(rows, columns=columns)
    for c in ("old", "new"):
        frame[c] = frame[c].astype("float64")
    return frame


def write_artifacts(outcome: Outcome, out_dir: Path) -> list[Path]:
    """The jury artifacts; jurors appear by code only (no ids, no names)."""
    ranking_cols = ["innovation_id", "title", "unit_id", "unit_name", "score", "rank",
                    "rank_low", "rank_high", "median_rank", "p_top", "p_first", "n_jurors",
                    "tie_break", "provisional_rank"]
    ranking_cols += [c for c in outcome.ranking if c.startswith("score_") or c == "round"]
    paths = [
        write_table(outcome.ranking[ranking_cols], out_dir, "jury_ranking"),
        write_table(outcome.agreement, out_dir, "jury_agreement"),
        write_table(outcome.leniency.drop(columns="juror_id"), out_dir, "jury_leniency"),
        write_table(outcome.recusals[["juror_code", "innovation_id", "stage", "reason_code",
                                      "reason"]], out_dir, "jury_recusals"),
        write_table(outcome.matrix.drop(columns="juror_id"), out_dir, "jury_matrix"),
        write_table(summary_frame(outcome), out_dir, "jury_summary"),
        write_table(outcome.rounds, out_dir, "jury_rounds"),
        # Who filed an objection stays with the committee (it may name a person).
        write_table(outcome.objections.drop(columns="filed_by"), out_dir, "jury_objections"),
        write_table(outcome.changes, out_dir, "jury_changes"),
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
        "published_on": outcome.published_on, "objections_until": outcome.objections_until,
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
                     "n_jurors": num(r.n_jurors), "tie_break": r.tie_break,
                     "round": getattr(r, "round", ""),
                     "provisional_rank": num(r.provisional_rank)})
    rounds = []
    for stage_id, part in outcome.rounds.groupby("stage", sort=False):
        rounds.append({"stage": stage_id, "open": bool(part["open"].iloc[0]),
                       "complete": bool(part["complete"].iloc[0]),
                       "missing": int(part["missing"].iloc[0]),
                       "entries": part["innovation_id"].tolist(),
                       "advanced": part.loc[part["advanced"], "innovation_id"].tolist()})
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
        "rounds": rounds,
        "published_on": outcome.published_on or None,
        "objections_until": outcome.objections_until or None,
        "objections": outcome.objections.to_dict("records"),
        "recusals": [{"juror_id": r.juror_id, "juror_code": r.juror_code,
                      "innovation_id": r.innovation_id, "stage": r.stage,
                      "reason_code": r.reason_code, "reason": r.reason}
                     for r in outcome.recusals.itertuples(index=False)],
        "leniency": [{"juror_code": r.juror_code, "stage": r.stage, "leniency": num(r.leniency),
                      "consensus_r": num(r.consensus_r), "outlier": bool(r.outlier)}
                     for r in outcome.leniency.itertuples(index=False)],
        "warnings": [str(i) for i in outcome.issues if i.severity == "warning"],
    }
