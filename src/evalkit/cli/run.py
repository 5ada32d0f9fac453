"""``evalkit run``: the whole yearly pipeline for one or more params files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from evalkit.cli import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    UsageError,
    detail,
    examples,
    print_input_error,
    print_json,
    say,
)


def parse_formats(text: str | None) -> tuple[str, ...] | None:
    from evalkit.config import FORMATS

    if text is None:
        return None
    formats = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"--to takes a comma-separated list of {', '.join(FORMATS)}; "
                         f"got '{text}'")
    return formats


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="validate, execute the notebooks, render the report, write the manifest",
        description="For each params file: validate the year's inputs (nothing runs when they "
                    "are invalid), execute the notebooks, render the report and write its "
                    "manifest, all in a temporary folder that replaces <out>/<year> only when "
                    "everything succeeded. An existing <year> folder is replaced only if "
                    "evalkit wrote it. YAML files that are not run params (a taxonomy, say) "
                    "are skipped with a note, so a glob such as params/*.yaml works. Several "
                    "regions (or --workers, --scheduler, --skip-current, --json) run as a "
                    "batch, one task per region-year, with a summary at the end. Exit status: "
                    "the worst of the runs (1 if any params file is invalid, 3 if a notebook "
                    "failed).",
        epilog=examples("evalkit run --params params/2025.yaml",
                        "evalkit run --params params/*.yaml",
                        "evalkit run --params params/2025.yaml --to html --out /tmp/reports",
                        "evalkit run --params params/bengkulu/*.yaml --workers 2 --skip-current",
                        "evalkit run --params params/2025.yaml --json --quiet"))
    parser.add_argument("--params", nargs="+", required=True, type=Path, metavar="YAML",
                        help="one params file per year (params/*.yaml gives one report each)")
    parser.add_argument("--to", dest="formats", metavar="FORMATS",
                        help="formats to render, e.g. html,pdf (default: the params' formats)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="folder to hold <year>/ reports, <region>/<year>/ with several "
                        "regions (default: the params' output_dir)")
    parser.add_argument("--workers", type=int, metavar="N", default=0,
                        help="run region-years side by side on N local worker processes")
    parser.add_argument("--lanes", type=_lanes, metavar="N", default=None,
                        help="kernels side by side for one region-year's analysis notebooks "
                        "(default 1; each more costs a kernel start and about 0.4 GB at 5,000 "
                        "innovations, and pays only where cores are free beyond two)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run region-years on an existing Dask cluster, e.g. tcp://host:8786")
    parser.add_argument("--skip-current", action="store_true",
                        help="leave alone a report whose manifest still matches its inputs")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object on stdout: every region-year's outcome")
    parser.set_defaults(func=run)


def _lanes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def run_params_files(args: argparse.Namespace) -> list[Path]:
    """The files that hold run settings; the others are named and skipped."""
    from evalkit.config import is_run_params_file

    chosen = []
    for path in args.params:
        if is_run_params_file(path):
            chosen.append(path)
        else:
            say(args, f"evalkit: skipping {path}: not a run params file (no region, year or "
                      "data_dir; a taxonomy or rubric, say)")
    return chosen


def run(args: argparse.Namespace) -> int:
    from evalkit import batch
    from evalkit.issues import InputError, Issue

    formats = parse_formats(args.formats)
    files = run_params_files(args)
    if not files:
        raise InputError([Issue("error", "none of the given files is a run params file",
                                file=", ".join(str(p) for p in args.params))])
    if (args.workers or args.scheduler or args.skip_current or args.json
            or batch.several_regions(files)):
        return run_many(args, files, formats)
    return run_each(args, files, formats)


def run_each(args: argparse.Namespace, files: list[Path],
             formats: tuple[str, ...] | None) -> int:
    """One region's years, one after another in this process, with progress as they go."""
    from evalkit.config import load_params
    from evalkit.issues import InputError
    from evalkit.pipeline import NotebookFailed, run_year

    status = EXIT_OK
    here = os.getcwd()
    for params_file in files:
        try:
            params = load_params(params_file)
            result = run_year(params, formats=formats, out_root=args.out,
                              progress=lambda m: say(args, m), lanes=args.lanes)
        except InputError as exc:
            say(args, f"evalkit: {params_file}: nothing was written")
            print_input_error(exc, args)
            status = max(status, EXIT_INPUT)
            continue
        except NotebookFailed as exc:
            print(f"evalkit: {params_file}: {exc}", file=sys.stderr)
            print("evalkit: the previous report (if any) is unchanged", file=sys.stderr)
            status = EXIT_INTERNAL
            continue
        finally:
            os.chdir(here)  # papermill executes in the notebooks' folder
        for name, seconds in result.record.notebooks.items():
            detail(args, f"[{params.year}] {name}: {seconds:.1f} s")
        for warning in result.record.render.get("warnings", []):
            detail(args, f"[{params.year}] render warning: {warning}")
        for kind, path in result.outputs.items():
            print(f"{kind}: {path}")
    return status


def run_many(args: argparse.Namespace, files: list[Path],
             formats: tuple[str, ...] | None) -> int:
    """Several region-years: in parallel, a failing one never stops the others, a summary."""
    import time

    from evalkit import batch

    if args.workers < 0:
        raise UsageError(f"--workers takes a positive number; got {args.workers}")
    started = time.perf_counter()
    try:
        work = batch.plan(files, args.out, formats, args.skip_current)
    except batch.BatchError as exc:
        raise UsageError(str(exc)) from exc
    say(args, f"evalkit: {work.total} region-year(s) on "
              + (args.scheduler or f"{max(1, args.workers)} local worker(s)"))
    finished: set[Path] = set()

    def done(outcome: batch.Outcome, count: int, total: int) -> None:
        finished.add(Path(outcome.report))
        say(args, batch.progress_line(outcome, count, total))

    try:
        outcomes = batch.run_plan(work, args.workers, args.scheduler, on_done=done)
    except KeyboardInterrupt:
        batch.remove_leftovers(work.tasks, finished)
        raise
    if args.json:
        print_json(batch.summary_json(outcomes, time.perf_counter() - started))
    else:
        print(batch.summary_table(outcomes))
    return batch.exit_code(outcomes)
