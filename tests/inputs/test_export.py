"""The IID application's export read as it comes: the made-up file of the format notes
(``../shared/formats/iid-app-export/``, skipped where absent) and the repository's own sample in
that format (``data/sample/rejang-lebong-export/``, always there)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from evalkit.cli import main
from evalkit.config import load_params
from evalkit.inputs.validate import load_year

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "formats" / "iid-app-export" / "data_inovasi-contoh.xlsx"
SAMPLE = ROOT / "data" / "sample" / "rejang-lebong-export" / "2025" / "data_inovasi.xlsx"
SAMPLE_PARAMS = ROOT / "params" / "rejang-lebong-export-2025.yaml"

needs_shared = pytest.mark.skipif(not SHARED.is_file(), reason="shared format notes absent")


def export_cells(path: Path) -> list[dict[str, object]]:
    """The export's rows as the application wrote them (for comparing with what evalkit read)."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Data"].iter_rows(values_only=True))
    book.close()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture
def contoh(tmp_path: Path) -> Path:
    """The format notes' made-up export, copied unchanged into data/<region>/2025/, with a
    params file naming only region, year and data_dir."""
    year_dir = tmp_path / "data" / "contoh" / "2025"
    year_dir.mkdir(parents=True)
    shutil.copy2(SHARED, year_dir / SHARED.name)
    params = tmp_path / "contoh.yaml"
    params.write_text(yaml.safe_dump({"region": "contoh", "year": 2025,
                                      "data_dir": "data/contoh"}), encoding="utf-8")
    return params


