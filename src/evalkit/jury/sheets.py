"""Jurors' score sheets as XLSX: written for each juror, read back and checked.

A sheet holds an instructions page, one scoring page per stage (the juror's assigned entries
as rows, criteria as columns with data validation for the scale, a comment column and a
conflict column) and a very hidden ``_evalkit`` page that records who the sheet is for and
which entry sits on which row. Everything but the input cells is protected. Text taken from
submissions is stored as a string cell with Excel's quote prefix, so a title such as
``=HYPERLINK(...)`` is shown, never evaluated.

Reading a sheet checks the juror, the rubric's structure, every entry and every score, and
reports each problem with its sheet, row and column; only a sheet with no error yields scores.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evalkit.fileio import write_atomic
from evalkit.i18n import Translator
from evalkit.issues import Issue
from evalkit.jury.rubric import JuryRubric, Stage, text
from evalkit.jury.scores import SubmittedRow, check_submission
from evalkit.jury.store import RECUSAL_COLUMNS, SCORE_COLUMNS

FORMAT = "evalkit-jury-sheet/1"
META_SHEET = "_evalkit"
JUROR_CELL = "C2"
HEADER_ROW, IDS_ROW, FIRST_ROW = 6, 7, 8
FIXED = ("no", "innovation_id", "title", "unit")  # columns A-D
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="1F5F8B")
UNLOCKED = Protection(locked=False)


def structure(rubric: JuryRubric) -> str:
    """Fingerprint of what a sheet's layout depends on: stages, criteria, scale.

    Weights and texts may change after sheets went out without invalidating them.
    """
    shape = [[s.id, s.criterion_ids] for s in rubric.stages]
    payload = json.dumps([shape, rubric.scale_min, rubric.scale_max, rubric.integer])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def put_text(cell: Cell, value: object) -> None:
    """Write text that a spreadsheet shows as text, never runs as a formula."""
    content = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell.value = content
    cell.data_type = "s"
    if content.startswith(FORMULA_START):
        cell.quotePrefix = True


def sheet_name(rubric: JuryRubric, stage: Stage, t: Translator) -> str:
    """The scoring page's name: 'Nilai', or 'Nilai <stage>' when there are several stages."""
    base = t("jury.sheet.scores")
    if not rubric.multi_stage:
        return base
    name = f"{base} {text(stage.name, t.lang)}"
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31]


def _fmt(value: float) -> str:
    return f"{value:g}"


def _percent(share: float) -> str:
    return f"{round(100 * share, 1):g}%"


@dataclass(frozen=True)
class SheetJob:
    """What one juror's workbook needs."""

    juror_id: str
    juror_name: str
    entries: pd.DataFrame  # innovation_id, title, unit_name (assigned entries, in order)
    conflicts: pd.DataFrame  # innovation_id, title, unit_name (own-unit entries left out)
    competition: str
    region: str
    year: int
    prefill: pd.DataFrame | None = None  # juror's current scores (innovation_id, stage, ...)
    declared: dict[tuple[str, str], str] = field(default_factory=dict)  # (entry, stage): reason


