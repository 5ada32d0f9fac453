"""A year's input tables: found in the year folder, validated against ``evalkit.inputs.schema``,
returned as typed DataFrames.

Validation collects every problem (file, sheet, row, column, what was expected) before
failing, so one run shows the whole list; repeats of one problem are grouped when shown
(``evalkit.issues.group_issues``). Raw files are only ever read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.config import InputSettings, RunParams
from evalkit.inputs.columns import CellConverter, map_header, normalise_header
from evalkit.inputs.discover import Found, discover, discover_files
from evalkit.inputs.duplicates import check_duplicates, near_duplicates, title_key
from evalkit.inputs.locate import Where
from evalkit.inputs.read import RawTable
from evalkit.inputs.schema import EXPECTED_TABLES, TABLES, Column, Table
from evalkit.inputs.units import (
    UNITS_FROM_SUBMITTERS,
    UNITS_FROM_TABLE,
    UnitIndex,
    derive_units,
    infer_missing_kinds,
    normalise_value,
    resolve_parents,
    resolve_units,
    split_login,
)
from evalkit.issues import InputError, Issue

__all__ = ["UnitIndex", "normalise_header", "normalise_value"]
COUNTED_STATUSES = ("pending", "accepted")  # what the IID counts: neither draft nor rejected
NON_EMPTY = ("units",)  # optional, but when given it must list the units


@dataclass
class YearData:
    """Validated tables of one year. Absent optional tables are empty with their columns."""

    year: int
    tables: dict[str, pd.DataFrame]
    issues: list[Issue] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # table -> file it came from
    # "table" when the year has a units table; "submitters" when the units were derived
    # from the innovations (coverage cannot be measured then).
    units_source: str = UNITS_FROM_TABLE
    profiles: dict[str, str] = field(default_factory=dict)  # table -> importer profile id
    # The columns each table's file actually had (the rest were filled or left empty).
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def given(self, table: str, column: str) -> bool:
        """Whether the year's file for ``table`` had ``column`` (not filled, not absent)."""
        return column in self.columns.get(table, ())

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


@dataclass
class Checked:
    """What :func:`validate_year` found: frames, issues, source files and provenance."""

    frames: dict[str, pd.DataFrame]
    issues: list[Issue]
    files: dict[str, Path]
    units_source: str = UNITS_FROM_TABLE
    profiles: dict[str, str] = field(default_factory=dict)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)


_DTYPES = {"id": "str", "text": "str", "choice": "str", "term": "str", "indicator": "str",
           "int": "Int64", "level": "Int64", "float": "float64", "date": "datetime64[ns]"}


def _extra_columns(table: Table) -> dict[str, str]:
    """Columns validation adds: the vocabulary key of each "term" column; units' kind_inferred."""
    extra = {f"{c.name}_key": "str" for c in table.columns if c.kind == "term"}
    if table.name == "units":
        extra["kind_inferred"] = "bool"
    return extra


def _empty_frame(table: Table) -> pd.DataFrame:
    frame = pd.DataFrame({c.name: pd.Series([], dtype=_DTYPES[c.kind]) for c in table.columns})
    for name, dtype in _extra_columns(table).items():
        frame[name] = pd.Series([], dtype=dtype)
    frame["_source"] = pd.Series([], dtype="str")
    frame["_sheet"] = pd.Series([], dtype="str")
    frame["_row"] = pd.Series([], dtype="Int64")
    return frame


