"""The taxonomy as data: the shipped params/themes.yaml, and the checks on a user's file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_themes_support import TAXONOMY, taxonomy

from evalkit.issues import InputError
from evalkit.themes.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


def test_default_taxonomy_has_labels_in_both_languages_and_rich_seeds() -> None:
    tax = load_taxonomy(ROOT / "params" / "themes.yaml")
    assert tax.fallback == "lainnya" and tax.ids[-1] == "lainnya"
    assert {"pertanian", "energi", "pariwisata", "layanan_publik", "produk_lokal"} == set(
        tax.emphasised)
    for theme in tax.themes:
        assert theme.label["id"] and theme.label["en"] and theme.description["en"]
        if theme.id != tax.fallback:
            assert len(theme.seeds) >= 40 and theme.unit_cues, theme.id
    seeds = {term for t in tax.themes for term, _ in t.seeds}
    cues = {term for t in tax.themes for term, _ in t.unit_cues}
    assert {"umkm", "ktp", "bumdes", "rsud", "stunting"} <= seeds
    assert {"rsud", "puskesmas", "smkn", "dinas pertanian", "kecamatan"} <= cues
    assert len(tax.digest) == 64 and tax.version


def test_weights_and_labels_are_read() -> None:
    tax = taxonomy()
    assert ("anak", 0.5) in tax.theme("pendidikan").seeds
    assert ("rsud", 2.0) in tax.theme("kesehatan").unit_cues
    assert tax.label("kesehatan", "en") == "Health" and tax.label("nope") == "nope"


@pytest.mark.parametrize(("change", "message"), [
    ({"fallback": "other"}, "fallback theme 'other'"),
    ({"emphasised": ["wisata"]}, "emphasised theme 'wisata'"),
    ({"themes": [*TAXONOMY["themes"], TAXONOMY["themes"][0]]}, "more than once"),
    ({"themes": [{**TAXONOMY["themes"][0], "seeds": [{"padi": -1}]},
                 *TAXONOMY["themes"][1:]]}, "positive weight"),
    ({"themes": [{**TAXONOMY["themes"][0], "label": {"id": "Pertanian"}},
                 *TAXONOMY["themes"][1:]]}, "needs 'id' and 'en'"),
    ({"themes": [{**TAXONOMY["themes"][0], "sedes": ["x"]}, *TAXONOMY["themes"][1:]]},
     "unknown key(s) sedes"),
])
def test_invalid_taxonomy_names_the_problem(tmp_path: Path, change: dict, message: str) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(yaml.safe_dump({**TAXONOMY, **change}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_taxonomy(path)
    assert message in str(caught.value) and "themes.yaml" in str(caught.value)


def test_missing_taxonomy_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_taxonomy(tmp_path / "nope.yaml")
