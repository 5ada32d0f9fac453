"""Chapter: participation of work units ("Satu OPD satu inovasi") and its trend.

Coverage is only claimed when it can be known: with units taken from the submitters (no
units table) the chapter says so and asks for the list instead of printing 100 %. The wording
follows the kind of region (a province has no kecamatan), inferred kinds are marked, and
units with a parent roll up into it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from evalkit.artifacts import has_table, read_table
from evalkit.report.appendix import Appendix
from evalkit.report.blocks import Block, Markdown, ReportContext, Table, long_table, save_figure

PALETTE = ("#1f5f8b", "#9cc3e0", "#d98c2b")


def value_label(ctx: ReportContext, dimension: str, value: str) -> str:
    key = f"core.values.{dimension}.{value}"
    return ctx.t(key) if ctx.t.has(key) else (value or ctx.t("core.values.unknown"))


def _summary_row(out: object) -> pd.Series | None:
    if not has_table(out, "participation_summary"):  # type: ignore[arg-type]
        return None
    return read_table(out, "participation_summary").iloc[0]  # type: ignore[arg-type]


def _kind_label(ctx: ReportContext, kind: str, inferred: bool) -> str:
    return value_label(ctx, "kind", kind) + (" *" if inferred else "")


def build(ctx: ReportContext) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    coverage = read_table(out, "participation_units")
    by_kind = read_table(out, "participation_kind")
    counts = read_table(out, "participation_counts")
    summary = _summary_row(out)
    measured = True if summary is None else bool(summary["measured"])
    n_units = len(coverage)
    n_with = int(coverage["has_innovation"].sum())
    share = n_with / n_units if n_units else 0.0
    innovations = int(coverage["innovations"].sum())
    region_kind = "" if summary is None else str(summary.get("region_kind") or "")
    scope_key = f"core.participation.scope.{region_kind or 'unknown'}"
    scope = t(scope_key) if t.has(scope_key) else t("core.participation.scope.unknown")
    blocks: list[Block] = [Markdown(f"# {t('core.participation.heading')}")]
    if measured:
        blocks.append(Markdown(t("core.participation.summary", year=ctx.params.year,
                                 with_innovation=n_with, units=n_units, share=t.percent(share),
                                 innovations=innovations, scope=scope)))
    else:
        blocks.append(Markdown(t("core.participation.not_measured", year=ctx.params.year,
                                 with_innovation=n_with, innovations=innovations)))
    if summary is not None and not bool(summary.get("status_given", True)):
        blocks.append(Markdown(t("core.participation.status_none", n=innovations)))
    if summary is not None and int(summary.get("drafts", 0) or 0):
        blocks.append(Markdown(t("core.participation.drafts", n=int(summary["drafts"]))))

    inferred = coverage.groupby("kind", dropna=False)["kind_inferred"].any() if (
        "kind_inferred" in coverage) else pd.Series(dtype=bool)
    kinds = by_kind.assign(label=[_kind_label(ctx, k, bool(inferred.get(k, False)))
                                  for k in by_kind["kind"]])
    if measured:
        fig, ax = plt.subplots(figsize=(7, 3.2))
        ax.barh(kinds["label"], kinds["units"], color=PALETTE[1],
                label=t("core.participation.units"))
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
    else:
        per_kind = coverage.groupby("kind", dropna=False)["innovations"].sum()
        blocks.append(Markdown(t("core.participation.by_kind_submitters")))
        blocks.append(Table(
            pd.DataFrame({
                t("core.participation.col_kind"): kinds["label"],
                t("core.participation.units"): kinds["units"],
                t("core.participation.col_innov"): [int(per_kind.get(k, 0))
                                                    for k in by_kind["kind"]],
            }),
            t("core.participation.tbl_kind_submitters", year=ctx.params.year),
            "participation-kind"))
    n_inferred = int(coverage["kind_inferred"].sum()) if "kind_inferred" in coverage else 0
    if n_inferred:
        blocks.append(Markdown(t("core.participation.inferred", n=n_inferred)))

    blocks += _parents(ctx, coverage)
    blocks += _counts(ctx, counts)
    blocks += _missing_units(ctx, coverage, measured)
    blocks += _trend(ctx)
    return blocks


def _parents(ctx: ReportContext, coverage: pd.DataFrame) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    if not has_table(out, "participation_parents"):
        return []
    parents = read_table(out, "participation_parents")
    if parents.empty:
        return []
    summary = _summary_row(out)
    took = int(summary["top_units_took_part"]) if summary is not None else int(
        parents["took_part"].sum())
    tops = int(summary["top_units"]) if summary is not None else len(parents)
    return [Markdown(f"## {t('core.participation.parents_heading')}"),
            Markdown(t("core.participation.parents_intro", took=took, tops=tops,
                       share=t.percent(took / tops if tops else 0.0))),
            *long_table(ctx, pd.DataFrame({
                t("core.participation.col_unit"): parents["name"],
                t("core.participation.col_own"): parents["own_innovations"],
                t("core.participation.col_sub_units"): parents["sub_units"],
                t("core.participation.col_sub_with"): parents["sub_units_with_innovation"],
                t("core.participation.col_total"): parents["innovations"],
            }), t("core.participation.tbl_parents", year=ctx.params.year),
                "participation-parents", t("core.participation.tbl_parents",
                                           year=ctx.params.year))]


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


def _missing_units(ctx: ReportContext, coverage: pd.DataFrame,
                   measured: bool = True) -> list[Block]:
    t = ctx.t
    missing = coverage[~coverage["has_innovation"]]
    blocks: list[Block] = [Markdown(f"## {t('core.participation.missing_heading')}")]
    if not measured:
        return [*blocks, Markdown(t("core.participation.missing_unknown"))]
    if missing.empty:
        return [*blocks, Markdown(t("core.participation.none_missing"))]
    blocks.append(Markdown(t("core.participation.missing_intro", count=len(missing))
                           + " " + t("core.participation.missing_appendix")))
    caption = t("core.participation.tbl_missing", year=ctx.params.year)
    listing = pd.DataFrame({t("core.participation.col_unit"): missing["name"],
                            t("core.participation.col_kind"): [value_label(ctx, "kind", k)
                                                               for k in missing["kind"]]})
    blocks.append(Appendix(tuple(long_table(ctx, listing, caption, "participation-missing",
                                            caption))))
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
    if pd.isna(last["share"]) or pd.isna(prev["share"]):
        return [*blocks, Markdown(t(
            "core.participation.trend_unmeasured", year=int(last["year"]),
            prev_year=int(prev["year"]), innovations=int(last["innovations"]),
            prev_innovations=int(prev["innovations"])))]
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
        t("core.participation.col_share"): [t.percent(s) if pd.notna(s) else "–"
                                            for s in trend["share"]],
        t("core.participation.col_innov"): trend["innovations"],
    }), t("core.participation.tbl_trend"), "participation-trend"))
    return blocks
