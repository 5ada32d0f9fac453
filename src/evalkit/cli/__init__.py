"""The ``evalkit`` command. Each command group lives in its own module with ``register()``.

Adding a command group is one new module here with ``register(subparsers)``; this file finds
it, gives every command ``--quiet``/``--verbose`` and the exit-code table, and turns errors into
exit codes (and into a JSON object for commands called with ``--json``). Modules are imported
only to build the parser: the work (pandas, papermill, ...) is imported inside the command
functions, so ``evalkit --help`` starts at once.

Exit codes, everywhere: 0 ok, 1 invalid input, 2 usage error, 3 internal failure,
130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evalkit.issues import InputError, Issue

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C

EXIT_CODES = """\
exit codes:
  0    ok
  1    invalid input: a file, folder or setting named on the command line or in the
       params is missing, unreadable or wrong (every problem is listed, with its place)
  2    usage error: the command line itself is wrong (an unknown command or option, a
       missing or malformed option value)
  3    internal failure: a bug or a broken installation (the traceback is printed)
  130  interrupted (Ctrl-C)"""

# The order `evalkit --help` lists the command groups in; any other module of this package
# with a register() function follows, by name.
GROUPS = ("run", "compare", "validate", "importer", "render", "verify", "iid", "themes", "jury")



class UsageError(Exception):
    """A command was called with arguments that cannot work together."""


class _ArgumentError(Exception):
    def __init__(self, parser: argparse.ArgumentParser, message: str):
        super().__init__(message)
        self.parser, self.message = parser, message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors reach main() (so ``--json`` can report them too)."""

    def error(self, message: str) -> Any:  # argparse would print and exit 2 itself
        raise _ArgumentError(self, message)


class _Formatter(argparse.HelpFormatter):
    """Wraps prose paragraphs, keeps indented lines (examples, tables) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for block in text.strip("\n").split("\n\n"):
            lines = block.splitlines()
            if len(lines) > 1 and any(line.startswith(" ") for line in lines[1:]):
                paragraphs.append("\n".join(indent + line for line in lines))
            else:
                paragraphs.append(textwrap.fill(" ".join(block.split()), width,
                                                initial_indent=indent,
                                                subsequent_indent=indent))
        return "\n\n".join(paragraphs)


def add_params_option(parser: argparse.ArgumentParser) -> None:
    """The ``--params YAML`` option of every command that works on one year."""
    parser.add_argument("--params", required=True, type=Path, metavar="YAML",
                        help="the year's params file")


def examples(*lines: str) -> str:
    """An epilog listing example command lines (every command shows some)."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def group_modules() -> list[str]:
    """The command-group modules of this package, in --help order."""
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return sorted(names, key=lambda n: (GROUPS.index(n) if n in GROUPS else len(GROUPS), n))


