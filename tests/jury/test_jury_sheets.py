"""Score sheets: generated per juror, filled with openpyxl, imported, checked, stored."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_jury_support import make_region, scores_rows

from evalkit.config import load_params
from evalkit.i18n import Translator
from evalkit.jury.sheets import FIRST_ROW, IDS_ROW, META_SHEET
from evalkit.jury.workflow import compute, import_sheets, load_jury, make_sheets

ID = Translator("id")


def setup(tmp_path: Path, **kw):
    params = load_params(make_region(tmp_path, **kw))
    jury = load_jury(params)
    sheets = make_sheets(jury, tmp_path / "sheets", ID, prefill=False)
    return jury, {p.stem.rsplit("-", 1)[-1]: p for p in sheets}


def columns(ws) -> dict[str, int]:
    return {ws.cell(row=IDS_ROW, column=c).value: c for c in range(1, ws.max_column + 1)}


def fill(path: Path, scores: pd.DataFrame, juror: str, sheet: str = "Nilai") -> Path:
    """Type a juror's scores into their sheet as a juror would (blank if none: declared)."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    cols = columns(ws)
    mine = scores[scores["juror_id"] == juror]
    for r in range(FIRST_ROW, ws.max_row + 1):
        entry = ws.cell(row=r, column=cols["innovation_id"]).value
        rows = mine[mine["innovation_id"] == entry]
        if rows.empty:
            ws.cell(row=r, column=cols["recuse"]).value = "tidak menilai"
        for row in rows.itertuples():
            ws.cell(row=r, column=cols[row.criterion]).value = row.score
    book.save(path)
    return path


def fill_all(jury, sheets: dict[str, Path]) -> None:
    for juror, path in sheets.items():
        fill(path, jury.raw_scores, juror)


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            digest.update(p.name.encode() + p.read_bytes())
    return digest.hexdigest()


def test_conflicted_entries_are_absent_from_the_sheet_and_listed_as_reason(tmp_path):
    _, sheets = setup(tmp_path)
    book = openpyxl.load_workbook(sheets["JA"])
    ws = book["Nilai"]
    entries = [ws.cell(row=r, column=2).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert entries == ["E2", "E3", "E4", "E6"]  # JA's unit (dinkes) made E1 and E5
    guide = [c for row in book["Petunjuk"].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).startswith("E1 — ") and str(c).endswith(
        ": berasal dari unit kerja Anda (Dinas Kesehatan)") for c in guide)
    assert ws["C2"].value == "JA"
    assert book[META_SHEET].sheet_state == "veryHidden"
    assert ws.protection.sheet and book["Petunjuk"].protection.sheet
    assert not ws.cell(row=FIRST_ROW, column=5).protection.locked
    assert ws.cell(row=FIRST_ROW, column=2).protection.locked


def test_scale_is_enforced_by_data_validation(tmp_path):
    _, sheets = setup(tmp_path)
    ws = openpyxl.load_workbook(sheets["JB"])["Nilai"]
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "1", "100")
    assert str(dv.sqref) == f"E{FIRST_ROW}:I{FIRST_ROW + 5}"


def test_submission_text_is_never_a_formula(tmp_path):
    _, sheets = setup(tmp_path)
    with zipfile.ZipFile(sheets["JB"]) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "<f>HYPERLINK" not in xml and "<f>+Pasar" not in xml
    ws = openpyxl.load_workbook(sheets["JB"])["Nilai"]
    titles = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=3)
              for r in range(FIRST_ROW, ws.max_row + 1)}
    for entry in ("E1", "E3", "E6"):
        cell = titles[entry]
        assert cell.data_type == "s" and cell.value[0] in "=+@" and cell.quotePrefix


