"""Params mistakes found at load (issue 9 items 1, 5, 7; issue 15 items 2 and 4): every number
in its range, duplicate keys and chapters, output folders that could replace inputs, links and
special files in the data folder, run params told from other YAML by their content."""

from __future__ import annotations

import dataclasses
import os
import typing
from pathlib import Path

import pytest

from evalkit import config
from evalkit.config import Range, is_run_params_file, load_params
from evalkit.issues import InputError, as_written


def _messages(exc: InputError) -> str:
    return "\n".join(str(i) for i in exc.issues)


def _number_type(hint: object) -> type | None:
    """``int``/``float``, also inside ``X | None``; else None."""
    if hint in (int, float):
        return hint  # type: ignore[return-value]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if len(args) == 1 and args[0] in (int, float) else None


def _numeric_fields(cls: type = config.RunParams, prefix: str = ""
                    ) -> list[tuple[str, dataclasses.Field, type]]:
    """Every number in the params, in every section (found by walking the dataclasses, so a
    key added later is checked too)."""
    found = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if dataclasses.is_dataclass(hint):
            found += _numeric_fields(hint, f"{prefix}{f.name}.")
        elif (kind := _number_type(hint)) is not None:
            found.append((prefix + f.name, f, kind))
    return found


def _nested(key: str, value: object) -> dict[str, object]:
    if "." not in key:
        return {key: value}
    section, name = key.split(".")
    return {section: {name: value}}


def _outside(allowed: Range, kind: type) -> list[float]:
    """Values just outside the range on each side that has a bound."""
    step = 1 if kind is int else 0.01
    values = []
    if allowed.low is not None:
        values.append(allowed.low - step)
    if allowed.high is not None:
        values.append(allowed.high if allowed.below else allowed.high + step)
    return [int(v) if kind is int else v for v in values]


def test_every_number_in_the_params_has_a_range() -> None:
    keys = [key for key, _, _ in _numeric_fields()]
    assert {"year", "seed", "iid.spd_total", "jury.trim", "themes.max_clusters"} <= set(keys)
    missing = [key for key, f, _ in _numeric_fields() if "range" not in f.metadata]
    assert missing == [], f"give these a range (config._range): {missing}"


CASES = [(key, value) for key, f, kind in _numeric_fields()
         for value in _outside(f.metadata["range"], kind)]


@pytest.mark.parametrize(("key", "value"), CASES, ids=[f"{k}={v}" for k, v in CASES])
def test_every_range_refuses_values_outside_it(mini_region, key: str, value: float) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params=_nested(key, value)))
    text = _messages(info.value)
    allowed = dict((k, f) for k, f, _ in _numeric_fields())[key].metadata["range"]
    assert f"'{key}' must be {allowed}, got {as_written(value)}" in text
    assert "mini.yaml" in text


@pytest.mark.parametrize(("key", "value", "words"), [
    ("jury.resamples", -5, "'jury.resamples' must be between 100 and 1000000, got -5"),
    ("jury.resamples", 0, "got 0"),
    ("jury.trim", 0.6, "'jury.trim' must be at least 0 and below 0.5, got 0.6"),
    ("jury.trim", 0.9, "got 0.9"),
    ("jury.weight_spread", 1.5, "'jury.weight_spread' must be at least 0 and below 1"),
    ("jury.top_k", 0, "'jury.top_k' must be at least 1, got 0"),
    ("seed", -1, "'seed' must be between 0 and 4294967295, got -1"),
    ("themes.min_confidence", 1.5, "'themes.min_confidence' must be between 0 and 1"),
])
def test_the_issues_out_of_range_examples(mini_region, key: str, value: float,
                                          words: str) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params=_nested(key, value)))
    assert words in _messages(info.value)


def test_values_inside_the_ranges_load(mini_region) -> None:
    params = load_params(mini_region(params={
        "seed": 0, "jury": {"trim": 0.49, "resamples": 100, "weight_spread": 0.0, "top_k": 1,
                            "clear_winner": 1, "min_consensus_r": -1},
        "themes": {"min_confidence": 0, "max_clusters": 2}}))
    assert params.jury.trim == 0.49 and params.jury.clear_winner == 1.0


def test_not_a_number_is_refused(mini_region) -> None:
    file = mini_region()
    file.write_text(file.read_text() + "jury:\n  trim: .nan\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'jury.trim' must be a number, got nan"):
        load_params(file)


