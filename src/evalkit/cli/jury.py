"""``evalkit jury ...``: score sheets out, filled sheets in, results, and the masa sanggah.

What the committee reads (import results, refusals, objections) is in the params' language.
Heavy imports stay inside the commands so ``evalkit --help`` stays fast.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from evalkit.cli import EXIT_INPUT, EXIT_OK, add_params_option, examples, print_json
from evalkit.issues import InputError, Issue

CHANGE = re.compile(r"^(?P<juror>[^:]+):(?P<entry>[^:]+):(?:(?P<stage>[^.=:]+)\.)?"
                    r"(?P<criterion>[^=:.]+)=(?P<score>.+)$")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "jury", help="lomba inovasi: score sheets, import, results",
        description="The jury of the local innovation competition (lomba inovasi): one score "
                    "sheet per juror, reading filled sheets back, the aggregated ranking, and "
                    "the masa sanggah (publication, objections, decisions).")
    commands = parser.add_subparsers(dest="jury_command", metavar="COMMAND", required=True)

    sheets = commands.add_parser(
        "sheets", help="write one XLSX score sheet per juror",
        description="Write one protected, signed XLSX score sheet per juror of the year's "
                    "panel; entries from a juror's own unit are left out as conflicts of "
                    "interest.",
        epilog=examples("evalkit jury sheets --params params/2025.yaml --out sheets/",
                        "evalkit jury sheets --params params/2025.yaml --out sheets/ --blank "
                        "--stage presentasi"))
    add_params_option(sheets)
    sheets.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="folder for the sheets (created if needed)")
    sheets.add_argument("--lang", choices=("id", "en"),
                        help="language of the sheets (default: the params' language)")
    sheets.add_argument("--blank", action="store_true",
                        help="leave the score cells empty (default: each juror's current scores)")
    sheets.add_argument("--stage", action="append", metavar="STAGE",
                        help="only this stage's scoring page (repeatable; default: every open "
                             "stage)")
    sheets.set_defaults(func=make_sheets)

    imp = commands.add_parser(
        "import", help="read filled score sheets (.xlsx or .ods) into the store",
        description="Read filled score sheets back into the year's score store. Every problem "
                    "is named by sheet, row and column; a sheet with a problem (or of another "
                    "year, region or juror) changes nothing. Exit 1 when any sheet was "
                    "refused.",
        epilog=examples("evalkit jury import --params params/2025.yaml sheets/*.xlsx",
                        "evalkit jury import --params params/2025.yaml J1.ods --json"))
    add_params_option(imp)
    imp.add_argument("sheets", nargs="+", type=Path, metavar="SHEET",
                     help="filled score sheets (.xlsx or .ods)")
    imp.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    imp.set_defaults(func=import_sheets)

    res = commands.add_parser(
        "results", help="aggregated ranking, agreement, robustness",
        description="The competition's ranking from every juror's scores, with rank intervals "
                    "from resampling, agreement between jurors (Krippendorff's alpha, ICC), the "
                    "recusals and the masa sanggah. Nothing is written.",
        epilog=examples("evalkit jury results --params params/2025.yaml",
                        "evalkit jury results --params params/2025.yaml --method median --json"))
    add_params_option(res)
    res.add_argument("--method", choices=("mean", "median", "trimmed_mean", "zscore"),
                     help="aggregation across jurors (default: the params' jury.method)")
    res.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    res.set_defaults(func=results)

    pub = commands.add_parser(
        "publish", help="publish the provisional ranking (masa sanggah)",
        description="Record that the provisional ranking was announced, opening the period in "
                    "which objections are accepted (masa sanggah).",
        epilog=examples("evalkit jury publish --params params/2025.yaml --until 2025-09-15",
                        "evalkit jury publish --params params/2025.yaml --date 2025-09-01 "
                        "--until 2025-09-15"))
    add_params_option(pub)
    pub.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                     help="the announcement date (default: today)")
    pub.add_argument("--until", required=True, metavar="YYYY-MM-DD",
                     help="the last day objections are accepted")
    pub.set_defaults(func=publish)

    obj = commands.add_parser(
        "objection", help="record an objection to an entry's result",
        description="Record an objection to an entry's provisional result, within the masa "
                    "sanggah; it is numbered and waits for a decision.",
        epilog=examples('evalkit jury objection --params params/2025.yaml --entry RL-2025-012 '
                        '--reason "nilai kriteria kemanfaatan keliru" --by Dinkes'))
    add_params_option(obj)
    obj.add_argument("--entry", required=True, metavar="ID", help="the entry's innovation id")
    obj.add_argument("--reason", required=True, help="what the objection says")
    obj.add_argument("--by", default="", help="who filed it (a unit or party)")
    obj.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="default: today")
    obj.set_defaults(func=objection)

    dec = commands.add_parser(
        "decide", help="decide an objection (score changes are audited)",
        description="Decide a recorded objection; an accepted one may set scores, each change "
                    "kept in the store's change log.",
        epilog=examples('evalkit jury decide --params params/2025.yaml --objection 1 '
                        '--decision rejected --reason "nilai sudah sesuai"',
                        'evalkit jury decide --params params/2025.yaml --objection 2 '
                        '--decision accepted --reason "salah ketik" '
                        '--set J2:RL-2025-012:kemanfaatan=78'))
    add_params_option(dec)
    dec.add_argument("--objection", required=True, type=int, metavar="N",
                     help="the objection's number")
    dec.add_argument("--decision", required=True, choices=("accepted", "rejected"),
                     help="accepted or rejected")
    dec.add_argument("--reason", required=True, help="why it was decided so")
    dec.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="default: today")
    dec.add_argument("--set", action="append", default=[], dest="changes",
                     metavar="JUROR:ENTRY:[STAGE.]CRITERION=SCORE",
                     help="a score the decision sets (repeatable)")
    dec.set_defaults(func=decide)


def _load(args: argparse.Namespace) -> Any:
    from evalkit.config import load_params
    from evalkit.jury.workflow import load_jury

    return load_jury(load_params(args.params))


def make_sheets(args: argparse.Namespace) -> int:
    from evalkit.i18n import Translator
    from evalkit.jury.workflow import make_sheets as write

    if args.out.exists() and not args.out.is_dir():
        raise InputError([Issue("error", "--out names a file, not a folder",
                                file=str(args.out))])
    jury = _load(args)
    t = Translator(args.lang or jury.params.language)
    paths = write(jury, args.out, t, prefill=not args.blank, stages=args.stage)
    for path in paths:
        print(path)
    if not jury.conflicts.empty:
        print(jury.t("jury.messages.conflicts_left_out", n=len(jury.conflicts)),
              file=sys.stderr)
    return EXIT_OK


def import_sheets(args: argparse.Namespace) -> int:
    from evalkit.jury.messages import explain, saved_text
    from evalkit.jury.workflow import import_sheets as read_all
    from evalkit.jury.workflow import raw_source

    missing = [p for p in args.sheets if not p.is_file()]
    if missing:
        raise InputError([Issue("error", "no such file", file=str(p)) for p in missing])
    jury = _load(args)
    t = jury.t
    found = read_all(jury, args.sheets, t)
    if args.json:
        ok = all(r.ok for r in found)
        print_json({"ok": ok, "exit_code": EXIT_OK if ok else EXIT_INPUT,
                    "store": str(jury.store.root), "sheets": [
            {"file": str(r.path), "juror_id": r.juror_id, "imported": r.ok, "kind": r.kind,
             "scores": len(r.scores), "recusals": len(r.recusals), "sha256": r.sha256,
             "saved": r.saved, "issues": [i.to_dict() for i in r.issues]} for r in found]})
    else:
        for r in found:
            if r.ok and r.saved is not None:
                print(f"{r.path.name}: {saved_text(r.saved, t, raw_source(jury))}")
            else:
                print(t("jury.messages.rejected", file=r.path.name), file=sys.stderr)
            for issue in r.issues:
                print(f"  {explain(issue, t)}", file=sys.stderr)
        print(t("jury.messages.store", path=jury.store.root))
    return EXIT_OK if all(r.ok for r in found) else EXIT_INPUT


def results(args: argparse.Namespace) -> int:
    from evalkit.jury.workflow import compute, results_json

    outcome = compute(_load(args), method=args.method)
    data = results_json(outcome)
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, **data})
        return EXIT_OK
    for line in text_lines(data):
        print(line)
    return EXIT_OK


def _objection_failed(jury: Any, exc: Any) -> int:
    print(f"evalkit: {jury.t('jury.objection.' + exc.key, **exc.fields)}", file=sys.stderr)
    return EXIT_INPUT


def publish(args: argparse.Namespace) -> int:
    from evalkit.jury.objections import ObjectionError
    from evalkit.jury.workflow import publish_provisional

    jury = _load(args)
    try:
        pub = publish_provisional(jury, args.date or date.today().isoformat(), args.until)
    except ObjectionError as exc:
        return _objection_failed(jury, exc)
    print(jury.t("jury.objection.published", published=pub.published_on, until=pub.until))
    return EXIT_OK


def objection(args: argparse.Namespace) -> int:
    from evalkit.jury.objections import ObjectionError
    from evalkit.jury.workflow import file_objection

    jury = _load(args)
    try:
        filed = file_objection(jury, args.entry, args.reason,
                               args.date or date.today().isoformat(), args.by)
    except ObjectionError as exc:
        return _objection_failed(jury, exc)
    print(jury.t("jury.objection.filed", number=filed.number, entry=filed.innovation_id,
                 date=filed.filed_on))
    return EXIT_OK


def parse_change(value: str, default_stage: str) -> Any:
    """``J2:RL-2025-012:kemanfaatan=78`` or ``J2:RL-2025-012:presentasi.substansi=80``."""
    from evalkit.jury.objections import ObjectionError
    from evalkit.jury.workflow import ScoreChange

    match = CHANGE.match(value.strip())
    if not match:
        raise ObjectionError("change_format", text=value)
    try:
        score = float(match["score"].strip().replace(",", "."))
    except ValueError:
        raise ObjectionError("change_format", text=value) from None
    return ScoreChange(match["juror"].strip(), match["entry"].strip(),
                       (match["stage"] or default_stage).strip(), match["criterion"].strip(),
                       score)


def decide(args: argparse.Namespace) -> int:
    from evalkit.jury.objections import ObjectionError
    from evalkit.jury.workflow import decide_objection

    jury = _load(args)
    try:
        changes = [parse_change(c, jury.rubric.default_stage) for c in args.changes]
        decided = decide_objection(jury, args.objection, args.decision, args.reason,
                                   args.date or date.today().isoformat(), changes)
    except ObjectionError as exc:
        return _objection_failed(jury, exc)
    print(jury.t("jury.objection.decided_line", number=decided.number,
                 decision=jury.t(f"jury.chapter.decisions.{decided.decision}"),
                 n=len(decided.changes)))
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
    for rnd in data.get("rounds", []):
        if len(data.get("rounds", [])) > 1:
            state = "complete" if rnd["complete"] else (
                "open" if rnd["open"] else "not open")
            lines.append(f"stage {rnd['stage']}: {len(rnd['entries'])} entries, {state}"
                         + (f", {len(rnd['advanced'])} shortlisted" if rnd["advanced"] else ""))
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
    if data.get("published_on"):
        lines.append(f"provisional ranking published {data['published_on']}, objections until "
                     f"{data['objections_until']}: {len(data['objections'])} objection(s)")
    lines += [f"warning: {w}" for w in data["warnings"]]
    return lines
