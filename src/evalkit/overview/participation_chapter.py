"""Chapter: participation of work units ("Satu OPD satu inovasi") and its trend."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from evalkit.artifacts import has_table, read_table
from evalkit.report.blocks import Block, Markdown, ReportContext, Table, save_figure

PALETTE = ("#1f5f8b", "#9cc3e0", "#d98c2b")


def value_label(ctx: ReportContext, dimension: str, value: str) -> str:
    key = f"core.values.{dimension}.{value}"
    return ctx.t(key) if ctx.t.has(key) else (value or ctx.t("core.values.unknown"))


def build(ctx: ReportContext) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    coverage = read_table(out, "participation_units")
    by_kind = read_table(out, "participation_kind")
    counts = read_table(out, "participation_counts")
    n_units = len(coverage)
    n_with = int(coverage["has_innovation"].sum())
    share = n_with / n_units if n_units else 0.0
    blocks: list[Block] = [
        Markdown(f"# {t('core.participation.heading')}"),
        Markdown(t("core.participation.summary", year=ctx.params.year, with_innovation=n_with,
                   units=n_units, share=t.percent(share),
                   innovations=int(coverage["innovations"].sum()))),
    ]

    kinds = by_kind.assign(label=[value_label(ctx, "kind", k) for k in by_kind["kind"]])
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.barh(kinds["label"], kinds["units"], color=PALETTE[1], label=t("core.participation.units"))
    ax.barh(kinds["label"], kinds["with_innovation"], color=PALETTE[0],
            label=t("core.participation.units_with"))
    ax.set_xlabel(t("core.participation.units"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.invert_yaxis()
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    blocks.append(Markdown(t("core.participation.by_kind_intro")))
    blocks.append(save_figure(fig, out, "participation-kind",
                              t("core.participation.fig_kind", year=ctx.params.year)))
    blocks.append(Table(
        pd.DataFrame({
            t("core.participation.col_kind"): kinds["label"],
            t("core.participation.units"): kinds["units"],
            t("core.participation.units_with"): kinds["with_innovation"],
            t("core.participation.col_share"): [t.percent(s) for s in kinds["share"]],
        }),
        t("core.participation.tbl_kind", year=ctx.params.year), "participation-kind"))

    blocks += _counts(ctx, counts)
    blocks += _missing_units(ctx, coverage)
    blocks += _trend(ctx)
    return blocks


def _counts(ctx: ReportContext, counts: pd.DataFrame) -> list[Block]:
    t = ctx.t
    table = pd.DataFrame({
        t("core.participation.col_dimension"): [t(f"core.dimensions.{d}")
                                                for d in counts["dimension"]],
        t("core.participation.col_value"): [value_label(ctx, d, v)
                                            for d, v in zip(counts["dimension"], counts["value"],
                                                            strict=True)],
        t("core.participation.col_count"): counts["count"],
        t("core.participation.col_share"): [t.percent(s) for s in counts["share"]],
    })
    return [Markdown(f"## {t('core.participation.counts_heading')}"),
            Table(table, t("core.participation.tbl_counts", year=ctx.params.year),
                  "participation-counts")]


def _missing_units(ctx: ReportContext, coverage: pd.DataFrame) -> list[Block]:
    t = ctx.t
    missing = coverage[~coverage["has_innovation"]]
    blocks: list[Block] = [Markdown(f"## {t('core.participation.missing_heading')}")]
    if missing.empty:
        return [*blocks, Markdown(t("core.participation.none_missing"))]
    blocks.append(Markdown(t("core.participation.missing_intro", count=len(missing))))
    blocks.append(Table(
        pd.DataFrame({t("core.participation.col_unit"): missing["name"],
                      t("core.participation.col_kind"): [value_label(ctx, "kind", k)
                                                         for k in missing["kind"]]}),
        t("core.participation.tbl_missing", year=ctx.params.year), "participation-missing"))
    return blocks


def _trend(ctx: ReportContext) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    if not has_table(out, "participation_trend"):
        return []
    trend = read_table(out, "participation_trend")
    blocks: list[Block] = [Markdown(f"## {t('core.participation.trend_heading')}")]
    if len(trend) < 2:
        return [*blocks, Markdown(t("core.participation.trend_single"))]
    last, prev = trend.iloc[-1], trend.iloc[-2]
    change = (last["share"] - prev["share"]) * 100
    blocks.append(Markdown(t(
        "core.participation.trend_summary", year=int(last["year"]), prev_year=int(prev["year"]),
        share=t.percent(last["share"]), prev_share=t.percent(prev["share"]),
        change=("+" if change >= 0 else "") + t.number(change, 1),
        innovations=int(last["innovations"]), prev_innovations=int(prev["innovations"]))))
    fig, ax = plt.subplots(figsize=(7, 3))
    years = trend["year"].astype(str)
    ax.bar(years, trend["innovations"], color=PALETTE[1], label=t("core.participation.col_innov"))
    ax.set_ylabel(t("core.participation.col_innov"))
    ax2 = ax.twinx()
    ax2.plot(years, trend["share"] * 100, color=PALETTE[2], marker="o",
             label=t("core.participation.col_share"))
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(t("core.participation.col_share") + " (%)")
    ax.spines[["top"]].set_visible(False)
    ax2.spines[["top"]].set_visible(False)
    blocks.append(save_figure(fig, out, "participation-trend", t("core.participation.fig_trend")))
    blocks.append(Table(pd.DataFrame({
        t("core.participation.col_year"): trend["year"].astype(str),
        t("core.participation.units"): trend["units"],
        t("core.participation.units_with"): trend["units_with_innovation"],
        t("core.participation.col_share"): [t.percent(s) for s in trend["share"]],
        t("core.participation.col_innov"): trend["innovations"],
    }), t("core.participation.tbl_trend"), "participation-trend"))
    return blocks