def test_round_trip_equals_direct_aggregation(tmp_path):
    jury, sheets = setup(tmp_path)
    direct = compute(jury)
    data_before = tree_hash(tmp_path / "data")
    fill_all(jury, sheets)
    results = import_sheets(jury, list(sheets.values()))
    assert all(r.ok for r in results), [i for r in results for i in r.issues]
    assert jury.store.jurors() == ["JA", "JB", "JC", "JD"]
    via_sheets = compute(jury)
    assert (via_sheets.scores["origin"] == "store").all()
    cols = ["innovation_id", "score", "rank", "rank_low", "rank_high", "p_top"]
    pd.testing.assert_frame_equal(direct.ranking[cols], via_sheets.ranking[cols])
    pd.testing.assert_frame_equal(direct.agreement, via_sheets.agreement)
    assert tree_hash(tmp_path / "data") == data_before  # raw inputs untouched
    log = jury.store.log()
    assert len(log) == 4
    assert log["sha256"].tolist() == [hashlib.sha256(p.read_bytes()).hexdigest()
                                      for p in sheets.values()]


def test_unscored_entries_round_trip_as_declared_conflicts(tmp_path):
    jury, sheets = setup(tmp_path, scores=scores_rows(skip=frozenset({("JB", "E3")})))
    direct = compute(jury)
    fill_all(jury, sheets)
    assert all(r.ok for r in import_sheets(jury, list(sheets.values())))
    after = compute(jury)
    pd.testing.assert_series_equal(direct.ranking["score"], after.ranking["score"])
    declared = after.recusals[after.recusals["reason_code"] == "declared"]
    assert declared[["juror_id", "innovation_id", "reason"]].values.tolist() == [
        ["JB", "E3", "tidak menilai"]]


def edit(path: Path, change) -> Path:
    book = openpyxl.load_workbook(path)
    change(book["Nilai"])
    book.save(path)
    return path


def row_of(ws, entry: str) -> int:
    return next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=2).value
                == entry)


REJECTIONS = {
    "out_of_range": (lambda ws: ws.cell(row=row_of(ws, "E4"), column=6, value=150),
                     "E4: nilai Efektivitas 150 di luar skala 1–100", 10, "F (Efektivitas)"),
    "text_score": (lambda ws: ws.cell(row=row_of(ws, "E4"), column=5, value="baik"),
                   "E4: nilai Kebaruan bukan angka ('baik')", 10, "E (Kebaruan)"),
    "blank_score": (lambda ws: setattr(ws.cell(row=row_of(ws, "E2"), column=9), "value", None),
                    "E2: nilai Keberlanjutan belum diisi", 8, "I (Keberlanjutan)"),
    "deleted_row": (lambda ws: ws.delete_rows(row_of(ws, "E3")),
                    "inovasi E3 tidak ada (baris dihapus?)", 9, "B (ID inovasi)"),
    "foreign_entry": (lambda ws: ws.cell(row=row_of(ws, "E6"), column=2, value="E99"),
                      "inovasi E99 tidak ditugaskan kepada juri ini", 11, "B (ID inovasi)"),
    "own_unit_entry": (lambda ws: ws.cell(row=row_of(ws, "E6"), column=2, value="E1"),
                       "inovasi E1 berasal dari unit kerja juri sendiri (Dinas Kesehatan)", 11,
                       "B (ID inovasi)"),
    "changed_juror": (lambda ws: ws.cell(row=2, column=3, value="JB"),
                      "kode juri diubah dari JA menjadi JB", 2, "C"),
    "moved_column": (lambda ws: ws.delete_cols(6),
                     "kolom F (Efektivitas) dipindah atau dihapus", IDS_ROW, "F (Efektivitas)"),
    "scores_and_conflict": (lambda ws: ws.cell(row=row_of(ws, "E4"), column=12, value="x"),
                            "E4: konflik kepentingan dinyatakan, tetapi nilainya juga diisi", 10,
                            "E (Kebaruan)"),
}


