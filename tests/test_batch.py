"""Many region-years in one command: planning, a real Dask cluster, identical bytes whatever the
number of workers, one failing region that fails alone, and ``--skip-current``.

The regions are small ones made by tools/make_province.py (a few innovations each) with the
two-chapter minimum, so a region-year costs little more than its kernels.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from evalkit.batch import BatchError, Task, is_current, plan, several_regions
from evalkit.cli import main

REGIONS = ("alpha", "beta")


def _generator():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        return importlib.import_module("make_province")
    finally:
        sys.path.remove(str(ROOT / "tools"))


def make_regions(folder: Path, names: tuple[str, ...] = REGIONS) -> list[Path]:
    """Small generated regions under ``folder`` and one params file each (2025)."""
    gen = _generator()
    files = []
    for number, name in enumerate(names, start=1):
        spec = gen.RegionSpec(name, f"Kabupaten {name.title()}", 500 + number, name[:2].upper(),
                              {2024: 4, 2025: 5}, 0.6, 0.85, 0.5, 3)
        gen.write_region(folder / "data" / name, spec)
        params = {
            "region": name, "region_name": spec.name, "province": "Contoh", "year": 2025,
            "data_dir": f"../data/{name}", "output_dir": f"../reports/{name}", "seed": number,
            "formats": ["html"],
            "iid": {"rubric": str(ROOT / "src" / "evalkit" / "iid" / "rubrics" / "iid-2025.yaml")},
            "report": {"chapters": ["participation", "quality"]},
        }
        path = folder / "params" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(params), encoding="utf-8")
        files.append(path)
    return files


def broken_params(folder: Path, good: Path) -> Path:
    """A params file that loads but whose IID plan target names no predicate: it fails on
    the worker, in 02_iid (the engine refuses it), after the region's data validated. (A
    broken rubric or cost table no longer gets that far: the runner refuses them before any
    kernel starts.)"""
    data = yaml.safe_load(good.read_text(encoding="utf-8"))
    data.update(region="gamma", region_name="Kabupaten Gamma", output_dir="../reports/gamma")
    data["iid"] = {**data["iid"], "plan_target": "Tidak Ada"}
    # asks for the IID chapter: a notebook whose chapter is not asked for does not run
    data["report"] = {"chapters": ["participation", "iid", "quality"]}
    path = folder / "params" / "gamma.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _artifacts(report: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((report / "artifacts").iterdir())}


# Planning (no kernels) -------------------------------------------------------------------------

def test_plan_gives_each_region_year_its_own_folder(tmp_path: Path) -> None:
    files = make_regions(tmp_path)
    assert several_regions(files) and not several_regions(files[:1])
    nested = plan(files, out=tmp_path / "out")
    assert [t.report_dir for t in nested.tasks] == [
        (tmp_path / "out" / name / "2025").resolve() for name in REGIONS]
    own = plan(files)  # each params file's output_dir
    assert [t.report_dir for t in own.tasks] == [
        (tmp_path / "reports" / name / "2025").resolve() for name in REGIONS]
    single = plan(files[:1], out=tmp_path / "one")  # one region: DIR/<year>, as before
    assert single.tasks[0].report_dir == (tmp_path / "one" / "2025").resolve()


def test_plan_refuses_two_params_files_writing_one_folder(tmp_path: Path) -> None:
    files = make_regions(tmp_path)
    twin = tmp_path / "params" / "alpha-again.yaml"
    twin.write_text(files[0].read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BatchError, match="would both write"):
        plan([files[0], twin], out=tmp_path / "out")
    assert main(["run", "--params", str(files[0]), str(twin), "--workers", "2"]) == 2


def test_unloadable_params_file_fails_alone_before_anything_runs(tmp_path: Path) -> None:
    files = make_regions(tmp_path)
    bad = tmp_path / "params" / "typo.yaml"
    bad.write_text("region: typo\nregion_name: X\nyear: 2025\ndata_dir: nowhere\n",
                   encoding="utf-8")
    work = plan([*files, bad], out=tmp_path / "out")
    assert [t.region for t in work.tasks] == list(REGIONS)
    (failed,) = work.failed
    assert failed.region == "typo" and failed.kind == "input"
    assert "folder not found" in failed.error


def test_is_current_needs_a_manifest_for_this_params_file(tmp_path: Path) -> None:
    files = make_regions(tmp_path)
    task = plan(files[:1]).tasks[0]
    assert not is_current(task)  # no report yet
    assert isinstance(task, Task) and task.label == "alpha 2025"


# Real runs -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("batch")
    return folder, make_regions(folder)


def _main(*args: str) -> tuple[int, str, str]:
    """``evalkit`` with its stdout and stderr (module fixtures cannot use capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cluster_run(province: tuple[Path, list[Path]]) -> tuple[int, str, str, Path]:
    """Two good regions and one broken one through --scheduler on a real LocalCluster (worker
    processes, loopback TCP, one thread each: the way a cluster's workers run tasks)."""
    from distributed import LocalCluster

    folder, files = province
    broken = broken_params(folder, files[0])
    out = folder / "via-scheduler"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        code, stdout, stderr = _main("run", "--params", *map(str, [*files, broken]),
                                     "--scheduler", cluster.scheduler_address, "--out", str(out))
    return code, stdout, stderr, out


@pytest.mark.slow
def test_scheduler_run_isolates_the_failing_region(
        cluster_run: tuple[int, str, str, Path]) -> None:
    code, stdout, stderr, out = cluster_run
    assert code == 3  # a notebook failed on a worker
    lines = stdout.splitlines()
    assert lines[0].split() == ["region", "year", "status", "seconds", "report", "/", "error"]
    rows = {line.split()[0]: line for line in lines[1:4]}
    assert set(rows) == {"alpha", "beta", "gamma"}
    assert " failed " in rows["gamma"] and "02_iid" in rows["gamma"]
    assert "3 region-year(s): 2 ok, 0 current (skipped), 1 failed" in stdout
    assert "[3/3]" in stderr and "FAILED (notebook)" in stderr  # progress: done of total
    for region in ("alpha", "beta"):
        report = out / region / "2025"
        assert " ok " in rows[region] and str(report) in rows[region]
        assert (report / "report.html").is_file() and (report / "manifest.json").is_file()
    assert not (out / "gamma" / "2025").exists()  # nothing half-written where it would go


@pytest.fixture(scope="module")
def local_runs(province: tuple[Path, list[Path]]) -> dict[int, Path]:
    folder, files = province
    outs = {}
    for workers in (2, 1):
        outs[workers] = folder / f"workers-{workers}"
        code, _out, err = _main("run", "--params", *map(str, files), "--workers", str(workers),
                                "--out", str(outs[workers]))
        assert code == 0, err
    return outs


@pytest.mark.slow
def test_one_and_two_workers_give_identical_artifacts(
        local_runs: dict[int, Path], cluster_run: tuple[int, str, str, Path]) -> None:
    for region in REGIONS:
        one = _artifacts(local_runs[1] / region / "2025")
        assert one, region
        assert _artifacts(local_runs[2] / region / "2025") == one
        assert _artifacts(cluster_run[3] / region / "2025") == one  # and the cluster's


@pytest.mark.slow
def test_skip_current_reruns_only_the_region_whose_input_changed(
        local_runs: dict[int, Path], province: tuple[Path, list[Path]], capsys) -> None:
    folder, files = province
    out = local_runs[1]
    before = {r: (out / r / "2025" / "manifest.json").stat().st_mtime_ns for r in REGIONS}
    evidence = folder / "data" / "beta" / "2025" / "evidence.csv"
    evidence.write_text(evidence.read_text(encoding="utf-8").rstrip("\n") + "dicek ulang\n",
                        encoding="utf-8")  # a note on the last row: one input changed
    started = time.perf_counter()
    assert main(["run", "--params", *map(str, files), "--skip-current", "--out", str(out),
                 "--json"]) == 0
    seconds = time.perf_counter() - started
    summary = json.loads(capsys.readouterr().out)
    status = {t["region"]: t["status"] for t in summary["tasks"]}
    assert status == {"alpha": "current", "beta": "ok"}
    assert (out / "alpha" / "2025" / "manifest.json").stat().st_mtime_ns == before["alpha"]
    assert (out / "beta" / "2025" / "manifest.json").stat().st_mtime_ns != before["beta"]
    assert main(["verify", str(out / "beta" / "2025")]) == 0
    assert summary["current"] == 1 and summary["exit_code"] == 0
    skipped = next(t for t in summary["tasks"] if t["region"] == "alpha")
    print(f"skip-current: rerun of 1 of 2 regions in {seconds:.1f} s; the check of the "
          f"current one took {skipped['seconds']:.2f} s")
