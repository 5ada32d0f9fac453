"""No quiet misreads (issue 9, class 3): what a careless or hostile file does to the reader.

Every case either reads the file as meant (the index unchanged) or stops with an error naming
the place; a rejected case leaves the raw inputs byte-identical.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import EVIDENCE, INNOVATIONS, write_csv
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.iid.workflow import run
from evalkit.inputs.read import read_xlsx
from evalkit.inputs.validate import load_year
from evalkit.issues import InputError, format_groups, group_issues


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _year_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "mini" / "2025"


def _iid(params_file: Path) -> float:
    params = load_params(params_file)
    return float(run(params, load_year(params)).result.summary.iloc[0]["iid"])


def _rejected(params_file: Path, year_dir: Path, *fragments: str) -> str:
    """Load must fail with every fragment in the messages; validate exits 1; nothing moves."""
    return _rejection(params_file, year_dir, *fragments)[0]


def _rejection(params_file: Path, year_dir: Path, *fragments: str) -> tuple[str, InputError]:
    before = _snapshot(year_dir)
    with pytest.raises(InputError) as info:
        load_year(load_params(params_file))
    text = "\n".join(f"{i} {i.hint}" for i in info.value.errors)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert main(["validate", "--params", str(params_file)]) == 1
    assert _snapshot(year_dir) == before
    return text, info.value


@pytest.fixture
def reference(mini_region, tmp_path):
    """The mini region's verified index with clean files, to compare misread-prone copies."""
    params = mini_region()
    return params, _iid(params)


