"""An honest IID whatever the evidence: maturity from evidence, else the application's
Kematangan (marked), else unknown and never 0; the SPD from indicators, a total, or missing
(a lower bound); no number at all when nothing is known; a plan only from what the data holds;
the rubric's year said when it is not the report's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import EVIDENCE, INNOVATIONS
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.iid import chapter
from evalkit.iid.engine import score, summary_dict
from evalkit.iid.rubric import BUNDLED_RUBRICS, load_rubric
from evalkit.iid.synth import innovations_with, region_levels
from evalkit.iid.workflow import open_rubric, run, write_artifacts
from evalkit.inputs.validate import load_year
from evalkit.issues import InputError
from evalkit.report.blocks import ReportContext, to_markdown

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric(BUNDLED_RUBRICS / "iid-2025.yaml")


def _mixed():
    """Three innovations: one with evidence, one with only a reported maturity, one with
    neither."""
    innovations, evidence = innovations_with(RUBRIC, [80, 50, 30])
    evidence = evidence[evidence["innovation_id"] == "INV-001"]
    innovations["maturity_reported"] = [np.nan, 95.0, np.nan]
    return innovations, evidence


def test_maturity_sources_and_unknown_is_never_zero():
    innovations, evidence = _mixed()
    result = score(RUBRIC, region_levels(RUBRIC, 2), innovations, evidence)
    inno = result.innovations.set_index("innovation_id")
    assert inno["maturity_source"].tolist() == ["evidence", "reported", "unknown"]
    assert inno.loc["INV-001", "maturity"] == pytest.approx(80)
    assert inno.loc["INV-002", "maturity"] == pytest.approx(95)
    assert np.isnan(inno.loc["INV-003", "maturity"])
    row = result.summary.iloc[0]
    assert row["n_counted"] == 3 and row["divisor"] == 12
    assert row["maturity_sum"] == pytest.approx(175)  # the unknown adds nothing...
    assert bool(row["lower_bound"]) and row["bound_reasons"] == "maturity_unknown"  # ...and says so
    assert row["maturity_mean"] == pytest.approx(87.5)  # over the two that are known
    data = summary_dict(result)
    assert [i["maturity"] for i in data["innovations"]] == [pytest.approx(80), 95.0, None]
    assert data["maturity_sources"] == {"evidence": 1, "reported": 1, "unknown": 1}
    # only innovations whose levels are known have points (heatmap rows, plan steps)
    assert set(result.points["innovation_id"]) == {"INV-001"}


def test_spd_from_indicators_total_or_missing():
    innovations, evidence = innovations_with(RUBRIC, [80] * 12)
    empty = region_levels(RUBRIC).iloc[:0]
    given = score(RUBRIC, region_levels(RUBRIC, 2), innovations, evidence).summary.iloc[0]
    total = score(RUBRIC, empty, innovations, evidence, spd_total=42.0).summary.iloc[0]
    missing = score(RUBRIC, empty, innovations, evidence).summary.iloc[0]
    assert given["spd_source"] == "indicators" and not given["lower_bound"]
    assert total["spd_source"] == "total" and total["spd"] == 42 and not total["lower_bound"]
    assert missing["spd_source"] == "missing" and missing["spd"] == 0
    assert bool(missing["lower_bound"]) and missing["bound_reasons"] == "spd_missing"
    assert total["iid"] - missing["iid"] == pytest.approx(42 / 250 * 100)
    partial = score(RUBRIC, region_levels(RUBRIC, 2).iloc[:5], innovations,
                    evidence).summary.iloc[0]
    assert partial["bound_reasons"] == "spd_partial" and partial["spd_rows_reported"] == 5
    with pytest.raises(InputError, match="spd_total must be between 0 and 63"):
        score(RUBRIC, empty, innovations, evidence, spd_total=70)


def test_reported_maturity_above_the_rubric_maximum_is_an_error():
    innovations, evidence = innovations_with(RUBRIC, [80])
    innovations["maturity_reported"] = [150.0]
    with pytest.raises(InputError, match=r"outside 0\.\.111"):
        score(RUBRIC, region_levels(RUBRIC, 2), innovations, evidence.iloc[:0])


def test_drafts_and_rejected_do_not_count():
    innovations, evidence = innovations_with(RUBRIC, [80, 80, 80])
    innovations["verification_status"] = ["accepted", "draft", "rejected"]
    row = score(RUBRIC, region_levels(RUBRIC, 2), innovations, evidence).summary.iloc[0]
    assert row["n_counted"] == 1 and row["n_rejected"] == 2


def test_plan_only_raises_levels_the_data_holds():
    innovations, evidence = _mixed()
    region = region_levels(RUBRIC, 1).iloc[:10]  # the other SPD rows were never reported
    result = score(RUBRIC, region, innovations, evidence)
    from evalkit.iid.plan import improvement_plan

    plan = improvement_plan(result, "Sangat Inovatif", actionable_only=False)
    assert set(plan.steps.loc[plan.steps["aspect"] == "SID", "innovation_id"]) <= {"INV-001"}
    assert set(plan.steps.loc[plan.steps["aspect"] == "SPD", "indicator"]) <= set(
        region["indicator"])
    assert "lower_bound" in plan.notes
    nothing = score(RUBRIC, region.iloc[:0], innovations.assign(maturity_reported=70.0),
                    evidence.iloc[:0])
    plan = improvement_plan(nothing, "next")
    assert plan.steps.empty and "no_levels" in plan.notes and not plan.reached


def _text(params, out: Path, lang: str = "id") -> str:
    import dataclasses

    ctx = ReportContext.create(dataclasses.replace(params, language=lang), out)
    return to_markdown(chapter.build(ctx))


def test_no_evidence_and_no_kematangan_cannot_be_computed(mini_region, tmp_path, capsys):
    params_file = mini_region(evidence=None)
    params = load_params(params_file)
    done = run(params, load_year(params))
    row = done.result.summary.iloc[0]
    assert not bool(row["computable"])
    out = tmp_path / "out"
    write_artifacts(done, out)
    text = _text(params, out)
    assert "tidak dapat dihitung" in text
    for absent in ("{#fig-iid-heatmap}", "{#tbl-iid-plan}", "{#tbl-iid-breakdown}",
                   "{#tbl-iid-gaps}", "{#tbl-iid-claims}", "Semua klaim",
                   "Inovatif", "Rencana perbaikan", t_number(row["iid_rounded"])):
        assert absent not in text, absent
    assert not (out / "figures" / "iid-heatmap.png").exists()
    english = _text(params, out, "en")
    assert "cannot be computed" in english and "Innovative" not in english
    assert main(["iid", "score", "--params", str(params_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["computable"] is False and data["iid"] is None and data["predicate"] is None
    assert all(i["maturity"] is None for i in data["innovations"])
    assert data["plan"]["steps"] == []
    assert main(["iid", "score", "--params", str(params_file)]) == 0
    assert "cannot be computed" in capsys.readouterr().out


def t_number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_a_lower_bound_says_at_least_and_what_is_missing(mini_region, tmp_path):
    rows = [dict(r, maturity_reported="90") for r in INNOVATIONS]
    params_file = mini_region(innovations=rows, evidence=None, region_indicators=None)
    params = load_params(params_file)
    done = run(params, load_year(params))
    out = tmp_path / "out"
    write_artifacts(done, out)
    text = _text(params, out)
    assert "sekurang-kurangnya" in text and "batas bawah" in text
    assert "indikator daerah (SPD 1–15)" in text and "iid.spd_total" in text
    assert "2 dari nilai Kematangan aplikasi IID" in text
    assert "{#fig-iid-heatmap}" not in text  # no per-indicator levels to show
    assert "tidak ada langkah perbaikan yang dapat diusulkan" in text
    assert "Klaim yang belum" not in text  # nothing was claimed per indicator
    english = _text(params, out, "en")
    assert "at least" in english and "lower bound" in english


def test_sample_index_is_unchanged_and_marked_as_a_lower_bound():
    params = load_params(ROOT / "params" / "2025.yaml")
    done = run(params, load_year(params))
    row = done.result.summary.iloc[0]
    assert row["iid_rounded"] == pytest.approx(41.50)  # as before the honest IID
    assert row["bound_reasons"] == "maturity_unknown"  # RL-2025-029 has no evidence rows
    inno = done.result.innovations.set_index("innovation_id")
    assert inno.loc["RL-2025-029", "maturity_source"] == "unknown"


def test_rubric_of_another_year_is_a_warning_and_a_sentence(mini_region, tmp_path, capsys):
    params_file = mini_region(params={"year": 2026,
                                      "iid": {"rubric": str(BUNDLED_RUBRICS / "iid-2025.yaml")}})
    folder = tmp_path / "data" / "mini"
    shutil.copytree(folder / "2025", folder / "2026")
    path = folder / "2026" / "innovations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).assign(year="2026")
    frame.to_csv(path, index=False)
    assert main(["validate", "--params", str(params_file)]) == 0
    output = capsys.readouterr().out
    assert "iid-2025 is for 2025, the report for 2026" in output
    params = load_params(params_file)
    done = run(params, load_year(params))
    out = tmp_path / "out"
    write_artifacts(done, out)
    text = _text(params, out)
    assert "berlaku untuk tahun 2025, sedangkan laporan ini untuk tahun 2026" in text
    assert main(["iid", "score", "--params", str(params_file)]) == 0
    assert "a 2025 rubric for a 2026 report" in capsys.readouterr().out


def test_rubrics_ship_inside_the_package(tmp_path):
    year = tmp_path / "elsewhere" / "data" / "2025"
    year.mkdir(parents=True)
    params_file = tmp_path / "elsewhere" / "p.yaml"
    params_file.write_text(yaml.safe_dump({"region": "x", "year": 2025, "data_dir": "data"}),
                           encoding="utf-8")
    rubric, why = open_rubric(load_params(params_file))
    assert why == "" and rubric.path.parent == BUNDLED_RUBRICS
    assert BUNDLED_RUBRICS.parent.name == "iid" and BUNDLED_RUBRICS.parents[1].name == "evalkit"
    assert not (ROOT / "params" / "rubrics" / "iid-2025.yaml").exists()
    assert (ROOT / "params" / "rubrics" / "lomba-2025.yaml").is_file()  # the organiser's


def test_evidence_for_some_innovations_is_not_a_reason_to_zero_the_others(mini_region):
    evidence = [r for r in EVIDENCE if r["innovation_id"] == "X-1"]
    params = load_params(mini_region(evidence=evidence))
    row = run(params, load_year(params)).result.summary.iloc[0]
    assert row["n_maturity_evidence"] == 1 and row["n_maturity_unknown"] == 1
    assert bool(row["lower_bound"])


def test_warnings_that_can_move_the_index_are_said_in_the_chapter(mini_region, tmp_path):
    from evalkit.overview import write_overview

    rows = [dict(r) for r in INNOVATIONS]
    rows[1]["affair"] = "Kependudukan, Catatan Sipil dan Keluarga Berencana"  # not official
    params = load_params(mini_region(innovations=rows))
    out = tmp_path / "out"
    write_overview(params, out)
    write_artifacts(run(params, load_year(params)), out)
    text = _text(params, out)
    assert "1 peringatan yang dapat mengubah indeks" in text
    assert "Isian di luar kosakata resmi (1)" in text
