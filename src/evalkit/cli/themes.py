"""``evalkit themes assign``, ``evaluate`` and ``suggest``: theme assignment of any CSV of
innovations, its measurement against gold labels (leave-one-province-out), and the rows an
evaluator should label next."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from evalkit.cli import EXIT_OK, UsageError, examples, print_json
from evalkit.issues import InputError, Issue

INPUT_COLUMNS = ("innovation_id", "title")  # description, unit and affair used when present


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "themes", help="theme of each innovation, and its accuracy",
        description="Assign innovations to the themes of a taxonomy, measure how well that "
                    "works against labelled rows, and pick the rows worth labelling next.")
    commands = parser.add_subparsers(dest="themes_command", metavar="COMMAND", required=True)

    assign = commands.add_parser(
        "assign", help="add theme and confidence to a CSV of innovations",
        description="Reads innovation_id, title, description, unit (the unit's name) and "
                    "affair (urusan), under the headers the data loader accepts (judul, "
                    "perangkat_daerah, urusan, ...); writes the same rows with theme and "
                    "confidence added. The input is never written over.",
        epilog=examples("evalkit themes assign --input innovations.csv --out themed.csv",
                        "evalkit themes assign --input new.xlsx --out themed.csv "
                        "--labels labelled.csv --json"))
    assign.add_argument("--input", required=True, type=Path, metavar="CSV",
                        help="the innovations (CSV or XLSX)")
    assign.add_argument("--out", required=True, type=Path, metavar="CSV",
                        help="the CSV to write (not the input)")
    assign.add_argument("--labels", type=Path, metavar="CSV",
                        help="labelled rows to learn from: innovation_id, title, description, "
                             "unit, theme (affair optional)")
    _common(assign)
    assign.add_argument("--min-confidence", type=float, default=0.3, metavar="P",
                        help="below this the fallback theme is given (default 0.3)")
    assign.set_defaults(func=assign_command)

    evaluate = commands.add_parser(
        "evaluate", help="leave-one-province-out macro-F1, per-theme F1, calibration",
        description="Scores the method on labelled rows (title, description, unit, affair, "
                    "theme and a province column), each province in turn unseen: seeds only "
                    "(no labels) and learned (the other provinces' labels); per-theme F1, "
                    "expected calibration error and the reliability table; optionally the "
                    "score with the lexicon cut at random, and the learning curve of "
                    "suggested against random labels.",
        epilog=examples("evalkit themes evaluate --labels labelled.csv",
                        "evalkit themes evaluate --labels a.csv --labels b.csv --group-by "
                        "province --learning-curve --json"))
    evaluate.add_argument("--labels", required=True, type=Path, metavar="CSV",
                          action="append", help="labelled rows; give it once per file")
    evaluate.add_argument("--group-by", default="province", metavar="COLUMN",
                          help="the column whose groups are held out in turn (default province)")
    evaluate.add_argument("--lexicon-cuts", type=int, default=0, metavar="N",
                          help="also score N times with 30%% of the seed terms removed")
    evaluate.add_argument("--learning-curve", action="store_true",
                          help="also measure 0/10/30/60 suggested labels against random ones")
    evaluate.add_argument("--curve-test-share", type=float, metavar="F",
                          help="score the curve on a fixed share F of each province, never "
                               "offered for labelling (default: the remaining rows)")
    _common(evaluate)
    evaluate.set_defaults(func=evaluate_command)

    suggest = commands.add_parser(
        "suggest", help="the innovations an evaluator should label next",
        description="Fits the model on the innovations (a CSV, or the year of --params with "
                    "its labelled rows) and lists the N whose labels would help most: those "
                    "the model is least sure about, spread over different texts. Fill the "
                    "theme column and add the rows to the labelled-rows file (notebook "
                    "03_themes does both).",
        epilog=examples("evalkit themes suggest --params params/2025.yaml --n 20",
                        "evalkit themes suggest --input innovations.csv --labels labelled.csv "
                        "--out to-label.csv"))
    source = suggest.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", type=Path, metavar="CSV",
                        help="the innovations (CSV or XLSX)")
    source.add_argument("--params", type=Path, metavar="YAML",
                        help="the year's params file (its innovations and labelled rows)")
    suggest.add_argument("--n", type=int, default=30, metavar="N",
                         help="how many rows (default 30)")
    suggest.add_argument("--labels", type=Path, metavar="CSV",
                         help="with --input: rows already labelled (learned from, never "
                              "suggested again)")
    suggest.add_argument("--out", type=Path, metavar="CSV",
                         help="write the suggestions (with an empty theme column) here")
    _common(suggest)
    suggest.set_defaults(func=suggest_command)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--taxonomy", type=Path, metavar="YAML",
                        help="theme taxonomy (default: the one shipped with evalkit)")
    parser.add_argument("--seed", type=int, default=0,
                        help="random_state of the models (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def _check_seed(args: argparse.Namespace) -> None:
    if not 0 <= args.seed < 2**32:
        raise UsageError("--seed must be a whole number from 0 to 4294967295")


def _check_out(args: argparse.Namespace) -> None:
    """Never write over an input, nor into a folder's name."""
    if args.out is None:
        return
    inputs = [p.resolve() for p in (getattr(args, "input", None), args.labels) if p is not None]
    if args.out.resolve() in inputs:
        raise InputError([Issue("error", "--out names an input file; evalkit never writes "
                                "over its inputs, so give another file", file=str(args.out))])
    if args.out.is_dir():
        raise InputError([Issue("error", "--out is a folder; give a CSV file name",
                                file=str(args.out))])


