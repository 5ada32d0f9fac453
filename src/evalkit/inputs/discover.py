"""Finding a year's tables in its folder: by file or sheet name, by the params' ``inputs``
section, or by content (the IID application's export is known by its headers).

A file is opened for what it is, not for what its name says. A file whose name says it holds
a table but that cannot be read is an error, never skipped: ignoring ``evidence.xls`` would
quietly score every innovation without its evidence.
"""

from __future__ import annotations

import difflib
import fnmatch
import zipfile
from dataclasses import dataclass
from pathlib import Path

from evalkit.inputs.columns import header_keys, normalise_header
from evalkit.inputs.importers import Profile, recognise
from evalkit.inputs.read import RawTable, file_kind, ole2_description, read_csv, read_xlsx
from evalkit.inputs.schema import TABLES, Table
from evalkit.issues import Issue

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".tsv")
TABLE_SUFFIXES = (*WORKBOOK_SUFFIXES, *TEXT_SUFFIXES, ".xls", ".ods", ".txt")
# Files that are notes or attachments: not read, not mentioned (unless named as a table).
QUIET_SUFFIXES = {".md", ".txt", ".pdf", ".json", ".yaml", ".yml", ".doc", ".docx", ".odt",
                  ".jpg", ".jpeg", ".png", ".gif", ".ppt", ".pptx", ".mp4", ".zip", ".rtf",
                  ".html", ".htm"}


@dataclass(frozen=True)
class Found:
    """A table found in the folder, and the importer profile that recognised it (if any)."""

    raw: RawTable
    profile: Profile | None = None


def table_for_name(name: str) -> Table | None:
    key = normalise_header(name)
    for table in TABLES.values():
        if key == table.name or key in table.aliases:
            return table
    return None


def _stem_table(path: Path) -> Table | None:
    """The table a file's name gives: 'evidence.csv.txt' and 'evidence.xlsx' give evidence."""
    name = path.name
    while True:
        stem, dot, suffix = name.rpartition(".")
        if not dot or ("." + suffix.lower()) not in TABLE_SUFFIXES:
            break
        name = stem
    return table_for_name(name)


