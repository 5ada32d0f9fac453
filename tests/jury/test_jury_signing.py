"""Signed score sheets (issue 9): the hidden page carries an HMAC whose key stays in the
organisers' score store, so a sheet relabelled for another juror, year or region, or edited
on its hidden page, is refused with the reason, and the store is byte-identical afterwards."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_jury_sheets import fill
from test_jury_support import make_region

from evalkit.config import load_params
from evalkit.i18n import Translator
from evalkit.jury.sheets import META_SHEET
from evalkit.jury.store import KEY_NAME, JuryStore
from evalkit.jury.workflow import import_sheets, load_jury, make_sheets

ID = Translator("id")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (empty when the folder does not exist)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def filled_sheet(tmp_path: Path, juror: str = "JB"):
    params = load_params(make_region(tmp_path))
    jury = load_jury(params)
    paths = {p.stem.rsplit("-", 1)[-1]: p
             for p in make_sheets(jury, tmp_path / "sheets", ID, prefill=False)}
    fill(paths[juror], jury.raw_scores, juror)
    return params, jury, paths[juror]


def meta_rows(path: Path) -> list[list[str]]:
    ws = openpyxl.load_workbook(path)[META_SHEET]
    return [[r[0], r[1]] for r in ws.iter_rows(values_only=True) if r[0]]


def rewrite_meta(path: Path, change) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[META_SHEET]
    rows = [[r[0], r[1]] for r in ws.iter_rows(values_only=True) if r[0]]
    rows = change(rows)
    for i, (key, value) in enumerate(rows, start=1):
        ws.cell(row=i, column=1).value = key
        ws.cell(row=i, column=2).value = value
    book.save(path)


def refused(jury, path: Path, expected: str) -> None:
    before = snapshot(jury.store.root)
    (result,) = import_sheets(jury, [path])
    assert not result.ok
    assert any(expected in i.message for i in result.issues), [i.message for i in result.issues]
    assert snapshot(jury.store.root) == before  # byte-identical store


def test_the_key_is_made_with_the_first_sheets_kept_private_and_never_written_out(tmp_path):
    _, jury, path = filled_sheet(tmp_path)
    key_file = jury.store.root / KEY_NAME
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(bytes.fromhex(key)) == 32
    with zipfile.ZipFile(path) as z:
        assert not any(key in z.read(n).decode("utf-8", "replace") for n in z.namelist())
    rows = dict(meta_rows(path))
    assert {"juror_id", "region", "year", "rows:utama", "signature"} <= set(rows)
    assert len(rows["signature"]) == 64
    assert (rows["region"], rows["year"], rows["juror_id"]) == ("mini", "2025", "JB")
    # The key is not an input of the report: the manifest's store files leave it out.
    from evalkit.jury.workflow import store_files

    assert key_file not in store_files(jury.params)


def test_a_relabelled_sheet_with_a_recomputed_plain_digest_is_refused(tmp_path):
    """The old attack: relabel JB's sheet as JD's and recompute the hidden page's SHA-256."""
    _, jury, path = filled_sheet(tmp_path)
    assert import_sheets(jury, [make_sheets(jury, tmp_path / "jd", ID)[3]])[0].ok  # JD stored

    def relabel(rows):
        rows = [[k, "JD" if k == "juror_id" else v] for k, v in rows if k != "signature"]
        plain = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
        return [*rows, ["signature", plain]]

    rewrite_meta(path, relabel)
    book = openpyxl.load_workbook(path)
    book["Nilai"]["C2"].value = "JD"
    book.save(path)
    refused(jury, path, "tanda tangan lembar tidak cocok")
    assert jury.store.jurors() == ["JD"]  # JD's own scores were not replaced


@pytest.mark.parametrize("key", ["rows:utama", "rubric_id", "stages"])
def test_any_edit_of_the_hidden_page_is_refused(tmp_path, key):
    _, jury, path = filled_sheet(tmp_path)

    def edit(rows):
        out = []
        for k, v in rows:
            if k == key and k.startswith("rows:"):
                data = json.loads(v)
                data["E99"] = 99
                v = json.dumps(data)
            elif k == key:
                v = v + "x" if k != "stages" else json.dumps([])
            out.append([k, v])
        return out

    rewrite_meta(path, edit)
    refused(jury, path, "tanda tangan lembar tidak cocok")


def competition_copy(tmp_path: Path, **changes) -> object:
    """The same data as another competition (another year or region), with its own store."""
    params = load_params(make_region(tmp_path / "other"))
    year = changes.get("year", params.year)
    if year != params.year:
        shutil.copytree(params.year_dir, params.data_dir / str(year))
        for table in ("innovations.csv",):
            file = params.data_dir / str(year) / table
            file.write_text(file.read_text().replace(",2025,", f",{year},"))
    params = dataclasses.replace(params, **changes)
    return load_jury(params)


def test_a_sheet_of_another_year_is_refused_with_the_reason(tmp_path):
    _, _, path = filled_sheet(tmp_path)
    other = competition_copy(tmp_path, year=2026)
    refused(other, path, "lembar ini untuk mini tahun 2025, bukan mini tahun 2026")


def test_a_sheet_of_another_region_is_refused_with_the_reason(tmp_path):
    _, _, path = filled_sheet(tmp_path)
    other = competition_copy(tmp_path, region="lain")
    refused(other, path, "lembar ini untuk mini tahun 2025, bukan lain tahun 2025")


def test_a_sheet_of_a_juror_not_on_the_panel_is_refused(tmp_path):
    params, _, path = filled_sheet(tmp_path)
    panel = dataclasses.replace(params, jury=dataclasses.replace(params.jury,
                                                                 jurors=("JA", "JC", "JD")))
    refused(load_jury(panel), path, "juri JB bukan anggota dewan juri tahun ini")


def test_a_sheet_made_by_another_store_is_refused(tmp_path):
    """Same region and year, but signed with another store's key (someone's own copy of
    evalkit making sheets) or checked against a store without a key."""
    params, jury, path = filled_sheet(tmp_path)
    elsewhere = dataclasses.replace(params, jury=dataclasses.replace(
        params.jury, store_dir=tmp_path / "elsewhere"))
    refused(load_jury(elsewhere), path, "belum memiliki kunci tanda tangan")
    JuryStore(tmp_path / "elsewhere").sheet_key(create=True)
    refused(load_jury(elsewhere), path, "tanda tangan lembar tidak cocok")
    assert import_sheets(jury, [path])[0].ok  # with the organisers' own store it is fine


def test_a_sheet_of_the_old_unsigned_format_is_refused(tmp_path):
    _, jury, path = filled_sheet(tmp_path)
    rewrite_meta(path, lambda rows: [[k, "evalkit-jury-sheet/1" if k == "format" else v]
                                     for k, v in rows])
    refused(jury, path, "lembar versi lama")
