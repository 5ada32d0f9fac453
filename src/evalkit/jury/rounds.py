"""Rounds of a competition: who competes in each stage, and who goes on.

Real competitions shortlist: the article's and the national KIPP judge proposals first, and
only the finalists present. A stage's ``shortlist`` rule (top N and/or a minimum stage score,
see :class:`evalkit.jury.rubric.Shortlist`) picks who goes on from that stage's result. The
first stage holds every entry; a later stage opens once the previous one is complete (every
assigned juror has scored, or declared a conflict for, every entry of it), because a
shortlist drawn from half-scored proposals would have to be redrawn. A stage without a rule
sends everyone on, and is always open.

Scores of an entry for a stage it does not compete in are left out (and reported), so a
finalist's presentation score is normalised among finalists only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from evalkit.jury.aggregate import TIE_DECIMALS, StageScores, combine
from evalkit.jury.rubric import JuryRubric, Stage


@dataclass(frozen=True)
class Round:
    """One stage's round: who competes, whether it is open and complete, its result."""

    stage: Stage
    entries: list[str]  # competing in this stage, in competition order
    open: bool
    complete: bool
    missing: int  # assigned (juror, entry) pairs still without a score or declared conflict
    score: np.ndarray  # stage score per competition entry (NaN: not competing or unscored)
    order: list[str]  # the stage's entries from best to worst (scored ones only)
    advanced: list[str]  # shortlisted for the next stage (every entry when there is no rule)


@dataclass(frozen=True)
class Rounds:
    rounds: list[Round]
    data: list[StageScores]  # each stage's scores, limited to the stage's entries
    reached: np.ndarray  # per competition entry: index of the last stage it competes in
    ignored: list[tuple[str, str, str]]  # (stage, juror, entry) scores outside the stage

    def entries(self, stage_id: str) -> list[str]:
        return next(r.entries for r in self.rounds if r.stage.id == stage_id)

    def round(self, stage_id: str) -> Round:
        return next(r for r in self.rounds if r.stage.id == stage_id)

    @property
    def open_stages(self) -> list[str]:
        return [r.stage.id for r in self.rounds if r.open]


def stage_keys(data: StageScores, rubric: JuryRubric, method: str, trim: float,
               score: np.ndarray) -> list[np.ndarray]:
    """The stage's own tie-break values, in the rubric's tie-break order."""
    keys = []
    for key in rubric.tie_break:
        if key.stage != data.stage.id:
            continue
        if not key.criterion:
            keys.append(score)
        else:
            c = data.stage.criterion_ids.index(key.criterion)
            keys.append(combine(data.scores[:, :, c], method, trim))
    return keys


def stage_order(score: np.ndarray, keys: Sequence[np.ndarray], competing: np.ndarray
                ) -> list[int]:
    """Indices of the scored competing entries, best first (score, then tie-break keys)."""
    columns = [np.round(score, TIE_DECIMALS)] + [np.round(k, TIE_DECIMALS) for k in keys]
    valid = competing & ~np.isnan(score)
    sort_keys = [np.where(np.isnan(c), np.inf, -c) for c in reversed(columns)]
    order = np.lexsort(sort_keys)
    return [int(i) for i in order if valid[i]]


def shortlisted(stage: Stage, score: np.ndarray, keys: Sequence[np.ndarray],
                order: list[int]) -> list[int]:
    """Who goes on from a stage: the rule applied to the stage's order; ties at the cut of a
    top N all go on."""
    rule = stage.shortlist
    if rule is None:
        return order
    chosen = [i for i in order if rule.min_score is None
              or round(float(score[i]), TIE_DECIMALS) >= rule.min_score]
    if rule.top is None or len(chosen) <= rule.top:
        return chosen

    values = [np.nan_to_num(k, nan=-np.inf).tolist() for k in [score, *keys]]

    def signature(i: int) -> tuple[float, ...]:
        return tuple(round(v[i], TIE_DECIMALS) for v in values)

    cut = signature(chosen[rule.top - 1])
    return chosen[:rule.top] + [i for i in chosen[rule.top:] if signature(i) == cut]


def plan_rounds(data: Sequence[StageScores], rubric: JuryRubric, method: str, trim: float,
                excused: dict[str, set[tuple[int, int]]],
                conflicted: set[tuple[int, int]]) -> Rounds:
    """Work out every round from the scores.

    ``data`` holds each stage's scores over all entries and jurors (as ``stage_scores``
    gives them); ``excused[stage]`` the (juror, entry) index pairs with a declared conflict
    in that stage, ``conflicted`` the own-unit pairs (never assigned).
    """
    entries = data[0].entries
    n_entries = len(entries)
    competing = np.ones(n_entries, dtype=bool)
    open_ = True
    rounds: list[Round] = []
    limited: list[StageScores] = []
    ignored: list[tuple[str, str, str]] = []
    reached = np.full(n_entries, -1)
    for index, part in enumerate(data):
        stage = part.stage
        if not open_:
            competing = np.zeros(n_entries, dtype=bool)
        outside = ~np.isnan(part.scores).all(axis=2) & ~competing[None, :]
        for j, e in zip(*np.nonzero(outside), strict=True):
            ignored.append((stage.id, part.jurors[j], entries[e]))
        scores = np.where(competing[None, :, None], part.scores, np.nan)
        masked = replace(part, scores=scores)
        limited.append(masked)
        totals = masked.totals
        assigned = np.zeros(totals.shape, dtype=bool)
        assigned[:, competing] = True
        for j, e in conflicted | excused.get(stage.id, set()):
            assigned[j, e] = False
        missing = int((assigned & np.isnan(totals)).sum())
        score = combine(totals, method, trim)
        score = np.where(competing, score, np.nan)
        keys = stage_keys(masked, rubric, method, trim, score)
        order = stage_order(score, keys, competing)
        reached[competing] = index
        last = index == len(data) - 1
        advanced = [] if last else shortlisted(stage, score, keys, order)
        if not last and stage.shortlist is None:
            advanced = [i for i in range(n_entries) if competing[i]]
        rounds.append(Round(stage, [entries[i] for i in range(n_entries) if competing[i]],
                            open_, missing == 0 and open_, missing, score,
                            [entries[i] for i in order], [entries[i] for i in advanced]))
        if not last:
            if stage.shortlist is not None and (missing > 0 or not open_):
                open_ = False
                competing = np.zeros(n_entries, dtype=bool)
            else:
                competing = np.zeros(n_entries, dtype=bool)
                competing[advanced] = True
    return Rounds(rounds, limited, reached, ignored)
