"""Measuring theme assignment against gold labels: scores, and cross-validated predictions.

One place for the evaluation, used by ``evalkit themes evaluate``, the bench script and the
notebook, so every figure we quote is computed the same way.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import GroupKFold, StratifiedKFold

from evalkit.themes.classifier import ThemeClassifier

MIN_SUPPORT = 5  # themes with fewer gold rows are too few to score reliably


@dataclass
class ThemeScores:
    """Agreement of predicted with gold themes."""

    macro_f1: float
    accuracy: float
    scored_themes: list[str]
    per_theme: pd.DataFrame  # theme, precision, recall, f1, support
    confusion: pd.DataFrame  # gold (rows) x predicted (columns)
    n: int
    extra: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "macro_f1": None if np.isnan(self.macro_f1) else round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "scored_themes": self.scored_themes,
            "per_theme": self.per_theme.round(4).to_dict(orient="records"),
            "confusion": {"labels": list(self.confusion.columns),
                          "matrix": self.confusion.to_numpy().tolist()},
            **self.extra,
        }


def score_themes(gold: Sequence[str], predicted: Sequence[str],
                 min_support: int = MIN_SUPPORT) -> ThemeScores:
    """Macro-F1 over themes with at least ``min_support`` gold rows, accuracy over all rows,
    per-theme precision/recall and the confusion matrix."""
    gold = [str(g) for g in gold]
    predicted = [str(p) for p in predicted]
    counts = pd.Series(gold).value_counts()
    scored = sorted(counts[counts >= min_support].index)
    labels = sorted(set(gold) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0)
    per_theme = pd.DataFrame({"theme": labels, "precision": precision, "recall": recall,
                              "f1": f1, "support": support.astype("int64")})
    macro = (f1_score(gold, predicted, labels=scored, average="macro", zero_division=0)
             if scored else float("nan"))  # no theme has enough gold rows to score
    matrix = confusion_matrix(gold, predicted, labels=labels)
    confusion = pd.DataFrame(matrix, index=pd.Index(labels, name="gold"),
                             columns=pd.Index(labels, name="predicted"))
    return ThemeScores(macro_f1=float(macro), accuracy=float(accuracy_score(gold, predicted)),
                       scored_themes=scored, per_theme=per_theme, confusion=confusion,
                       n=len(gold))


Factory = Callable[[], ThemeClassifier]


def predict_without_labels(frame: pd.DataFrame, make: Factory) -> pd.Series:
    """Seeds only: fit on the texts (no labels), predict the same rows."""
    model = make().fit(frame)
    return pd.Series(model.predict(frame), index=frame.index, name="predicted")


def cross_val_predict_themes(frame: pd.DataFrame, gold: Sequence[str], make: Factory,
                             n_splits: int = 5, random_state: int = 0,
                             groups: Sequence[object] | None = None) -> pd.Series:
    """Out-of-fold predictions when the method learns from labelled rows.

    Each fold is assigned the way a user would run ``themes assign --labels``: the other
    folds are the labelled rows, the held-out fold is the (unlabelled) input. Folds are
    stratified by gold theme with a fixed seed, or grouped (e.g. by unit) when ``groups`` is
    given, to see how the method does on units it has never seen.
    """
    gold = np.asarray([str(g) for g in gold], dtype=object)
    if groups is None:
        splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        with warnings.catch_warnings():  # themes with fewer rows than folds are expected
            warnings.simplefilter("ignore", UserWarning)
            folds = list(splitter.split(frame, gold))
    else:
        folds = list(GroupKFold(n_splits=n_splits).split(frame, gold, groups))
    predicted = np.empty(len(frame), dtype=object)
    for train, test in folds:
        labels = np.full(len(frame), "", dtype=object)
        labels[train] = gold[train]
        rows = np.concatenate([train, test])
        model = make().fit(frame.iloc[rows], labels[rows])
        predicted[test] = model.predict(frame.iloc[test])
    return pd.Series(predicted, index=frame.index, name="predicted")


INPUT_COLUMNS = ("title", "description", "unit")


def evaluate_dev_set(frame: pd.DataFrame, make: Factory | None = None, n_splits: int = 5,
                     random_state: int = 0) -> dict[str, object]:
    """Score the method on labelled rows in the configurations we report.

    ``seeds_only``: no labelled rows, the taxonomy's seeds and the corpus only.
    ``learned_cv``: stratified k-fold; each fold learns from the other folds' labels.
    ``learned_unit_grouped``: k-fold grouped by unit, so no unit is seen in training and
    test, closer to a region the method has never seen.
    Only title, description and unit are read (never the affair column).
    """
    if make is None:
        def make() -> ThemeClassifier:
            return ThemeClassifier(random_state=random_state)
    gold = frame["theme"].astype(str).str.strip().tolist()
    inputs = frame[[c for c in INPUT_COLUMNS if c in frame.columns]]
    units = [u if u else f"_row{i}" for i, u in enumerate(
        inputs["unit"].fillna("").astype(str) if "unit" in inputs else [""] * len(frame))]
    predictions = {
        "seeds_only": predict_without_labels(inputs, make),
        "learned_cv": cross_val_predict_themes(inputs, gold, make, n_splits, random_state),
        "learned_unit_grouped": cross_val_predict_themes(inputs, gold, make, n_splits,
                                                         random_state, groups=units),
    }
    configs = {name: score_themes(gold, p).to_dict() for name, p in predictions.items()}
    return {"n": len(frame), "n_splits": n_splits, "random_state": random_state,
            "configs": configs}
