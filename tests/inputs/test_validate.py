"""Reading and validating a year's tables, including a corpus of malformed inputs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import EVIDENCE, INNOVATIONS, UNITS, write_csv
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.inputs.validate import load_year, normalise_header
from evalkit.issues import InputError


def _load(params_file: Path):
    return load_year(load_params(params_file))


def _errors(params_file: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        _load(params_file)
    return [str(i) for i in info.value.errors]


def test_valid_region_loads_with_types(mini_region) -> None:
    data = _load(mini_region())
    inn = data.innovations
    assert list(inn["unit_id"]) == ["dinkes", "disdukcapil"]  # alias resolved to id
    assert list(inn["unit_raw"]) == ["Dinkes", "disdukcapil"]
    assert str(inn["year"].dtype) == "Int64"
    assert str(data.evidence["claimed_level"].dtype) == "Int64"
    assert inn["start_date"].dtype.kind == "M"
    assert data.jurors.empty and "juror_id" in data.jurors.columns  # optional, absent
    assert data.evidence["indicator"].iloc[0] == "16"
    assert data.history["score"].iloc[0] == pytest.approx(47.67)


def test_indonesian_headers_semicolons_and_cp1252(mini_region, tmp_path: Path) -> None:
    params = mini_region()
    year_dir = tmp_path / "data" / "mini" / "2025"
    rows = [{"id_inovasi": r["innovation_id"], "tahun": r["year"],
             "perangkat_daerah": r["unit_id"], "judul": r["title"] + " – café",
             "deskripsi": r["description"], "tahapan": "Uji Coba"} for r in INNOVATIONS]
    write_csv(year_dir / "innovations.csv", rows, encoding="cp1252", delimiter=";")
    data = _load(params)
    assert data.innovations["title"].iloc[0].endswith("– café")
    assert set(data.innovations["stage"]) == {"uji_coba"}


def test_utf8_bom(mini_region, tmp_path: Path) -> None:
    params = mini_region()
    write_csv(tmp_path / "data/mini/2025/units.csv", UNITS, encoding="utf-8-sig")
    assert list(_load(params).units["unit_id"]) == [u["unit_id"] for u in UNITS]


def test_xlsx_one_table_per_sheet(mini_region, tmp_path: Path) -> None:
    params = mini_region(evidence=None)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "bukti"  # an Indonesian sheet name for 'evidence'
    sheet.append(list(EVIDENCE[0]))
    for row in EVIDENCE:
        sheet.append([int(v) if v.isdigit() else v for v in row.values()])
    notes = book.create_sheet("_catatan")
    notes.append(["a notes sheet starting with _ is ignored"])
    book.save(tmp_path / "data/mini/2025/bukti-dan-catatan.xlsx")
    data = _load(params)
    assert len(data.evidence) == len(EVIDENCE)
    assert data.evidence["_sheet"].iloc[0] == "bukti"


def test_warnings_do_not_fail(mini_region) -> None:
    rows = [dict(r) for r in INNOVATIONS]
    rows[0]["description"] = ""
    rows[1]["unit_id"] = "  dinas  kesehatan"
    evidence = [dict(r) for r in EVIDENCE]
    evidence[0]["evidence_ref"] = ""
    data = _load(mini_region(innovations=rows, evidence=evidence))
    codes = {i.code for i in data.warnings}
    assert {"empty-optional", "unit-spelling", "missing-evidence"} <= codes
    spelled = next(i for i in data.warnings if i.code == "unit-spelling")
    assert spelled.row == 3 and spelled.column == "unit_id"


def test_innovation_without_evidence_is_a_warning(mini_region) -> None:
    evidence = [r for r in EVIDENCE if r["innovation_id"] == "X-1"]
    data = _load(mini_region(evidence=evidence))
    assert any(i.code == "no-evidence" and "X-2" in i.message for i in data.warnings)


def test_header_normalisation() -> None:
    assert normalise_header(" Tanggal Mulai ") == "tanggal_mulai"
    assert normalise_header("ID-Inovasi") == "id_inovasi"


# --- the malformed corpus: every case names where the problem is, and writes nothing -------

def _innovations(**change: str) -> list[dict[str, str]]:
    rows = [dict(r) for r in INNOVATIONS]
    rows[1].update(change)
    return rows


def _drop(rows: list[dict[str, str]], column: str) -> list[dict[str, str]]:
    return [{k: v for k, v in r.items() if k != column} for r in rows]


def _write_raw(name: str, data: bytes):
    def apply(year_dir: Path) -> None:
        (year_dir / name).write_bytes(data)
    return apply


def _extra_sheet(year_dir: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "jurors"
    book.active.append(["juror_id", "name"])
    book.active.append(["J1", "Juri Satu"])
    other = book.create_sheet("Sheet2")
    other.append(["something", "else"])
    book.save(year_dir / "jury.xlsx")


def _duplicate_table(year_dir: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "innovations"
    book.active.append(["innovation_id"])
    book.save(year_dir / "more.xlsx")


MALFORMED = {
    "missing column": (dict(innovations=_drop(INNOVATIONS, "title")), None,
                       ["innovations.csv", "row 1", "required column 'title' is missing"]),
    "wrong type": (dict(innovations=_innovations(year="dua ribu")), None,
                   ["innovations.csv", "row 3", "column 'year'", "whole number"]),
    "unknown unit": (dict(innovations=_innovations(unit_id="Dinas Kesehatn")), None,
                     ["row 3", "unknown unit 'Dinas Kesehatn'", "closest known: Dinas Kesehatan"]),
    "duplicate id": (dict(innovations=_innovations(innovation_id="X-1")), None,
                     ["row 3", "duplicate innovation_id=X-1", "first at row 2"]),
    "wrong year": (dict(innovations=_innovations(year="2024")), None,
                   ["row 3", "year 2024 does not match the run's year 2025"]),
    "bad encoding": ({}, _write_raw("units.csv", "unit_id,name\n".encode("utf-16")),
                     ["units.csv", "UTF-16"]),
    "empty file": ({}, _write_raw("innovations.csv", b""),
                   ["innovations.csv", "file is empty"]),
    "extra sheet": ({}, _extra_sheet, ["jury.xlsx [Sheet2]", "'Sheet2' is not a known table"]),
    "level out of range": (dict(evidence=[{**EVIDENCE[0], "claimed_level": "4"}, *EVIDENCE[1:]]),
                           None, ["evidence.csv", "row 2", "claimed_level",
                                  "between 0 and 3, got 4"]),
    "empty required cell": (dict(innovations=_innovations(title="")), None,
                            ["row 3", "column 'title'", "required value 'title' is empty"]),
    "bad date": (dict(innovations=_innovations(start_date="31/02/2024x")), None,
                 ["row 3", "start_date", "expected a date"]),
    "bad choice": (dict(innovations=_innovations(stage="selesai")), None,
                   ["row 3", "column 'stage'", "expected one of inisiatif, uji_coba, penerapan"]),
    "unknown innovation in evidence": (
        dict(evidence=[{**EVIDENCE[0], "innovation_id": "X-9"}, *EVIDENCE[1:]]), None,
        ["evidence.csv", "row 2", "unknown innovation 'X-9'"]),
    "corrupt workbook": ({}, _write_raw("evidence.xlsx", b"PK\x03\x04 not really a zip"),
                         ["evidence.xlsx", "not a readable .xlsx"]),
    "indicator out of range": (dict(evidence=[{**EVIDENCE[0], "indicator": "40"}, *EVIDENCE[1:]]),
                               None, ["row 2", "indicator number 16..35", "'40'"]),
    "table given twice": ({}, _duplicate_table, ["more.xlsx", "given twice"]),
    "no rows": (dict(units=None), _write_raw("units.csv", b"unit_id,name\n"),
                ["units.csv", "has no rows"]),
    "missing required table": (dict(innovations=None), None,
                               ["required table 'innovations' not found"]),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_input_is_rejected_with_location(case: str, mini_region, tmp_path: Path,
                                                   capsys) -> None:
    tables, tweak, expected = MALFORMED[case]
    params = mini_region(**tables)
    year_dir = tmp_path / "data" / "mini" / "2025"
    if tweak is not None:
        tweak(year_dir)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in year_dir.iterdir()}
    errors = "\n".join(_errors(params))
    for fragment in expected:
        assert fragment in errors, f"{case}: {fragment!r} not in:\n{errors}"

    assert main(["validate", "--params", str(params)]) == 1
    assert main(["run", "--params", str(params)]) == 1
    stderr = capsys.readouterr().err
    assert expected[-1] in stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in year_dir.iterdir()}
    assert before == after  # raw inputs never modified


def test_all_errors_reported_together(mini_region) -> None:
    rows = _innovations(year="2024", stage="selesai", unit_id="Nowhere")
    errors = _errors(mini_region(innovations=rows))
    assert len(errors) >= 2  # bad choice and a year mismatch / unknown unit, one run


def test_public_columns_have_no_provenance(mini_region) -> None:
    from evalkit.inputs.validate import public_innovations

    frame = public_innovations(_load(mini_region()))
    assert not [c for c in frame.columns if c.startswith("_")]
    assert frame["unit_name"].iloc[1] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert isinstance(frame, pd.DataFrame)


def test_docs_data_md_is_generated_from_schema() -> None:
    from evalkit.inputs.schema import describe_markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "data.md"
    assert docs.read_text(encoding="utf-8") == describe_markdown(), (
        "docs/data.md is stale: python -m evalkit.inputs > docs/data.md")