def write_sheet(path: Path, job: SheetJob, rubric: JuryRubric, t: Translator) -> Path:
    """Write one juror's workbook atomically."""
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = t("jury.sheet.instructions")
    meta_rows: list[tuple[str, str]] = [
        ("format", FORMAT), ("juror_id", job.juror_id), ("rubric_id", rubric.id),
        ("structure", structure(rubric)), ("region", job.region), ("year", str(job.year)),
    ]
    pages = []
    for stage in rubric.stages:
        page = book.create_sheet(sheet_name(rubric, stage, t))
        columns = _scoring_page(page, job, rubric, stage, t)
        rows = {e: FIRST_ROW + i for i, e in enumerate(job.entries["innovation_id"])}
        meta_rows += [(f"sheet:{stage.id}", page.title),
                      (f"columns:{stage.id}", json.dumps(columns)),
                      (f"rows:{stage.id}", json.dumps(rows, ensure_ascii=False))]
        pages.append(page.title)
    _instructions(guide, job, rubric, t, pages[0])
    meta = book.create_sheet(META_SHEET)
    for row, (key, value) in enumerate([*meta_rows, ("digest", _digest(meta_rows))], start=1):
        put_text(meta.cell(row=row, column=1), key)
        put_text(meta.cell(row=row, column=2), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.active = 1
    return write_atomic(Path(path), lambda tmp: book.save(tmp))


def _digest(rows: list[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def _scoring_page(ws: Worksheet, job: SheetJob, rubric: JuryRubric, stage: Stage,
                  t: Translator) -> dict[str, str]:
    """Fill a scoring page; return {column id: letter}."""
    lo, hi = _fmt(rubric.scale_min), _fmt(rubric.scale_max)
    title = (t("jury.sheet.stage_title", competition=job.competition,
               stage=text(stage.name, t.lang)) if rubric.multi_stage
             else t("jury.sheet.title", competition=job.competition))
    put_text(ws["A1"], title)
    ws["A1"].font = Font(bold=True, size=13)
    scale = t("jury.sheet.scale_value", min=lo, max=hi) + (
        t("jury.sheet.scale_integer") if rubric.integer else "")
    for row, (label, value) in enumerate([(t("jury.sheet.juror_id"), job.juror_id),
                                          (t("jury.sheet.juror_name"), job.juror_name),
                                          (t("jury.sheet.scale"), scale)], start=2):
        put_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        put_text(ws.cell(row=row, column=3), value)
    ws[JUROR_CELL].font = Font(bold=True, color="C00000")
    put_text(ws["A5"], t("jury.sheet.hint"))
    ws["A5"].font = Font(italic=True)

    crit = list(stage.criteria)
    ids = [*FIXED, *[c.id for c in crit], "total", "note", "recuse"]
    heads = [t("jury.sheet.col_no"), t("jury.sheet.col_id"), t("jury.sheet.col_title"),
             t("jury.sheet.col_unit")]
    heads += [f"{text(c.name, t.lang)} ({t('jury.sheet.col_weight', weight=_percent(w))})"
              for c, w in zip(crit, stage.weights, strict=True)]
    heads += [t("jury.sheet.col_total"), t("jury.sheet.col_note"), t("jury.sheet.col_recuse")]
    letters = {cid: get_column_letter(i + 1) for i, cid in enumerate(ids)}
    for i, (head, cid) in enumerate(zip(heads, ids, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=i)
        put_text(cell, head)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        put_text(ws.cell(row=IDS_ROW, column=i), cid)
        ws.cell(row=IDS_ROW, column=i).font = Font(size=8, color="808080")
    put_text(ws.cell(row=5, column=len(ids)), t("jury.sheet.ids_row"))
    ws.cell(row=5, column=len(ids)).font = Font(size=8, color="808080")

    prefill = _prefill(job.prefill, stage)
    for (entry_id, stage_id), reason in job.declared.items():
        if stage_id in ("", stage.id):
            prefill.setdefault(entry_id, {})["recuse"] = reason
    first_c, last_c = letters[crit[0].id], letters[crit[-1].id]
    weights = stage.weights
    for offset, entry in enumerate(job.entries.itertuples(index=False)):
        row = FIRST_ROW + offset
        ws.cell(row=row, column=1, value=offset + 1)
        put_text(ws.cell(row=row, column=2), entry.innovation_id)
        put_text(ws.cell(row=row, column=3), entry.title)
        put_text(ws.cell(row=row, column=4), entry.unit_name)
        ws.cell(row=row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
        values = prefill.get(entry.innovation_id, {})
        for c in crit:
            cell = ws[f"{letters[c.id]}{row}"]
            cell.value = values.get(c.id)
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
        terms = "+".join(f"{letters[c.id]}{row}*{float(w)!r}" for c, w in zip(crit, weights,
                                                                          strict=True))
        ws[f"{letters['total']}{row}"] = (
            f'=IF(COUNT({first_c}{row}:{last_c}{row})={len(crit)},{terms},"")')
        ws[f"{letters['total']}{row}"].number_format = "0.00"
        for cid in ("note", "recuse"):
            cell = ws[f"{letters[cid]}{row}"]
            put_text(cell, values.get(cid, ""))
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    last_row = FIRST_ROW + max(len(job.entries), 1) - 1
    validation = DataValidation(
        type="whole" if rubric.integer else "decimal", operator="between",
        formula1=lo, formula2=hi, allow_blank=True, showErrorMessage=True,
        errorTitle=t("jury.sheet.validation_title"),
        error=t("jury.sheet.validation_error", min=lo, max=hi), showInputMessage=True,
        promptTitle=t("jury.sheet.validation_prompt_title"),
        prompt=t("jury.sheet.validation_prompt", min=lo, max=hi))
    validation.add(f"{first_c}{FIRST_ROW}:{last_c}{last_row}")
    ws.add_data_validation(validation)
    widths = {"no": 5, "innovation_id": 14, "title": 42, "unit": 28, "total": 14, "note": 36,
              "recuse": 30}
    for cid, letter in letters.items():
        ws.column_dimensions[letter].width = widths.get(cid, 14)
    ws.row_dimensions[HEADER_ROW].height = 48
    ws.freeze_panes = f"E{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # jurors may widen columns; nothing structural
    ws.protection.formatRows = False
    return letters


def _prefill(scores: pd.DataFrame | None, stage: Stage) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    if scores is None or scores.empty:
        return out
    part = scores[scores["stage"] == stage.id]
    for row in part.itertuples(index=False):
        item = out.setdefault(str(row.innovation_id), {})
        item[str(row.criterion)] = float(row.score)
        note = "" if pd.isna(getattr(row, "note", "")) else str(getattr(row, "note", ""))
        if note and note not in str(item.get("note", "")).split("; "):
            item["note"] = f"{item['note']}; {note}" if item.get("note") else note
    return out


def _instructions(ws: Worksheet, job: SheetJob, rubric: JuryRubric, t: Translator,
                  first_page: str) -> None:
    lo, hi, lang = _fmt(rubric.scale_min), _fmt(rubric.scale_max), t.lang
    lines: list[tuple[str, ...]] = [
        (t("jury.sheet.title", competition=job.competition),),
        (t("jury.sheet.juror_id"), job.juror_id),
        (t("jury.sheet.juror_name"), job.juror_name),
        (t("jury.sheet.region"), job.region),
        (),
        (t("jury.sheet.steps_heading"),),
        *[(t(f"jury.sheet.step{i}", sheet=first_page, min=lo, max=hi),) for i in range(1, 7)],
        (),
        (t("jury.sheet.criteria_heading"),),
    ]
    if rubric.weights_basis:
        lines.append((t("jury.sheet.weights_basis"), text(rubric.weights_basis, lang)))
    for stage in rubric.stages:
        if rubric.multi_stage:
            lines += [(), (text(stage.name, lang),
                           t("jury.sheet.stage_weight",
                             weight=_percent(stage.weight / sum(x.weight for x in rubric.stages))))]
        lines.append((t("jury.sheet.col_criterion"), t("jury.sheet.col_weight_head"),
                      t("jury.sheet.col_description")))
        lines += [(text(c.name, lang), _percent(w), text(c.description, lang))
                  for c, w in zip(stage.criteria, stage.weights, strict=True)]
        lines.append((t("jury.sheet.col_criterion"), t("jury.sheet.col_level"),
                      t("jury.sheet.col_range"), t("jury.sheet.col_guidance")))
        for c in stage.criteria:
            for level in rubric.levels:
                low, high = rubric.level_range(level)
                guide = text(c.guidance.get(level.id, {}), lang)
                lines.append((text(c.name, lang), text(level.label, lang),
                              f"{_fmt(low)}–{_fmt(high)}", guide))
    if rubric.tie_break:
        names = []
        for key in rubric.tie_break:
            stage = rubric.stage(key.stage)
            names.append(text(stage.name, lang) if not key.criterion else text(
                next(c for c in stage.criteria if c.id == key.criterion).name, lang))
        lines += [(), (t("jury.sheet.tie_break", keys=", ".join(names)),)]
    lines += [(), (t("jury.sheet.conflicts_heading"),)]
    if job.conflicts.empty:
        lines.append((t("jury.sheet.conflicts_none"),))
    for entry in job.conflicts.itertuples(index=False):
        lines.append((entry.innovation_id, entry.title,
                      t("jury.sheet.conflict_own_unit", unit=entry.unit_name)))
    headings = {t("jury.sheet.steps_heading"), t("jury.sheet.criteria_heading"),
                t("jury.sheet.conflicts_heading"), t("jury.sheet.col_criterion")}
    for r, values in enumerate(lines, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            put_text(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1 or (c == 1 and value in headings):
                cell.font = Font(bold=True, size=13 if r == 1 else 11)
    for letter, width in zip("ABCD", (28, 18, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.protection.sheet = True


# --- reading -----------------------------------------------------------------------------


@dataclass
class SheetResult:
    """A read sheet: the juror, their scores and declared recusals, and every problem."""

    path: Path
    juror_id: str = ""
    scores: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SCORE_COLUMNS[1:]))
    recusals: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=RECUSAL_COLUMNS[1:]))
    stages: list[str] = field(default_factory=list)  # stages the sheet holds scores for
    issues: list[Issue] = field(default_factory=list)
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def _cell_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(path: Path, rubric: JuryRubric, assignment: dict[str, list[str]],
               conflicts: dict[str, dict[str, str]]) -> SheetResult:
    """Read and check one filled sheet.

    ``assignment`` maps each juror of the year to their entries; ``conflicts`` maps each
    juror to {entry: unit} of the entries they may not score.
    """
    path = Path(path)
    result = SheetResult(path)
    label = path.name

    def error(message: str, sheet: str = "", row: int | None = None, column: str = "",
              code: str = "jury-sheet") -> SheetResult:
        result.issues.append(Issue("error", message, file=label, sheet=sheet, row=row,
                                   column=column, code=code))
        return result

    try:
        data = path.read_bytes()
        result.sha256 = hashlib.sha256(data).hexdigest()
        book = openpyxl.load_workbook(path, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return error(f"not a readable .xlsx workbook ({exc.__class__.__name__})")
    if META_SHEET not in book.sheetnames:
        return error("not an evalkit score sheet (its hidden _evalkit page is missing); "
                     "use the sheet generated for you")
    meta = {_cell_str(k): _cell_str(v) for k, v, *_ in book[META_SHEET].iter_rows(
        min_col=1, max_col=2, values_only=True) if k}
    if meta.get("format") != FORMAT:
        return error(f"unsupported sheet format {meta.get('format')!r}", META_SHEET)
    digest = meta.pop("digest", "")
    if _digest(list(meta.items())) != digest:
        return error("the hidden _evalkit page was edited; use the sheet generated for you",
                     META_SHEET)
    juror = meta["juror_id"]
    result.juror_id = juror
    if juror not in assignment:
        return error(f"juror {juror!r} is not a juror of this year", META_SHEET)
    if meta.get("rubric_id") != rubric.id or meta.get("structure") != structure(rubric):
        return error(f"the sheet was made for rubric {meta.get('rubric_id')!r} with other "
                     f"criteria or scale than the current {rubric.id!r}; generate new sheets")
    for stage in rubric.stages:
        title = meta.get(f"sheet:{stage.id}", "")
        if title not in book.sheetnames:
            error(f"scoring page {title!r} is missing", title)
            continue
        _read_page(book[title], stage, meta, juror, rubric, assignment[juror],
                   conflicts.get(juror, {}), label, result)
    if not result.ok:
        result.scores = result.scores.iloc[0:0]
        result.recusals = result.recusals.iloc[0:0]
    return result


def _read_page(ws: Worksheet, stage: Stage, meta: dict[str, str], juror: str,
               rubric: JuryRubric, assigned: list[str], conflicted: dict[str, str],
               label: str, result: SheetResult) -> None:
    sheet = ws.title
    shown = _cell_str(ws[JUROR_CELL].value)
    if shown != juror:
        result.issues.append(Issue(
            "error", f"juror code changed from {juror!r} to {shown!r}; each juror returns "
                     "their own sheet", file=label, sheet=sheet, row=2, column="C",
            code="jury-juror"))
        return
    letters: dict[str, str] = json.loads(meta[f"columns:{stage.id}"])
    expected_rows: dict[str, int] = json.loads(meta[f"rows:{stage.id}"])
    index = {cid: openpyxl.utils.column_index_from_string(letter)
             for cid, letter in letters.items()}
    for cid, col in index.items():
        found = _cell_str(ws.cell(row=IDS_ROW, column=col).value)
        if found != cid:
            result.issues.append(Issue(
                "error", f"column {letters[cid]} should hold '{cid}' (row {IDS_ROW}) but holds "
                         f"{found!r}: columns were moved or deleted", file=label, sheet=sheet,
                row=IDS_ROW, column=letters[cid], code="jury-columns"))
    if not result.ok:
        return
    rows: list[SubmittedRow] = []
    labels = {cid: f"{letter} ({cid})" for cid, letter in letters.items()}
    width = max(index.values())
    for r, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True),
                              start=FIRST_ROW):
        get = {cid: cells[col - 1] for cid, col in index.items()}
        entry = _cell_str(get["innovation_id"])
        inputs = [get[c] for c in stage.criterion_ids] + [get["note"], get["recuse"]]
        if not entry and all(_cell_str(v) == "" for v in inputs):
            continue
        if not entry:
            result.issues.append(Issue("error", "scores on a row without an innovation ID",
                                       file=label, sheet=sheet, row=r,
                                       column=labels["innovation_id"], code="jury-row"))
            continue
        rows.append(SubmittedRow(
            innovation_id=entry, values={c: get[c] for c in stage.criterion_ids},
            note=_cell_str(get["note"]), recuse=_cell_str(get["recuse"]), row=r,
            columns=labels))
    if rubric.multi_stage and not any(
            any(_cell_str(v) for v in [*row.values.values(), row.recuse]) for row in rows):
        result.issues.append(Issue("warning", f"no scores for stage {stage.id!r}; the juror's "
                                              "stored scores for it are kept", file=label,
                                   sheet=sheet, code="jury-stage-empty"))
        return
    scores, recusals, issues = check_submission(
        rows, stage=stage, rubric=rubric, assigned=assigned, conflicted=conflicted, file=label,
        sheet=sheet, expected_rows=expected_rows)
    result.issues += issues
    result.scores = pd.concat([d for d in (result.scores, scores) if not d.empty] or [scores],
                              ignore_index=True)
    result.recusals = pd.concat([d for d in (result.recusals, recusals) if not d.empty]
                                or [recusals], ignore_index=True)
    result.stages.append(stage.id)
