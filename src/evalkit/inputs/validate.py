"""A year's input tables: found in the year folder, validated against ``evalkit.inputs.schema``,
returned as typed DataFrames.

Validation collects every problem (file, sheet, row, column, what was expected) before
failing, so one run shows the whole list. Raw files are only ever read.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from evalkit.config import RunParams
from evalkit.inputs.read import RawTable, read_csv, read_xlsx
from evalkit.inputs.schema import EXPECTED_TABLES, LEVEL_RANGE, TABLES, Column, Table
from evalkit.issues import InputError, Issue

IGNORED_FILE_SUFFIXES = {".md", ".txt", ".pdf", ".json", ".yaml", ".yml"}


@dataclass
class YearData:
    """Validated tables of one year. Absent optional tables are empty with their columns."""

    year: int
    tables: dict[str, pd.DataFrame]
    issues: list[Issue] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # table -> file it came from

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


def normalise_header(text: str) -> str:
    """Lower-case, trim, and join words with underscores: 'Tanggal Mulai' -> 'tanggal_mulai'."""
    return re.sub(r"[\s\-./]+", "_", text.strip().lower()).strip("_")


def normalise_value(text: str) -> str:
    """Lower-case and collapse spaces, underscores and hyphens (for choices and names)."""
    return " ".join(re.sub(r"[_\-]+", " ", text.strip().lower()).split())


def _table_for_name(name: str) -> Table | None:
    key = normalise_header(name)
    for table in TABLES.values():
        if key == table.name or key in table.aliases:
            return table
    return None


def _suggest_table(name: str) -> str:
    names = [t.name for t in TABLES.values()] + [a for t in TABLES.values() for a in t.aliases]
    close = difflib.get_close_matches(normalise_header(name), names, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def discover(year_dir: Path) -> tuple[dict[str, RawTable], list[Issue]]:
    """Find every table in a year folder: <table>.csv, <table>.xlsx, or sheets of any .xlsx."""
    found: dict[str, RawTable] = {}
    issues: list[Issue] = []

    def add(table: Table | None, raw: RawTable) -> None:
        if table is None:
            name = raw.sheet or Path(raw.file).stem
            issues.append(Issue(
                "error", f"'{name}' is not a known table{_suggest_table(name)}; known tables: "
                f"{', '.join(TABLES)}. Rename a notes sheet or file to start with '_' to keep "
                "it.", file=raw.file, sheet=raw.sheet, code="unknown-table"))
            return
        if table.name in found:
            first = found[table.name]
            issues.append(Issue(
                "error", f"table '{table.name}' is given twice: here and in {first.file}"
                + (f" [{first.sheet}]" if first.sheet else ""), file=raw.file, sheet=raw.sheet,
                code="duplicate-table"))
            return
        found[table.name] = raw

    for path in sorted(year_dir.iterdir()):
        if path.name.startswith(("_", ".", "~$")) or path.is_dir():
            continue
        label = str(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            raw, problems = read_csv(path, label)
            issues.extend(problems)
            if raw is not None:
                add(_table_for_name(path.stem), raw)
        elif suffix in (".xlsx", ".xlsm"):
            sheets, problems = read_xlsx(path, label)
            issues.extend(problems)
            file_table = _table_for_name(path.stem)
            for raw in sheets:
                if raw.sheet.startswith("_"):
                    continue
                sheet_table = _table_for_name(raw.sheet)
                if len(sheets) == 1 and file_table is not None:
                    sheet_table = file_table  # one table per file: the file name decides
                add(sheet_table, raw)
        elif suffix in IGNORED_FILE_SUFFIXES:
            continue
        else:
            issues.append(Issue("warning", f"ignored: '{path.suffix}' files are not read "
                                           "(use .csv or .xlsx)", file=label, code="ignored",
                                args=(("suffix", path.suffix),)))
    return found, issues


def _map_header(raw: RawTable, table: Table) -> tuple[dict[int, Column], list[Issue]]:
    """Match header cells to the table's columns through names and aliases."""
    issues: list[Issue] = []
    lookup: dict[str, Column] = {}
    for col in table.columns:
        for spelling in (col.name, *col.aliases):
            lookup.setdefault(normalise_header(spelling), col)
    mapping: dict[int, Column] = {}
    seen: dict[str, str] = {}
    for index, header in enumerate(raw.header):
        if not header:
            continue
        col = lookup.get(normalise_header(header))
        if col is None:
            close = difflib.get_close_matches(normalise_header(header), list(lookup), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            issues.append(Issue("warning", f"unknown column '{header}' ignored{hint}",
                                file=raw.file, sheet=raw.sheet, row=1, column=header,
                                code="unknown-column", args=(("header", header),)))
            continue
        if col.name in seen:
            issues.append(Issue("error", f"column '{header}' and column '{seen[col.name]}' both "
                                         f"mean '{col.name}'", file=raw.file, sheet=raw.sheet,
                                row=1, column=header, code="duplicate-column"))
            continue
        seen[col.name] = header
        mapping[index] = col
    for col in table.columns:
        if col.required and col.name not in seen:
            accepted = ", ".join((col.name, *col.aliases))
            issues.append(Issue("error", f"required column '{col.name}' is missing (accepted "
                                         f"headers: {accepted})", file=raw.file, sheet=raw.sheet,
                                row=1, column=col.name, code="missing-column"))
    return mapping, issues


def _parse_number(text: str) -> float:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # Indonesian decimal comma: 47,67
    return float(cleaned)


def _parse_date(text: str) -> datetime:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(text)


_INDICATOR = re.compile(r"^(\d{1,2})([a-z]?)$")


def convert_cell(col: Column, text: str) -> tuple[object, str | None]:
    """Convert one cell's text to the column's kind; return (value, problem or None)."""
    text = text.strip()
    if not text:
        return None, None
    kind = col.kind
    if kind in ("id", "text"):
        return (" ".join(text.split()) if kind == "id" else text), None
    if kind in ("int", "level"):
        try:
            number = _parse_number(text)
        except ValueError:
            return None, f"expected a whole number, got '{text}'"
        if not number.is_integer():
            return None, f"expected a whole number, got '{text}'"
        value = int(number)
        if kind == "level" and not LEVEL_RANGE[0] <= value <= LEVEL_RANGE[1]:
            return None, (f"level must be between {LEVEL_RANGE[0]} and {LEVEL_RANGE[1]}, "
                          f"got {value}")
        return value, None
    if kind == "float":
        try:
            return _parse_number(text), None
        except ValueError:
            return None, f"expected a number, got '{text}'"
    if kind == "date":
        try:
            return _parse_date(text), None
        except ValueError:
            return None, f"expected a date (YYYY-MM-DD or DD/MM/YYYY), got '{text}'"
    if kind == "choice":
        key = normalise_value(text)
        for canonical, spellings in col.choices.items():
            if key == normalise_value(canonical) or key in spellings:
                return canonical, None
        return None, f"expected one of {', '.join(col.choices)}, got '{text}'"
    if kind == "indicator":
        match = _INDICATOR.match(text.lower().replace(" ", ""))
        low, high = col.indicator_range
        if match is None or not low <= int(match.group(1)) <= high:
            return None, f"expected an indicator number {low}..{high} (e.g. '{low}'), got '{text}'"
        return str(int(match.group(1))) + match.group(2), None
    raise ValueError(f"unknown column kind {kind}")


_DTYPES = {"id": "str", "text": "str", "choice": "str", "indicator": "str", "int": "Int64",
           "level": "Int64", "float": "float64", "date": "datetime64[ns]"}


def _empty_frame(table: Table) -> pd.DataFrame:
    frame = pd.DataFrame({c.name: pd.Series([], dtype=_DTYPES[c.kind]) for c in table.columns})
    frame["_source"] = pd.Series([], dtype="str")
    frame["_sheet"] = pd.Series([], dtype="str")
    frame["_row"] = pd.Series([], dtype="Int64")
    return frame


def to_frame(raw: RawTable, table: Table) -> tuple[pd.DataFrame, list[Issue]]:
    """Convert a raw table to a typed DataFrame, reporting every bad cell."""
    mapping, issues = _map_header(raw, table)
    if any(i.severity == "error" for i in issues):
        return _empty_frame(table), issues
    records: list[dict[str, object]] = []
    for offset, cells in enumerate(raw.rows):
        row_number = raw.first_row + offset
        if not any(c.strip() for c in cells):
            continue  # blank spreadsheet rows are common and harmless
        record: dict[str, object] = {c.name: None for c in table.columns}
        for index, col in mapping.items():
            text = cells[index] if index < len(cells) else ""
            value, problem = convert_cell(col, text)
            where = dict(file=raw.file, sheet=raw.sheet, row=row_number, column=raw.header[index])
            if problem:
                issues.append(Issue("error", problem, code="bad-value", **where))
            elif value is None and col.required:
                issues.append(Issue("error", f"required value '{col.name}' is empty",
                                    code="empty-required", **where))
            elif value is None and col.warn_if_empty:
                issues.append(Issue("warning", f"'{col.name}' is empty", code="empty-optional",
                                    args=(("column", raw.header[index]),), **where))
            record[col.name] = value
        record["_source"] = raw.file
        record["_sheet"] = raw.sheet
        record["_row"] = row_number
        records.append(record)
    frame = _empty_frame(table)
    if records:
        built = pd.DataFrame.from_records(records, columns=list(frame.columns))
        frame = built.astype({c: frame[c].dtype for c in frame.columns})
    # Later checks name the column as the user wrote it ('perangkat_daerah', not 'unit_id').
    frame.attrs["headers"] = {col.name: raw.header[i] for i, col in mapping.items()}
    return frame, issues


def _where(frame: pd.DataFrame, index: object, column: str) -> dict[str, object]:
    sheet = frame.at[index, "_sheet"]
    header = frame.attrs.get("headers", {}).get(column, column)
    return dict(file=str(frame.at[index, "_source"]), sheet="" if pd.isna(sheet) else str(sheet),
                row=int(frame.at[index, "_row"]), column=header)


def check_duplicates(frame: pd.DataFrame, table: Table) -> list[Issue]:
    """Duplicate keys are errors: which row wins would be a guess."""
    if frame.empty:
        return []
    key = [k for k in table.key if k in frame.columns]
    dup = frame[frame.duplicated(subset=key, keep="first")]
    issues = []
    for index in dup.index:
        values = ", ".join(f"{k}={frame.at[index, k]}" for k in key)
        first = frame[(frame[key] == frame.loc[index, key]).all(axis=1)].index[0]
        issues.append(Issue("error", f"duplicate {values} (first at row {frame.at[first, '_row']})",
                            code="duplicate-id", **_where(frame, index, key[-1])))
    return issues


@dataclass(frozen=True)
class UnitIndex:
    """Resolves the many ways a unit is written (id, name, alias) to its unit_id."""

    by_key: dict[str, str]
    spellings: dict[str, list[str]]  # normalised key -> the spellings as declared

    @classmethod
    def from_units(cls, units: pd.DataFrame) -> tuple[UnitIndex, list[Issue]]:
        by_key: dict[str, str] = {}
        spellings: dict[str, list[str]] = {}
        issues: list[Issue] = []
        for index, row in units.iterrows():
            names = [row["unit_id"], row["name"]]
            if isinstance(row["aliases"], str):
                names += [a for a in row["aliases"].split(";") if a.strip()]
            for name in names:
                key = normalise_value(str(name))
                owner = by_key.get(key)
                if owner is not None and owner != row["unit_id"]:
                    issues.append(Issue(
                        "error", f"'{name.strip()}' names both unit '{owner}' and unit "
                        f"'{row['unit_id']}'", code="ambiguous-unit",
                        **_where(units, index, "aliases")))
                    continue
                by_key[key] = str(row["unit_id"])
                spellings.setdefault(key, []).append(str(name).strip())
        return cls(by_key, spellings), issues

    def resolve(self, text: str) -> str | None:
        return self.by_key.get(normalise_value(text))

    def suggest(self, text: str, n: int = 3) -> list[str]:
        keys = difflib.get_close_matches(normalise_value(text), list(self.by_key), n=n,
                                         cutoff=0.5)
        return [self.spellings[k][0] for k in keys]


def resolve_units(innovations: pd.DataFrame, index: UnitIndex) -> tuple[pd.DataFrame, list[Issue]]:
    """Replace unit names and aliases by unit ids; unknown units are errors with suggestions."""
    issues: list[Issue] = []
    out = innovations.copy()
    out["unit_raw"] = out["unit_id"]
    resolved: list[str | None] = []
    for row_index, text in out["unit_id"].items():
        if pd.isna(text):
            resolved.append(None)
            continue
        unit_id = index.resolve(str(text))
        if unit_id is None:
            hint = index.suggest(str(text))
            close = f"; closest known: {', '.join(hint)}" if hint else ""
            issues.append(Issue("error", f"unknown unit '{text}'{close}", code="unknown-unit",
                                **_where(out, row_index, "unit_id")))
        else:
            declared = index.spellings[normalise_value(str(text))]
            if str(text) not in declared:
                issues.append(Issue("warning", f"unit written as '{text}'; read as "
                                               f"'{declared[0]}' ({unit_id})", code="unit-spelling",
                                    args=(("written", str(text)), ("read", declared[0]),
                                          ("unit_id", unit_id)),
                                    **_where(out, row_index, "unit_id")))
        resolved.append(unit_id)
    out["unit_id"] = pd.Series(resolved, index=out.index, dtype="str")
    return out, issues


def check_year(innovations: pd.DataFrame, year: int) -> list[Issue]:
    bad = innovations[innovations["year"].notna() & (innovations["year"] != year)]
    return [Issue("error", f"year {innovations.at[i, 'year']} does not match the run's year "
                           f"{year}", code="wrong-year", **_where(innovations, i, "year"))
            for i in bad.index]


def check_references(child: pd.DataFrame, column: str, known: Iterable[str], what: str,
                     code: str) -> list[Issue]:
    known_set = set(known)
    bad = child[child[column].notna() & ~child[column].isin(known_set)]
    issues = []
    for i in bad.index:
        close = difflib.get_close_matches(str(child.at[i, column]), sorted(known_set), n=2)
        hint = f"; closest: {', '.join(close)}" if close else ""
        issues.append(Issue("error", f"unknown {what} '{child.at[i, column]}'{hint}", code=code,
                            **_where(child, i, column)))
    return issues


def check_evidence(evidence: pd.DataFrame, innovations: pd.DataFrame) -> list[Issue]:
    """Evidence must belong to a known innovation; weak evidence is worth a warning."""
    issues = check_references(evidence, "innovation_id", innovations["innovation_id"],
                              "innovation", "unknown-innovation")
    no_ref = evidence[(evidence["claimed_level"] > 0) & evidence["evidence_ref"].isna()]
    issues += [Issue("warning", f"level {evidence.at[i, 'claimed_level']} claimed for indicator "
                                f"{evidence.at[i, 'indicator']} without a supporting document",
                     code="missing-evidence", **_where(evidence, i, "evidence_ref"),
                     args=(("level", str(evidence.at[i, "claimed_level"])),
                           ("indicator", str(evidence.at[i, "indicator"])),
                           ("innovation", str(evidence.at[i, "innovation_id"]))))
               for i in no_ref.index]
    above = evidence[evidence["verified_level"].notna()
                     & (evidence["verified_level"] > evidence["claimed_level"])]
    issues += [Issue("warning", f"verified level {evidence.at[i, 'verified_level']} is above the "
                                f"claimed level {evidence.at[i, 'claimed_level']}",
                     code="verified-above-claim", **_where(evidence, i, "verified_level"),
                     args=(("verified", str(evidence.at[i, "verified_level"])),
                           ("claimed", str(evidence.at[i, "claimed_level"])),
                           ("indicator", str(evidence.at[i, "indicator"])),
                           ("innovation", str(evidence.at[i, "innovation_id"]))))
               for i in above.index]
    with_evidence = set(evidence["innovation_id"])
    active = innovations[innovations["verification_status"] != "rejected"]
    for i in active.index:
        if innovations.at[i, "innovation_id"] not in with_evidence:
            issues.append(Issue("warning", f"innovation '{innovations.at[i, 'innovation_id']}' has"
                                           " no evidence rows: it scores 0 on every indicator",
                                code="no-evidence", **_where(innovations, i, "innovation_id"),
                                args=(("innovation", str(innovations.at[i, "innovation_id"])),)))
    return issues


def validate_year(year_dir: Path, year: int) -> tuple[dict[str, pd.DataFrame], list[Issue],
                                                      dict[str, Path]]:
    """Read and check every table of a year folder; return frames, issues and source files."""
    raws, issues = discover(year_dir)
    frames: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    for name, table in TABLES.items():
        raw = raws.get(name)
        if raw is None:
            if table.required:
                issues.append(Issue("error", f"required table '{name}' not found (expected "
                                             f"{name}.csv, {name}.xlsx or a sheet named "
                                             f"'{name}')", file=str(year_dir), code="no-table"))
            elif name in EXPECTED_TABLES:
                issues.append(Issue("warning", f"table '{name}' not found; the report will "
                                               "lack what it holds", file=str(year_dir),
                                    code="no-table", args=(("table", name),)))
            frames[name] = _empty_frame(table)
            continue
        frame, problems = to_frame(raw, table)
        issues += problems
        issues += check_duplicates(frame, table)
        frames[name] = frame
        files[name] = Path(raw.file)
        if table.required and frame.empty and not problems:
            issues.append(Issue("error", f"table '{name}' has no rows", file=raw.file,
                                sheet=raw.sheet, code="no-rows"))
    structural = {"missing-column", "duplicate-column", "no-table", "encoding", "empty", "csv",
                  "xlsx", "no-rows"}
    if any(i.severity == "error" and i.code in structural for i in issues):
        return frames, issues, files  # cross-table checks would only repeat the same problem

    units_index, problems = UnitIndex.from_units(frames["units"])
    issues += problems
    innovations, problems = resolve_units(frames["innovations"], units_index)
    innovations["verification_status"] = innovations["verification_status"].fillna("pending")
    frames["innovations"] = innovations
    issues += problems
    issues += check_year(innovations, year)
    ids = innovations["innovation_id"]
    if not frames["evidence"].empty or "evidence" in files:
        issues += check_evidence(frames["evidence"], innovations)
    for name in ("jury_scores", "theme_overrides"):
        issues += check_references(frames[name], "innovation_id", ids, "innovation",
                                   "unknown-innovation")
    issues += check_references(frames["jury_scores"], "juror_id", frames["jurors"]["juror_id"],
                               "juror", "unknown-juror")
    jurors = frames["jurors"]
    issues += check_references(jurors, "home_unit_id", frames["units"]["unit_id"], "unit",
                               "unknown-unit")
    return frames, issues, files


def load_tables(year_dir: Path, year: int, remember: bool = True) -> YearData:
    """Validated tables of a folder; raise :class:`InputError` listing every error.

    The last few folders validated are remembered, keyed by every file's name and content
    hash: the notebooks of one run share a kernel and each loads the same year, which at
    thousands of innovations costs seconds a time (hashing costs milliseconds). Each call
    gets its own copy. ``remember=False`` validates afresh and keeps nothing.
    """
    if not year_dir.is_dir():
        raise InputError([Issue("error", "year folder not found", file=str(year_dir))])
    key = _folder_state(year_dir, year) if remember else None
    done = _VALIDATED.get(key) if key else None
    if done is None:
        frames, issues, files = validate_year(year_dir, year)
        if any(i.severity == "error" for i in issues):
            raise InputError(issues)
        done = YearData(year=year, tables=frames, issues=issues, files=files)
        if key is None:
            return done
        _VALIDATED[key] = done
        while len(_VALIDATED) > 4:
            _VALIDATED.pop(next(iter(_VALIDATED)))
    return YearData(year=done.year, tables={k: v.copy() for k, v in done.tables.items()},
                    issues=list(done.issues), files=dict(done.files))


_VALIDATED: dict[tuple[object, ...], YearData] = {}


def _folder_state(year_dir: Path, year: int) -> tuple[object, ...]:
    entries = sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest())
                     for p in year_dir.iterdir() if p.is_file())
    return (str(year_dir.resolve()), year, tuple(entries))


