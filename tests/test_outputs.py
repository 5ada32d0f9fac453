"""Outputs that can never delete inputs (issue 9 item 1, issue 15 item 5): a run replaces only a
report folder evalkit wrote, refuses every other target before anything runs (leaving it and
the raw inputs byte-identical), cleans what killed runs left, and publishes a folder the
umask lets others read."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from evalkit import outputs
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.pipeline import run_year


def tree(folder: Path) -> dict[str, str]:
    """Every file and link under ``folder`` with its bytes' digest (or its target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[key] = "dir"
    return found


def tiny_notebooks(folder: Path) -> Path:
    """One real notebook that writes a file into the report (a kernel starts: a real run)."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=[
        new_code_cell('params_path = ""\noutput_dir = ""', metadata={"tags": ["parameters"]}),
        new_code_cell("from pathlib import Path\n(Path(output_dir) / 'made.txt').write_text('x')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "01_tiny.ipynb")
    return folder


@pytest.fixture
def rejected(tmp_path: Path, capsys) -> Callable[..., str]:
    """Run ``evalkit`` expecting exit 1; the data folder and every given folder must come out
    byte-identical. Returns stderr."""

    def check(argv: list[str], *folders: Path) -> str:
        watched = [tmp_path / "data", *folders]
        before = [tree(f) for f in watched]
        assert main(argv) == 1
        assert [tree(f) for f in watched] == before
        return capsys.readouterr().err

    return check


def user_folder(path: Path) -> Path:
    """A folder of the user's own that happens to be where a report would go."""
    path.mkdir(parents=True)
    (path / "surat-undangan.docx").write_bytes(b"PK\x03\x04 letters")
    (path / "scan").mkdir()
    (path / "scan" / "halaman-1.pdf").write_bytes(b"%PDF-1.4 scan")
    return path


def test_out_over_a_folder_evalkit_did_not_write(mini_region, tmp_path: Path, rejected) -> None:
    params = mini_region()
    mine = user_folder(tmp_path / "out" / "2025")
    err = rejected(["run", "--params", str(params), "--out", str(tmp_path / "out")],
                   tmp_path / "out")
    assert str(mine) in err and "evalkit did not write" in err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["2025"]  # no temporary folder


def test_output_dir_over_a_folder_evalkit_did_not_write(mini_region, tmp_path: Path,
                                                        rejected) -> None:
    params = mini_region()
    user_folder(tmp_path / "reports" / "2025")
    err = rejected(["run", "--params", str(params)], tmp_path / "reports")
    assert "reports/2025" in err


def test_output_dir_is_the_data_folder(mini_region, tmp_path: Path, rejected) -> None:
    params = mini_region(params={"output_dir": "data/mini"})
    err = rejected(["run", "--params", str(params)])
    assert "inside the folder of 'data_dir'" in err


def test_out_inside_the_data_folder(mini_region, tmp_path: Path, rejected) -> None:
    params = mini_region()
    err = rejected(["run", "--params", str(params), "--out", str(tmp_path / "data" / "mini")])
    assert "inside the folder of 'data_dir'" in err


def test_out_names_a_file(mini_region, tmp_path: Path, rejected) -> None:
    params = mini_region()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "laporan.pdf"
    target.write_bytes(b"%PDF mine")
    err = rejected(["run", "--params", str(params), "--out", str(target)], tmp_path / "out")
    assert "--out names a file" in err


def test_a_file_or_a_link_where_the_report_goes(mini_region, tmp_path: Path, rejected) -> None:
    params = mini_region()
    out = tmp_path / "out"
    out.mkdir()
    (out / "2025").write_text("not a folder")
    assert "is a file, not a report folder" in rejected(
        ["run", "--params", str(params), "--out", str(out)], out)
    (out / "2025").unlink()
    elsewhere = user_folder(tmp_path / "elsewhere")
    (out / "2025").symlink_to(elsewhere)
    assert "is a link" in rejected(["run", "--params", str(params), "--out", str(out)], out,
                                   elsewhere)


