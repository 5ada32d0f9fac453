"""Jurors' score sheets as XLSX: written for each juror, read back (XLSX or ODS) and checked.

A workbook holds:

* *Petunjuk* (instructions): the steps, then one table with a row per criterion (weight,
  description, and the guidance of every level side by side), the tie-break rule and the
  entries the juror does not score (conflicts of interest).
* one scoring page per open stage (*Nilai*, or *Nilai <stage>*): a row per assigned entry
  with its title and unit, its profile and description (wrapped, cut only with a pointer to
  the description page), the criteria with data validation for the scale, an automatic
  weighted total, a note and a conflict column. A later stage lists only the shortlisted
  entries.
* *Deskripsi*: each entry's full profile, description and documents, never cut (long text
  continues on the next rows).
* a very hidden ``_evalkit`` page recording who the sheet is for, which entry sits on which
  row, and an HMAC-SHA256 signature over all of it with a key that stays in the organisers'
  score store (``JuryStore.sheet_key``): a sheet relabelled for another juror, year or region
  cannot be re-signed by whoever edits it.

Every page prints: A4 landscape, one page wide, header rows repeated, row heights that fit the
wrapped text, a print area. Everything but the input cells is protected; the machine-key row
of a scoring page is hidden. Text from submissions is written as text with the quote prefix
where it would start a formula, so a title such as ``=HYPERLINK(...)`` is shown, never run.

Reading checks the format, the year and region, the signature, the juror, the rubric's
structure, every entry and every score, and reports each problem in the params' language with
its sheet, row and the criterion's name; only a sheet with no error yields scores.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evalkit.fileio import write_atomic
from evalkit.i18n import Translator
from evalkit.issues import Issue
from evalkit.jury.book import SUFFIXES, UnreadableBook, read_book
from evalkit.jury.pagesetup import clip_to_lines, print_landscape, row_height
from evalkit.jury.profile import EntryProfile
from evalkit.jury.rubric import JuryRubric, Stage, text
from evalkit.jury.scores import SubmittedRow, check_submission
from evalkit.jury.store import RECUSAL_COLUMNS, SCORE_COLUMNS

FORMAT = "evalkit-jury-sheet/2"
OLD_FORMATS = ("evalkit-jury-sheet/1",)
META_SHEET = "_evalkit"
JUROR_CELL = "C2"
HEADER_ROW, IDS_ROW, FIRST_ROW = 6, 7, 8
FIXED = ("no", "innovation_id", "title", "profile")  # columns A-D of a scoring page
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FONT = "Calibri"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="1F5F8B")
BAND_FILL = PatternFill("solid", fgColor="EAF1F8")
UNLOCKED = Protection(locked=False)
PLAIN = Font(name=FONT, size=10)
BOLD = Font(name=FONT, size=10, bold=True)
HEAD_FONT = Font(name=FONT, bold=True, size=10, color="FFFFFF")
SMALL_GREY = Font(name=FONT, size=8, color="808080")
THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOXES = {(top, bottom): Border(left=THIN, right=THIN, top=THIN if top else None,
                               bottom=THIN if bottom else None)
         for top in (True, False) for bottom in (True, False)}
TOP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {"no": 4, "innovation_id": 12, "title": 24, "profile": 46, "total": 9, "note": 20,
          "recuse": 14}
CRITERION_WIDTH = 11
TITLE_LINES, PROFILE_LINES = 8, 24  # the most a scoring row shows before pointing elsewhere
# The description page: ID, innovation, unit, facts, description, documents.
DESCRIPTION_WIDTHS = (12, 26, 20, 26, 58, 48)
DESCRIPTION_CHUNK = 1500  # characters of description per row there (long text continues)
MARGIN_ROWS = 50  # rows read below the last entry (anything typed there is reported)


def structure(rubric: JuryRubric) -> str:
    """Fingerprint of what a sheet's layout depends on: stages, criteria, scale.

    Weights and texts may change after sheets went out without invalidating them.
    """
    shape = [[s.id, s.criterion_ids] for s in rubric.stages]
    payload = json.dumps([shape, rubric.scale_min, rubric.scale_max, rubric.integer])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def clean(value: object) -> str:
    """Text as a spreadsheet can hold it (control characters removed)."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def put_text(cell: Cell, value: object) -> None:
    """Write text that a spreadsheet shows as text, never runs as a formula."""
    content = clean(value)
    cell.value = content
    cell.data_type = "s"
    if content.startswith(FORMULA_START):
        cell.quotePrefix = True


