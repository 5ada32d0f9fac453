"""The whole pipeline on the IID application's export as it comes: the repository's sample
in that format, and the format notes' made-up file copied unchanged (when present)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evalkit.cli import main

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "formats" / "iid-app-export" / "data_inovasi-contoh.xlsx"
SAMPLE = ROOT / "data" / "sample" / "rejang-lebong-export" / "2025" / "data_inovasi.xlsx"
SAMPLE_PARAMS = ROOT / "params" / "rejang-lebong-export-2025.yaml"


def export_cells(path: Path) -> list[dict[str, object]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Data"].iter_rows(values_only=True))
    book.close()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _published_text(report: Path) -> dict[str, str]:
    """Every file of a report folder as text: tables, notebooks, HTML, the PDF's text."""
    from pypdf import PdfReader

    out = {}
    for path in sorted(report.rglob("*")):
        if not path.is_file() or path.suffix == ".png":
            continue
        if path.suffix == ".parquet":
            out[str(path)] = pd.read_parquet(path).astype("string").to_csv()
        elif path.suffix == ".pdf":
            out[str(path)] = "\n".join(page.extract_text() or ""
                                       for page in PdfReader(path).pages)
        else:
            out[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    return out


def _people(export: Path) -> list[str]:
    """Initiator names that are people's names (not the name of a unit)."""
    cells = export_cells(export)
    units = {re.sub(r"\s*\([^)]*\)\s*$", "", str(r["Admin OPD"])) for r in cells}
    return sorted({str(r["Nama Inisiator"]) for r in cells
                   if r["Nama Inisiator"] not in (None, "-")} - units)


def _check_report(report: Path, export: Path) -> str:
    texts = _published_text(report)
    people = _people(export)
    assert people
    for path, text in texts.items():
        leaked = [name for name in people if name in text]
        assert not leaked, f"{path} holds {leaked}"
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "tidak dapat diukur" in html
    assert not re.search(r"\d+ dari \d+</strong> (perangkat daerah|unit kerja)", html)
    return html


def test_sample_in_export_format_through_the_whole_pipeline(tmp_path):
    before = _digest(SAMPLE.parent)
    out = tmp_path / "reports"
    assert main(["run", "--params", str(SAMPLE_PARAMS), "--out", str(out)]) == 0
    assert _digest(SAMPLE.parent) == before  # the export is never written
    report = out / "2025"
    html = _check_report(report, SAMPLE)
    assert "45,39" in html  # SPD from iid.spd_total, maturity from Kematangan: not a bound
    assert "nilai Kematangan aplikasi IID" in html
    assert (report / "report.pdf").is_file()  # its text is checked above


@pytest.mark.skipif(not SHARED.is_file(), reason="shared format notes absent")
def test_contoh_copied_unchanged_through_the_whole_pipeline(tmp_path):
    year_dir = tmp_path / "data" / "contoh" / "2025"
    year_dir.mkdir(parents=True)
    shutil.copy2(SHARED, year_dir / SHARED.name)
    params = tmp_path / "contoh.yaml"
    params.write_text(yaml.safe_dump({"region": "contoh", "year": 2025,
                                      "data_dir": "data/contoh"}), encoding="utf-8")
    before = _digest(year_dir)
    out = tmp_path / "reports"
    assert main(["run", "--params", str(params), "--out", str(out), "--to", "html"]) == 0
    assert _digest(year_dir) == before
    html = _check_report(out / "2025", SHARED)
    assert "sekurang-kurangnya" in html  # no SPD: a lower bound
    assert SHARED.read_bytes() == (year_dir / SHARED.name).read_bytes()
    assert ROOT.exists()
