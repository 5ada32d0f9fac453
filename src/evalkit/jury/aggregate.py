"""Jury aggregation: weighted totals per juror and entry, combined across jurors, ranked.

Scores are held as a juror x entry x criterion array per stage (NaN = not scored), so a
recusal or a missing score is *absent*, never zero. The same array functions serve the
nominal result and the robustness resamples (``evalkit.jury.resampling``), which therefore
cannot disagree about how a method works.

Methods across jurors:

* ``mean``, ``median``: of the jurors' weighted totals for the entry.
* ``trimmed_mean``: drops ``int(trim * n)`` totals at each end (as ``scipy.stats.trim_mean``).
* ``zscore``: each juror's totals become z-scores over the entries that juror scored
  (sample SD), are averaged per entry, then put back on the scale as
  ``mean of juror means + mean of juror SDs * mean z``. It corrects for lenient or severe
  jurors when jurors score different subsets; it needs a connected judging plan.

Ranks use unrounded scores; values equal to 9 decimals (arithmetic noise) count as a tie,
broken by the rubric's ``tie_break`` order; what is still tied shares a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalkit.jury.rubric import JuryRubric, Stage

METHODS = ("mean", "median", "trimmed_mean", "zscore")
TIE_DECIMALS = 9


@dataclass(frozen=True)
class StageScores:
    """One stage's scores as an array ``scores[juror, entry, criterion]`` (NaN = absent)."""

    stage: Stage
    jurors: list[str]
    entries: list[str]
    scores: np.ndarray

    @property
    def totals(self) -> np.ndarray:
        """Weighted total per juror x entry with the rubric's weights."""
        return weighted_totals(self.scores, self.stage.weights)


def stage_scores(scores: pd.DataFrame, stage: Stage, jurors: Sequence[str],
                 entries: Sequence[str]) -> StageScores:
    """Pivot long scores (juror_id, innovation_id, stage, criterion, score) to an array."""
    jurors, entries = list(jurors), list(entries)
    crit = stage.criterion_ids
    array = np.full((len(jurors), len(entries), len(crit)), np.nan)
    part = scores[(scores["stage"] == stage.id) & scores["juror_id"].isin(jurors)
                  & scores["innovation_id"].isin(entries) & scores["criterion"].isin(crit)]
    if not part.empty:
        j = pd.Index(jurors).get_indexer(part["juror_id"])
        e = pd.Index(entries).get_indexer(part["innovation_id"])
        c = pd.Index(crit).get_indexer(part["criterion"])
        array[j, e, c] = part["score"].to_numpy(dtype=float)
    return StageScores(stage, jurors, entries, array)


