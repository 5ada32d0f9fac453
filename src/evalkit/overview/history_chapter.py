"""Chapter: the region's published national and provincial IID results over the years."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from evalkit.artifacts import has_table, read_table
from evalkit.report.blocks import Block, Markdown, ReportContext, Table, save_figure

NATIONAL = "kabupaten nasional"


def _rank(row: pd.Series) -> str:
    if pd.isna(row["rank"]):
        return ""
    out_of = "" if pd.isna(row["rank_out_of"]) else f" / {int(row['rank_out_of'])}"
    return f"{int(row['rank'])}{out_of}"


def build(ctx: ReportContext) -> list[Block]:
    t = ctx.t
    blocks: list[Block] = [Markdown(f"# {t('core.history.heading')}")]
    history = read_table(ctx.out_dir, "history") if has_table(ctx.out_dir, "history") else None
    if history is None or history.empty:
        return [*blocks, Markdown(t("core.history.empty"))]
    history = history.sort_values(["scope", "year"], kind="stable")
    blocks.append(Markdown(t("core.history.intro", region=ctx.params.region_name)))
    table = pd.DataFrame({
        t("core.history.col_year"): history["year"].astype(str),
        t("core.history.col_scope"): history["scope"],
        t("core.history.col_rank"): [_rank(r) for _, r in history.iterrows()],
        t("core.history.col_score"): [t.number(s) if pd.notna(s) else "–"
                                      for s in history["score"]],
        t("core.history.col_predicate"): history["predicate"].fillna("–"),
    })
    blocks.append(Table(table, t("core.history.tbl"), "history"))
    ranked = history[history["rank"].notna()]
    if ranked["year"].nunique() >= 2:
        blocks.append(_rank_figure(ctx, ranked))
    national = ranked[ranked["scope"] == NATIONAL].sort_values("year")
    if len(national) >= 2:
        first, last = national.iloc[0], national.iloc[-1]
        blocks.append(Markdown(t("core.history.national_change", first_year=int(first["year"]),
                                 first_rank=int(first["rank"]), last_year=int(last["year"]),
                                 last_rank=int(last["rank"]))))
    return blocks


def _rank_figure(ctx: ReportContext, ranked: pd.DataFrame) -> Block:
    """One panel per scope: national and provincial ranks live on very different scales."""
    scopes = sorted(ranked["scope"].unique())
    fig, axes = plt.subplots(1, len(scopes), figsize=(7, 2.8), squeeze=False)
    years = sorted(ranked["year"].astype(int).unique())
    for ax, scope in zip(axes[0], scopes, strict=True):
        group = ranked[ranked["scope"] == scope].sort_values("year")
        ax.plot(group["year"].astype(int), group["rank"].astype(int), marker="o",
                color="#1f5f8b")
        for year, rank in zip(group["year"], group["rank"], strict=True):
            ax.annotate(str(int(rank)), (int(year), int(rank)), textcoords="offset points",
                        xytext=(0, 7), ha="center", fontsize=8)
        out_of = group["rank_out_of"].dropna()
        top = int(out_of.max()) if len(out_of) else int(group["rank"].max()) + 1
        ax.set_ylim(top + 0.5, 0.5)  # rank 1 at the top
        ax.set_xticks(years)
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.set_title(str(scope), fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0][0].set_ylabel(ctx.t("core.history.rank_axis"))
    fig.tight_layout()
    return save_figure(fig, ctx.out_dir, "history-rank", ctx.t("core.history.fig"))
