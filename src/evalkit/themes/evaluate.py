"""Measuring theme assignment honestly: leave-one-province-out over labelled rows.

One place for the evaluation, used by ``evalkit themes evaluate``, the bench and the tests,
so every figure we quote is computed the same way. Each province in turn is the region the
method has never seen: its rows are the unlabelled corpus the model is fitted on (as a
region's own innovations are), and they are scored against their gold themes.

- ``seeds_only``: the taxonomy and the province's own texts, no labels at all (what a region
  gets on its first run).
- ``learned``: the same, plus the labelled rows of every other province (what a region gets
  from labelled rows of elsewhere); the calibration is fitted on those rows' out-of-fold
  predictions, grouped by province, never on the held-out one.

``ece`` is the calibration error of the confidence as the method gives it. For
``seeds_only`` that is the default calibration, which was itself chosen on these rows; its
honest estimate is ``ece_map_fitted_without_the_group``, where each province's map is
fitted on the other provinces' predictions only.

Scores: macro-F1 over the pooled out-of-fold predictions (themes with at least
``MIN_SUPPORT`` gold rows), the mean over folds of each fold's macro-F1 (themes with fewer
than ``MIN_SUPPORT`` rows in the fold's test side left out of that fold's mean), per-theme
F1, and the calibration of the confidence (ECE, reliability table).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from evalkit.themes.calibration import (
    calibrate,
    expected_calibration_error,
    fit_calibration,
    reliability_table,
)
from evalkit.themes.classifier import CONTEXT_COLUMNS, TEXT_COLUMNS, ThemeClassifier
from evalkit.themes.taxonomy import Taxonomy

MIN_SUPPORT = 5  # themes with fewer gold rows are too few to score reliably
INPUT_COLUMNS = (*TEXT_COLUMNS, *CONTEXT_COLUMNS)


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
            "macro_f1": _round(self.macro_f1),
            "accuracy": round(self.accuracy, 4),
            "scored_themes": self.scored_themes,
            "per_theme": self.per_theme.round(4).to_dict(orient="records"),
            "confusion": {"labels": list(self.confusion.columns),
                          "matrix": self.confusion.to_numpy().tolist()},
            **self.extra,
        }


def _round(value: float, digits: int = 4) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), digits)


def score_themes(gold: Sequence[str], predicted: Sequence[str],
                 min_support: int = MIN_SUPPORT) -> ThemeScores:
    """Macro-F1 over themes with at least ``min_support`` gold rows, accuracy over all rows,
    per-theme precision/recall and the confusion matrix."""
    gold = [str(g) for g in gold]
    predicted = [str(p) for p in predicted]
    counts = pd.Series(gold, dtype=object).value_counts()
    scored = sorted(counts[counts >= min_support].index)
    labels = sorted(set(gold) | set(predicted))
    with warnings.catch_warnings():  # a fold with a single theme is expected
        warnings.simplefilter("ignore", UserWarning)
        precision, recall, f1, support = precision_recall_fscore_support(
            gold, predicted, labels=labels, zero_division=0)
    per_theme = pd.DataFrame({"theme": labels, "precision": precision, "recall": recall,
                              "f1": f1, "support": support.astype("int64")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        macro = (f1_score(gold, predicted, labels=scored, average="macro", zero_division=0)
                 if scored else float("nan"))  # no theme has enough gold rows to score
        matrix = confusion_matrix(gold, predicted, labels=labels)
    confusion = pd.DataFrame(matrix, index=pd.Index(labels, name="gold"),
                             columns=pd.Index(labels, name="predicted"))
    return ThemeScores(macro_f1=float(macro),
                       accuracy=float(accuracy_score(gold, predicted)) if gold else float("nan"),
                       scored_themes=scored, per_theme=per_theme, confusion=confusion,
                       n=len(gold))


Factory = Callable[[], ThemeClassifier]


@dataclass
class OutOfFold:
    """Out-of-fold predictions of the protocol: one row per labelled row."""

    rows: pd.DataFrame  # group, gold, predicted, best, confidence
    classes: list[str]
    logits: np.ndarray  # uncalibrated, one row per labelled row

    @property
    def correct(self) -> np.ndarray:
        """Whether the most probable theme is the gold one (what the confidence claims)."""
        return (self.rows["best"] == self.rows["gold"]).to_numpy()


def inputs_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns the method may read: title, description, unit, affair (never the theme,
    the region or the source)."""
    return frame[[c for c in INPUT_COLUMNS if c in frame.columns]]