def to_frame(raw: RawTable, table: Table, renames: Mapping[str, str] | None = None,
             values: Mapping[str, Mapping[str, str]] | None = None, params_file: str = "",
             profile: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """Convert a raw table to a typed DataFrame, reporting every bad cell."""
    header_map, issues = map_header(raw, table, renames, params_file, profile)
    if any(i.severity == "error" for i in issues):
        return _empty_frame(table), issues
    values = values or {}
    for column in values:
        if column not in table.column_names:
            issues.append(Issue("error", f"'inputs.{table.name}.values' names '{column}', "
                                         f"which is not a column of {table.name}",
                                file=params_file, column=f"inputs.{table.name}.values",
                                code="params:inputs", value=column))
    mapping = header_map.columns
    rows, numbers = _data_rows(raw)
    columns: dict[str, list[object]] = {}
    found: list[tuple[int, int, int, Issue]] = []  # (row, column, order): the reading order
    empty_counts: dict[int, int] = dict.fromkeys(mapping, 0)
    empty_rows: dict[int, list[int]] = {i: [] for i in mapping}
    formulas = _formulas_by_column(raw, numbers)
    # Column by column: each distinct text is converted once (a column repeats few values),
    # and only the cells with something to say are visited one by one.
    for order, (index, col) in enumerate(mapping.items()):
        convert = CellConverter(col, table.name, values.get(col.name), params_file)
        texts = [cells[index] if index < len(cells) else "" for cells in rows]
        by_text = {text: convert(text) for text in dict.fromkeys(texts)}
        speaks = {text for text, cell in by_text.items() if cell.severity or (
            cell.value is None and (col.required or col.warn_if_empty))}
        in_formula = formulas.get(index, {})
        kept = [by_text[text].value for text in texts]
        for position in in_formula:
            kept[position] = None
        columns[col.name] = kept
        if col.kind == "term":
            keys = [by_text[text].key for text in texts]
            for position in in_formula:
                keys[position] = None
            columns[f"{col.name}_key"] = keys
        visit = sorted(set(in_formula) | {i for i, text in enumerate(texts) if text in speaks})
        for position in visit:
            row_number = numbers[position]
            where = dict(file=raw.file, sheet=raw.sheet, row=row_number,
                         column=raw.header[index])
            formula = in_formula.get(position)
            if formula is not None:
                found.append((position, order, 0, Issue(
                    "error", f"holds a formula (={formula.lstrip('=')}) whose result was never "
                    "saved (the file was written by a program, not by Excel): open the file in "
                    "Excel or LibreOffice and save it again", code="formula-no-value",
                    value=col.name, **where)))
                continue
            text = texts[position]
            cell = by_text[text]
            if cell.severity:
                found.append((position, order, 0, Issue(
                    cell.severity, cell.message, code=cell.code, value=text.strip(),
                    hint=cell.hint, args=cell.args, **where)))
            if cell.value is None and cell.severity != "error":
                if col.required:
                    found.append((position, order, 1, Issue(
                        "error", f"required value '{col.name}' is empty",
                        code="empty-required", value=col.name, **where)))
                elif col.warn_if_empty:
                    empty_counts[index] += 1
                    empty_rows[index].append(row_number)
    issues += [issue for *_, issue in sorted(found, key=lambda f: f[:3])]
    issues += _empty_warnings(raw, mapping, empty_counts, empty_rows, len(rows))
    frame = _empty_frame(table)
    if rows:
        n = len(rows)
        data = {name: columns.get(name, [None] * n) for name in frame.columns}
        data.update(_source=[raw.file] * n, _sheet=[raw.sheet] * n, _row=numbers)
        built = pd.DataFrame(data, columns=list(frame.columns))
        if "kind_inferred" in built:
            built["kind_inferred"] = False  # as given; inferred kinds are marked later
        frame = built.astype({c: frame[c].dtype for c in frame.columns if c in built})
    # Later checks name the column as the user wrote it ('perangkat_daerah', not 'unit_id').
    frame.attrs["headers"] = {col.name: raw.header[i] for i, col in mapping.items()}
    frame.attrs["present"] = sorted(col.name for col in mapping.values())
    return frame, issues


def _data_rows(raw: RawTable) -> tuple[list[list[str]], list[int]]:
    """The rows to convert and their spreadsheet row numbers: blank rows (common and
    harmless) and rows the reader already reported as unreadable are left out."""
    rows, numbers = [], []
    for offset, cells in enumerate(raw.rows):
        number = raw.row_number(offset)
        if number in raw.skip_rows or not "".join(cells).strip():
            continue
        rows.append(cells)
        numbers.append(number)
    return rows, numbers


def _formulas_by_column(raw: RawTable, numbers: list[int]) -> dict[int, dict[int, str]]:
    """Formula cells with no saved result: header index -> row position -> formula."""
    if not raw.formulas:
        return {}
    position = {number: i for i, number in enumerate(numbers)}
    out: dict[int, dict[int, str]] = {}
    for (number, index), formula in raw.formulas.items():
        if number in position:
            out.setdefault(index, {})[position[number]] = formula
    return out


def _empty_warnings(raw: RawTable, mapping: dict[int, Column], counts: dict[int, int],
                    rows: dict[int, list[int]], n_rows: int) -> list[Issue]:
    """One warning per empty cell of a column worth filling; one for a column empty in every
    row (it is as good as absent)."""
    out = []
    for index, count in counts.items():
        if not count:
            continue
        col = mapping[index]
        header = raw.header[index]
        if count == n_rows and n_rows > 1:
            out.append(Issue("warning", f"'{col.name}' is empty in every row", file=raw.file,
                             sheet=raw.sheet, row=raw.header_row, column=header,
                             code="absent-column", value=col.name,
                             args=(("column", col.name),)))
            continue
        out += [Issue("warning", f"'{col.name}' is empty", file=raw.file, sheet=raw.sheet,
                      row=row, column=header, code="empty-optional", value=col.name,
                      args=(("column", header),)) for row in rows[index]]
    return out


def content_ids(innovations: pd.DataFrame) -> pd.Series:
    """Stable ids from the content: 'INV-' + 10 hex digits of the title and the unit's name
    (the export's own row number changes between exports); repeats get '-2', '-3'."""
    seen: dict[str, int] = {}
    out = []
    for title, unit in zip(innovations["title"], innovations["unit_id"], strict=True):
        unit_name = split_login(str(unit))[0] if pd.notna(unit) else ""
        text = f"{title_key(str(title)) if pd.notna(title) else ''}|{normalise_value(unit_name)}"
        base = "INV-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return pd.Series(out, index=innovations.index, dtype="str")


def _fill(frame: pd.DataFrame, table: Table, year: int) -> pd.DataFrame:
    present = set(frame.attrs.get("present", []))
    for col in table.columns:
        if col.fill == "run_year":
            frame[col.name] = frame[col.name].fillna(year).astype("Int64")
        elif col.name in present or frame.empty:
            continue
        elif col.fill == "content_id":
            frame[col.name] = content_ids(frame)
        elif col.fill == "slug":
            from evalkit.inputs.units import slug

            ids = frame["name"].map(lambda n: slug(str(n)))
            counts = ids.groupby(ids).cumcount()
            frame[col.name] = (ids + counts.map(lambda c: "" if c == 0 else f"-{c + 1}")
                               ).astype("str")
    return frame


def check_year(innovations: pd.DataFrame, year: int) -> list[Issue]:
    bad = innovations[innovations["year"].notna() & (innovations["year"] != year)]
    where = Where(innovations)
    return [Issue("error", f"year {value} does not match the run's year {year}",
                  code="wrong-year", value=str(value), **where(i, "year"))
            for i, value in bad["year"].items()]


def check_entered(innovations: pd.DataFrame, year: int) -> list[Issue]:
    """Rows entered before the year's campaign (the export carries earlier years' rows)."""
    dates = innovations["entered_date"]
    early = dates[dates.notna() & (dates.dt.year < year)]
    where = Where(innovations)
    return [Issue("warning", f"entered on {date:%d-%m-%Y}, before the {year} campaign: a row "
                             f"carried over from an earlier year? It counts for {year}",
                  code="earlier-entry", value=str(date.year),
                  args=(("entered", f"{date:%d-%m-%Y}"), ("year", str(year))),
                  **where(i, "entered_date")) for i, date in early.items()]


def check_references(child: pd.DataFrame, column: str, known: Iterable[str], what: str,
                     code: str) -> list[Issue]:
    import difflib

    known_set = set(known)
    bad = child.loc[child[column].notna() & ~child[column].isin(known_set), column]
    issues = []
    hints: dict[str, str] = {}
    where = Where(child)
    for i, value in bad.items():
        value = str(value)
        if value not in hints:
            close = difflib.get_close_matches(value, sorted(known_set), n=2)
            hints[value] = f"; closest: {', '.join(close)}" if close else ""
        issues.append(Issue("error", f"unknown {what} '{value}'{hints[value]}", code=code,
                            value=value, **where(i, column)))
    return issues


def check_evidence(evidence: pd.DataFrame, innovations: pd.DataFrame) -> list[Issue]:
    """Evidence must belong to a known innovation; weak evidence is worth a warning."""
    issues = check_references(evidence, "innovation_id", innovations["innovation_id"],
                              "innovation", "unknown-innovation")
    where = Where(evidence)
    columns = ["innovation_id", "indicator", "claimed_level", "verified_level"]
    no_ref = evidence[(evidence["claimed_level"] > 0) & evidence["evidence_ref"].isna()]
    for i, (inno, indicator, claimed, _) in zip(no_ref.index, no_ref[columns].itertuples(
            index=False, name=None), strict=True):
        issues.append(Issue("warning", f"level {claimed} claimed for indicator {indicator} "
                                       "without a supporting document",
                            code="missing-evidence", **where(i, "evidence_ref"),
                            args=(("level", str(claimed)), ("indicator", str(indicator)),
                                  ("innovation", str(inno)))))
    above = evidence[evidence["verified_level"].notna()
                     & (evidence["verified_level"] > evidence["claimed_level"])]
    for i, (inno, indicator, claimed, verified) in zip(above.index, above[columns].itertuples(
            index=False, name=None), strict=True):
        issues.append(Issue("warning", f"verified level {verified} is above the claimed level "
                                       f"{claimed}", code="verified-above-claim",
                            **where(i, "verified_level"),
                            args=(("verified", str(verified)), ("claimed", str(claimed)),
                                  ("indicator", str(indicator)), ("innovation", str(inno)))))
    with_evidence = set(evidence["innovation_id"])
    active = innovations[innovations["verification_status"].isin(COUNTED_STATUSES)]
    missing = active.loc[~active["innovation_id"].isin(with_evidence), "innovation_id"]
    located = Where(innovations)
    for i, inno in missing.items():
        issues.append(Issue("warning", f"innovation '{inno}' has no evidence rows: its maturity "
                                       "is unknown, and the index counts it as 0 (a lower bound)",
                            code="no-evidence", **located(i, "innovation_id"),
                            args=(("innovation", str(inno)),)))
    return issues


STRUCTURAL = {"missing-column", "duplicate-column", "no-table", "encoding", "empty", "csv",
              "xlsx", "no-rows", "unknown-column-like", "params:inputs", "mixed-encoding",
              "ragged-row", "file-type", "hidden-sheet", "unknown-table", "duplicate-table"}


def validate_year(year_dir: Path, year: int, settings: InputSettings | None = None,
                  params_file: str = "") -> Checked:
    """Read and check every table of a year folder."""
    found, issues = discover(year_dir, settings)
    return _validate(found, issues, year, settings, params_file, str(year_dir))


def validate_files(paths: list[Path], year: int) -> Checked:
    """Read and check the tables in some files (``evalkit import``: an export anywhere)."""
    found, issues = discover_files(paths)
    where = str(paths[0].parent) if paths else ""
    return _validate(found, issues, year, None, "", where)


def _validate(found: dict[str, Found], issues: list[Issue], year: int,
              settings: InputSettings | None, params_file: str, where: str) -> Checked:
    settings = settings or InputSettings()
    frames: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    profiles: dict[str, str] = {}
    columns: dict[str, tuple[str, ...]] = {}
    for name, table in TABLES.items():
        item: Found | None = found.get(name)
        if item is None:
            if table.required:
                issues.append(Issue("error", f"required table '{name}' not found (expected "
                                             f"{name}.csv, {name}.xlsx or a sheet named "
                                             f"'{name}')", file=where, code="no-table",
                                    value=name))
            elif name in EXPECTED_TABLES:
                issues.append(Issue("warning", f"table '{name}' not found; the report will "
                                               "lack what it holds", file=where,
                                    code="no-table", value=name, args=(("table", name),)))
            frames[name] = _empty_frame(table)
            continue
        wanted = settings.table(name)
        frame, problems = to_frame(item.raw, table, wanted.columns, wanted.values, params_file,
                                   item.profile.columns if item.profile else None)
        issues += problems
        frame = _fill(frame, table, year)
        issues += check_duplicates(frame, table)
        frames[name] = frame
        columns[name] = tuple(frame.attrs.get("present", ()))
        files[name] = Path(item.raw.file)
        if item.profile is not None:
            profiles[name] = item.profile.id
        if (table.required or name in NON_EMPTY) and frame.empty and not problems:
            issues.append(Issue("error", f"table '{name}' has no rows", file=item.raw.file,
                                sheet=item.raw.sheet, code="no-rows", value=name))
    units_source = UNITS_FROM_TABLE
    if "units" not in found:
        units_source = UNITS_FROM_SUBMITTERS
        if "innovations" in found:
            frames["units"] = _with_dtypes(derive_units(frames["innovations"],
                                                        TABLES["units"].column_names),
                                           TABLES["units"])
            issues.append(Issue(
                "warning", f"no units table: {len(frames['units'])} units are taken from the "
                "submitters of innovations (one per name; logins kept as aliases). Which units "
                "did not submit, and so the share that took part, cannot be known without a "
                "units table listing every unit", file=where, code="units-from-submitters",
                value="units", args=(("units", str(len(frames["units"]))),)))
    checked = Checked(frames, issues, files, units_source, profiles, columns)
    if any(i.severity == "error" and i.code in STRUCTURAL for i in issues):
        return checked  # cross-table checks would only repeat the same problem
    _cross_checks(checked, year)
    return checked


def _with_dtypes(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    empty = _empty_frame(table)
    for column in empty.columns:
        if column not in frame:
            frame[column] = None
    frame = frame[list(empty.columns)].astype({c: empty[c].dtype for c in empty.columns})
    frame.attrs["headers"] = {"unit_id": "unit_id"}
    return frame


def _cross_checks(checked: Checked, year: int) -> None:
    frames, issues = checked.frames, checked.issues
    units = infer_missing_kinds(frames["units"])
    units_index, problems = UnitIndex.from_units(units)
    issues += problems
    units, problems = resolve_parents(units, units_index)
    issues += problems
    frames["units"] = units
    innovations, problems = resolve_units(frames["innovations"], units_index)
    innovations["verification_status"] = innovations["verification_status"].fillna("pending")
    frames["innovations"] = innovations
    issues += problems
    issues += check_year(innovations, year)
    issues += check_entered(innovations, year)
    issues += near_duplicates(innovations)
    ids = innovations["innovation_id"]
    if not frames["evidence"].empty or "evidence" in checked.files:
        issues += check_evidence(frames["evidence"], innovations)
    for name in ("jury_scores", "theme_overrides"):
        issues += check_references(frames[name], "innovation_id", ids, "innovation",
                                   "unknown-innovation")
    issues += check_references(frames["jury_scores"], "juror_id", frames["jurors"]["juror_id"],
                               "juror", "unknown-juror")
    jurors = frames["jurors"]
    issues += check_references(jurors, "home_unit_id", frames["units"]["unit_id"], "unit",
                               "unknown-unit")


def load_tables(year_dir: Path, year: int, settings: InputSettings | None = None,
                params_file: str = "", remember: bool = True) -> YearData:
    """Validated tables of a folder; raise :class:`InputError` listing every error.

    The last few folders validated are remembered, keyed by every file's name and content
    hash and by the params' ``inputs`` mappings: the notebooks of one run share a kernel and
    each loads the same year, which at thousands of innovations costs seconds a time (hashing
    costs milliseconds). Each call gets its own copy. ``remember=False`` validates afresh and
    keeps nothing.
    """
    if not year_dir.is_dir():
        raise InputError([Issue("error", "year folder not found", file=str(year_dir))])
    key = _folder_state(year_dir, year, settings, params_file) if remember else None
    done = _VALIDATED.get(key) if key else None
    if done is None:
        checked = validate_year(year_dir, year, settings, params_file)
        if any(i.severity == "error" for i in checked.issues):
            raise InputError(checked.issues)
        done = YearData(year=year, tables=checked.frames, issues=checked.issues,
                        files=checked.files, units_source=checked.units_source,
                        profiles=checked.profiles, columns=checked.columns)
        if key is None:
            return done
        _VALIDATED[key] = done
        while len(_VALIDATED) > 4:
            _VALIDATED.pop(next(iter(_VALIDATED)))
    return YearData(year=done.year, tables={k: v.copy() for k, v in done.tables.items()},
                    issues=list(done.issues), files=dict(done.files),
                    units_source=done.units_source, profiles=dict(done.profiles),
                    columns=dict(done.columns))


_VALIDATED: dict[tuple[object, ...], YearData] = {}


def _folder_state(year_dir: Path, year: int, settings: InputSettings | None,
                  params_file: str) -> tuple[object, ...]:
    import dataclasses

    entries = sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest())
                     for p in year_dir.iterdir() if p.is_file())
    mapping = json.dumps(dataclasses.asdict(settings), sort_keys=True) if settings else ""
    return (str(year_dir.resolve()), year, tuple(entries), mapping, params_file)


