"""Score sheets that print: page setup, and row heights that fit wrapped text.

Neither Excel nor LibreOffice grows a row to fit wrapped text written by a program (Excel
keeps the default height; LibreOffice 7 does the same for an XLSX row without a height), so
wrapped titles and descriptions overlap the next row unless the writer sets each row's height.
The height is estimated from the text, the column's width and the font, on the wide side:
the sheet may open in a spreadsheet that substitutes DejaVu Sans (wider than Calibri) when
Calibri is not installed, and a little white space is better than a clipped line.
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache

from openpyxl.worksheet.worksheet import Worksheet

MAX_ROW_POINTS = 409.0  # the largest row height Excel accepts
# Characters of running text per unit of column width, by font size. Measured in LibreOffice
# Calc 7.4 with DejaVu Sans standing in for Calibri (the widest case): a 10 pt line of a
# width-50 column holds 65-70 characters; these values keep about 10% in hand.
CHARS_PER_WIDTH = {8: 1.45, 9: 1.3, 10: 1.2, 11: 1.08, 12: 0.98, 13: 0.9}
# Line pitch: LibreOffice sets 10 pt DejaVu Sans at about 11.2 pt per line.
LINE_POINTS = {8: 9.8, 9: 11.0, 10: 12.0, 11: 13.2, 12: 14.4, 13: 15.6}
PADDING_POINTS = 4.0


@lru_cache(maxsize=65536)
def wrapped_lines(text: str, width: float, size: int = 10, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` units wide (cached: every
    juror's sheet lays out the same entries)."""
    per_line = width * CHARS_PER_WIDTH.get(size, 12 / size) * (0.9 if bold else 1.0)
    per_line = max(1, int(per_line))
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += max(1, len(textwrap.wrap(paragraph, per_line, break_long_words=True,
                                          break_on_hyphens=True)))
    return lines


def row_height(cells: list[tuple[str, float, int, bool]], minimum: float = 15.0) -> float:
    """The height (points) of a row whose wrapped cells are (text, width, font size, bold)."""
    need = minimum
    for text, width, size, bold in cells:
        if not text:
            continue
        lines = wrapped_lines(text, width, size, bold)
        need = max(need, lines * LINE_POINTS.get(size, size * 1.3) + PADDING_POINTS)
    return min(MAX_ROW_POINTS, math.ceil(need))


def max_lines(width: float, size: int = 10) -> int:
    """How many wrapped lines fit in the tallest row a spreadsheet allows."""
    return int((MAX_ROW_POINTS - PADDING_POINTS) // LINE_POINTS.get(size, size * 1.3))


@lru_cache(maxsize=16384)
def clip_to_lines(text: str, width: float, lines: int, more: str, size: int = 10) -> str:
    """``text`` cut to at most ``lines`` wrapped lines, ending with ``more`` when cut.

    ``more`` says where the whole text is (the description page), so nothing is cut without a
    way to read it whole.
    """
    if wrapped_lines(text, width, size) <= lines:
        return text
    words = str(text).split(" ")
    low, high = 0, len(words)
    while low < high:  # the longest word prefix that still fits with the pointer
        mid = (low + high + 1) // 2
        if wrapped_lines(" ".join(words[:mid]) + " … " + more, width, size) <= lines:
            low = mid
        else:
            high = mid - 1
    head = " ".join(words[:low]).rstrip(" ,.;:")
    if not head:  # one enormous word: cut by characters
        per_line = max(1, int(width * CHARS_PER_WIDTH.get(size, 12 / size)))
        head = str(text)[: max(1, per_line * (lines - 1) - len(more) - 3)]
    return f"{head} … {more}"


def print_landscape(ws: Worksheet, title_rows: str | None, area: str) -> None:
    """A4 landscape, fit to one page wide (as many pages tall as needed), header rows
    repeated on every page, the print area set, centred, small margins."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_area = area
    ws.oddFooter.center.text = "&A — &P / &N"
    ws.oddFooter.center.size = 8
