"""`evalkit run` at province sizes: wall time, peak memory of the whole run (runner plus every
kernel and renderer, sampled), each notebook's seconds, PDF pages, HTML size and the tallest
figure, for made-up regions of 36, 700 and 5,000 innovations (evalkit.inputs.synthetic).

Goals (issue 11): 5,000 innovations in under 3 x the time of 700 and under 1.5 GB peak; its
report under 40 PDF pages, under 5 MB of HTML (attachments aside: the full tables embedded as
downloads) and no figure taller than 4,000 px. The words on the PDF's first page (the summary)
are printed too.

Usage: python bench/bench_scale.py [--sizes 36,700,5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


class PeakMemory:
    """Samples the summed RSS of this process and all its descendants every ``every`` s."""

    def __init__(self, every: float = 0.1):
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self.at_peak: list[tuple[str, int]] = []  # (process, RSS) when the sum peaked
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            parts = []
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    kernel = "ipykernel" in " ".join(proc.cmdline())
                    name = "runner" if proc.pid == me.pid else "kernel" if kernel else proc.name()
                    parts.append((name, proc.memory_info().rss))
            total = sum(rss for _, rss in parts)
            if total > self.peak:
                self.peak, self.at_peak = total, sorted(parts, key=lambda p: -p[1])
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (kernels, pandoc): less sensitive
    to other load on the machine than wall time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    with path.open("rb") as handle:
        head = handle.read(24)
    return struct.unpack(">II", head[16:24])


def report_figures(report: Path) -> dict[str, object]:
    from pypdf import PdfReader

    figures = sorted((report / "figures").glob("*.png"))
    tallest = max(((png_size(p)[1], p.name) for p in figures), default=(0, "-"))
    html = report / "report.html"
    pdf = report / "report.pdf"
    text = html.read_text(encoding="utf-8") if html.is_file() else ""
    reader = PdfReader(pdf) if pdf.is_file() else None
    first_words = len(reader.pages[0].extract_text().split()) if reader else 0
    return {"pdf_pages": len(reader.pages) if reader else 0,
            "html_mb": len(text.encode()) / 1e6,
            # the embedded attachments (full tables as downloads) are not what a reader loads
            "html_body_mb": len(_DATA_LINK.sub("", text).encode()) / 1e6,
            "first_page_words": first_words,
            "attachments": len(list((report / "attachments").glob("*.csv"))),
            "tallest_px": tallest[0], "tallest": tallest[1]}


_DATA_LINK = re.compile(r'href="data:[^"]*"')


def run_size(innovations: int, root: Path, lanes: int | None = None) -> dict[str, object]:
    from evalkit.config import load_params
    from evalkit.inputs.synthetic import RegionSpec, write_region
    from evalkit.pipeline import run_year

    if innovations == 36:  # the bundled sample's size: the sample itself
        params = load_params(ROOT / "params" / "2025.yaml")
    else:
        spec = RegionSpec(name=f"Provinsi Contoh {innovations}", slug=f"contoh{innovations}",
                          innovations=innovations, seed=innovations)
        params = load_params(write_region(spec, root))
    out = root / f"reports-{innovations}-{lanes or 'default'}"
    cpu_before = cpu_seconds()
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = run_year(params, out_root=out, progress=lambda m: None, lanes=lanes)
        wall = time.perf_counter() - started
    parts = ", ".join(f"{name} {rss / 1e9:.2f}" for name, rss in memory.at_peak[:4])
    return {"innovations": innovations, "wall_s": wall, "peak_gb": memory.peak / 1e9,
            "cpu_s": cpu_seconds() - cpu_before,
            "peak_parts": parts,
            "notebooks": dict(result.record.notebooks), **report_figures(result.report_dir)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="36,700,5000")
    parser.add_argument("--keep", type=Path, help="write regions and reports here (kept)")
    parser.add_argument("--lanes", type=int, help="kernels side by side (default: the run's)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:  # one size, in a process of its own: print its row as JSON
        print(json.dumps(run_size(sizes[0], args.keep, args.lanes)), flush=True)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        rows = []
        for size in sizes:
            # each size in a fresh process, as `evalkit run` is: a runner that ran the
            # smaller sizes first would carry their memory into the larger one's peak
            command = [sys.executable, __file__, "--sizes", str(size), "--keep", str(root),
                       "--child"] + (["--lanes", str(args.lanes)] if args.lanes else [])
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            steps = ", ".join(f"{k} {v:.1f}" for k, v in row["notebooks"].items())
            print(f"{size:>6} innovations: {row['wall_s']:7.1f} s (CPU {row['cpu_s']:.0f} s), "
                  f"peak {row['peak_gb']:.2f} GB,"
                  f" PDF {row['pdf_pages']} pages ({row['first_page_words']} words on page 1),"
                  f" HTML {row['html_body_mb']:.1f} MB ({row['html_mb']:.1f} MB with"
                  f" {row['attachments']} full tables attached), tallest figure"
                  f" {row['tallest_px']} px ({row['tallest']})\n        seconds: {steps}"
                  f"\n        at peak (GB): {row['peak_parts']}",
                  flush=True)
    by_size = {r["innovations"]: r for r in rows}
    if 700 in by_size and 5000 in by_size:
        ratio = by_size[5000]["wall_s"] / by_size[700]["wall_s"]
        print(f"5,000 / 700 wall time: {ratio:.2f} x (goal < 3); 5,000 peak "
              f"{by_size[5000]['peak_gb']:.2f} GB (goal < 1.5)")
    if 5000 in by_size:
        big = by_size[5000]
        print(f"5,000 report: {big['pdf_pages']} PDF pages (goal < 40), "
              f"{big['html_body_mb']:.1f} MB HTML without attachments (goal < 5), tallest "
              f"figure {big['tallest_px']} px (goal <= 4000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
