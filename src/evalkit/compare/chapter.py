"""The comparison report's chapters: ranking, participation, themes, the strongest
innovations, the change since last year, the group's published history, and the attachments.

Up to ``spec.full_tables_up_to`` members the tables list every region; past that (a nation of
550) a chapter shows distributions and the top and bottom ``spec.top``, and the full tables are
the CSV attachments next to the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from evalkit.artifacts import ARTIFACTS, has_table, read_table
from evalkit.compare.spec import CompareSpec
from evalkit.compare.tables import COMPONENTS
from evalkit.i18n import Translator
from evalkit.report.blocks import Block, Markdown, Table, save_figure
from evalkit.report.markup import MarkdownText, MarkdownTranslator, escape_markdown

PREDICATE_COLOURS = {"sangat_inovatif": "#1b7837", "inovatif": "#1f5f8b",
                     "kurang_inovatif": "#d98c2b"}
OTHER_COLOUR = "#9a9a9a"
SECTIONS = ("ranking", "participation", "themes", "strongest", "improvement", "history",
            "attachments")
# Full tables listed as attachments, in this order.
ATTACHMENTS = ("compare_regions", "compare_themes", "compare_strongest", "compare_improvement",
               "compare_moves", "compare_members", "compare_history")


@dataclass(frozen=True)
class CompareContext:
    """What the comparison chapters need: the spec, the artifacts' folder, the language."""

    spec: CompareSpec
    out_dir: Path
    t: MarkdownTranslator  # escapes the fields it fills in (region names, titles)

    @classmethod
    def create(cls, spec: CompareSpec, out_dir: Path) -> CompareContext:
        return cls(spec, Path(out_dir), MarkdownTranslator(spec.language))

    def table(self, name: str) -> pd.DataFrame:
        return read_table(self.out_dir, name)


def build(ctx: CompareContext, sections: tuple[str, ...] = SECTIONS) -> list[Block]:
    """Every section, in order."""
    blocks: list[Block] = []
    for section in sections:
        blocks += SECTION_BUILDERS[section](ctx)
    return blocks


def intro(ctx: CompareContext) -> list[Block]:
    t, spec = ctx.t, ctx.spec
    members = ctx.table("compare_members")
    blocks: list[Block] = [Markdown(t("compare.report.intro", name=spec.name, year=spec.year,
                                      count=len(members)))]
    missing = members[members["status"] == "missing"]
    if len(missing):
        blocks.append(Markdown(t("compare.report.missing", count=len(missing), year=spec.year,
                                 regions=", ".join(missing["region_name"]))))
    for row in members[members["status"] == "partial"].itertuples():
        blocks.append(Markdown(t("compare.report.partial", region=row.region_name,
                                 tables=row.missing)))
    if spec.large:
        blocks.append(Markdown(t("compare.report.large", count=len(members), top=spec.top)))
    if spec.note:
        blocks.append(Markdown("*" + spec.note.strip() + "*"))
    return blocks


# Helpers -------------------------------------------------------------------------------------

def _num(t: Translator, value: object, digits: int = 2) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return t.number(float(value), digits)


def _int(value: object) -> str:
    return "–" if value is None or pd.isna(value) else str(int(value))


def _signed(t: Translator, value: object, digits: int = 2) -> str:
    if value is None or pd.isna(value):
        return "–"
    return ("+" if float(value) >= 0 else "") + t.number(float(value), digits)