@pytest.mark.parametrize("case", sorted(REJECTIONS))
def test_an_invalid_sheet_is_rejected_with_its_location_and_changes_nothing(tmp_path, case):
    jury, sheets = setup(tmp_path)
    change, message, row, column = REJECTIONS[case]
    fill(sheets["JA"], jury.raw_scores, "JA")
    # JA judged earlier through a valid sheet: a bad new sheet must leave that intact.
    first = tmp_path / "first.xlsx"
    shutil.copy(sheets["JA"], first)
    assert import_sheets(jury, [first])[0].ok
    before = tree_hash(jury.store.root)
    (result,) = import_sheets(jury, [edit(sheets["JA"], change)])
    assert not result.ok
    errors = [i for i in result.issues if i.severity == "error"]
    hit = [i for i in errors if message in i.message]
    assert hit, errors
    assert (hit[0].file, hit[0].sheet, hit[0].row, hit[0].column) == (
        sheets["JA"].name, "Nilai", row, column)
    assert tree_hash(jury.store.root) == before


def test_two_sheets_for_one_juror_in_one_import_are_both_refused(tmp_path):
    jury, sheets = setup(tmp_path)
    fill(sheets["JB"], jury.raw_scores, "JB")
    copy = tmp_path / "copy.xlsx"
    shutil.copy(sheets["JB"], copy)
    results = import_sheets(jury, [sheets["JB"], copy])
    assert not any(r.ok for r in results)
    assert jury.store.jurors() == []


def test_a_new_valid_sheet_replaces_only_that_jurors_scores(tmp_path):
    jury, sheets = setup(tmp_path)
    fill(sheets["JB"], jury.raw_scores, "JB")
    assert import_sheets(jury, [sheets["JB"]])[0].ok
    lifted = jury.raw_scores.assign(score=jury.raw_scores["score"].clip(upper=95) + 5)
    fill(sheets["JB"], lifted, "JB")
    assert import_sheets(jury, [sheets["JB"]])[0].ok
    outcome = compute(jury)
    scores = outcome.scores.set_index(["juror_id", "innovation_id", "criterion"])["score"]
    raw = jury.raw_scores.set_index(["juror_id", "innovation_id", "criterion"])["score"]
    jb = raw.xs("JB", drop_level=False)
    assert (scores.loc[jb.index] == jb.clip(upper=95) + 5).all()
    others = raw.drop(index="JB", level=0)
    assert (scores.loc[others.index] == others).all()
    log = jury.store.log()
    assert list(log["juror_id"]) == ["JB", "JB"] and log["n_changed"].iloc[1] > 0


def test_files_that_are_not_score_sheets_are_refused(tmp_path):
    jury, _ = setup(tmp_path)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    results = import_sheets(jury, [junk, other])
    assert "berkas rusak atau bukan lembar kerja" in results[0].issues[0].message
    assert "bukan lembar penilaian evalkit" in results[1].issues[0].message
    assert jury.store.jurors() == []


def test_editing_the_hidden_page_is_detected(tmp_path):
    jury, sheets = setup(tmp_path)
    fill(sheets["JB"], jury.raw_scores, "JB")
    book = openpyxl.load_workbook(sheets["JB"])
    book[META_SHEET]["B2"].value = "JD"
    book["Nilai"]["C2"].value = "JD"
    book.save(sheets["JB"])
    (result,) = import_sheets(jury, [sheets["JB"]])
    assert not result.ok and "tanda tangan lembar tidak cocok" in result.issues[0].message


def test_english_sheets_read_back_the_same(tmp_path):
    params = load_params(make_region(tmp_path))
    jury = load_jury(params)
    (path, *_) = make_sheets(jury, tmp_path / "en", Translator("en"), prefill=False)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["Instructions", "Scores"]
    fill(path, jury.raw_scores, "JA", sheet="Scores")
    assert import_sheets(jury, [path])[0].ok


def test_prefilled_sheet_carries_current_scores(tmp_path):
    params = load_params(make_region(tmp_path))
    jury = load_jury(params)
    paths = make_sheets(jury, tmp_path / "pre", ID, prefill=True)
    results = import_sheets(jury, paths)  # unchanged prefilled sheets are complete
    assert all(r.ok for r in results)


