"""``evalkit jury sheets|import|results``: score sheets out, filled sheets in, the ranking."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evalkit.cli import EXIT_INPUT, EXIT_OK, UsageError
from evalkit.config import load_params


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("jury", help="lomba inovasi: score sheets, import, results")
    commands = parser.add_subparsers(dest="jury_command", metavar="COMMAND", required=True)

    sheets = commands.add_parser("sheets", help="write one XLSX score sheet per juror")
    sheets.add_argument("--params", required=True, type=Path, metavar="YAML")
    sheets.add_argument("--out", required=True, type=Path, metavar="DIR")
    sheets.add_argument("--lang", choices=("id", "en"),
                        help="language of the sheets (default: the params' language)")
    sheets.add_argument("--blank", action="store_true",
                        help="leave the score cells empty (default: each juror's current scores)")
    sheets.set_defaults(func=make_sheets)

    imp = commands.add_parser("import", help="read filled score sheets into the score store")
    imp.add_argument("--params", required=True, type=Path, metavar="YAML")
    imp.add_argument("sheets", nargs="+", type=Path, metavar="SHEET")
    imp.add_argument("--json", action="store_true", help="print one JSON object")
    imp.set_defaults(func=import_sheets)

    res = commands.add_parser("results", help="aggregated ranking, agreement, robustness")
    res.add_argument("--params", required=True, type=Path, metavar="YAML")
    res.add_argument("--method", choices=("mean", "median", "trimmed_mean", "zscore"),
                     help="aggregation across jurors (default: the params' jury.method)")
    res.add_argument("--json", action="store_true", help="print one JSON object")
    res.set_defaults(func=results)


def make_sheets(args: argparse.Namespace) -> int:
    from evalkit.i18n import Translator
    from evalkit.jury.workflow import load_jury
    from evalkit.jury.workflow import make_sheets as write

    params = load_params(args.params)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} exists and is not a folder")
    jury = load_jury(params)
    paths = write(jury, args.out, Translator(args.lang or params.language),
                  prefill=not args.blank)
    for path in paths:
        print(path)
    if not jury.conflicts.empty:
        print(f"{len(jury.conflicts)} conflict(s) of interest left out of the sheets",
              file=sys.stderr)
    return EXIT_OK


def import_sheets(args: argparse.Namespace) -> int:
    from evalkit.jury.workflow import import_sheets as read_all
    from evalkit.jury.workflow import load_jury

    params = load_params(args.params)
    missing = [str(p) for p in args.sheets if not p.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    jury = load_jury(params)
    results = read_all(jury, args.sheets)
    if args.json:
        print(json.dumps({"store": str(jury.store.root), "sheets": [
            {"file": str(r.path), "juror_id": r.juror_id, "imported": r.ok,
             "scores": len(r.scores), "recusals": len(r.recusals), "sha256": r.sha256,
             "issues": [i.to_dict() for i in r.issues]} for r in results]},
            ensure_ascii=False))
    else:
        for r in results:
            if r.ok:
                print(f"imported {r.path.name}: juror {r.juror_id}, {len(r.scores)} scores, "
                      f"{len(r.recusals)} declared conflict(s)")
            else:
                print(f"rejected {r.path.name}: nothing changed", file=sys.stderr)
            for issue in r.issues:
                print(f"  {issue}", file=sys.stderr)
        print(f"score store: {jury.store.root}")
    return EXIT_OK if all(r.ok for r in results) else EXIT_INPUT


def results(args: argparse.Namespace) -> int:
    from evalkit.jury.workflow import compute, load_jury, results_json

    params = load_params(args.params)
    outcome = compute(load_jury(params), method=args.method)
    data = results_json(outcome)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return EXIT_OK
    for line in text_lines(data):
        print(line)
    return EXIT_OK


def text_lines(data: dict) -> list[str]:
    """The results as a plain-text table for a terminal."""
    def fmt(x: float | None, digits: int = 2) -> str:
        return "-" if x is None else f"{x:.{digits}f}"

    k = data["top_k"]
    alpha = data["alpha"]
    alpha_text = fmt(alpha, 3) if not isinstance(alpha, dict) else ", ".join(
        f"{s} {fmt(v, 3)}" for s, v in alpha.items())
    lines = [f"method: {data['method']}   Krippendorff alpha (totals): {alpha_text} "
             f"({data['alpha_reading']})"]
    if data["icc2k"]:
        icc = data["icc2k"]
        lines.append(f"ICC(2,k): {fmt(icc['value'], 3)} [{fmt(icc['ci95'][0], 3)}, "
                     f"{fmt(icc['ci95'][1], 3)}]")
    win = data["winner"]
    lines.append(f"winner: {win['innovation_id']} (first in {fmt(win['p_first'], 3)} of "
                 f"{data['resamples']} resamples: {win['verdict']})")
    lines.append(f"{'rank':>4}  {'innovation':<14} {'score':>7}  {'interval':>8}  "
                 f"{'P(top' + str(k) + ')':>8}  title")
    for row in data["ranking"]:
        rank = "-" if row["rank"] is None else str(row["rank"])
        interval = "-" if row["rank_low"] is None else (
            f"{row['rank_low']:.0f}-{row['rank_high']:.0f}")
        lines.append(f"{rank:>4}  {row['innovation_id']:<14} {fmt(row['score']):>7}  "
                     f"{interval:>8}  {fmt(row[f'p_top{k}']):>8}  {row['title']}")
    lines.append(f"recusals: {len(data['recusals'])}")
    lines += [f"warning: {w}" for w in data["warnings"]]
    return lines