def _top_bottom(frame: pd.DataFrame, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return frame.head(n), frame.tail(n).iloc[::-1]


def _height(rows: int, per_row: float = 0.28, base: float = 1.2) -> float:
    """Figure height in inches: readable rows, never taller than an A4 page's text block."""
    return min(9.5, base + per_row * rows)


# Ranking ---------------------------------------------------------------------------------------

def ranking(ctx: CompareContext) -> list[Block]:
    t, spec = ctx.t, ctx.spec
    regions = ctx.table("compare_regions")
    blocks: list[Block] = [Markdown(f"# {t('compare.ranking.heading')}"),
                           Markdown(t("compare.ranking.intro", year=spec.year))]
    scored = regions[regions["iid"].notna()]
    if scored.empty:
        return [*blocks, Markdown(t("compare.ranking.none"))]
    counts = scored["predicate"].value_counts()
    blocks.append(Markdown(t("compare.ranking.predicates", counts="; ".join(
        f"{name} {count}" for name, count in counts.items()))))
    blocks.append(_ranking_figure(ctx, scored))

    def table(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            t("compare.ranking.col_rank"): [_int(v) for v in frame["rank"]],
            t("compare.ranking.col_region"): frame["region_name"],
            t("compare.ranking.col_iid"): [_num(t, v) for v in frame["iid"]],
            t("compare.ranking.col_predicate"): frame["predicate"].replace("", "–"),
            t("compare.ranking.col_published"): [
                f"{_num(t, s)} ({_int(y)})" if pd.notna(s) else "–"
                for s, y in zip(frame["published_score"], frame["published_year"], strict=True)],
            t("compare.ranking.col_published_predicate"):
                frame["published_predicate"].replace("", "–"),
            t("compare.ranking.col_published_rank"): [
                "–" if pd.isna(r) else f"{int(r)}" + ("" if pd.isna(o) else f" / {int(o)}")
                for r, o in zip(frame["published_rank"], frame["published_rank_out_of"],
                                strict=True)],
            t("compare.ranking.col_group_rank"): [_int(v) for v in frame["published_group_rank"]],
        })

    if spec.large:
        top, bottom = _top_bottom(scored, spec.top)
        blocks.append(Table(table(top), t("compare.ranking.tbl_top", n=spec.top, year=spec.year),
                            "compare-ranking-top"))
        blocks.append(Table(table(bottom), t("compare.ranking.tbl_bottom", n=spec.top,
                                             year=spec.year), "compare-ranking-bottom"))
    else:
        blocks.append(Table(table(regions), t("compare.ranking.tbl", year=spec.year),
                            "compare-ranking"))
    blocks.append(Markdown(t("compare.ranking.published_note")))
    return blocks


def _ranking_figure(ctx: CompareContext, scored: pd.DataFrame) -> Block:
    t, spec = ctx.t, ctx.spec
    colours = [PREDICATE_COLOURS.get(k, OTHER_COLOUR) for k in scored["predicate_key"]]
    if spec.large:
        fig, ax = plt.subplots(figsize=(7, 3.2))
        bins = np.linspace(0, 100, 41)
        for key, colour in (*PREDICATE_COLOURS.items(), ("", OTHER_COLOUR)):
            mask = (scored["predicate_key"] == key) if key else ~scored["predicate_key"].isin(
                list(PREDICATE_COLOURS))
            if mask.any():
                label = scored.loc[mask, "predicate"].iloc[0] or "–"
                ax.hist(scored.loc[mask, "iid"], bins=bins, color=colour, label=label)
        ax.set_xlabel(t("compare.ranking.axis_iid"))
        ax.set_ylabel(t("compare.ranking.axis_regions"))
        ax.legend(frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        return save_figure(fig, ctx.out_dir, "compare-ranking",
                           t("compare.ranking.fig_hist", year=spec.year, count=len(scored)))
    ordered = scored.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, _height(len(ordered))))
    ax.barh(ordered["region_name"], ordered["iid"], color=colours[::-1])
    published = ordered["published_score"]
    if published.notna().any():
        ax.scatter(published, ordered["region_name"], marker="D", color="black", s=18,
                   zorder=3, label=t("compare.ranking.legend_published"))
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    for y, value in enumerate(ordered["iid"]):
        ax.annotate(t.number(value, 1), (value, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("compare.ranking.axis_iid"))
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, ctx.out_dir, "compare-ranking", t("compare.ranking.fig",
                                                               year=spec.year))


# Participation ---------------------------------------------------------------------------------