def leave_one_group_out(frame: pd.DataFrame, gold: Sequence[str], groups: Sequence[object],
                        make: Factory, learned: bool) -> OutOfFold:
    """Each group (province) in turn is unseen: fitted on its own texts (unlabelled), plus,
    when ``learned``, on the other groups' labelled rows; then scored."""
    gold = np.asarray([str(g).strip() for g in gold], dtype=object)
    groups = np.asarray([str(g) for g in groups], dtype=object)
    inputs = inputs_of(frame).reset_index(drop=True)
    best = np.empty(len(frame), dtype=object)
    predicted = np.empty(len(frame), dtype=object)
    confidence = np.zeros(len(frame))
    logits: np.ndarray | None = None
    classes: list[str] = []
    for group in sorted(set(groups)):
        test = groups == group
        model = make()
        if learned:
            labels = np.where(test, "", gold)
            assigned = model.fit_assign(inputs, labels, groups=groups)
            proba = model.predict_proba(inputs[test])
            assigned = assigned[test]
        else:
            assigned = model.fit_assign(inputs[test])
            proba = model.predict_proba(inputs[test])
        classes = list(model.classes_)
        if logits is None:
            logits = np.zeros((len(frame), len(classes)))
        logits[test] = model.decision_logits(inputs[test])
        predicted[test] = assigned["theme"].to_numpy()
        best[test] = model.classes_[proba.argmax(axis=1)]
        confidence[test] = proba.max(axis=1)
    rows = pd.DataFrame({"group": groups, "gold": gold, "predicted": predicted, "best": best,
                         "confidence": confidence})
    return OutOfFold(rows, classes, logits if logits is not None else np.zeros((0, 0)))


def held_out_calibration_error(oof: OutOfFold) -> float:
    """The ECE when each group's calibration map is fitted on the other groups' out-of-fold
    predictions only: how well a map chosen on other regions (such as the shipped default)
    carries to a region it never saw."""
    gold = np.array([oof.classes.index(g) if g in oof.classes else -1
                     for g in oof.rows["gold"]])
    groups = oof.rows["group"].to_numpy()
    confidence = np.zeros(len(gold))
    for group in set(groups):
        test = groups == group
        train = ~test & (gold >= 0)
        mapping = fit_calibration(oof.logits[train], gold[train])
        confidence[test] = calibrate(oof.logits[test], *mapping).max(axis=1)
    return expected_calibration_error(confidence, oof.correct)


def summarise(oof: OutOfFold, min_support: int = MIN_SUPPORT) -> dict[str, object]:
    """Pooled scores, the mean of the folds' macro-F1, per-theme F1 and calibration."""
    rows = oof.rows
    pooled = score_themes(rows["gold"], rows["predicted"], min_support)
    folds = []
    for group, part in rows.groupby("group", sort=True):
        fold = score_themes(part["gold"], part["predicted"], min_support)
        folds.append({"group": group, "n": len(part), "macro_f1": _round(fold.macro_f1),
                      "scored_themes": fold.scored_themes,
                      "accuracy": _round(fold.accuracy)})
    scored = [f for f in folds if f["macro_f1"] is not None]
    mean = float(np.mean([f["macro_f1"] for f in scored])) if scored else float("nan")
    weighted = (float(np.average([f["macro_f1"] for f in scored],
                                 weights=[f["n"] for f in scored])) if scored else float("nan"))
    table = reliability_table(rows["confidence"], oof.correct)
    return {
        **pooled.to_dict(),
        "fold_mean_macro_f1": _round(mean),
        "fold_weighted_macro_f1": _round(weighted),
        "folds": folds,
        "ece": _round(expected_calibration_error(rows["confidence"], oof.correct)),
        "ece_map_fitted_without_the_group": _round(held_out_calibration_error(oof)),
        "reliability": [{k: _round(v) if isinstance(v, float) else v for k, v in r.items()}
                        for r in table.to_dict(orient="records")],
    }


def cut_lexicon(taxonomy: Taxonomy, share: float, seed: int) -> Taxonomy:
    """The taxonomy with ``share`` of its seed terms removed at random (unit and affair cues
    kept): how much the score rests on the exact words of the lexicon."""
    rng = np.random.default_rng(seed)
    themes = []
    for theme in taxonomy.themes:
        keep = rng.random(len(theme.seeds)) >= share
        themes.append(replace(theme, seeds=tuple(s for s, k in zip(theme.seeds, keep,
                                                                   strict=True) if k)))
    return replace(taxonomy, themes=tuple(themes), digest="")


