"""Issue 9 item 2 for the participation chapter's newer user text: unit names and their
parents (from the units table or the IID export) are escaped like titles, so a hostile name
adds no image, link, raw markup, heading, list or table row to the chapter."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

from hostile import HOSTILE_TITLES, element_types, pandoc_ast

from conftest import INNOVATIONS
from evalkit.config import load_params
from evalkit.overview import participation_chapter, write_overview
from evalkit.report.blocks import ReportContext, to_markdown

# What evalkit's own chapter is made of; hostile names must not change these counts.
STRUCTURE = ("Header", "Table", "Row", "Image", "Link", "RawInline", "RawBlock", "BulletList",
             "OrderedList", "CodeBlock", "Code", "BlockQuote", "HorizontalRule")
NAMES = [text for key, text in HOSTILE_TITLES.items() if key != "long"]


def _units(names: list[str]) -> list[dict[str, str]]:
    units = [{"unit_id": "induk", "name": names[0], "kind": "dinas", "parent": ""}]
    units += [{"unit_id": f"u{i}", "name": name, "kind": "upt", "parent": "induk"}
              for i, name in enumerate(names[1:], 1)]
    return units


def _chapter(mini_region, tmp_path: Path, names: list[str], lang: str) -> str:
    rows = [dict(INNOVATIONS[0], innovation_id="H-1", unit_id="u1", title="Inovasi biasa"),
            dict(INNOVATIONS[0], innovation_id="H-2", unit_id="induk", title="Inovasi lain")]
    params = load_params(mini_region(units=_units(names), innovations=rows, evidence=None))
    out = tmp_path / "out"
    write_overview(params, out)
    params = dataclasses.replace(params, language=lang)
    return to_markdown(participation_chapter.build(ReportContext.create(params, out)))


def _structure(markdown: str) -> Counter[str]:
    kinds = Counter(element_types(pandoc_ast(markdown)["blocks"]))
    return Counter({k: kinds[k] for k in STRUCTURE})


def test_hostile_unit_and_parent_names_add_no_structure(mini_region, tmp_path: Path) -> None:
    plain = [f"Unit Biasa {i}" for i in range(len(NAMES))]
    for lang in ("id", "en"):
        benign = _chapter(mini_region, tmp_path / f"plain-{lang}", plain, lang)
        hostile = _chapter(mini_region, tmp_path / f"hostile-{lang}", NAMES, lang)
        assert _structure(hostile) == _structure(benign), lang
        assert "SISIPAN" in hostile  # the names are shown, as text
        for raw in ("<script>", "<img ", "![SISIPAN]", "`{=typst}"):
            assert raw not in hostile, raw