def _canonical_inputs(rows: Any) -> Any:
    """The model's columns (title, description, unit, affair) from a CSV's own headers."""
    import pandas as pd

    from evalkit.themes.workflow import MODEL_COLUMNS, canonical_columns

    found = canonical_columns(rows)
    return pd.DataFrame({c: rows[found[c]].fillna("").astype(str) if c in found else ""
                         for c in MODEL_COLUMNS}, index=rows.index)


def _read_innovations(path: Path) -> Any:
    from evalkit.themes.workflow import innovation_headers, read_rows

    return read_rows(path, INPUT_COLUMNS, innovation_headers())


def assign_command(args: argparse.Namespace) -> int:
    import pandas as pd

    from evalkit.themes.classifier import ThemeClassifier
    from evalkit.themes.taxonomy import load_taxonomy
    from evalkit.themes.workflow import MODEL_COLUMNS, read_labels

    if not 0 <= args.min_confidence <= 1:
        raise UsageError("--min-confidence must be between 0 and 1")
    _check_seed(args)
    _check_out(args)
    taxonomy = load_taxonomy(args.taxonomy)
    rows = _read_innovations(args.input)
    inputs = _canonical_inputs(rows)
    targets: list[object] = [None] * len(rows)
    if args.labels is not None:
        labelled = read_labels(args.labels, taxonomy)
        inputs = pd.concat([inputs, labelled[list(MODEL_COLUMNS)]], ignore_index=True)
        targets += list(labelled["theme"])
    model = ThemeClassifier(taxonomy, min_confidence=args.min_confidence,
                            random_state=args.seed)
    result = model.fit_assign(inputs, targets).iloc[:len(rows)]
    out = rows.assign(theme=result["theme"].to_numpy(),
                      confidence=result["confidence"].round(4).to_numpy())
    from evalkit.fileio import write_atomic
    from evalkit.spreadsheet import text_cells

    write_atomic(args.out, lambda tmp: text_cells(out).to_csv(
        tmp, index=False, lineterminator="\n", encoding="utf-8"))
    counts = out["theme"].value_counts()
    summary = {"rows": len(out), "out": str(args.out), "labelled_rows": model.n_labelled_,
               "weak_labels": model.n_weak_, "self_training_rows": model.n_pseudo_,
               "affair_used": model.used_affair_, "temperature": round(model.temperature_, 4),
               "fallback": int(counts.get(taxonomy.fallback, 0)),
               "themes": {t: int(counts.get(t, 0)) for t in taxonomy.ids}}
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, **summary})
        return EXIT_OK
    print(f"{len(out)} innovations -> {args.out} ({model.n_labelled_} labelled rows learned "
          f"from, {model.n_weak_} seed-labelled, {model.n_pseudo_} self-trained)")
    for theme, n in summary["themes"].items():
        if n:
            print(f"  {theme:<16} {n:6d}")
    return EXIT_OK


