"""``evalkit render DIR``: render an executed report again (HTML, PDF) without re-running it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evalkit.cli import EXIT_INTERNAL, EXIT_OK, UsageError, examples, print_json, say

RENDER_FORMATS = ("html", "pdf")


def parse_formats(text: str) -> tuple[str, ...]:
    """`html,pdf` -> ("html", "pdf"); anything else is a usage error."""
    formats = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in RENDER_FORMATS]
    if unknown or not formats:
        raise UsageError(
            f"--to takes a comma-separated list of {', '.join(RENDER_FORMATS)}; got '{text}'"
        )
    return formats


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "render",
        help="render an executed report notebook again (HTML, PDF)",
        description="Render the executed report notebook in DIR (report.ipynb) to "
        "DIR/report.html and DIR/report.pdf. Uses Quarto when it is on PATH, "
        "else the built-in pandoc + Typst path. Never executes the notebook. Exit 3 when a "
        "rendering tool fails (its message is printed).",
        epilog=examples("evalkit render reports/2025",
                        "evalkit render reports/2025 --to html --renderer pandoc",
                        "evalkit render reports/2025/report.ipynb --out /tmp/render --json"),
    )
    parser.add_argument(
        "path", type=Path, metavar="DIR", help="report folder, e.g. reports/2025 (or a .ipynb)"
    )
    parser.add_argument(
        "--to", dest="formats", default="html,pdf", metavar="FORMATS",
        help="comma-separated formats to write (default: html,pdf)",
    )  # fmt: skip
    parser.add_argument(
        "--renderer", choices=("auto", "quarto", "pandoc"), default="auto",
        help="auto (default): quarto if installed, else pandoc",
    )  # fmt: skip
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: the notebook's folder)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.set_defaults(func=render)


def render(args: argparse.Namespace) -> int:
    from evalkit.report.render import RenderError, find_report_notebook, render_report

    formats = parse_formats(args.formats)
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        from evalkit.issues import InputError, Issue

        raise InputError([Issue("error", "--out names a file, not a folder", file=str(args.out))])
    notebook = find_report_notebook(args.path)  # InputError -> exit 1 in main()
    try:
        result = render_report(notebook, args.out, formats, renderer=args.renderer)
    except RenderError as exc:
        if args.json:
            print_json({"ok": False, "exit_code": EXIT_INTERNAL, "error": str(exc),
                        "step": exc.step})
        print(f"evalkit: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, **result.to_dict()})
        return EXIT_OK
    versions = ", ".join(f"{tool} {version}" for tool, version in result.versions.items())
    for fmt, path in result.outputs.items():
        seconds = result.timings.get(fmt)
        took = f", {seconds:.2f} s" if seconds is not None else ""
        print(f"{fmt}: {path}{took}")
    for warning in result.warnings:
        say(args, f"warning: {warning}")
    say(args, f"rendered with {result.renderer} ({versions})")
    return EXIT_OK