def weighted_totals(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Sum of weight x score over criteria; NaN unless every criterion was scored.

    ``scores`` is (J, E, C); ``weights`` is (C,) or a batch (B, C) of weights that each sum
    to 1, giving (J, E) or (B, J, E).
    """
    complete = ~np.isnan(scores).any(axis=-1)
    filled = np.nan_to_num(scores, nan=0.0)
    if weights.ndim == 1:
        totals = filled @ weights
        return np.where(complete, totals, np.nan)
    totals = np.einsum("jec,bc->bje", filled, weights)
    return np.where(complete[None], totals, np.nan)


def combine(totals: np.ndarray, method: str, trim: float = 0.2) -> np.ndarray:
    """Combine jurors' totals (..., J, E) into one score per entry (..., E); NaN if nobody."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "mean":
            return np.nanmean(totals, axis=-2)
        if method == "median":
            return np.nanmedian(totals, axis=-2)
        if method == "trimmed_mean":
            return _trimmed_mean(totals, trim)
        return _zscore_mean(totals)


def _trimmed_mean(totals: np.ndarray, trim: float) -> np.ndarray:
    ordered = np.sort(totals, axis=-2)  # NaN sort last
    n = (~np.isnan(totals)).sum(axis=-2)  # (..., E)
    cut = np.floor(trim * n).astype(int)
    pos = np.arange(totals.shape[-2]).reshape((-1, 1))  # (J, 1), broadcast over entries
    keep = (pos >= cut[..., None, :]) & (pos < (n - cut)[..., None, :])
    kept = np.where(keep, ordered, 0.0).sum(axis=-2)
    count = keep.sum(axis=-2)
    return np.where(count > 0, kept / np.maximum(count, 1), np.nan)


def _zscore_mean(totals: np.ndarray) -> np.ndarray:
    valid = ~np.isnan(totals)
    n = valid.sum(axis=-1, keepdims=True)  # per juror
    mean = np.nansum(totals, axis=-1, keepdims=True) / np.maximum(n, 1)
    dev = np.where(valid, totals - mean, 0.0)
    sd = np.sqrt((dev**2).sum(axis=-1, keepdims=True) / np.maximum(n - 1, 1))
    usable = (n >= 2) & (sd > 0)
    z = np.where(valid, np.where(usable, dev / np.where(usable, sd, 1.0), 0.0), np.nan)
    zbar = np.nanmean(z, axis=-2)  # (..., E)
    has = n[..., 0] > 0  # jurors with any score
    center = np.where(has, mean[..., 0], 0.0).sum(axis=-1) / np.maximum(has.sum(axis=-1), 1)
    spread_ok = usable[..., 0]
    spread = (np.where(spread_ok, sd[..., 0], 0.0).sum(axis=-1)
              / np.maximum(spread_ok.sum(axis=-1), 1))
    return center[..., None] + spread[..., None] * zbar


def juror_totals(data: Sequence[StageScores]) -> pd.DataFrame:
    """Long table: stage, juror_id, innovation_id, total (complete totals only)."""
    frames = []
    for part in data:
        totals = part.totals
        j, e = np.nonzero(~np.isnan(totals))
        frames.append(pd.DataFrame({
            "stage": part.stage.id,
            "juror_id": np.array(part.jurors, dtype=object)[j].astype(str),
            "innovation_id": np.array(part.entries, dtype=object)[e].astype(str),
            "total": totals[j, e],
        }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["stage", "juror_id", "innovation_id", "total"])


def entry_scores(data: Sequence[StageScores], rubric: JuryRubric, method: str,
                 trim: float = 0.2, reached: np.ndarray | None = None
                 ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Final score per entry and each stage's score.

    The final score weighs the stages an entry competed in (``reached``: the index of its
    last stage; all stages when None) with the stage weights, renormalised over those stages:
    a finalist's final score is the weighted mean of every stage, an entry that went out
    after the first stage keeps its first-stage score. A missing stage score leaves it NaN.
    """
    per_stage = {p.stage.id: combine(p.totals, method, trim) for p in data}
    stacked = np.vstack([per_stage[s] for s in rubric.stage_ids])
    return final_scores(stacked, rubric.stage_weights, reached), per_stage


def final_scores(stacked: np.ndarray, weights: np.ndarray, reached: np.ndarray | None
                 ) -> np.ndarray:
    """Combine stage scores (..., S, E) with stage weights (S,) or (..., S) over the stages
    each entry reached."""
    n_stages, n_entries = stacked.shape[-2], stacked.shape[-1]
    last = np.full(n_entries, n_stages - 1) if reached is None else reached
    took = np.arange(n_stages)[:, None] <= last[None, :]  # (S, E)
    w = weights[..., :, None] * took  # (..., S, E)
    total = w.sum(axis=-2)
    final = (w * np.nan_to_num(stacked)).sum(axis=-2) / np.where(total > 0, total, 1.0)
    missing = (np.isnan(stacked) & took).any(axis=-2) | (last < 0)
    return np.where(missing, np.nan, final)


def tie_values(data: Sequence[StageScores], rubric: JuryRubric, method: str, trim: float,
               per_stage: dict[str, np.ndarray]) -> list[np.ndarray]:
    """One array per tie-break key: the stage score, or the criterion combined across jurors."""
    by_stage = {p.stage.id: p for p in data}
    out = []
    for key in rubric.tie_break:
        if not key.criterion:
            out.append(per_stage[key.stage])
            continue
        part = by_stage[key.stage]
        c = part.stage.criterion_ids.index(key.criterion)
        out.append(combine(part.scores[:, :, c], method, trim))
    return out


def competition_ranks(primary: np.ndarray, keys: Sequence[np.ndarray] = (),
                      group: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Ranks (1 = best; NaN score = unranked) and the index of the key that broke each tie.

    ``group`` (optional) ranks first: a higher group is always better (the round an entry
    reached), the score only orders entries within a group; an unscored entry of a higher
    group still holds its place above the lower groups (a finalist not yet scored is not
    overtaken by an entry that went out). Returns ``(rank, broken_by)``;
    ``broken_by[i]`` is -1 when entry i was not tied with a neighbour on the score, k when
    tie-break key k separated it, and len(keys) when it remains tied and shares a rank.
    """
    groups = np.zeros(len(primary)) if group is None else np.asarray(group, dtype=float)
    columns = [np.round(primary, TIE_DECIMALS)] + [np.round(k, TIE_DECIMALS) for k in keys]
    # Sort descending, NaN last: lexsort sorts ascending on the last key first.
    sort_keys = [np.where(np.isnan(c), np.inf, -c) for c in reversed(columns)] + [-groups]
    order = np.lexsort(sort_keys).tolist()
    n = len(primary)
    rank = np.full(n, np.nan)
    broken = np.full(n, -1)
    # plain lists for the walk below: a Python loop over numpy scalars costs 20 x more
    compared = [np.nan_to_num(c, nan=-np.inf).tolist() for c in columns]
    group_of = groups.tolist()
    unscored = np.isnan(primary).tolist()
    prev: tuple[float, ...] | None = None
    prev_rank = np.nan
    above = {g: int((groups > g).sum()) for g in np.unique(groups).tolist()}  # places above
    within: dict[float, int] = {}
    ranked = [i for i in order if not unscored[i]]
    for i in ranked:
        g = group_of[i]
        within[g] = within.get(g, 0) + 1
        position = above[g] + within[g]
        row = (g, *(c[i] for c in compared))
        rank[i] = prev_rank if prev == row else position
        prev, prev_rank = row, rank[i]
    first = compared[0]
    for a, b in itertools.pairwise(ranked):
        if group_of[a] != group_of[b] or first[a] != first[b]:
            continue
        first_diff = next((k for k in range(1, len(columns))
                           if compared[k][a] != compared[k][b]), len(columns))
        for i in (a, b):
            broken[i] = max(broken[i], first_diff - 1)
    return rank, broken


def count_jurors(data: Sequence[StageScores], reached: np.ndarray | None = None
                 ) -> np.ndarray:
    """Number of jurors with a complete total per entry (the smallest over the stages it
    competed in)."""
    counts = np.vstack([(~np.isnan(p.totals)).sum(axis=0) for p in data]).astype(float)
    if reached is not None:
        took = np.arange(len(data))[:, None] <= reached[None, :]
        counts = np.where(took, counts, np.inf)
    low = counts.min(axis=0)
    return np.where(np.isinf(low), 0, low).astype(int)


def ranking(data: Sequence[StageScores], rubric: JuryRubric, method: str,
            trim: float = 0.2, reached: np.ndarray | None = None) -> pd.DataFrame:
    """The leaderboard: innovation_id, score, rank, n_jurors, stage scores, tie_break (and,
    with rounds, the index of the stage each entry reached: finalists rank above the rest)."""
    entries = data[0].entries
    final, per_stage = entry_scores(data, rubric, method, trim, reached)
    keys = tie_values(data, rubric, method, trim, per_stage)
    rank, broken = competition_ranks(final, keys, reached)
    labels = [k.stage if not k.criterion else (
        f"{k.stage}.{k.criterion}" if rubric.multi_stage else k.criterion)
        for k in rubric.tie_break]
    tie_note = ["" if b < 0 else ("shared" if b >= len(labels) else labels[b]) for b in broken]
    frame = pd.DataFrame({
        "innovation_id": pd.Series(entries, dtype="str"),
        "score": final,
        "rank": pd.array(rank, dtype="Int64"),
        "n_jurors": count_jurors(data, reached),
        "tie_break": pd.Series(tie_note, dtype="str"),
    })
    if rubric.multi_stage:
        for stage_id, values in per_stage.items():
            frame[f"score_{stage_id}"] = values
        last = np.full(len(entries), len(data) - 1) if reached is None else reached
        frame["round"] = [rubric.stage_ids[k] if k >= 0 else "" for k in last]
    order = frame.assign(_r=frame["rank"].astype("Float64").fillna(np.inf))
    order = order.sort_values(["_r", "innovation_id"], kind="stable")
    return order.drop(columns="_r").reset_index(drop=True)
