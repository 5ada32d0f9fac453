"""Indonesian text preparation for short innovation titles.

Real titles are mostly an acronym plus its expansion ("SIMICA (Sistem Informasi Infrastruktur
dan Konstruksi Cerdas)"): the acronym is a catchy word ("KUDA MAGIS", "APEL MERAH") that says
little or misleads, the expansion says what the innovation does. So titles are split into the
two parts and callers weigh them differently. Everything here is offline: the stop-word list
ships with ``stopwordsiso`` and the optional stemmer with ``PySastrawi``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd

_WORD = re.compile(r"[a-z0-9]+")
_PAREN = re.compile(r"\(([^()]*)(?:\)|$)")
_SEPARATOR = re.compile(r"\s*[:\u2013\u2014]\s*|\s+-\s+")
# An acronym part has at most this many words ("SI PERIANG RATU"); longer parts are prose.
MAX_ACRONYM_WORDS = 3
# Informal spellings common in submissions that the shipped list lacks.
INFORMAL_STOPWORDS = ("yg", "utk", "dg", "dgn", "tdk", "gak", "nggak", "krn", "jg", "sdh",
                      "blm", "dr", "dlm", "pd", "tsb", "dll", "dsb", "sbg", "thd", "spt")


def as_text(value: object) -> str:
    """A cell as text: missing values (None, NaN, pd.NA) become ""."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def normalize(text: object) -> str:
    """Lower-case words without accents or punctuation, joined by single spaces.

    "E-KTP & KK" -> "e ktp dan kk". Missing values (None, NaN) give "".
    """
    return " ".join(tokenize(text))


def tokenize(text: object) -> list[str]:
    """Words of ``text`` as in :func:`normalize` (hyphens and punctuation split words)."""
    folded = as_text(text).replace("&", " dan ")
    if not folded.isascii():  # most titles are ASCII: skip the slow accent folding
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded.lower())


@dataclass(frozen=True)
class TitleParts:
    """A title split into its informative part and its acronym (both normalized)."""

    informative: str
    acronym: str


def split_title(title: object) -> TitleParts:
    """Separate the acronym from its expansion.

    Handles "ACRONYM (Expansion ...)", "Expansion ... (ACRONYM)", an unclosed bracket, and
    "ACRONYM: expansion". A part is taken as the acronym when it has at most
    :data:`MAX_ACRONYM_WORDS` words and fewer than the other part; otherwise the whole title
    is informative.
    """
    text = as_text(title)
    inside = " ".join(m.group(1) for m in _PAREN.finditer(text))
    outside = _PAREN.sub(" ", text)
    if not tokenize(inside):
        pieces = _SEPARATOR.split(text, maxsplit=1)
        if len(pieces) < 2:
            return TitleParts(normalize(text), "")
        outside, inside = pieces
    out_words, in_words = tokenize(outside), tokenize(inside)
    if 0 < len(in_words) <= MAX_ACRONYM_WORDS and len(in_words) < len(out_words):
        return TitleParts(" ".join(out_words), " ".join(in_words))
    if 0 < len(out_words) <= MAX_ACRONYM_WORDS and len(out_words) < len(in_words):
        return TitleParts(" ".join(in_words), " ".join(out_words))
    return TitleParts(normalize(text), "")


@cache
def _shipped_stopwords() -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("id"))


def stopword_set(extra: Iterable[str] = ()) -> frozenset[str]:
    """Indonesian stop words (stopwordsiso, informal forms) plus ``extra`` domain words.

    Entries are tokenized like the text ("masing-masing" -> "masing"), so the list and the
    tokens always agree.
    """
    words: set[str] = set()
    for entry in (*_shipped_stopwords(), *INFORMAL_STOPWORDS, *extra):
        words.update(tokenize(entry))
    return frozenset(words)


def content_words(text: str, stopwords: frozenset[str],
                  stem: Callable[[str], str] | None = None) -> list[str]:
    """The words of a normalized text that can carry meaning: no stop words, no numbers,
    no single letters; stemmed when ``stem`` is given."""
    words = [w for w in text.split() if w not in stopwords and not w.isdigit() and len(w) > 1]
    return [stem(w) for w in words] if stem is not None else words


class Stemmer:
    """Sastrawi stemming, cached per distinct word (Sastrawi takes ~0.25 ms a word).

    Sastrawi's root-word dictionary comes from Kateglo under CC BY-NC-SA 3.0; stemming is
    therefore optional (``themes.stemming`` in the params).
    """

    def __init__(self) -> None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        self._stem = StemmerFactory().create_stemmer().stem
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            stem = self._cache[word] = self._stem(word) or word
        return stem
