"""Small hand-made taxonomy and innovations shared by the theme tests."""

from __future__ import annotations

import pandas as pd

from evalkit.issues import Issue
from evalkit.themes.taxonomy import Taxonomy, parse_taxonomy

TAXONOMY = {
    "version": "test",
    "fallback": "lainnya",
    "affair_cues": {"kesehatan": {"kesehatan": 1}, "lingkungan hidup": {"lingkungan": 1},
                    "pendidikan": {"pendidikan": 1}},
    "domain_stopwords": ["inovasi", "sistem", "informasi"],
    "themes": [
        {"id": "pertanian", "label": {"id": "Pertanian", "en": "Agriculture"},
         "description": {"id": "x", "en": "x"},
         "seeds": ["pertanian", "petani", "padi", "kelompok tani"], "unit_cues": ["pertanian"]},
        {"id": "lingkungan", "label": {"id": "Lingkungan", "en": "Environment"},
         "description": {"id": "x", "en": "x"},
         "seeds": ["sampah", "bank sampah", "daur ulang"], "unit_cues": ["lingkungan hidup"]},
        {"id": "pendidikan", "label": {"id": "Pendidikan", "en": "Education"},
         "description": {"id": "x", "en": "x"},
         "seeds": ["sekolah", "siswa", "guru", "literasi", {"anak": 0.5}],
         "unit_cues": ["sman", "smkn", "sekolah"]},
        {"id": "kesehatan", "label": {"id": "Kesehatan", "en": "Health"},
         "description": {"id": "x", "en": "x"},
         "seeds": ["pasien", "puskesmas", "stunting"], "unit_cues": [{"rsud": 2}, "puskesmas"]},
        {"id": "lainnya", "label": {"id": "Lainnya", "en": "Other"},
         "description": {"id": "x", "en": "x"}},
    ],
}


def taxonomy(**changes: object) -> Taxonomy:
    issues: list[Issue] = []
    parsed = parse_taxonomy({**TAXONOMY, **changes}, "test.yaml", issues)
    assert parsed is not None, issues
    return parsed


def frame(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """(title, description, unit) rows as the estimator's input."""
    return pd.DataFrame(rows, columns=["title", "description", "unit"])


CORPUS = frame(
    ("TANI MAJU (Pendampingan Kelompok Tani Padi)", "", "Dinas Pertanian"),
    ("SI PADI (Sistem Informasi Harga Padi Petani)", "", "Dinas Pertanian"),
    ("BANK SAMPAH (Tabungan Sampah Warga)", "daur ulang plastik", "Dinas Lingkungan Hidup"),
    ("SAMPAHKU (Pilah Sampah Rumah Tangga)", "", "Kecamatan Curup"),
    ("GELIS (Gerakan Literasi Siswa)", "guru dan siswa membaca", "SMAN 1 Curup"),
    ("KELAS GURU (Pelatihan Guru Sekolah Dasar)", "", "Dinas Pendidikan"),
    ("ANTRE (Antrean Pasien Puskesmas)", "", "Puskesmas Curup"),
    ("CEGAH STUNTING (Pendampingan Balita Stunting)", "", "Dinas Kesehatan"),
)