def test_a_failed_folder_that_is_not_evalkits(mini_region, tmp_path: Path, rejected) -> None:
    params = mini_region()
    user_folder(tmp_path / "out" / "2025.failed")
    err = rejected(["run", "--params", str(params), "--out", str(tmp_path / "out")],
                   tmp_path / "out")
    assert "2025.failed" in err and "not a folder evalkit kept" in err


def test_a_folder_evalkit_cannot_write_in(mini_region, tmp_path: Path) -> None:
    """A read-only reports/ is exit 1 naming it, without a traceback. Root ignores folder
    permissions, so as root the run goes without that privilege (setpriv drops
    CAP_DAC_OVERRIDE), as an ordinary user's would."""
    params = mini_region()
    reports = tmp_path / "reports"
    reports.mkdir()
    reports.chmod(0o555)
    before = tree(tmp_path)
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-c", "import sys; from evalkit.cli import main; "
             "sys.exit(main())", "run", "--params", str(params)],
            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    finally:
        reports.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "cannot write in the output folder" in proc.stderr and str(reports) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree(tmp_path) == before


@pytest.mark.slow
def test_an_evalkit_report_is_replaced_readable_by_others(mini_region, tmp_path: Path,
                                                         monkeypatch) -> None:
    monkeypatch.setattr("evalkit.pipeline.NOTEBOOKS_DIR", tiny_notebooks(tmp_path / "nbs"))
    params = load_params(mini_region())
    old_umask = os.umask(0o022)
    try:
        first = run_year(params, progress=lambda m: None).report_dir
        (first / "extra-from-v1.txt").write_text("v1")  # inside a report evalkit wrote
        second = run_year(params, progress=lambda m: None).report_dir
    finally:
        os.umask(old_umask)
    assert second == first and not (second / "extra-from-v1.txt").exists()
    assert (second / "made.txt").read_text() == "x"
    assert not (second / outputs.MARKER).exists()  # the run's marker is not published
    for path in [second, *second.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o044 == 0o044, f"{path} is {oct(mode)}"  # group and others can read
        if path.is_dir():
            assert mode & 0o011 == 0o011, f"{path} is {oct(mode)}"  # ... and enter folders
    assert sorted(p.name for p in second.parent.iterdir()) == ["2025"]


KILLED_RUN = """
import os, sys, time
from pathlib import Path
from evalkit import outputs
final = Path(sys.argv[1])
tmp = outputs.make_run_folder(final)
(tmp / "half-written.html").write_text("<html>")
if len(sys.argv) > 2:  # killed between the two renames of the swap
    os.replace(final, final.with_name(f".{final.name}.old-{os.getpid()}"))
print(tmp, flush=True)
time.sleep(600)
"""


def _killed_run(final: Path, mid_swap: bool = False) -> Path:
    """A real process that made its temporary folder and was then killed with SIGKILL."""
    argv = [sys.executable, "-c", KILLED_RUN, str(final)] + (["swap"] if mid_swap else [])
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        tmp = Path(proc.stdout.readline().strip())  # type: ignore[union-attr]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert tmp.is_dir()
    return tmp


@pytest.mark.slow
def test_killed_runs_are_cleaned_and_only_evalkits(mini_region, tmp_path: Path,
                                                   monkeypatch) -> None:
    monkeypatch.setattr("evalkit.pipeline.NOTEBOOKS_DIR", tiny_notebooks(tmp_path / "nbs"))
    params = load_params(mini_region())
    final = run_year(params, progress=lambda m: None).report_dir
    killed = _killed_run(final)
    foreign = user_folder(final.with_name(".2025.tmp-mine"))  # looks like ours, is not
    live = outputs.make_run_folder(final)  # a run of this (living) process
    messages: list[str] = []
    run_year(params, progress=messages.append)
    assert not killed.exists()
    assert foreign.is_dir() and tree(foreign) and live.is_dir()
    assert any("left by a run that was stopped" in m for m in messages)
    # killed between the two renames: the previous report is put back, not lost
    report = tree(final)
    killed = _killed_run(final, mid_swap=True)
    assert not final.exists()
    assert outputs.clean_stale(final) == [killed]
    assert tree(final) == report


def test_make_run_folder_follows_the_umask(tmp_path: Path) -> None:
    old_umask = os.umask(0o027)
    try:
        tmp = outputs.make_run_folder(tmp_path / "2025")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(tmp.stat().st_mode) == 0o750  # 0777 minus the umask, not mkdtemp's 0700
    marker = json.loads((tmp / outputs.MARKER).read_text())
    assert marker["pid"] == os.getpid()


def test_evalkit_report_detection(tmp_path: Path) -> None:
    report = tmp_path / "r"
    report.mkdir()
    assert not outputs.is_evalkit_report(report)
    (report / "manifest.json").write_text('{"somebody": "else"}')
    assert not outputs.is_evalkit_report(report)
    (report / "manifest.json").write_text('{"evalkit_manifest": 2}')
    assert outputs.is_evalkit_report(report)
    assert outputs.target_issues(tmp_path / "empty", "--out") == []
    (tmp_path / "empty").mkdir()
    assert outputs.target_issues(tmp_path / "empty", "--out") == []  # nothing to lose


def _previous_report(folder: Path) -> Path:
    """A report folder as evalkit leaves it (its manifest marks it as evalkit's)."""
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text('{"evalkit_manifest": 2, "inputs": {}}\n')
    (folder / "report.html").write_text("<html>laporan lama</html>")
    (folder / "artifacts").mkdir()
    (folder / "artifacts" / "iid_summary.csv").write_text("iid\n41.5\n")
    return folder


@pytest.mark.parametrize("case", ["out of range", "every innovation rejected", "dangling link",
                                  "duplicate key", "output inside data", "look-alike header",
                                  "ragged row", "spd_total negative", "rubric not a rubric"])
def test_a_rejected_run_leaves_the_previous_report_and_inputs_as_they_were(
        mini_region, tmp_path: Path, rejected, case: str) -> None:
    from conftest import INNOVATIONS

    settings: dict[str, object] = {}
    tables: dict[str, object] = {}
    if case == "out of range":
        settings = {"jury": {"weight_spread": 1.5}}
    elif case == "every innovation rejected":
        tables = {"innovations": [{**r, "verification_status": "rejected"} for r in INNOVATIONS]}
    elif case == "output inside data":
        settings = {"output_dir": "data/mini/2025/laporan"}
    elif case == "spd_total negative":
        settings = {"iid": {"spd_total": -1}}
    elif case == "rubric not a rubric":  # refused before any kernel, not in the IID notebook
        broken = tmp_path / "broken-rubric.yaml"
        broken.write_text("id: broken\nthis: is not a rubric\n", encoding="utf-8")
        settings = {"iid": {"rubric": str(broken)}}
    params = mini_region(params=settings, **tables)
    year = tmp_path / "data" / "mini" / "2025"
    if case == "look-alike header":  # issue 9.3: an error with the fix, not a dropped column
        evidence = year / "evidence.csv"
        text = evidence.read_text(encoding="utf-8")
        evidence.write_text(text.replace("verified_level", "Level Verifkasi", 1), encoding="utf-8")
    if case == "ragged row":  # an extra cell would be lost
        innovations = year / "innovations.csv"
        lines = innovations.read_text(encoding="utf-8").splitlines()
        lines[1] += ",85,5"
        innovations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if case == "dangling link":
        (tmp_path / "data" / "mini" / "2025" / "evidence-2.csv").symlink_to(tmp_path / "gone")
    if case == "duplicate key":
        params.write_text(params.read_text() + "seed: 8\n", encoding="utf-8")
    previous = _previous_report(tmp_path / "reports" / "2025")
    rejected(["run", "--params", str(params)], previous.parent)
