"""The notebook form: checks and saves like the sheet import, shows what a juror needs, never
writes 'nan', and marks results out of date after a save."""

from __future__ import annotations

import html

import openpyxl
import pandas as pd
from test_jury_support import make_region, scores_rows

from evalkit.config import load_params
from evalkit.i18n import Translator
from evalkit.jury.form import build_form, entry_html, form_table, submit
from evalkit.jury.profile import build_profiles
from evalkit.jury.sheets import FIRST_ROW, IDS_ROW
from evalkit.jury.workflow import compute, load_jury, make_sheets

ID = Translator("id")


def setup(tmp_path, **kw):
    jury = load_jury(load_params(make_region(tmp_path, **kw)))
    return jury, jury.rubric.stages[0]


def test_form_table_shows_the_assigned_entries_with_current_scores(tmp_path):
    jury, stage = setup(tmp_path)
    table = form_table(jury, "JA", stage)
    assert table["innovation_id"].tolist() == ["E2", "E3", "E4", "E6"]
    raw = jury.raw_scores
    first = raw[(raw["juror_id"] == "JA") & (raw["innovation_id"] == "E2")
                & (raw["criterion"] == "kebaruan")]["score"].iloc[0]
    assert table.loc[0, "kebaruan"] == f"{first:g}"
    # The raw table has no notes: the form shows empty notes, never the text 'nan'.
    assert (table["note"] == "").all() and (table["recuse"] == "").all()
    assert "nan" not in table.to_csv()


def test_submit_stores_a_valid_form_and_refuses_an_invalid_one(tmp_path):
    jury, stage = setup(tmp_path)
    table = form_table(jury, "JB", stage)
    before = compute(jury).ranking
    issues, entry = submit(jury, "JB", stage, table, ID)
    assert entry is not None and not issues and jury.store.jurors() == ["JB"]
    assert jury.store.log()["via"].tolist() == ["form"]
    assert compute(jury).ranking["score"].equals(before["score"])  # same scores, via store
    assert set(jury.store.scores()["note"]) == {""}
    bad = table.copy()
    bad.loc[1, "efektivitas"] = "120"
    bad.loc[2, "kebaruan"] = ""
    issues, entry = submit(jury, "JB", stage, bad, ID)
    assert entry is None
    # The form has no rows: issues name the entry and the criterion, not a row number.
    assert [(i.row, i.column, i.message) for i in issues] == [
        (None, "Efektivitas", "E2: nilai Efektivitas 120 di luar skala 1–100"),
        (None, "Kebaruan", "E3: nilai Kebaruan belum diisi")]
    assert len(jury.store.log()) == 1  # nothing changed


def test_a_declared_conflict_in_the_form(tmp_path):
    jury, stage = setup(tmp_path)
    table = form_table(jury, "JD", stage)
    for c in stage.criterion_ids:
        table.loc[0, c] = ""
    table.loc[0, "recuse"] = "kerabat pengusul"
    _issues, entry = submit(jury, "JD", stage, table, ID)
    assert entry is not None and entry["n_recusals"] == 1
    recusals = compute(jury).recusals
    assert ["JD", "E1", "declared", "kerabat pengusul"] in recusals[
        ["juror_id", "innovation_id", "reason_code", "reason"]].values.tolist()
    assert form_table(jury, "JD", stage).loc[0, "recuse"] == "kerabat pengusul"


def test_entry_text_is_readable_and_escaped(tmp_path):
    jury, _ = setup(tmp_path)
    profiles = build_profiles(jury.entries, jury.evidence, jury.rubric, ID)
    shown = entry_html(profiles["E1"], ID)
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;klik&quot;)" in shown  # text, not markup
    assert "Uraian E1" in shown and "Dinas Kesehatan" in shown
    long = profiles["E2"].__class__(**{**profiles["E2"].__dict__,
                                       "description": "kata " * 300})
    folded = entry_html(long, ID)
    assert "<details>" in folded and folded.count("kata") > 300  # folded, never cut


def widgets(form):
    """The form's inputs for one entry: {key: widget}."""
    return {key: cell for (entry, key), cell in form.cells.items()}


