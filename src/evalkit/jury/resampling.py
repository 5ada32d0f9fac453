"""How robust the ranking is: resample jurors and perturb the criterion weights.

Each of ``n`` resamples draws the panel again with replacement (a bootstrap of jurors, per
stage) and multiplies every criterion and stage weight by an independent factor drawn
uniformly from ``[1 - spread, 1 + spread]`` (the GII audit's +-20%). The ranking is recomputed
with the chosen method, and each entry gets its median rank, its 5-95% rank interval and its
probability of finishing in the top k. Everything is one set of numpy array operations over
the resamples, so 2,000 resamples of 60 entries x 7 jurors take well under a second.

Within a resample, ties share the better rank (the tie-break order is not replayed), and an
entry that no drawn juror scored is unranked in that resample: it counts as not in the top k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from evalkit.jury.aggregate import (
    TIE_DECIMALS,
    StageScores,
    combine,
    final_scores,
    weighted_totals,
)
from evalkit.jury.rubric import JuryRubric


@dataclass(frozen=True)
class Robustness:
    """Per-entry rank statistics and the resampled ranks themselves (resamples x entries)."""

    table: pd.DataFrame
    ranks: np.ndarray
    n_resamples: int
    spread: float
    top_k: int


def _perturbed(weights: np.ndarray, n: int, spread: float,
               rng: np.random.Generator) -> np.ndarray:
    """(n, C) weights: each nominal weight times U(1-spread, 1+spread), renormalised."""
    factors = rng.uniform(1 - spread, 1 + spread, size=(n, weights.size)) if spread > 0 else (
        np.ones((n, weights.size)))
    w = weights[None, :] * factors
    return w / w.sum(axis=1, keepdims=True)


def resample_scores(data: Sequence[StageScores], rubric: JuryRubric, method: str, *,
                    n: int = 2000, spread: float = 0.2, trim: float = 0.2, seed: int = 0,
                    resample_jurors: bool = True, reached: np.ndarray | None = None
                    ) -> np.ndarray:
    """Final scores of every resample: an (n, E) array (NaN = no drawn juror scored it).

    With rounds (``reached``), each entry's final score weighs only the stages it competed
    in, as in :func:`evalkit.jury.aggregate.final_scores`; the shortlist itself is a decision
    already taken and is not redrawn.
    """
    rng = np.random.default_rng(seed)
    stage_w = _perturbed(rubric.stage_weights, n, spread, rng)
    weights, draws = [], []  # drawn stage by stage, in this order, before any block
    for part in data:
        weights.append(_perturbed(part.stage.weights, n, spread, rng))
        n_jurors = part.scores.shape[0]
        draws.append(rng.integers(0, n_jurors, size=(n, n_jurors)) if resample_jurors
                     else None)
    n_entries = len(data[0].entries)
    out = np.empty((n, n_entries))
    # A block of resamples at a time, every stage, then the final score: the (b, J, E)
    # totals and (b, S, E) stage scores stay small however many resamples and entries.
    cells = sum(part.scores.shape[0] for part in data) * n_entries
    for rows in _blocks(n, cells):
        stacked = np.empty((rows.stop - rows.start, len(data), n_entries))
        for s, part in enumerate(data):
            totals = weighted_totals(part.scores, weights[s][rows])  # (b, J, E)
            if draws[s] is not None:
                totals = totals[np.arange(totals.shape[0])[:, None], draws[s][rows]]
            stacked[:, s, :] = combine(totals, method, trim)  # (b, E)
        out[rows] = final_scores(stacked, stage_w[rows], reached)
    return out


def _blocks(n: int, cells: int, budget: int = 4_000_000) -> list[slice]:
    """Row slices of at most ``budget`` cells (of ``cells`` per row) covering ``range(n)``."""
    size = max(1, budget // max(cells, 1))
    return [slice(start, min(start + size, n)) for start in range(0, n, size)]


def resample_ranks(scores: np.ndarray, group: np.ndarray | None = None) -> np.ndarray:
    """Competition ranks per resample (1 = best, ties share the better rank, NaN unranked).

    A higher ``group`` (the round reached) always ranks above a lower one."""
    g = np.zeros(scores.shape[1]) if group is None else np.asarray(group)
    ranks = np.empty(scores.shape)
    for rows in _blocks(scores.shape[0], scores.shape[1], 1_000_000):  # rank independently
        s = np.round(scores[rows], TIE_DECIMALS)
        valid = ~np.isnan(s)
        filled = np.where(valid, s, -np.inf)
        # 1 + entries above: every entry of a higher group, and those of the same group with
        # a higher score, counted by sorting within the group (not an (n, E, E) comparison)
        better = np.zeros(filled.shape)
        for value in np.unique(g):
            cols = g == value
            within = rankdata(-filled[:, cols], method="min", axis=1) - 1.0
            better[:, cols] = within + float((g > value).sum())
        ranks[rows] = np.where(valid, 1.0 + better, np.nan)
    return ranks


def robustness(data: Sequence[StageScores], rubric: JuryRubric, method: str, *,
               n: int = 2000, spread: float = 0.2, trim: float = 0.2, seed: int = 0,
               top_k: int = 3, resample_jurors: bool = True,
               reached: np.ndarray | None = None) -> Robustness:
    """Median rank, 5-95% rank interval, P(top k) and P(first) for every entry."""
    scores = resample_scores(data, rubric, method, n=n, spread=spread, trim=trim, seed=seed,
                             resample_jurors=resample_jurors, reached=reached)
    ranks = resample_ranks(scores, reached)
    del scores  # (n, E): only the ranks are kept
    ranked = ~np.isnan(ranks)
    with np.errstate(invalid="ignore"):  # NaN (unranked) is never within the top k
        any_ranked = ranked.any(axis=0)
        low = _quantile(ranks, 0.05, any_ranked)
        high = _quantile(ranks, 0.95, any_ranked)
        median = _quantile(ranks, 0.5, any_ranked, exact=False)
    table = pd.DataFrame({
        "innovation_id": pd.Series(data[0].entries, dtype="str"),
        "median_rank": median,
        "rank_low": low,
        "rank_high": high,
        "p_top": (ranks <= top_k).mean(axis=0),
        "p_first": (ranks <= 1).mean(axis=0),
        "p_ranked": ranked.mean(axis=0),
    })
    return Robustness(table, ranks, n, spread, top_k)


def _quantile(ranks: np.ndarray, q: float, any_ranked: np.ndarray, exact: bool = True
              ) -> np.ndarray:
    """Per-entry quantile of ranks; ``exact`` picks an observed rank (no interpolation)."""
    out = np.full(ranks.shape[1], np.nan)
    method = "inverted_cdf" if exact else "linear"
    # Entries ranked in every resample (the usual case) in one vectorised call: nanquantile
    # loops over columns in Python (1.8 s at 5,000 entries); the result is the same.
    complete = ~np.isnan(ranks).any(axis=0)
    if complete.any():
        out[complete] = np.quantile(ranks[:, complete], q, axis=0, method=method,
                                    overwrite_input=True)  # sorts its own copy in place
    partial = any_ranked & ~complete
    if partial.any():
        out[partial] = np.nanquantile(ranks[:, partial], q, axis=0, method=method)
    return out


@dataclass(frozen=True)
class Verdict:
    """Whether the winner is clear: ``clear``, ``likely`` or ``open`` (or ``none``)."""

    winner: str
    p_first: float
    level: str
    contenders: list[str]


def verdict(ranking: pd.DataFrame, table: pd.DataFrame, clear: float = 0.9,
            likely: float = 0.5, contender: float = 0.1) -> Verdict:
    """Read the resampling in plain terms.

    ``clear``: the winner also comes first in at least ``clear`` of the resamples and does
    not share first place; ``likely``: at least ``likely``; ``open``: less. Contenders are
    the entries that come first in at least ``contender`` of the resamples.
    """
    ranked = ranking.dropna(subset=["rank"])
    if ranked.empty:
        return Verdict("", float("nan"), "none", [])
    first = ranked[ranked["rank"] == 1]["innovation_id"].tolist()
    p = table.set_index("innovation_id")["p_first"]
    winner = first[0]
    p_win = float(p.get(winner, np.nan))
    rivals = p[p >= contender].sort_values(ascending=False, kind="stable").index.tolist()
    if len(first) > 1:
        level = "open"
    elif p_win >= clear:
        level = "clear"
    else:
        level = "likely" if p_win >= likely else "open"
    return Verdict(winner, p_win, level, [str(r) for r in rivals])
