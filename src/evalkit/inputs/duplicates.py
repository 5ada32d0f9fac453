"""Repeated rows: duplicate keys (errors) and the same innovation entered twice (warnings).

Both checks hash each row once, so 20,000 rows with pasted duplicates take as long as
20,000 distinct ones. A repeated key is an error because which row wins would be a guess; a
repeated title and unit is a warning naming both rows, and both rows stay in the data: the
IID application's own export holds such pairs, and only the region can say which is real.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from evalkit.inputs.locate import Where
from evalkit.inputs.schema import Table
from evalkit.issues import Issue

_QUOTES = re.compile(r"[\"'`´‘’“”«»]")
_NON_WORD = re.compile(r"[^\w]+")


def check_duplicates(frame: pd.DataFrame, table: Table) -> list[Issue]:
    """Duplicate keys are errors, each naming the row that first used the key."""
    if frame.empty:
        return []
    key = [k for k in table.key if k in frame.columns]
    # by position: the rows of several files may share index labels
    complete = np.flatnonzero(~frame[key].isna().any(axis=1).to_numpy())
    keyed = frame[key].iloc[complete].reset_index(drop=True)
    repeats = np.flatnonzero(keyed.duplicated(keep="first").to_numpy())
    if not len(repeats):
        return []
    rows = frame["_row"].iloc[complete].reset_index(drop=True).astype("int64")
    first_rows = rows.groupby([keyed[k] for k in key], sort=False).transform("first")
    where = Where(frame)
    issues = []
    for at in repeats:
        first, row = int(first_rows.iloc[at]), int(rows.iloc[at])
        if first == row:  # the same row number in two files: not one row pasted twice
            continue
        text = ", ".join(f"{k}={v}" for k, v in zip(key, keyed.iloc[at].tolist(), strict=True))
        issues.append(Issue("error", f"duplicate {text} (first at row {first})",
                            code="duplicate-id", hint="every row needs its own "
                            + ", ".join(key) + "; pasted rows repeat it",
                            **where(frame.index[complete[at]], key[-1])))
    return issues


def title_key(title: str) -> str:
    """A title as compared for repeats: case, quotes, punctuation and spacing do not count."""
    text = unicodedata.normalize("NFKC", str(title)).casefold()
    return " ".join(_NON_WORD.sub(" ", _QUOTES.sub("", text)).split())


def near_duplicates(innovations: pd.DataFrame) -> list[Issue]:
    """The same (or nearly the same: case, quotes, punctuation, word order) title from the
    same unit, more than once in the year: one warning per repeat, naming the first row."""
    issues = []
    where = Where(innovations)
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for index, title, unit, row in zip(innovations.index, innovations["title"],
                                       innovations["unit_id"], innovations["_row"], strict=True):
        if pd.isna(title) or pd.isna(unit):
            continue
        words = title_key(str(title))
        for key in ((str(unit), words), (str(unit), " ".join(sorted(words.split())))):
            if key in seen:
                first_row, first_title = seen[key]
                how = "the same" if first_title == str(title) else "nearly the same"
                issues.append(Issue(
                    "warning", f"{how} title and unit as row {first_row} ('{first_title}'): "
                    "entered twice? Both rows are kept and both count; remove one in the "
                    "source if it is a repeat", code="duplicate-innovation",
                    value=f"{unit}: {words}",
                    args=(("row", str(first_row)), ("title", str(title)),
                          ("first_title", first_title)),
                    **where(index, "title")))
                break
        else:
            for key in ((str(unit), words), (str(unit), " ".join(sorted(words.split())))):
                seen.setdefault(key, (int(row), str(title)))
    return issues
