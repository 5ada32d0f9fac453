"""Reading raw table files: CSV (UTF-8, UTF-8 with BOM, Windows-1252; comma, semicolon or
tab separated) and XLSX (one table per sheet or per file).

Everything is read as text first, so that validation, not the reader, decides what a cell
means, and every cell keeps its spreadsheet row number for error messages.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from evalkit.issues import Issue

CSV_ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class RawTable:
    """Cells of one table as text, with the header row and where it came from."""

    file: str
    sheet: str
    header: list[str]
    rows: list[list[str]]  # data rows; rows[i] is spreadsheet row i + 2
    first_row: int = 2


def _decode(data: bytes, file: str) -> tuple[str | None, Issue | None]:
    if b"\x00" in data[:4096]:
        return None, Issue("error", "file is not text in UTF-8 or Windows-1252 (it holds NUL "
                                    "bytes; UTF-16 exports are not supported: save as CSV "
                                    "UTF-8)", file=file, code="encoding")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError:
            continue
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
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [list(r) for r in reader]
    except csv.Error as exc:
        return None, [Issue("error", f"not readable as CSV: {exc}", file=label, code="csv")]
    header, rows = records[0], records[1:]
    return RawTable(label, "", [h.strip() for h in header], rows), []


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # datetime / date from Excel
    return str(value)


def read_xlsx(path: Path, label: str) -> tuple[list[RawTable], list[Issue]]:
    """Read every sheet of a workbook; empty sheets are skipped."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return [], [Issue("error", f"not a readable .xlsx workbook ({exc.__class__.__name__})",
                          file=label, code="xlsx")]
    tables: list[RawTable] = []
    try:
        for sheet in book.worksheets:
            values = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            while values and not any(v.strip() for v in values[-1]):
                values.pop()
            if not values:
                continue
            header = [h.strip() for h in values[0]]
            while header and not header[-1]:
                header.pop()
            tables.append(RawTable(label, sheet.title, header, values[1:]))
    finally:
        book.close()
    return tables, []
