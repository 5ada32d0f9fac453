"""A province-sized made-up region (1,000 innovations) through the whole pipeline: the report
stays readable (bounded pages, figures no taller than a page) and every full table is beside
it, row for row."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from pathlib import Path

import pytest

from evalkit.artifacts import read_table
from evalkit.config import load_params
from evalkit.inputs.synthetic import RegionSpec, write_region
from evalkit.pipeline import run_year

pytestmark = pytest.mark.slow

TALLEST_FIGURE_PX = 4000
MAX_PAGES_AT_1000 = 40
_DATA_LINK = re.compile(r'href="data:[^;"]+;base64,[A-Za-z0-9+/=]*" download="([^"]+)"')


def _height(png: Path) -> int:
    return struct.unpack(">II", png.read_bytes()[16:24])[1]


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("province")
    spec = RegionSpec(name="Provinsi Uji", slug="uji", innovations=1000, seed=1000)
    params = load_params(write_region(spec, root))
    return run_year(params, progress=lambda m: None).report_dir


def test_thousand_innovations_run_through_the_pipeline(big_report: Path) -> None:
    report = big_report
    manifest = json.loads((report / "manifest.json").read_text())
    assert manifest["skipped_notebooks"] == {}
    assert {"01_validate", "02_iid", "03_themes", "04_jury", "05_report"} <= set(
        manifest["timings_s"])
    assert len(read_table(report, "iid_innovations")) == 1000
    assert len(read_table(report, "themes_assigned").query("year == 2025")) == 1000
    ranking = read_table(report, "jury_ranking")
    assert ranking["rank"].notna().sum() > 500  # every accepted innovation competed
    assert "rekaan" in (report / "report.html").read_text(encoding="utf-8")  # made up, said


def test_report_at_a_thousand_is_bounded(big_report: Path) -> None:
    from pypdf import PdfReader

    heights = {p.name: _height(p) for p in (big_report / "figures").glob("*.png")}
    assert heights and max(heights.values()) <= TALLEST_FIGURE_PX, heights
    assert "iid-heatmap.png" not in heights  # a level spread instead of a row per innovation
    assert {"iid-levels.png", "iid-levels-groups.png"} <= set(heights)
    reader = PdfReader(big_report / "report.pdf")
    assert len(reader.pages) < MAX_PAGES_AT_1000
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Ringkasan" in first and "1000 inovasi" in first
    html = (big_report / "report.html").read_text(encoding="utf-8")
    assert len(_DATA_LINK.sub("", html).encode()) < 5_000_000  # attachments aside


def test_every_full_table_is_attached_with_every_row(big_report: Path) -> None:
    from pypdf import PdfReader

    report = big_report
    folder = report / "attachments"
    points = read_table(report, "iid_points")
    quality = read_table(report, "data_quality")
    units = read_table(report, "participation_units")
    ranking = read_table(report, "jury_ranking")
    expected = {
        "iid-levels": points["innovation_id"].nunique(),
        "iid-plan": len(read_table(report, "iid_plan")),
        "iid-claims": read_table(report, "iid_claims")["innovation_id"].nunique(),
        "participation-missing": int((~units["has_innovation"]).sum()),
        "quality-every": int((quality["severity"] == "warning").sum()),
        "themes-units": read_table(report, "themes_units")["unit_name"].nunique(),
        "jury-leaderboard": int(ranking["rank"].notna().sum()),
    }
    for name, rows in expected.items():
        assert rows > 40, name  # long enough to need an attachment at this size
        assert _rows(folder / f"{name}.csv") == rows, name
        from openpyxl import load_workbook

        sheet = load_workbook(folder / f"{name}.xlsx", read_only=True).active
        assert sheet.max_row - 1 == rows, name
    html = (report / "report.html").read_text(encoding="utf-8")
    embedded = set(_DATA_LINK.findall(html))
    files = {p.name for p in folder.iterdir()}
    assert files == embedded  # the single HTML file carries every attachment
    link = re.search(r'href="data:text/csv;base64,([^"]+)" download="iid-plan.csv"', html)
    import base64

    text = base64.b64decode(link.group(1)).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) - 1 == expected["iid-plan"]
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(report / "report.pdf").pages)
                   .split())
    for name in files:
        assert name in pdf, name  # the PDF lists every attachment by name
