"""A region's own spreadsheet mapped in YAML (``inputs:``), and grouped validation output."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import INNOVATIONS, UNITS
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.iid.workflow import run
from evalkit.inputs.validate import check_params_year, load_year
from evalkit.issues import InputError

PORTAL_HEADER = ["Kode", "Nama Program Inovasi", "Perangkat Daerah Pelaksana",
                 "Klasifikasi Bentuk", "Kategori", "Bidang Urusan", "Tahap Inovasi",
                 "Nilai Kematangan Inovasi", "Nama Penanggung Jawab"]
PORTAL_ROWS = [
    ["P-01", "SEHATI (Sehat Tanpa Antri)", "Dinas Kesehatan",
     "Tata Kelola Pemerintahan Daerah dan Pelayanan Publik", "Aplikasi", "Kesehatan",
     "Penerapan", "87,5", "Budi Contoh"],
    ["P-02", "ARTIS (Antar Jemput Dokumen Gratis)", "Disdukcapil", "Pelayanan Publik",
     "Manual", "Administrasi Kependudukan", "Uji Coba", "60", "Sari Contoh"],
    ["P-03", "SIGAP CURUP", "Kecamatan Curup", "Layanan Kewilayahan", "Aplikasi",
     "Ketentraman dan Ketertiban Umum serta Perlindungan Masyarakat", "Inisiatif", "-",
     "Andi Contoh"],
]
MAPPING = {
    "innovations": {
        "file": "portal_*.xlsx",
        "sheet": "Sheet1",
        "columns": {"Kode": "innovation_id", "Nama Program Inovasi": "title",
                    "Perangkat Daerah Pelaksana": "unit_id", "Klasifikasi Bentuk": "form",
                    "Kategori": "type", "Bidang Urusan": "affair", "Tahap Inovasi": "stage",
                    "Nilai Kematangan Inovasi": "maturity_reported",
                    "Nama Penanggung Jawab": "ignore"},
        "values": {"form": {"Tata Kelola Pemerintahan Daerah dan Pelayanan Publik":
                            "tata_kelola", "Layanan Kewilayahan": "pelayanan_publik"},
                   "type": {"Aplikasi": "digital"}},
    },
}


def _portal(year_dir: Path, rows: list[list[str]] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(PORTAL_HEADER)
    for row in rows or PORTAL_ROWS:
        sheet.append(row)
    path = year_dir / "portal_inovasi_2025.xlsx"
    book.save(path)
    return path


def test_portal_export_through_the_params_mapping(mini_region, tmp_path):
    params = mini_region(innovations=None, evidence=None, params={"inputs": MAPPING})
    year_dir = tmp_path / "data" / "mini" / "2025"
    _portal(year_dir)
    data = load_year(load_params(params))
    inn = data.innovations.set_index("innovation_id")
    assert inn.loc["P-01", "form"] == "tata_kelola"  # the combined value, mapped in YAML
    assert inn.loc["P-03", "form"] == "pelayanan_publik"
    assert inn["type"].tolist() == ["digital", "non_digital", "digital"]
    assert inn["stage"].tolist() == ["penerapan", "uji_coba", "inisiatif"]
    assert inn["affair_key"].tolist() == ["kesehatan", "adminduk", "trantibum"]
    assert inn.loc["P-01", "maturity_reported"] == pytest.approx(87.5)
    assert pd_isna(inn.loc["P-03", "maturity_reported"])
    assert inn["unit_id"].tolist() == ["dinkes", "disdukcapil", "kec-curup"]
    assert (inn["year"] == 2025).all()
    assert not [i for i in data.warnings if "Penanggung" in i.message]  # ignored on purpose
    assert "Budi Contoh" not in data.innovations.astype("string").to_csv()
    # the IID: P-03 has neither evidence nor a maturity value
    done = run(load_params(params), data)
    row = done.result.summary.iloc[0]
    assert row["n_maturity_reported"] == 2 and row["n_maturity_unknown"] == 1
    assert bool(row["lower_bound"])


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_without_the_mapping_the_portal_file_is_an_error_with_hints(mini_region, tmp_path):
    params = mini_region(innovations=None, evidence=None)
    year_dir = tmp_path / "data" / "mini" / "2025"
    _portal(year_dir)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in year_dir.iterdir()}
    with pytest.raises(InputError) as info:
        load_year(load_params(params))
    text = "\n".join(str(i) for i in info.value.errors)
    assert "'Sheet1' is not a known table" in text and "inputs.<table>.file" in text
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in year_dir.iterdir()} == before


def test_a_mapping_to_an_unknown_column_names_the_params_key(mini_region, tmp_path):
    mapping = json.loads(json.dumps(MAPPING))
    mapping["innovations"]["columns"]["Kategori"] = "jenis_inovasi"
    mapping["innovations"]["values"]["bentukk"] = {"x": "y"}
    params = mini_region(innovations=None, evidence=None, params={"inputs": mapping})
    _portal(tmp_path / "data" / "mini" / "2025")
    with pytest.raises(InputError) as info:
        load_year(load_params(params))
    text = "\n".join(str(i) for i in info.value.errors)
    assert "'inputs.innovations.columns' maps 'Kategori' to 'jenis_inovasi'" in text
    assert str(params) in text


def test_unknown_table_in_the_inputs_section_is_a_params_error(mini_region):
    params = mini_region(params={"inputs": {"inovasi": {"file": "x.xlsx"}}})
    with pytest.raises(InputError, match=r"unknown key 'inputs\.inovasi'"):
        load_params(params)


def test_hints_are_right(mini_region, tmp_path):
    rows = [{("Tahapan Inovasi" if k == "stage" else k): v for k, v in r.items()}
            for r in INNOVATIONS]
    params = mini_region(innovations=rows)
    assert load_year(load_params(params)).innovations["stage"].notna().all()  # an alias now
    rows = [{("Tahapan Inovasinya" if k == "stage" else k): v for k, v in r.items()}
            for r in INNOVATIONS]
    checked = check_params_year(load_params(mini_region(innovations=rows)))
    hint = next(i for i in checked.issues if "Tahapan Inovasinya" in i.message)
    assert "'stage'" in hint.message and "no_inovasi" not in hint.message


def test_an_absent_optional_column_is_one_warning(mini_region):
    rows = [{k: v for k, v in r.items() if k != "description"} for r in INNOVATIONS * 40]
    for n, row in enumerate(rows):
        row["innovation_id"] = f"X-{n}"
    params = mini_region(innovations=rows, evidence=None)
    checked = check_params_year(load_params(params))
    about = [i for i in checked.issues if "description" in i.message]
    assert len(about) == 1 and about[0].code == "absent-column"
    empty = [{**r, "description": ""} for r in rows]
    checked = check_params_year(load_params(mini_region(innovations=empty, evidence=None)))
    about = [i for i in checked.issues if "description" in i.message]
    assert len(about) == 1 and "empty in every row" in about[0].message


def bad_forms(n: int = 700) -> list[dict[str, str]]:
    return [dict(INNOVATIONS[i % 2], innovation_id=f"X-{i}",
                 form="Tata Kelola Pemerintahan Daerah dan Pelayanan Publik")
            for i in range(n)]


def test_seven_hundred_rows_of_one_bad_value_fit_on_a_screen(mini_region, capsys):
    params = mini_region(innovations=bad_forms(), evidence=None)
    assert main(["validate", "--params", str(params)]) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.strip()]
    assert len(errors) == 2, errors  # the problem, and how to fix it
    assert "column 'form', 700 rows 2-701" in errors[0]
    assert "got 'Tata Kelola Pemerintahan Daerah dan Pelayanan Publik'" in errors[0]
    assert ('"values": {"form": {"Tata Kelola Pemerintahan Daerah dan Pelayanan Publik": '
            in errors[1])
    assert len((captured.err + captured.out).splitlines()) <= 24

    assert main(["validate", "--params", str(params), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    group = next(g for g in report["groups"] if g["severity"] == "error")
    assert group["count"] == 700 and group["rows"] == list(range(2, 702))
    assert group["column"] == "form" and group["value"].startswith("Tata Kelola")
    assert group["hint"] and len(report["issues"]) >= 700


def test_the_same_errors_are_grouped_when_a_run_stops(mini_region, capsys):
    params = mini_region(innovations=bad_forms(), evidence=None)
    assert main(["run", "--params", str(params)]) == 1
    err = capsys.readouterr().err
    assert "700 error(s) in the input" in err and len(err.splitlines()) <= 4


def test_units_table_with_its_own_headers(mini_region, tmp_path):
    units = [{"Kode Satker": u["unit_id"], "Nama Satker": u["name"],
              "Singkatan": u["aliases"]} for u in UNITS]
    mapping = {"units": {"columns": {"Kode Satker": "unit_id", "Nama Satker": "name",
                                     "Singkatan": "aliases"}}}
    params = mini_region(units=units, params={"inputs": mapping})
    data = load_year(load_params(params))
    assert list(data.units["unit_id"]) == [u["unit_id"] for u in UNITS]
    assert data.units.set_index("unit_id").loc["kec-curup", "kind"] == "kecamatan"
    assert bool(data.units.set_index("unit_id").loc["kec-curup", "kind_inferred"])
    written = yaml.safe_load(params.read_text(encoding="utf-8"))
    assert written["inputs"] == mapping
