"""Participation for real organisations: no units table, a province, parents, inferred kinds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from conftest import INNOVATIONS
from evalkit.config import load_params
from evalkit.overview import participation, participation_chapter, write_overview
from evalkit.report.blocks import ReportContext, to_markdown

ROOT = Path(__file__).resolve().parents[2]
EXPORT_PARAMS = ROOT / "params" / "rejang-lebong-export-2025.yaml"


def _chapter(params_file: Path, out: Path, lang: str = "id") -> str:
    params = load_params(params_file)
    write_overview(params, out)
    params = dataclasses.replace(params, language=lang)
    return to_markdown(participation_chapter.build(ReportContext.create(params, out)))


def test_units_from_submitters_claim_no_coverage(tmp_path):
    text = _chapter(EXPORT_PARAMS, tmp_path)
    assert "tidak dapat diukur" in text and "units.csv" in text
    summary = text.split("\n\n")[1]
    assert "%" not in summary and "dari 25" not in summary
    assert "Perangkat daerah yang belum mengajukan" not in text
    assert "tidak dapat ditentukan" in text
    assert "Data tidak memuat status pengajuan" in text  # which rows count
    english = _chapter(EXPORT_PARAMS, tmp_path / "en", "en")
    assert "cannot be measured" in english and "%" not in english.split("\n\n")[1]


def _province(mini_region) -> Path:
    units = [
        {"unit_id": "dindik", "name": "Dinas Pendidikan", "kind": "", "parent": ""},
        {"unit_id": "sman1", "name": "SMA Negeri 1 Malang", "kind": "", "parent": "dindik"},
        {"unit_id": "sman2", "name": "SMA Negeri 2 Malang", "kind": "", "parent": "dindik"},
        {"unit_id": "smkn1", "name": "SMK Negeri 1 Malang", "kind": "", "parent": "dindik"},
        {"unit_id": "dinkes", "name": "Dinas Kesehatan", "kind": "dinas", "parent": ""},
        {"unit_id": "rsud", "name": "RSUD Saiful Anwar", "kind": "rsud", "parent": "dinkes"},
        {"unit_id": "biro-umum", "name": "Biro Umum", "kind": "biro", "parent": ""},
    ]
    rows = [dict(INNOVATIONS[0], innovation_id=f"P-{n}", unit_id=u, title=f"Inovasi {n}")
            for n, u in enumerate(["sman1", "sman1", "smkn1", "rsud"])]
    return mini_region(units=units, innovations=rows, evidence=None,
                       params={"region_name": "Provinsi Jawa Contoh"})


def test_a_province_is_worded_as_one_and_parents_roll_up(mini_region, tmp_path):
    text = _chapter(_province(mini_region), tmp_path)
    assert "kecamatan" not in text.lower()
    assert "perangkat daerah dan unit di bawahnya" in text
    assert "**3 dari 7**" in text
    assert "Unit induk dan unit di bawahnya" in text
    assert "1 dari 3 unit induk" not in text and "2 dari 3 unit induk" in text
    # inferred kinds are marked (table cells are escaped Markdown: the reader sees "*")
    assert "Satuan pendidikan \\*" in text
    assert "disimpulkan dari namanya" in text


def test_parent_rollup_counts():
    coverage = pd.DataFrame({
        "unit_id": ["a", "a1", "a2", "a11", "b"], "name": ["A", "A1", "A2", "A11", "B"],
        "kind": "dinas", "parent": ["", "a", "a", "a1", ""], "kind_inferred": False,
        "innovations": [0, 0, 0, 2, 0]})
    coverage["has_innovation"] = coverage["innovations"] > 0
    rollup = participation.parent_rollup(coverage).set_index("unit_id")
    assert rollup.loc["a", "sub_units"] == 3 and rollup.loc["a", "innovations"] == 2
    assert rollup.loc["a1", "sub_units_with_innovation"] == 1
    assert participation.top_level_share(coverage) == (1, 2)


def test_sample_wording_is_unchanged(tmp_path):
    text = _chapter(ROOT / "params" / "2025.yaml", tmp_path)
    assert "perangkat daerah (termasuk kecamatan) mengajukan sedikitnya satu inovasi" in text
    assert "tidak dapat diukur" not in text and " * |" not in text
