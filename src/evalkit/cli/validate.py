"""``evalkit validate``: check a year's inputs and print a data-quality summary."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from evalkit.cli import EXIT_INPUT, EXIT_OK
from evalkit.config import RunParams, load_params
from evalkit.inputs.validate import check_params_year
from evalkit.issues import InputError, Issue, format_groups, group_issues


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("validate", help="check a year's inputs; exit 1 on errors")
    parser.add_argument("--params", required=True, type=Path, metavar="YAML")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=validate)


def summary_lines(frames: dict, issues: list[Issue]) -> list[str]:
    lines = ["table                 rows"]
    lines += [f"{name:<20} {len(frame):>6}" for name, frame in frames.items()]
    counts = Counter(i.severity for i in issues)
    lines.append(f"errors: {counts.get('error', 0)}, warnings: {counts.get('warning', 0)}")
    return lines


def rubric_issues(params: RunParams) -> list[Issue]:
    """The IID rubric the run would use: its problems, or a warning when it is of another
    year than the report."""
    from evalkit.iid.workflow import open_rubric, rubric_year_issue

    if "iid" not in params.report.chapters:
        return []
    try:
        rubric, _ = open_rubric(params)
    except InputError as exc:
        return exc.issues
    found = rubric_year_issue(rubric, params.year) if rubric is not None else None
    return [found] if found is not None else []


def validate(args: argparse.Namespace) -> int:
    params = load_params(args.params)
    checked = check_params_year(params)
    frames, issues = checked.frames, [*checked.issues, *rubric_issues(params)]
    errors = [i for i in issues if i.severity == "error"]
    groups = group_issues(issues)
    if args.json:
        print(json.dumps({"year": params.year, "valid": not errors,
                          "rows": {n: len(f) for n, f in frames.items()},
                          "units_source": checked.units_source,
                          "profiles": checked.profiles,
                          "groups": [g.to_dict() for g in groups],
                          "issues": [i.to_dict() for i in issues]}, ensure_ascii=False))
    else:
        for group in groups:
            stream = sys.stderr if group.severity == "error" else sys.stdout
            print("\n".join(format_groups([group])), file=stream)
        print("\n".join(summary_lines(frames, issues)))
    return EXIT_INPUT if errors else EXIT_OK