def put_rich(cell: Cell, parts: Sequence[tuple[str, bool]]) -> None:
    """Text in runs (bold or not): a title in bold above its unit. Never a formula."""
    blocks = [TextBlock(InlineFont(rFont=FONT, sz=10, b=bold), clean(part))
              for part, bold in parts if part]
    cell.value = CellRichText(blocks)
    if "".join(p for p, _ in parts).startswith(FORMULA_START):
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


def signature(key: bytes, rows: Sequence[tuple[str, str]]) -> str:
    """HMAC-SHA256 of the hidden page's rows: only the key's holder can make a valid one."""
    payload = json.dumps([list(r) for r in rows], ensure_ascii=False).encode("utf-8")
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SheetPage:
    """One scoring page: a stage and the juror's entries for it (in order)."""

    stage: Stage
    entries: list[str]


@dataclass(frozen=True)
class SheetJob:
    """What one juror's workbook needs."""

    juror_id: str
    juror_name: str
    pages: list[SheetPage]
    profiles: dict[str, EntryProfile]
    conflicts: list[tuple[str, str]]  # (entry, unit name) left out for conflict of interest
    competition: str
    region: str  # the region's id (params ``region``), signed into the sheet
    region_name: str
    year: int
    key: bytes
    prefill: pd.DataFrame | None = None  # juror's current scores (innovation_id, stage, ...)
    declared: dict[tuple[str, str], str] = field(default_factory=dict)  # (entry, stage): reason
    notes: dict[str, str] = field(default_factory=dict)  # stage id -> a line about the stage


