"""Spreadsheet formulas (issue 9 item 2): text that Excel or LibreOffice would run gets a
leading apostrophe in every CSV evalkit writes, numbers stay numbers, and the CSVs evalkit
reads back (the themes labels file, tables written by `evalkit import`) read as written."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hostile import HOSTILE_TITLES, live_formulas_in_csv

from evalkit.inputs.importers.iid_export import INNOVATION_COLUMNS, _csv
from evalkit.inputs.read import read_csv
from evalkit.spreadsheet import as_text_cell, from_text_cell, is_live_formula, text_cells
from evalkit.themes.taxonomy import load_taxonomy
from evalkit.themes.workflow import LABEL_FILE_COLUMNS, read_labels, save_labels

FORMULAS = [HOSTILE_TITLES[k] for k in ("formula-eq", "formula-plus", "formula-minus",
                                         "formula-at")] + ["\uff1dSUM(A1)", "\t=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_are_made_text_and_read_back(text: str) -> None:
    assert is_live_formula(text)
    cell = as_text_cell(text)
    assert cell == "'" + text and not is_live_formula(cell)
    assert from_text_cell(cell) == text


@pytest.mark.parametrize("text", ["-5", "+2,5", "10%", "1.5e3", "judul biasa", "'kutip", ""])
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert as_text_cell(text) == text and from_text_cell(text) == text


def test_text_cells_leave_numbers_and_missing_values() -> None:
    frame = pd.DataFrame({"=judul": ["=1+1", None, "biasa"], "n": [-1, 2, 3]})
    out = text_cells(frame)
    assert list(out.columns) == ["'=judul", "n"]
    assert out.iloc[0, 0] == "'=1+1" and pd.isna(out.iloc[1, 0]) and out["n"].tolist() == [-1, 2, 3]


def test_the_labels_file_is_safe_in_excel_and_reads_as_written(tmp_path: Path) -> None:
    taxonomy = load_taxonomy()
    theme = taxonomy.ids[0]
    rows = pd.DataFrame([{c: "" for c in LABEL_FILE_COLUMNS} | {
        "innovation_id": f"L-{i}", "title": title, "description": "-2+3 uraian", "unit": "@unit",
        "theme": theme} for i, title in enumerate(FORMULAS)])
    path = tmp_path / "labels.csv"
    save_labels(path, rows, taxonomy)
    assert live_formulas_in_csv(path) == []
    back = read_labels(path, taxonomy)
    assert back["title"].tolist() == FORMULAS
    assert set(back["unit"]) == {"@unit"}


def test_imported_tables_are_safe_in_excel_and_read_as_written(tmp_path: Path) -> None:
    frame = pd.DataFrame([{c: "" for c in INNOVATION_COLUMNS} | {
        "innovation_id": f"E-{i}", "title": title} for i, title in enumerate(FORMULAS)])
    path = tmp_path / "innovations.csv"
    path.write_text(_csv(frame, INNOVATION_COLUMNS), encoding="utf-8")
    assert live_formulas_in_csv(path) == []
    with path.open(encoding="utf-8", newline="") as handle:
        assert all(row["title"].startswith("'") for row in csv.DictReader(handle))
    raw, issues = read_csv(path, "innovations.csv")
    assert raw is not None and issues == []
    titles = [row[raw.header.index("title")] for row in raw.rows]
    assert titles == FORMULAS