def _output_options(parser: argparse.ArgumentParser, default: Any) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=0,
                       default=default, help="print only errors and results")
    group.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=2,
                       default=default, help="also print details: every issue ungrouped, "
                                             "timings, tool warnings")


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found: dict[int, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.setdefault(id(child), child)
    return list(found.values())


def leaf_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every parser that runs a command (no sub-commands of its own)."""
    children = _subparsers(parser)
    if not children:
        return [parser]
    return [leaf for child in children for leaf in leaf_parsers(child)]


def _finish(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = _Formatter
    for child in _subparsers(parser):
        _finish(child)
    if not _subparsers(parser):
        # SUPPRESS: an option not given after the command keeps the value given before it
        _output_options(parser, argparse.SUPPRESS)
        parser.epilog = "\n\n".join(p for p in (parser.epilog, EXIT_CODES) if p)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evalkit", formatter_class=_Formatter,
        description="Evaluation workbench for regional innovation (inovasi daerah): validate "
                    "a year's submissions, score the Regional Innovation Index (IID), assign "
                    "themes, aggregate the jury of the lomba inovasi, and render the yearly "
                    "report. `evalkit COMMAND --help` describes each command.",
        epilog=examples("evalkit validate --params params/2025.yaml",
                        "evalkit run --params params/2025.yaml",
                        "evalkit run --params params/*.yaml --to html --out /tmp/reports",
                        "evalkit verify reports/2025") + "\n\n" + EXIT_CODES)
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    _output_options(parser, 1)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                       parser_class=_Parser)
    for name in group_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    _finish(parser)
    return parser


class _Version(argparse.Action):
    """``--version``, looked up only when asked for (importlib.metadata is slow to load)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("evalkit")
        except PackageNotFoundError:
            number = "unknown"
        print(f"evalkit {number}")
        parser.exit()


# Output helpers for the command modules ------------------------------------------------------


def say(args: argparse.Namespace, message: str) -> None:
    """Progress and notes on stderr, unless --quiet."""
    if getattr(args, "verbosity", 1) >= 1:
        print(message, file=sys.stderr, flush=True)


def detail(args: argparse.Namespace, message: str) -> None:
    """Details on stderr, only with --verbose."""
    if getattr(args, "verbosity", 1) >= 2:
        print(message, file=sys.stderr, flush=True)


def print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


def issue_lines(issues: Sequence[Issue], grouped: bool = True) -> list[str]:
    """One line per problem, repeats grouped with their rows as ranges and long families of
    values summed up (:func:`evalkit.issues.format_groups`); ``grouped=False`` (--verbose)
    gives one line per issue."""
    from evalkit.issues import format_groups, group_issues

    if not grouped:
        return [str(issue) for issue in issues]
    return [line.removeprefix("  ") for line in format_groups(group_issues(issues))]


def print_input_error(exc: InputError, args: argparse.Namespace | None = None) -> None:
    """Every error first, then the warnings, on stderr; long lists grouped (not --verbose)."""
    errors = exc.errors
    grouped = getattr(args, "verbosity", 1) < 2
    print(f"evalkit: {len(errors)} error(s) in the input:", file=sys.stderr)
    for line in issue_lines(errors, grouped=grouped):
        print(f"  {line}", file=sys.stderr)


def _absolute_paths(args: argparse.Namespace) -> None:
    """Make every path given on the command line absolute, before anything runs.

    Executing a notebook changes the process's working folder (papermill's ``cwd``), so a
    relative path read after the first report would point somewhere else.
    """
    for key, value in vars(args).items():
        if isinstance(value, Path):
            setattr(args, key, Path(os.path.abspath(value)))
        elif isinstance(value, list) and value and all(isinstance(v, Path) for v in value):
            setattr(args, key, [Path(os.path.abspath(v)) for v in value])


def _json_failure(code: int, error: str, issues: Sequence[Issue] = ()) -> None:
    print_json({"ok": False, "exit_code": code, "error": error,
                "issues": [issue.to_dict() for issue in issues]})


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _ArgumentError as exc:
        exc.parser.print_usage(sys.stderr)
        print(f"{exc.parser.prog}: error: {exc.message}", file=sys.stderr)
        if "--json" in argv:
            _json_failure(EXIT_USAGE, exc.message)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version exit 0
        return int(exc.code or 0)
    _absolute_paths(args)
    wants_json = bool(getattr(args, "json", False))
    try:
        return int(args.func(args))
    except InputError as exc:
        print_input_error(exc, args)
        if wants_json:
            _json_failure(EXIT_INPUT, f"{len(exc.errors)} error(s) in the input", exc.issues)
        return EXIT_INPUT
    except UsageError as exc:
        print(f"evalkit: {exc}", file=sys.stderr)
        if wants_json:
            _json_failure(EXIT_USAGE, str(exc))
        return EXIT_USAGE
    except BrokenPipeError:  # `evalkit ... | head`: the reader left; not our failure
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("evalkit: interrupted; nothing was written", file=sys.stderr)
        if wants_json:
            _json_failure(EXIT_INTERRUPTED, "interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: say what broke, exit 3
        import traceback

        traceback.print_exc(file=sys.stderr)
        print(f"evalkit: internal error: {exc}", file=sys.stderr)
        if wants_json:
            _json_failure(EXIT_INTERNAL, f"internal error: {exc}")
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
