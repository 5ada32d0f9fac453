"""The participation, history and data-quality chapters, built from real artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import INNOVATIONS
from evalkit.config import load_params
from evalkit.overview.workflow import write_overview
from evalkit.report.blocks import ReportContext, to_markdown
from evalkit.report.chapters import available_chapters, build_chapter


@pytest.fixture
def overview(mini_region, tmp_path: Path):
    rows = [dict(r) for r in INNOVATIONS]
    rows[0]["description"] = ""  # one warning for the quality chapter
    params = load_params(mini_region(innovations=rows))
    out = tmp_path / "out"
    write_overview(params, out)
    return params, out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_core_chapters_in_both_languages(overview, lang: str) -> None:
    import dataclasses

    params, out = overview
    ctx = ReportContext.create(dataclasses.replace(params, language=lang), out)
    text = {name: to_markdown(build_chapter(name, ctx))
            for name in ("participation", "history", "quality")}
    if lang == "id":
        assert text["participation"].startswith("# Partisipasi Perangkat Daerah")
        assert "**2 dari 3**" in text["participation"] and "66,7%" in text["participation"]
        assert "Kecamatan Curup" in text["participation"]  # the unit without an innovation
        assert "184 / 315" in text["history"] and "47,67" in text["history"]
        assert "Isian opsional kosong" in text["quality"]
        assert "Kolom 'description' kosong." in text["quality"]  # said again in Indonesian
    else:
        assert "**2 of 3**" in text["participation"] and "66.7%" in text["participation"]
        assert "47.67" in text["history"]
        assert "Column 'description' is empty." in text["quality"]
    assert "{#fig-participation-kind}" in text["participation"]
    assert (out / "figures" / "participation-kind.png").is_file()
    assert "{#tbl-quality-list}" in text["quality"]


def test_chapters_are_discovered() -> None:
    assert {"participation", "history", "quality"} <= set(available_chapters())


def test_unknown_chapter_is_refused(overview) -> None:
    params, out = overview
    with pytest.raises(ValueError, match="unknown chapter"):
        build_chapter("nope", ReportContext.create(params, out))


def test_overview_artifacts_are_deterministic(overview, tmp_path: Path) -> None:
    params, out = overview
    again = tmp_path / "again"
    write_overview(params, again)
    for path in sorted((out / "artifacts").iterdir()):
        assert path.read_bytes() == (again / "artifacts" / path.name).read_bytes(), path.name
