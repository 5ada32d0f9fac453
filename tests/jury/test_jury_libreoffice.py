"""Score sheets in real LibreOffice Calc (skipped where ``soffice`` is not installed;
``.ci/run`` installs it): the printed PDF keeps each entry's title, description and scores on
one page, and sheets re-saved by LibreOffice as .xlsx or .ods import with the same result."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_jury_sheets import fill
from test_jury_support import make_region

from evalkit.config import load_params
from evalkit.i18n import Translator
from evalkit.jury.sheets import FIRST_ROW
from evalkit.jury.workflow import compute, import_sheets, load_jury, make_sheets

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
ID = Translator("id")


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """A LibreOffice user profile of our own: runs of other tests or people do not clash."""
    return tmp_path_factory.mktemp("lo-profile")


def convert_all(sources: list[Path], fmt: str, out: Path, profile: Path) -> list[Path]:
    """``soffice --headless --convert-to FMT``, as a user re-saving the files would (one
    LibreOffice start for all of them)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(out), *map(str, sources)],
                   check=True, capture_output=True, timeout=300)
    targets = [out / f"{src.stem}.{fmt.split(':')[0]}" for src in sources]
    for target in targets:
        assert target.is_file(), f"LibreOffice wrote no {target.name}"
    return targets


def convert(src: Path, fmt: str, out: Path, profile: Path) -> Path:
    return convert_all([src], fmt, out, profile)[0]


def words(value: str) -> set[str]:
    return set(re.findall(r"[\w]+", value.lower()))


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def test_printed_sheet_keeps_each_entry_with_its_description_and_scores(tmp_path, profile):
    """The sample's sheet for J1 (31 proposals, 10 finalists), prefilled, printed by
    LibreOffice: landscape, every column on the page, the header repeated, and each entry's
    title, description and score cells on the same page; the level guidance sits in one
    table on the instructions page; the machine-key row does not print."""
    from pypdf import PdfReader

    from conftest import SAMPLE_PARAMS

    params = load_params(SAMPLE_PARAMS)
    params = dataclasses.replace(params, jury=dataclasses.replace(
        params.jury, store_dir=tmp_path / "store"))
    jury = load_jury(params)
    sheet = make_sheets(jury, tmp_path / "sheets", ID)[0]
    pdf = convert(sheet, "pdf", tmp_path / "pdf", profile)
    pages = pdf_pages(pdf)
    reader = PdfReader(str(pdf))
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    book = openpyxl.load_workbook(sheet)
    checked = 0
    for page_name, stage in zip(("Nilai Proposal", "Nilai Presentasi finalis"),
                                jury.rubric.stages, strict=True):
        ws = book[page_name]
        printed = [(i, text) for i, text in enumerate(pages) if f"{page_name} —" in text]
        assert printed, page_name
        heads = [ws.cell(row=6, column=c).value for c in range(5, ws.max_column + 1)]
        for row in range(FIRST_ROW, ws.max_row + 1):
            entry = ws.cell(row=row, column=2).value
            hits = [text for _, text in printed if entry in text]
            assert len(hits) == 1, (entry, len(hits))  # a row is never split over pages
            page = words(hits[0])
            title = str(ws.cell(row=row, column=3).value)
            profile_text = str(ws.cell(row=row, column=4).value)
            description = profile_text.split("\n")[1]
            assert words(title.split("\n")[0]) <= page, entry
            assert words(description) <= page, entry
            scores = [ws.cell(row=row, column=c).value
                      for c in range(5, 5 + len(stage.criteria))]
            assert all(v is not None for v in scores)
            assert {f"{v:g}" for v in scores} <= {w for w in re.findall(r"[\d.]+", hits[0])}
            checked += 1
        for _, text in printed:  # the header row repeats on every page
            assert words(str(heads[0])) <= words(text)
    assert checked == 31 + 10
    assert not any("innovation_id" in text for text in pages)  # the key row is hidden
    guide = [text for text in pages if "Petunjuk —" in text]
    criterion = jury.rubric.stages[0].criteria[0]
    assert any(words(criterion.name["id"]) <= words(text)
               and all(words(g["id"]) <= words(text) for g in criterion.guidance.values())
               for text in guide)
    descriptions = [text for text in pages if "Deskripsi —" in text]
    assert descriptions and any("RL-2025-007_35_video-inovasi.mp4" in t.replace("\n", "")
                                for t in descriptions)


