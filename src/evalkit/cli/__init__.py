"""The ``evalkit`` command. Each command group lives in its own module with ``register()``.

Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 internal failure, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from evalkit.issues import InputError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C

# Command-group modules under evalkit.cli, in the order `evalkit --help` lists them.
GROUPS = ("run", "compare", "validate", "importer", "render", "verify", "iid", "themes", "jury")


class UsageError(Exception):
    """A command was called with arguments that cannot work together."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Evaluation workbench for regional innovation (inovasi daerah).")
    parser.add_argument("--version", action="version", version=f"evalkit {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        importlib.import_module(f"{__name__}.{group}").register(subparsers)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("evalkit")
    except PackageNotFoundError:
        return "unknown"


def print_input_error(exc: InputError) -> None:
    """Every error on stderr, repeats of one problem grouped (one line, the rows as ranges)."""
    from evalkit.issues import format_groups, group_issues

    errors = exc.errors
    print(f"evalkit: {len(errors)} error(s) in the input:", file=sys.stderr)
    for line in format_groups(group_issues(errors)):
        print(line, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except InputError as exc:
        print_input_error(exc)
        return EXIT_INPUT
    except UsageError as exc:
        print(f"evalkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `evalkit ... | head`: the reader left; not our failure
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("evalkit: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: say what broke, exit 3
        import traceback

        traceback.print_exc(file=sys.stderr)
        print(f"evalkit: internal error: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


def entry() -> None:
    """The console script: ``main``, then exit; after Ctrl-C at once (the run has already
    cleaned up, and the interpreter's final garbage collection can take seconds)."""
    code = main()
    if code == EXIT_INTERRUPTED:
        sys.stdout.flush()
        sys.stderr.flush()
        import os

        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
