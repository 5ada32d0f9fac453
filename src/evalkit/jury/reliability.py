"""Agreement between jurors and each juror's effect on the result.

* Krippendorff's alpha (interval metric) tolerates missing ratings, so it works for panels
  where recusals leave holes. Read it with Krippendorff's own thresholds: >= 0.80 reliable,
  >= 0.667 tentative, below that not reliable.
* ICC(2,k) (two-way random, absolute agreement, mean of k jurors; Shrout & Fleiss) needs every
  juror to score every entry; it comes with its 95% interval (McGraw & Wong), read with
  Koo & Li's bands.
* Leniency: how far a juror's totals sit above (+) or below (-) the other jurors' mean for the
  same entries; a juror is flagged when that gap is large or their order of entries is unlike
  the others'.
* Connectivity: z-scores compare jurors through shared entries, so every pair of jurors must be
  linked through a chain of shared entries before they are used.

Both statistics are implemented here; the ``krippendorff`` and ``pingouin`` packages are only
used in the tests, to check these to 1e-9.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import f as f_dist

from evalkit.jury.aggregate import StageScores

ALPHA_RELIABLE = 0.80
ALPHA_TENTATIVE = 0.667
ICC_BANDS = ((0.9, "excellent"), (0.75, "good"), (0.5, "moderate"), (-np.inf, "poor"))


def krippendorff_alpha_interval(ratings: np.ndarray) -> float:
    """Krippendorff's alpha, interval metric. ``ratings`` is (raters, units), NaN = missing.

    Uses the pairable values only (units with at least two ratings):
    ``alpha = 1 - (n - 1) * sum_u D_u / (m_u - 1) / D_all`` where ``D`` is the sum of squared
    differences over ordered pairs of values within a unit, or over all pairable values.
    """
    data = np.asarray(ratings, dtype=float)
    m = (~np.isnan(data)).sum(axis=0)
    data = data[:, m >= 2]
    m = m[m >= 2]
    n = m.sum()
    if n == 0:
        return float("nan")
    filled = np.nan_to_num(data, nan=0.0)
    s1, s2 = filled.sum(axis=0), (filled**2).sum(axis=0)
    within = (2 * m * s2 - 2 * s1**2) / (m - 1)
    total = 2 * n * s2.sum() - 2 * s1.sum() ** 2
    if total <= 0:
        return float("nan")  # every value identical: agreement is undefined
    return float(1 - (n - 1) * within.sum() / total)


def alpha_reading(alpha: float) -> str:
    """``reliable`` / ``tentative`` / ``unreliable`` (or ``undefined``) by Krippendorff's rule."""
    if np.isnan(alpha):
        return "undefined"
    if alpha >= ALPHA_RELIABLE:
        return "reliable"
    return "tentative" if alpha >= ALPHA_TENTATIVE else "unreliable"


@dataclass(frozen=True)
class ICC:
    value: float
    ci_low: float
    ci_high: float
    f: float
    df1: int
    df2: int
    pval: float

    @property
    def reading(self) -> str:
        return next(label for bound, label in ICC_BANDS if self.value >= bound)


def icc2k(matrix: np.ndarray, level: float = 0.95) -> ICC:
    """ICC(2,k) of a complete (entries, jurors) matrix, with its confidence interval."""
    y = np.asarray(matrix, dtype=float)
    if np.isnan(y).any():
        raise ValueError("ICC(2,k) needs every juror to score every entry")
    n, k = y.shape
    if n < 2 or k < 2:
        raise ValueError("ICC(2,k) needs at least two entries and two jurors")
    grand = y.mean()
    ssr = k * ((y.mean(axis=1) - grand) ** 2).sum()
    ssc = n * ((y.mean(axis=0) - grand) ** 2).sum()
    sse = ((y - grand) ** 2).sum() - ssr - ssc
    msr, msc = ssr / (n - 1), ssc / (k - 1)
    mse = sse / ((n - 1) * (k - 1))
    icc1 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    value = (msr - mse) / (msr + (msc - mse) / n)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    fval = msr / mse
    # McGraw & Wong (1996) interval for ICC(A,1), carried to k jurors (Spearman-Brown).
    a = 1 - level
    fj = msc / mse
    vn = df2 * (k * icc1 * fj + n * (1 + (k - 1) * icc1) - k * icc1) ** 2
    vd = df1 * k**2 * icc1**2 * fj**2 + (n * (1 + (k - 1) * icc1) - k * icc1) ** 2
    v = vn / vd
    fu = f_dist.ppf(1 - a / 2, n - 1, v)
    fl = f_dist.ppf(1 - a / 2, v, n - 1)
    lo = n * (msr - fu * mse) / (fu * (k * msc + (k * n - k - n) * mse) + n * msr)
    hi = n * (fl * msr - mse) / (k * msc + (k * n - k - n) * mse + n * fl * msr)
    return ICC(float(value), float(lo * k / (1 + lo * (k - 1))), float(hi * k / (1 + hi * (k - 1))),
               float(fval), int(df1), int(df2), float(f_dist.sf(fval, df1, df2)))


