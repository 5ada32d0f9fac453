"""Times the start of the `evalkit` command: `--help`, `--version` and `run --help`, each a
fresh process of the installed console script (what a user or a cron job pays every call).
The target is under 0.3 s for `--help`: the command modules import pandas, papermill and the
domain packages only inside the commands. Also lists the heaviest modules `evalkit --help`
imports (python -X importtime), so a regression names its cause.

Usage: python bench/bench_cli.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TARGET_S = 0.3


def timed(argv: list[str], repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        seconds.append(time.perf_counter() - started)
    return seconds


def heaviest_imports(n: int = 5) -> list[tuple[int, str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c",
         "from evalkit.cli import build_parser; build_parser()"],
        capture_output=True, text=True, check=True)
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    evalkit = str(BIN / "evalkit")
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")
    print(f"{'command':<22} {'min s':>7} {'median s':>9} {'max s':>7}")
    medians = {}
    for label, argv in (("evalkit --help", [evalkit, "--help"]),
                        ("evalkit --version", [evalkit, "--version"]),
                        ("evalkit run --help", [evalkit, "run", "--help"]),
                        ("python -c pass", [sys.executable, "-c", "pass"])):
        seconds = timed(argv, args.repeat)
        medians[label] = statistics.median(seconds)
        print(f"{label:<22} {min(seconds):7.3f} {medians[label]:9.3f} {max(seconds):7.3f}")
    print("heaviest imports of `evalkit --help` (cumulative microseconds):")
    for micros, name in heaviest_imports():
        print(f"  {micros:>8}  {name.strip()}")
    verdict = "under" if medians["evalkit --help"] < TARGET_S else "OVER"
    print(f"evalkit --help median {medians['evalkit --help']:.3f} s: {verdict} the "
          f"{TARGET_S} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
