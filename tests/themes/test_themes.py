"""Theme assignment: seed evidence, the estimator's contract, the fallback theme, learning
from labels, determinism."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from test_themes_support import CORPUS, frame, taxonomy

from evalkit.themes.classifier import Docs, ThemeClassifier, unit_text
from evalkit.themes.seeds import SeedLexicon


def test_seed_phrases_match_longest_first_and_count_once() -> None:
    seeds = SeedLexicon(taxonomy())
    texts = ["bank sampah dan daur ulang", "sampah sampah", "kelompok tani padi", "anak", ""]
    scores = seeds.score(texts)
    col = list(taxonomy().ids).index
    # "bank sampah" and the "sampah" inside it are one piece of evidence, not two
    assert scores[0, col("lingkungan")] == 2.0
    assert scores[1, col("lingkungan")] == 1.0  # a phrase counts once per text
    assert scores[2, col("pertanian")] == 2.0
    assert scores[3, col("pendidikan")] == 0.5  # a weighted (weak) seed
    assert not scores[4].any()


def test_unit_cues_count_their_strongest_match() -> None:
    cues = SeedLexicon(taxonomy(), "unit_cues")
    strongest = cues.strongest(["rsud curup puskesmas", "sman 1 curup"])
    columns = list(taxonomy().ids)
    assert strongest[0, columns.index("kesehatan")] == 2.0  # max(2, 1), not 3
    assert strongest[1, columns.index("pendidikan")] == 1.0


def fitted(**params: object) -> ThemeClassifier:
    return ThemeClassifier(taxonomy(), **params).fit(CORPUS)


def test_a_seed_term_in_the_title_wins_over_the_unit() -> None:
    model = fitted()
    # a school's waste bank is lingkungan, not pendidikan
    rows = frame(("BANK SAMPAH SMAN (Tabungan Sampah Siswa Kelas)", "", "SMAN 2 Curup"))
    assert model.predict(rows)[0] == "lingkungan"


def test_the_unit_decides_an_acronym_only_title() -> None:
    model = fitted()
    rows = frame(("KUDA MAGIS", "", "RSUD Curup"), ("SIGMA", "", "SMKN 1 Curup"))
    assert list(model.predict(rows)) == ["kesehatan", "pendidikan"]


def test_the_expansion_counts_more_than_the_acronym() -> None:
    model = fitted()
    # the acronym spells "PADI", the expansion is about schools
    rows = frame(("PADI (Pendampingan Guru dan Siswa Sekolah)", "", ""))
    assert model.predict(rows)[0] == "pendidikan"


def test_fallback_theme_below_min_confidence() -> None:
    rows = frame(("XYZZY", "", ""))
    assert fitted(min_confidence=0.9).predict(rows)[0] == "lainnya"
    assigned = fitted(min_confidence=0.0).assign(rows)
    assert assigned["theme"].iloc[0] != "lainnya"
    assert assigned["confidence"].iloc[0] < 0.9  # no evidence: an unsure guess


def test_estimator_contract() -> None:
    model = fitted()
    proba = model.predict_proba(CORPUS)
    assert proba.shape == (len(CORPUS), len(model.classes_))
    assert list(model.classes_) == list(taxonomy().ids)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.score(CORPUS, ["pertanian"] * 2 + ["lingkungan"] * 2 + ["pendidikan"] * 2
                       + ["kesehatan"] * 2) == 1.0
    assert clone(model).get_params()["min_confidence"] == model.min_confidence
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(CORPUS), proba)
    assigned = model.assign(CORPUS)
    assert list(assigned.columns) == ["theme", "confidence"]
    assert assigned["theme"].dtype == "str" and assigned["confidence"].dtype == "float64"
    pd.testing.assert_frame_equal(ThemeClassifier(taxonomy()).fit_assign(CORPUS), assigned)


def test_deterministic_with_random_state() -> None:
    a = ThemeClassifier(taxonomy(), random_state=3).fit(CORPUS).predict_proba(CORPUS)
    b = ThemeClassifier(taxonomy(), random_state=3).fit(CORPUS).predict_proba(CORPUS)
    np.testing.assert_array_equal(a, b)


def test_labelled_rows_teach_words_the_seeds_lack() -> None:
    new = frame(("ZUMBA CERIA (Senam Zumba Warga)", "", "Kecamatan Curup"))
    before = fitted().predict_proba(new)[0]
    labelled = pd.concat([CORPUS, frame(("ZUMBA SEHAT (Senam Zumba Lansia)", "", ""),
                                        ("ZUMBA PAGI (Senam Zumba Ibu)", "", ""))],
                         ignore_index=True)
    y = [None] * len(CORPUS) + ["kesehatan", "kesehatan"]
    model = ThemeClassifier(taxonomy()).fit(labelled, y)
    after = model.predict_proba(new)[0]
    health = list(model.classes_).index("kesehatan")
    assert after[health] > before[health] and model.predict(new)[0] == "kesehatan"
    assert model.n_labelled_ == 2


def test_unknown_label_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        ThemeClassifier(taxonomy()).fit(CORPUS, ["wisata"] + [None] * (len(CORPUS) - 1))


def test_matched_terms_explain_the_theme() -> None:
    model = fitted()
    terms = model.matched_terms(CORPUS.head(3), ["pertanian", "kesehatan", "lingkungan"])
    assert terms == ["kelompok tani, padi", "", "bank sampah, daur ulang, sampah"]


def test_unit_text_joins_name_and_kind() -> None:
    assert unit_text("RSUD Curup", "badan") == "rsud curup badan"
    assert unit_text(None, float("nan")) == ""


def test_the_unit_never_outweighs_a_seed_term_of_the_text() -> None:
    """A hospital unit's cue (weight 2) is stronger than one seed term of the title; where the
    title has seed evidence of its own the cue is capped, so the topic decides."""
    model = fitted()
    rows = frame(("PILAH (Bank Sampah Pegawai)", "", "RSUD Curup"), ("SIMRS", "", "RSUD Curup"))
    content, context = model._evidence(Docs.from_frame(rows))
    combined = model._combine(content, context)
    col = list(model.classes_).index
    assert combined[0, col("lingkungan")] > combined[0, col("kesehatan")]
    assert combined[0, col("kesehatan")] == pytest.approx(model.context_cap)
    assert combined[1, col("kesehatan")] == pytest.approx(model.unit_weight * 2)  # no text
    assert list(model.predict(rows)) == ["lingkungan", "kesehatan"]


def test_the_affair_is_a_weak_cue_that_decides_only_a_silent_text() -> None:
    model = ThemeClassifier(taxonomy()).fit(CORPUS.assign(affair=""))
    rows = frame(("SIGAP", "", ""), ("BANK SAMPAH (Tabungan Sampah Siswa)", "", "")).assign(
        affair=["Kesehatan", "pendidikan"])
    assert list(model.predict(rows)) == ["kesehatan", "lingkungan"]
    without = ThemeClassifier(taxonomy()).fit(CORPUS)
    assert not without.used_affair_
    assert ThemeClassifier(taxonomy()).fit(CORPUS.assign(affair="kesehatan")).used_affair_


def test_unit_names_are_not_words_of_the_learned_model() -> None:
    """The model learns from the content only, so "a school means education" cannot be
    learned from labelled rows; the unit stays a weak, capped cue."""
    model = fitted()
    vocabulary = set(model.word_vectorizer_.vocabulary_)
    assert "curup" not in vocabulary and not any(w.startswith("u_") for w in vocabulary)


def test_self_training_and_calibration_are_recorded() -> None:
    labelled = pd.concat([CORPUS] * 8, ignore_index=True)
    gold = (["pertanian"] * 2 + ["lingkungan"] * 2 + ["pendidikan"] * 2 + ["kesehatan"] * 2) * 8
    model = ThemeClassifier(taxonomy(), min_calibration_rows=40, calibration_folds=3)
    model.fit(labelled, gold, groups=[i % 4 for i in range(len(labelled))])
    assert model.calibrated_on_ == len(labelled)
    assert (model.temperature_, model.ceiling_) != (model.temperature, model.ceiling)
    plain = ThemeClassifier(taxonomy(), self_training=0).fit(CORPUS)
    assert plain.n_pseudo_ == 0 and plain.calibrated_on_ == 0
    assert plain.temperature_ == plain.temperature
    assert ThemeClassifier(taxonomy(), self_training=1).fit(CORPUS).n_pseudo_ > 0
