"""Headers to columns, and cells to typed values.

Headers are matched through each column's name and aliases, the params' renames and an
importer's profile, after removing the hints and marks office templates add (``Level
Verifikasi (0-3)``, ``Status*``, ``Judul - wajib diisi``). A header that looks like a known
column but matches none is an error with the suggestion: treating it as absent would quietly
change the index. Cells are converted by their column's kind; vocabulary columns go through
the official vocabularies, after the params' value maps.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from evalkit.inputs.read import RawTable
from evalkit.inputs.schema import LEVEL_RANGE, Column, Table
from evalkit.inputs.vocabulary import vocabulary
from evalkit.issues import Issue

IGNORE = "ignore"
NONE_MARKS = frozenset({"-", "–", "—", "--"})  # "none", as the IID export and many forms write it
_HINTS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_TRAILING_NOTE = re.compile(r"\s+[-–—:]\s.*$|:.*$|\n.*$", re.DOTALL)
GENERIC_WORDS = frozenset({"inovasi", "data", "kolom"})
RESEMBLES = 0.85  # difflib ratio above which an unknown header is taken for a misspelling


def normalise_header(text: str) -> str:
    """Lower-case, trim, and join words with underscores: 'Tanggal Mulai' -> 'tanggal_mulai'."""
    return re.sub(r"[\s\-./]+", "_", str(text).strip().lower()).strip("_")


def strip_hints(text: str) -> str:
    """'Level Verifikasi (0-3)' -> 'Level Verifikasi'; 'Status*' -> 'Status';
    'Judul - wajib diisi' -> 'Judul'."""
    out = _HINTS.sub(" ", str(text)).replace("*", " ")
    out = _TRAILING_NOTE.sub("", out.strip())
    return " ".join(out.split())


def header_keys(text: str) -> list[str]:
    """The normalised header as written, then without its hints (when that differs)."""
    keys = [normalise_header(text)]
    stripped = normalise_header(strip_hints(text))
    if stripped and stripped not in keys:
        keys.append(stripped)
    return keys


def _words(key: str) -> frozenset[str]:
    return frozenset(w for w in key.split("_") if w and w not in GENERIC_WORDS)


def flow_yaml(data: object) -> str:
    """A small mapping as one line of YAML (JSON is valid YAML flow style)."""
    return json.dumps(data, ensure_ascii=False)


@dataclass(frozen=True)
class Suggestion:
    column: Column
    spelling: str
    score: float
    resembles: bool


def suggest_column(key: str, table: Table) -> Suggestion | None:
    """The known column a header most likely means, and whether it looks like a misspelling
    of it (same words in another order, or a close spelling) rather than another column."""
    best: Suggestion | None = None
    words = _words(key)
    for col in table.columns:
        for spelling in (col.name, *col.aliases):
            target = normalise_header(spelling)
            ratio = difflib.SequenceMatcher(None, key, target).ratio()
            other = _words(target)
            overlap = len(words & other) / len(words | other) if words | other else 0.0
            score = max(ratio, overlap)
            resembles = ratio >= RESEMBLES or (bool(words) and words == other)
            if best is None or (resembles, score) > (best.resembles, best.score):
                best = Suggestion(col, spelling, score, resembles)
    return best if best is not None and best.score >= 0.5 else None


@dataclass(frozen=True)
class HeaderMap:
    """Which raw column feeds which table column; what was left unread and why."""

    columns: dict[int, Column]
    personal: tuple[int, ...]
    ignored: tuple[int, ...]


def _renames(renames: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for header, target in renames.items():
        for key in header_keys(header):
            out.setdefault(key, target)
    return out


def map_header(raw: RawTable, table: Table, renames: Mapping[str, str] | None = None,
               params_file: str = "", profile: Mapping[str, str] | None = None
               ) -> tuple[HeaderMap, list[Issue]]:
    """Match header cells to the table's columns: params renames, then an importer's
    profile, then names and aliases; the hint-free header when the full one is unknown."""
    issues: list[Issue] = []
    where = dict(file=raw.file, sheet=raw.sheet, row=raw.header_row)
    known = {c.name: c for c in table.columns}
    user = _renames(renames or {})
    for header, target in (renames or {}).items():
        if target != IGNORE and target not in known:
            close = difflib.get_close_matches(target, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            issues.append(Issue("error", f"'inputs.{table.name}.columns' maps '{header}' to "
                                         f"'{target}', which is not a column of {table.name}"
                                         f"{hint}; columns: {', '.join(known)}, or '{IGNORE}'",
                                file=params_file, column=f"inputs.{table.name}.columns",
                                code="params:inputs", value=target))
    built = _renames(profile or {})
    lookup: dict[str, Column] = {}
    for col in table.columns:
        for spelling in (col.name, *col.aliases):
            lookup.setdefault(normalise_header(spelling), col)
    personal = {normalise_header(h) for h in table.personal}
    ignored = {normalise_header(h) for h in table.ignored}
    mapping: dict[int, Column] = {}
    seen: dict[str, str] = {}
    skipped_personal: list[int] = []
    skipped: list[int] = []
    for index, header in enumerate(raw.header):
        if not header:
            continue
        keys = header_keys(header)
        target: str | None = None
        for source in (user, built):
            target = next((source[k] for k in keys if k in source), None)
            if target is not None:
                break
        if target == IGNORE:
            skipped.append(index)
            continue
        if target is None and any(k in personal for k in keys):
            skipped_personal.append(index)
            continue
        col = known.get(target) if target else next((lookup[k] for k in keys if k in lookup),
                                                    None)
        if col is None and target is None and any(k in ignored for k in keys):
            skipped.append(index)
            continue
        if col is None:
            if target is not None:
                continue  # an invalid rename, reported above
            issues.append(_unknown_header(header, keys[-1], table, **where))
            continue
        if col.name in seen:
            issues.append(Issue("error", f"column '{header}' and column '{seen[col.name]}' both "
                                         f"mean '{col.name}'", column=header,
                                code="duplicate-column", value=col.name, **where))
            continue
        seen[col.name] = header
        mapping[index] = col
    for col in table.columns:
        if col.name in seen:
            continue
        if col.required and not col.fill:
            accepted = ", ".join((col.name, *col.aliases))
            issues.append(Issue("error", f"required column '{col.name}' is missing (accepted "
                                         f"headers: {accepted})", column=col.name,
                                code="missing-column", value=col.name,
                                hint=_rename_hint(table, col.name), **where))
        elif col.warn_if_absent:
            issues.append(Issue("warning", f"no '{col.name}' column: every row lacks it",
                                column=col.name, code="absent-column", value=col.name,
                                args=(("column", col.name),), **where))
    return HeaderMap(mapping, tuple(skipped_personal), tuple(skipped)), issues


def _rename_hint(table: Table, column: str, header: str = "<your header>") -> str:
    return "in the params: " + flow_yaml({"inputs": {table.name: {"columns": {header: column}}}})


def _unknown_header(header: str, key: str, table: Table, **where: object) -> Issue:
    found = suggest_column(key, table)
    if found is not None and found.resembles:
        return Issue("error", f"column '{header}' is not known, but looks like "
                              f"'{found.column.name}' ('{found.spelling}'); it would be left "
                              "out unread", column=header, code="unknown-column-like",
                     value=header, hint=_rename_hint(table, found.column.name, header)
                     + f" (or {IGNORE} to leave it out)", **where)  # type: ignore[arg-type]
    hint = f" (did you mean '{found.column.name}'?)" if found is not None else ""
    return Issue("warning", f"unknown column '{header}' ignored{hint}", column=header,
                 code="unknown-column", value=header, args=(("header", header),),
                 hint=_rename_hint(table, found.column.name, header) if found else "",
                 **where)  # type: ignore[arg-type]


# --- cells ---------------------------------------------------------------------------------

def _parse_number(text: str) -> float:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # Indonesian decimal comma: 47,67
    return float(cleaned)


DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d",
                "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")


def _parse_date(text: str) -> datetime:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(text)


_INDICATOR = re.compile(r"^(\d{1,2})([a-z]?)$")


@dataclass(frozen=True)
class Cell:
    """A converted cell: the value, and a problem when there is one."""

    value: object
    severity: str = ""  # "", "warning" or "error"
    code: str = ""
    message: str = ""
    hint: str = ""
    key: str | None = None  # for "term" columns: the vocabulary entry's key
    args: tuple[tuple[str, str], ...] = ()  # the values in the message, for translations


class CellConverter:
    """Converts one column's cells, memoised by text (a column repeats few distinct values)."""

    def __init__(self, col: Column, table: str, value_map: Mapping[str, str] | None = None,
                 params_file: str = ""):
        self.col = col
        self.table = table
        self.params_file = params_file
        self.value_map = {_plain(k): str(v) for k, v in (value_map or {}).items()}
        self.memo: dict[str, Cell] = {}

    def __call__(self, text: str) -> Cell:
        found = self.memo.get(text)
        if found is None:
            found = self._convert(text)
            self.memo[text] = found
        return found

    def _convert(self, text: str) -> Cell:
        text = text.strip()
        if text in NONE_MARKS:
            text = ""
        mapped = self.value_map.get(_plain(text)) if self.value_map else None
        if mapped is not None:
            text = mapped
        if not text:
            return Cell(None)
        col = self.col
        kind = col.kind
        if kind == "text":
            return Cell(text)
        if kind == "id":
            return Cell(" ".join(text.split()))
        if kind in ("int", "level"):
            try:
                number = _parse_number(text)
            except ValueError:
                return self._bad(f"expected a whole number, got '{text}'", text)
            if not number.is_integer():
                return self._bad(f"expected a whole number, got '{text}'", text)
            value = int(number)
            if kind == "level" and not LEVEL_RANGE[0] <= value <= LEVEL_RANGE[1]:
                return self._bad(f"level must be between {LEVEL_RANGE[0]} and {LEVEL_RANGE[1]}, "
                                 f"got {value}", text)
            return Cell(value)
        if kind == "float":
            try:
                value = _parse_number(text)
            except ValueError:
                return self._bad(f"expected a number, got '{text}'", text)
            if value != value or value in (float("inf"), float("-inf")):
                return self._bad(f"expected a number, got '{text}'", text)
            if col.minimum is not None and value < col.minimum:
                return self._bad(f"must be at least {col.minimum:g}, got '{text}'", text)
            return Cell(value)
        if kind == "date":
            try:
                return Cell(_parse_date(text))
            except ValueError:
                return self._bad(f"expected a date (YYYY-MM-DD or DD/MM/YYYY), got '{text}'",
                                 text)
        if kind in ("choice", "term"):
            return self._vocabulary(text)
        if kind == "indicator":
            match = _INDICATOR.match(text.lower().replace(" ", ""))
            low, high = col.indicator_range
            if match is None or not low <= int(match.group(1)) <= high:
                return self._bad(f"expected an indicator number {low}..{high} (e.g. '{low}'), "
                                 f"got '{text}'", text)
            return Cell(str(int(match.group(1))) + match.group(2))
        raise ValueError(f"unknown column kind {kind}")

    def _bad(self, message: str, text: str) -> Cell:
        return Cell(None, "error", "bad-value", message)

    def _vocabulary(self, text: str) -> Cell:
        col = self.col
        vocab = vocabulary(col.vocabulary)
        match = vocab.match(text)
        keep = text if col.kind == "term" or col.unknown != "error" else None
        if match.how == "exact" and match.entry is not None:
            return Cell(text if col.kind == "term" else match.entry.key, key=match.entry.key)
        if match.how == "close" and match.entry is not None:
            value = text if col.kind == "term" else match.entry.key
            return Cell(value, "warning", "close-value",
                        f"'{text}' read as '{match.entry.name}' ({match.entry.key}), the closest "
                        f"{col.vocabulary} entry", self._map_hint(text, match.entry.key),
                        key=match.entry.key,
                        args=(("value", text), ("read", match.entry.name)))
        closest = f"; closest: '{match.closest.name}' ({match.closest.key})" if (
            match.closest is not None) else ""
        target = match.closest.key if match.closest is not None else (
            "<" + " | ".join(vocab.keys[:6]) + (" | ..." if len(vocab.keys) > 6 else "") + ">")
        if col.unknown == "keep":
            return Cell(keep)
        if col.unknown == "warning":
            return Cell(keep, "warning", "unknown-value",
                        f"'{text}' is not in the {col.vocabulary} vocabulary{closest}; kept as "
                        "written, not counted as any of them", self._map_hint(text, target),
                        args=(("value", text), ("column", col.name),
                              ("closest", match.closest.name if match.closest else "–")))
        listed = ", ".join(vocab.keys)
        return Cell(None, "error", "bad-value", f"expected one of {listed}, got '{text}'"
                    + closest, self._map_hint(text, target))

    def _map_hint(self, text: str, target: str) -> str:
        return "in the params: " + flow_yaml(
            {"inputs": {self.table: {"values": {self.col.name: {text: target}}}}})


def _plain(text: str) -> str:
    return " ".join(str(text).casefold().split())
