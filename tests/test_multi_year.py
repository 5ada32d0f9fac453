"""`make reports` (the README's `evalkit run --params params/*.yaml`) on the checkout as it is
(issue 15 item 2): the shell expands the real glob, relative paths survive the notebooks
changing the working folder, YAML that is not run params is skipped with a note, and every
year's report is written (the sample's CSV years and its IID-export year are two regions, so
they are written as a batch, <out>/<region>/<year>/). Reports go to a temporary folder (OUT=),
HTML only (TO=) to keep the suite short."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from evalkit.config import is_run_params_file, load_params

pytestmark = pytest.mark.slow


def test_make_reports_with_the_real_glob(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    proc = subprocess.run(["make", "--no-print-directory", "reports", f"OUT={out}", "TO=html"],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    globbed = sorted((ROOT / "params").glob("*.yaml"))
    years = [p for p in globbed if is_run_params_file(p)]
    assert len(years) >= 3
    for other in sorted(set(globbed) - set(years)):
        assert f"skipping {other}: not a run params file" in proc.stderr
    loaded = [load_params(p) for p in years]
    several = len({p.region for p in loaded}) > 1  # then <out>/<region>/<year>/, as a batch
    for params, run in zip(years, loaded, strict=True):
        report = out / run.region / str(run.year) if several else out / str(run.year)
        manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["params_file"] == f"params/{params.name}"
        assert (report / "report.html").is_file()
    assert "params file not found" not in proc.stderr
