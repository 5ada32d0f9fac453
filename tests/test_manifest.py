"""`verify` that verifies (issue 9 item 6): every input that shaped the report is in the
manifest (the default rubric and taxonomy too), paths are relative to the project so a copied
project is checked where it is, and a damaged manifest is a located error."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from test_outputs import tiny_notebooks

from conftest import ROOT
from evalkit.cli import main
from evalkit.config import load_params, project_root
from evalkit.iid.rubric import default_rubric_path
from evalkit.manifest import (
    MANIFEST,
    PACKAGE_DIR,
    RunRecord,
    build_manifest,
    tracked_inputs,
    write_manifest,
)
from evalkit.pipeline import run_year
from evalkit.themes.taxonomy import default_taxonomy_path


def project(folder: Path, mini_region) -> Path:
    """A project laid out like the checkout: params/, data/, the year's IID rubric in
    params/rubrics/ (the default the run falls back to: the params name no rubric) and no
    taxonomy named (the package's is used)."""
    params = mini_region()
    (folder / "params").mkdir(parents=True)
    shutil.copytree(params.parent / "data", folder / "data")
    settings = yaml.safe_load(params.read_text(encoding="utf-8"))
    settings.update(data_dir="../data/mini", output_dir="../reports")
    target = folder / "params" / "2025.yaml"
    target.write_text(yaml.safe_dump(settings), encoding="utf-8")
    (folder / "params" / "rubrics").mkdir()
    shutil.copy(default_rubric_path(None, 2025), folder / "params" / "rubrics" / "iid-2025.yaml")
    return target


def manifest_only_report(params_file: Path) -> Path:
    """The manifest evalkit writes at the end of a run, written the same way (no notebooks)."""
    params = load_params(params_file)
    report = params.report_dir
    report.mkdir(parents=True)
    now = datetime.now().astimezone()
    write_manifest(report, build_manifest(params, report, RunRecord({}, {}, now, now),
                                          project_root(params.source)))
    return report


def test_default_rubric_and_taxonomy_are_inputs(mini_region, tmp_path: Path) -> None:
    params = load_params(project(tmp_path / "p", mini_region))
    assert params.iid.rubric is None and params.themes.taxonomy is None
    files = tracked_inputs(params)
    assert default_rubric_path(params.source, 2025) == (
        tmp_path / "p" / "params" / "rubrics" / "iid-2025.yaml")
    assert default_rubric_path(params.source, 2025).resolve() in files
    assert default_taxonomy_path().resolve() in files


def test_verify_sees_a_change_to_the_default_rubric(mini_region, tmp_path: Path,
                                                    capsys) -> None:
    params_file = project(tmp_path / "p", mini_region)
    report = manifest_only_report(params_file)
    manifest = json.loads((report / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["project"] == ".."  # reports/ -> the project
    rubric = "params/rubrics/iid-2025.yaml"
    assert rubric in manifest["inputs"] and "params/2025.yaml" in manifest["inputs"]
    # shipped with evalkit: named in the package, checked where evalkit is installed
    assert "evalkit:themes/taxonomy.yaml" in manifest["inputs"]
    assert default_taxonomy_path().resolve() == PACKAGE_DIR / "themes" / "taxonomy.yaml"
    assert main(["verify", str(report)]) == 0
    with (tmp_path / "p" / rubric).open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    assert main(["verify", str(report), "--json"]) == 1
    data = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert data["changed"] == [rubric] and data["ok"] is False


def test_a_copied_project_is_checked_where_it_is(mini_region, tmp_path: Path, capsys) -> None:
    original = tmp_path / "kantor"
    report = manifest_only_report(project(original, mini_region))
    copy = tmp_path / "laptop" / "kantor"
    shutil.copytree(original, copy)
    inn = "data/mini/2025/innovations.csv"
    (original / inn).write_text("changed in the original\n", encoding="utf-8")
    copied_report = copy / report.relative_to(original)
    assert main(["verify", str(copied_report), "--json"]) == 0  # the copy's own inputs
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["project"] == str(copy)
    with (copy / inn).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert main(["verify", str(copied_report)]) == 1
    assert f"changed: {inn}" in capsys.readouterr().out


@pytest.mark.slow
def test_a_real_run_records_its_project_relatively(mini_region, tmp_path: Path,
                                                   monkeypatch) -> None:
    monkeypatch.setattr("evalkit.pipeline.NOTEBOOKS_DIR", tiny_notebooks(tmp_path / "nbs"))
    params_file = project(tmp_path / "p", mini_region)
    report = run_year(load_params(params_file), progress=lambda m: None).report_dir
    manifest = json.loads((report / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["evalkit_manifest"] == 2 and manifest["project"] == ".."
    assert not any(name.startswith("/") for name in manifest["inputs"]
                   if not name.startswith(str(ROOT)))  # inside the project: relative
    moved = tmp_path / "moved"
    shutil.move(tmp_path / "p", moved)
    assert main(["verify", str(moved / "reports" / "2025")]) == 0


def test_a_report_outside_the_project_checks_the_recorded_project(mini_region,
                                                                  tmp_path: Path) -> None:
    params = load_params(project(tmp_path / "p", mini_region))
    report = tmp_path / "elsewhere" / "2025"  # as `evalkit run --out elsewhere` writes it
    report.mkdir(parents=True)
    now = datetime.now().astimezone()
    write_manifest(report, build_manifest(params, report, RunRecord({}, {}, now, now),
                                          project_root(params.source)))
    manifest = json.loads((report / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["project"] is None and manifest["base_dir"] == str(tmp_path / "p")
    assert main(["verify", str(report)]) == 0
