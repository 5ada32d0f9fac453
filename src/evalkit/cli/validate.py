"""``evalkit validate``: check a year's inputs and print a data-quality summary."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from evalkit.cli import EXIT_INPUT, EXIT_OK
from evalkit.config import load_params
from evalkit.inputs.validate import validate_year
from evalkit.issues import Issue


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


def validate(args: argparse.Namespace) -> int:
    params = load_params(args.params)
    frames, issues, _ = validate_year(params.year_dir, params.year)
    errors = [i for i in issues if i.severity == "error"]
    if args.json:
        print(json.dumps({"year": params.year, "valid": not errors,
                          "rows": {n: len(f) for n, f in frames.items()},
                          "issues": [i.to_dict() for i in issues]}, ensure_ascii=False))
    else:
        for issue in issues:
            print(f"  {issue}", file=sys.stderr if issue.severity == "error" else sys.stdout)
        print("\n".join(summary_lines(frames, issues)))
    return EXIT_INPUT if errors else EXIT_OK
