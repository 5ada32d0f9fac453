"""Emerging clusters: groups among the innovations the taxonomy did not place well.

What landed in the fallback theme or below the confidence bar is clustered (TF-IDF of the
content words, k-means on unit-length rows, so Euclidean k-means ranks like cosine; k chosen
by silhouette) and each cluster is described by its top terms and example titles. A large,
coherent cluster hints at a theme the taxonomy lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from evalkit.themes.text import content_words, normalize

MIN_ROWS = 6  # fewer rows than this are listed, not clustered
TOP_TERMS = 6
EXAMPLES = 3
SILHOUETTE_SAMPLE = 3000  # silhouette is quadratic: score a sample on large pools


@dataclass(frozen=True)
class EmergingClusters:
    """Cluster descriptions, each pooled row's cluster, and how k was chosen."""

    clusters: pd.DataFrame  # cluster, size, top_terms, examples
    members: pd.DataFrame  # innovation_id, cluster
    k: int
    silhouette: float  # NaN when nothing was clustered


def _empty(members: pd.Series) -> EmergingClusters:
    return EmergingClusters(
        clusters=pd.DataFrame({"cluster": pd.Series(dtype="int64"),
                               "size": pd.Series(dtype="int64"),
                               "top_terms": pd.Series(dtype="str"),
                               "examples": pd.Series(dtype="str")}),
        members=pd.DataFrame({"innovation_id": members.astype("str"),
                              "cluster": pd.array([pd.NA] * len(members), dtype="Int64")}),
        k=0, silhouette=float("nan"))


def emerging_clusters(pool: pd.DataFrame, stopwords: frozenset[str], max_clusters: int = 8,
                      random_state: int = 0) -> EmergingClusters:
    """Cluster ``pool`` (innovation_id, title, description) and describe each cluster.

    k runs from 2 to ``max_clusters`` (at most a third of the rows) and the k with the best
    silhouette wins; with fewer than :data:`MIN_ROWS` rows, or texts without shared words,
    nothing is clustered.
    """
    ids = pool["innovation_id"].astype(str).reset_index(drop=True)
    if len(pool) < MIN_ROWS:
        return _empty(ids)
    titles = pool["title"].fillna("").astype(str).reset_index(drop=True)
    descriptions = pool.get("description", pd.Series([""] * len(pool), index=pool.index))
    texts = [" ".join(content_words(normalize(f"{t} {d}"), stopwords))
             for t, d in zip(titles, descriptions.fillna("").astype(str), strict=True)]
    vectorizer = TfidfVectorizer(analyzer=str.split, min_df=2, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no word occurs twice
        return _empty(ids)
    usable = np.asarray(matrix.getnnz(axis=1) > 0)
    if usable.sum() < MIN_ROWS:
        return _empty(ids)
    rows = matrix[usable]
    best: tuple[float, int, np.ndarray, np.ndarray] | None = None
    for k in range(2, max(2, min(max_clusters, int(usable.sum()) // 3)) + 1):
        model = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit(rows)
        if len(set(model.labels_)) < 2:
            continue
        score = silhouette_score(rows, model.labels_, metric="cosine",
                                 sample_size=min(SILHOUETTE_SAMPLE, rows.shape[0]),
                                 random_state=random_state)
        if best is None or score > best[0]:
            best = (float(score), k, model.labels_, model.cluster_centers_)
    if best is None:
        return _empty(ids)
    score, k, labels, centres = best
    terms = vectorizer.get_feature_names_out()
    assigned = np.full(len(pool), -1)
    assigned[usable] = labels
    order = _order_by_size(labels, k)
    described = []
    for new_id, old in enumerate(order, start=1):
        inside = np.flatnonzero(labels == old)
        closeness = np.asarray(rows[inside] @ centres[old]).ravel()
        examples = titles[usable].iloc[inside[np.argsort(-closeness)[:EXAMPLES]]]
        described.append({"cluster": new_id, "size": len(inside),
                          "top_terms": ", ".join(_top_terms(centres[old], terms)),
                          "examples": " | ".join(examples)})
    renumber = {old: new for new, old in enumerate(order, start=1)}
    members = pd.DataFrame({
        "innovation_id": ids,
        "cluster": pd.array([renumber.get(c, pd.NA) for c in assigned], dtype="Int64")})
    clusters = pd.DataFrame(described).astype({"cluster": "int64", "size": "int64",
                                               "top_terms": "str", "examples": "str"})
    return EmergingClusters(clusters, members, k, score)


def _top_terms(centre: np.ndarray, terms: np.ndarray) -> list[str]:
    top = np.argsort(-centre, kind="stable")[:TOP_TERMS]
    return [str(terms[i]) for i in top if centre[i] > 0]


def _order_by_size(labels: np.ndarray, k: int) -> list[int]:
    """Cluster numbers, largest first (ties by number), so cluster 1 is the biggest."""
    sizes = np.bincount(labels, minlength=k)
    return sorted(range(k), key=lambda c: (-sizes[c], c))
