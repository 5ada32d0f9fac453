"""Which innovations an evaluator should label first: the ones the model is least sure
about, spread over different kinds of text (uncertainty plus diversity).

Uncertainty is the margin between the two most probable themes (calibrated probabilities):
1 when they tie, 0 when one theme takes everything. Labelling only the most uncertain rows
tends to pick ten copies of the same puzzle (ten acronym-only titles of one unit), so the
rows are chosen greedily: each next row maximises uncertainty x its distance (1 - cosine
similarity of the model's text features) to the rows already chosen and already labelled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize as l2_normalize

from evalkit.themes.classifier import ThemeClassifier

POOL_FACTOR = 10  # candidates considered: the POOL_FACTOR x n most uncertain rows
MIN_POOL = 300


def margin_uncertainty(proba: np.ndarray) -> np.ndarray:
    """1 - (p_first - p_second) per row."""
    if proba.shape[1] < 2:
        return np.zeros(len(proba))
    top = np.sort(proba, axis=1)[:, -2:]
    return 1.0 - (top[:, 1] - top[:, 0])


def text_vectors(model: ThemeClassifier, features: sp.csr_matrix) -> sp.csr_matrix:
    """L2-normalised word and character features of the fitted model (no seed columns)."""
    return l2_normalize(features[:, :features.shape[1] - len(model.classes_)])


def choose(uncertainty: np.ndarray, vectors: sp.csr_matrix, n: int,
           labelled: sp.csr_matrix | None = None) -> list[int]:
    """Greedy picks: each maximises uncertainty x distance to everything chosen or labelled.
    Ties go to the earlier row, so the choice is deterministic."""
    n = min(n, len(uncertainty))
    if n <= 0:
        return []
    pool = np.argsort(-uncertainty, kind="stable")[:max(POOL_FACTOR * n, MIN_POOL)]
    pool_vectors = vectors[pool]
    distance = np.ones(len(pool))
    if labelled is not None and labelled.shape[0]:
        similarity = (pool_vectors @ labelled.T).max(axis=1).toarray().ravel()
        distance = np.clip(1.0 - similarity, 0.0, 1.0)
    chosen: list[int] = []
    available = np.ones(len(pool), dtype=bool)
    for _ in range(n):
        score = np.where(available, uncertainty[pool] * (distance + 1e-6), -1.0)
        pick = int(np.argmax(score))
        chosen.append(int(pool[pick]))
        available[pick] = False
        similarity = (pool_vectors @ pool_vectors[pick].T).toarray().ravel()
        distance = np.minimum(distance, np.clip(1.0 - similarity, 0.0, 1.0))
    return chosen


def suggest(model: ThemeClassifier, frame: pd.DataFrame, n: int,
            labelled: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``n`` rows of ``frame`` whose labels would teach the fitted ``model`` most, in the
    order to label them, with the model's current theme, confidence and uncertainty and an
    empty ``theme`` column for the evaluator. Rows whose innovation_id is already in
    ``labelled`` are never suggested."""
    frame = frame.reset_index(drop=True)
    features, evidence = model.transform_texts(frame)
    proba = model.proba_from(features, evidence)
    uncertainty = margin_uncertainty(proba)
    candidates = np.ones(len(frame), dtype=bool)
    if labelled is not None and "innovation_id" in frame and "innovation_id" in labelled:
        candidates = ~frame["innovation_id"].astype(str).isin(
            set(labelled["innovation_id"].astype(str))).to_numpy()
    vectors = text_vectors(model, features)
    known = (text_vectors(model, model.transform_texts(labelled)[0])
             if labelled is not None and len(labelled) else None)
    index = np.flatnonzero(candidates)
    picks = index[choose(uncertainty[index], vectors[index], n, known)]
    best = proba[picks].argmax(axis=1)
    out = frame.iloc[picks].copy()
    out.insert(0, "rank", np.arange(1, len(picks) + 1))
    out["suggested_theme"] = model.classes_[best].astype(str)
    out["confidence"] = proba[picks, best].round(4)
    out["uncertainty"] = uncertainty[picks].round(4)
    out["theme"] = ""
    return out.reset_index(drop=True)