def test_a_juror_fills_the_form_and_the_store_and_the_new_sheet_agree(tmp_path):
    """Drive the widgets in-process as a juror would: pick the code, type scores, a note and a
    conflict, turn pages, save; then the store and a regenerated sheet hold exactly that."""
    jury, stage = setup(tmp_path, scores=scores_rows(skip=frozenset(
        {("JD", e) for e in ("E1", "E2", "E3", "E4", "E5", "E6")})))
    form = build_form(jury, ID)
    banner = form.results_banner()
    assert form.save.disabled and "Hasil dihitung" in banner.value
    form.juror.value = "JD"  # JD has no scores yet: an empty form
    assert not form.save.disabled
    assert "Skala 1–100 untuk setiap kriteria" in form.scale.value
    assert "1–20 Sangat kurang" in form.scale.value
    assert "Tidak ada unsur baru" in form.guidance.children[0].value  # level guidance on screen
    assert form.entries == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert form.page_label.value == "Inovasi 1–5 dari 6" and len(form.body.children) == 5
    card = form.body.children[0]
    assert "E1 · =HYPERLINK" in card.children[0].value and "Uraian E1" in card.children[0].value
    typed = {"E1": [70, 71, 72, 73, 74], "E2": [60, 61, 62, 63, 64], "E3": [80, 80, 80, 80, 80],
             "E4": [55, 56, 57, 58, 59], "E6": [90, 91, 92, 93, 94.5]}

    def type_in(entry):
        for c, v in zip(stage.criterion_ids, typed[entry], strict=True):
            form.cells[(entry, c)].value = f"{v:g}".replace(".", ",") if v % 1 else f"{v:g}"

    for entry in ("E1", "E2", "E3", "E4"):
        type_in(entry)
    form.cells[("E2", "note")].value = "Data penerima manfaat perlu diperjelas."
    form.cells[("E5", "recuse")].value = "Kerabat pengusul"
    assert "Baik" in form.body.children[0].children[1].children[0].children[2].value  # 70
    assert "lengkap" in form.statuses["E1"].value and "konflik" in form.statuses["E5"].value
    assert form.progress.value == "4 dari 6 inovasi lengkap, 1 konflik"
    form.turn(1)
    assert form.page_label.value == "Inovasi 6–6 dari 6" and len(form.body.children) == 1
    type_in("E6")  # a decimal comma, as an Indonesian juror types it
    assert form.progress.value == "5 dari 6 inovasi lengkap, 1 konflik"
    entry = form.on_save()
    assert entry is not None and entry["n_scores"] == 25 and entry["n_recusals"] == 1
    # The results shown elsewhere are marked out of date; the form shows the new ranking.
    assert "sudah usang" in banner.value
    assert "Peringkat sementara setelah penyimpanan" in form.results.value
    assert "Tersimpan untuk juri JD: 25 nilai dan 1 pernyataan konflik." in form.messages.value
    stored = jury.store.scores()
    jd = stored[stored["juror_id"] == "JD"]
    assert "nan" not in set(jd["note"]) and set(jd["note"]) == {
        "", "Data penerima manfaat perlu diperjelas."}
    got = jd.set_index(["innovation_id", "criterion"])["score"]
    for entry_id, values in typed.items():
        assert [got.loc[(entry_id, c)] for c in stage.criterion_ids] == [float(v)
                                                                         for v in values]
    assert jury.store.recusals()[["juror_id", "innovation_id", "reason"]].values.tolist() == [
        ["JD", "E5", "Kerabat pengusul"]]
    # The sheet made afterwards carries the same scores, the note, the conflict, and no 'nan'.
    (sheet,) = [p for p in make_sheets(jury, tmp_path / "again", ID) if p.stem.endswith("JD")]
    ws = openpyxl.load_workbook(sheet)["Nilai"]
    cols = {ws.cell(row=IDS_ROW, column=c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(row=r, column=2).value: r for r in range(FIRST_ROW, ws.max_row + 1)}
    for entry_id, values in typed.items():
        assert [ws.cell(row=rows[entry_id], column=cols[c]).value
                for c in stage.criterion_ids] == [float(v) for v in values]
    assert ws.cell(row=rows["E2"], column=cols["note"]).value == (
        "Data penerima manfaat perlu diperjelas.")
    assert ws.cell(row=rows["E5"], column=cols["recuse"]).value == "Kerabat pengusul"
    notes = [ws.cell(row=r, column=cols["note"]).value for r in rows.values()]
    assert "nan" not in notes


def test_saving_an_invalid_form_says_why_in_the_params_language(tmp_path, capsys):
    jury, _stage = setup(tmp_path)
    form = build_form(jury, Translator("en"))
    form.juror.value = "JB"
    form.cells[("E3", "kebaruan")].value = "lots"
    assert form.on_save() is None
    text = html.unescape(form.messages.value)
    assert "Not saved, fix these first:" in text
    assert "Refused: the notebook form: E3: the score for Novelty is not a number ('lots')" in text
    assert jury.store.jurors() == []


def test_form_data_as_a_frame(tmp_path):
    jury, _stage = setup(tmp_path)
    form = build_form(jury, ID)
    form.juror.value = "JC"
    table = form.table()
    assert isinstance(table, pd.DataFrame) and table["innovation_id"].tolist() == [
        "E1", "E2", "E4", "E5", "E6"]  # JC's own unit made E3
    form.on_save()
    assert jury.store.jurors() == ["JC"]
