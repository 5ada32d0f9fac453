"""``evalkit verify``: do the report's recorded input hashes still match the files?"""

from __future__ import annotations

import argparse
from pathlib import Path

from evalkit.cli import EXIT_INPUT, EXIT_OK, UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("verify", help="recompute input hashes against the manifest")
    parser.add_argument("report_dir", type=Path, metavar="DIR", help="e.g. reports/2025")
    parser.set_defaults(func=verify)


def verify(args: argparse.Namespace) -> int:
    from evalkit.manifest import MANIFEST
    from evalkit.manifest import verify as verify_report

    if not (args.report_dir / MANIFEST).is_file():
        raise UsageError(f"no {MANIFEST} in {args.report_dir}")
    drift = verify_report(args.report_dir)
    for label, names in (("changed", drift.changed), ("missing", drift.missing),
                         ("new", drift.added)):
        for name in names:
            print(f"{label}: {name}")
    if drift.clean:
        print(f"ok: every input of {args.report_dir} matches its manifest")
        return EXIT_OK
    print("drift: the report no longer matches its inputs; run `evalkit run` again")
    return EXIT_INPUT
