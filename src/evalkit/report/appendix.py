"""What a chapter keeps out of its main text: the appendix, and full tables as attachments.

A reader takes in a few dozen rows; a province reports thousands. Past :data:`ROW_LIMIT` rows a
chapter shows the top (and bottom) rows and keeps the full table as an :class:`Attachment`:
``attachments/<name>.csv`` and ``.xlsx`` next to the report, listed in the appendix (the PDF
names the files; the HTML links them, and the renderer embeds them in the page as downloads,
so the single HTML file still carries every row). Long lists and method notes go into an
:class:`Appendix` block, which :func:`evalkit.report.chapters.compose` moves to the end of the
report under the chapter's name.

Attachment files are byte-identical for the same table (fixed zip times and document dates),
like the artifacts.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evalkit.fileio import write_bytes_atomic
from evalkit.spreadsheet import FORMULA_START, text_cells

ATTACHMENTS = "attachments"
ROW_LIMIT = 40  # past this many rows a table shows its top (and bottom) rows only
SHOWN_ROWS = 10  # how many of the top rows are shown then
FORMATS = ("csv", "xlsx")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
# Control characters a workbook cannot hold (openpyxl refuses them), as openpyxl defines them.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


@dataclass(frozen=True)
class Attachment:
    """A full table beside the report; ``line`` is the appendix's sentence about it (already
    in the report's language), the files are relative to the report folder."""

    name: str
    line: str
    rows: int
    files: tuple[str, ...]

    def to_markdown(self) -> str:
        links = " · ".join(f"[{Path(f).name}]({f})" for f in self.files)
        return f"- {self.line}: {links}"


@dataclass(frozen=True)
class Appendix:
    """Blocks that belong at the end of the report (long lists, method notes, attachments).
    Shown where they stand in a notebook preview; moved to the appendix in the report."""

    blocks: tuple[object, ...] = field(default=())

    def to_markdown(self) -> str:
        return "\n\n".join(b.to_markdown() for b in self.blocks)  # type: ignore[attr-defined]


def attachment_files(out_dir: Path) -> list[Path]:
    """Every attachment written into a report folder, sorted."""
    folder = Path(out_dir) / ATTACHMENTS
    return sorted(p for p in folder.glob("*") if p.suffix.lstrip(".") in FORMATS)


def write_attachment(frame: pd.DataFrame, out_dir: Path, name: str, line: str) -> Attachment:
    """Write ``frame`` (every row, columns as a reader sees them) as CSV and XLSX."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"attachment names are lower-case letters, digits and dashes: {name!r}")
    frame = frame.reset_index(drop=True)
    folder = Path(out_dir) / ATTACHMENTS
    # text that a spreadsheet would run as a formula gets its apostrophe (a title is user text)
    csv = text_cells(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    write_bytes_atomic(folder / f"{name}.csv", csv)
    write_bytes_atomic(folder / f"{name}.xlsx", xlsx_bytes(frame))
    return Attachment(name, line, len(frame),
                      tuple(f"{ATTACHMENTS}/{name}.{fmt}" for fmt in FORMATS))


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """A one-sheet workbook, the same bytes for the same table: openpyxl stamps the time of
    saving into the zip entries and the document properties, which are fixed here.

    Written in openpyxl's write-only mode (rows streamed, half the time of a normal sheet at
    tens of thousands of rows); text that a spreadsheet would read as a formula is a text
    cell with the quote prefix, never a formula.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    for i, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in frame.iloc[:200, i - 1])])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    ws.freeze_panes = "A2"

    def cell(value: object) -> object:
        value = _xlsx_value(value)
        if isinstance(value, str) and value.startswith(FORMULA_START):
            guarded = WriteOnlyCell(ws, value=value)
            guarded.data_type = "s"
            guarded.quotePrefix = True
            return guarded
        return value

    ws.append([cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell(v) for v in row])
    raw = io.BytesIO()
    book.save(raw)
    # a streamed sheet has no <dimension>; readers that trust it (openpyxl's read-only mode,
    # some importers) would see an empty sheet without it
    last = get_column_letter(max(1, len(frame.columns)))
    return _fixed_zip(raw.getvalue(), dimension=f"A1:{last}{len(frame) + 1}")


def _xlsx_value(value: object) -> object:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a workbook refuses
    if isinstance(value, bool | int | float):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _fixed_zip(data: bytes, dimension: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", body)
            elif dimension and info.filename.startswith("xl/worksheets/sheet"):
                body = body.replace(b"</sheetPr>",
                                    b'</sheetPr><dimension ref="' + dimension.encode() + b'" />', 1)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def top_and_bottom(frame: pd.DataFrame, top: int = SHOWN_ROWS, bottom: int = 0) -> pd.DataFrame:
    """The first ``top`` and last ``bottom`` rows (all of them when the table is short)."""
    if len(frame) <= top + bottom:
        return frame
    parts = [frame.head(top)]
    if bottom:
        parts.append(frame.tail(bottom))
    return pd.concat(parts)


def needs_appendix(frame: pd.DataFrame, limit: int = ROW_LIMIT) -> bool:
    return len(frame) > limit


def split_appendix(blocks: Sequence[object]) -> tuple[list[object], list[object]]:
    """The chapter's main blocks and the blocks its :class:`Appendix` blocks hold."""
    main: list[object] = []
    extra: list[object] = []
    for block in blocks:
        if isinstance(block, Appendix):
            extra.extend(b for b in _flatten(block.blocks))
        else:
            main.append(block)
    return main, extra


def _flatten(blocks: Sequence[object]) -> list[object]:
    out: list[object] = []
    for block in blocks:
        out.extend(_flatten(block.blocks) if isinstance(block, Appendix) else [block])
    return out