def protocol(frame: pd.DataFrame, taxonomy: Taxonomy, group_column: str = "province",
             configs: Sequence[str] = ("seeds_only", "learned"), lexicon_cuts: int = 0,
             cut_share: float = 0.3, random_state: int = 0,
             **model_params: object) -> dict[str, object]:
    """The leave-one-province-out report of the configurations, and, with
    ``lexicon_cuts``, the macro-F1 when ``cut_share`` of the seeds are removed at random
    (mean and range over that many cuts)."""
    if group_column not in frame.columns:
        raise ValueError(f"the labelled rows have no {group_column!r} column to group by")
    gold = frame["theme"].astype(str).str.strip().tolist()
    groups = frame[group_column].fillna("").astype(str).tolist()

    def run(config: str, tax: Taxonomy) -> OutOfFold:
        def make() -> ThemeClassifier:
            return ThemeClassifier(tax, random_state=random_state, **model_params)
        return leave_one_group_out(frame, gold, groups, make, learned=config == "learned")

    report: dict[str, object] = {
        "n": len(frame), "groups": len(set(groups)), "group_column": group_column,
        "random_state": random_state, "min_support": MIN_SUPPORT,
        "inputs": list(inputs_of(frame).columns), "configs": {}}
    for config in configs:
        report["configs"][config] = summarise(run(config, taxonomy))
    if lexicon_cuts:
        cuts: dict[str, list[float]] = {c: [] for c in configs}
        for i in range(lexicon_cuts):
            cut = cut_lexicon(taxonomy, cut_share, random_state + i)
            for config in configs:
                rows = run(config, cut).rows
                cuts[config].append(score_themes(rows["gold"], rows["predicted"]).macro_f1)
        report["lexicon_cut"] = {
            "share": cut_share, "cuts": lexicon_cuts,
            **{c: {"mean": _round(float(np.mean(v))), "min": _round(min(v)),
                   "max": _round(max(v))} for c, v in cuts.items()}}
    return report


