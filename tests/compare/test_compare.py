"""The province comparison: tables from the members' artifacts, the chapters in both
languages and at national scale, the comparison params file, and a real `evalkit compare`
run rendered to HTML and PDF (and opened in Chromium)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from compare_support import COMPARISON, PREVIOUS, PROVINCE, province_reports

from evalkit.cli import main
from evalkit.compare import load_comparison_params, run, write_artifacts
from evalkit.compare.chapter import CompareContext, build, intro
from evalkit.comparison import resolve
from evalkit.issues import InputError
from evalkit.report import to_markdown

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return province_reports(tmp_path_factory.mktemp("province"))


@pytest.fixture(scope="module")
def spec(reports: Path):
    return resolve([COMPARISON], reports=reports)


@pytest.fixture(scope="module")
def done(spec):
    return run(spec)


def test_comparison_params_file_names_members_history_and_output() -> None:
    group = load_comparison_params(COMPARISON)
    assert group.name == "Provinsi Bengkulu" and group.year == 2025
    assert [p.stem for p in group.members] == sorted(p.stem for p in PROVINCE.glob("*.yaml"))
    assert group.history is not None and group.history.name == "history.csv"


def test_comparison_params_errors_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nmembers: [nothing/*.yaml]\ncolour: red\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_comparison_params(bad)
    text = "\n".join(map(str, info.value.errors))
    assert "unknown key 'colour'" in text and "no params file matches" in text


def test_members_must_be_distinct_regions_of_one_year() -> None:
    with pytest.raises(InputError, match="given 2 times"):
        resolve([PROVINCE / "kaur.yaml", PROVINCE / "kaur.yaml"])
    with pytest.raises(InputError, match="one year"):
        resolve([PROVINCE / "kaur.yaml", PROVINCE / "2024" / "lebong.yaml"])


def test_region_params_resolve_to_the_province(reports: Path) -> None:
    spec = resolve(sorted(PROVINCE.glob("*.yaml")), reports=reports)
    assert spec.name == "Provinsi Bengkulu" and len(spec.members) == 10
    assert spec.history == (PROVINCE.parents[1] / "data/sample/bengkulu/history.csv").resolve()
    assert {m.region for m in spec.members if m.previous_dir} == set(PREVIOUS)
    assert spec.theme_labels["pertanian"] and spec.indicator_names["35"]


def test_ranking_and_published_facts(done) -> None:
    regions = done.regions
    assert len(regions) == 10 and list(regions["rank"]) == list(range(1, 11))
    assert regions["iid"].is_monotonic_decreasing
    by = regions.set_index("region")
    rl = by.loc["rejang-lebong"]
    assert (rl["published_year"], rl["published_score"], rl["published_rank"],
            rl["published_rank_out_of"]) == (2024, 47.67, 184, 315)
    kaur = by.loc["kaur"]
    assert (kaur["published_year"], kaur["published_score"], kaur["published_rank"]) == (
        2023, 48.39, 3)
    assert by.loc["kota-bengkulu", "published_predicate"] == "Sangat Inovatif"
    assert pd.isna(by.loc["lebong", "published_score"])  # unknown, never zero
    # the group rank compares only results published for the same (latest) year
    assert by.loc["rejang-lebong", "published_group_rank"] == 1
    assert pd.isna(by.loc["kaur", "published_group_rank"])


def test_themes_participation_and_strongest_add_up(done) -> None:
    regions = done.regions.set_index("region")
    per_region = done.themes.groupby("region")["innovations"].sum()
    assert (per_region == regions.loc[per_region.index, "n_submitted"]).all()
    assert (regions["units_with_innovation"] <= regions["units"]).all()
    strongest = done.strongest
    assert strongest["maturity"].is_monotonic_decreasing and len(strongest) == 50
    assert strongest["region"].isin(regions.index).all()


def test_improvement_parts_add_up_to_the_change(done) -> None:
    change = done.improvement
    assert set(change["region"]) == set(PREVIOUS)
    parts = change[["spd_change", "sid_indicators_change", "innovation_count_score_change"]]
    assert (parts.sum(axis=1) - change["iid_change"]).abs().max() < 1e-9
    moves = done.moves[done.moves["region"] == "kaur"]
    spd_moves = moves[~moves["indicator"].str.fullmatch(r"1[6-9]|2\d|3[0-5]")]
    assert spd_moves["change"].sum() == pytest.approx(
        change.set_index("region").loc["kaur", "spd_change"])


def test_history_is_the_provinces_own(done) -> None:
    history = done.history
    assert list(history["year"]) == [2023, 2024] and list(history["rank"]) == [8, 4]


def test_missing_member_report_is_said_and_unknown(spec, tmp_path: Path) -> None:
    gone = dataclasses.replace(spec.members[0], report_dir=tmp_path / "nowhere" / "2025",
                               previous_dir=None)
    partial = dataclasses.replace(spec, members=(gone, *spec.members[1:]))
    result = run(partial)
    row = result.members.set_index("region").loc[gone.region]
    assert row["status"] == "missing" and "iid_summary" in row["missing"]
    ranked = result.regions.set_index("region").loc[gone.region]
    assert pd.isna(ranked["iid"]) and pd.isna(ranked["rank"])
    write_artifacts(result, tmp_path)
    text = to_markdown(intro(CompareContext.create(partial, tmp_path)))
    assert "belum memiliki laporan 2025" in text and gone.region_name in text


def test_chapters_in_english_and_at_national_scale(spec, done, tmp_path: Path) -> None:
    write_artifacts(done, tmp_path)
    large = dataclasses.replace(spec, language="en", full_tables_up_to=4, top=3)
    text = to_markdown(build(CompareContext.create(large, tmp_path)))
    for wanted in ("# Regional Innovation Index Ranking", "{#tbl-compare-ranking-top}",
                   "{#tbl-compare-ranking-bottom}", "{#tbl-compare-participation-top}",
                   "{#fig-compare-themes-region}", "# Attachments", "compare_regions.csv"):
        assert wanted in text, wanted
    assert "{#tbl-compare-ranking}" not in text  # no full table at scale


@pytest.fixture(scope="module")
def compare_report(reports: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare-out")
    assert main(["compare", "--params", str(COMPARISON), "--reports", str(reports),
                 "--out", str(out)]) == 0
    return out / "2025"


@pytest.mark.slow
def test_compare_renders_html_pdf_and_a_manifest(compare_report: Path) -> None:
    html = (compare_report / "report.html").read_text(encoding="utf-8")
    for wanted in ('id="tbl-compare-ranking"', 'id="tbl-compare-participation"',
                   'id="fig-compare-themes-region"', "Peringkat Indeks Inovasi Daerah",
                   "Kabupaten Rejang Lebong", "47,67", "Riwayat Peringkat Provinsi Bengkulu"):
        assert wanted in html, wanted
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(compare_report / "report.pdf").pages)
    assert "Peringkat Indeks Inovasi Daerah" in text and "Inovasi per Tema per Daerah" in text
    manifest = json.loads((compare_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "compare" and len(manifest["members"]) == 10
    assert sum(k.endswith("iid_summary.parquet") for k in manifest["inputs"]) == 13
    assert not any("/data/" in k and "history.csv" not in k for k in manifest["inputs"])
    assert (compare_report / "compare.yaml").is_file()
    assert main(["verify", str(compare_report)]) == 0


@pytest.mark.slow
def test_verify_sees_a_changed_member_report(compare_report: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(compare_report, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    base = tmp_path / "base"
    for rel in manifest["inputs"]:
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(manifest["base_dir"]) / rel, base / rel)
    manifest["base_dir"] = str(base)
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["verify", str(copy)]) == 0
    victim = next(rel for rel in manifest["inputs"] if rel.endswith("iid_summary.parquet"))
    (base / victim).write_bytes((base / victim).read_bytes() + b"\0")
    assert main(["verify", str(copy)]) == 1


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_comparison_report_in_a_real_browser(compare_report: Path) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto((compare_report / "report.html").as_uri())
        title = page.title()
        ranking = page.locator("#tbl-compare-ranking table")
        assert ranking.is_visible()
        ranked = ranking.locator("tbody tr").count()
        first = ranking.locator("tbody tr").first.inner_text()
        participation = page.locator("#tbl-compare-participation tbody tr").count()
        figure = page.locator("figure#fig-compare-themes-region img")
        assert figure.is_visible()
        loaded = figure.evaluate("img => img.complete && img.naturalWidth > 0")
        browser.close()
    assert "Provinsi Bengkulu" in title and "2025" in title
    assert ranked == 10 and participation == 10 and loaded
    assert first.split("\t")[:2] == ["1", "Kota Bengkulu"]  # the highest self-assessed IID
    assert problems == []
