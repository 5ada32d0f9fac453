"""Indonesian text preparation: normalising, acronym + expansion, stop words, stemming."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.themes.text import (
    TitleParts,
    content_words,
    normalize,
    split_title,
    stopword_set,
    tokenize,
)


def test_normalize_lowercases_and_drops_punctuation_and_accents() -> None:
    assert normalize("E-KTP & KK: “Cepat”!") == "e ktp dan kk cepat"
    assert normalize("Kopi Kité  (2.0)") == "kopi kite 2 0"
    assert tokenize("Si-PANDAI") == ["si", "pandai"]


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, ""])
def test_missing_text_is_empty(missing: object) -> None:
    assert normalize(missing) == ""
    assert split_title(missing) == TitleParts("", "")


@pytest.mark.parametrize(("title", "informative", "acronym"), [
    # acronym first, expansion in brackets: the expansion is the informative part
    ("SIMICA (Sistem Informasi Infrastruktur dan Konstruksi Cerdas)",
     "sistem informasi infrastruktur dan konstruksi cerdas", "simica"),
    # expansion first, acronym in brackets
    ("SISTEM PELAPORAN ANGGARAN DESA SECARA DARING (E-LAPDES)",
     "sistem pelaporan anggaran desa secara daring", "e lapdes"),
    # a bracket that is never closed
    ("GEMAS (Gerakan Makan Sayur Anak Sekolah", "gerakan makan sayur anak sekolah", "gemas"),
    # acronym before a colon
    ("SI Tani : Aplikasi Jadwal Tanam Padi Sawah", "aplikasi jadwal tanam padi sawah",
     "si tani"),
    # a multi-word acronym around its expansion
    ("BACA (Belajar Cerdas Cermat Aksara) SMPNEGSA", "belajar cerdas cermat aksara",
     "baca smpnegsa"),
    # no acronym at all, and a lone acronym
    ("Pelayanan Perizinan Satu Pintu", "pelayanan perizinan satu pintu", ""),
    ("SIGEDANG", "sigedang", ""),
    # two parts of equal length: both are kept as informative
    ("DESA PELANGI (Desa Sehat)", "desa pelangi desa sehat", ""),
])
def test_split_title(title: str, informative: str, acronym: str) -> None:
    assert split_title(title) == TitleParts(informative, acronym)


def test_stopwords_ship_offline_and_take_domain_words() -> None:
    words = stopword_set(["inovasi", "Kabupaten"])
    assert {"yang", "dan", "dengan", "yg", "utk"} <= words  # shipped + informal forms
    assert {"inovasi", "kabupaten"} <= words  # domain words, normalised like the text
    assert "masing" in words and "masing-masing" not in words  # tokenized like the text
    assert not {"sampah", "sekolah", "pasien", "umkm"} & words


def test_content_words_drop_stopwords_numbers_and_single_letters() -> None:
    stop = stopword_set(["inovasi"])
    assert content_words("inovasi bank sampah yang ke 2 e ktp", stop) == [
        "bank", "sampah", "ktp"]
    assert content_words("pertanian organik", frozenset(), str.upper) == ["PERTANIAN",
                                                                          "ORGANIK"]


def test_stemmer_is_cached_and_offline() -> None:
    from evalkit.themes.text import Stemmer

    stem = Stemmer()
    assert stem("pertanian") == "tani" and stem("kesehatan") == "sehat"
    assert stem("umkm") == "umkm"
    assert stem._cache["pertanian"] == "tani"