def evaluate_command(args: argparse.Namespace) -> int:
    from evalkit.themes.evaluate import learning_curve, protocol, read_labelled
    from evalkit.themes.taxonomy import load_taxonomy

    if args.lexicon_cuts < 0:
        raise UsageError("--lexicon-cuts must be 0 or more")
    _check_seed(args)
    taxonomy = load_taxonomy(args.taxonomy)
    missing = [p for p in args.labels if not p.is_file()]
    if missing:
        raise InputError([Issue("error", "file not found", file=str(p)) for p in missing])
    frame = read_labelled(args.labels)
    problems = [c for c in ("title", "theme", args.group_by) if c not in frame.columns]
    if problems:
        raise InputError([Issue("error", f"required column(s) missing: {', '.join(problems)}"
                                         f" (use --group-by to name the grouping column)",
                                file=str(args.labels[0]), row=1, code="missing-column")])
    unknown = sorted(set(frame["theme"].str.strip()) - set(taxonomy.ids))
    if unknown:
        raise InputError([Issue("error", f"unknown theme(s) {', '.join(unknown)}; known: "
                                         f"{', '.join(taxonomy.ids)}", column="theme",
                                code="unknown-theme")])
    if frame[args.group_by].nunique() < 2:
        raise UsageError(f"--group-by {args.group_by}: at least two groups are needed")
    start = time.perf_counter()
    report = protocol(frame, taxonomy, group_column=args.group_by,
                      lexicon_cuts=args.lexicon_cuts, random_state=args.seed)
    if args.learning_curve:
        if args.curve_test_share is not None and not 0 < args.curve_test_share < 1:
            raise UsageError("--curve-test-share must be between 0 and 1")
        report["learning_curve"] = learning_curve(frame, taxonomy, group_column=args.group_by,
                                                  random_state=args.seed,
                                                  test_share=args.curve_test_share)
    report["seconds"] = round(time.perf_counter() - start, 1)
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, **report})
        return EXIT_OK
    print("\n".join(text_lines(report)))
    return EXIT_OK


def suggest_command(args: argparse.Namespace) -> int:
    from evalkit.themes.taxonomy import load_taxonomy

    if args.n < 1:
        raise UsageError("--n must be at least 1")
    _check_seed(args)
    _check_out(args)
    if args.params is not None:
        if args.labels is not None or args.taxonomy is not None:
            raise UsageError("with --params, the labels and taxonomy come from the params")
        from evalkit.config import load_params
        from evalkit.themes.workflow import run, suggestions

        params = load_params(args.params)
        done = run(params)
        picked = suggestions(done, params, args.n)
    else:
        import pandas as pd

        from evalkit.themes.classifier import ThemeClassifier
        from evalkit.themes.suggest import suggest
        from evalkit.themes.workflow import MODEL_COLUMNS, canonical_columns, read_labels

        taxonomy = load_taxonomy(args.taxonomy)
        rows = _read_innovations(args.input)
        inputs = _canonical_inputs(rows)
        inputs.insert(0, "innovation_id", rows[canonical_columns(rows)["innovation_id"]])
        labelled = read_labels(args.labels, taxonomy) if args.labels is not None else None
        model_inputs, targets = inputs[list(MODEL_COLUMNS)], [None] * len(inputs)
        if labelled is not None:
            model_inputs = pd.concat([model_inputs, labelled[list(MODEL_COLUMNS)]],
                                     ignore_index=True)
            targets += list(labelled["theme"])
        model = ThemeClassifier(taxonomy, random_state=args.seed).fit(model_inputs, targets)
        picked = suggest(model, inputs, args.n, labelled)
    if args.out is not None:
        from evalkit.fileio import write_atomic
        from evalkit.spreadsheet import text_cells

        write_atomic(args.out, lambda tmp: text_cells(picked).to_csv(
            tmp, index=False, lineterminator="\n", encoding="utf-8"))
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, "n": len(picked),
                    "out": None if args.out is None else str(args.out),
                    "rows": picked.to_dict(orient="records")})
        return EXIT_OK
    print(f"{len(picked)} innovations to label first (most useful first)"
          + (f" -> {args.out}" if args.out else ""))
    for row in picked.itertuples(index=False):
        title = str(row.title)
        title = title if len(title) <= 60 else title[:59] + "…"
        print(f"  {row.rank:3d}. {row.innovation_id!s:<14} {title:<60} "
              f"now {row.suggested_theme} ({row.confidence:.2f})")
    sys.stdout.flush()
    return EXIT_OK