def test_round_trip_on_the_bundled_sample(tmp_path):
    """Sheets for the real sample, filled from its scores, imported: the same result."""
    import dataclasses

    from conftest import SAMPLE_PARAMS

    params = load_params(SAMPLE_PARAMS)
    params = dataclasses.replace(params, jury=dataclasses.replace(
        params.jury, store_dir=tmp_path / "store", resamples=200))
    jury = load_jury(params)
    direct = compute(jury)
    sheets = make_sheets(jury, tmp_path / "sheets", ID, prefill=False)
    raw = jury.raw_scores
    for path in sheets:
        juror = openpyxl.load_workbook(path)["Nilai Proposal"]["C2"].value
        fill(path, raw[raw["stage"] == "proposal"], juror, sheet="Nilai Proposal")
        fill(path, raw[raw["stage"] == "presentasi"], juror, sheet="Nilai Presentasi finalis")
    results = import_sheets(jury, sheets)
    assert all(r.ok for r in results), [str(i) for r in results for i in r.issues][:5]
    after = compute(jury)
    assert (after.scores["origin"] == "store").all()
    cols = ["innovation_id", "score", "rank", "rank_low", "rank_high", "p_top"]
    pd.testing.assert_frame_equal(direct.ranking[cols], after.ranking[cols])
    assert direct.ranking["innovation_id"].iloc[0] == "RL-2025-007"  # ARTIS, as awarded


def two_stage_region(tmp_path: Path) -> Path:
    import yaml
    from test_jury_support import RUBRIC, scores_rows

    data = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    crit = data.pop("criteria")
    data.pop("weight_total")
    data["stages"] = [{"id": "proposal", "name": "Proposal", "weight": 40, "criteria": crit},
                      {"id": "presentasi", "name": "Presentasi", "weight": 60,
                       "criteria": crit[:2]}]
    data["default_stage"] = "proposal"
    data["tie_break"] = ["presentasi", "proposal.kemanfaatan"]
    rubric = tmp_path / "two.yaml"
    rubric.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rows = scores_rows()
    rows += [{**r, "stage": "presentasi", "score": min(100, int(r["score"]) + 3)}
             for r in scores_rows(seed=9) if r["criterion"] in ("kebaruan", "efektivitas")]
    return make_region(tmp_path, scores=rows, jury={"rubric": str(rubric)})


def test_two_stage_sheets_round_trip_and_a_blank_stage_keeps_stored_scores(tmp_path):
    params = load_params(two_stage_region(tmp_path))
    jury = load_jury(params)
    direct = compute(jury)
    paths = {p.stem.rsplit("-", 1)[-1]: p
             for p in make_sheets(jury, tmp_path / "s", ID, prefill=False)}
    assert openpyxl.load_workbook(paths["JB"]).sheetnames == [
        "Petunjuk", "Nilai Proposal", "Nilai Presentasi", "Deskripsi", META_SHEET]
    for juror, path in paths.items():
        for page, stage in (("Nilai Proposal", "proposal"), ("Nilai Presentasi", "presentasi")):
            raw = jury.raw_scores
            fill(path, raw[raw["stage"] == stage], juror, sheet=page)
    assert all(r.ok for r in import_sheets(jury, list(paths.values())))
    after = compute(jury)
    pd.testing.assert_series_equal(direct.ranking["score"], after.ranking["score"])
    assert {"score_proposal", "score_presentasi"} <= set(after.ranking.columns)
    # A new JB sheet with only the proposal page filled: presentation scores stay as stored.
    fresh = make_sheets(jury, tmp_path / "fresh", ID, prefill=False)[1]
    lifted = jury.raw_scores.assign(score=jury.raw_scores["score"].clip(upper=90) + 10)
    fill(fresh, lifted[lifted["stage"] == "proposal"], "JB", sheet="Nilai Proposal")
    (result,) = import_sheets(jury, [fresh])
    assert result.ok and result.stages == ["proposal"]
    assert any(i.code == "jury-stage-empty" for i in result.issues)
    stored = jury.store.scores()
    jb = stored[stored["juror_id"] == "JB"]
    assert set(jb["stage"]) == {"proposal", "presentasi"}
    before = after.scores[(after.scores["juror_id"] == "JB")
                          & (after.scores["stage"] == "presentasi")]
    assert sorted(jb[jb["stage"] == "presentasi"]["score"]) == sorted(before["score"])