def write_sheet(path: Path, job: SheetJob, rubric: JuryRubric, t: Translator) -> Path:
    """Write one juror's workbook atomically."""
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = t("jury.sheet.instructions")
    meta_rows: list[tuple[str, str]] = [
        ("format", FORMAT), ("juror_id", job.juror_id), ("rubric_id", rubric.id),
        ("structure", structure(rubric)), ("region", job.region), ("year", str(job.year)),
        ("stages", json.dumps([p.stage.id for p in job.pages])),
    ]
    description_page = t("jury.sheet.descriptions")
    titles = []
    for page in job.pages:
        ws = book.create_sheet(sheet_name(rubric, page.stage, t))
        columns = _scoring_page(ws, job, page, rubric, t, description_page)
        rows = {e: FIRST_ROW + i for i, e in enumerate(page.entries)}
        meta_rows += [(f"sheet:{page.stage.id}", ws.title),
                      (f"columns:{page.stage.id}", json.dumps(columns)),
                      (f"rows:{page.stage.id}", json.dumps(rows, ensure_ascii=False))]
        titles.append(ws.title)
    _instructions(guide, job, rubric, t, titles)
    entries = list(dict.fromkeys(e for p in job.pages for e in p.entries))
    _descriptions(book.create_sheet(description_page), job, entries, t)
    meta = book.create_sheet(META_SHEET)
    signed = [*meta_rows, ("signature", signature(job.key, meta_rows))]
    for row, (key, value) in enumerate(signed, start=1):
        put_text(meta.cell(row=row, column=1), key)
        put_text(meta.cell(row=row, column=2), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.active = 1 if job.pages else 0
    return write_atomic(Path(path), lambda tmp: book.save(tmp))


def _levels_line(rubric: JuryRubric, lang: str) -> str:
    bands = []
    for level in rubric.levels:
        low, high = rubric.level_range(level)
        bands.append(f"{_fmt(low)}–{_fmt(high)} {text(level.label, lang)}")
    return " · ".join(bands)


def _scoring_page(ws: Worksheet, job: SheetJob, page: SheetPage, rubric: JuryRubric,
                  t: Translator, description_page: str) -> dict[str, str]:
    """Fill a scoring page; return {column id: letter}."""
    stage, lang = page.stage, t.lang
    lo, hi = _fmt(rubric.scale_min), _fmt(rubric.scale_max)
    crit = list(stage.criteria)
    ids = [*FIXED, *[c.id for c in crit], "total", "note", "recuse"]
    letters = {cid: get_column_letter(i + 1) for i, cid in enumerate(ids)}
    last = letters["recuse"]
    widths = {cid: WIDTHS.get(cid, CRITERION_WIDTH) for cid in ids}
    for cid, letter in letters.items():
        ws.column_dimensions[letter].width = widths[cid]

    title = (t("jury.sheet.stage_title", competition=job.competition,
               stage=text(stage.name, lang)) if rubric.multi_stage
             else t("jury.sheet.title", competition=job.competition))
    put_text(ws["A1"], title)
    ws["A1"].font = Font(name=FONT, bold=True, size=13)
    ws.merge_cells(f"A1:{last}1")
    scale = t("jury.sheet.scale_value", min=lo, max=hi) + (
        t("jury.sheet.scale_integer") if rubric.integer else "")
    scale += " — " + _levels_line(rubric, lang)
    header_rows = [(t("jury.sheet.juror_id"), job.juror_id),
                   (t("jury.sheet.juror_name"), job.juror_name),
                   (t("jury.sheet.scale"), scale)]
    for row, (label, value) in enumerate(header_rows, start=2):
        put_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(name=FONT, bold=True, size=10)
        put_text(ws.cell(row=row, column=3), value)
        ws.cell(row=row, column=3).font = Font(name=FONT, size=10)
    for row in (2, 3, 4):
        ws.merge_cells(f"A{row}:B{row}")
    ws.merge_cells(f"C4:{last}4")
    ws["C4"].alignment = TOP
    ws[JUROR_CELL].font = Font(name=FONT, bold=True, size=12, color="C00000")
    hint = t("jury.sheet.hint", sheet=description_page)
    if job.notes.get(stage.id):
        hint += " " + job.notes[stage.id]
    put_text(ws["A5"], hint)
    ws["A5"].font = Font(name=FONT, italic=True, size=10)
    ws["A5"].alignment = TOP
    ws.merge_cells(f"A5:{last}5")
    total_width = sum(widths.values())
    ws.row_dimensions[4].height = row_height([(scale, total_width - 16, 10, False)])
    ws.row_dimensions[5].height = row_height([(hint, total_width, 10, False)])

    heads = {"no": t("jury.sheet.col_no"), "innovation_id": t("jury.sheet.col_id"),
             "title": t("jury.sheet.col_title"), "profile": t("jury.sheet.col_profile"),
             "total": t("jury.sheet.col_total"), "note": t("jury.sheet.col_note"),
             "recuse": t("jury.sheet.col_recuse")}
    for c, w in zip(crit, stage.weights, strict=True):
        heads[c.id] = f"{text(c.name, lang)} ({t('jury.sheet.col_weight', weight=_percent(w))})"
    for cid, letter in letters.items():
        cell = ws[f"{letter}{HEADER_ROW}"]
        put_text(cell, heads[cid])
        cell.font = Font(name=FONT, bold=True, size=9, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = GRID
        key = ws[f"{letter}{IDS_ROW}"]
        put_text(key, cid)
        key.font = Font(name=FONT, size=8, color="808080")
    ws.row_dimensions[HEADER_ROW].height = row_height(
        [(heads[cid], widths[cid], 9, True) for cid in ids], minimum=30)
    ws.row_dimensions[IDS_ROW].hidden = True

    prefill = _prefill(job.prefill, stage)
    for (entry_id, stage_id), reason in job.declared.items():
        if stage_id in ("", stage.id):
            prefill.setdefault(entry_id, {})["recuse"] = reason
    first_c, last_c = letters[crit[0].id], letters[crit[-1].id]
    more = t("jury.sheet.more", sheet=description_page)
    for offset, entry in enumerate(page.entries):
        row = FIRST_ROW + offset
        profile = job.profiles[entry]
        ws.cell(row=row, column=1, value=offset + 1)
        put_text(ws.cell(row=row, column=2), entry)
        title_text = clip_to_lines(profile.title, widths["title"], TITLE_LINES - 2, more)
        put_rich(ws.cell(row=row, column=3), [(title_text, True), ("\n" + profile.unit, False)])
        body = "\n".join([profile.facts_text(),
                          profile.description or t("jury.profile.no_description"),
                          profile.documents_text(t)])
        body = clip_to_lines(body, widths["profile"], PROFILE_LINES, more)
        put_text(ws.cell(row=row, column=4), body)
        values = prefill.get(entry, {})
        for c in crit:
            cell = ws[f"{letters[c.id]}{row}"]
            cell.value = values.get(c.id)
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
            cell.alignment = Alignment(horizontal="center", vertical="top")
        terms = "+".join(f"{letters[c.id]}{row}*{float(w)!r}"
                         for c, w in zip(crit, stage.weights, strict=True))
        total = ws[f"{letters['total']}{row}"]
        total.value = f'=IF(COUNT({first_c}{row}:{last_c}{row})={len(crit)},{terms},"")'
        total.number_format = "0.00"
        total.alignment = Alignment(horizontal="center", vertical="top")
        for cid in ("note", "recuse"):
            cell = ws[f"{letters[cid]}{row}"]
            put_text(cell, values.get(cid, ""))
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
        for cid, letter in letters.items():
            cell = ws[f"{letter}{row}"]
            cell.border = GRID
            if cid not in {c.id for c in crit} and cid != "total":
                cell.alignment = TOP
            if cid in ("no", "innovation_id", "profile", "note", "recuse"):
                cell.font = PLAIN
        ws.row_dimensions[row].height = row_height([
            (title_text + "\n" + profile.unit, widths["title"], 10, True),
            (body, widths["profile"], 10, False),
            (str(values.get("note", "")), widths["note"], 10, False),
            (str(values.get("recuse", "")), widths["recuse"], 10, False)], minimum=30)
    last_row = FIRST_ROW + max(len(page.entries), 1) - 1
    validation = DataValidation(
        type="whole" if rubric.integer else "decimal", operator="between",
        formula1=lo, formula2=hi, allow_blank=True, showErrorMessage=True,
        errorTitle=t("jury.sheet.validation_title"),
        error=t("jury.sheet.validation_error", min=lo, max=hi), showInputMessage=True,
        promptTitle=t("jury.sheet.validation_prompt_title"),
        prompt=t("jury.sheet.validation_prompt", min=lo, max=hi))
    validation.add(f"{first_c}{FIRST_ROW}:{last_c}{last_row}")
    ws.add_data_validation(validation)
    ws.freeze_panes = f"D{FIRST_ROW}"
    print_landscape(ws, f"{HEADER_ROW}:{HEADER_ROW}", f"A1:{last}{last_row}")
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # jurors may widen columns and rows to read
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
        raw = getattr(row, "note", "")
        note = "" if raw is None or pd.isna(raw) else str(raw).strip()
        if note and note not in str(item.get("note", "")).split("; "):
            item["note"] = f"{item['note']}; {note}" if item.get("note") else note
    return out


def _instructions(ws: Worksheet, job: SheetJob, rubric: JuryRubric, t: Translator,
                  pages: list[str]) -> None:
    """Steps, the guidance table (a row per criterion, levels side by side), conflicts."""
    lo, hi, lang = _fmt(rubric.scale_min), _fmt(rubric.scale_max), t.lang
    n_levels = len(rubric.levels)
    widths = [26, 36, *[24] * n_levels]
    last = get_column_letter(len(widths))
    full = sum(widths)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    row = 1

    def line(value: str, bold: bool = False, size: int = 10, italic: bool = False) -> None:
        nonlocal row
        cell = ws.cell(row=row, column=1)
        put_text(cell, value)
        cell.font = Font(name=FONT, bold=bold, size=size, italic=italic)
        cell.alignment = TOP
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = row_height([(value, full, size, bold)],
                                                   minimum=size * 1.6)
        row += 1

    line(t("jury.sheet.title", competition=job.competition), bold=True, size=13)
    for label, value in ((t("jury.sheet.juror_id"), job.juror_id),
                         (t("jury.sheet.juror_name"), job.juror_name),
                         (t("jury.sheet.region"), f"{job.region_name} {job.year}")):
        put_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(name=FONT, bold=True, size=10)
        put_text(ws.cell(row=row, column=2), value)
        ws.cell(row=row, column=2).font = Font(name=FONT, size=10)
        row += 1
    row += 1
    line(t("jury.sheet.steps_heading"), bold=True, size=11)
    first = pages[0] if pages else t("jury.sheet.scores")
    for i in range(1, 7):
        line(t(f"jury.sheet.step{i}", sheet=first, min=lo, max=hi,
               descriptions=t("jury.sheet.descriptions")))
    row += 1
    line(t("jury.sheet.criteria_heading"), bold=True, size=11)
    line(t("jury.sheet.scale_value", min=lo, max=hi) + (
        t("jury.sheet.scale_integer") if rubric.integer else "") + " — "
        + _levels_line(rubric, lang))
    stage_total = sum(s.weight for s in rubric.stages)
    for stage in rubric.stages:
        if rubric.multi_stage:
            row += 1
            note = t("jury.sheet.stage_weight", stage=text(stage.name, lang),
                     weight=_percent(stage.weight / stage_total))
            if stage.shortlist is not None:
                note += " " + shortlist_text(stage, t)
            line(note, bold=True)
        heads = [t("jury.sheet.col_criterion"), t("jury.sheet.col_description")]
        for level in rubric.levels:
            low, high = rubric.level_range(level)
            heads.append(f"{text(level.label, lang)} ({_fmt(low)}–{_fmt(high)})")
        for col, head in enumerate(heads, start=1):
            cell = ws.cell(row=row, column=col)
            put_text(cell, head)
            cell.font = Font(name=FONT, bold=True, size=10, color="FFFFFF")
            cell.fill, cell.border = HEAD_FILL, GRID
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[row].height = row_height(
            [(h, w, 10, True) for h, w in zip(heads, widths, strict=True)], minimum=28)
        row += 1
        for c, w in zip(stage.criteria, stage.weights, strict=True):
            name = f"{text(c.name, lang)}\n{t('jury.sheet.col_weight', weight=_percent(w))}"
            values = [name, text(c.description, lang)] + [
                text(c.guidance.get(level.id, {}), lang) or "–" for level in rubric.levels]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col)
                put_text(cell, value)
                cell.font = Font(name=FONT, size=10, bold=col == 1)
                cell.alignment, cell.border = TOP, GRID
                if col == 1:
                    cell.fill = BAND_FILL
            ws.row_dimensions[row].height = row_height(
                [(v, w, 10, i == 0) for i, (v, w) in enumerate(zip(values, widths,
                                                                    strict=True))])
            row += 1
    row += 1
    if rubric.weights_basis:
        line(f"{t('jury.sheet.weights_basis')}: {text(rubric.weights_basis, lang)}",
             italic=True)
    if rubric.tie_break:
        names = []
        for key in rubric.tie_break:
            stage = rubric.stage(key.stage)
            names.append(text(stage.name, lang) if not key.criterion else text(
                next(c for c in stage.criteria if c.id == key.criterion).name, lang))
        line(t("jury.sheet.tie_break", keys=", ".join(names)))
    row += 1
    line(t("jury.sheet.conflicts_heading"), bold=True, size=11)
    if not job.conflicts:
        line(t("jury.sheet.conflicts_none"))
    for entry, unit in job.conflicts:
        profile = job.profiles.get(entry)
        title = profile.title if profile else entry
        line(f"{entry} — {title}: {t('jury.sheet.conflict_own_unit', unit=unit)}")
    print_landscape(ws, None, f"A1:{last}{row - 1}")
    ws.protection.sheet = True


def shortlist_text(stage: Stage, t: Translator) -> str:
    """'Lolos ke tahap berikutnya: 10 besar.' in the reader's language."""
    rule = stage.shortlist
    if rule is None:
        return ""
    parts = []
    if rule.top is not None:
        parts.append(t("jury.rounds.rule_top", n=rule.top))
    if rule.min_score is not None:
        parts.append(t("jury.rounds.rule_min", score=t.number(rule.min_score, 1)))
    return t("jury.rounds.rule", rule=t("jury.rounds.rule_and").join(parts))


def _descriptions(ws: Worksheet, job: SheetJob, entries: list[str], t: Translator) -> None:
    """Each entry's whole profile: long descriptions continue on the following rows."""
    widths = DESCRIPTION_WIDTHS
    last = get_column_letter(len(widths))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    put_text(ws["A1"], t("jury.sheet.descriptions_title", competition=job.competition))
    ws["A1"].font = Font(name=FONT, bold=True, size=13)
    ws.merge_cells(f"A1:{last}1")
    put_text(ws["A2"], t("jury.sheet.descriptions_hint"))
    ws["A2"].font = Font(name=FONT, italic=True, size=10)
    ws.merge_cells(f"A2:{last}2")
    heads = [t("jury.sheet.col_id"), t("jury.sheet.col_title"), t("jury.sheet.col_unit"),
             t("jury.sheet.col_facts"), t("jury.sheet.col_description"),
             t("jury.sheet.col_documents")]
    for col, head in enumerate(heads, start=1):
        cell = ws.cell(row=3, column=col)
        put_text(cell, head)
        cell.font = Font(name=FONT, bold=True, size=10, color="FFFFFF")
        cell.fill, cell.border = HEAD_FILL, GRID
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[3].height = 30
    row = 4
    for entry in entries:
        profile = job.profiles[entry]
        chunks = _chunks(profile.description or t("jury.profile.no_description"),
                         DESCRIPTION_CHUNK)
        title_chunks = _chunks(profile.title, DESCRIPTION_CHUNK)
        lines = [f"{name}: {', '.join(refs) if refs else t('jury.profile.not_given')}"
                 for name, refs in profile.documents]
        if profile.evidence:
            lines.append(f"{t('jury.profile.evidence_label')} ({len(profile.evidence)}): "
                         + "; ".join(profile.evidence))
        documents = _chunks("\n".join(lines) or t("jury.profile.no_documents"),
                            DESCRIPTION_CHUNK)
        links = profile.links()  # web addresses: one clickable cell each
        facts = "\n".join(f"{label}: {value}" for label, value in profile.facts)
        n_rows = max(len(chunks), len(title_chunks), len(documents) + len(links), 1)
        for k in range(n_rows):
            link = links[k - len(documents)] if 0 <= k - len(documents) < len(links) else None
            if k < len(documents):
                document = documents[k]
            elif link is not None:
                document = f"{link[0]}: {link[1]}" if link[0] else link[1]
            else:
                document = ""
            values = [entry if k == 0 else t("jury.sheet.continued", entry=entry),
                      title_chunks[k] if k < len(title_chunks) else "",
                      profile.unit if k == 0 else "", facts if k == 0 else "",
                      chunks[k] if k < len(chunks) else "", document]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col)
                put_text(cell, value)
                cell.alignment = TOP
                cell.font = SMALL_GREY if k > 0 and col == 1 else (BOLD if col == 2 else PLAIN)
                cell.border = BOXES[(k == 0, k == n_rows - 1)]
            if link is not None:
                target = ws.cell(row=row, column=6)
                target.hyperlink = link[1]
                target.font = Font(name=FONT, size=10, color="1F5F8B", underline="single")
            ws.row_dimensions[row].height = row_height(
                [(v, w, 10, i == 1) for i, (v, w) in enumerate(zip(values, widths,
                                                                    strict=True))])
            row += 1
    print_landscape(ws, "3:3", f"A1:{last}{max(row - 1, 3)}")
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _chunks(value: str, size: int) -> list[str]:
    """Split text into pieces of at most ``size`` characters at spaces (paragraphs kept)."""
    value = clean(value)
    if len(value) <= size:
        return [value]
    pieces, current = [], ""
    for word in re.split(r"(?<=\s)", value):
        while len(word) > size:  # a single enormous word
            if current:
                pieces.append(current.rstrip())
                current = ""
            pieces.append(word[:size])
            word = word[size:]
        if len(current) + len(word) > size:
            pieces.append(current.rstrip())
            current = ""
        current += word
    if current.strip():
        pieces.append(current.rstrip())
    return pieces


