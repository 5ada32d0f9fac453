from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.config import load_params
from evalkit.issues import InputError


def _messages(exc: InputError) -> str:
    return "\n".join(str(i) for i in exc.issues)


def test_loads_and_resolves_paths(mini_region) -> None:
    params = load_params(mini_region())
    assert params.year == 2025
    assert params.data_dir.is_absolute() and params.year_dir.name == "2025"
    assert params.language == "id" and params.formats == ("html", "pdf")
    assert params.report_dir == params.output_dir / "2025"


def test_unknown_key_is_named_with_suggestion(mini_region) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params={"langauge": "en"}))
    text = _messages(info.value)
    assert "langauge" in text and "did you mean 'language'" in text and "mini.yaml" in text


def test_unknown_nested_key(mini_region) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params={"report": {"chapter": ["participation"]}}))
    assert "report.chapter" in _messages(info.value)


def test_wrong_type_and_bad_choice(mini_region) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params={"seed": "seven", "language": "fr"}))
    text = _messages(info.value)
    assert "'seed' must be a whole number" in text
    assert "'language' must be one of" in text


def test_missing_file_names_key(mini_region, tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params={"data_dir": "data/nowhere"}))
    assert "data_dir" in _messages(info.value) and "not found" in _messages(info.value)


def test_missing_required_key(mini_region) -> None:
    file = mini_region()
    text = file.read_text().replace("year: 2025\n", "")
    file.write_text(text)
    with pytest.raises(InputError) as info:
        load_params(file)
    assert "required key 'year'" in _messages(info.value)


def test_unknown_format_and_chapter(mini_region) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params={"formats": ["docx"],
                                        "report": {"chapters": ["nope"]}}))
    text = _messages(info.value)
    assert "unknown format 'docx'" in text and "unknown chapter 'nope'" in text


def test_invalid_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: [2025\n")
    with pytest.raises(InputError) as info:
        load_params(bad)
    assert "not valid YAML" in _messages(info.value)


def test_sample_params_load() -> None:
    root = Path(__file__).resolve().parents[1]
    for year in (2023, 2024, 2025):
        params = load_params(root / "params" / f"{year}.yaml")
        assert params.year == year and params.region == "rejang-lebong"