def text_lines(report: dict[str, Any]) -> list[str]:
    """Plain-text scores: one block per configuration, then the optional extras."""
    lines = [f"{report['n']} labelled rows in {report['groups']} {report['group_column']} "
             f"groups, each held out in turn; inputs: {', '.join(report['inputs'])}; macro-F1 "
             f"over themes with at least {report['min_support']} gold rows"]
    for name, scores in report["configs"].items():
        macro = "n/a" if scores["macro_f1"] is None else f"{scores['macro_f1']:.3f}"
        lines += ["", f"{name}: macro-F1 {macro} (pooled), {scores['fold_mean_macro_f1']} "
                      f"(mean of folds), accuracy {scores['accuracy']:.3f}, ECE "
                      f"{scores['ece']} (map fitted without the held-out group: "
                      f"{scores['ece_map_fitted_without_the_group']})",
                  f"  {'theme':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'gold':>5}"]
        for row in scores["per_theme"]:
            lines.append(f"  {row['theme']:<16} {row['precision']:9.2f} {row['recall']:7.2f} "
                         f"{row['f1']:6.2f} {row['support']:5d}")
        lines.append("  reliability (confidence bin: rows, mean confidence, share right):")
        for r in scores["reliability"]:
            if r["rows"]:
                lines.append(f"    {r['low']:.1f}-{r['high']:.1f}: {r['rows']:4d}  "
                             f"{r['mean_confidence']:.2f}  {r['accuracy']:.2f}")
        labels = scores["confusion"]["labels"]
        lines.append("  confusion (rows gold, columns predicted):")
        lines.append("  " + " " * 16 + " ".join(f"{s[:6]:>6}" for s in labels))
        for label, counts in zip(labels, scores["confusion"]["matrix"], strict=True):
            lines.append(f"  {label:<16}" + " ".join(f"{c:6d}" for c in counts))
    if "lexicon_cut" in report:
        cut = report["lexicon_cut"]
        lines += ["", f"lexicon cut ({cut['share']:.0%} of the seeds removed, {cut['cuts']} "
                      "random cuts): macro-F1 mean (min-max)"]
        for name in report["configs"]:
            c = cut[name]
            lines.append(f"  {name:<12} {c['mean']} ({c['min']}-{c['max']})")
    if "learning_curve" in report:
        lines += ["", "learning curve (macro-F1 on the held-back province's remaining rows):"]
        for p in report["learning_curve"]["points"]:
            lines.append(f"  {p['strategy']:<10} {p['labels']:3d} labels: pooled "
                         f"{p['pooled_macro_f1']}, mean of provinces {p['mean_group_macro_f1']}"
                         f", accuracy {p['mean_group_accuracy']} ({len(p['groups'])} provinces)")
    return lines
