"""Benchmark: many regions. Prints, for a national synthetic set (550 made-up regions of about
70 innovations each, tools/make_province.py):

1. IID scoring of all regions at once (one vectorised ``score`` call, both modes);
2. yearly reports for N regions (default 20) with 1 and 2 local workers and through a Dask
   LocalCluster over loopback TCP (``--scheduler``): wall time, per-region cost, scaling
   efficiency, and the marginal cost per region against the kernel floor (papermill executing
   one notebook that imports what the notebooks import);
3. the comparison report over all regions (member artifacts written from the national scoring
   and one theme model over every innovation, then ``evalkit compare``): time, pages, HTML size.

Run with ``make bench`` or ``python bench/bench_regions.py [--regions 20] [--national 550]``.
Timings depend on the machine's load; say so when you quote them.
"""

from __future__ import annotations

import argparse
import importlib
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def generator():
    sys.path.insert(0, str(ROOT / "tools"))
    return importlib.import_module("make_province")


def national_frames(gen, specs, year: int) -> dict[str, pd.DataFrame]:
    """Canonical tables of every region of the set for one year, with ``region_id``."""
    parts: dict[str, list[pd.DataFrame]] = {"units": [], "innovations": [], "evidence": [],
                                            "region_indicators": []}
    for spec in specs:
        tables = gen.region_tables(spec, year)
        for name in parts:
            rows = tables[name]
            frame = pd.DataFrame(rows[1:], columns=rows[0])
            frame.insert(0, "region_id", spec.region_id)
            parts[name].append(frame)
    out = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
    for column in ("claimed_level", "verified_level"):
        out["evidence"][column] = pd.to_numeric(out["evidence"][column]).astype("Int64")
    out["region_indicators"]["level"] = pd.to_numeric(
        out["region_indicators"]["level"]).astype("Int64")
    out["innovations"]["year"] = out["innovations"]["year"].astype("int64")
    return out


def bench_scoring(gen, specs) -> dict[int, object]:
    from evalkit.iid.engine import score
    from evalkit.iid.rubric import load_rubric

    results = {}
    for year in (2024, 2025):
        rubric = load_rubric(ROOT / "src" / "evalkit" / "iid" / "rubrics" / f"iid-{year}.yaml")
        frames = national_frames(gen, specs, year)
        args = (rubric, frames["region_indicators"], frames["innovations"], frames["evidence"])
        started = time.perf_counter()
        verified = score(*args, mode="verified")
        middle = time.perf_counter()
        score(*args, mode="claimed")
        done = time.perf_counter()
        results[year] = (verified, frames)
        if year == 2025:
            print(f"  IID scoring, all {len(specs)} regions at once ({len(frames['innovations']):,}"
                  f" innovations, {len(frames['evidence']):,} evidence rows): verified "
                  f"{middle - started:.2f} s, + claimed {done - middle:.2f} s")
    return results


def kernel_floor() -> float:
    """papermill executing one notebook that imports what the pipeline's notebooks import."""
    import nbformat
    import papermill
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(
        "import evalkit.overview, evalkit.iid, evalkit.themes, evalkit.report\n"
        "import pandas, matplotlib.pyplot")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "floor.ipynb"
        nbformat.write(nb, path)
        started = time.perf_counter()
        papermill.execute_notebook(str(path), str(path), kernel_name="python3",
                                   progress_bar=False)
        return time.perf_counter() - started


def bench_runs(gen, regions: int, work: Path) -> None:
    from distributed import LocalCluster

    from evalkit import batch

    files = gen.write_national(work / "runs", regions)
    floor = kernel_floor()
    timings = {}
    for label, workers, scheduler in (("1 local worker", 1, None), ("2 local workers", 2, None),
                                      ("LocalCluster over TCP", 2, "cluster")):
        out = work / f"out-{label.split()[0]}-{workers}-{scheduler or 'local'}"
        plan = batch.plan(files, out=out)
        started = time.perf_counter()
        if scheduler:
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as cluster:
                outcomes = batch.run_plan(plan, scheduler=cluster.scheduler_address)
        else:
            outcomes = batch.run_plan(plan, workers=workers)
        wall = time.perf_counter() - started
        failed = [o for o in outcomes if o.status != batch.OK]
        mean_task = sum(o.seconds for o in outcomes) / len(outcomes)
        timings[label] = wall
        print(f"  {regions} yearly reports, {label}: {wall:7.1f} s wall, {wall / regions:5.1f} s"
              f" per region, mean task {mean_task:5.1f} s" + (f", {len(failed)} FAILED"
                                                             if failed else ""))
    one = timings["1 local worker"]
    for label in ("2 local workers", "LocalCluster over TCP"):
        print(f"  scaling efficiency, {label}: {one / (2 * timings[label]):.0%} "
              f"(speed-up {one / timings[label]:.2f} x on 2 cores)")
    print(f"  kernel floor (papermill, one notebook with the imports): {floor:.1f} s; a region "
          f"on 1 worker costs {one / regions:.1f} s = {one / regions / floor:.1f} x the floor")


