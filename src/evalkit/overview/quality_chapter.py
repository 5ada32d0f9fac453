"""Chapter: data quality — the warnings validation raised, so readers can weigh the figures.

Repeats of one problem (same kind, place and value) are one line with their rows as ranges,
so 679 rows with the same unread value do not bury the rest of the list.
"""

from __future__ import annotations

import json

import pandas as pd

from evalkit.artifacts import read_table
from evalkit.i18n import Translator
from evalkit.issues import row_ranges
from evalkit.report.appendix import Appendix, write_attachment
from evalkit.report.blocks import Block, Markdown, ReportContext, Table, long_table

MAX_LISTED = 15  # grouped problems shown in the appendix; all of them are attached


def _detail(t: Translator, code: str, message: str, args: str) -> str:
    """The issue in the report's language when a template exists, else as validation said."""
    key = f"core.quality.details.{code}"
    fields = json.loads(args) if isinstance(args, str) and args else {}
    if t.has(key):
        try:
            return t(key, **fields)
        except KeyError:  # an older artifact without the values: keep the original words
            return message
    return message


def build(ctx: ReportContext) -> list[Block]:
    t = ctx.t
    issues = read_table(ctx.out_dir, "data_quality")
    warnings = issues[issues["severity"] == "warning"]
    blocks: list[Block] = [Markdown(f"# {t('core.quality.heading')}")]
    if warnings.empty:
        return [*blocks, Markdown(t("core.quality.clean"))]
    blocks.append(Markdown(t("core.quality.intro", count=len(warnings))))
    def kind(code: str) -> str:
        key = f"core.quality.codes.{code}"
        return t(key) if t.has(key) else code

    summary = warnings.groupby("code", sort=True).size().reset_index(name="n")
    blocks.append(Table(pd.DataFrame({
        t("core.quality.col_kind"): [kind(c) for c in summary["code"]],
        t("core.quality.col_count"): summary["n"],
    }), t("core.quality.tbl_summary"), "quality-summary"))
    groups = grouped(warnings)
    listing = pd.DataFrame({
        t("core.quality.col_kind"): [kind(c) for c in groups["code"]],
        t("core.quality.col_file"): groups["file"] + groups["sheet"].map(
            lambda s: f" [{s}]" if s else ""),
        t("core.quality.col_row"): groups["rows"],
        t("core.quality.col_column"): groups["column"],
        t("core.quality.col_times"): groups["count"].astype(int),
        t("core.quality.col_message"): [_detail(t, code, message, args) for code, message, args
                                         in zip(groups["code"], groups["message"],
                                                groups["args"], strict=True)],
    })
    blocks.append(Markdown(t("core.quality.list_appendix", groups=len(groups))))
    every = pd.DataFrame({
        t("core.quality.col_kind"): [kind(c) for c in warnings["code"]],
        t("core.quality.col_file"): warnings["file"].fillna(""),
        t("core.quality.col_sheet"): warnings["sheet"].fillna(""),
        t("core.quality.col_row"): warnings["row"],
        t("core.quality.col_column"): warnings["column"].fillna(""),
        t("core.quality.col_message"): [_detail(t, code, message, args) for code, message, args
                                         in zip(warnings["code"], warnings["message"],
                                                warnings["args"], strict=True)],
    })
    appendix = long_table(ctx, listing, t("core.quality.tbl_list"), "quality-list",
                          t("core.quality.tbl_list"), top=MAX_LISTED)
    if len(every) > len(listing):  # every single warning, one row each, beside the report
        appendix.append(Appendix((write_attachment(every, ctx.out_dir, "quality-every", t(
            "core.appendix.attachment", title=t("core.quality.attachment_every"),
            rows=len(every))),)))
    blocks.append(Appendix(tuple(appendix)))
    return blocks


def grouped(warnings: pd.DataFrame) -> pd.DataFrame:
    """One row per repeated problem: same code, file, sheet, column and value (issues
    without a value group by their message); ``rows`` as ranges ("2-701")."""
    frame = warnings.fillna({"sheet": "", "column": "", "file": ""})
    value = frame["value"].fillna("") if "value" in frame else pd.Series("", index=frame.index)
    key = value.where(value != "", "\u0000" + frame["message"])
    frame = frame.assign(_key=key)
    out = frame.groupby(["code", "file", "sheet", "column", "_key"], sort=False,
                        dropna=False).agg(
        message=("message", "first"), args=("args", "first"),
        count=("message", "size"),
        rows=("row", lambda r: row_ranges(sorted(int(x) for x in r.dropna())))).reset_index()
    return out