def participation(ctx: CompareContext) -> list[Block]:
    t, spec = ctx.t, ctx.spec
    regions = ctx.table("compare_regions")
    blocks: list[Block] = [Markdown(f"# {t('compare.participation.heading')}")]
    known = regions[regions["participation_share"].notna()]
    if known.empty:
        return [*blocks, Markdown(t("compare.participation.none"))]
    units, with_units = int(known["units"].sum()), int(known["units_with_innovation"].sum())
    blocks.append(Markdown(t(
        "compare.participation.intro", year=spec.year, units=units, with_innovation=with_units,
        share=t.percent(with_units / units if units else 0.0),
        median=t.percent(float(known["participation_share"].median())),
        innovations=int(known["innovations"].sum()))))
    ordered = known.sort_values(["participation_share", "region_name"], ascending=[False, True],
                                kind="mergesort")

    def table(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            t("compare.participation.col_region"): frame["region_name"],
            t("compare.participation.col_units"): [_int(v) for v in frame["units"]],
            t("compare.participation.col_with"): [_int(v) for v in frame["units_with_innovation"]],
            t("compare.participation.col_share"): [t.percent(v) for v in
                                                   frame["participation_share"]],
            t("compare.participation.col_innovations"): [_int(v) for v in frame["innovations"]],
        })

    if spec.large:
        fig, ax = plt.subplots(figsize=(7, 3))
        ax.hist(known["participation_share"] * 100, bins=np.linspace(0, 100, 21),
                color="#1f5f8b")
        ax.set_xlabel(t("compare.participation.axis_share"))
        ax.set_ylabel(t("compare.ranking.axis_regions"))
        ax.spines[["top", "right"]].set_visible(False)
        blocks.append(save_figure(fig, ctx.out_dir, "compare-participation",
                                  t("compare.participation.fig_hist", year=spec.year)))
        top, bottom = _top_bottom(ordered, spec.top)
        blocks.append(Table(table(top), t("compare.participation.tbl_top", n=spec.top),
                            "compare-participation-top"))
        blocks.append(Table(table(bottom), t("compare.participation.tbl_bottom", n=spec.top),
                            "compare-participation-bottom"))
    else:
        blocks.append(Table(table(ordered), t("compare.participation.tbl", year=spec.year),
                            "compare-participation"))
    return blocks


# Themes ----------------------------------------------------------------------------------------

def _theme_label(ctx: CompareContext, theme: str) -> str:
    return ctx.spec.theme_labels.get(theme, theme)


def themes(ctx: CompareContext) -> list[Block]:
    t, spec = ctx.t, ctx.spec
    counts = ctx.table("compare_themes")
    regions = ctx.table("compare_regions")
    blocks: list[Block] = [Markdown(f"# {t('compare.themes.heading')}")]
    if counts.empty:
        return [*blocks, Markdown(t("compare.themes.none"))]
    totals = (counts.groupby("theme").agg(innovations=("innovations", "sum"),
                                          regions=("region", "nunique"))
              .sort_values(["innovations", "regions"], ascending=False, kind="mergesort"))
    total = int(totals["innovations"].sum())
    top_theme = totals.index[0]
    blocks.append(Markdown(t("compare.themes.intro", year=spec.year, innovations=total,
                             theme=_theme_label(ctx, top_theme),
                             share=t.percent(totals["innovations"].iloc[0] / total))))
    names = regions.set_index("region")["region_name"]
    theme_order = list(totals.index)
    if spec.large:
        blocks.append(_themes_spread(ctx, counts, theme_order))
    else:
        blocks.append(_themes_heatmap(ctx, counts, names, theme_order, regions))
    blocks.append(Table(pd.DataFrame({
        t("compare.themes.col_theme"): [_theme_label(ctx, x) for x in totals.index],
        t("compare.themes.col_innovations"): totals["innovations"].astype(int),
        t("compare.themes.col_share"): [t.percent(v / total) for v in totals["innovations"]],
        t("compare.themes.col_regions"): totals["regions"].astype(int),
    }), t("compare.themes.tbl", year=spec.year), "compare-themes"))
    return blocks


def _themes_heatmap(ctx: CompareContext, counts: pd.DataFrame, names: pd.Series,
                    theme_order: list[str], regions: pd.DataFrame) -> Block:
    t = ctx.t
    order = [r for r in regions["region"] if r in set(counts["region"])]
    share = counts.pivot_table(index="region", columns="theme", values="share",
                               fill_value=0.0).reindex(index=order, columns=theme_order,
                                                        fill_value=0.0)
    number = counts.pivot_table(index="region", columns="theme", values="innovations",
                                fill_value=0).reindex(index=order, columns=theme_order,
                                                      fill_value=0)
    fig, ax = plt.subplots(figsize=(7.2, _height(len(order), 0.32, 2.2)))
    image = ax.imshow(share.to_numpy() * 100, cmap="Blues", aspect="auto", vmin=0)
    for (i, j), value in np.ndenumerate(number.to_numpy()):
        if value:
            dark = share.to_numpy()[i, j] > share.to_numpy().max() * 0.6
            ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")
    ax.set_yticks(range(len(order)), [names.get(r, r) for r in order], fontsize=8)
    ax.set_xticks(range(len(theme_order)), [_theme_label(ctx, x) for x in theme_order],
                  rotation=40, ha="right", fontsize=7)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(t("compare.themes.legend_share"), fontsize=8)
    fig.tight_layout()
    return save_figure(fig, ctx.out_dir, "compare-themes",
                       t("compare.themes.fig", year=ctx.spec.year), "compare-themes-region")


