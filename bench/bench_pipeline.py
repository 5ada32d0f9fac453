"""Times the stages of `evalkit run` on the bundled sample (validation, each notebook, render).

Usage: python bench/bench_pipeline.py [params/2025.yaml] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("params", nargs="?", default=str(ROOT / "params" / "2025.yaml"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    from evalkit.config import load_params
    from evalkit.pipeline import run_year

    import_s = time.perf_counter() - started
    params = load_params(args.params)
    print(f"import evalkit: {import_s:.2f} s")
    for attempt in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            result = run_year(params, out_root=Path(out), progress=lambda m: None)
            total = time.perf_counter() - t0
        for stage, seconds in result.record.notebooks.items():
            print(f"run {attempt}: {stage:<14} {seconds:6.2f} s")
        print(f"run {attempt}: total          {total:6.2f} s")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: runner {own:.0f} MB, largest kernel {kids:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
