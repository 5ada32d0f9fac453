"""Times `evalkit run` on the bundled sample against its kernel floor, in one process, side by
side: the floor is papermill executing one empty notebook that imports what the notebooks
import (kernel start-up plus imports, the least any run can cost). Runs on one kernel (the
default), on two side by side (--lanes 2), and with a fresh kernel per notebook (the old way)
alternate with the floor so that all see the same machine load; each run's own ratio is to
the floor measured just before it.

Goal (issue 11): the sample's run under 3 x the floor.

Usage: python bench/bench_pipeline.py [params/2025.yaml] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def floor_notebook(folder: Path) -> Path:
    """An empty notebook with the notebooks' imports (what a kernel warms up with)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from evalkit.kernels import warm_up_code
    from evalkit.pipeline import notebook_paths

    nb = new_notebook(cells=[new_code_cell(warm_up_code(notebook_paths()))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def time_floor(notebook: Path) -> float:
    import papermill

    started = time.perf_counter()
    papermill.execute_notebook(str(notebook), str(notebook.with_name("floor-out.ipynb")),
                               kernel_name="python3", progress_bar=False,
                               extra_arguments=["--IPKernelApp.log_level=ERROR"])
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("params", nargs="?", default=str(ROOT / "params" / "2025.yaml"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    import papermill  # noqa: F401  (the floor's own import is not part of the floor)

    from evalkit.config import load_params
    from evalkit.pipeline import run_year

    print(f"import evalkit + papermill: {time.perf_counter() - started:.2f} s")
    params = load_params(args.params)
    modes = {"one kernel (default)": {}, "2 lanes": {"lanes": 2},
             "fresh kernel per notebook": {"fresh_kernels": True}}
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        notebook = floor_notebook(Path(scratch))
        for attempt in range(1, args.repeat + 1):
            for mode, options in modes.items():
                floor = time_floor(notebook)
                best["floor"] = min(best.get("floor", floor), floor)
                out = Path(scratch) / f"{attempt}-{mode.replace(' ', '-')}"
                t0 = time.perf_counter()
                result = run_year(params, out_root=out, progress=lambda m: None, **options)
                total = time.perf_counter() - t0
                best[mode] = min(best.get(mode, total), total)
                steps = ", ".join(f"{k} {v:.1f}" for k, v in result.record.notebooks.items())
                print(f"run {attempt} {mode:<26} {total:6.2f} s (floor beside it {floor:.2f} s;"
                      f" {total / floor:.2f} x)\n      {steps}", flush=True)
    floor = best["floor"]
    print(f"kernel floor (best of {args.repeat * len(modes)}): {floor:.2f} s")
    for mode in modes:
        print(f"{mode:<26} best {best[mode]:6.2f} s = {best[mode] / floor:.2f} x the floor"
              + (" (goal < 3)" if mode == "one kernel (default)" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
