"""Notebook 04_jury runs unattended (the form never blocks) and writes the jury artifacts."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from test_jury_support import make_region

from evalkit.artifacts import has_table
from evalkit.jury.workflow import ARTIFACTS

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04_jury.ipynb"


def test_notebook_is_committed_without_outputs_and_has_the_two_parameters():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in nb.cells if c.cell_type == "code")
    (params_cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert "params_path =" in params_cell.source and "output_dir =" in params_cell.source


@pytest.mark.slow
def test_notebook_runs_with_papermill(tmp_path):
    from evalkit.config import load_params
    from evalkit.pipeline import execute

    params = make_region(tmp_path)
    out = tmp_path / "out"
    execute(NOTEBOOK, tmp_path / "run.ipynb", load_params(params), out)
    assert all(has_table(out, name) for name in ARTIFACTS)
