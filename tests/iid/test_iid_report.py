"""IID run, artifacts, report chapter, notebook and command line."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import pytest

from evalkit.artifacts import has_table, read_table, write_table
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.iid import chapter as chapter
from evalkit.iid.workflow import ARTIFACTS, open_rubric, run, write_artifacts
from evalkit.inputs.validate import load_year
from evalkit.report.blocks import ReportContext, to_markdown
from evalkit.report.chapters import available_chapters

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "params" / "2025.yaml"


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    """The sample's 2025 IID artifacts (and the history table 01_validate writes)."""
    out = tmp_path_factory.mktemp("iid")
    params = load_params(SAMPLE)
    year = load_year(params)
    write_table(year.history, out, "history")
    write_artifacts(run(params, year), out)
    return params, out


def test_artifacts_written(sample_out):
    _, out = sample_out
    for name in ARTIFACTS:
        assert has_table(out, name), name
    summary = read_table(out, "iid_summary").iloc[0]
    assert summary["rubric"] == "iid-2025" and summary["mode"] == "verified"
    assert 0 < summary["iid"] < 100
    assert summary["iid_claimed"] >= summary["iid"]
    assert summary["plan_target_key"] == "sangat_inovatif" and summary["plan_reached"]
    assert len(read_table(out, "iid_plan")) == summary["plan_steps"]
    assert set(read_table(out, "iid_innovations")["innovation_id"]) >= set(
        read_table(out, "iid_points")["innovation_id"])


def test_sample_2025_chapter_shows_the_plan(sample_out):
    params, out = sample_out
    assert "iid" in params.report.chapters and "iid" in available_chapters()
    text = to_markdown(chapter.build(ReportContext.create(params, out)))
    for label in ("tbl-iid-history", "tbl-iid-breakdown", "fig-iid-heatmap", "tbl-iid-gaps",
                  "tbl-iid-plan", "tbl-iid-plan-first", "tbl-iid-floor", "tbl-iid-claims"):
        assert "{#" + label + "}" in text, label
    assert "# Indeks Inovasi Daerah (IID)" in text
    assert "Rencana perbaikan" in text and "Sangat Inovatif" in text
    assert "47,67" in text  # the published 2024 score beside this year's
    assert (out / "figures" / "iid-heatmap.png").is_file()


def test_chapter_in_english(sample_out):
    params, out = sample_out
    english = dataclasses.replace(params, language="en")
    text = to_markdown(chapter.build(ReportContext.create(english, out)))
    assert "# Regional Innovation Index (IID)" in text
    assert "Improvement plan" in text and "Very innovative" in text
    assert "Replication by other regions" in text


def test_chapter_without_artifacts(tmp_path):
    params = load_params(SAMPLE)
    text = to_markdown(chapter.build(ReportContext.create(params, tmp_path)))
    assert "02_iid" in text


def test_mini_region_and_no_rubric_for_the_year(mini_region, tmp_path):
    params = load_params(mini_region())
    rubric, why = open_rubric(params)  # found in the repository's params/rubrics
    assert rubric is not None and rubric.id == "iid-2025" and why == ""
    done = run(params)
    out = tmp_path / "out"
    write_artifacts(done, out)
    text = to_markdown(chapter.build(ReportContext.create(params, out)))
    assert "{#tbl-iid-plan}" in text or "tertinggi" in text
    later = dataclasses.replace(params, year=2031)
    assert open_rubric(later)[0] is None and "2031" in open_rubric(later)[1]


def test_notebook_follows_the_pattern():
    nb = nbformat.read(ROOT / "notebooks" / "02_iid.ipynb", as_version=4)
    nbformat.validate(nb)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert "params_path" in tagged[0].source and "output_dir" in tagged[0].source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    source = "\n".join(c.source for c in nb.cells)
    assert "write_artifacts" in source and "heatmap_figure" in source


def test_cli_score_json(capsys):
    assert main(["iid", "score", "--params", str(SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("year", "rubric", "spd", "sid", "innovation_count_score", "total", "iid",
                "predicate", "innovations"):
        assert key in data, key
    assert data["year"] == 2025 and data["rubric"] == "iid-2025"
    assert {"id", "maturity"} <= set(data["innovations"][0])
    assert data["total"] == pytest.approx(data["spd"] + data["sid"])
    assert data["iid"] == pytest.approx(data["total"] / 250 * 100)


def test_cli_score_modes_and_text(capsys):
    assert main(["iid", "score", "--params", str(SAMPLE), "--mode", "claimed",
                 "--target", "Sangat Inovatif"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("IID 2025") and "mode claimed" in text
    assert "plan to Sangat Inovatif (65.01)" in text
    assert main(["iid", "score", "--params", str(SAMPLE), "--mode", "guess"]) == 2


def test_cli_invalid_rubric_exits_1(mini_region, tmp_path, capsys):
    broken = tmp_path / "iid-broken.yaml"
    broken.write_text((ROOT / "src/evalkit/iid/rubrics/iid-2025.yaml").read_text(encoding="utf-8")
                      .replace("max: 63", "max: 64"), encoding="utf-8")
    params = mini_region(params={"iid": {"rubric": str(broken)}})
    assert main(["iid", "score", "--params", str(params)]) == 1
    assert "SPD weights × 3 sum to 63" in capsys.readouterr().err
