"""The notebook form checks and saves like the sheet import, and never blocks."""

from __future__ import annotations

from test_jury_support import make_region

from evalkit.config import load_params
from evalkit.i18n import Translator
from evalkit.jury.form import build_form, form_table, submit
from evalkit.jury.workflow import compute, load_jury


def setup(tmp_path):
    jury = load_jury(load_params(make_region(tmp_path)))
    return jury, jury.rubric.stages[0]


def test_form_table_shows_the_assigned_entries_with_current_scores(tmp_path):
    jury, stage = setup(tmp_path)
    table = form_table(jury, "JA", stage)
    assert table["innovation_id"].tolist() == ["E2", "E3", "E4", "E6"]
    raw = jury.raw_scores
    first = raw[(raw["juror_id"] == "JA") & (raw["innovation_id"] == "E2")
                & (raw["criterion"] == "kebaruan")]["score"].iloc[0]
    assert table.loc[0, "kebaruan"] == f"{first:g}"


def test_submit_stores_a_valid_form_and_refuses_an_invalid_one(tmp_path):
    jury, stage = setup(tmp_path)
    table = form_table(jury, "JB", stage)
    before = compute(jury).ranking
    issues, entry = submit(jury, "JB", stage, table)
    assert entry is not None and not issues and jury.store.jurors() == ["JB"]
    assert jury.store.log()["via"].tolist() == ["form"]
    assert compute(jury).ranking["score"].equals(before["score"])  # same scores, via store
    bad = table.copy()
    bad.loc[1, "efektivitas"] = "120"
    bad.loc[2, "kebaruan"] = ""
    issues, entry = submit(jury, "JB", stage, bad)
    assert entry is None
    assert [(i.row, i.column) for i in issues] == [(2, "efektivitas"), (3, "kebaruan")]
    assert len(jury.store.log()) == 1  # nothing changed


def test_a_declared_conflict_in_the_form(tmp_path):
    jury, stage = setup(tmp_path)
    table = form_table(jury, "JD", stage)
    for c in stage.criterion_ids:
        table.loc[0, c] = ""
    table.loc[0, "recuse"] = "kerabat pengusul"
    _issues, entry = submit(jury, "JD", stage, table)
    assert entry is not None and entry["n_recusals"] == 1
    recusals = compute(jury).recusals
    assert ["JD", "E1", "declared", "kerabat pengusul"] in recusals[
        ["juror_id", "innovation_id", "reason_code", "reason"]].values.tolist()
    assert form_table(jury, "JD", stage).loc[0, "recuse"] == "kerabat pengusul"


def test_the_widget_saves_through_the_same_path(tmp_path):
    jury, _ = setup(tmp_path)
    form = build_form(jury, Translator("id"))
    (juror, _stage), body, save, _out = form.children[0].children, *form.children[1:]
    assert save.disabled
    juror.value = "JC"
    assert not save.disabled and body.children
    save.click()
    assert jury.store.jurors() == ["JC"]