def bench_compare(gen, specs, scored: dict[int, object], work: Path) -> None:
    from evalkit.artifacts import write_table
    from evalkit.comparison import resolve, run_compare
    from evalkit.overview.participation import unit_coverage
    from evalkit.themes.classifier import ThemeClassifier
    from evalkit.themes.taxonomy import load_taxonomy

    files = gen.write_national(work / "members", len(specs))  # params only are needed
    taxonomy = load_taxonomy()  # the taxonomy shipped in the package
    started = time.perf_counter()
    for year, (result, frames) in scored.items():
        inno = frames["innovations"].assign(unit=frames["innovations"]["unit_id"])
        model = ThemeClassifier(taxonomy, random_state=0)
        themes = model.fit_assign(inno[["title", "description", "unit"]], [None] * len(inno))
        assigned = inno.assign(theme=themes["theme"].to_numpy(),
                               confidence=themes["confidence"].to_numpy(),
                               unit_name=inno["unit_id"], year=year)
        by_region = {name: result_part for name, result_part in (
            ("summary", result.summary), ("region_points", result.region_points),
            ("points", result.points), ("innovations", result.innovations))}
        groups = {k: dict(tuple(v.groupby("region_id"))) for k, v in by_region.items()}
        units = dict(tuple(frames["units"].groupby("region_id")))
        innos = dict(tuple(frames["innovations"].groupby("region_id")))
        themed = dict(tuple(assigned.groupby("region_id")))
        for spec in specs:
            out = work / "members" / "reports" / spec.region_id / str(year)
            rid = spec.region_id
            write_table(groups["summary"][rid].drop(columns="region_id"), out, "iid_summary")
            write_table(groups["region_points"][rid].drop(columns="region_id"), out, "iid_region")
            write_table(groups["points"][rid].drop(columns="region_id"), out, "iid_points")
            write_table(groups["innovations"][rid].drop(columns="region_id"), out,
                        "iid_innovations")
            write_table(unit_coverage(units[rid], innos[rid]), out, "participation_units")
            write_table(themed[rid].drop(columns="region_id"), out, "themes_assigned")
            write_table(pd.DataFrame(columns=["year", "score", "predicate", "rank",
                                              "rank_out_of", "scope"]), out, "history")
    print(f"  member artifacts of {len(specs)} regions x 2 years written in "
          f"{time.perf_counter() - started:.1f} s (not part of the comparison)")
    spec = resolve(files, out=work / "compare")
    started = time.perf_counter()
    result = run_compare(spec, progress=lambda m: None)
    wall = time.perf_counter() - started
    from pypdf import PdfReader

    pages = len(PdfReader(result.outputs["pdf"]).pages)
    html = result.outputs["html"].stat().st_size / 2**20
    timings = __import__("json").loads((result.report_dir / "manifest.json").read_text())[
        "timings_s"]
    print(f"  comparison report over {len(specs)} regions: {wall:.1f} s (notebook "
          f"{timings['06_compare']:.1f} s, render {timings['render']:.1f} s); PDF {pages} pages, "
          f"HTML {html:.2f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=int, default=550, help="regions in the national set")
    parser.add_argument("--regions", type=int, default=20, help="regions for the yearly runs")
    parser.add_argument("--skip-runs", action="store_true", help="leave out part 2")
    args = parser.parse_args(argv)
    gen = generator()
    specs = gen.national(args.national)
    print(f"bench_regions: national set of {len(specs)} made-up regions "
          f"(mean {sum(s.innovations[2025] for s in specs) / len(specs):.0f} innovations)")
    with tempfile.TemporaryDirectory(prefix="evalkit-bench-regions-") as tmp:
        work = Path(tmp)
        scored = bench_scoring(gen, specs)
        if not args.skip_runs:
            bench_runs(gen, args.regions, work)
        bench_compare(gen, specs, scored, work)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of the benchmark process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
