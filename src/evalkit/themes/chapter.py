"""Chapter: innovation themes — per theme, the emphasised themes (when the region's params
name any), themes by unit, the change across years, confidence, emerging clusters, possible
re-submissions, evaluators' corrections, and a method note that says what the run used.

Reads the artifacts written by notebook 03_themes (``evalkit.themes.workflow.write_artifacts``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from evalkit.artifacts import has_table, read_table
from evalkit.issues import InputError
from evalkit.report.appendix import ROW_LIMIT, Appendix, write_attachment
from evalkit.report.blocks import Block, Markdown, ReportContext, Table, long_table, save_figure
from evalkit.themes.clusters import MIN_ROWS
from evalkit.themes.taxonomy import Taxonomy
from evalkit.themes.workflow import taxonomy_for

PALETTE = ("#1f5f8b", "#9cc3e0", "#d98c2b")
MAX_UNITS_IN_FIGURE = 40
TREND_CHANGES = 3  # the largest changes named in the text
MAX_REVIEW_ROWS = 15  # the to-review table lists the least sure first; all of them are attached


class _Labels:
    """Theme labels in the report's language (the ids when the taxonomy cannot be read)."""

    def __init__(self, ctx: ReportContext):
        try:
            self.taxonomy: Taxonomy | None = taxonomy_for(ctx.params)
        except InputError:
            self.taxonomy = None
        self.lang = ctx.t.lang

    def __call__(self, theme: str) -> str:
        return self.taxonomy.label(theme, self.lang) if self.taxonomy else theme


def short_title(title: object, width: int = 40) -> str:
    text = str(title) if isinstance(title, str) else ""
    return text if len(text) <= width else text[:width - 1] + "…"


def build(ctx: ReportContext) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    blocks: list[Block] = [Markdown(f"# {t('themes.chapter.heading')}")]
    if not has_table(out, "themes_summary"):
        return [*blocks, Markdown(t("themes.chapter.missing"))]
    summary = read_table(out, "themes_summary").iloc[0]
    counts = read_table(out, "themes_counts")
    assigned = read_table(out, "themes_assigned")
    current = assigned[assigned["year"] == ctx.params.year]
    label = _Labels(ctx)
    fallback = str(summary["fallback_theme"])
    blocks.append(Markdown(t(
        "themes.chapter.summary", innovations=int(summary["innovations"]),
        year=ctx.params.year, used=int((counts["innovations"] > 0).sum()),
        themes=len(counts), fallback=int(summary["fallback"]), fallback_label=label(fallback),
        low=int(summary["low_confidence"]), low_bar=t.number(summary["low_confidence_below"], 1),
        overridden=int(summary["overridden"]), changed=int(summary["changed"]))))
    blocks += _per_theme(ctx, counts, label)
    blocks += _emphasis(ctx, counts, label)
    blocks += _units(ctx, label)
    blocks += _trend(ctx, label)
    blocks += _confidence(ctx, current, summary, label)
    blocks += _clusters(ctx, summary, label, current)
    blocks += _resubmissions(ctx, summary)
    blocks += _overrides(ctx, label)
    blocks.append(Appendix(tuple(_method(ctx, summary))))
    return blocks


