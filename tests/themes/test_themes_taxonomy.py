"""The taxonomy as data: the one shipped in the package, and the checks on a user's file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_themes_support import TAXONOMY, taxonomy

from evalkit.issues import InputError
from evalkit.themes.seeds import AffairCues
from evalkit.themes.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


def test_default_taxonomy_ships_in_the_package_not_in_params() -> None:
    assert DEFAULT_TAXONOMY.parent.name == "themes" and DEFAULT_TAXONOMY.is_file()
    assert not (ROOT / "params" / "themes.yaml").exists()  # not caught by params/*.yaml
    assert load_taxonomy().digest == load_taxonomy(DEFAULT_TAXONOMY).digest
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"themes/*.yaml"' in pyproject  # installed with the package


def test_default_taxonomy_has_labels_in_both_languages_and_rich_seeds() -> None:
    tax = load_taxonomy()
    assert tax.fallback == "lainnya" and tax.ids[-1] == "lainnya"
    for theme in tax.themes:
        assert theme.label["id"] and theme.label["en"] and theme.description["en"]
        if theme.id != tax.fallback:
            assert len(theme.seeds) >= 40 and theme.unit_cues, theme.id
    seeds = {term for t in tax.themes for term, _ in t.seeds}
    cues = {term for t in tax.themes for term, _ in t.unit_cues}
    assert {"umkm", "ktp", "bumdes", "rsud", "stunting"} <= seeds
    assert {"rsud", "puskesmas", "smkn", "dinas pertanian", "kecamatan"} <= cues
    assert len(tax.digest) == 64 and tax.version


def test_default_affair_cues_cover_the_affairs_of_the_iid_export() -> None:
    """The affair spellings the IID application exports (format notes) all find a theme."""
    cues = AffairCues(load_taxonomy())
    columns = list(load_taxonomy().ids)
    for affair, theme in [
            ("pendidikan", "pendidikan"), ("kesehatan", "kesehatan"),
            ("ketenteraman, ketertiban umum, dan pelindungan masyarakat", "sosial"),
            ("koperasi, usaha kecil, dan menengah", "produk_lokal"),
            ("energi dan sumber daya mineral", "energi"),
            ("Fungsi Penunjang lainnya sesuai dengan ketentuan peraturan perundang-undangan",
             "tata_kelola")]:
        from evalkit.themes.text import normalize

        row = cues.score([normalize(affair)])[0]
        assert columns[int(row.argmax())] == theme, affair
    assert not cues.score(["urusan yang tidak dikenal"]).any()  # unknown: no evidence


def test_weights_and_labels_are_read() -> None:
    tax = taxonomy()
    assert ("anak", 0.5) in tax.theme("pendidikan").seeds
    assert ("rsud", 2.0) in tax.theme("kesehatan").unit_cues
    assert tax.label("kesehatan", "en") == "Health" and tax.label("nope") == "nope"
    assert dict(tax.affair_cues)["kesehatan"] == (("kesehatan", 1.0),)


@pytest.mark.parametrize(("change", "message"), [
    ({"fallback": "other"}, "fallback theme 'other'"),
    ({"emphasised": ["pertanian"]}, "move it to 'themes.emphasised'"),
    ({"emphasized": ["pertanian"]}, "unknown key 'emphasized'"),
    ({"affair_cues": {"kesehatan": {"sehat": 1}}}, "unknown theme 'sehat'"),
    ({"affair_cues": ["kesehatan"]}, "must map affair names"),
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