def test_a_long_description_prints_cut_on_the_scoring_page_and_whole_on_the_description_page(
        tmp_path, profile):
    params = load_params(make_region(tmp_path))
    frame = pd.read_csv(params.year_dir / "innovations.csv")
    long = " ".join(f"kalimat{i} tentang rancang bangun inovasi." for i in range(400))
    frame.loc[frame["innovation_id"] == "E2", "description"] = long
    frame.to_csv(params.year_dir / "innovations.csv", index=False)
    jury = load_jury(params)
    sheet = make_sheets(jury, tmp_path / "s", ID, prefill=False)[1]  # JB
    ws = openpyxl.load_workbook(sheet)["Nilai"]
    cell = next(ws.cell(row=r, column=4).value for r in range(FIRST_ROW, ws.max_row + 1)
                if ws.cell(row=r, column=2).value == "E2")
    assert cell.endswith("… (lengkap di lembar 'Deskripsi')") and len(cell) < len(long)
    text = " ".join(pdf_pages(convert(sheet, "pdf", tmp_path / "pdf", profile)))
    found = set(re.findall(r"kalimat\d+", text))
    assert found == {f"kalimat{i}" for i in range(400)}  # every sentence printed somewhere


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_sheets_resaved_by_libreoffice_import_with_the_same_result(tmp_path, profile, fmt):
    params = load_params(make_region(tmp_path))
    jury = load_jury(params)
    paths = make_sheets(jury, tmp_path / "sheets", ID, prefill=False)
    for path in paths:
        juror = path.stem.rsplit("-", 1)[-1]
        fill(path, jury.raw_scores, juror)
        book = openpyxl.load_workbook(path)
        book["Nilai"].cell(row=FIRST_ROW, column=11).value = f"catatan {juror}"
        book.save(path)
    original = import_sheets(jury, paths)
    assert all(r.ok for r in original)
    expected = jury.store.scores().sort_values(["juror_id", "innovation_id", "criterion"])
    expected_recusals = jury.store.recusals()
    direct = compute(jury).ranking[["innovation_id", "score", "rank"]]
    resaved = convert_all(paths, fmt, tmp_path / f"lo-{fmt}", profile)
    other = load_jury(dataclasses.replace(params, jury=dataclasses.replace(
        params.jury, store_dir=jury.store.root)))
    # A fresh store with the organisers' key only (the same store, emptied of scores).
    for f in (jury.store.root / "jurors").iterdir():
        f.unlink()
    results = import_sheets(other, resaved)
    assert all(r.ok for r in results), [str(i) for r in results for i in r.issues]
    assert {r.kind for r in results} == {fmt}
    got = other.store.scores().sort_values(["juror_id", "innovation_id", "criterion"])
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    pd.testing.assert_frame_equal(other.store.recusals(), expected_recusals)
    pd.testing.assert_frame_equal(compute(other).ranking[["innovation_id", "score", "rank"]],
                                  direct)


def test_an_invalid_ods_is_refused_with_its_location_and_changes_nothing(tmp_path, profile):
    from test_jury_signing import snapshot

    params = load_params(make_region(tmp_path))
    jury = load_jury(params)
    path = make_sheets(jury, tmp_path / "sheets", ID, prefill=False)[1]
    fill(path, jury.raw_scores, "JB")
    book = openpyxl.load_workbook(path)
    book["Nilai"].cell(row=FIRST_ROW + 1, column=6).value = 150
    book.save(path)
    ods = convert(path, "ods", tmp_path / "ods", profile)
    before = snapshot(jury.store.root)
    (result,) = import_sheets(jury, [ods])
    assert not result.ok and result.kind == "ods"
    (issue,) = [i for i in result.issues if i.severity == "error"]
    assert (issue.sheet, issue.row, issue.column) == ("Nilai", FIRST_ROW + 1, "F (Efektivitas)")
    assert "E2: nilai Efektivitas 150 di luar skala 1–100" in issue.message
    assert snapshot(jury.store.root) == before
