"""``evalkit themes assign`` and ``evalkit themes evaluate``: theme assignment of any CSV of
innovations, and its measurement against gold labels."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.cli import EXIT_OK, UsageError

INPUT_COLUMNS = ("innovation_id", "title")  # description and unit are used when present


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("themes", help="theme of each innovation, and its accuracy")
    commands = parser.add_subparsers(dest="themes_command", metavar="COMMAND", required=True)

    assign = commands.add_parser(
        "assign", help="add theme and confidence to a CSV of innovations",
        description="Reads innovation_id, title, description, unit (unit = the unit's name); "
                    "writes the same rows with theme and confidence added.")
    assign.add_argument("--input", required=True, type=Path, metavar="CSV")
    assign.add_argument("--out", required=True, type=Path, metavar="CSV")
    assign.add_argument("--labels", type=Path, metavar="CSV",
                        help="labelled rows to learn from: innovation_id, title, description, "
                             "unit, theme")
    _common(assign)
    assign.add_argument("--min-confidence", type=float, default=0.3, metavar="P",
                        help="below this the fallback theme is given (default 0.3)")
    assign.set_defaults(func=assign_command)

    evaluate = commands.add_parser(
        "evaluate", help="macro-F1, accuracy, per-theme precision/recall, confusion matrix",
        description="Scores the method on labelled rows (innovation_id, title, description, "
                    "unit, theme): without labels (seeds only) and learning from the other "
                    "folds' labels (stratified k-fold), plus folds grouped by unit.")
    evaluate.add_argument("--labels", required=True, type=Path, metavar="CSV")
    evaluate.add_argument("--folds", type=int, default=5, metavar="K")
    _common(evaluate)
    evaluate.set_defaults(func=evaluate_command)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--taxonomy", type=Path, metavar="YAML",
                        help="theme taxonomy (default: params/themes.yaml)")
    parser.add_argument("--seed", type=int, default=0, help="random_state (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def assign_command(args: argparse.Namespace) -> int:
    from evalkit.themes.classifier import TEXT_COLUMNS, ThemeClassifier
    from evalkit.themes.taxonomy import load_taxonomy
    from evalkit.themes.workflow import read_labels, read_rows

    if not 0 <= args.min_confidence <= 1:
        raise UsageError("--min-confidence must be between 0 and 1")
    taxonomy = load_taxonomy(args.taxonomy)
    rows = read_rows(args.input, INPUT_COLUMNS)
    inputs = rows.reindex(columns=list(TEXT_COLUMNS), fill_value="")
    targets: list[object] = [None] * len(rows)
    if args.labels is not None:
        labelled = read_labels(args.labels, taxonomy)
        inputs = pd.concat([inputs, labelled[list(TEXT_COLUMNS)]], ignore_index=True)
        targets += list(labelled["theme"])
    model = ThemeClassifier(taxonomy, min_confidence=args.min_confidence,
                            random_state=args.seed)
    result = model.fit_assign(inputs, targets).iloc[:len(rows)]
    out = rows.assign(theme=result["theme"].to_numpy(),
                      confidence=result["confidence"].round(4).to_numpy())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.out, index=False, lineterminator="\n", encoding="utf-8")
    counts = out["theme"].value_counts()
    summary = {"rows": len(out), "out": str(args.out), "labelled_rows": model.n_labelled_,
               "weak_labels": model.n_weak_, "fallback": int(counts.get(taxonomy.fallback, 0)),
               "themes": {t: int(counts.get(t, 0)) for t in taxonomy.ids}}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return EXIT_OK
    print(f"{len(out)} innovations -> {args.out} ({model.n_labelled_} labelled rows learned "
          f"from, {model.n_weak_} seed-labelled)")
    for theme, n in summary["themes"].items():
        if n:
            print(f"  {theme:<16} {n:6d}")
    return EXIT_OK


def evaluate_command(args: argparse.Namespace) -> int:
    from evalkit.themes.classifier import ThemeClassifier
    from evalkit.themes.evaluate import evaluate_dev_set
    from evalkit.themes.taxonomy import load_taxonomy
    from evalkit.themes.workflow import LABEL_COLUMNS, read_labels

    if args.folds < 2:
        raise UsageError("--folds must be at least 2")
    taxonomy = load_taxonomy(args.taxonomy)
    labelled = read_labels(args.labels, taxonomy, LABEL_COLUMNS[1:])  # no id needed
    if len(labelled) < args.folds:
        raise UsageError(f"{len(labelled)} labelled rows are too few for {args.folds} folds")

    def make() -> ThemeClassifier:
        return ThemeClassifier(taxonomy, random_state=args.seed)

    report = evaluate_dev_set(labelled, make, n_splits=args.folds, random_state=args.seed)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return EXIT_OK
    print("\n".join(text_lines(report)))
    return EXIT_OK


def text_lines(report: dict[str, Any]) -> list[str]:
    """Plain-text scores: one block per configuration."""
    lines = [f"{report['n']} labelled rows; macro-F1 over themes with at least 5 gold rows; "
             f"{report['n_splits']}-fold, random_state {report['random_state']}"]
    for name, scores in report["configs"].items():
        macro = "n/a" if scores["macro_f1"] is None else f"{scores['macro_f1']:.3f}"
        lines += ["", f"{name}: macro-F1 {macro}  accuracy "
                      f"{scores['accuracy']:.3f}  (scored: {', '.join(scores['scored_themes'])})",
                  f"  {'theme':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'gold':>5}"]
        for row in scores["per_theme"]:
            lines.append(f"  {row['theme']:<16} {row['precision']:9.2f} {row['recall']:7.2f} "
                         f"{row['f1']:6.2f} {row['support']:5d}")
        labels = scores["confusion"]["labels"]
        short = [label[:6] for label in labels]
        lines.append("  confusion (rows gold, columns predicted):")
        lines.append("  " + " " * 16 + " ".join(f"{s:>6}" for s in short))
        for label, counts in zip(labels, scores["confusion"]["matrix"], strict=True):
            lines.append(f"  {label:<16}" + " ".join(f"{c:6d}" for c in counts))
    return lines
