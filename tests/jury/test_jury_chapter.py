"""The report chapter reads the jury artifacts; jurors appear by code, in either language."""

from __future__ import annotations

import dataclasses
import re

import pytest
from test_jury_support import JURORS, make_region

from evalkit.config import load_params
from evalkit.i18n import catalogue
from evalkit.jury.workflow import compute, load_jury, write_artifacts
from evalkit.report.blocks import Figure, ReportContext, Table, to_markdown
from evalkit.report.chapters import available_chapters, build_chapter


@pytest.fixture
def written(tmp_path):
    params = load_params(make_region(tmp_path))
    out = tmp_path / "out"
    write_artifacts(compute(load_jury(params)), out)
    return params, out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_chapter_has_winners_leaderboard_agreement_jurors_recusals(written, lang):
    params, out = written
    params = dataclasses.replace(params, language=lang)
    blocks = build_chapter("jury", ReportContext.create(params, out))
    text = to_markdown(blocks)
    heading = "Lomba Inovasi Daerah" if lang == "id" else "Innovation Competition"
    assert text.startswith(f"# {heading}")
    labels = {b.label for b in blocks if isinstance(b, Table | Figure)}
    assert labels == {"jury-leaderboard", "jury-agreement", "jury-leniency", "jury-heatmap",
                      "jury-recusals"}
    for block in blocks:
        if isinstance(block, Figure):
            assert (out / block.path).is_file()
    assert "Krippendorff" in text and ("0,80" in text if lang == "id" else "0.80" in text)
    assert re.search(r"\*\*(The winner|Pemenangnya)", text)
    for juror in JURORS:
        assert juror["name"] not in text
        assert f"| {juror['juror_id']} " not in text  # ids never; codes J1.. only
    assert "| J1 " in text


def test_chapter_without_results_says_so(tmp_path):
    params = load_params(make_region(tmp_path))
    text = to_markdown(build_chapter("jury", ReportContext.create(params, tmp_path / "none")))
    assert "Belum ada nilai juri" in text


def test_chapter_is_registered_and_texts_exist_in_both_languages():
    assert "jury" in available_chapters()
    ids = {k for k in catalogue("id") if k.startswith("jury.")}
    ens = {k for k in catalogue("en") if k.startswith("jury.")}
    assert ids == ens and len(ids) > 100
