"""``evalkit verify``: do the report's recorded input hashes still match the files?"""

from __future__ import annotations

import argparse
from pathlib import Path

from evalkit.cli import EXIT_INPUT, EXIT_OK, examples, print_json, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify", help="recompute input hashes against the manifest",
        description="Recompute the SHA-256 of every input recorded in DIR/manifest.json (the "
                    "params, rubrics and taxonomy, the year's tables, the jury's score store) "
                    "and compare. Inputs are looked for in the project the report belongs to, "
                    "where it is now (a copied project is checked in place). Exit 0 when every "
                    "input matches, 1 when one changed, went missing or was added, and also 1 "
                    "when DIR holds no report or its manifest is damaged.",
        epilog=examples("evalkit verify reports/2025", "evalkit verify reports/2025 --json"))
    parser.add_argument("report_dir", type=Path, metavar="DIR",
                        help="a report folder, e.g. reports/2025")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (changed, missing, new inputs) on stdout")
    parser.set_defaults(func=verify)


def verify(args: argparse.Namespace) -> int:
    from evalkit.manifest import verify as verify_report

    drift = verify_report(args.report_dir)  # a missing or damaged manifest: InputError, exit 1
    status = EXIT_OK if drift.clean else EXIT_INPUT
    if args.json:
        print_json({"ok": drift.clean, "exit_code": status, "report": str(args.report_dir),
                    "project": str(drift.project), "changed": drift.changed,
                    "missing": drift.missing, "new": drift.added})
        return status
    for label, names in (("changed", drift.changed), ("missing", drift.missing),
                         ("new", drift.added)):
        for name in names:
            print(f"{label}: {name}")
    if drift.clean:
        print(f"ok: every input of {args.report_dir} matches its manifest")
    else:
        print("drift: the report no longer matches its inputs; run `evalkit run` again")
    say(args, f"inputs looked for in {drift.project}")
    return status