def load_year(params: RunParams, remember: bool = True) -> YearData:
    """The run year's validated tables (see ``load_tables`` for ``remember``)."""
    return load_tables(params.year_dir, params.year, remember)


def load_earlier_years(params: RunParams) -> dict[int, YearData]:
    """Earlier years of the same region that validate; a broken old year is skipped, not fatal.

    Trends are context: an error in 2023's files must not stop the 2025 report, but it is
    reported as a warning on the run year.
    """
    out: dict[int, YearData] = {}
    for year, folder in params.earlier_year_dirs().items():
        try:
            out[year] = load_tables(folder, year)
        except InputError:
            continue
    return out


def input_files(params: RunParams) -> list[Path]:
    """Every file a run reads: the params, the year folder's and earlier years' tables."""
    files = [p for p in sorted(params.year_dir.rglob("*")) if p.is_file()]
    for folder in params.earlier_year_dirs().values():
        files += [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return files


def issues_frame(issues: Iterable[Issue], base: Path | None = None) -> pd.DataFrame:
    """Issues as a table (for artifacts and the data-quality chapter).

    With ``base``, file paths are shown relative to it: a report names ``2025/evidence.csv``,
    not a path on the machine that ran it.
    """
    rows = [i.to_dict() for i in issues]
    if base is not None:
        for row in rows:
            path = Path(str(row["file"]))
            if path.is_absolute() and path.is_relative_to(base):
                row["file"] = path.relative_to(base).as_posix()
    for row in rows:  # one JSON text per issue: artifacts hold flat columns
        row["args"] = json.dumps(row["args"], ensure_ascii=False, sort_keys=True)
    columns = ["severity", "code", "file", "sheet", "row", "column", "message", "args"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["row"] = frame["row"].astype("Int64")
    return frame



def public_innovations(year: YearData) -> pd.DataFrame:
    """The innovations with their unit's name: the table later notebooks and chapters share."""
    units = year.units[["unit_id", "name"]].rename(columns={"name": "unit_name"})
    frame = year.innovations.merge(units, on="unit_id", how="left", validate="many_to_one")
    columns = ["innovation_id", "year", "unit_id", "unit_name", "title", "description", "form",
               "type", "affair", "stage", "start_date", "initiator", "verification_status"]
    return frame[columns].sort_values("innovation_id", kind="stable").reset_index(drop=True)
