"""Theme assignment: seed terms of the taxonomy, weak context cues, and a classifier learned
from the region's own corpus (and from labelled rows when there are any).

How it works. The taxonomy's seed terms score each theme from the content: the title (the
expansion of an acronym fully, the acronym half) and the description (damped). The context
(the submitting unit's name, and the government affair the innovation was filed under when
the data carries it) gives weak cues from ``unit_cues`` and ``affair_cues``; where the text
has seed evidence of its own, each theme's context cue is capped below one half-weight seed
term, so a school's waste bank stays lingkungan whatever the school (the taxonomy's edge
rule: the topic decides, not the unit). Rows whose evidence is clear become weakly labelled
training rows, each seed phrase is also a one-phrase training document, and labelled rows
join at a higher weight. A logistic regression over the content only (words and character
n-grams of title and description, and the content seed scores: no unit words, so it cannot
learn "a school means education") learns from them; it is then retrained on the corpus rows
it is sure about (self-training on the region's own unlabelled innovations). Its
log-probabilities plus ``seed_prior`` x the evidence give each theme's logit, and one
temperature turns the logits into calibrated probabilities: fitted on out-of-fold labelled
rows when there are enough, otherwise the default chosen under the evaluation protocol.
Below ``min_confidence`` the taxonomy's fallback theme is given.

Why: see ``evalkit.themes.evaluate`` (leave-one-province-out protocol) and the figures in
the themes chapter's method note and docs/themes.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from evalkit.themes.calibration import calibrate, fit_calibration, softmax
from evalkit.themes.seeds import AffairCues, SeedLexicon
from evalkit.themes.taxonomy import Taxonomy, load_taxonomy
from evalkit.themes.text import (
    Stemmer,
    as_text,
    content_words,
    normalize,
    split_title,
    stopword_set,
    tokenize,
)

TEXT_COLUMNS = ("title", "description", "unit")
CONTEXT_COLUMNS = ("affair",)  # used when present (the IID application export has it)
MISSING_LOGIT = -1e9  # a theme the learned model never saw: impossible, at any temperature
# The calibration used when fewer than ``min_calibration_rows`` labelled rows can fit one:
# chosen under the leave-one-province-out protocol (the map fitted on the seeds-only
# out-of-fold predictions of 514 labelled innovations in 26 provinces; with each province's
# own map fitted without it, the expected calibration error was 0.066). Two numbers, like
# any other default here; no rows or words of the evaluation data are shipped.
DEFAULT_TEMPERATURE = 0.9
DEFAULT_CEILING = 0.11


@dataclass(frozen=True)
class Docs:
    """Innovation texts split into the parts that carry different weight (all normalized)."""

    informative: list[str]
    acronym: list[str]
    description: list[str]
    unit: list[str]
    affair: list[str]

    def __len__(self) -> int:
        return len(self.informative)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Docs:
        """Read ``title``, ``description``, ``unit`` (unit name, optionally its kind) and
        ``affair``; only the title is required."""
        if "title" not in frame.columns:
            raise ValueError("theme assignment needs a 'title' column")

        def column(name: str) -> list[object]:
            return list(frame[name]) if name in frame.columns else [""] * len(frame)

        parts = [split_title(t) for t in column("title")]
        return cls(informative=[p.informative for p in parts],
                   acronym=[p.acronym for p in parts],
                   description=[normalize(d) for d in column("description")],
                   unit=[normalize(u) for u in column("unit")],
                   affair=[normalize(a) for a in column("affair")])

    @classmethod
    def from_phrases(cls, phrases: Sequence[str]) -> Docs:
        empty = [""] * len(phrases)
        return cls(informative=list(phrases), acronym=empty, description=empty, unit=empty,
                   affair=empty)

    def concat(self, other: Docs) -> Docs:
        return Docs(*(getattr(self, f) + getattr(other, f)
                      for f in ("informative", "acronym", "description", "unit", "affair")))


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Assign each innovation one theme of a taxonomy, with a calibrated confidence.

    ``fit(X, y=None, groups=None)``: X is a DataFrame with ``title`` and optionally
    ``description``, ``unit`` and ``affair``; y, when given, holds gold themes with missing
    values for unlabelled rows; ``groups`` (e.g. the region of each labelled row) keeps the
    calibration folds apart. ``predict`` gives the most probable theme, or the fallback theme
    when its probability is below ``min_confidence``.
    """

    def __init__(self, taxonomy: Taxonomy | str | None = None, *, min_confidence: float = 0.3,
                 acronym_weight: float = 0.5, description_weight: float = 0.5,
                 unit_weight: float = 0.6, affair_weight: float = 0.6,
                 context_cap: float = 0.45, content_floor: float = 1.0,
                 weak_threshold: float = 0.5,
                 weak_margin: float = 0.5, lexicon_weight: float = 0.3,
                 label_weight: float = 3.0, seed_scale: float = 1.0, seed_prior: float = 2.0,
                 self_training: int = 0, pseudo_threshold: float = 0.8,
                 temperature: float = DEFAULT_TEMPERATURE, ceiling: float = DEFAULT_CEILING,
                 calibrate: bool = True, min_calibration_rows: int = 100,
                 calibration_folds: int = 5,
                 max_corpus_rows: int | None = 10_000, C: float = 5.0,
                 char_ngrams: tuple[int, int] | None = (3, 4), stemming: bool = False,
                 random_state: int | None = 0):
        self.taxonomy = taxonomy
        self.min_confidence = min_confidence
        self.acronym_weight = acronym_weight
        self.description_weight = description_weight
        self.unit_weight = unit_weight
        self.affair_weight = affair_weight
        self.context_cap = context_cap
        self.content_floor = content_floor
        self.weak_threshold = weak_threshold
        self.weak_margin = weak_margin
        self.lexicon_weight = lexicon_weight
        self.label_weight = label_weight
        self.seed_scale = seed_scale
        self.seed_prior = seed_prior
        self.self_training = self_training
        self.pseudo_threshold = pseudo_threshold
        self.temperature = temperature
        self.ceiling = ceiling
        self.calibrate = calibrate
        self.min_calibration_rows = min_calibration_rows
        self.calibration_folds = calibration_folds
        self.max_corpus_rows = max_corpus_rows
        self.C = C
        self.char_ngrams = char_ngrams
        self.stemming = stemming
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------

    def fit(self, X: pd.DataFrame, y: Sequence[object] | None = None,
            groups: Sequence[object] | None = None) -> ThemeClassifier:
        self._fit(X, y, groups)
        return self

    def fit_assign(self, X: pd.DataFrame, y: Sequence[object] | None = None,
                   groups: Sequence[object] | None = None) -> pd.DataFrame:
        """``fit(X, y).assign(X)``, preparing the texts once (half the time on a corpus)."""
        features, evidence = self._fit(X, y, groups)
        return self._assign(self._calibrated(self._logits(features, evidence)), X.index)

    def _prepare(self) -> None:
        taxonomy = self.taxonomy
        if not isinstance(taxonomy, Taxonomy):
            taxonomy = load_taxonomy(taxonomy)
        self.taxonomy_ = taxonomy
        self.classes_ = np.array(taxonomy.ids, dtype=object)
        self.seeds_ = SeedLexicon(taxonomy, "seeds")
        self.unit_cues_ = SeedLexicon(taxonomy, "unit_cues")
        self.affair_cues_ = AffairCues(taxonomy)
        self.stopwords_ = stopword_set(taxonomy.domain_stopwords)
        self.stemmer_ = Stemmer() if self.stemming else None

    def _fit(self, X: pd.DataFrame, y: Sequence[object] | None,
             groups: Sequence[object] | None) -> tuple[sp.csr_matrix, np.ndarray]:
        """Fit; return the features and evidence of X's rows for reuse."""
        self._prepare()
        docs = Docs.from_frame(X)
        labels = _labels(y, len(docs), set(self.taxonomy_.ids))
        self.temperature_, self.ceiling_ = float(self.temperature), float(self.ceiling)
        self.calibrated_on_ = 0
        if self.calibrate and (labels != "").sum() >= self.min_calibration_rows:
            self.temperature_, self.ceiling_ = self._cross_validated_calibration(X, labels,
                                                                                groups)
            self.calibrated_on_ = int((labels != "").sum())
        content, context = self._evidence(docs)
        evidence = self._combine(content, context)
        weak = self._weak_labels(evidence)

        lexicon_phrases, lexicon_labels = self._lexicon_documents()
        lexicon = Docs.from_phrases(lexicon_phrases)
        lex_content, _ = self._evidence(lexicon)
        corpus_rows = self._corpus_rows(labels)
        features = self._features(docs.concat(lexicon), np.vstack([content, lex_content]),
                                  fit=True)
        train = np.where(labels != "", labels, weak)
        self.model_ = self._train(features, train, labels, corpus_rows, lexicon_labels)
        self.n_weak_ = int(((labels == "") & (weak != "")).sum())
        self.n_pseudo_ = 0
        for _ in range(self.self_training):
            proba = softmax(self._logits(features[:len(docs)], evidence))
            sure = (proba.max(axis=1) >= self.pseudo_threshold) & (labels == "")
            pseudo = np.where(sure, self.classes_[proba.argmax(axis=1)], "").astype(object)
            train = np.where(labels != "", labels, pseudo)
            self.model_ = self._train(features, train, labels, corpus_rows, lexicon_labels)
            self.n_pseudo_ = int(sure.sum())
        self.n_labelled_ = int((labels != "").sum())
        self.n_rows_ = len(docs)
        self.used_affair_ = bool(context[1].any())
        self.used_descriptions_ = int(sum(bool(d) for d in docs.description))
        return features[:len(docs)], evidence

    def _corpus_rows(self, labels: np.ndarray) -> np.ndarray:
        """Rows that may train the model: all labelled rows, and the unlabelled ones up to
        ``max_corpus_rows`` (a deterministic sample: a national corpus teaches no more than
        10,000 of its rows would, and fitting stays fast)."""
        unlabelled = np.flatnonzero(labels == "")
        limit = self.max_corpus_rows
        if limit is not None and len(unlabelled) > limit:
            rng = np.random.default_rng(self.random_state)
            unlabelled = np.sort(rng.choice(unlabelled, size=limit, replace=False))
        return np.sort(np.concatenate([np.flatnonzero(labels != ""), unlabelled]))

    def _train(self, features: sp.csr_matrix, train: np.ndarray, labels: np.ndarray,
               corpus_rows: np.ndarray, lexicon_labels: np.ndarray) -> LogisticRegression:
        n = len(labels)
        keep = corpus_rows[train[corpus_rows] != ""]
        rows = np.concatenate([keep, n + np.arange(len(lexicon_labels))])
        y_train = np.concatenate([train[keep], lexicon_labels])
        w_train = np.concatenate([np.where(labels[keep] != "", self.label_weight, 1.0),
                                  np.full(len(lexicon_labels), self.lexicon_weight)])
        train = features[rows]
        # Only the features some training row has: the others would get a zero weight
        # anyway, and leaving them out makes the optimiser's problem several times smaller
        # on a large corpus (the rows beyond max_corpus_rows bring words of their own).
        self.columns_ = np.flatnonzero(train.getnnz(axis=0) > 0)
        model = LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
        # One BLAS thread: the problem is small, and threads fighting over busy cores made
        # the optimiser ten times slower (measured on a loaded 2-core machine).
        with threadpool_limits(1, user_api="blas"):
            model.fit(train[:, self.columns_], y_train, sample_weight=w_train)
        return model

    def _cross_validated_calibration(self, X: pd.DataFrame, labels: np.ndarray,
                                     groups: Sequence[object] | None) -> tuple[float, float]:
        """Fit the calibration on out-of-fold predictions of the labelled rows: each fold's
        labels are hidden, the model is fitted without them and predicts them."""
        labelled = np.flatnonzero(labels != "")
        folds = _folds(labels[labelled], None if groups is None
                       else np.asarray([as_text(g) for g in groups], dtype=object)[labelled],
                       self.calibration_folds, self.random_state)
        inner = clone(self).set_params(calibrate=False, temperature=1.0, ceiling=0.0)
        logits, gold = [], []
        for _, test in folds:
            hidden = labels.copy()
            hidden[labelled[test]] = ""
            fold_model = clone(inner)
            features, evidence = fold_model._fit(X, hidden, None)
            fold_logits = fold_model._logits(features[labelled[test]],
                                             evidence[labelled[test]])
            logits.append(fold_logits)
            index = {c: i for i, c in enumerate(self.classes_)}
            gold.extend(index[g] for g in labels[labelled[test]])
        if not logits:
            return float(self.temperature), float(self.ceiling)
        return fit_calibration(np.vstack(logits), gold)

    def _evidence(self, docs: Docs) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Content seed scores (acronym and description weighted down), and the context cues
        (unit, affair) as their own matrices."""
        content = self.seeds_.score(docs.informative)
        content += self.acronym_weight * self.seeds_.score(docs.acronym)
        content += self.description_weight * np.log1p(self.seeds_.score(docs.description))
        unit = self.unit_cues_.strongest(docs.unit)
        affair = self.affair_cues_.score(docs.affair)
        return content, (unit, affair)

    def _combine(self, content: np.ndarray,
                 context: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Content plus context, the context capped at ``context_cap`` per theme on rows where
        the content has a seed term of its own (evidence of at least ``content_floor``), so a
        unit or an affair never outweighs what the text says; where the text says little
        (an acronym, a half-weight word) the context may decide."""
        unit, affair = context
        cue = self.unit_weight * unit + self.affair_weight * affair
        has_content = content.max(axis=1, keepdims=True) >= self.content_floor
        return content + np.where(has_content, np.minimum(cue, self.context_cap), cue)

    def _weak_labels(self, evidence: np.ndarray) -> np.ndarray:
        """The theme the evidence clearly favours, or "" when it is weak or split."""
        ordered = np.sort(evidence, axis=1)
        top, second = ordered[:, -1], ordered[:, -2]
        sure = (top >= self.weak_threshold) & (top - second >= self.weak_margin)
        return np.where(sure, self.classes_[evidence.argmax(axis=1)], "").astype(object)

    def _lexicon_documents(self) -> tuple[list[str], np.ndarray]:
        """Every seed phrase that belongs to a single theme, as a one-phrase document."""
        owners = (self.seeds_.weights >= 1.0).astype(np.int8)
        counts = np.asarray(owners.sum(axis=1)).ravel()
        single = np.flatnonzero(counts == 1)
        theme_of = np.asarray(owners[single].argmax(axis=1)).ravel()
        return [self.seeds_.phrases[i] for i in single], self.classes_[theme_of]

    def _words(self, docs: Docs) -> list[str]:
        """Content words of the title and description (never the unit's name)."""
        return [" ".join(content_words(" ".join(parts), self.stopwords_, self.stemmer_))
                for parts in zip(docs.informative, docs.acronym, docs.description,
                                 strict=True)]

    def _new_vectorizers(self) -> None:
        self.word_vectorizer_ = TfidfVectorizer(analyzer=str.split, sublinear_tf=True,
                                                dtype=np.float64)
        self.char_vectorizer_ = None
        if self.char_ngrams is not None:
            self.char_vectorizer_ = TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.char_ngrams), sublinear_tf=True,
                min_df=2, dtype=np.float64)

    def _features(self, docs: Docs, content: np.ndarray, fit: bool = False) -> sp.csr_matrix:
        """Words, character n-grams of the title, and the content seed scores."""
        if fit:
            self._new_vectorizers()
        blocks = [self.word_vectorizer_.fit_transform(self._words(docs)) if fit
                  else self.word_vectorizer_.transform(self._words(docs))]
        if self.char_vectorizer_ is not None:
            texts = _char_texts(docs)
            blocks.append(self.char_vectorizer_.fit_transform(texts) if fit
                          else self.char_vectorizer_.transform(texts))
        return sp.hstack([*blocks, sp.csr_matrix(self.seed_scale * content)], format="csr")

    # -- prediction ------------------------------------------------------------------------

    def _logits(self, features: sp.csr_matrix, evidence: np.ndarray) -> np.ndarray:
        """Log-probability of the learned model plus ``seed_prior`` x the evidence: a product
        of experts, so a clear seed term stays decisive where the learned model is unsure."""
        logits = np.full((features.shape[0], len(self.classes_)), MISSING_LOGIT)
        columns = [list(self.classes_).index(c) for c in self.model_.classes_]
        with warnings.catch_warnings(), threadpool_limits(1, user_api="blas"):
            warnings.simplefilter("ignore", RuntimeWarning)
            log_proba = self.model_.predict_log_proba(features[:, self.columns_])
        logits[:, columns] = np.maximum(log_proba, -50.0) + self.seed_prior * evidence[:, columns]
        return logits

    def _calibrated(self, logits: np.ndarray) -> np.ndarray:
        return calibrate(logits, self.temperature_, self.ceiling_)

    def transform_texts(self, X: pd.DataFrame) -> tuple[sp.csr_matrix, np.ndarray]:
        """The learned model's features of X's rows and their evidence (content plus capped
        context), computed once for callers that need both probabilities and features."""
        check_is_fitted(self, "model_")
        docs = Docs.from_frame(X)
        content, context = self._evidence(docs)
        return self._features(docs, content), self._combine(content, context)

    def proba_from(self, features: sp.csr_matrix, evidence: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from :meth:`transform_texts`' output."""
        return self._calibrated(self._logits(features, evidence))

    def decision_logits(self, X: pd.DataFrame) -> np.ndarray:
        """Uncalibrated logits of every theme (for fitting a calibration elsewhere)."""
        return self._logits(*self.transform_texts(X))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of every theme in ``classes_`` order (fallback included)."""
        return self._calibrated(self.decision_logits(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.assign(X)["theme"].to_numpy(dtype=object)

    def assign(self, X: pd.DataFrame) -> pd.DataFrame:
        """``theme`` and ``confidence`` per row (the fallback theme below min_confidence)."""
        return self._assign(self.predict_proba(X), X.index)

    def _assign(self, proba: np.ndarray, index: pd.Index) -> pd.DataFrame:
        best = proba.argmax(axis=1)
        confidence = proba[np.arange(len(proba)), best]
        theme = np.where(confidence >= self.min_confidence, self.classes_[best],
                         self.taxonomy_.fallback)
        return pd.DataFrame({"theme": pd.array(theme, dtype="str"),
                             "confidence": confidence.astype("float64")}, index=index)

    def matched_terms(self, X: pd.DataFrame, themes: Sequence[str]) -> list[str]:
        """The seed phrases of each row's theme found in its title or description."""
        check_is_fitted(self, "model_")
        docs = Docs.from_frame(X)
        texts = [" ".join(p) for p in zip(docs.informative, docs.acronym, docs.description,
                                          strict=True)]
        found = self.seeds_.match(texts).tocsr()
        owned = self.seeds_.weights.toarray() > 0  # phrase x theme
        column = {t: i for i, t in enumerate(self.classes_)}
        out = []
        for row, theme in enumerate(themes):
            phrases = found.indices[found.indptr[row]:found.indptr[row + 1]]
            col = column.get(theme)
            terms = [] if col is None else [self.seeds_.phrases[p] for p in phrases
                                            if owned[p, col]]
            out.append(", ".join(sorted(terms)))
        return out


def _folds(gold: np.ndarray, groups: np.ndarray | None, n_splits: int,
           random_state: int | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped folds when there are enough groups, else stratified ones."""
    n_splits = max(2, min(n_splits, len(gold)))
    if groups is not None and len(set(groups)) >= n_splits:
        return list(GroupKFold(n_splits=n_splits).split(gold, gold, groups))
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True,
                               random_state=0 if random_state is None else random_state)
    with warnings.catch_warnings():  # themes with fewer rows than folds are expected
        warnings.simplefilter("ignore", UserWarning)
        return list(splitter.split(gold, gold))


def _char_texts(docs: Docs) -> list[str]:
    return [f"{a} {b}".strip() for a, b in zip(docs.informative, docs.acronym, strict=True)]


def _labels(y: Sequence[object] | None, n: int, known: set[str]) -> np.ndarray:
    """Gold themes as an object array with "" for unlabelled rows; unknown themes are errors."""
    if y is None:
        return np.full(n, "", dtype=object)
    labels = np.array([as_text(v).strip() for v in y], dtype=object)
    if len(labels) != n:
        raise ValueError(f"y has {len(labels)} labels for {n} rows")
    unknown = sorted({v for v in labels if v and v not in known})
    if unknown:
        raise ValueError(f"unknown theme(s) in the labels: {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(known))}")
    return labels


def unit_text(name: object, kind: object = "") -> str:
    """A unit's name and kind as one text, the unit signal for theme assignment."""
    return " ".join(tokenize(f"{as_text(name)} {as_text(kind)}"))