def _params_file(params: RunParams) -> str:
    return str(params.source) if params.source is not None else ""


def load_year(params: RunParams, remember: bool = True) -> YearData:
    """The run year's validated tables (see ``load_tables`` for ``remember``)."""
    return load_tables(params.year_dir, params.year, params.inputs, _params_file(params),
                       remember)


def check_params_year(params: RunParams) -> Checked:
    """Every issue of the run year's inputs, without raising (``evalkit validate``)."""
    return validate_year(params.year_dir, params.year, params.inputs, _params_file(params))


def load_earlier_years(params: RunParams) -> dict[int, YearData]:
    """Earlier years of the same region that validate; a broken old year is skipped, not fatal.

    Trends are context: an error in 2023's files must not stop the 2025 report, but it is
    reported as a warning on the run year.
    """
    out: dict[int, YearData] = {}
    for year, folder in params.earlier_year_dirs().items():
        try:
            out[year] = load_tables(folder, year, params.inputs, _params_file(params))
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
    columns = ["severity", "code", "file", "sheet", "row", "column", "message", "args", "value",
               "hint"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["row"] = frame["row"].astype("Int64")
    return frame


PUBLIC_COLUMNS = ["innovation_id", "year", "unit_id", "unit_name", "title", "description",
                  "form", "type", "affair", "stage", "start_date", "initiator",
                  "verification_status"]


def public_innovations(year: YearData) -> pd.DataFrame:
    """The innovations with their unit's name: the table later notebooks and chapters share.
    It holds no personal data (the readers never keep any)."""
    units = year.units[["unit_id", "name"]].rename(columns={"name": "unit_name"})
    frame = year.innovations.merge(units, on="unit_id", how="left", validate="many_to_one")
    return frame[PUBLIC_COLUMNS].sort_values("innovation_id", kind="stable").reset_index(
        drop=True)


def describe_sources(year: YearData) -> dict[str, Any]:
    """Where the year's tables came from, for artifacts and chapters."""
    return {"units_source": year.units_source,
            "profiles": dict(year.profiles),
            "files": {k: Path(v).name for k, v in year.files.items()}}
