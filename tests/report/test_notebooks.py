"""The notebooks as an evaluator meets them: previews without Pandoc markup, readable tables,
a params chooser that leaves papermill alone, and a clear word when run out of order."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from evalkit.i18n import Translator
from evalkit.report.notebook import (
    RunFirst,
    markdown_for_lab,
    require_run,
    run_params_files,
    table,
)

ROOT = Path(__file__).resolve().parents[2]


def test_lab_markdown_has_no_pandoc_markup(tmp_path: Path) -> None:
    text = ("::: {#summary .summary}\n# Ringkasan {#sec-summary}\n\nTeks [(rincian)](#sec-iid)"
            "\n:::\n\n- Tabel (3 baris): [t.csv](attachments/t.csv)")
    shown = markdown_for_lab(text, tmp_path)
    assert "{#" not in shown and ":::" not in shown
    assert shown.startswith("# Ringkasan\n") and "(#sec-iid)" in shown
    # the link from the notebook's folder (where the kernel runs) to the report's attachment
    assert f"]({os.path.relpath(tmp_path / 'attachments' / 't.csv')})" in shown


def test_tables_read_as_a_person_reads_them() -> None:
    frame = pd.DataFrame({"unit_name": ["Dinas A", "Dinas B"], "share": [2 / 3, 0.5],
                          "innovations": pd.array([3, 1], dtype="Int64"),
                          "maturity": [45.939, 51.0], "counted": [True, False]})
    html = table(frame, Translator("id"), percent=["share"]).to_html()
    assert "Perangkat daerah" in html and "unit_name" not in html
    assert "66,7%" in html and "0.666" not in html
    assert "45,94" in html and ">51<" in html.replace(" ", "")
    assert ">ya<" in html and ">tidak<" in html
    assert "row_heading" not in html  # no index column
    english = table(frame, Translator("en"), ["unit_name"]).to_html()
    assert "Work unit" in english and "share" not in english.lower().split("<style")[0]


def test_run_params_are_told_from_other_yaml(tmp_path: Path) -> None:
    (tmp_path / "2025.yaml").write_text("region: x\nyear: 2025\n", encoding="utf-8")
    (tmp_path / "themes.yaml").write_text("themes: []\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    assert [p.name for p in run_params_files(tmp_path)] == ["2025.yaml"]
    assert "2025.yaml" in {p.name for p in run_params_files(ROOT / "params")}


def test_out_of_order_names_the_notebook_to_run_first(tmp_path: Path) -> None:
    with pytest.raises(RunFirst, match=r"Jalankan dulu 01_validate\.ipynb"):
        require_run(tmp_path, Translator("id"), this="05_report")
    with pytest.raises(RunFirst, match=r"Run 01_validate\.ipynb first"):
        require_run(tmp_path, Translator("en"))


@pytest.mark.slow
def test_report_notebook_run_first_says_which_notebook(tmp_path: Path) -> None:
    """05_report executed (papermill, a real kernel) before 01_validate fails naming it."""
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as failure:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / "05_report.ipynb"), str(tmp_path / "05.ipynb"),
            parameters={"params_path": str(ROOT / "params" / "2025.yaml"),
                        "output_dir": str(tmp_path / "empty")},
            cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    assert failure.value.ename == "RunFirst"
    assert "01_validate.ipynb" in failure.value.evalue
