"""``evalkit jury sheets|import|results``."""

from __future__ import annotations

import json
import re

import openpyxl
from test_jury_support import make_region

from evalkit.cli import main
from evalkit.jury.sheets import FIRST_ROW


def test_results_json(tmp_path, capsys):
    params = make_region(tmp_path)
    assert main(["jury", "results", "--params", str(params), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"method", "alpha", "ranking", "recusals"} <= set(data)
    assert {"innovation_id", "score", "rank", "rank_low", "rank_high", "p_top3"} <= set(
        data["ranking"][0])


def test_results_text_and_method_choice(tmp_path, capsys):
    params = make_region(tmp_path)
    assert main(["jury", "results", "--params", str(params), "--method", "median"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("method: median") and "winner:" in out and "P(top3)" in out


def test_sheets_then_import(tmp_path, capsys):
    params = make_region(tmp_path)
    assert main(["jury", "sheets", "--params", str(params), "--out", str(tmp_path / "s")]) == 0
    paths = capsys.readouterr().out.split()
    assert len(paths) == 4 and all(p.endswith(".xlsx") for p in paths)
    # Prefilled from the raw scores: importing as-is succeeds.
    assert main(["jury", "import", "--params", str(params), *paths, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert all(s["imported"] for s in report["sheets"])
    book = openpyxl.load_workbook(paths[1])
    book["Nilai"].cell(row=FIRST_ROW, column=5).value = 0
    book.save(paths[1])
    assert main(["jury", "import", "--params", str(params), paths[1]]) == 1
    err = capsys.readouterr().err
    assert "ditolak, tidak ada yang berubah" in err
    assert f"baris {FIRST_ROW}, kolom E (Kebaruan): E1: nilai Kebaruan 0 di luar skala" in err


def test_import_says_what_it_replaced(tmp_path, capsys):
    params = make_region(tmp_path)
    main(["jury", "sheets", "--params", str(params), "--out", str(tmp_path / "s")])
    paths = capsys.readouterr().out.split()
    assert main(["jury", "import", "--params", str(params), paths[1]]) == 0
    out = capsys.readouterr().out
    assert "Tersimpan untuk juri JB: 30 nilai" in out
    assert "Menggantikan 30 nilai juri ini dari data (jury_scores.csv); 0 nilai berubah." in out
    book = openpyxl.load_workbook(paths[1])
    book["Nilai"].cell(row=FIRST_ROW, column=5).value = 99
    book.save(paths[1])
    assert main(["jury", "import", "--params", str(params), paths[1]]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Menggantikan 30 nilai sebelumnya dari lembar mini-2025-JB\.xlsx "
                     r"\(\d+ \w+ 20\d\d \d\d\.\d\d UTC\); 1 nilai berubah\.", out), out


def test_usage_and_input_errors_exit_codes(tmp_path, capsys):
    params = make_region(tmp_path)
    # a file named on the command line that is missing is invalid input (1), as for params
    assert main(["jury", "import", "--params", str(params), str(tmp_path / "no.xlsx")]) == 1
    assert main(["jury", "results"]) == 2
    bad = make_region(tmp_path / "bad", jury={"jurors": ["NOPE"]})
    assert main(["jury", "results", "--params", str(bad)]) == 1
    capsys.readouterr()
