"""The one-page summary, from artifacts: what it says, what it links, and what it says it
does not know."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from evalkit.artifacts import write_table
from evalkit.config import load_params
from evalkit.overview.workflow import write_overview
from evalkit.report.blocks import ReportContext, to_markdown
from evalkit.report.chapters import build_chapter, compose


@pytest.fixture
def overview(mini_region, tmp_path: Path):
    params = load_params(mini_region())
    params = dataclasses.replace(params, report=dataclasses.replace(
        params.report, chapters=("participation", "iid", "jury", "quality")))
    out = tmp_path / "out"
    write_overview(params, out)
    return params, out


def _iid(out: Path, lower: bool = False, computable: bool = True) -> None:
    write_table(pd.DataFrame([{
        "year": 2025, "iid_rounded": 41.5, "predicate_key": "inovatif",
        "predicate": "Inovatif", "lower_bound": lower, "computable": computable}]), out,
        "iid_summary")
    write_table(pd.DataFrame([
        {"kind": "innovation_count", "name": None, "name_en": None, "iid_lost": 25.2,
         "innovations_below_max": None},
        {"kind": "sid", "name": "Replikasi", "name_en": "Replication", "iid_lost": 3.39,
         "innovations_below_max": 33},
        {"kind": "spd", "name": "Penghargaan bagi inovator", "name_en": "Awards",
         "iid_lost": 0.8, "innovations_below_max": None},
        {"kind": "sid", "name": "Kecil", "name_en": "Small", "iid_lost": 0.1,
         "innovations_below_max": 2}]), out, "iid_gaps")


def _jury(out: Path, verdict: str = "clear", p_first: float = 0.97) -> None:
    write_table(pd.DataFrame([
        {"innovation_id": "A", "title": "ARTIS", "unit_name": "Disdukcapil", "rank": 1.0},
        {"innovation_id": "B", "title": "SIPANDU", "unit_name": "Diskominfo", "rank": 2.0},
        {"innovation_id": "C", "title": "Bank Sampah", "unit_name": "Kec. Curup", "rank": 3.0},
        {"innovation_id": "D", "title": "Lain", "unit_name": "X", "rank": 4.0}]), out,
        "jury_ranking")
    write_table(pd.DataFrame([{"verdict": verdict, "p_first": p_first, "winner": "A"}]), out,
                "jury_summary")


def test_summary_holds_every_item_with_links(overview) -> None:
    params, out = overview
    _iid(out)
    _jury(out)
    text = to_markdown(build_chapter("summary", ReportContext.create(params, out)))
    assert text.startswith("::: {#summary .summary}\n# Ringkasan {#sec-summary}")
    assert "**Indeks Inovasi Daerah 2025: 41,50, predikat Inovatif**" in text
    assert "Turun 6,17 poin dari 47,67 pada 2024" in text  # the published score last year
    assert "184 dari 315 (2024)" in text
    assert "2 dari 3 perangkat daerah (66,7%)" in text
    assert "1. ARTIS — Disdukcapil; 2. SIPANDU" in text and "Lain" not in text
    assert "Kemenangan juara pertama jelas" in text and "97%" in text
    assert "(1) menambah inovasi" in text and "\"Replikasi\" pada 33 inovasi" in text
    assert "Kecil" not in text  # three steps only
    for chapter in ("iid", "participation", "jury", "quality"):
        assert f"(#sec-{chapter})" in text
    assert "::: {#summary-end}" in text
    for jargon in ("z-score", "Krippendorff", "macro-F1", "alpha", "silhouette"):
        assert jargon not in text


def test_summary_says_what_it_does_not_know(overview) -> None:
    params, out = overview
    text = to_markdown(build_chapter("summary", ReportContext.create(params, out)))
    assert "belum dihitung" in text  # no IID artifacts
    assert "tidak ada data penilaian juri" in text
    _iid(out, lower=True)
    text = to_markdown(build_chapter("summary", ReportContext.create(params, out)))
    assert "sedikitnya 41,50" in text and "batas bawah" in text
    assert "belum dapat dikatakan turun" in text  # a lower bound below last year is no fall
    _iid(out, computable=False)
    text = to_markdown(build_chapter("summary", ReportContext.create(params, out)))
    assert "belum dapat dihitung" in text and "(1)" not in text


def test_summary_in_english(overview) -> None:
    params, out = overview
    _iid(out)
    _jury(out, verdict="open", p_first=0.4)
    en = dataclasses.replace(params, language="en")
    text = to_markdown(build_chapter("summary", ReportContext.create(en, out)))
    assert "Regional Innovation Index 2025: 41.50, rated Innovative" in text
    assert "The first place is open" in text and "40%" in text
    assert "\"Replication\" in 33 innovations" in text


def test_report_is_summary_chapters_then_appendix(overview) -> None:
    params, out = overview
    params = dataclasses.replace(params, report=dataclasses.replace(
        params.report, chapters=("participation", "quality")))
    blocks = compose(ReportContext.create(params, out), params.report.chapters)
    text = to_markdown(blocks)
    assert text.index("# Ringkasan") < text.index("# Partisipasi Perangkat Daerah {#sec-"
                                                  "participation}")
    assert text.index("# Mutu Data {#sec-quality}") < text.index("# Lampiran {#sec-appendix}")
    appendix = text[text.index("# Lampiran"):]
    assert "## Partisipasi Perangkat Daerah" in appendix and "Kecamatan Curup" in appendix
    assert "Kecamatan Curup" not in text[:text.index("# Lampiran")]  # long list moved out
    off = dataclasses.replace(params, report=dataclasses.replace(params.report, summary=False))
    assert "# Ringkasan" not in to_markdown(compose(ReportContext.create(off, out),
                                                    off.report.chapters))
