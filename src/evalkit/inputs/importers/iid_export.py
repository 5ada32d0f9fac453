"""The IID application's innovation export written out as evalkit's canonical tables.

A year folder can hold the export as downloaded (it is recognised and read as it comes).
``evalkit import iid-export`` is for users who want the tables once, as plain CSV with
evalkit's own headers, to edit by hand afterwards: ``innovations.csv`` (stable ids from the
content, the year, the application's values mapped to evalkit's) and ``units.csv`` (one unit
per name, logins as aliases, kinds inferred from the names). ``Nama Inisiator`` is never read,
so it cannot reach either file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.fileio import write_text_atomic
from evalkit.inputs.importers import profile
from evalkit.inputs.schema import TABLES
from evalkit.inputs.validate import validate_files
from evalkit.issues import InputError, Issue
from evalkit.spreadsheet import as_text_cell

PROFILE = "iid_export"
INNOVATION_COLUMNS = ("innovation_id", "year", "unit_id", "title", "form", "type", "affair",
                      "other_affairs", "stage", "start_date", "developed_date", "entered_date",
                      "initiator", "maturity_reported", "asta_cipta", "region", "video",
                      "video_url")
UNIT_COLUMNS = ("unit_id", "name", "kind", "aliases", "parent")


@dataclass(frozen=True)
class Imported:
    """The canonical tables made from an export, and what validation said about it."""

    innovations: pd.DataFrame
    units: pd.DataFrame
    issues: list[Issue]

    @property
    def inferred_kinds(self) -> int:
        return int(self.units["kind_inferred"].sum()) if len(self.units) else 0


def read_export(file: Path, year: int) -> Imported:
    """Read an IID application export; :class:`InputError` when it is not one or has errors."""
    checked = validate_files([file], year)
    found = checked.profiles.get("innovations")
    if found != profile(PROFILE).id:
        known = ", ".join(profile(PROFILE).signature)
        extra = [i for i in checked.issues if i.severity == "error"]
        raise InputError([Issue("error", "not an IID application export: its headers do not "
                                         f"include enough of {known}", file=str(file),
                                code="not-export"), *extra])
    if any(i.severity == "error" for i in checked.issues):
        raise InputError(checked.issues)
    return Imported(checked.frames["innovations"], checked.frames["units"], checked.issues)


def _csv(frame: pd.DataFrame, columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in frame[list(columns)].itertuples(index=False):
        # Text that would run as a formula in Excel gets its apostrophe (read back as written).
        writer.writerow([as_text_cell(_text(v)) for v in row])
    return buffer.getvalue()


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write_tables(imported: Imported, year_dir: Path) -> list[Path]:
    """Write innovations.csv and units.csv into ``year_dir``; never over an existing file."""
    targets = {"innovations": year_dir / "innovations.csv", "units": year_dir / "units.csv"}
    present = [p for p in targets.values() if p.exists()]
    others = [p for p in year_dir.iterdir() if p.is_file() and not p.name.startswith(("_", "."))
              and p.suffix.lower() in (".csv", ".xlsx")] if year_dir.is_dir() else []
    clash = [p for p in others if p not in targets.values() and p.stem in TABLES]
    if present:
        raise InputError([Issue("error", "already exists; evalkit import never overwrites a "
                                         "file (move it away first)", file=str(p),
                                code="exists") for p in present])
    if clash:
        raise InputError([Issue("error", "this folder already holds that table in another "
                                         "file", file=str(p), code="exists") for p in clash])
    innovations = imported.innovations.sort_values("_row", kind="stable")
    written = [write_text_atomic(targets["innovations"], _csv(innovations, INNOVATION_COLUMNS)),
               write_text_atomic(targets["units"], _csv(imported.units, UNIT_COLUMNS))]
    return written
