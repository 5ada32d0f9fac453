"""One kernel for several notebooks: each notebook still starts as in a fresh kernel."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from evalkit.config import load_params
from evalkit.kernels import Job, assign
from evalkit.pipeline import run_year

DIRTY = """
import os, sys
from pathlib import Path
import matplotlib, pandas
leak = "from the first notebook"
matplotlib.rcParams["figure.dpi"] = 33
pandas.set_option("display.max_rows", 3)
os.chdir(output_dir)
sys.modules["json"].evalkit_marker = 1  # module state: kept, as imported modules are
(Path(output_dir) / "first.json").write_text(json.dumps({"pid": os.getpid()}))
"""
CHECK = """
import os, sys
from pathlib import Path
import matplotlib, pandas
state = {
    "pid": os.getpid(), "leak": "leak" in globals(), "dpi": matplotlib.rcParams["figure.dpi"],
    "max_rows": pandas.get_option("display.max_rows"), "cwd": os.getcwd(),
    "module_kept": getattr(sys.modules["json"], "evalkit_marker", 0),
}
(Path(output_dir) / "second.json").write_text(json.dumps(state))
"""


def _notebook(path: Path, body: str) -> Path:
    nb = new_notebook(cells=[
        new_code_cell('params_path = ""\noutput_dir = ""', metadata={"tags": ["parameters"]}),
        new_code_cell("import json\n" + body)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("fresh", [False, True], ids=["one kernel", "fresh kernels"])
def test_each_notebook_starts_clean(mini_region, tmp_path: Path, fresh: bool) -> None:
    folder = tmp_path / "nbs"
    folder.mkdir()
    notebooks = [_notebook(folder / "01_dirty.ipynb", DIRTY),
                 _notebook(folder / "02_check.ipynb", CHECK)]
    report = run_year(load_params(mini_region()), notebooks=notebooks, lanes=1,
                      fresh_kernels=fresh, progress=lambda m: None).report_dir
    first = json.loads((report / "first.json").read_text())
    second = json.loads((report / "second.json").read_text())
    assert (second["pid"] == first["pid"]) is not fresh  # one process, or one each
    assert second["module_kept"] == (0 if fresh else 1)
    assert not second["leak"]
    assert second["dpi"] != 33 and second["max_rows"] == 60
    assert Path(second["cwd"]) == folder  # the notebooks' folder, as with separate kernels
    executed = nbformat.read(report / "notebooks" / "02_check.ipynb", as_version=4)
    counts = [c.execution_count for c in executed.cells if c.cell_type == "code"]
    assert counts == [1, 2, 3]  # In [1] again: a failing cell is named as in a fresh kernel


def test_heaviest_notebook_goes_to_the_kernel_that_validated() -> None:
    jobs = [Job(Path(f"{n}.ipynb"), Path("out"), n, w)
            for n, w in (("02_iid", 1), ("03_themes", 3), ("04_jury", 2))]
    two = assign(jobs, 2)
    assert [[j.label for j in lane] for lane in two] == [["03_themes"], ["04_jury", "02_iid"]]
    assert [j.label for j in assign(jobs, 1)[0]] == ["03_themes", "04_jury", "02_iid"]
    assert assign(jobs[:1], 3) == [[jobs[0]], [], []]


def test_a_kernel_that_dies_while_starting_is_started_again(tmp_path: Path, monkeypatch) -> None:
    # A kernel exits at once when another program took one of its ports first. A kernel
    # spec whose first launch exits (a real process, as such a kernel does) stands in for that.
    import sys

    from evalkit.kernels import NotebookKernel

    marker = tmp_path / "first-launch-done"
    spec = tmp_path / "kernels" / "dies-once"
    spec.mkdir(parents=True)
    launcher = (f"import pathlib, runpy, sys\n"
                f"m = pathlib.Path({str(marker)!r})\n"
                "if not m.exists():\n"
                "    m.touch(); sys.exit(1)\n"
                "sys.argv = ['ipykernel_launcher'] + sys.argv[1:]\n"
                "runpy.run_module('ipykernel_launcher', run_name='__main__')\n")
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", launcher, "-f", "{connection_file}"],
        "display_name": "dies once", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    kernel = NotebookKernel(tmp_path, kernel_name="dies-once")
    try:
        assert marker.exists() and kernel.alive()
        kernel.run_silently("x = 1")
    finally:
        kernel.shutdown()


@pytest.mark.slow
def test_every_notebook_on_a_kept_kernel_keeps_its_first_output(tmp_path: Path) -> None:
    # Connecting to a running kernel skips jupyter_client's wait_for_ready (a 0.2 s wait for
    # silence, twice a notebook); the reset's status messages prove that IOPub is live. A
    # notebook after notebook on one kernel keeps every output, the first included.
    from evalkit.kernels import NotebookKernel, execute_on

    notebook = _notebook(tmp_path / "01_print.ipynb",
                         'print("first", output_dir)\nimport sys; sys.stdout.flush()')
    kernel = NotebookKernel(tmp_path)
    try:
        for run in range(12):
            out = tmp_path / f"run-{run}.ipynb"
            execute_on(kernel, notebook, out, {"params_path": "", "output_dir": f"r{run}"})
            cell = nbformat.read(out, as_version=4).cells[-1]
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert text == f"first r{run}\n", (run, cell.outputs)
    finally:
        kernel.shutdown()


@pytest.mark.slow
def test_a_kernel_that_died_between_notebooks_is_said_at_once(tmp_path: Path) -> None:
    import time

    from evalkit.kernels import KernelDied, NotebookKernel, execute_on

    notebook = _notebook(tmp_path / "01.ipynb", "x = 1")
    kernel = NotebookKernel(tmp_path)
    try:
        execute_on(kernel, notebook, tmp_path / "a.ipynb", {"params_path": "", "output_dir": ""})
        kernel.kill()
        started = time.monotonic()
        with pytest.raises(KernelDied, match="between notebooks"):
            execute_on(kernel, notebook, tmp_path / "b.ipynb",
                       {"params_path": "", "output_dir": ""})
        assert time.monotonic() - started < 30  # not the 60 s ready timeout
    finally:
        kernel.shutdown()


class _LateSubscriber:
    """The kernel protocol as a client meets it when its IOPub subscription goes live only
    after the reset's status messages were published (they are lost, the probe's are not)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.shell: list[dict] = []
        self.iopub: list[dict] = []

    def _send(self, kind: str) -> str:
        msg_id = f"{kind}-{len(self.sent)}"
        self.sent.append(msg_id)
        self.shell.append({"parent_header": {"msg_id": msg_id},
                           "content": {"status": "ok"}})
        if kind == "kernel_info":  # live by now: busy and idle arrive
            for state in ("busy", "idle"):
                self.iopub.append({"msg_type": "status", "parent_header": {"msg_id": msg_id},
                                   "content": {"execution_state": state}})
        return msg_id

    def execute(self, code: str, **kwargs: object) -> str:
        return self._send("execute")

    def kernel_info(self) -> str:
        return self._send("kernel_info")

    async def get_shell_msg(self, timeout: float) -> dict:
        from queue import Empty

        if not self.shell:
            raise Empty
        return self.shell.pop(0)

    async def get_iopub_msg(self, timeout: float) -> dict:
        from queue import Empty

        if not self.iopub:
            raise Empty
        return self.iopub.pop(0)


def test_reset_probes_iopub_when_its_own_status_was_missed() -> None:
    import asyncio

    from evalkit.kernels import reset_through

    client = _LateSubscriber()
    asyncio.run(reset_through(client, alive=lambda: True, timeout=5))
    assert client.sent == ["execute-0", "kernel_info-1"] and not client.iopub