def components(scored: np.ndarray) -> list[list[int]]:
    """Groups of jurors linked through shared entries; ``scored`` is a (J, E) boolean array."""
    n = scored.shape[0]
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shared = (scored.astype(int) @ scored.T.astype(int)) > 0
    for i in range(n):
        for j in range(i + 1, n):
            if shared[i, j]:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        if scored[i].any():
            groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())


def is_connected(scored: np.ndarray) -> bool:
    """True when every juror who scored anything is linked to every other one."""
    return len(components(scored)) <= 1


def leniency(totals: np.ndarray, jurors: Sequence[str], limit: float,
             min_r: float = 0.3) -> pd.DataFrame:
    """Per juror: entries scored, leniency, correlation with the others, outlier flag.

    ``totals`` is (J, E). The consensus for juror j leaves j out (mean of the other jurors on
    the same entry), so a single harsh juror cannot pull the yardstick towards themselves.
    ``limit`` is the leniency (in points) beyond which a juror is flagged.
    """
    valid = ~np.isnan(totals)
    filled = np.nan_to_num(totals)
    count, total = valid.sum(axis=0), filled.sum(axis=0)
    rows = []
    for j, juror in enumerate(jurors):
        others_n = count - valid[j]
        use = valid[j] & (others_n > 0)
        consensus = (total - filled[j])[use] / others_n[use]
        own = totals[j, use]
        diff = own - consensus
        lean = float(diff.mean()) if use.any() else float("nan")
        r = float("nan")
        if use.sum() >= 3 and own.std() > 0 and consensus.std() > 0:
            r = float(np.corrcoef(own, consensus)[0, 1])
        severe = not np.isnan(lean) and abs(lean) > limit
        odd = not np.isnan(r) and r < min_r
        rows.append({"juror_id": juror, "n_entries": int(valid[j].sum()), "leniency": lean,
                     "consensus_r": r, "outlier": bool(severe or odd),
                     "flag": "+".join(f for f, on in (("leniency", severe), ("order", odd))
                                      if on)})
    return pd.DataFrame(rows)


def standardised(totals: np.ndarray) -> np.ndarray:
    """Each juror's totals as z-scores over the entries they scored (sample SD)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(totals, axis=1, keepdims=True)
        sd = np.nanstd(totals, axis=1, ddof=1, keepdims=True)
    return np.where(sd > 0, (totals - mean) / np.where(sd > 0, sd, 1.0), np.nan)


def agreement(data: Sequence[StageScores]) -> pd.DataFrame:
    """Agreement per stage: alpha on totals and per criterion, ICC(2,k) on complete designs.

    Scope ``total_z`` is alpha on each juror's standardised totals: agreement once lenient
    and severe jurors are evened out, as the z-score method does. Columns: stage, scope
    (``total``, ``total_z`` or a criterion id), measure, value, ci_low, ci_high, n_entries,
    n_jurors, reading.
    """
    rows = []
    for part in data:
        totals = part.totals
        tables = [("total", totals), ("total_z", standardised(totals))]
        tables += [(c, part.scores[:, :, i]) for i, c in enumerate(part.stage.criterion_ids)]
        for scope, values in tables:
            scored = ~np.isnan(values)
            keep_j, keep_e = scored.any(axis=1), scored.any(axis=0)
            sub = values[np.ix_(keep_j, keep_e)]
            alpha = krippendorff_alpha_interval(sub)
            rows.append({"stage": part.stage.id, "scope": scope, "measure": "alpha",
                         "value": alpha, "ci_low": np.nan, "ci_high": np.nan,
                         "n_entries": int(keep_e.sum()), "n_jurors": int(keep_j.sum()),
                         "reading": alpha_reading(alpha)})
            complete = sub.size > 0 and not np.isnan(sub).any()
            if scope == "total" and complete and min(sub.shape) >= 2:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    icc = icc2k(sub.T)
                rows.append({"stage": part.stage.id, "scope": scope, "measure": "icc2k",
                             "value": icc.value, "ci_low": icc.ci_low, "ci_high": icc.ci_high,
                             "n_entries": sub.shape[1], "n_jurors": sub.shape[0],
                             "reading": icc.reading})
    return pd.DataFrame(rows)