def _themes_spread(ctx: CompareContext, counts: pd.DataFrame, theme_order: list[str]) -> Block:
    """At national scale: per theme, the spread of its share over the regions."""
    t = ctx.t
    share = counts.pivot_table(index="region", columns="theme", values="share",
                               fill_value=0.0).reindex(columns=theme_order, fill_value=0.0)
    fig, ax = plt.subplots(figsize=(7.2, _height(len(theme_order), 0.35, 1.5)))
    ax.boxplot([share[c] * 100 for c in theme_order][::-1], orientation="horizontal",
               widths=0.6, flierprops={"markersize": 2})
    ax.set_yticks(range(1, len(theme_order) + 1),
                  [_theme_label(ctx, x) for x in theme_order][::-1], fontsize=8)
    ax.set_xlabel(t("compare.themes.legend_share"))
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return save_figure(fig, ctx.out_dir, "compare-themes",
                       t("compare.themes.fig_spread", year=ctx.spec.year, count=len(share)),
                       "compare-themes-region")


# Strongest innovations -------------------------------------------------------------------------

def strongest(ctx: CompareContext) -> list[Block]:
    t, spec = ctx.t, ctx.spec
    frame = ctx.table("compare_strongest").head(spec.top)
    blocks: list[Block] = [Markdown(f"# {t('compare.strongest.heading')}")]
    if frame.empty:
        return [*blocks, Markdown(t("compare.strongest.none"))]
    blocks.append(Markdown(t("compare.strongest.intro", n=len(frame))))
    blocks.append(Table(pd.DataFrame({
        t("compare.strongest.col_rank"): frame["rank"].astype(int),
        t("compare.strongest.col_region"): frame["region_name"],
        t("compare.strongest.col_title"): frame["title"],
        t("compare.strongest.col_unit"): frame["unit_name"].fillna(frame["unit_id"]),
        t("compare.strongest.col_theme"): [_theme_label(ctx, x) if isinstance(x, str) else "–"
                                           for x in frame["theme"]],
        t("compare.strongest.col_maturity"): [_num(t, v, 0) for v in frame["maturity"]],
    }), t("compare.strongest.tbl", n=len(frame), year=spec.year), "compare-strongest"))
    return blocks


# Change since last year ------------------------------------------------------------------------

def _indicator(ctx: CompareContext, code: object) -> str:
    if not isinstance(code, str) or not code:
        return "–"
    name = ctx.spec.indicator_names.get(code, "")
    if len(name) > 28:  # the full name is in the rubric; the table must fit an A4 page
        name = name[:27].rstrip() + "…"
    return f"{code} ({name})" if name else code


def improvement(ctx: CompareContext) -> list[Block]:
    t, spec = ctx.t, ctx.spec
    frame = ctx.table("compare_improvement")
    members = ctx.table("compare_members")
    previous = spec.year - 1
    blocks: list[Block] = [Markdown(f"# {t('compare.improvement.heading', previous=previous)}")]
    if frame.empty:
        return [*blocks, Markdown(t("compare.improvement.none", previous=previous))]
    improved = int((frame["iid_change"] > 0).sum())
    blocks.append(Markdown(t("compare.improvement.intro", improved=improved, count=len(frame),
                             previous=previous, year=spec.year)))
    without = int((~members["previous_year"].astype(bool)).sum())
    if without:
        blocks.append(Markdown(t("compare.improvement.without", count=without,
                                 previous=previous)))
    best = frame.iloc[0]
    if best["iid_change"] > 0:
        blocks.append(Markdown(t(
            "compare.improvement.best", region=best["region_name"],
            change=_signed(t, best["iid_change"]),
            part=t(f"compare.improvement.parts.{best['main_part']}"),
            part_change=_signed(t, best[f"{best['main_part']}_change"]),
            indicator=_indicator(ctx, best["top_up"]))))

    def table(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            t("compare.improvement.col_region"): rows["region_name"],
            t("compare.improvement.col_before", previous=previous): [
                _num(t, v) for v in rows["iid_previous"]],
            t("compare.improvement.col_after", year=spec.year): [_num(t, v) for v in rows["iid"]],
            t("compare.improvement.col_change"): [_signed(t, v) for v in rows["iid_change"]],
            **{t(f"compare.improvement.parts.{p}"): [_signed(t, v) for v in rows[f"{p}_change"]]
               for p in COMPONENTS},
            t("compare.improvement.col_up"): [_indicator(ctx, c) for c in rows["top_up"]],
            t("compare.improvement.col_down"): [_indicator(ctx, c) for c in rows["top_down"]],
        })

    if spec.large:
        up, down = _top_bottom(frame, spec.top)
        blocks.append(Table(table(up), t("compare.improvement.tbl_up", n=spec.top),
                            "compare-improvement-up"))
        blocks.append(Table(table(down), t("compare.improvement.tbl_down", n=spec.top),
                            "compare-improvement-down"))
    else:
        blocks.append(Table(table(frame), t("compare.improvement.tbl", previous=previous,
                                            year=spec.year), "compare-improvement"))
    blocks.append(Markdown(t("compare.improvement.note")))
    return blocks


