"""``evalkit validate``: check a year's inputs and print a data-quality summary."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING

from evalkit.cli import (
    EXIT_INPUT,
    EXIT_OK,
    add_params_option,
    examples,
    issue_lines,
    print_json,
)

if TYPE_CHECKING:
    from evalkit.config import RunParams
    from evalkit.issues import Issue


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check a year's inputs; exit 1 on errors",
        description="Read the params file and every table of its year, and list each problem "
                    "with its file, sheet, row and column. Errors (exit 1) stop a run; "
                    "warnings are shown in the report's data-quality chapter. Nothing is "
                    "written.",
        epilog=examples("evalkit validate --params params/2025.yaml",
                        "evalkit validate --params params/2025.yaml --json"))
    add_params_option(parser)
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (rows per table, every issue) on stdout")
    parser.set_defaults(func=validate)


def summary_lines(frames: dict, issues: list[Issue]) -> list[str]:
    lines = ["table                 rows"]
    lines += [f"{name:<20} {len(frame):>6}" for name, frame in frames.items()]
    counts = Counter(i.severity for i in issues)
    lines.append(f"errors: {counts.get('error', 0)}, warnings: {counts.get('warning', 0)}")
    return lines


def rubric_issues(params: RunParams, frames: dict | None = None) -> list[Issue]:
    """The IID rubric the run would use: its problems, a warning when it is of another year
    than the report, indicators of the year's tables it does not score, and the problems of
    the cost table."""
    import pandas as pd

    from evalkit.iid.workflow import cost_table_issues
    from evalkit.iid.workflow import rubric_issues as iid_rubric_issues

    frames = frames or {}
    empty = pd.DataFrame()
    return iid_rubric_issues(params, frames.get("region_indicators", empty),
                             frames.get("evidence", empty), other_year=True
                             ) + cost_table_issues(params)


def validate(args: argparse.Namespace) -> int:
    from evalkit.config import load_params
    from evalkit.inputs.validate import check_params_year
    from evalkit.issues import group_issues

    params = load_params(args.params)
    checked = check_params_year(params)
    from evalkit.themes.workflow import input_issues as themes_issues

    frames = checked.frames
    issues = [*checked.issues, *rubric_issues(params, frames), *themes_issues(params)]
    errors = [i for i in issues if i.severity == "error"]
    if args.json:
        print_json({"ok": not errors, "exit_code": EXIT_INPUT if errors else EXIT_OK,
                    "year": params.year, "valid": not errors,
                    "rows": {n: len(f) for n, f in frames.items()},
                    "units_source": checked.units_source,
                    "profiles": checked.profiles,
                    "groups": [g.to_dict() for g in group_issues(issues)],
                    "issues": [i.to_dict() for i in issues]})
    else:
        grouped = args.verbosity < 2
        for line in issue_lines(errors, grouped):
            print(f"  {line}", file=sys.stderr)
        if args.verbosity >= 1:
            for line in issue_lines([i for i in issues if i.severity != "error"], grouped):
                print(f"  {line}")
        print("\n".join(summary_lines(frames, issues)))
    return EXIT_INPUT if errors else EXIT_OK
