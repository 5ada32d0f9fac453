"""Recycled submissions: novelty (*kebaruan*) is the competition's first criterion.

For each innovation, the most similar innovation of an earlier year (the region's earlier
years, plus an optional reference corpus such as a national list) and how similar it is.
Similarity is the cosine of character n-gram TF-IDF vectors, the larger of the title-only
and the title-plus-description value: a re-submission often keeps its acronym and title but
rewrites the description, or copies the description under a new name. Pairs at or above the
threshold are flagged as possible re-submissions for the evaluators to judge.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from evalkit.themes.text import normalize

COLUMNS = ("innovation_id", "year", "title", "unit_name")
MATCH_COLUMNS = ("match_id", "match_year", "match_title", "match_unit", "match_source")
CELLS_PER_CHUNK = 5_000_000  # similarity cells computed at once (memory bound)


def _texts(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    titles = [normalize(t) for t in frame["title"]]
    descriptions = frame.get("description", pd.Series([""] * len(frame), index=frame.index))
    full = [f"{t} {normalize(d)}".strip() for t, d in zip(titles, descriptions, strict=True)]
    return titles, full


def most_similar_earlier(current: pd.DataFrame, earlier: pd.DataFrame,
                         threshold: float) -> pd.DataFrame:
    """For each row of ``current`` the most similar row of ``earlier`` from a strictly
    earlier year, with ``similarity`` (0-1) and ``flagged`` (similarity >= threshold).

    Both frames need innovation_id, year, title; description, unit_name and (in
    ``earlier``) source ("region" or "reference") are used when present. Reference rows
    without a year count as earlier than every current row.
    """
    out = current.reindex(columns=list(COLUMNS)).reset_index(drop=True)
    out = out.astype({"innovation_id": "str", "title": "str", "unit_name": "str"})
    n = len(out)
    match = np.full(n, -1)
    best = np.full(n, np.nan)
    if n and len(earlier):
        cur_titles, cur_full = _texts(current)
        old_titles, old_full = _texts(earlier)
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        full = vectorizer.fit_transform(cur_full + old_full)  # each text analysed once
        a_full, b_full = full[:n], full[n:]
        a_title, b_title = vectorizer.transform(cur_titles), vectorizer.transform(old_titles)
        cur_year = pd.to_numeric(current["year"], errors="coerce").to_numpy(dtype=float)
        old_year = pd.to_numeric(earlier["year"], errors="coerce").fillna(-np.inf)
        old_year = old_year.to_numpy(dtype=float)
        same_id = earlier["innovation_id"].astype(str).to_numpy()
        step = max(1, CELLS_PER_CHUNK // max(1, len(earlier)))
        for start in range(0, n, step):
            rows = slice(start, min(n, start + step))
            sim = np.maximum((a_title[rows] @ b_title.T).toarray(),
                             (a_full[rows] @ b_full.T).toarray())
            valid = old_year[None, :] < cur_year[rows, None]
            valid &= same_id[None, :] != out["innovation_id"].to_numpy()[rows, None]
            sim = np.where(valid, sim, -1.0)
            idx = sim.argmax(axis=1)
            top = sim[np.arange(sim.shape[0]), idx]
            match[rows] = np.where(top >= 0, idx, -1)
            best[rows] = np.where(top >= 0, np.clip(top, 0.0, 1.0), np.nan)
    old = earlier.reindex(columns=["innovation_id", "year", "title", "unit_name", "source"])
    old = old.astype({"source": "str"}).reset_index(drop=True)
    old["source"] = old["source"].fillna("region")
    picked = old.reindex(match).reset_index(drop=True)  # -1: no match, an empty row
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    for column, name in zip(MATCH_COLUMNS, ("innovation_id", "year", "title", "unit_name",
                                            "source"), strict=True):
        values = picked[name]
        out[column] = (pd.to_numeric(values, errors="coerce").astype("Int64")
                       if name == "year" else values.astype("str"))
    out["similarity"] = best.astype("float64")
    out["flagged"] = np.nan_to_num(best, nan=-1.0) >= threshold
    return out


def flagged_pairs(similar: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows, most similar first (ties by innovation id)."""
    flagged = similar[similar["flagged"]]
    return flagged.sort_values(["similarity", "innovation_id"], ascending=[False, True],
                               kind="stable").reset_index(drop=True)
