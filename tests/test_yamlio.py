"""evalkit.yamlio: the one YAML reader of params, rubrics, taxonomies and locales (issue 9
items 3 and 7): duplicate keys and alias bombs are located errors, in every loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from evalkit.i18n import LANGUAGES
from evalkit.iid.rubric import default_rubric_path
from evalkit.iid.rubric import load_rubric as load_iid_rubric
from evalkit.inputs.vocabulary import load_vocabulary
from evalkit.issues import InputError
from evalkit.jury.rubric import load_rubric as load_jury_rubric
from evalkit.themes.taxonomy import default_taxonomy_path, load_taxonomy
from evalkit.yamlio import MAX_ALIAS_NODES, parse_yaml, read_yaml

PACKAGE = ROOT / "src" / "evalkit"
VOCABULARIES = PACKAGE / "inputs" / "vocabularies"

# 1.7 KB: nine nested levels of nine aliases each, 9**9 (387 million) strings once expanded
BOMB = "a: &a [" + ", ".join(['"lol"'] * 9) + "]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8))


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(InputError) as info:
        parse_yaml("region: a\niid:\n  mode: claimed\niid:\n  mode: verified\n", "p.yaml")
    (issue,) = info.value.issues
    assert issue.file == "p.yaml"
    assert issue.message.startswith("line 4: key 'iid' is given twice (first on line 2)")


def test_nested_duplicate_and_merge_keys() -> None:
    with pytest.raises(InputError, match="line 3: key 'mode' is given twice"):
        parse_yaml("iid:\n  mode: claimed\n  mode: verified\n")
    merged = parse_yaml("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  a: 3\n")
    assert merged["x"] == {"a": 3, "b": 2}  # a merge key may be overridden: YAML's own rule


def test_alias_bomb_is_refused_quickly() -> None:
    assert len(BOMB) < 2000
    with pytest.raises(InputError, match=f"at most {MAX_ALIAS_NODES:,} are allowed"):
        parse_yaml(BOMB, "bomb.yaml")


def test_a_few_aliases_are_fine() -> None:
    data = parse_yaml("w: &w {x: 1}\na: *w\nb: *w\n")
    assert data["a"] == data["b"] == {"x": 1}


def test_syntax_error_is_located() -> None:
    with pytest.raises(InputError, match="not valid YAML at line 2, column 2"):
        parse_yaml("a: [1, 2\nb: 3\n", "x.yaml")


def test_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes("judul: Jum\u2019at\n".encode("cp1252"))
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_yaml(file)


@pytest.mark.parametrize("name", ["iid rubric", "jury rubric", "taxonomy", "vocabulary"])
def test_every_loader_refuses_duplicate_keys(tmp_path: Path, name: str) -> None:
    source = {"iid rubric": default_rubric_path(None, 2025),
              "jury rubric": ROOT / "params" / "rubrics" / "lomba-2025.yaml",
              "taxonomy": default_taxonomy_path(),
              "vocabulary": VOCABULARIES / "affairs.yaml"}[name]
    text = source.read_text(encoding="utf-8")
    first_key = next(line for line in text.splitlines() if line and line[0].isalpha())
    file = tmp_path / source.name
    file.write_text(text + "\n" + first_key + "\n", encoding="utf-8")
    load = {"iid rubric": load_iid_rubric, "jury rubric": load_jury_rubric,
            "taxonomy": load_taxonomy, "vocabulary": load_vocabulary}[name]
    with pytest.raises(InputError, match="is given twice"):
        load(file)


@pytest.mark.parametrize("name", ["iid rubric", "taxonomy", "vocabulary"])
def test_every_loader_refuses_alias_bombs(tmp_path: Path, name: str) -> None:
    file = tmp_path / "bomb.yaml"
    file.write_text(BOMB, encoding="utf-8")
    load = {"iid rubric": load_iid_rubric, "taxonomy": load_taxonomy,
            "vocabulary": load_vocabulary}[name]
    with pytest.raises(InputError, match="aliases expand"):
        load(file)


def test_every_bundled_yaml_file_reads_strictly() -> None:
    files = sorted((ROOT / "params").rglob("*.yaml"))
    # evalkit's own data: locales, rubrics, vocabularies, importer profiles, the taxonomy
    files += sorted(p for p in PACKAGE.rglob("*.yaml"))
    assert len(files) >= 2 * len(LANGUAGES)
    for file in files:
        assert read_yaml(file) is not None, file


@pytest.mark.parametrize("name", ["LOADER", "PURE_LOADER"])
def test_libyaml_and_pure_python_read_alike(name: str) -> None:
    # libyaml parses where PyYAML has it; without it the pure-Python parser must read every
    # bundled file to the same values and refuse the same mistakes.
    import evalkit.yamlio as yamlio

    loader = getattr(yamlio, name)
    for path in sorted(PACKAGE.rglob("*.yaml")) + sorted((ROOT / "params").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text, path, loader) == parse_yaml(text, path, yamlio.PURE_LOADER)
    with pytest.raises(InputError, match="line 3: key 'mode' is given twice"):
        parse_yaml("iid:\n  mode: claimed\n  mode: verified\n", "p.yaml", loader)
    with pytest.raises(InputError, match="aliases expand"):
        parse_yaml(BOMB, "bomb.yaml", loader)
    with pytest.raises(InputError, match=r"not valid YAML at line 2, column \d+"):
        parse_yaml("a: [1, 2\nb: c: d\n", "bad.yaml", loader)
