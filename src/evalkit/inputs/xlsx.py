"""A streaming XLSX reader that reads the cells a sheet holds, nothing more.

openpyxl sizes a read-only sheet by its declared dimension, so one stray cell at XFD1048576
makes it yield a million rows of 16,384 empty cells; and with ``data_only`` a formula whose
result was never saved reads as an empty cell. This reader parses the sheet XML itself
(``xml.etree.ElementTree.iterparse``): it keeps only cells that hold something, sees formulas
and their cached values, and knows which sheets are hidden. Office Open XML (transitional and
strict) is a zip of XML parts; only the parts needed for cell values are read.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, iterparse

# Built-in number formats that show dates or times (ECMA-376 §18.8.30, plus the CJK ids).
DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


class WorkbookError(Exception):
    """The file is a zip but not a workbook this reader can use."""


@dataclass
class Sheet:
    """The non-empty cells of one sheet, by (row, column), both 1-based, as text."""

    name: str
    state: str  # visible, hidden, veryHidden
    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    # Formula cells with no saved result: (row, column) -> the formula text.
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def hidden(self) -> bool:
        return self.state != "visible"


def column_index(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27, 'XFD' -> 16384."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element: Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (r:id is namespaced)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _parse(book: zipfile.ZipFile, part: str) -> Element:
    from xml.etree.ElementTree import fromstring

    try:
        return fromstring(book.read(part))
    except KeyError as exc:
        raise WorkbookError(f"part {part} is missing") from exc
    except ParseError as exc:
        raise WorkbookError(f"part {part} is not valid XML ({exc})") from exc


def _relationships(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type suffix, target part) for ``part``."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in book.namelist():
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in _parse(book, rels_part):
        target = rel.get("Target", "")
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id", "")] = (kind, path)
    return out


def _shared_strings(book: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None or part not in book.namelist():
        return []
    strings: list[str] = []
    with book.open(part) as stream:
        for _, element in iterparse(stream, events=("end",)):
            if _local(element.tag) == "si":
                strings.append(_text(element))
                element.clear()
    return strings


def _text(element: Element) -> str:
    """Concatenated <t> runs of a string item (``<t>`` or rich-text ``<r><t>``), leaving out
    phonetic guides (``<rPh>``)."""
    parts: list[str] = []
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts += [run.text or "" for run in child if run.tag.rpartition("}")[2] == "t"]
    return "".join(parts)


def _date_styles(book: zipfile.ZipFile, part: str | None) -> frozenset[int]:
    """Indices of the cell styles (cellXfs) whose number format shows a date."""
    if part is None or part not in book.namelist():
        return frozenset()
    root = _parse(book, part)
    custom: dict[int, str] = {}
    dates: set[int] = set()
    for node in root:
        if _local(node.tag) == "numFmts":
            for fmt in node:
                custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
        elif _local(node.tag) == "cellXfs":
            for index, xf in enumerate(node):
                fmt_id = int(xf.get("numFmtId", "0"))
                code = custom.get(fmt_id)
                shows_date = (fmt_id in DATE_FORMAT_IDS if code is None
                              else bool(_DATE_CODE.search(_QUOTED.sub("", code))))
                if shows_date:
                    dates.add(index)
    return frozenset(dates)


def _number_text(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _date_text(text: str, date1904: bool) -> str:
    try:
        serial = float(text)
    except ValueError:
        return text
    if date1904:
        moment = dt.datetime(1904, 1, 1) + dt.timedelta(days=serial)
    elif serial < 60:  # Excel's 1900 leap-year bug: serials before 1 March 1900
        moment = dt.datetime(1899, 12, 31) + dt.timedelta(days=serial)
    else:
        moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)
    moment = moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))
    if moment.time() == dt.time(0):
        return moment.date().isoformat()
    return moment.isoformat()


def read_workbook(path: str) -> list[Sheet]:
    """Every worksheet of a workbook with its non-empty cells (chart sheets are skipped).

    Raises ``zipfile.BadZipFile`` for a file that is not a zip and :class:`WorkbookError`
    for a zip that is not a readable workbook.
    """
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        workbook_part = "xl/workbook.xml"
        for kind, target in _relationships(book, "").values():
            if kind == "officeDocument":
                workbook_part = target
        if workbook_part not in names:
            raise WorkbookError("no workbook part (is it a Word or PowerPoint file?)")
        root = _parse(book, workbook_part)
        rels = _relationships(book, workbook_part)
        date1904 = False
        listed: list[tuple[str, str, str]] = []
        for node in root.iter():
            tag = _local(node.tag)
            if tag == "workbookPr":
                date1904 = node.get("date1904", "0") in ("1", "true")
            elif tag == "sheet":
                listed.append((node.get("name", ""), node.get("state", "visible"),
                               _attr(node, "id") or ""))
        by_kind = {kind: target for kind, target in rels.values()}
        strings = _shared_strings(book, by_kind.get("sharedStrings"))
        dates = _date_styles(book, by_kind.get("styles"))
        sheets = []
        for name, state, rel_id in listed:
            kind, target = rels.get(rel_id, ("", ""))
            if kind != "worksheet":
                continue
            if target not in names:
                raise WorkbookError(f"sheet '{name}' points to a missing part {target}")
            sheet = Sheet(name, state)
            with book.open(target) as stream:
                _read_cells(stream, sheet, strings, dates, date1904)
            sheets.append(sheet)
        return sheets


def _read_cells(stream: object, sheet: Sheet, strings: list[str], dates: frozenset[int],
                date1904: bool) -> None:
    """Cells in one pass over "end" events: a row's cells are placed when the row ends, so a
    writer that leaves out the ``r`` references is still read right."""
    row_number = 0
    pending: list[Element] = []
    try:
        for _, element in iterparse(stream, events=("end",)):  # type: ignore[arg-type]
            tag = element.tag.rpartition("}")[2]
            if tag == "c":
                pending.append(element)
            elif tag == "row":
                given = element.get("r")
                row_number = int(given) if given else row_number + 1
                column = 0
                for cell in pending:
                    ref = cell.get("r")
                    match = _REF.match(ref) if ref else None
                    column = column_index(match.group(1)) if match else column + 1
                    _cell(cell, sheet, int(match.group(2)) if match else row_number, column,
                          strings, dates, date1904)
                pending.clear()
                element.clear()
    except ParseError as exc:
        raise WorkbookError(f"sheet '{sheet.name}' is not valid XML ({exc})") from exc


def _cell(element: Element, sheet: Sheet, row: int, column: int, strings: list[str],
          dates: frozenset[int], date1904: bool) -> None:
    kind = element.get("t", "n")
    value: str | None = None
    formula: str | None = None
    inline: Element | None = None
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "v":
            value = child.text
        elif tag == "f":
            formula = child.text or "(shared formula)"
        elif tag == "is":
            inline = child
    if kind == "inlineStr":
        text = _text(inline) if inline is not None else ""
    elif value is None or value == "":
        if formula is not None:
            sheet.formulas[(row, column)] = formula
        return
    elif kind == "s":
        try:
            text = strings[int(value)]
        except (ValueError, IndexError):
            text = ""
    elif kind == "b":
        text = "TRUE" if value.strip() in ("1", "true") else "FALSE"
    elif kind in ("str", "e", "d"):
        text = value
    elif int(element.get("s", "0") or 0) in dates:
        text = _date_text(value, date1904)
    else:
        text = _number_text(value)
    if text != "":
        sheet.cells.setdefault(row, {})[column] = text
