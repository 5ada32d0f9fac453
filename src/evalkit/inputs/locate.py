"""Where a row of a validated table came from: file, sheet, spreadsheet row and the column
as the user wrote it, for every Issue a check raises.

Built once per table and per check, on the first issue (``frame.at`` copies the frame's attrs
on every call, which made a 20,000-row duplicate check take half a minute).
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd


class Where:
    """``where(index, column)`` -> the Issue fields that locate one cell."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.headers = dict(frame.attrs.get("headers", {}))
        self.source: dict[Hashable, object] = {}
        self.sheet: dict[Hashable, object] = {}
        self.row: dict[Hashable, object] = {}

    def __call__(self, index: Hashable, column: str) -> dict[str, object]:
        if not self.row:  # the first issue of this check: index the provenance columns
            index_values = self.frame.index
            self.source = dict(zip(index_values, self.frame["_source"].tolist(), strict=True))
            self.sheet = dict(zip(index_values, self.frame["_sheet"].tolist(), strict=True))
            self.row = dict(zip(index_values, self.frame["_row"].tolist(), strict=True))
        sheet = self.sheet[index]
        return dict(file=str(self.source[index]), sheet="" if pd.isna(sheet) else str(sheet),
                    row=int(self.row[index]), column=self.headers.get(column, column))
