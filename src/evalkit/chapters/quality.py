"""Chapter: data quality — the warnings validation raised, so readers can weigh the figures."""

from __future__ import annotations

import pandas as pd

from evalkit.artifacts import read_table
from evalkit.report import Block, Markdown, ReportContext, Table

MAX_LISTED = 60


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
    listed = warnings.head(MAX_LISTED)
    blocks.append(Table(pd.DataFrame({
        t("core.quality.col_kind"): [kind(c) for c in listed["code"]],
        t("core.quality.col_file"): listed["file"] + listed["sheet"].map(
            lambda s: f" [{s}]" if s else ""),
        t("core.quality.col_row"): listed["row"].map(lambda r: "" if pd.isna(r) else str(r)),
        t("core.quality.col_column"): listed["column"],
        t("core.quality.col_message"): listed["message"],
    }), t("core.quality.tbl_list"), "quality-list"))
    if len(warnings) > MAX_LISTED:
        blocks.append(Markdown(t("core.quality.more", count=len(warnings) - MAX_LISTED)))
    return blocks
