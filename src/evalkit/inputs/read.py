"""Reading raw table files: CSV (UTF-8, UTF-8 with BOM, Windows-1252; comma, semicolon or
tab separated) and XLSX (one table per sheet or per file).

Everything is read as text first, so that validation, not the reader, decides what a cell
means, and every cell keeps its spreadsheet row number for error messages. The reader looks
at what a file is, not only at its name: a workbook saved as ``.csv``, a CSV named ``.xlsx``,
an old ``.xls`` or a password-protected workbook is recognised or named for what it is.
Nothing a reader cannot place is dropped in silence: a CSV row longer than its header, a file
mixing two encodings, or a formula whose result was never saved is an error with its place.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from evalkit.inputs.xlsx import Sheet, WorkbookError, column_letters, read_workbook
from evalkit.issues import Issue
from evalkit.spreadsheet import from_text_cell

CSV_ENCODINGS = ("utf-8-sig", "cp1252")
FileKind = Literal["empty", "zip", "ole2", "html", "text", "binary"]
_UTF8_MULTIBYTE = re.compile(rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|"
                             rb"[\xF0-\xF4][\x80-\xBF]{3}")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
MAX_LISTED_LINES = 5


@dataclass(frozen=True)
class RawTable:
    """Cells of one table as text, with the header row and where it came from."""

    file: str
    sheet: str
    header: list[str]
    rows: list[list[str]]  # data rows; rows[i] is spreadsheet row row_number(i)
    first_row: int = 2
    # Spreadsheet row of each data row when rows are not consecutive (XLSX skips empty rows).
    row_numbers: tuple[int, ...] | None = None
    # Formula cells with no saved result: (spreadsheet row, header index) -> formula.
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden: bool = False
    header_row: int = 1
    # Rows the reader already reported as unreadable (a CSV row longer than its header):
    # converting their shifted cells would only add misleading errors.
    skip_rows: frozenset[int] = frozenset()

    def row_number(self, offset: int) -> int:
        if self.row_numbers is not None:
            return self.row_numbers[offset]
        return self.first_row + offset


def file_kind(path: Path) -> FileKind:
    """What a file really is, from its first bytes (the name can say otherwise)."""
    with path.open("rb") as handle:
        head = handle.read(2048)
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if b"\x00" in head[:1024] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def ole2_description(path: Path) -> str:
    """An OLE2 compound file is either an encrypted (password-protected) workbook or a
    pre-2007 Excel .xls; say which."""
    data = path.read_bytes()
    if _ENCRYPTED in data:
        return ("the workbook is protected with a password (encrypted); open it, remove the "
                "password (File > Info > Protect Workbook) and save it again as .xlsx")
    return ("an old Excel 97-2003 workbook (.xls), which evalkit does not read; open it in "
            "Excel or LibreOffice and save it as .xlsx (Excel Workbook)")


def _bad_lines(data: bytes) -> list[int]:
    lines = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(number)
    return lines


def _decode(data: bytes, file: str) -> tuple[str | None, Issue | None]:
    if b"\x00" in data[:4096]:
        return None, Issue("error", "file is not text in UTF-8 or Windows-1252 (it holds NUL "
                                    "bytes; UTF-16 exports are not supported: save as CSV "
                                    "UTF-8)", file=file, code="encoding")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        lines = _bad_lines(data)
        shown = ", ".join(str(n) for n in lines[:MAX_LISTED_LINES])
        more = f" and {len(lines) - MAX_LISTED_LINES} more" if len(lines) > MAX_LISTED_LINES else ""
        return None, Issue(
            "error", f"file mixes two text encodings: most of it is UTF-8 but line(s) {shown}"
            f"{more} are not (typically Windows-1252 text pasted in); reading it either way "
            "would garble letters (JUMâ€™AT). Save it again as 'CSV UTF-8'",
            file=file, row=lines[0] if lines else None, code="mixed-encoding",
            value=shown)
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError:
        return None, Issue("error", "file is neither UTF-8 nor Windows-1252 text; save it as "
                                    "'CSV UTF-8'", file=file, code="encoding")


def read_csv(path: Path, label: str) -> tuple[RawTable | None, list[Issue]]:
    """Read a CSV file into a RawTable, sniffing the delimiter from the header line."""
    data = path.read_bytes()
    if not data.strip():
        return None, [Issue("error", "file is empty (no header row)", file=label, code="empty")]
    text, issue = _decode(data, label)
    if text is None:
        return None, [issue] if issue else []
    lines = text.splitlines()
    first_line = lines[0] if lines else ""
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        return None, [Issue("error", f"not readable as CSV: {exc}", file=label, code="csv")]
    header = [h.strip() for h in records[0]]
    rows = records[1:]
    if "'" in text:  # a cell written as text by evalkit (an apostrophe before a formula sign)
        rows = [[from_text_cell(c) if c[:1] == "'" else c for c in r] for r in rows]
    while header and not header[-1]:
        header.pop()
    issues = []
    ragged: set[int] = set()
    width = len(header)
    for offset, cells in enumerate(rows):
        if len(cells) <= width:
            continue
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            ragged.add(offset + 2)
            issues.append(Issue(
                "error", f"this row has {len(cells)} values but the header has {len(header)} "
                f"columns; '{extra[0]}' would be lost. A number with a decimal comma in a "
                f"comma-separated file splits in two: quote it (\"85,5\") or use ';' between "
                "columns", file=label, row=offset + 2, code="ragged-row",
                value=f"{len(cells)} values"))
    return RawTable(label, "", header, rows, skip_rows=frozenset(ragged)), issues


def _table_from_sheet(sheet: Sheet, label: str) -> tuple[RawTable | None, list[Issue]]:
    """The sheet's first non-empty row is its header; later rows with a value are data."""
    if not sheet.cells:
        return None, []
    numbers = sorted(sheet.cells)
    header_row = numbers[0]
    cells = sheet.cells[header_row]
    width = max(cells)
    header = [cells.get(c, "").strip() for c in range(1, width + 1)]
    while header and not header[-1]:
        header.pop()
    issues: list[Issue] = []
    rows: list[list[str]] = []
    kept: list[int] = []
    outside: list[str] = []
    for number in numbers[1:]:
        found = sheet.cells[number]
        row = [found.get(c, "") for c in range(1, len(header) + 1)]
        stray = [c for c in found if c > len(header) or not header[c - 1]]
        outside += [f"{column_letters(c)}{number}" for c in stray]
        if any(v.strip() for v in row):
            rows.append(row)
            kept.append(number)
    if outside:
        shown = ", ".join(outside[:MAX_LISTED_LINES])
        more = f" and {len(outside) - MAX_LISTED_LINES} more" if len(outside) > 5 else ""
        issues.append(Issue(
            "warning", f"cell(s) {shown}{more} hold a value in a column without a header; "
            "they are not read", file=label, sheet=sheet.name, code="outside-table",
            value=shown, args=(("cells", shown + more),)))
    formulas = {}
    for (row, column), formula in sheet.formulas.items():
        if column <= len(header) and row > header_row:
            formulas[(row, column - 1)] = formula
    return RawTable(label, sheet.name, header, rows, first_row=header_row + 1,
                    row_numbers=tuple(kept), formulas=formulas, hidden=sheet.hidden,
                    header_row=header_row), issues


def read_xlsx(path: Path, label: str) -> tuple[list[RawTable], list[Issue]]:
    """Read every sheet of a workbook; empty sheets are skipped. Hidden sheets come back
    marked ``hidden`` for the caller to decide."""
    try:
        sheets = read_workbook(str(path))
    except zipfile.BadZipFile:
        if path.is_file() and file_kind(path) == "ole2":
            return [], [Issue("error", f"not a readable .xlsx workbook: "
                                       f"{ole2_description(path)}", file=label, code="xlsx")]
        return [], [Issue("error", "not a readable .xlsx workbook (BadZipFile: the file is "
                                   "damaged or not a workbook)", file=label, code="xlsx")]
    except (WorkbookError, OSError, KeyError, ValueError, zipfile.LargeZipFile) as exc:
        return [], [Issue("error", f"not a readable .xlsx workbook ({exc})", file=label,
                          code="xlsx")]
    tables: list[RawTable] = []
    issues: list[Issue] = []
    for sheet in sheets:
        table, problems = _table_from_sheet(sheet, label)
        issues += problems
        if table is not None:
            tables.append(table)
    return tables, issues