def _suggest_table(name: str) -> str:
    names = [t.name for t in TABLES.values()] + [a for t in TABLES.values() for a in t.aliases]
    close = difflib.get_close_matches(normalise_header(name), names, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _by_headers(raw: RawTable) -> str:
    """'its headers match table innovations (5 columns)' when the headers say more than the
    name does."""
    present = {k for h in raw.header if h for k in header_keys(h)}
    best, hits = "", 0
    for table in TABLES.values():
        spellings = {normalise_header(s) for c in table.columns for s in (c.name, *c.aliases)}
        count = len(present & spellings)
        if count > hits:
            best, hits = table.name, count
    return f"; its headers match table '{best}' ({hits} columns)" if hits >= 2 else ""


def _forced(path: Path, settings: object | None) -> list[tuple[Table, str]]:
    """Tables the params' ``inputs.<table>.file`` assign to this file (with the sheet)."""
    if settings is None:
        return []
    out = []
    for table in TABLES.values():
        wanted = settings.table(table.name)  # type: ignore[attr-defined]
        if wanted.file and fnmatch.fnmatch(path.name.lower(), wanted.file.lower()):
            out.append((table, wanted.sheet))
    return out


def _is_ods(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as book:
            return "mimetype" in book.namelist() and b"opendocument" in book.read("mimetype")
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _read(path: Path, label: str, named: bool) -> tuple[list[RawTable], list[Issue], bool]:
    """Read a file by what it is. Returns the tables, issues, and whether it was a table
    file at all (notes and attachments are not)."""
    suffix = path.suffix.lower()
    kind = file_kind(path)
    table_like = named or (suffix in TABLE_SUFFIXES and suffix != ".txt")
    if kind == "empty":
        if table_like:
            return [], [Issue("error", "file is empty (no header row)", file=label,
                              code="empty")], True
        return [], [], False
    if kind == "zip":
        if _is_ods(path):
            if table_like:
                return [], [Issue("error", "an OpenDocument spreadsheet (.ods), which evalkit "
                                           "does not read; save it as .xlsx", file=label,
                                  code="xlsx")], True
            return [], [], False
        if suffix in WORKBOOK_SUFFIXES or table_like:
            tables, issues = read_xlsx(path, label)
            if suffix not in WORKBOOK_SUFFIXES:
                issues.insert(0, Issue("warning", f"named '{suffix}' but is an Excel workbook; "
                                                  "read as one", file=label, code="file-type",
                                       value=suffix, args=(("suffix", suffix),)))
            return tables, issues, True
        return [], [], False
    if kind == "ole2":
        if table_like:
            return [], [Issue("error", f"not readable: {ole2_description(path)}", file=label,
                              code="xlsx")], True
        return [], [], False
    if kind in ("html", "binary"):
        if table_like:
            what = ("an HTML page saved under a spreadsheet name (some portals export tables "
                    "this way)" if kind == "html" else "neither text nor a workbook")
            return [], [Issue("error", f"not readable: {what}; open it in Excel or LibreOffice "
                                       "and save it as .xlsx or CSV UTF-8", file=label,
                              code="file-type")], True
        return [], [], False
    # text
    if suffix in TEXT_SUFFIXES or table_like:
        raw, issues = read_csv(path, label)
        if suffix not in TEXT_SUFFIXES:
            issues.insert(0, Issue("warning", f"named '{path.name}' but is CSV text; read as CSV",
                                   file=label, code="file-type", value=suffix,
                                   args=(("suffix", suffix or "(none)"),)))
        return ([raw] if raw is not None else []), issues, True
    return [], [], False


def discover(year_dir: Path, settings: object | None = None
             ) -> tuple[dict[str, Found], list[Issue]]:
    """Every table in a year folder: <table>.csv, <table>.xlsx, sheets of any workbook, files
    the params name, and exports recognised by their headers."""
    return discover_files(sorted(year_dir.iterdir()), settings)


def discover_files(paths: list[Path], settings: object | None = None
                   ) -> tuple[dict[str, Found], list[Issue]]:
    """The tables in the given files (see :func:`discover`)."""
    found: dict[str, Found] = {}
    issues: list[Issue] = []

    def add(table: Table | None, raw: RawTable, profile: Profile | None = None) -> None:
        if table is None:
            name = raw.sheet or Path(raw.file).stem
            issues.append(Issue(
                "error", f"'{name}' is not a known table{_suggest_table(name)}"
                f"{_by_headers(raw)}; known tables: {', '.join(TABLES)}. Rename a notes sheet "
                "or file to start with '_' to keep it, or name the file in the params "
                "(inputs.<table>.file).", file=raw.file, sheet=raw.sheet, code="unknown-table",
                value=name))
            return
        if table.name in found:
            first = found[table.name].raw
            issues.append(Issue(
                "error", f"table '{table.name}' is given twice: here and in {first.file}"
                + (f" [{first.sheet}]" if first.sheet else ""), file=raw.file, sheet=raw.sheet,
                code="duplicate-table", value=table.name))
            return
        found[table.name] = Found(raw, profile)

    for path in paths:
        if path.name.startswith(("_", ".", "~$")) or path.is_dir():
            continue
        label = str(path)
        forced = _forced(path, settings)
        file_table = _stem_table(path)
        named = bool(forced) or file_table is not None
        tables, problems, readable = _read(path, label, named)
        issues.extend(problems)
        if not readable:
            if path.suffix.lower() not in QUIET_SUFFIXES:
                issues.append(Issue("warning", f"ignored: '{path.suffix}' files are not read "
                                               "(use .csv or .xlsx)", file=label, code="ignored",
                                    value=path.suffix, args=(("suffix", path.suffix),)))
            continue
        visible = [r for r in tables if not r.hidden and not r.sheet.startswith("_")]
        for raw in tables:
            if raw.sheet.startswith("_"):
                continue
            assigned = next((t for t, sheet in forced
                             if not sheet or sheet.lower() == raw.sheet.lower()), None)
            profile = recognise(raw)
            sheet_table = table_for_name(raw.sheet) if raw.sheet else None
            if raw.hidden and assigned is None:
                if sheet_table is not None:
                    issues.append(Issue(
                        "error", f"sheet '{raw.sheet}' is hidden; unhide it to have it read as "
                        f"table '{sheet_table.name}', or rename it to start with '_' to keep "
                        "it as notes", file=label, sheet=raw.sheet, code="hidden-sheet",
                        value=raw.sheet))
                else:
                    issues.append(Issue(
                        "warning", f"sheet '{raw.sheet}' is hidden and is not read",
                        file=label, sheet=raw.sheet, code="hidden-sheet", value=raw.sheet,
                        args=(("sheet", raw.sheet),)))
                continue
            if assigned is not None:
                add(assigned, raw, profile if profile and profile.table == assigned.name
                    else None)
            elif profile is not None:
                add(TABLES[profile.table], raw, profile)
            elif raw.sheet and len(visible) == 1 and file_table is not None:
                add(file_table, raw)  # one table per file: the file name decides
            elif raw.sheet:
                add(sheet_table, raw)
            else:
                add(file_table, raw)
    return found, issues
