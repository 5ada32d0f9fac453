"""``evalkit run``: the whole yearly pipeline for one or more params files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evalkit.cli import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, UsageError
from evalkit.config import FORMATS, load_params


def parse_formats(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"--to takes a comma-separated list of {', '.join(FORMATS)}; "
                         f"got {text!r}")
    return formats


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="validate, execute the notebooks, render the report, write the manifest")
    parser.add_argument("--params", nargs="+", required=True, type=Path, metavar="YAML",
                        help="one params file per year (params/*.yaml gives one report each)")
    parser.add_argument("--to", dest="formats", metavar="FORMATS",
                        help="formats to render, e.g. html,pdf (default: the params' formats)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="folder to hold <year>/ reports, <region>/<year>/ with several "
                        "regions (default: the params' output_dir)")
    parser.add_argument("--workers", type=int, metavar="N", default=0,
                        help="run region-years side by side on N local worker processes")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run region-years on an existing Dask cluster, e.g. tcp://host:8786")
    parser.add_argument("--skip-current", action="store_true",
                        help="leave alone a report whose manifest still matches its inputs")
    parser.add_argument("--json", action="store_true",
                        help="print the summary of the region-years as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from evalkit.cli import print_input_error
    from evalkit.issues import InputError
    from evalkit.pipeline import NotebookFailed, run_year

    formats = parse_formats(args.formats)
    from evalkit import batch

    if (args.workers or args.scheduler or args.skip_current or args.json
            or batch.several_regions(args.params)):
        return run_many(args, formats)
    status = EXIT_OK
    for params_file in args.params:
        try:
            params = load_params(params_file)
            result = run_year(params, formats=formats, out_root=args.out,
                              progress=lambda m: print(m, file=sys.stderr, flush=True))
        except InputError as exc:
            print(f"evalkit: {params_file}: input is invalid; nothing was written",
                  file=sys.stderr)
            print_input_error(exc)
            status = max(status, EXIT_INPUT)
            continue
        except NotebookFailed as exc:
            print(f"evalkit: {params_file}: {exc}", file=sys.stderr)
            print("evalkit: the previous report (if any) is unchanged", file=sys.stderr)
            status = EXIT_INTERNAL
            continue
        for kind, path in result.outputs.items():
            print(f"{kind}: {path}")
    return status


def run_many(args: argparse.Namespace, formats: tuple[str, ...] | None) -> int:
    """Several region-years: in parallel, a failing one never stops the others, a summary."""
    import json
    import time

    from evalkit import batch

    if args.workers < 0:
        raise UsageError(f"--workers takes a positive number; got {args.workers}")
    started = time.perf_counter()
    try:
        work = batch.plan(args.params, args.out, formats, args.skip_current)
    except batch.BatchError as exc:
        raise UsageError(str(exc)) from exc
    print(f"evalkit: {work.total} region-year(s) on "
          + (args.scheduler or f"{max(1, args.workers)} local worker(s)"), file=sys.stderr)
    finished: set[Path] = set()

    def done(outcome: batch.Outcome, count: int, total: int) -> None:
        finished.add(Path(outcome.report))
        print(batch.progress_line(outcome, count, total), file=sys.stderr, flush=True)

    try:
        outcomes = batch.run_plan(work, args.workers, args.scheduler, on_done=done)
    except KeyboardInterrupt:
        batch.remove_leftovers(work.tasks, finished)
        raise
    if args.json:
        print(json.dumps(batch.summary_json(outcomes, time.perf_counter() - started),
                         ensure_ascii=False))
    else:
        print(batch.summary_table(outcomes))
    return batch.exit_code(outcomes)