def _per_theme(ctx: ReportContext, counts: pd.DataFrame, label: _Labels) -> list[Block]:
    t, year = ctx.t, ctx.params.year
    shown = counts[counts["innovations"] > 0].sort_values("innovations", ascending=False,
                                                          kind="stable")
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.per_theme_heading')}")]
    if shown.empty:
        return blocks
    top = shown.iloc[0]
    any_emphasised = bool(counts["emphasised"].any())
    intro = t("themes.chapter.per_theme_intro", top=label(top["theme"]),
              top_n=int(top["innovations"]), top_share=t.percent(top["share"]))
    if any_emphasised:
        intro += " " + t("themes.chapter.per_theme_emphasis_note")
    blocks.append(Markdown(intro))
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(shown) + 1))
    colours = [PALETTE[0] if e or not any_emphasised else PALETTE[1]
               for e in shown["emphasised"]]
    ax.barh([label(x) for x in shown["theme"]], shown["innovations"], color=colours)
    ax.invert_yaxis()
    ax.set_xlabel(t("themes.chapter.col_innovations"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    if any_emphasised:
        handles = [plt.Rectangle((0, 0), 1, 1, color=PALETTE[0]),
                   plt.Rectangle((0, 0), 1, 1, color=PALETTE[1])]
        ax.legend(handles, [t("themes.chapter.legend_emphasised"),
                            t("themes.chapter.legend_other")], frameon=False, loc="lower right")
    blocks.append(save_figure(fig, ctx.out_dir, "themes-per-theme",
                              t("themes.chapter.fig_per_theme", year=year)))
    table = {
        t("themes.chapter.col_theme"): [label(x) for x in shown["theme"]],
        t("themes.chapter.col_innovations"): shown["innovations"],
        t("themes.chapter.col_share"): [t.percent(s) for s in shown["share"]],
    }
    if any_emphasised:
        table[t("themes.chapter.col_emphasised")] = [
            t("themes.chapter.emphasised_mark") if e else "" for e in shown["emphasised"]]
    table[t("themes.chapter.col_confidence")] = [t.number(c, 2)
                                                 for c in shown["mean_confidence"]]
    blocks.append(Table(pd.DataFrame(table), t("themes.chapter.tbl_per_theme", year=year),
                        "themes-per-theme"))
    return blocks


def _emphasis(ctx: ReportContext, counts: pd.DataFrame, label: _Labels) -> list[Block]:
    """The emphasised themes across years; left out when the params name none."""
    t, year = ctx.t, ctx.params.year
    emphasised = counts[counts["emphasised"]]
    if emphasised.empty:
        return []
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.emphasis_heading')}")]
    total = int(counts["innovations"].sum())
    n = int(emphasised["innovations"].sum())
    blocks.append(Markdown(t("themes.chapter.emphasis_intro",
                             themes=", ".join(label(x) for x in emphasised["theme"]), year=year,
                             innovations=n, total=total, share=t.percent(n / total if total
                                                                         else 0.0))))
    trend = read_table(ctx.out_dir, "themes_trend")
    wide = _wide(trend[trend["theme"].isin(emphasised["theme"])], list(emphasised["theme"]))
    table = pd.DataFrame({t("themes.chapter.col_theme"): [label(x) for x in wide.index]})
    for column in wide.columns:
        table[str(column)] = wide[column].to_numpy()
    blocks.append(Table(table, t("themes.chapter.tbl_emphasis"), "themes-emphasis"))
    return blocks


def _wide(trend: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Themes as rows, years as columns, innovation counts in the cells."""
    wide = trend.pivot_table(index="theme", columns="year", values="innovations",
                             aggfunc="sum", fill_value=0)
    wide.columns = [int(c) for c in wide.columns]
    return wide.reindex([o for o in order if o in wide.index]).astype("int64")


def _units(ctx: ReportContext, label: _Labels) -> list[Block]:
    t, year = ctx.t, ctx.params.year
    units = read_table(ctx.out_dir, "themes_units")
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.units_heading')}")]
    if units.empty:
        return blocks
    per_unit = units.groupby("unit_name", sort=True)
    multi = int((per_unit["theme"].nunique() > 1).sum())
    blocks.append(Markdown(t("themes.chapter.units_intro", units=per_unit.ngroups, year=year,
                             multi=multi)))
    themes = [x for x in (label.taxonomy.ids if label.taxonomy else sorted(units["theme"]))
              if x in set(units["theme"])]
    listing = [", ".join(f"{label(th)} ({n})" for th, n in zip(g["theme"], g["innovations"],
                                                                strict=True))
               for _, g in per_unit]
    by_unit = pd.DataFrame({t("themes.chapter.col_unit"): list(per_unit.groups),
                            t("themes.chapter.col_themes"): listing})
    if per_unit.ngroups > ROW_LIMIT:  # a row per unit would take pages: by unit group instead
        grouping = _unit_groups(ctx, units)
        if grouping is not None:
            column, groups = grouping
            blocks += _groups_table(ctx, units.assign(unit_name=groups), themes, label, column)
            full = by_unit
            blocks.append(Appendix((write_attachment(full, ctx.out_dir, "themes-units", t(
                "core.appendix.attachment", title=t("themes.chapter.attachment_units"),
                rows=len(full))),)))
            return blocks
    grid = units.pivot_table(index="unit_name", columns="theme", values="innovations",
                             aggfunc="sum", fill_value=0).reindex(columns=themes, fill_value=0)
    if len(grid) <= MAX_UNITS_IN_FIGURE:
        fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(grid) + 1.8))
        ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto", vmin=0,
                  vmax=max(1, int(grid.to_numpy().max())))
        ax.set_xticks(range(len(themes)), [label(x) for x in themes], rotation=40, ha="right")
        ax.set_yticks(range(len(grid)), [short_title(u, 45) for u in grid.index])
        for (row, col), value in np.ndenumerate(grid.to_numpy()):
            if value:
                ax.text(col, row, str(value), ha="center", va="center", fontsize=8,
                        color="white" if value > grid.to_numpy().max() / 2 else "black")
        ax.tick_params(length=0, labelsize=8)
        blocks.append(save_figure(fig, ctx.out_dir, "themes-units",
                                  t("themes.chapter.fig_units", year=year)))
    blocks += long_table(ctx, by_unit, t("themes.chapter.tbl_units", year=year), "themes-units",
                         t("themes.chapter.attachment_units"))
    return blocks


def _unit_groups(ctx: ReportContext, units: pd.DataFrame) -> tuple[str, pd.Series] | None:
    """Each row's unit group: the unit's parent when the units have parents, else its kind
    (from the participation artifacts 01_validate writes); None when neither is known."""
    out = ctx.out_dir
    if not has_table(out, "participation_units") or "unit_id" not in units:
        return None
    known = read_table(out, "participation_units").drop_duplicates("unit_id").set_index(
        "unit_id")
    names = known["name"] if "name" in known else pd.Series(dtype=str)
    if "parent" in known and known["parent"].fillna("").ne("").any():
        column = "parent"
        values = known["parent"].fillna("").map(lambda v: names.get(v, v) if v else "")
    elif "kind" in known:
        column = "kind"
        values = known["kind"].fillna("").map(
            lambda v: ctx.t(f"core.values.kind.{v}") if ctx.t.has(f"core.values.kind.{v}")
            else str(v))
    else:
        return None
    groups = units["unit_id"].map(values).fillna("")
    groups = groups.where(groups != "", ctx.t("themes.chapter.no_group"))
    return column, groups


def _groups_table(ctx: ReportContext, units: pd.DataFrame, themes: list[str], label: _Labels,
                  column: str) -> list[Block]:
    """Themes by unit kind (or parent): units and innovations per group, its main themes."""
    t, year = ctx.t, ctx.params.year
    rows = []
    for group, g in units.groupby("unit_name", sort=True):
        per_theme = g.groupby("theme")["innovations"].sum().sort_values(
            ascending=False, kind="stable")
        main = ", ".join(f"{label(th)} ({int(n)})" for th, n in per_theme.head(4).items())
        rows.append({t(f"themes.chapter.col_group_{column}"): group,
                     t("themes.chapter.col_units"): int(g["unit_id"].nunique()),
                     t("themes.chapter.col_innovations"): int(g["innovations"].sum()),
                     t("themes.chapter.col_main_themes"): main})
    table = pd.DataFrame(rows)
    blocks: list[Block] = [Markdown(t(f"themes.chapter.groups_intro_{column}"))]
    blocks += long_table(ctx, table, t(f"themes.chapter.tbl_groups_{column}", year=year),
                         "themes-groups", t(f"themes.chapter.tbl_groups_{column}", year=year))
    return blocks


def _trend(ctx: ReportContext, label: _Labels) -> list[Block]:
    t = ctx.t
    trend = read_table(ctx.out_dir, "themes_trend")
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.trend_heading')}")]
    years = sorted(int(y) for y in trend["year"].unique())
    if len(years) < 2:
        return [*blocks, Markdown(t("themes.chapter.trend_single"))]
    order = list(dict.fromkeys(trend["theme"]))
    wide = _wide(trend, order)
    wide = wide[wide.sum(axis=1) > 0]
    first, last = years[0], years[-1]
    change = wide[last] - wide[first]
    moved = change[change != 0]
    moved = moved.iloc[np.argsort(-moved.abs().to_numpy(), kind="stable")][:TREND_CHANGES]
    if moved.empty:
        blocks.append(Markdown(t("themes.chapter.trend_flat", first=first, last=last)))
    else:
        blocks.append(Markdown(t("themes.chapter.trend_intro", first=first, last=last,
                                 changes=", ".join(f"{label(x)} ({int(v):+d})"
                                                   for x, v in moved.items()))))
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    colours = plt.get_cmap("tab20").colors
    bottom = np.zeros(len(years))
    for i, theme in enumerate(wide.index):
        values = wide.loc[theme, years].to_numpy(dtype=float)
        ax.bar([str(y) for y in years], values, bottom=bottom, label=label(theme),
               color=colours[i % len(colours)])
        bottom += values
    ax.set_ylabel(t("themes.chapter.col_innovations"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    blocks.append(save_figure(fig, ctx.out_dir, "themes-trend", t("themes.chapter.fig_trend")))
    table = pd.DataFrame({t("themes.chapter.col_theme"): [label(x) for x in wide.index]})
    for year in years:
        table[str(year)] = wide[year].to_numpy()
    blocks.append(Table(table, t("themes.chapter.tbl_trend"), "themes-trend"))
    return blocks


def _confidence(ctx: ReportContext, current: pd.DataFrame, summary: pd.Series,
                label: _Labels) -> list[Block]:
    t, year = ctx.t, ctx.params.year
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.confidence_heading')}")]
    if current.empty:
        return blocks
    fallback = label(str(summary["fallback_theme"]))
    model_fallback = int((current["theme_model"] == summary["fallback_theme"]).sum())
    blocks.append(Markdown(t(
        "themes.chapter.confidence_summary", median=t.number(current["confidence"].median(), 2),
        low=int(current["low_confidence"].sum()),
        low_bar=t.number(summary["low_confidence_below"], 1), fallback=model_fallback,
        min_bar=t.number(summary["min_confidence"], 1), fallback_label=fallback)))
    fig, ax = plt.subplots(figsize=(7, 2.8))
    ax.hist(current["confidence"], bins=np.linspace(0, 1, 21), color=PALETTE[0])
    ax.axvline(summary["low_confidence_below"], color=PALETTE[2], linestyle="--",
               label=t("themes.chapter.line_review"))
    ax.axvline(summary["min_confidence"], color="grey", linestyle=":",
               label=t("themes.chapter.line_fallback", fallback_label=fallback))
    ax.set_xlim(0, 1)
    ax.set_xlabel(t("themes.chapter.axis_confidence"))
    ax.set_ylabel(t("themes.chapter.axis_count"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="upper left")
    blocks.append(save_figure(fig, ctx.out_dir, "themes-confidence",
                              t("themes.chapter.fig_confidence", year=year)))
    review = current[current["low_confidence"]].sort_values(["confidence", "innovation_id"],
                                                            kind="stable")
    if not review.empty:
        shown = review.head(MAX_REVIEW_ROWS)
        blocks.append(Markdown(t("themes.chapter.review_intro", n=len(review),
                                 shown=len(shown))))
        blocks.append(Table(pd.DataFrame({
            t("themes.chapter.col_innovation"): [short_title(x, 60) for x in shown["title"]],
            t("themes.chapter.col_unit"): [short_title(x, 40) for x in shown["unit_name"]],
            t("themes.chapter.col_model"): [label(x) for x in shown["theme"]],
            t("themes.chapter.col_confidence_one"): [t.number(c, 2)
                                                     for c in shown["confidence"]],
        }), t("themes.chapter.tbl_review", year=year), "themes-review"))
        if len(review) > len(shown):
            full = pd.DataFrame({
                t("themes.chapter.col_id"): review["innovation_id"],
                t("themes.chapter.col_innovation"): review["title"],
                t("themes.chapter.col_unit"): review["unit_name"],
                t("themes.chapter.col_model"): [label(x) for x in review["theme"]],
                t("themes.chapter.col_confidence_one"): review["confidence"].round(3)})
            blocks.append(Appendix((write_attachment(full, ctx.out_dir, "themes-review", t(
                "core.appendix.attachment", title=t("themes.chapter.attachment_review"),
                rows=len(full))),)))
    return blocks


def _clusters(ctx: ReportContext, summary: pd.Series, label: _Labels,
              current: pd.DataFrame) -> list[Block]:
    t, year = ctx.t, ctx.params.year
    clusters = read_table(ctx.out_dir, "themes_clusters")
    fallback = label(str(summary["fallback_theme"]))
    pool = int(((current["theme"] == summary["fallback_theme"]) | current["low_confidence"])
               .sum())
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.clusters_heading')}")]
    if clusters.empty:
        return [*blocks, Markdown(t("themes.chapter.clusters_none", pool=pool,
                                    fallback_label=fallback, min_rows=MIN_ROWS))]
    blocks.append(Markdown(t("themes.chapter.clusters_intro", pool=pool, fallback_label=fallback,
                             k=len(clusters), silhouette=t.number(summary["silhouette"], 2))))
    blocks.append(Table(pd.DataFrame({
        t("themes.chapter.col_cluster"): clusters["cluster"],
        t("themes.chapter.col_size"): clusters["size"],
        t("themes.chapter.col_terms"): clusters["top_terms"],
        t("themes.chapter.col_examples"): [e.replace(" | ", "; ") for e in clusters["examples"]],
    }), t("themes.chapter.tbl_clusters", year=year), "themes-clusters"))
    return blocks


def _resubmissions(ctx: ReportContext, summary: pd.Series) -> list[Block]:
    t, year = ctx.t, ctx.params.year
    similar = read_table(ctx.out_dir, "themes_resubmissions")
    flagged = similar[similar["flagged"]].sort_values(
        ["similarity", "innovation_id"], ascending=[False, True], kind="stable")
    threshold = t.number(summary["resubmission_threshold"], 2)
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.resub_heading')}")]
    if flagged.empty:
        return [*blocks, Markdown(t("themes.chapter.resub_none", year=year, threshold=threshold,
                                    compared=int(summary["compared_with"])))]
    blocks.append(Markdown(t("themes.chapter.resub_intro", flagged=len(flagged), year=year,
                             threshold=threshold)))
    blocks += long_table(ctx, pd.DataFrame({
        t("themes.chapter.col_innovation"): [f"{short_title(a)} — {b}" for a, b in
                                             zip(flagged["title"], flagged["unit_name"],
                                                 strict=True)],
        t("themes.chapter.col_match"): [f"{short_title(a)} — {b}" for a, b in
                                        zip(flagged["match_title"], flagged["match_unit"],
                                            strict=True)],
        t("themes.chapter.col_match_year"): flagged["match_year"].astype("str"),
        t("themes.chapter.col_similarity"): [t.number(s, 2) for s in flagged["similarity"]],
    }), t("themes.chapter.tbl_resub", year=year), "themes-resubmissions",
        t("themes.chapter.tbl_resub", year=year))
    return blocks


def _overrides(ctx: ReportContext, label: _Labels) -> list[Block]:
    t, year = ctx.t, ctx.params.year
    overrides = read_table(ctx.out_dir, "themes_overrides")
    overrides = overrides[overrides["year"] == year]
    blocks: list[Block] = [Markdown(f"## {t('themes.chapter.overrides_heading')}")]
    if overrides.empty:
        return [*blocks, Markdown(t("themes.chapter.overrides_none"))]
    changed = int((overrides["theme"] != overrides["theme_model"]).sum())
    blocks.append(Markdown(t("themes.chapter.overrides_intro", n=len(overrides),
                             changed=changed)))
    blocks += long_table(ctx, pd.DataFrame({
        t("themes.chapter.col_innovation"): [short_title(x) for x in overrides["title"]],
        t("themes.chapter.col_model"): [label(x) for x in overrides["theme_model"]],
        t("themes.chapter.col_final"): [label(x) for x in overrides["theme"]],
        t("themes.chapter.col_reason"): overrides["override_reason"],
    }), t("themes.chapter.tbl_overrides", year=year), "themes-overrides",
        t("themes.chapter.tbl_overrides", year=year))
    return blocks


def _method(ctx: ReportContext, summary: pd.Series) -> list[Block]:
    """What this run used, in words: title only or with descriptions, the affair cue, the
    evaluators' labels, how the confidence was calibrated."""
    t = ctx.t
    parts = [t("themes.chapter.method_text" if int(summary["descriptions"]) else
               "themes.chapter.method_titles_only", year=ctx.params.year,
               descriptions=int(summary["descriptions"]),
               innovations=int(summary["innovations"]))]
    parts.append(t("themes.chapter.method_model", version=summary["taxonomy_version"],
                   weak=int(summary["weak_labels"])))
    if int(summary["self_training_rows"]):
        parts.append(t("themes.chapter.method_self_training",
                       pseudo=int(summary["self_training_rows"])))
    if bool(summary["affair_used"]):
        parts.append(t("themes.chapter.method_affair"))
    n = int(summary["labelled_rows"])
    parts.append(t("themes.chapter.method_labelled", n=n) if n
                 else t("themes.chapter.method_no_labels"))
    calibrated = int(summary["calibrated_on"])
    parts.append(t("themes.chapter.method_calibrated", n=calibrated,
                   temperature=t.number(summary["temperature"], 2)) if calibrated
                 else t("themes.chapter.method_default_calibration",
                        temperature=t.number(summary["temperature"], 2)))
    parts.append(t("themes.chapter.method_protocol"))
    return [Markdown(f"## {t('themes.chapter.method_heading')}"), Markdown(" ".join(parts))]