def test_prefilled_sheet_carries_declared_conflicts(tmp_path):
    jury, sheets = setup(tmp_path, scores=scores_rows(skip=frozenset({("JD", "E2")})))
    fill(sheets["JD"], jury.raw_scores, "JD")
    assert import_sheets(jury, [sheets["JD"]])[0].ok
    (again,) = [p for p in make_sheets(jury, tmp_path / "again", ID) if p.stem.endswith("JD")]
    ws = openpyxl.load_workbook(again)["Nilai"]
    assert ws.cell(row=row_of(ws, "E2"), column=columns(ws)["recuse"]).value == "tidak menilai"
    assert import_sheets(jury, [again])[0].ok


def test_other_file_kinds_are_refused_with_save_as_xlsx(tmp_path, capsys):
    from evalkit.cli import main

    jury, _sheets = setup(tmp_path)
    old = tmp_path / "nilai.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)  # an old binary Excel file
    text = tmp_path / "nilai.csv"
    text.write_text("juror_id,score\nJA,80\n", encoding="utf-8")
    broken = tmp_path / "nilai.ods"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    results = import_sheets(jury, [old, text, broken])
    assert all(not r.ok for r in results)
    assert "simpan sebagai .xlsx" in results[0].issues[0].message
    assert "'.csv'" in results[1].issues[0].message
    assert "berkas rusak atau bukan lembar kerja" in results[2].issues[0].message
    assert jury.store.jurors() == []
    assert main(["jury", "import", "--params", str(jury.params.source), str(old),
                 str(broken)]) == 1
    err = capsys.readouterr().err
    assert "simpan sebagai .xlsx" in err and "Traceback" not in err


def test_a_stray_cell_far_away_costs_nothing(tmp_path):
    """A sheet whose declared size is a million rows (one cell in the far corner) is read by
    the rows a score sheet can hold, not by its declared dimension."""
    jury, sheets = setup(tmp_path)
    fill(sheets["JB"], jury.raw_scores, "JB")
    book = openpyxl.load_workbook(sheets["JB"])
    book["Nilai"].cell(row=1_048_576, column=16_384).value = "x"
    book.save(sheets["JB"])
    assert sheets["JB"].stat().st_size < 100_000
    (result,) = import_sheets(jury, [sheets["JB"]])  # a MemoryError before bounded reading
    assert result.ok


def test_pages_are_set_up_for_printing(tmp_path):
    """Landscape A4, one page wide, header row repeated, a print area, the key row hidden,
    every entry row as tall as its wrapped text (checked in LibreOffice's PDF elsewhere)."""
    _, sheets = setup(tmp_path)
    book = openpyxl.load_workbook(sheets["JB"])
    assert book.sheetnames == ["Petunjuk", "Nilai", "Deskripsi", META_SHEET]
    for name in ("Petunjuk", "Nilai", "Deskripsi"):
        ws = book[name]
        setup_ = ws.page_setup
        assert (setup_.orientation, int(setup_.paperSize)) == ("landscape", 9)  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (setup_.fitToWidth, setup_.fitToHeight) == (1, 0)
        assert ws.print_area and ws.protection.sheet
    ws = book["Nilai"]
    assert ws.print_title_rows == "$6:$6" and book["Deskripsi"].print_title_rows == "$3:$3"
    assert ws.print_area == "'Nilai'!$A$1:$L$13"  # header, hint and the six entries
    assert ws.row_dimensions[IDS_ROW].hidden
    assert all(ws.row_dimensions[r].height and ws.row_dimensions[r].height >= 30
               for r in range(FIRST_ROW, FIRST_ROW + 6))
    profile = ws.cell(row=FIRST_ROW, column=4)
    assert profile.alignment.wrap_text and "Uraian E1" in profile.value
    assert "Tahapan: tidak diisi" in profile.value  # the fixture has no stage: said, not guessed