@needs_shared
def test_contoh_validates_as_it_comes(contoh, capsys):
    assert main(["validate", "--params", str(contoh), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] and report["profiles"] == {"innovations": "iid-app-export"}
    assert report["units_source"] == "submitters" and report["rows"]["innovations"] == 14
    codes = {g["code"] for g in report["groups"]}
    assert {"duplicate-innovation", "earlier-entry", "units-from-submitters"} <= codes
    repeat = next(g for g in report["groups"] if g["code"] == "duplicate-innovation")
    assert repeat["rows"] == [9] and "row 8" in repeat["message"]  # No 7 and No 8
    earlier = next(g for g in report["groups"] if g["code"] == "earlier-entry")
    assert earlier["rows"] == [13]  # No 12, entered in the 2024 campaign


@needs_shared
def test_contoh_iid_takes_kematangan_and_counts_trantibum(contoh, capsys):
    assert main(["iid", "score", "--params", str(contoh), "--json"]) == 0
    score = json.loads(capsys.readouterr().out)
    cells = export_cells(SHARED)
    assert [i["maturity"] for i in score["innovations"]] == [float(r["Kematangan"])
                                                              for r in cells]
    assert {i["maturity_source"] for i in score["innovations"]} == {"reported"}
    # pendidikan, kesehatan, PUPR, sosial and the application's trantibum spelling
    assert score["basic_services_covered"] == 5
    assert score["spd_source"] == "missing" and score["spd"] is None
    assert score["lower_bound"] is True and "spd_missing" in score["bound_reasons"]
    assert score["computable"] and score["iid"] is not None
    assert score["n_counted"] == 14  # the repeated row is reported, not dropped


@needs_shared
def test_contoh_units_one_per_name_logins_as_aliases(contoh):
    data = load_year(load_params(contoh))
    units = data.units.set_index("name")
    school = units.loc["SMP Negeri 1 Curup"]
    assert set(school["aliases"].split(";")) == {"iga2025.smpn1.curup",
                                                 "rejanglebongkab.disdik.smpn1curup"}
    assert len(data.units) == 12  # 14 rows: one repeat, one school under two logins
    assert units.loc["SMP Negeri 1 Curup", "kind"] == "sekolah"
    assert units.loc["Puskesmas Curup", "kind"] == "puskesmas"
    assert units.loc["admin.rejang.lebong", "kind"] == "akun_pemda"
    assert data.units["kind_inferred"].all()
    inn = data.innovations
    assert inn["unit_id"].nunique() == 12
    assert set(inn["type"]) == {"digital", "non_digital", "teknologi"}
    assert set(inn["form"]) == {"pelayanan_publik", "tata_kelola", "lainnya"}
    assert set(inn["video"]) == {"yes", "no"}
    assert inn["video_url"].isna().sum() == 2  # "-" is none
    assert (inn["year"] == 2025).all()
    assert inn.loc[inn["affair_key"] == "trantibum", "title"].tolist() == [
        "Patroli Siaga Kebakaran Lingkungan (PASKAL)"]


@needs_shared
def test_ids_are_stable_whatever_the_export_row_number(contoh, tmp_path):
    first = load_year(load_params(contoh)).innovations.set_index("title")["innovation_id"]
    # a later export: other row numbers and another order
    path = next((tmp_path / "data" / "contoh" / "2025").glob("*.xlsx"))
    book = openpyxl.load_workbook(path)
    sheet = book["Data"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    sheet.delete_rows(2, len(rows))
    for n, row in enumerate(reversed(rows), start=1):
        sheet.append([n * 10, *row[1:]])
    book.save(path)
    again = load_year(load_params(contoh)).innovations.set_index("title")["innovation_id"]
    assert sorted(first.tolist()) == sorted(again.tolist())
    assert first.drop(index="Pojok Baca Pasar Rakyat").to_dict() == again.drop(
        index="Pojok Baca Pasar Rakyat").to_dict()


def _personal_values(path: Path) -> set[str]:
    return {str(r["Nama Inisiator"]) for r in export_cells(path)
            if r["Nama Inisiator"] not in (None, "-")}


@needs_shared
def test_personal_names_are_never_read(contoh):
    data = load_year(load_params(contoh))
    names = _personal_values(SHARED) - {str(n) for n in data.units["name"]}
    assert names  # people's names: never a unit name, never in any table evalkit holds
    for frame in data.tables.values():
        text = frame.astype("string").to_csv()
        assert not [n for n in names if n in text]
    assert "nama_inisiator" not in data.innovations.columns


def test_repository_sample_in_export_format_is_read_as_it_comes():
    data = load_year(load_params(SAMPLE_PARAMS))
    assert data.profiles == {"innovations": "iid-app-export"}
    assert data.units_source == "submitters"
    assert len(data.innovations) == len(export_cells(SAMPLE)) == 37
    assert {"duplicate-innovation", "earlier-entry"} <= {i.code for i in data.warnings}
    names = _personal_values(SAMPLE) - set(data.units["name"])
    assert names and all("Contoh" in n for n in names)
    for frame in data.tables.values():
        assert not [n for n in names if n in frame.astype("string").to_csv()]


def test_sample_export_matches_the_csv_sample():
    """The two sample formats are the same region's 2025 data."""
    export = load_year(load_params(SAMPLE_PARAMS)).innovations
    tables = load_year(load_params(ROOT / "params" / "2025.yaml")).innovations
    assert set(export["title"]) == set(tables["title"])
    assert set(export["affair_key"].dropna()) == set(tables["affair_key"].dropna())


def test_import_writes_canonical_tables_once(tmp_path, capsys):
    out = tmp_path / "data" / "rl"
    args = ["import", "iid-export", str(SAMPLE), "--region", "rl", "--year", "2025",
            "--out", str(out)]
    assert main(args) == 0
    written = sorted(p.name for p in (out / "2025").iterdir())
    assert written == ["innovations.csv", "units.csv"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in (out / "2025").iterdir())
    assert not [n for n in _personal_values(SAMPLE) if n in text and "Contoh" in n]
    before = {p: p.read_bytes() for p in (out / "2025").iterdir()}
    assert main(args) == 1  # never over an existing file
    assert "already exists" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (out / "2025").iterdir()} == before
    # the written tables are a year folder evalkit reads as its own
    params = tmp_path / "rl.yaml"
    params.write_text(yaml.safe_dump({"region": "rl", "year": 2025, "data_dir": "data/rl"}),
                      encoding="utf-8")
    data = load_year(load_params(params))
    assert data.units_source == "table" and len(data.innovations) == 37
    assert data.profiles == {}
    again = load_year(load_params(SAMPLE_PARAMS)).innovations
    assert sorted(data.innovations["innovation_id"]) == sorted(again["innovation_id"])


def test_import_refuses_a_file_that_is_not_the_export(mini_region, tmp_path, capsys):
    mini_region()
    source = tmp_path / "data" / "mini" / "2025" / "innovations.csv"
    assert main(["import", "iid-export", str(source), "--region", "m", "--year", "2025",
                 "--out", str(tmp_path / "out")]) == 1
    assert "not an IID application export" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
