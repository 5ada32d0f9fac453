"""``evalkit import iid-export FILE --region R --year Y --out data/R/``: another system's export
written out once as evalkit's canonical tables, for users who edit them by hand afterwards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evalkit.cli import EXIT_OK, UsageError, examples, issue_lines, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="another system's export as canonical tables",
        description="Write another system's export once as evalkit's own tables, for a region "
                    "that edits them by hand afterwards. evalkit reads the IID application's "
                    "export as it comes too: importing is only needed to edit the tables.")
    commands = parser.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    iid = commands.add_parser(
        "iid-export", help="the IID application's innovation export (data_inovasi.xlsx)",
        description="Write innovations.csv and units.csv into OUT/YEAR/ from the IID "
                    "application's export. Existing files are never overwritten. Personal data "
                    "(Nama Inisiator) is not read. Text that a spreadsheet would run as a "
                    "formula is written with a leading apostrophe (read back as written).",
        epilog=examples("evalkit import iid-export data_inovasi.xlsx --region rejang-lebong "
                        "--year 2025 --out data/rejang-lebong",
                        "evalkit import iid-export data_inovasi.xlsx --region rl --year 2025 "
                        "--out data/rl --json"))
    iid.add_argument("file", type=Path, metavar="FILE",
                     help="the export as downloaded (.xlsx or .csv)")
    iid.add_argument("--region", required=True, help="the region's short id, e.g. jawa-timur")
    iid.add_argument("--year", required=True, type=int, help="the year the export is for")
    iid.add_argument("--out", required=True, type=Path, metavar="DIR",
                     help="the region's data folder; the tables go to DIR/YEAR/")
    iid.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    iid.set_defaults(func=import_iid_export)


def import_iid_export(args: argparse.Namespace) -> int:
    from evalkit.inputs.importers.iid_export import read_export, write_tables
    from evalkit.issues import InputError, Issue, group_issues

    if not args.file.is_file():
        what = "is a folder, not an export file" if args.file.is_dir() else "file not found"
        raise InputError([Issue("error", what, file=str(args.file), code="import:file")])
    if not 2000 <= args.year <= 2100:
        raise UsageError(f"--year looks wrong: {args.year}")
    year_dir = args.out / str(args.year)
    if args.file.resolve().parent == year_dir.resolve():
        raise UsageError("FILE is inside OUT/YEAR: the folder would then hold the innovations "
                         "twice; keep the export elsewhere (or rename it to start with '_')")
    imported = read_export(args.file, args.year)
    written = write_tables(imported, year_dir)
    warnings = [i for i in imported.issues if i.severity == "warning" and i.code != "no-table"]
    if args.json:
        print_json({"ok": True, "exit_code": EXIT_OK, "region": args.region, "year": args.year,
                    "written": [str(p) for p in written],
                    "innovations": len(imported.innovations),
                    "units": len(imported.units),
                    "units_kind_inferred": imported.inferred_kinds,
                    "groups": [g.to_dict() for g in group_issues(warnings)],
                    "issues": [i.to_dict() for i in warnings]})
        return EXIT_OK
    if args.verbosity >= 1:
        for line in issue_lines(warnings, grouped=args.verbosity < 2):
            print(f"  {line}")
    for path in written:
        print(f"wrote {path}")
    print(f"{len(imported.innovations)} innovations, {len(imported.units)} units "
          f"({imported.inferred_kinds} with a kind inferred from the name: check units.csv) "
          f"for {args.region} {args.year}", file=sys.stdout)
    return EXIT_OK
