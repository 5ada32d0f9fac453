"""Chapter: data quality — the warnings validation raised, so readers can weigh the figures."""

from __future__ import annotations

import json

import pandas as pd

from evalkit.artifacts import read_table
from evalkit.i18n import Translator
from evalkit.report.blocks import Block, Markdown, ReportContext, Table

MAX_LISTED = 60


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
    listed = warnings.head(MAX_LISTED)
    blocks.append(Table(pd.DataFrame({
        t("core.quality.col_kind"): [kind(c) for c in listed["code"]],
        t("core.quality.col_file"): listed["file"] + listed["sheet"].map(
            lambda s: f" [{s}]" if s else ""),
        t("core.quality.col_row"): listed["row"].map(lambda r: "" if pd.isna(r) else str(r)),
        t("core.quality.col_column"): listed["column"],
        t("core.quality.col_message"): [_detail(t, code, message, args) for code, message, args
                                         in zip(listed["code"], listed["message"],
                                                listed["args"], strict=True)],
    }), t("core.quality.tbl_list"), "quality-list"))
    if len(warnings) > MAX_LISTED:
        blocks.append(Markdown(t("core.quality.more", count=len(warnings) - MAX_LISTED)))
    return blocks