def _groups(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetContext:
    """What a returned sheet is checked against: this year's competition and its key."""

    rubric: JuryRubric
    region: str
    region_name: str
    year: int
    key: bytes | None
    assigned: dict[str, dict[str, list[str]]]  # stage id -> juror -> entries
    conflicted: dict[str, dict[str, str]]  # juror -> {entry: unit}
    entries: set[str]  # every entry of the competition
    t: Translator


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
    kind: str = ""  # "xlsx" or "ods"
    saved: dict[str, Any] | None = None  # the store's log entry, once stored

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def _cell_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(path: Path, ctx: SheetContext) -> SheetResult:
    """Read and check one filled sheet (XLSX or ODS)."""
    path = Path(path)
    result = SheetResult(path)
    label, t = path.name, ctx.t

    def error(key: str, sheet: str = "", row: int | None = None, column: str = "",
              code: str = "jury-sheet", **fields: Any) -> SheetResult:
        result.issues.append(Issue("error", t(f"jury.read.{key}", **fields), file=label,
                                   sheet=sheet, row=row, column=column, code=code,
                                   args=tuple((k, str(v)) for k, v in fields.items())))
        return result

    if path.suffix.lower() not in SUFFIXES:
        return error("suffix", suffix=path.suffix or "-", code="jury-format")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return error("unreadable", reason=exc.__class__.__name__, code="jury-format")
    result.sha256 = hashlib.sha256(data).hexdigest()
    n_rows = max([len(v) for s in ctx.assigned.values() for v in s.values()] + [1])
    width = len(FIXED) + max(len(s.criteria) for s in ctx.rubric.stages) + 3
    bound = (FIRST_ROW + n_rows + MARGIN_ROWS, width + 2)
    try:
        book = read_book(path, {META_SHEET: (500, 2)}, bound)
    except UnreadableBook as exc:
        if exc.reason == "suffix":
            return error("suffix", suffix=exc.detail, code="jury-format")
        return error("unreadable", reason=exc.detail, code="jury-format")
    result.kind = book.kind
    if META_SHEET not in book.sheetnames:
        return error("no_meta", code="jury-format")
    meta: dict[str, str] = {}
    order: list[tuple[str, str]] = []
    for key, value, *_ in book.rows(META_SHEET, 1, 500, 2):
        if _cell_str(key):
            meta[_cell_str(key)] = _cell_str(value)
            order.append((_cell_str(key), _cell_str(value)))
    if meta.get("format") in OLD_FORMATS:
        return error("old_format", sheet=META_SHEET, code="jury-format")
    if meta.get("format") != FORMAT:
        return error("bad_format", sheet=META_SHEET, found=meta.get("format", "-"),
                     code="jury-format")
    if meta.get("region") != ctx.region or meta.get("year") != str(ctx.year):
        return error("other_competition", sheet=META_SHEET, code="jury-foreign-sheet",
                     region=meta.get("region", "-"), year=meta.get("year", "-"),
                     our_region=ctx.region, our_year=ctx.year)
    signed = [(k, v) for k, v in order if k != "signature"]
    if ctx.key is None:
        return error("no_key", sheet=META_SHEET, code="jury-signature")
    if not hmac.compare_digest(signature(ctx.key, signed), meta.get("signature", "")):
        return error("bad_signature", sheet=META_SHEET, code="jury-signature")
    juror = meta["juror_id"]
    result.juror_id = juror
    panel = {j for stage in ctx.assigned.values() for j in stage}
    if juror not in panel:
        return error("not_juror", sheet=META_SHEET, juror=juror, code="jury-juror")
    if meta.get("rubric_id") != ctx.rubric.id or meta.get("structure") != structure(
            ctx.rubric):
        return error("other_rubric", code="jury-rubric", rubric=meta.get("rubric_id", "-"),
                     current=ctx.rubric.id)
    for stage_id in json.loads(meta.get("stages", "[]")):
        if stage_id not in ctx.rubric.stage_ids:
            error("other_rubric", code="jury-rubric", rubric=meta.get("rubric_id", "-"),
                  current=ctx.rubric.id)
            continue
        stage = ctx.rubric.stage(stage_id)
        title = meta.get(f"sheet:{stage.id}", "")
        if title not in book.sheetnames:
            error("page_missing", sheet=title, page=title)
            continue
        _read_page(book, title, stage, meta, juror, ctx, label, result)
    if not result.ok:
        result.scores = result.scores.iloc[0:0]
        result.recusals = result.recusals.iloc[0:0]
    return result


FIXED_LABELS = {"no": "col_no", "innovation_id": "col_id", "title": "col_title",
                "profile": "col_profile", "total": "col_total", "note": "col_note",
                "recuse": "col_recuse"}


def column_labels(letters: dict[str, str], stage: Stage, t: Translator) -> dict[str, str]:
    """'F (Kebaruan)': a column as the juror sees it, letter and heading."""
    names = {c.id: text(c.name, t.lang) for c in stage.criteria}
    return {cid: f"{letter} ({names.get(cid) or t('jury.sheet.' + FIXED_LABELS[cid])})"
            for cid, letter in letters.items()}


def _read_page(book: Any, sheet: str, stage: Stage, meta: dict[str, str], juror: str,
               ctx: SheetContext, label: str, result: SheetResult) -> None:
    t, lang = ctx.t, ctx.t.lang
    shown = _cell_str(book.value(sheet, 2, column_index_from_string(JUROR_CELL[0])))
    if shown != juror:
        result.issues.append(Issue(
            "error", t("jury.read.juror_changed", juror=juror, shown=shown or "-"), file=label,
            sheet=sheet, row=2, column="C", code="jury-juror"))
        return
    letters: dict[str, str] = json.loads(meta[f"columns:{stage.id}"])
    expected_rows: dict[str, int] = json.loads(meta[f"rows:{stage.id}"])
    index = {cid: column_index_from_string(letter) for cid, letter in letters.items()}
    labels = column_labels(letters, stage, t)
    for cid, col in index.items():
        found = _cell_str(book.value(sheet, IDS_ROW, col))
        if found != cid:
            result.issues.append(Issue(
                "error", t("jury.read.columns_moved", column=labels[cid], found=found or "-"),
                file=label, sheet=sheet, row=IDS_ROW, column=labels[cid],
                code="jury-columns"))
    if not result.ok:
        return
    width = max(index.values())
    last = FIRST_ROW + len(expected_rows) + MARGIN_ROWS - 1
    rows: list[SubmittedRow] = []
    for r, cells in enumerate(book.rows(sheet, FIRST_ROW, last, width), start=FIRST_ROW):
        get = {cid: cells[col - 1] for cid, col in index.items()}
        entry = _cell_str(get["innovation_id"])
        inputs = [get[c] for c in stage.criterion_ids] + [get["note"], get["recuse"]]
        if not entry and all(_cell_str(v) == "" for v in inputs):
            continue
        if not entry:
            result.issues.append(Issue("error", t("jury.read.no_entry"), file=label,
                                       sheet=sheet, row=r, column=labels["innovation_id"],
                                       code="jury-row"))
            continue
        rows.append(SubmittedRow(
            innovation_id=entry, values={c: get[c] for c in stage.criterion_ids},
            note=_cell_str(get["note"]), recuse=_cell_str(get["recuse"]), row=r,
            columns=labels))
    if ctx.rubric.multi_stage and not any(
            any(_cell_str(v) for v in [*row.values.values(), row.recuse]) for row in rows):
        result.issues.append(Issue(
            "warning", t("jury.read.stage_empty", stage=text(stage.name, lang)), file=label,
            sheet=sheet, code="jury-stage-empty"))
        return
    assigned = ctx.assigned.get(stage.id, {}).get(juror, [])
    scores, recusals, issues = check_submission(
        rows, stage=stage, rubric=ctx.rubric, assigned=assigned,
        conflicted=ctx.conflicted.get(juror, {}), t=t, file=label, sheet=sheet,
        expected_rows=expected_rows, competing=ctx.entries)
    result.issues += issues
    result.scores = pd.concat([d for d in (result.scores, scores) if not d.empty] or [scores],
                              ignore_index=True)
    result.recusals = pd.concat([d for d in (result.recusals, recusals) if not d.empty]
                                or [recusals], ignore_index=True)
    result.stages.append(stage.id)
