"""A province-sized made-up region (1,000 innovations) through the whole pipeline."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from evalkit.artifacts import read_table
from evalkit.config import load_params
from evalkit.inputs.synthetic import RegionSpec, write_region
from evalkit.pipeline import run_year

pytestmark = pytest.mark.slow

TALLEST_FIGURE_PX = 4000


def _height(png: Path) -> int:
    return struct.unpack(">II", png.read_bytes()[16:24])[1]


def test_thousand_innovations_run_through_the_pipeline(tmp_path: Path) -> None:
    spec = RegionSpec(name="Provinsi Uji", slug="uji", innovations=1000, seed=1000)
    params = load_params(write_region(spec, tmp_path))
    report = run_year(params, formats=("html",), progress=lambda m: None).report_dir
    manifest = json.loads((report / "manifest.json").read_text())
    assert manifest["skipped_notebooks"] == {}
    assert {"01_validate", "02_iid", "03_themes", "04_jury", "05_report"} <= set(
        manifest["timings_s"])
    assert len(read_table(report, "iid_innovations")) == 1000
    assert len(read_table(report, "themes_assigned").query("year == 2025")) == 1000
    ranking = read_table(report, "jury_ranking")
    assert ranking["rank"].notna().sum() > 500  # every accepted innovation competed
    heights = {p.name: _height(p) for p in (report / "figures").glob("*.png")}
    assert heights and max(heights.values()) <= TALLEST_FIGURE_PX, heights
    assert "rekaan" in (report / "report.html").read_text(encoding="utf-8")  # made up, said
