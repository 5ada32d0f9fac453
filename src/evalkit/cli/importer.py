"""``evalkit import iid-export FILE --region R --year Y --out data/R/``: another system's export
written out once as evalkit's canonical tables, for users who edit them by hand afterwards."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evalkit.cli import EXIT_OK, UsageError
from evalkit.issues import format_groups, group_issues


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="another system's export as canonical tables")
    commands = parser.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    iid = commands.add_parser(
        "iid-export", help="the IID application's innovation export (data_inovasi.xlsx)",
        description="Write innovations.csv and units.csv into OUT/YEAR/ from the IID "
                    "application's export. Existing files are never overwritten. Personal data "
                    "(Nama Inisiator) is not read.")
    iid.add_argument("file", type=Path, metavar="FILE")
    iid.add_argument("--region", required=True, help="the region's short id, e.g. jawa-timur")
    iid.add_argument("--year", required=True, type=int, help="the year the export is for")
    iid.add_argument("--out", required=True, type=Path, metavar="DIR",
                     help="the region's data folder; the tables go to DIR/YEAR/")
    iid.add_argument("--json", action="store_true", help="print one JSON object")
    iid.set_defaults(func=import_iid_export)


def import_iid_export(args: argparse.Namespace) -> int:
    from evalkit.inputs.importers.iid_export import read_export, write_tables

    if not args.file.is_file():
        raise UsageError(f"not a file: {args.file}")
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
        print(json.dumps({"region": args.region, "year": args.year,
                          "written": [str(p) for p in written],
                          "innovations": len(imported.innovations),
                          "units": len(imported.units),
                          "units_kind_inferred": imported.inferred_kinds,
                          "groups": [g.to_dict() for g in group_issues(warnings)]},
                         ensure_ascii=False))
        return EXIT_OK
    for line in format_groups(group_issues(warnings)):
        print(line)
    for path in written:
        print(f"wrote {path}")
    print(f"{len(imported.innovations)} innovations, {len(imported.units)} units "
          f"({imported.inferred_kinds} with a kind inferred from the name: check units.csv) "
          f"for {args.region} {args.year}", file=sys.stdout)
    return EXIT_OK
