"""``evalkit iid score``: the year's IID self-assessment (region and per-innovation maturity)."""

from __future__ import annotations

import argparse
from typing import Any

from evalkit.cli import EXIT_OK, add_params_option, examples, print_json

MODES = ("verified", "claimed")  # evalkit.iid.engine.MODES (a test keeps the two equal)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "iid", help="national Regional Innovation Index (IID)",
        description="The Regional Innovation Index (Indeks Inovasi Daerah) of the Ministry of "
                    "Home Affairs, computed from the year's self-assessment.")
    commands = parser.add_subparsers(dest="iid_command", metavar="COMMAND", required=True)
    sc = commands.add_parser(
        "score", help="score the year: SPD, SID, index, predicate",
        description="Score the year's IID self-assessment with the year's rubric: the SPD and "
                    "SID aspects, the innovation count, the index and its predicate, each "
                    "innovation's maturity, and the improvement plan to the target. Nothing "
                    "is written.",
        epilog=examples("evalkit iid score --params params/2025.yaml",
                        "evalkit iid score --params params/2025.yaml --mode claimed --json",
                        "evalkit iid score --params params/2025.yaml --target 60"))
    add_params_option(sc)
    sc.add_argument("--mode", choices=MODES,
                    help="verified levels only, or the self-assessment before verification "
                         "(default: the params' iid.mode)")
    sc.add_argument("--target", metavar="T",
                    help="improvement-plan target: next, a predicate, or an index value "
                         "(default: the params' iid.plan_target)")
    sc.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    sc.set_defaults(func=score_command)


def score_command(args: argparse.Namespace) -> int:
    from evalkit.config import load_params
    from evalkit.iid.workflow import run, to_json

    params = load_params(args.params)
    done = run(params, mode=args.mode, target=args.target)
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, **to_json(done, params.language)})
        return EXIT_OK
    print("\n".join(text_lines(done)))
    return EXIT_OK


def text_lines(done: Any) -> list[str]:
    """A plain-text summary: the breakdown, each innovation's maturity, the plan. A lower
    bound says "at least" and why; an index that cannot be computed shows no number."""
    import pandas as pd

    row = done.result.summary.iloc[0]
    other = done.other.summary.iloc[0]
    rubric = done.rubric
    head = (f"IID {int(row['year'])}  rubric {rubric.id} ({rubric.sha256[:12]}), "
            f"mode {done.result.mode}")
    if done.report_year and done.report_year != rubric.year:
        head += f"  (WARNING: a {rubric.year} rubric for a {done.report_year} report)"
    sources = ", ".join(f"{int(row[f'n_maturity_{s}'])} {s}" for s in
                        ("evidence", "reported", "unknown"))
    if not bool(row["computable"]):
        return [head, f"  the index cannot be computed: no counted innovation has evidence "
                      f"rows or a reported maturity (Kematangan); maturity sources: {sources}"]
    required = row["basic_services_required"]
    rule = "" if pd.isna(required) else (
        f"; basic services {int(row['basic_services_covered'])}/"
        f"{len(rubric.count.basic_services.affairs)}, need {int(required)}")
    lower = bool(row["lower_bound"])
    at_least = "at least " if lower else ""

    def line(label: str, value: float, rest: str) -> str:
        return f"  {label:<26} {value:8.2f}  {rest}"

    spd_rest = f"/ {rubric.aspect_max['SPD']:g}  (from {row['spd_source']})"
    lines = [
        head,
        line("SPD", row["spd"], spd_rest),
        line(f"SID indicators (sum / {int(row['divisor'])})", row["sid_indicators"],
             f"/ {rubric.aspect_max['SID']:g}  (maturity: {sources})"),
        line("innovation count", row["innovation_count_score"],
             f"/ {rubric.count.max:g}  ({int(row['n_counted'])} of {int(row['n_submitted'])} "
             f"innovations count{rule})"),
        line("total", row["total"], f"/ {rubric.max_total:g}"),
        line("IID" + (", at least" if lower else ""), row["iid_rounded"],
             f"{at_least}{row['predicate']}   ({done.other.mode}: "
             f"{other['iid_rounded']:.2f} {other['predicate']})"),
    ]
    if lower:
        reasons = str(row["bound_reasons"]).replace(";", ", ")
        lines.append(f"  lower bound: missing data counts as 0 ({reasons})")
    lines += ["", f"{'innovation':<16} {'maturity':>8}  {'source':<9} {'status':<11} "
                  "unverified"]
    for r in done.result.innovations.itertuples(index=False):
        maturity = "unknown" if pd.isna(r.maturity) else f"{r.maturity:8.2f}"
        lines.append(f"{r.innovation_id:<16} {maturity:>8}  {r.maturity_source:<9} "
                     f"{r.verification_status:<11} {r.unverified_indicators}")
    plan = done.plan
    lines.append("")
    if plan.target is None:
        lines.append("plan: already in the top predicate band")
    elif "no_levels" in plan.notes:
        lines.append("plan: the data holds no per-indicator levels to raise; no step proposed")
    else:
        label = rubric.band(plan.target_key).label if plan.target_key else f"{plan.target:.2f}"
        state = "reaches it" if plan.reached else "cannot reach it with level upgrades"
        lines.append(f"plan to {label} ({plan.target:.2f}): {len(plan.steps)} single-level "
                     f"step(s), {state}; IID after: {plan.final_iid:.2f}")
    return lines
