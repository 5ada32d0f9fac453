"""Seed-term evidence: how strongly a text's words point to each theme of the taxonomy.

The seed phrases become a fixed vocabulary; a document's matched phrases times a
(phrase x theme) weight matrix give one score per theme. Sparse and vectorised, so scoring
50,000 titles takes about a second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from evalkit.themes.taxonomy import Taxonomy
from evalkit.themes.text import tokenize


class SeedLexicon:
    """The taxonomy's ``seeds`` (or ``unit_cues``) as a phrase-by-theme weight matrix."""

    def __init__(self, taxonomy: Taxonomy, kind: str = "seeds"):
        weights: dict[tuple[str, int], float] = {}
        for col, theme in enumerate(taxonomy.themes):
            for term, weight in getattr(theme, kind):
                phrase = " ".join(tokenize(term))
                if phrase:
                    key = (phrase, col)
                    weights[key] = max(weights.get(key, 0.0), weight)
        self.phrases = sorted({phrase for phrase, _ in weights})
        index = {p: i for i, p in enumerate(self.phrases)}
        rows = [index[p] for p, _ in weights]
        cols = [c for _, c in weights]
        self.weights = sp.csr_matrix(
            (list(weights.values()), (rows, cols)),
            shape=(len(self.phrases), len(taxonomy.themes)))
        self._vectorizer = CountVectorizer(
            analyzer=_LongestMatch(frozenset(self.phrases)), vocabulary=index, binary=True,
            dtype=np.float64)

    def match(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Binary (document x phrase) matrix of the phrases found in normalized ``texts``.

        Each distinct text is matched once: unit names and empty descriptions repeat a lot.
        """
        distinct, rows = np.unique(np.asarray(texts, dtype=object).astype(str),
                                   return_inverse=True)
        return self._vectorizer.transform(distinct)[rows]

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """(document x theme) seed scores: the summed weights of the distinct phrases found."""
        if not self.phrases:
            return np.zeros((len(texts), self.weights.shape[1]))
        return (self.match(texts) @ self.weights).toarray()

    def strongest(self, texts: Sequence[str]) -> np.ndarray:
        """(document x theme) weight of the strongest phrase found (for unit cues, where
        "Dinas Kesehatan UPT RSUD" should not count three times)."""
        found = self.match(texts)
        out = np.zeros((len(texts), self.weights.shape[1]))
        for col in range(self.weights.shape[1]):
            weighted = found.multiply(self.weights[:, col].T).tocsr()
            out[:, col] = weighted.max(axis=1).toarray().ravel()
        return out


class _LongestMatch:
    """The seed phrases of a normalized text, longest first, left to right, not overlapping.

    "pertanian ramah lingkungan" gives "pertanian" and "ramah lingkungan", not also
    "lingkungan": a phrase and the word inside it are one piece of evidence, not two.
    A class, not a lambda, so a fitted estimator can be pickled.
    """

    def __init__(self, phrases: frozenset[str]):
        self.phrases = phrases
        self.firsts = frozenset(p.split(" ", 1)[0] for p in phrases)
        self.max_words = max((p.count(" ") + 1 for p in phrases), default=1)

    def __call__(self, text: str) -> list[str]:
        words = text.split()
        found = []
        i = 0
        while i < len(words):
            step = 1
            if words[i] in self.firsts:
                for n in range(min(self.max_words, len(words) - i), 0, -1):
                    candidate = " ".join(words[i:i + n])
                    if candidate in self.phrases:
                        found.append(candidate)
                        step = n
                        break
            i += step
        return found


class AffairCues:
    """The taxonomy's ``affair_cues``: the government affair (urusan) an innovation was filed
    under, as a (document x theme) weight matrix.

    A value matches an affair name exactly after normalisation, else the longest name it
    contains as whole words ("urusan pemerintahan bidang kesehatan" -> "kesehatan"). Values
    that match nothing give no evidence: an affair the taxonomy does not know says nothing.
    """

    def __init__(self, taxonomy: Taxonomy):
        columns = {theme_id: i for i, theme_id in enumerate(taxonomy.ids)}
        self.n_themes = len(columns)
        self.rows: dict[str, np.ndarray] = {}
        for name, terms in taxonomy.affair_cues:
            row = np.zeros(self.n_themes)
            for theme_id, weight in terms:
                row[columns[theme_id]] = weight
            self.rows[name] = row
        self.by_length = sorted(self.rows, key=lambda n: (-len(n.split()), n))

    def lookup(self, affair: str) -> str | None:
        """The affair name a normalized value matches, or None."""
        if affair in self.rows:
            return affair
        padded = f" {affair} "
        return next((n for n in self.by_length if f" {n} " in padded), None) if affair else None

    def score(self, affairs: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(affairs), self.n_themes))
        if not self.rows:
            return out
        found: dict[str, str | None] = {}
        for i, affair in enumerate(affairs):
            if affair not in found:
                found[affair] = self.lookup(affair)
            name = found[affair]
            if name is not None:
                out[i] = self.rows[name]
        return out