def _rename_header(path: Path, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = ",".join(new if h == old else h for h in lines[0].split(","))
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("header", ["Level Verifikasi (0-3)", "level_verifikasi*",
                                    "Verified level - diisi verifikator",
                                    "Level Verifikasi [wajib]: 0-3"])
def test_headers_with_hints_and_marks_are_read(reference, tmp_path, header):
    params, expected = reference
    evidence = _year_dir(tmp_path) / "evidence.csv"
    _rename_header(evidence, "verified_level", header)
    assert _iid(params) == pytest.approx(expected)
    assert load_year(load_params(params)).evidence["verified_level"].notna().all()


@pytest.mark.parametrize(("header", "meant"), [("Level Verifkasi", "verified_level"),
                                               ("Verifikasi Level", "verified_level"),
                                               ("Lvl Klaim", "claimed_level")])
def test_a_header_like_a_known_column_is_an_error_with_the_fix(reference, tmp_path, header,
                                                               meant):
    params, _ = reference
    evidence = _year_dir(tmp_path) / "evidence.csv"
    old = "verified_level" if meant == "verified_level" else "claimed_level"
    _rename_header(evidence, old, header)
    text = _rejected(params, _year_dir(tmp_path), "evidence.csv", f"column '{header}'",
                     f"looks like '{meant}'", "inputs")
    assert f'"{header}": "{meant}"' in text  # the params snippet that fixes it


def test_a_header_unlike_any_column_is_a_warning(mini_region, tmp_path):
    params = mini_region()
    evidence = _year_dir(tmp_path) / "evidence.csv"
    _rename_header(evidence, "note", "Foto Kegiatan")
    data = load_year(load_params(params))
    assert any(i.code == "unknown-column" and "Foto Kegiatan" in i.message
               for i in data.warnings)


def test_evidence_csv_txt_is_read_with_a_warning(reference, tmp_path):
    params, expected = reference
    year_dir = _year_dir(tmp_path)
    (year_dir / "evidence.csv").rename(year_dir / "evidence.csv.txt")
    assert _iid(params) == pytest.approx(expected)
    data = load_year(load_params(params))
    assert any(i.code == "file-type" and "evidence.csv.txt" in i.file for i in data.warnings)


def test_an_xlsx_that_is_csv_is_read_as_csv(reference, tmp_path):
    params, expected = reference
    year_dir = _year_dir(tmp_path)
    (year_dir / "evidence.csv").rename(year_dir / "evidence.xlsx")
    assert _iid(params) == pytest.approx(expected)
    warning = next(i for i in load_year(load_params(params)).warnings if i.code == "file-type")
    assert "is CSV text" in warning.message


def test_a_workbook_named_csv_is_read_as_a_workbook(reference, tmp_path):
    params, expected = reference
    year_dir = _year_dir(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(list(EVIDENCE[0]))
    for row in EVIDENCE:
        book.active.append(list(row.values()))
    (year_dir / "evidence.csv").unlink()
    book.save(year_dir / "evidence.csv")
    assert _iid(params) == pytest.approx(expected)


FIXTURES = Path(__file__).resolve().parents[1] / "data"


def test_old_xls_is_an_error_saying_what_it_is(mini_region, tmp_path):
    params = mini_region(evidence=None)
    year_dir = _year_dir(tmp_path)
    shutil.copy(FIXTURES / "evidence-excel-97-2003.xls", year_dir / "evidence.xls")
    _rejected(params, year_dir, "evidence.xls", "Excel 97-2003", "save it as .xlsx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_old_xls_written_by_libreoffice_now(mini_region, tmp_path):
    params = mini_region(evidence=None)
    year_dir = _year_dir(tmp_path)
    source = tmp_path / "lo" / "evidence.csv"
    write_csv(source, EVIDENCE)
    subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir",
                    str(year_dir), str(source)], check=True, capture_output=True, timeout=180)
    assert (year_dir / "evidence.xls").read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    _rejected(params, year_dir, "evidence.xls", "Excel 97-2003")


def test_password_protected_workbook_is_named(mini_region, tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    params = mini_region(evidence=None)
    year_dir = _year_dir(tmp_path)
    book = openpyxl.Workbook()
    book.active.title = "evidence"
    book.active.append(list(EVIDENCE[0]))
    plain = io.BytesIO()
    book.save(plain)
    plain.seek(0)
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("rahasia", encrypted)
    (year_dir / "evidence.xlsx").write_bytes(encrypted.getvalue())
    assert msoffcrypto is not None
    _rejected(params, year_dir, "evidence.xlsx", "protected with a password")


def test_formulas_without_saved_results_are_errors(mini_region, tmp_path):
    params = mini_region(evidence=None)
    year_dir = _year_dir(tmp_path)
    book = openpyxl.Workbook()  # openpyxl writes formulas and never their results
    sheet = book.active
    sheet.title = "evidence"
    sheet.append(["innovation_id", "indicator", "claimed_level", "verified_level"])
    for row in EVIDENCE:
        sheet.append([row["innovation_id"], int(row["indicator"]), 2, f"=C{sheet.max_row + 1}"])
    book.save(year_dir / "evidence.xlsx")
    text = _rejected(params, year_dir, "evidence.xlsx [evidence]", "column 'verified_level'",
                     "formula (=C2)", "never saved")
    assert "row 2" in text


def test_hidden_sheets_are_named(mini_region, tmp_path):
    params = mini_region(evidence=None)
    year_dir = _year_dir(tmp_path)
    book = openpyxl.Workbook()
    book.active.title = "daftar"
    book.active.append(["pilihan"])
    book.active.append(["penerapan"])
    book.active.sheet_state = "hidden"  # a dropdown list: usual in office templates
    visible = book.create_sheet("jurors")
    visible.append(["juror_id", "name"])
    visible.append(["J1", "Juri Contoh"])
    book.save(year_dir / "lists.xlsx")
    data = load_year(load_params(params))
    assert any(i.code == "hidden-sheet" and i.sheet == "daftar" for i in data.warnings)
    assert list(data.jurors["juror_id"]) == ["J1"]

    hidden = openpyxl.Workbook()
    hidden.active.title = "cover"
    hidden.active.append(["catatan"])
    sheet = hidden.create_sheet("evidence")
    sheet.append(list(EVIDENCE[0]))
    sheet.sheet_state = "hidden"
    hidden.save(year_dir / "bukti.xlsx")
    _rejected(params, year_dir, "sheet 'evidence' is hidden", "unhide it")


def _stray_cell(path: Path) -> None:
    """A workbook whose sheet claims A1:XFD1048576 and holds one cell in that corner."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "jurors"
    sheet.append(["juror_id", "name"])
    sheet.append(["J1", "Juri Contoh"])
    sheet["XFD1048576"] = "x"
    book.save(path)
    with zipfile.ZipFile(path) as src:
        assert b'ref="A1:XFD1048576"' in src.read("xl/worksheets/sheet1.xml")


def test_a_stray_cell_far_away_does_not_exhaust_memory(mini_region, tmp_path):
    params = mini_region()
    path = _year_dir(tmp_path) / "jury.xlsx"
    _stray_cell(path)
    tables, issues = read_xlsx(path, str(path))  # openpyxl: a MemoryError after ~30 s
    assert len(tables[0].rows) == 1 and tables[0].header == ["juror_id", "name"]
    assert any(i.code == "outside-table" and "XFD1048576" in i.message for i in issues)
    assert list(load_year(load_params(params)).jurors["juror_id"]) == ["J1"]


def test_a_ragged_csv_row_is_a_located_error(mini_region, tmp_path):
    rows = [{"year": "2024", "score": "47.67", "predicate": "Inovatif", "rank": "184",
             "rank_out_of": "315", "scope": "kabupaten nasional"}]
    params = mini_region(history=rows)
    path = _year_dir(tmp_path) / "history.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("47.67", "47,67"),
                    encoding="utf-8")
    text = _rejected(params, _year_dir(tmp_path), "history.csv", "row 2", "7 values",
                     "header has 6 columns", "'kabupaten nasional' would be lost", "quote it")
    assert "expected a whole number" not in text  # the shifted cells are not judged


def test_mixed_encodings_are_a_located_error(mini_region, tmp_path):
    params = mini_region()
    path = _year_dir(tmp_path) / "innovations.csv"
    text = path.read_text(encoding="utf-8").replace("SEHATI", "SEHATI – Sehat")
    lines = text.split("\n")
    data = "\n".join(lines[:2]).encode("utf-8") + b"\n" + lines[2].replace(
        "ARTIS", "JUM\u2019AT").encode("cp1252") + b"\n"
    path.write_bytes(data)
    _rejected(params, _year_dir(tmp_path), "innovations.csv", "mixes two text encodings",
              "line(s) 3")


def test_twenty_thousand_rows_with_pasted_duplicates(mini_region, tmp_path):
    rows = [dict(INNOVATIONS[0], innovation_id=f"X-{i % 400}", title=f"Judul {i}")
            for i in range(20000)]
    params = mini_region(innovations=rows, evidence=None)
    # (the check is linear: bench/bench_inputs.py times it; it used to take 55 s)
    _, error = _rejection(params, _year_dir(tmp_path), "duplicate innovation_id=X-0")
    lines = format_groups(group_issues(error.errors))
    assert len([i for i in error.errors if i.code == "duplicate-id"]) == 19600
    assert len(lines) <= 6, lines  # 19,600 duplicates: one group, rows as ranges
    assert "19600 rows" in lines[0] and "row 402" not in lines[0]
