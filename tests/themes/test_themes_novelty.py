"""Recycled submissions: the most similar earlier innovation, flagged above the threshold."""

from __future__ import annotations

import pandas as pd

from evalkit.themes.novelty import flagged_pairs, most_similar_earlier

EARLIER = pd.DataFrame({
    "innovation_id": ["R23-1", "R24-1", "R24-2"], "year": [2023, 2024, 2024],
    "title": ["PLTMH DESA MANDIRI (Pembangkit Listrik Tenaga Mikrohidro Desa Mandiri)",
              "BANK SAMPAH KELURAHAN (Tabungan Sampah Warga Kelurahan)",
              "KELAS INSPIRASI (Relawan Mengajar di Sekolah Terpencil)"],
    "description": ["", "", ""], "unit_name": ["Dinas PMD", "Kecamatan Curup", "Dikbud"]})
CURRENT = pd.DataFrame({
    "innovation_id": ["R25-1", "R25-2", "R25-3"], "year": [2025, 2025, 2025],
    "title": ["PLTMH DESA MANDIRI ENERGI (Pembangkit Listrik Tenaga Mikrohidro Desa)",
              "SEHATI (Sehat Ibu Hamil Terpantau)", "ABC (Judul Baru Sama Sekali)"],
    "description": ["", "", "Warga menabung sampah di bank sampah kelurahan"],
    "unit_name": ["Dinas PMD", "Dinkes", "Kecamatan Curup"]})


def test_resubmission_is_flagged_and_new_work_is_not() -> None:
    similar = most_similar_earlier(CURRENT, EARLIER, threshold=0.7)
    first = similar.iloc[0]
    assert first["match_id"] == "R23-1" and first["match_year"] == 2023
    assert first["similarity"] > 0.8 and first["flagged"]
    assert not similar.iloc[1]["flagged"] and similar.iloc[1]["similarity"] < 0.4
    assert list(flagged_pairs(similar)["innovation_id"]) == ["R25-1"]
    assert similar["match_source"].tolist() == ["region"] * 3


def test_a_copied_description_counts_even_under_a_new_title() -> None:
    earlier = EARLIER.assign(description=["", "Warga menabung sampah di bank sampah kelurahan",
                                          ""])
    similar = most_similar_earlier(CURRENT, earlier, threshold=0.7)
    assert similar.iloc[2]["match_id"] == "R24-1" and similar.iloc[2]["flagged"]


def test_only_earlier_years_count() -> None:
    same_year = CURRENT.assign(innovation_id=["X1", "X2", "X3"])
    similar = most_similar_earlier(CURRENT, same_year, threshold=0.5)
    assert similar["match_id"].isna().all() and not similar["flagged"].any()
    assert similar["similarity"].isna().all()


def test_reference_corpus_rows_without_a_year_count_as_earlier() -> None:
    reference = pd.DataFrame({"innovation_id": ["N-1"], "year": [""], "title": [
        "SEHATI (Sehat Ibu Hamil Terpantau)"], "source": ["reference"]})
    similar = most_similar_earlier(CURRENT, reference, threshold=0.7)
    assert similar.iloc[1]["match_source"] == "reference" and similar.iloc[1]["flagged"]


def test_nothing_to_compare_with() -> None:
    similar = most_similar_earlier(CURRENT, EARLIER.head(0), threshold=0.7)
    assert len(similar) == 3 and not similar["flagged"].any()
    assert similar["match_year"].dtype == "Int64" and similar["similarity"].dtype == "float64"
