"""The theme work of a year end to end: artifacts, the report chapter, the CLI, the notebook."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from test_themes_support import CORPUS

from conftest import SAMPLE_PARAMS, write_csv
from evalkit.artifacts import has_table, read_table
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.issues import InputError
from evalkit.report.blocks import ReportContext, to_markdown
from evalkit.report.chapters import build_chapter
from evalkit.themes.workflow import ARTIFACTS, run, save_labels, suggestions, write_artifacts

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "03_themes.ipynb"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    params = load_params(SAMPLE_PARAMS)
    out = tmp_path_factory.mktemp("themes")
    done = run(params)
    write_artifacts(done, params, out)
    return done, out


def test_sample_years_are_assigned_with_overrides_and_resubmissions(sample) -> None:
    done, out = sample
    assert all(has_table(out, name) for name in ARTIFACTS)
    assert sorted(done.assigned["year"].unique()) == [2023, 2024, 2025]
    assert done.current["theme"].notna().all() and len(done.current) == 36
    overridden = done.current.set_index("innovation_id")
    assert overridden.loc["RL-2025-012", "theme"] == "lingkungan"
    assert overridden.loc["RL-2025-012", "overridden"]
    flagged = set(done.similar.loc[done.similar["flagged"], "innovation_id"])
    assert {"RL-2025-010", "RL-2025-003"} <= flagged  # PLTMH and the bank sampah again
    trend = read_table(out, "themes_trend")
    assert sorted(trend["year"].unique()) == [2023, 2024, 2025]
    assert trend.groupby("year")["share"].sum().round(6).eq(1.0).all()
    summary = read_table(out, "themes_summary").iloc[0]
    assert summary["innovations"] == 36 and summary["overridden"] == 2
    assert len(summary["taxonomy_sha256"]) == 64


@pytest.mark.parametrize("lang", ["id", "en"])
def test_chapter_shows_every_section_in_both_languages(sample, lang: str) -> None:
    _, out = sample
    params = dataclasses.replace(load_params(SAMPLE_PARAMS), language=lang)
    text = to_markdown(build_chapter("themes", ReportContext.create(params, out)))
    heading = {"id": "# Tema inovasi", "en": "# Innovation themes"}[lang]
    assert text.startswith(heading)
    for label in ("themes-per-theme", "themes-emphasis", "themes-units", "themes-trend",
                  "themes-confidence", "themes-review", "themes-resubmissions",
                  "themes-overrides"):
        assert f"#tbl-{label}" in text or f"#fig-{label}" in text, label
    assert re.search(r"\|\s*2023\s*\|\s*2024\s*\|\s*2025\s*\|", text)  # the trend
    assert (out / "figures" / "themes-trend.png").is_file()
    method = text[text.index({"id": "## Cara penetapan", "en": "## How themes"}[lang]):]
    assert {"id": "deskripsi", "en": "description"}[lang] in method
    assert {"id": "Belum ada inovasi berlabel", "en": "No innovation labelled"}[lang] in method


def test_the_emphasised_themes_come_from_the_params(sample, tmp_path: Path) -> None:
    """Without ``themes.emphasised`` the section is left out, and no bar is marked."""
    done, _ = sample
    params = load_params(SAMPLE_PARAMS)
    assert set(params.themes.emphasised) == {"pertanian", "energi", "pariwisata",
                                             "layanan_publik", "produk_lokal"}
    plain = dataclasses.replace(params, themes=dataclasses.replace(params.themes,
                                                                   emphasised=()))
    out = tmp_path / "plain"
    write_artifacts(done, plain, out)
    assert not read_table(out, "themes_counts")["emphasised"].any()
    text = to_markdown(build_chapter("themes", ReportContext.create(plain, out)))
    assert "#tbl-themes-emphasis" not in text and "Ditekankan" not in text
    wrong = dataclasses.replace(params, themes=dataclasses.replace(params.themes,
                                                                   emphasised=("wisata",)))
    with pytest.raises(InputError, match="wisata"):
        run(wrong)


def test_chapter_without_artifacts_says_what_to_run(tmp_path: Path) -> None:
    params = load_params(SAMPLE_PARAMS)
    text = to_markdown(build_chapter("themes", ReportContext.create(params, tmp_path)))
    assert "03_themes" in text


def test_a_single_year_with_labels_from_the_params(mini_region, tmp_path: Path) -> None:
    write_csv(tmp_path / "labels.csv", [
        {"innovation_id": "L1", "title": "SENAM ZUMBA (Zumba Warga)", "description": "",
         "unit": "Kecamatan Curup", "theme": "sosial"}])
    params = load_params(mini_region(params={"themes": {"labels": "labels.csv"}}))
    done = run(params)
    assert done.model.n_labelled_ == 1 and len(done.current) == 2
    assert list(done.current["theme"]) == ["kesehatan", "layanan_publik"]
    assert done.clusters.k == 0 and not done.similar["flagged"].any()
    out = tmp_path / "out"
    write_artifacts(done, params, out)
    text = to_markdown(build_chapter("themes", ReportContext.create(params, out)))
    assert "belum dapat ditampilkan" in text  # no earlier year for a trend
    assert "1 inovasi yang dilabeli evaluator" in text  # the method note says so


def test_a_labels_file_that_does_not_exist_yet_is_a_note(mini_region, tmp_path: Path) -> None:
    params = load_params(mini_region(params={"themes": {"labels": "not-yet.csv"}}))
    done = run(params)
    assert done.model.n_labelled_ == 0
    assert [i.code for i in done.issues] == ["no-labels-yet"]
    picked = suggestions(done, params, 5)
    assert len(picked) == 2 and picked["theme"].eq("").all()
    save_labels(params.themes.labels, picked.assign(theme="kesehatan").head(1), done.taxonomy)
    again = run(params)
    assert again.model.n_labelled_ == 1 and not again.issues
    assert list(suggestions(again, params, 5)["innovation_id"]) == list(
        picked["innovation_id"][1:])


def test_labels_with_an_unknown_theme_are_an_input_error(mini_region, tmp_path: Path) -> None:
    write_csv(tmp_path / "labels.csv", [
        {"innovation_id": "L1", "title": "x", "description": "", "unit": "", "theme": "wisata"}])
    params = load_params(mini_region(params={"themes": {"labels": "labels.csv"}}))
    with pytest.raises(InputError, match="wisata"):
        run(params)


def test_settings_out_of_range_are_input_errors(mini_region) -> None:
    # the params loader checks every range (tests/test_config.py), before any notebook runs
    with pytest.raises(InputError) as caught:
        load_params(mini_region(params={"themes": {"min_confidence": 1.5, "max_clusters": 1}}))
    assert "themes.min_confidence" in str(caught.value)
    assert "themes.max_clusters" in str(caught.value)


@pytest.fixture
def labelled_csv(tmp_path: Path) -> Path:
    gold = ["pertanian"] * 2 + ["lingkungan"] * 2 + ["pendidikan"] * 2 + ["kesehatan"] * 2
    rows = CORPUS.assign(innovation_id=[f"T{i}" for i in range(len(CORPUS))], theme=gold)
    path = tmp_path / "labelled.csv"
    pd.concat([rows] * 3, ignore_index=True).to_csv(path, index=False)  # 6 rows a theme
    return path


def test_cli_assign_adds_theme_and_confidence(tmp_path: Path, labelled_csv: Path,
                                              capsys) -> None:
    source = tmp_path / "in.csv"
    CORPUS.assign(innovation_id=[f"A{i}" for i in range(len(CORPUS))]).to_csv(source,
                                                                              index=False)
    out = tmp_path / "deep" / "out.csv"
    assert main(["themes", "assign", "--input", str(source), "--out", str(out), "--labels",
                 str(labelled_csv), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == len(CORPUS) and summary["labelled_rows"] == 3 * len(CORPUS)
    written = pd.read_csv(out)
    assert list(written.columns) == ["title", "description", "unit", "innovation_id", "theme",
                                     "confidence"]
    assert written["theme"].tolist()[:2] == ["pertanian", "pertanian"]


def test_cli_assign_errors(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,judul\n1,x\n", encoding="utf-8")
    out = str(tmp_path / "o.csv")
    assert main(["themes", "assign", "--input", str(source), "--out", out]) == 1
    assert "innovation_id" in capsys.readouterr().err
    assert main(["themes", "assign", "--input", str(source), "--out", out,
                 "--min-confidence", "2"]) == 2
    bad = tmp_path / "labels.csv"
    bad.write_text("innovation_id,title,description,unit,theme\n1,x,,,wisata\n",
                   encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("innovation_id,title\n1,x\n", encoding="utf-8")
    assert main(["themes", "assign", "--input", str(good), "--out", out, "--labels",
                 str(bad)]) == 1
    assert "wisata" in capsys.readouterr().err


def test_cli_assign_accepts_the_loaders_indonesian_headers(tmp_path: Path, capsys) -> None:
    source = tmp_path / "inovasi.csv"
    write_csv(source, [
        {"id_inovasi": "A1", "judul": "SIGAP", "deskripsi": "", "perangkat_daerah": "RSUD Curup",
         "urusan": "kesehatan"},
        {"id_inovasi": "A2", "judul": "Bank Sampah Sekolah", "deskripsi": "daur ulang",
         "perangkat_daerah": "SMAN 1 Curup", "urusan": "pendidikan"}])
    out = tmp_path / "out.csv"
    assert main(["themes", "assign", "--input", str(source), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == 2 and summary["affair_used"]
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(written.columns) == ["id_inovasi", "judul", "deskripsi", "perangkat_daerah",
                                     "urusan", "theme", "confidence"]
    assert list(written["theme"]) == ["kesehatan", "lingkungan"]


def test_cli_evaluate_holds_out_each_province(tmp_path: Path, labelled_csv: Path,
                                              capsys) -> None:
    rows = pd.read_csv(labelled_csv, dtype=str, keep_default_na=False)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    rows.iloc[:16].assign(province=["P1"] * 8 + ["P2"] * 8).to_csv(first, index=False)
    rows.iloc[16:].assign(province="P3").to_csv(second, index=False)
    args = ["themes", "evaluate", "--labels", str(first), "--labels", str(second)]
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["configs"]) == {"seeds_only", "learned"} and report["groups"] == 3
    learned = report["configs"]["learned"]
    assert learned["macro_f1"] >= 0.9 and len(learned["reliability"]) == 10
    assert learned["ece"] is not None and len(learned["folds"]) == 3
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "seeds_only: macro-F1" in text and "reliability" in text and "confusion" in text
    assert main(["themes", "evaluate", "--labels", str(labelled_csv)]) == 1  # no province
    assert "province" in capsys.readouterr().err


def test_cli_suggest_from_a_csv_and_from_params(tmp_path: Path, labelled_csv: Path,
                                                capsys) -> None:
    source = tmp_path / "in.csv"
    CORPUS.assign(innovation_id=[f"A{i}" for i in range(len(CORPUS))]).to_csv(source,
                                                                              index=False)
    out = tmp_path / "suggested.csv"
    assert main(["themes", "suggest", "--input", str(source), "--n", "3", "--out", str(out),
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 3
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(written["rank"]) == ["1", "2", "3"] and written["theme"].eq("").all()
    assert main(["themes", "suggest", "--params", str(SAMPLE_PARAMS), "--n", "5"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("5 innovations to label first") and "RL-2025-" in text
    assert main(["themes", "suggest", "--input", str(source), "--n", "0"]) == 2


def test_notebook_is_committed_without_outputs_and_has_the_two_parameters() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in nb.cells if c.cell_type == "code")
    (params_cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert "params_path =" in params_cell.source and "output_dir =" in params_cell.source


@pytest.mark.slow
def test_notebook_runs_with_papermill(tmp_path: Path) -> None:
    from evalkit.config import load_params
    from evalkit.pipeline import execute

    out = tmp_path / "out"
    execute(NOTEBOOK, tmp_path / "run.ipynb", load_params(SAMPLE_PARAMS), out)
    assert all(has_table(out, name) for name in ARTIFACTS)