def test_values_are_printed_as_written(mini_region) -> None:
    file = mini_region()
    file.write_text(file.read_text() + "province: 2025-08-07\nreport:\n  author: 2025-08-07 "
                    "10:30:00\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_params(file)
    text = _messages(info.value)
    assert "'province' must be text, got 2025-08-07" in text
    assert "got 2025-08-07 10:30" in text
    assert "datetime" not in text


@pytest.mark.parametrize(("value", "written"), [
    (None, "an empty value"), (True, "true"), (0.6, "0.6"), (2000.0, "2000"),
    ("claimd", "'claimd'"), (["html", "pdf"], "[html, pdf]"), ({"a": 1}, "{a: 1}")])
def test_as_written(value: object, written: str) -> None:
    assert as_written(value) == written


def test_duplicate_chapters_are_an_error(mini_region) -> None:
    with pytest.raises(InputError, match="chapter 'iid' is listed twice"):
        load_params(mini_region(params={"report": {"chapters": ["iid", "quality", "iid"]}}))


def test_empty_formats_are_an_error(mini_region) -> None:
    with pytest.raises(InputError, match="'formats' is empty"):
        load_params(mini_region(params={"formats": []}))


def test_duplicate_keys_in_params_are_an_error_with_lines(mini_region) -> None:
    file = mini_region()
    file.write_text(file.read_text() + "iid:\n  mode: claimed\niid:\n  mode: verified\n",
                    encoding="utf-8")
    lines = file.read_text().splitlines()
    first, second = (i + 1 for i, line in enumerate(lines) if line == "iid:")
    with pytest.raises(InputError) as info:
        load_params(file)
    assert f"line {second}: key 'iid' is given twice (first on line {first})" in _messages(
        info.value)


def test_output_folder_that_is_the_data_folder_is_refused(mini_region) -> None:
    with pytest.raises(InputError) as info:
        load_params(mini_region(params={"output_dir": "data/mini"}))
    text = _messages(info.value)
    assert "is inside the folder of 'data_dir'" in text


def test_output_folder_inside_the_data_is_refused(mini_region) -> None:
    with pytest.raises(InputError, match="inside the folder of 'data_dir'"):
        load_params(mini_region(params={"output_dir": "data/mini/2025/out"}))


def test_data_inside_the_output_folder_is_refused(mini_region) -> None:
    with pytest.raises(InputError, match=r"'data_dir' .* is inside the output folder"):
        load_params(mini_region(params={"output_dir": "data"}))


def test_score_store_inside_the_output_folder_is_refused(mini_region) -> None:
    with pytest.raises(InputError, match=r"'jury.store_dir' .* is inside the output folder"):
        load_params(mini_region(params={"jury": {"store_dir": "reports/store"}}))


def test_rubric_inside_the_replaced_report_is_refused(mini_region, tmp_path: Path) -> None:
    rubric = tmp_path / "reports" / "2025" / "lomba.yaml"
    rubric.parent.mkdir(parents=True)
    rubric.write_text("x: 1\n")
    with pytest.raises(InputError, match=r"'jury.rubric' .* is inside the output folder"):
        load_params(mini_region(params={"jury": {"rubric": "reports/2025/lomba.yaml"}}))


def test_links_and_special_files_in_the_year_folder(mini_region, tmp_path: Path) -> None:
    file = mini_region()
    year = tmp_path / "data" / "mini" / "2025"
    (year / "evidence-old.csv").symlink_to(year / "gone.csv")
    (year / "loop.csv").symlink_to(year / "loop.csv")
    os.mkfifo(year / "pipe.csv")
    (year / "units-link.csv").symlink_to(year / "units.csv")  # a working link is fine
    with pytest.raises(InputError) as info:
        load_params(file)
    by_file = {Path(i.file).name: i.message for i in info.value.issues}
    assert set(by_file) == {"evidence-old.csv", "loop.csv", "pipe.csv"}
    assert "does not exist" in by_file["evidence-old.csv"]
    assert "loop" in by_file["loop.csv"]
    assert "pipe" in by_file["pipe.csv"]


def test_run_params_are_told_from_other_yaml_by_content(tmp_path: Path, mini_region) -> None:
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text("version: 1\nthemes:\n  - id: a\n", encoding="utf-8")
    rubric = tmp_path / "lomba.yaml"
    rubric.write_text("id: lomba\ncriteria: []\n", encoding="utf-8")
    assert not is_run_params_file(taxonomy) and not is_run_params_file(rubric)
    assert is_run_params_file(mini_region())
    broken = tmp_path / "broken.yaml"
    broken.write_text("region: [\n", encoding="utf-8")
    assert is_run_params_file(broken)  # unreadable: load_params names the problem
    with pytest.raises(InputError, match="not a run params file"):
        load_params(taxonomy)


def test_a_folder_given_as_params(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a params file"):
        load_params(tmp_path)
