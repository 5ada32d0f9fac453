"""``evalkit iid score``: the year's IID self-assessment (region and per-innovation maturity)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.cli import EXIT_OK
from evalkit.config import load_params
from evalkit.iid.engine import MODES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("iid", help="national Regional Innovation Index (IID)")
    commands = parser.add_subparsers(dest="iid_command", metavar="COMMAND", required=True)
    sc = commands.add_parser("score", help="score the year: SPD, SID, index, predicate")
    sc.add_argument("--params", required=True, type=Path, metavar="YAML")
    sc.add_argument("--mode", choices=MODES,
                    help="verified levels only, or the self-assessment before verification "
                         "(default: the params' iid.mode)")
    sc.add_argument("--target", metavar="T",
                    help="improvement-plan target: next, a predicate, or an index value "
                         "(default: the params' iid.plan_target)")
    sc.add_argument("--json", action="store_true", help="print one JSON object")
    sc.set_defaults(func=score_command)


def score_command(args: argparse.Namespace) -> int:
    from evalkit.iid.workflow import run, to_json

    params = load_params(args.params)
    done = run(params, mode=args.mode, target=args.target)
    if args.json:
        print(json.dumps(to_json(done, params.language), ensure_ascii=False))
        return EXIT_OK
    print("\n".join(text_lines(done)))
    return EXIT_OK


def text_lines(done: Any) -> list[str]:
    """A plain-text summary: the breakdown, each innovation's maturity, the plan."""
    row = done.result.summary.iloc[0]
    other = done.other.summary.iloc[0]
    rubric = done.rubric
    required = row["basic_services_required"]
    rule = "" if pd.isna(required) else (
        f"; basic services {int(row['basic_services_covered'])}/"
        f"{len(rubric.count.basic_services.affairs)}, need {int(required)}")

    def line(label: str, value: float, rest: str) -> str:
        return f"  {label:<26} {value:8.2f}  {rest}"

    lines = [
        f"IID {int(row['year'])}  rubric {rubric.id} ({rubric.sha256[:12]}), "
        f"mode {done.result.mode}",
        line("SPD", row["spd"], f"/ {rubric.aspect_max['SPD']:g}"),
        line(f"SID indicators (sum / {int(row['divisor'])})", row["sid_indicators"],
             f"/ {rubric.aspect_max['SID']:g}"),
        line("innovation count", row["innovation_count_score"],
             f"/ {rubric.count.max:g}  ({int(row['n_counted'])} of {int(row['n_submitted'])} "
             f"innovations count{rule})"),
        line("total", row["total"], f"/ {rubric.max_total:g}"),
        line("IID", row["iid_rounded"], f"{row['predicate']}   ({done.other.mode}: "
                                        f"{other['iid_rounded']:.2f} {other['predicate']})"),
        "",
        f"{'innovation':<16} {'maturity':>8}  {'status':<11} unverified",
    ]
    for r in done.result.innovations.itertuples(index=False):
        lines.append(f"{r.innovation_id:<16} {r.maturity:8.2f}  {r.verification_status:<11} "
                     f"{r.unverified_indicators}")
    plan = done.plan
    lines.append("")
    if plan.target is None:
        lines.append("plan: already in the top predicate band")
    else:
        label = rubric.band(plan.target_key).label if plan.target_key else f"{plan.target:.2f}"
        state = "reaches it" if plan.reached else "cannot reach it with level upgrades"
        lines.append(f"plan to {label} ({plan.target:.2f}): {len(plan.steps)} single-level "
                     f"step(s), {state}; IID after: {plan.final_iid:.2f}")
    return lines
