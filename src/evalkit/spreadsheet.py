"""Text that a spreadsheet shows, never computes.

Excel and LibreOffice run a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)``, ``-2+3``); a title typed by a work unit must not become one in a table a
clerk opens. Such cells get a leading apostrophe, the spreadsheet's own mark for "this is
text", as OWASP advises for CSV export. Plain numbers (``-5``, ``+2,5``) are left alone: a
spreadsheet reads them as the numbers they are. The XLSX sheets do the same with the cell's
text type and quote prefix (``evalkit.jury.sheets.put_text``).
"""

from __future__ import annotations

import re

import pandas as pd

# Ways a cell can start a formula: the ASCII signs, control characters some programs strip
# before parsing, and the full-width signs that Japanese and Chinese input methods type.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d.,]*|[.,]\d+)([eE][+-]?\d+)?%?")


def is_live_formula(text: str) -> bool:
    """Whether a spreadsheet would compute ``text`` rather than show it."""
    return text.startswith(FORMULA_START) and _PLAIN_NUMBER.fullmatch(text) is None


def as_text_cell(value: object) -> object:
    """``value`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and is_live_formula(value):
        return "'" + value
    return value


def from_text_cell(text: str) -> str:
    """The inverse of :func:`as_text_cell` for a CSV evalkit reads back (a table written by
    ``evalkit import``, then edited): the guarding apostrophe is dropped, the text kept."""
    if text.startswith("'") and is_live_formula(text[1:]):
        return text[1:]
    return text


def text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe to open in a
    spreadsheet; numbers, dates and missing values stay as they are."""
    out = frame.copy()
    out.columns = [as_text_cell(c) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            out.isetitem(i, column.map(as_text_cell, na_action="ignore"))
    return out
