"""``evalkit compare``: one report comparing a set of regions from their yearly reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evalkit.cli import EXIT_INTERNAL, EXIT_OK, examples, print_json, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare", help="one report comparing regions (a province, the nation) from their "
        "yearly reports",
        description="One report comparing a set of regions, built from their finished yearly "
                    "reports (their raw data is never read again): ranking, participation, "
                    "themes, the strongest innovations, who improved. The report goes to "
                    "<out>/<year>/, replacing a folder there only if evalkit wrote it. Exit 3 "
                    "when the comparison notebook fails.",
        epilog=examples("evalkit compare --params params/compare/bengkulu.yaml",
                        "evalkit compare --params params/bengkulu/*.yaml --reports "
                        "reports/bengkulu --out reports/bengkulu/compare --json"))
    parser.add_argument("--params", nargs="+", required=True, type=Path, metavar="YAML",
                        help="the regions' params files (one per region), or one comparison "
                        "params file listing them")
    parser.add_argument("--reports", type=Path, metavar="DIR",
                        help="where the regions' reports are, as DIR/<region>/<year>/ (default: "
                        "each params file's output_dir)")
    parser.add_argument("--history", type=Path, metavar="FILE",
                        help="the group's own published results (a history table)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="folder to hold the comparison's <year>/ report")
    parser.add_argument("--to", dest="formats", metavar="FORMATS",
                        help="formats to render, e.g. html,pdf")
    parser.add_argument("--lang", choices=("id", "en"), help="the report's language")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.set_defaults(func=compare)


def compare(args: argparse.Namespace) -> int:
    from evalkit.cli.run import parse_formats
    from evalkit.comparison import resolve, run_compare, summary
    from evalkit.pipeline import NotebookFailed

    formats = parse_formats(args.formats)
    spec = resolve(args.params, reports=args.reports, history=args.history, out=args.out,
                   language=args.lang)
    try:
        result = run_compare(spec, formats, progress=lambda m: say(args, m))
    except NotebookFailed as exc:
        print(f"evalkit: {exc}", file=sys.stderr)
        if args.json:
            print_json({"ok": False, "exit_code": EXIT_INTERNAL, "error": str(exc)})
        return EXIT_INTERNAL
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, **summary(result)})
    else:
        for kind, path in result.outputs.items():
            print(f"{kind}: {path}")
    return EXIT_OK