# The group's published history -----------------------------------------------------------------

def history(ctx: CompareContext) -> list[Block]:
    t, spec = ctx.t, ctx.spec
    frame = ctx.table("compare_history")
    blocks: list[Block] = [Markdown(f"# {t('compare.history.heading', name=spec.name)}")]
    if frame.empty:
        return [*blocks, Markdown(t("compare.history.empty", name=spec.name))]
    blocks.append(Markdown(t("compare.history.intro", name=spec.name)))
    blocks.append(Table(pd.DataFrame({
        t("compare.history.col_year"): frame["year"].astype(str),
        t("compare.history.col_scope"): frame["scope"],
        t("compare.history.col_rank"): [
            "–" if pd.isna(r) else f"{int(r)}" + ("" if pd.isna(o) else f" / {int(o)}")
            for r, o in zip(frame["rank"], frame["rank_out_of"], strict=True)],
        t("compare.history.col_score"): [_num(t, s) for s in frame["score"]],
        t("compare.history.col_predicate"): frame["predicate"].fillna("–"),
    }), t("compare.history.tbl", name=spec.name), "compare-history"))
    ranked = frame[frame["rank"].notna()].sort_values("year")
    for scope, group in ranked.groupby("scope", sort=True):
        if len(group) >= 2:
            first, last = group.iloc[0], group.iloc[-1]
            blocks.append(Markdown(t("compare.history.change", scope=scope,
                                     first_year=int(first["year"]), first=int(first["rank"]),
                                     last_year=int(last["year"]), last=int(last["rank"]))))
    if ranked["year"].nunique() >= 2:
        blocks.append(_history_figure(ctx, ranked))
    return blocks


def _history_figure(ctx: CompareContext, ranked: pd.DataFrame) -> Block:
    scopes = sorted(ranked["scope"].unique())
    fig, axes = plt.subplots(1, len(scopes), figsize=(7, 2.6), squeeze=False)
    for ax, scope in zip(axes[0], scopes, strict=True):
        group = ranked[ranked["scope"] == scope].sort_values("year")
        years, ranks = group["year"].astype(int), group["rank"].astype(int)
        ax.plot(years, ranks, marker="o", color="#1f5f8b")
        for year, rank in zip(years, ranks, strict=True):
            ax.annotate(str(rank), (year, rank), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=8)
        ax.set_ylim(max(ranks) + 1.5, 0.5)
        ax.set_xticks(sorted(years.unique()))
        ax.set_title(str(scope), fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0][0].set_ylabel(ctx.t("compare.history.axis_rank"))
    fig.tight_layout()
    return save_figure(fig, ctx.out_dir, "compare-history",
                       ctx.t("compare.history.fig", name=ctx.spec.name))


# Attachments -----------------------------------------------------------------------------------

def attachments(ctx: CompareContext) -> list[Block]:
    t = ctx.t
    rows = []
    for name in ATTACHMENTS:
        if has_table(ctx.out_dir, name):
            rows.append((MarkdownText(f"[{escape_markdown(name)}.csv]({ARTIFACTS}/{name}.csv)"),
                         t(f"compare.attachments.items.{name}"),
                         len(read_table(ctx.out_dir, name))))
    return [Markdown(f"# {t('compare.attachments.heading')}"),
            Markdown(t("compare.attachments.intro")),
            Table(pd.DataFrame(rows, columns=[t("compare.attachments.col_file"),
                                              t("compare.attachments.col_content"),
                                              t("compare.attachments.col_rows")]),
                  t("compare.attachments.tbl"), "compare-attachments")]


SECTION_BUILDERS = {"ranking": ranking, "participation": participation, "themes": themes,
                    "strongest": strongest, "improvement": improvement, "history": history,
                    "attachments": attachments}