def read_labelled(paths: Sequence[object]) -> pd.DataFrame:
    """Several labelled CSV files as one frame (text columns, empty for missing)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    return pd.concat(frames, ignore_index=True).fillna("")


def learning_curve(frame: pd.DataFrame, taxonomy: Taxonomy, group_column: str = "province",
                   budgets: Sequence[int] = (0, 10, 30, 60), random_draws: int = 5,
                   random_state: int = 0, test_share: float | None = None,
                   **model_params: object) -> dict[str, object]:
    """Macro-F1 on a held-back province after k of its rows are labelled, chosen by
    :func:`evalkit.themes.suggest.suggest` (in rounds: 10, then 20 more, then 30 more, the
    model refitted after each) or at random (``random_draws`` draws per k).

    The province starts from nothing but its own texts (seeds only), as a region does; a
    province takes part in point k when it has at least 2k rows, so at least as many rows
    are scored as were labelled. Scores are on the province's remaining (unlabelled) rows:
    macro-F1 pooled over the provinces taking part, and the mean of their own macro-F1.

    Scoring the remaining rows favours the suggested labels a little: they take the hardest
    rows out of the test side. With ``test_share``, a fixed random share of each province is
    set aside instead, never offered for labelling, and every point is scored on it (a
    province then takes part in point k when the rest has at least k rows).
    """
    from evalkit.themes.suggest import suggest

    gold_all = frame["theme"].astype(str).str.strip().to_numpy(dtype=object)
    groups = frame[group_column].fillna("").astype(str).to_numpy(dtype=object)
    inputs = inputs_of(frame).reset_index(drop=True)
    records: list[dict[str, object]] = []

    def make() -> ThemeClassifier:
        return ThemeClassifier(taxonomy, random_state=random_state, **model_params)

    fixed: dict[str, np.ndarray] = {}  # group -> local rows set aside for scoring

    def record(group: str, strategy: str, k: int, draw: int, rows: np.ndarray,
               chosen: np.ndarray) -> ThemeClassifier:
        labels = np.full(len(rows), "", dtype=object)
        labels[chosen] = gold_all[rows[chosen]]
        model = make()
        assigned = model.fit_assign(inputs.iloc[rows].reset_index(drop=True), labels)
        rest = fixed.get(group, np.setdiff1d(np.arange(len(rows)), chosen))
        records.append({"group": group, "strategy": strategy, "k": k, "draw": draw,
                        "gold": list(gold_all[rows[rest]]),
                        "predicted": list(assigned["theme"].to_numpy()[rest])})
        return model

    positive = [k for k in budgets if k > 0]
    for group in sorted(set(groups)):
        rows = np.flatnonzero(groups == group)
        pool = np.arange(len(rows))
        if test_share is not None:
            rng = np.random.default_rng(random_state)
            held = np.sort(rng.choice(len(rows), size=max(1, round(test_share * len(rows))),
                                      replace=False))
            fixed[group] = held
            pool = np.setdiff1d(pool, held)

        def enough(k: int, n: int = len(rows), pool: np.ndarray = pool) -> bool:
            return len(pool) >= k if test_share is not None else n >= 2 * k

        if not enough(min(positive, default=1)):
            continue
        local = inputs.iloc[rows].reset_index(drop=True)
        offered = local.iloc[pool].assign(_row=pool)
        chosen = np.array([], dtype=int)
        model = record(group, "suggested", 0, 0, rows, chosen)
        for k in positive:
            if not enough(k):
                break
            labelled = local.iloc[chosen].assign(_row=chosen) if len(chosen) else None
            picks = suggest(model, offered, k - len(chosen), labelled)
            fresh = [r for r in picks["_row"].astype(int) if r not in set(chosen)]
            chosen = np.concatenate([chosen, np.asarray(fresh, dtype=int)])
            model = record(group, "suggested", k, 0, rows, chosen)
        rng = np.random.default_rng(random_state)
        for k in positive:
            if not enough(k):
                break
            for draw in range(random_draws):
                record(group, "random", k, draw, rows,
                       np.sort(rng.choice(pool, size=k, replace=False)))
    return _curve_summary(records, budgets)


def _curve_summary(records: list[dict[str, object]], budgets: Sequence[int]
                   ) -> dict[str, object]:
    table = []
    for strategy in ("suggested", "random"):
        for k in budgets:
            part = [r for r in records if r["strategy"] == strategy and r["k"] == k]
            if strategy == "random" and k == 0:
                continue
            if not part:
                continue
            draws = sorted({int(r["draw"]) for r in part})
            pooled, fold_means, accuracy = [], [], []
            for draw in draws:
                mine = [r for r in part if r["draw"] == draw]
                gold = [g for r in mine for g in r["gold"]]
                predicted = [p for r in mine for p in r["predicted"]]
                pooled.append(score_themes(gold, predicted).macro_f1)
                per = [score_themes(r["gold"], r["predicted"]).macro_f1 for r in mine]
                per = [p for p in per if not np.isnan(p)]
                fold_means.append(float(np.mean(per)) if per else float("nan"))
                accuracy.append(float(np.mean([accuracy_score(r["gold"], r["predicted"])
                                               for r in mine])))
            table.append({"strategy": strategy, "labels": k,
                          "groups": sorted({str(r["group"]) for r in part}),
                          "pooled_macro_f1": _round(_nanmean(pooled)),
                          "mean_group_macro_f1": _round(_nanmean(fold_means)),
                          "mean_group_accuracy": _round(float(np.mean(accuracy))),
                          "draws": len(draws)})
    by_group = []
    for group in sorted({str(r["group"]) for r in records}):
        for strategy in ("suggested", "random"):
            for k in budgets:
                mine = [r for r in records if str(r["group"]) == group
                        and r["strategy"] == strategy and r["k"] == k]
                if not mine:
                    continue
                by_group.append({
                    "group": group, "strategy": strategy, "labels": k, "rows": len(mine[0]["gold"]),
                    "macro_f1": _round(_nanmean([score_themes(r["gold"], r["predicted"]).macro_f1
                                                 for r in mine])),
                    "accuracy": _round(float(np.mean([accuracy_score(r["gold"], r["predicted"])
                                                      for r in mine])))})
    return {"budgets": list(budgets), "points": table, "by_group": by_group}


def _nanmean(values: Sequence[float]) -> float:
    """Mean of the values that are numbers; NaN when none is."""
    numbers = [v for v in values if not np.isnan(v)]
    return float(np.mean(numbers)) if numbers else float("nan")
