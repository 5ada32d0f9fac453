"""Reading a returned score sheet, whichever spreadsheet saved it: ``.xlsx`` or ``.ods``.

Jurors use Excel or LibreOffice, and LibreOffice offers to keep its own format (``.ods``).
Both are read into the same small structure: the sheet names and, per sheet, the cell values
of a bounded block of rows and columns. Reading is bounded on purpose: a stray cell far in a
corner (row 1,048,576) or a repeated-row run of a million rows must not cost a million rows of
memory, so only the rows a score sheet can hold are ever read.

Cell values come back as Python values: ``None`` for empty, ``float``/``int`` for numbers,
``str`` for text (ODS text of several paragraphs joined by newlines), ``bool`` for booleans.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

XLSX_SUFFIXES = (".xlsx", ".xlsm")
MAX_ODS_CONTENT = 64 * 1024 * 1024  # bytes of content.xml; a score sheet holds far less
ODS_SUFFIXES = (".ods",)
SUFFIXES = XLSX_SUFFIXES + ODS_SUFFIXES


class UnreadableBook(Exception):
    """The file is not a workbook evalkit can read; ``reason`` is a code for the message."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason  # "suffix" | "damaged"
        self.detail = detail


@dataclass
class Book:
    """Sheet names and bounded cell blocks: ``cells[sheet][r][c]`` is row r+1, column c+1."""

    kind: str  # "xlsx" or "ods"
    sheetnames: list[str]
    cells: dict[str, list[list[Any]]] = field(default_factory=dict)

    def value(self, sheet: str, row: int, column: int) -> Any:
        """The value at a 1-based (row, column), ``None`` when empty or outside the block."""
        grid = self.cells.get(sheet, [])
        if row - 1 >= len(grid):
            return None
        line = grid[row - 1]
        return line[column - 1] if column - 1 < len(line) else None

    def rows(self, sheet: str, first: int, last: int, width: int) -> list[list[Any]]:
        """Rows ``first``..``last`` (1-based, inclusive), each padded to ``width`` cells."""
        return [[self.value(sheet, r, c) for c in range(1, width + 1)]
                for r in range(first, last + 1)]


def read_book(path: Path, limits: dict[str, tuple[int, int]], default: tuple[int, int]
              ) -> Book:
    """Read ``path``; ``limits`` gives (max rows, max columns) per sheet name, ``default``
    for any other sheet. Raises :class:`UnreadableBook`."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, limits, default)
    if suffix in ODS_SUFFIXES:
        return _read_ods(path, limits, default)
    raise UnreadableBook("suffix", suffix or "(none)")


def _read_xlsx(path: Path, limits: dict[str, tuple[int, int]],
               default: tuple[int, int]) -> Book:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise UnreadableBook("damaged", exc.__class__.__name__) from exc
    try:
        out = Book("xlsx", list(book.sheetnames))
        for name in book.sheetnames:
            max_row, max_col = limits.get(name, default)
            grid = []
            for row in book[name].iter_rows(min_row=1, max_row=max_row, max_col=max_col,
                                            values_only=True):
                grid.append(list(row))
            out.cells[name] = grid
        return out
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise UnreadableBook("damaged", exc.__class__.__name__) from exc
    finally:
        book.close()


def _read_ods(path: Path, limits: dict[str, tuple[int, int]],
              default: tuple[int, int]) -> Book:
    from odf import opendocument, teletype
    from odf.namespaces import OFFICENS, TABLENS
    from odf.table import Table

    try:
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("content.xml").file_size
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise UnreadableBook("damaged", exc.__class__.__name__) from exc
    if size > MAX_ODS_CONTENT:  # odfpy parses the whole document into memory
        raise UnreadableBook("damaged", f"content.xml of {size:,} bytes")
    try:
        doc = opendocument.load(str(path))
    except Exception as exc:  # odfpy raises whatever its XML parser or zipfile raises
        raise UnreadableBook("damaged", exc.__class__.__name__) from exc
    if "spreadsheet" not in str(doc.mimetype):
        raise UnreadableBook("damaged", f"not a spreadsheet ({doc.mimetype})")

    def attr(node: Any, ns: str, name: str) -> str | None:
        return node.attributes.get((ns, name))

    def cell_value(cell: Any) -> Any:
        kind = attr(cell, OFFICENS, "value-type")
        if kind in ("float", "percentage", "currency"):
            number = float(attr(cell, OFFICENS, "value") or "nan")
            return int(number) if number.is_integer() else number
        if kind == "boolean":
            return attr(cell, OFFICENS, "boolean-value") == "true"
        paragraphs = [teletype.extractText(p) for p in cell.childNodes
                      if p.qname == ("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "p")]
        if kind is None and not paragraphs:
            return None
        if kind in ("date", "time"):
            return attr(cell, OFFICENS, f"{kind}-value") or "\n".join(paragraphs)
        text = "\n".join(paragraphs)
        return text if text or kind == "string" else None

    out = Book("ods", [])
    for table in doc.spreadsheet.getElementsByType(Table):
        name = attr(table, TABLENS, "name") or ""
        out.sheetnames.append(name)
        max_row, max_col = limits.get(name, default)
        grid: list[list[Any]] = []
        for row in _rows(table):
            repeat = int(attr(row, TABLENS, "number-rows-repeated") or 1)
            values: list[Any] = []
            for cell in row.childNodes:
                if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                times = int(attr(cell, TABLENS, "number-columns-repeated") or 1)
                value = cell_value(cell)
                values += [value] * min(times, max_col - len(values))
                if len(values) >= max_col:
                    break
            while values and values[-1] is None:
                values.pop()
            grid += [list(values) for _ in range(min(repeat, max_row - len(grid)))]
            if len(grid) >= max_row:
                break
        while grid and not grid[-1]:
            grid.pop()
        out.cells[name] = grid
    return out


def _rows(table: Any) -> list[Any]:
    """A table's rows in order, including those inside header-row and row groups."""
    found = []
    for node in table.childNodes:
        local = node.qname[1]
        if local == "table-row":
            found.append(node)
        elif local in ("table-header-rows", "table-rows", "table-row-group"):
            found += _rows(node)
    return found
