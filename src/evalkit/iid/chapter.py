"""Chapter: the IID self-assessment — index and predicate beside the published history, the
SPD/SID/count breakdown, a heatmap of levels, where points are lost, the improvement plan,
the floor what-if and the claims verification did not (yet) accept.

Reads the artifacts written by notebook 02_iid (``evalkit.iid.workflow.write_artifacts``).
What the data does not hold is said, never shown as a number: a lower-bound index says "at
least" and what is missing; an index that cannot be computed shows no number, plan, level map
or claims list.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure

from evalkit.artifacts import has_table, read_table
from evalkit.iid.engine import round_half_up
from evalkit.iid.rubric import BUNDLED_RUBRICS, Rubric, rubric_for
from evalkit.issues import InputError
from evalkit.report.appendix import ROW_LIMIT, Appendix, write_attachment
from evalkit.report.blocks import Block, Markdown, ReportContext, Table, save_figure

LEVEL_COLOURS = ("#eeeeee", "#c6dbef", "#6baed6", "#08519c")
TOP_GAPS = 10
PLAN_ROWS = 12
CLAIM_ROWS = 15
NATIONAL = "nasional"
# Above this many innovations the heatmap keeps its height and shows rank ticks, not titles:
# a row and a label per innovation cost seconds per hundred rows to draw, and are unreadable.
HEATMAP_ROWS = 60
MAX_GROUPS = 25  # unit groups in the level-spread figure (a bar each)
# Validation warnings that can move the index: a value read as its closest spelling, an affair
# outside the official list (a basic service may be missed), a sheet or cells not read, a row
# entered twice or carried over from an earlier campaign (both counted).
INDEX_WARNINGS = ("unknown-value", "close-value", "hidden-sheet", "outside-table",
                  "duplicate-innovation", "earlier-entry", "file-type")


def _rubric(ctx: ReportContext) -> Rubric | None:
    try:
        return rubric_for(ctx.params)
    except InputError:
        return None


def _name(ctx: ReportContext, name: object, name_en: object = None) -> str:
    """An indicator's name in the report's language. Its number goes in its own column:
    a cell starting with "14. " would become a numbered list in Pandoc."""
    text = name_en if ctx.t.lang == "en" and isinstance(name_en, str) and name_en else name
    return text if isinstance(text, str) else ""


def _predicate(ctx: ReportContext, rubric: Rubric | None, key: str, fallback: str) -> str:
    if rubric is None:
        return fallback
    try:
        band = rubric.band(key)
    except KeyError:
        return fallback
    return band.label if ctx.t.lang == "id" else band.label_en


def short_title(title: object) -> str:
    head = str(title).split(" (")[0].strip() if isinstance(title, str) else ""
    return head if len(head) <= 32 else head[:30] + "…"


def build(ctx: ReportContext) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    blocks: list[Block] = [Markdown(f"# {t('iid.chapter.heading')}")]
    if not has_table(out, "iid_summary"):
        return [*blocks, Markdown(t("iid.chapter.missing"))]
    summary = read_table(out, "iid_summary").iloc[0]
    rubric = _rubric(ctx)
    if not _flag(summary, "computable", True):
        blocks.append(Markdown(t("iid.chapter.not_computable", year=int(summary["year"]),
                                 counted=int(summary["n_counted"]))))
        blocks += _notes(ctx, summary)
        blocks += _history(ctx, rubric, summary, computed=False)
        blocks.append(Appendix(tuple(_method(ctx, rubric, summary))))
        return blocks
    blocks.append(Markdown(_intro(ctx, rubric, summary)))
    blocks += _notes(ctx, summary)
    blocks += _history(ctx, rubric, summary)
    blocks += _breakdown(ctx, rubric, summary)
    blocks += _heatmap(ctx)
    blocks += _gaps(ctx, summary)
    blocks += _plan(ctx, rubric, summary)
    blocks += _floor(ctx, rubric)
    blocks += _claims(ctx, summary)
    blocks.append(Appendix(tuple(_method(ctx, rubric, summary))))
    return blocks


def _flag(s: pd.Series, name: str, default: bool) -> bool:
    value = s.get(name, default)
    return default if value is None or (not isinstance(value, str) and pd.isna(value)) else (
        bool(value))


def _count(s: pd.Series, name: str) -> int:
    value = s.get(name, 0)
    return 0 if value is None or pd.isna(value) else int(value)


def _intro(ctx: ReportContext, rubric: Rubric | None, s: pd.Series) -> str:
    t = ctx.t
    other_mode = "claimed" if s["mode"] == "verified" else "verified"
    other_iid = s.get(f"iid_{other_mode}", np.nan)
    lower = _flag(s, "lower_bound", False)
    text = t("iid.chapter.intro_lower" if lower else "iid.chapter.intro", year=int(s["year"]),
             rubric=s["rubric"], mode=t(f"iid.modes.{s['mode']}"),
             iid=t.number(s["iid_rounded"]),
             predicate=_predicate(ctx, rubric, s["predicate_key"], s["predicate"]),
             counted=int(s["n_counted"]), submitted=int(s["n_submitted"]),
             rejected=int(s["n_rejected"]))
    no_evidence = "n_maturity_evidence" in s and _count(s, "n_maturity_evidence") == 0
    if pd.notna(other_iid) and not no_evidence:  # without evidence both modes are the same
        other = _predicate(ctx, rubric, str(s.get(f"predicate_key_{other_mode}", "")),
                           str(s.get(f"predicate_{other_mode}", "")))
        text += " " + t(f"iid.chapter.other_{other_mode}",
                        iid=t.number(round_half_up(float(other_iid))), predicate=other)
    return text


def _notes(ctx: ReportContext, s: pd.Series) -> list[Block]:
    """What the data lacks, where maturity and SPD come from, which rows count, the rubric's
    year: one paragraph each, only when they apply."""
    t = ctx.t
    blocks: list[Block] = []
    reasons = [r for r in str(s.get("bound_reasons") or "").split(";") if r]
    if reasons and _flag(s, "computable", True):
        spd_max = t.number(63.0, 0)
        items = []
        for reason in reasons:
            items.append("- " + t(f"iid.chapter.missing_{reason}", spd_max=spd_max,
                                  reported=_count(s, "spd_rows_reported"),
                                  rows=_count(s, "spd_rows"),
                                  n=_count(s, "n_maturity_unknown")))
        blocks.append(Markdown(t("iid.chapter.missing_intro") + "\n\n" + "\n".join(items)))
    reported, unknown = _count(s, "n_maturity_reported"), _count(s, "n_maturity_unknown")
    if (reported or unknown) and _flag(s, "computable", True):
        blocks.append(Markdown(t("iid.chapter.sources", evidence=_count(s, "n_maturity_evidence"),
                                 reported=reported, unknown=unknown)))
    if s.get("spd_source") == "total":
        blocks.append(Markdown(t("iid.chapter.spd_total", spd=t.number(s["spd"]))))
    if not _flag(s, "status_given", True):
        blocks.append(Markdown(t("iid.chapter.status_none", n=int(s["n_submitted"]))))
    if _count(s, "n_draft"):
        blocks.append(Markdown(t("iid.chapter.status_draft", n=_count(s, "n_draft"))))
    blocks += _index_warnings(ctx)
    report_year = _count(s, "report_year") or int(s["year"])
    if report_year != int(s["year"]):
        blocks.append(Markdown(t("iid.chapter.rubric_year", rubric=s["rubric"],
                                 rubric_year=int(s["year"]), year=report_year)))
    return blocks


def _index_warnings(ctx: ReportContext) -> list[Block]:
    """One sentence on the validation warnings that can move the index (the data-quality
    chapter lists them)."""
    t, out = ctx.t, ctx.out_dir
    if not has_table(out, "data_quality"):
        return []
    quality = read_table(out, "data_quality")
    found = quality[(quality["severity"] == "warning") & quality["code"].isin(INDEX_WARNINGS)]
    if found.empty:
        return []
    kinds = []
    for code, n in found.groupby("code", sort=True).size().items():
        key = f"core.quality.codes.{code}"
        kinds.append(f"{t(key) if t.has(key) else code} ({n})")
    return [Markdown(t("iid.chapter.index_warnings", n=len(found), kinds="; ".join(kinds)))]


def _history(ctx: ReportContext, rubric: Rubric | None, s: pd.Series,
             computed: bool = True) -> list[Block]:
    t = ctx.t
    blocks: list[Block] = [Markdown(f"## {t('iid.history.heading')}")]
    rows = []
    if has_table(ctx.out_dir, "history"):
        history = read_table(ctx.out_dir, "history")
        for year, group in history.sort_values("year").groupby("year", sort=True):
            scored = group[group["score"].notna()]
            national = group[group["scope"].astype("str").str.contains(NATIONAL, case=False)]
            province = group[~group.index.isin(national.index)]
            rows.append({
                t("iid.history.col_year"): str(int(year)),
                t("iid.history.col_source"): t("iid.history.published"),
                t("iid.history.col_score"): t.number(scored["score"].iloc[0])
                if len(scored) else "–",
                t("iid.history.col_predicate"): str(scored["predicate"].iloc[0])
                if len(scored) and pd.notna(scored["predicate"].iloc[0]) else "–",
                t("iid.history.col_national"): _rank(national),
                t("iid.history.col_province"): _rank(province),
            })
    lower = _flag(s, "lower_bound", False)
    mode = t(f"iid.modes.{s['mode']}")
    score = t.number(s["iid_rounded"])
    predicate = _predicate(ctx, rubric, s["predicate_key"], s["predicate"])
    if computed:
        rows.append({
            t("iid.history.col_year"): str(_count(s, "report_year") or int(s["year"])),
            t("iid.history.col_source"): t("iid.history.computed_lower" if lower
                                           else "iid.history.computed", mode=mode),
            t("iid.history.col_score"): t("iid.history.at_least", value=score) if lower
            else score,
            t("iid.history.col_predicate"): t("iid.history.at_least", value=predicate) if lower
            else predicate,
            t("iid.history.col_national"): "–",
            t("iid.history.col_province"): "–",
        })
    if not rows:
        return []
    blocks.append(Markdown(t("iid.history.intro")))
    blocks.append(Table(pd.DataFrame(rows), t("iid.history.tbl"), "iid-history"))
    return blocks


def _rank(rows: pd.DataFrame) -> str:
    rows = rows[rows["rank"].notna()]
    if rows.empty:
        return "–"
    row = rows.iloc[0]
    out_of = "" if pd.isna(row["rank_out_of"]) else f" / {int(row['rank_out_of'])}"
    return f"{int(row['rank'])}{out_of}"


def _breakdown(ctx: ReportContext, rubric: Rubric | None, s: pd.Series) -> list[Block]:
    t = ctx.t
    maxima = rubric.aspect_max if rubric is not None else {"SPD": 63.0, "SID": 111.0}
    count_max = rubric.count.max if rubric is not None else 76.0
    total_max = rubric.max_total if rubric is not None else 250.0
    required = s["basic_services_required"]
    if pd.isna(required):
        count_note = t("iid.breakdown.count_note", n=int(s["n_counted"]))
    else:
        met = int(s["basic_services_covered"]) >= int(required)
        count_note = t("iid.breakdown.count_note_basic", n=int(s["n_counted"]),
                       covered=int(s["basic_services_covered"]), required=int(required),
                       verdict=t("iid.breakdown.met" if met else "iid.breakdown.not_met"))
    spd_note = {"total": t("iid.breakdown.spd_note_total"),
                "missing": t("iid.breakdown.spd_note_missing")}.get(
        str(s.get("spd_source", "indicators")), t("iid.breakdown.spd_note"))
    rows = [
        (t("iid.breakdown.spd"), s["spd"], maxima["SPD"], spd_note),
        (t("iid.breakdown.sid"), s["sid_indicators"], maxima["SID"],
         t("iid.breakdown.sid_note", total=t.number(s["maturity_sum"], 0),
           divisor=int(s["divisor"]), floor=int(s["floor"]), n=int(s["n_counted"]))),
        (t("iid.breakdown.count"), s["innovation_count_score"], count_max, count_note),
        (t("iid.breakdown.total"), s["total"], total_max, ""),
        (t("iid.breakdown.index"), s["iid"], 100.0,
         t("iid.breakdown.index_note", total=t.number(s["total"]), max=t.number(total_max, 0))),
    ]
    table = pd.DataFrame({
        t("iid.breakdown.col_component"): [r[0] for r in rows],
        t("iid.breakdown.col_score"): [t.number(r[1]) for r in rows],
        t("iid.breakdown.col_max"): [t.number(r[2], 0) for r in rows],
        t("iid.breakdown.col_note"): [r[3] for r in rows],
    })
    return [Markdown(f"## {t('iid.breakdown.heading')}"),
            Markdown(t("iid.breakdown.intro", mean=t.number(s["maturity_mean"]))),
            Table(table, t("iid.breakdown.tbl", year=int(s["year"])), "iid-breakdown",
                  align=("left", "right", "right", "left"))]


def heatmap_figure(points: pd.DataFrame, innovations: pd.DataFrame, axis_label: str,
                   legend: str) -> Figure:
    """Innovations (rows, highest maturity first) × SID indicators, coloured by level."""
    titles = innovations.set_index("innovation_id")["title"]
    order = points.groupby("innovation_id", sort=False)["points"].sum().sort_values(
        ascending=False, kind="stable").index
    indicators = list(pd.unique(points["indicator"].astype("str")))
    grid = points.assign(indicator=points["indicator"].astype("str")).pivot(
        index="innovation_id", columns="indicator", values="level").reindex(
        index=order, columns=indicators)
    fig, ax = plt.subplots(figsize=(7.2, 1.2 + 0.2 * min(len(grid), HEATMAP_ROWS)))
    cmap = ListedColormap(LEVEL_COLOURS)
    image = ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap=cmap,
                      norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N),
                      interpolation="nearest")
    ax.set_xticks(range(len(indicators)), indicators, fontsize=7)
    if len(grid) <= HEATMAP_ROWS:
        labels = [f"{i}  {short_title(titles.get(i))}" for i in grid.index]
        ax.set_yticks(range(len(labels)), labels, fontsize=6)
    else:
        ranks = np.unique(np.linspace(0, len(grid) - 1, 9).round().astype(int))
        ax.set_yticks(ranks, [str(r + 1) for r in ranks], fontsize=6)
    ax.set_xlabel(axis_label)
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    bar = fig.colorbar(image, ax=ax, ticks=[0, 1, 2, 3], fraction=0.04, pad=0.02)
    bar.set_label(legend)
    return fig


def level_shares(points: pd.DataFrame, by: str = "indicator") -> pd.DataFrame:
    """Share of rows at each level (columns 0-3) per ``by`` value, in first-seen order."""
    frame = points.assign(**{by: points[by].astype("str")})
    counts = frame.groupby([by, "level"], sort=False).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[0, 1, 2, 3], fill_value=0)
    counts = counts.reindex(list(pd.unique(frame[by])))
    return counts.div(counts.sum(axis=1).where(lambda n: n > 0, 1), axis=0)


def distribution_figure(shares: pd.DataFrame, axis_label: str, legend: str,
                        share_label: str) -> Figure:
    """One horizontal bar per row of ``shares``, split by level: readable at any number of
    innovations (a heatmap needs a row per innovation)."""
    rows = len(shares)
    fig, ax = plt.subplots(figsize=(7.2, 1.1 + 0.24 * min(rows, 40)))
    left = np.zeros(rows)
    for level, colour in zip(range(4), LEVEL_COLOURS, strict=True):
        values = shares[level].to_numpy(dtype=float) * 100
        ax.barh(range(rows), values, left=left, color=colour, edgecolor="white",
                linewidth=0.4, label=f"{legend} {level}")
        left += values
    ax.set_yticks(range(rows), [str(i) for i in shares.index], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(share_label)
    ax.set_ylabel(axis_label)
    ax.legend(ncols=4, fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              frameon=False)
    return fig


def _heatmap(ctx: ReportContext) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    if not has_table(out, "iid_points"):
        return []
    points = read_table(out, "iid_points")
    if points.empty:
        return []
    innovations = read_table(out, "iid_innovations")
    if points["innovation_id"].nunique() <= ROW_LIMIT:
        fig = heatmap_figure(points, innovations, t("iid.heatmap.axis_indicator"),
                             t("iid.heatmap.legend"))
        return [Markdown(f"## {t('iid.heatmap.heading')}"), Markdown(t("iid.heatmap.intro")),
                save_figure(fig, out, "iid-heatmap", t("iid.heatmap.fig"))]
    n = points["innovation_id"].nunique()
    blocks: list[Block] = [Markdown(f"## {t('iid.levels.heading')}"),
                           Markdown(t("iid.levels.intro", n=n))]
    fig = distribution_figure(level_shares(points), t("iid.heatmap.axis_indicator"),
                              t("iid.heatmap.legend"), t("iid.levels.share"))
    blocks.append(save_figure(fig, out, "iid-levels", t("iid.levels.fig", n=n)))
    groups = _unit_groups(ctx, innovations)
    if groups is not None:
        grouped = points.merge(groups, on="innovation_id", how="left").fillna(
            {"group": t("iid.levels.no_group")})
        sizes = grouped.groupby("group")["innovation_id"].nunique().sort_values(
            ascending=False, kind="stable")
        if len(sizes) > MAX_GROUPS:  # the largest groups by name, the rest together
            kept = set(sizes.index[:MAX_GROUPS - 1])
            others = t("iid.levels.other_groups", n=len(sizes) - len(kept))
            grouped = grouped.assign(group=grouped["group"].where(
                grouped["group"].isin(kept), others))
        fig = distribution_figure(level_shares(grouped, "group"), t("iid.levels.axis_group"),
                                  t("iid.heatmap.legend"), t("iid.levels.share"))
        blocks.append(save_figure(fig, out, "iid-levels-groups", t("iid.levels.fig_groups")))
    wide = points.assign(indicator=points["indicator"].astype("str")).pivot(
        index="innovation_id", columns="indicator", values="level")
    wide = wide.reindex(columns=list(pd.unique(points["indicator"].astype("str"))))
    titles = innovations.set_index("innovation_id")["title"]
    full = wide.reset_index()
    full.insert(1, t("iid.levels.col_title"), full["innovation_id"].map(titles).fillna(""))
    full = full.rename(columns={"innovation_id": t("iid.levels.col_id")})
    blocks.append(Appendix((write_attachment(full, out, "iid-levels",
                                             t("core.appendix.attachment",
                                               title=t("iid.levels.attachment"),
                                               rows=len(full))),)))
    return blocks


def _unit_groups(ctx: ReportContext, innovations: pd.DataFrame) -> pd.DataFrame | None:
    """Each innovation's unit group: the unit's parent when units have parents, else its kind
    (from the participation artifacts 01_validate writes); None when neither is known."""
    out = ctx.out_dir
    if not has_table(out, "participation_units") or "unit_id" not in innovations:
        return None
    units = read_table(out, "participation_units")
    column = "parent" if "parent" in units and units["parent"].fillna("").ne("").any() else (
        "kind")
    if column not in units:
        return None
    names = units.set_index("unit_id")["name"] if "name" in units else pd.Series(dtype=str)
    values = units.set_index("unit_id")[column].fillna("")
    if column == "parent":
        values = values.map(lambda v: names.get(v, v) if v else "")
    else:
        values = values.map(lambda v: t_kind(ctx, v))
    values = values[~values.index.duplicated()]
    group = innovations.set_index("innovation_id")["unit_id"].map(values)
    group = group.where(group.fillna("") != "", np.nan)
    if group.notna().sum() == 0:
        return None
    return group.rename("group").reset_index()


def t_kind(ctx: ReportContext, kind: object) -> str:
    key = f"core.values.kind.{kind}"
    return ctx.t(key) if ctx.t.has(key) else str(kind or "")


def _gaps(ctx: ReportContext, s: pd.Series) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    if not has_table(out, "iid_gaps"):
        return []
    gaps = read_table(out, "iid_gaps")
    if gaps.empty:
        return []
    top = gaps[gaps["iid_lost"] > 1e-9].head(TOP_GAPS)
    names = []
    for row in top.itertuples(index=False):
        if row.kind == "innovation_count":
            name = t("iid.gaps.count")
            if row.note == "basic_services":
                name += " — " + t("iid.gaps.basic_services")
        elif row.kind == "empty_seats":
            name = t("iid.gaps.empty_seats", n=int(row.innovations_below_max))
        elif row.kind == "reported_maturity":
            name = t("iid.gaps.reported")
        elif row.kind == "spd" and row.note == "spd_total":
            name = t("iid.gaps.spd_total")
        else:
            name = _name(ctx, row.name, row.name_en)
        names.append(name)
    below = [("" if pd.isna(v) or k in ("spd", "empty_seats") else str(int(v)))
             for k, v in zip(top["kind"], top["innovations_below_max"], strict=True)]
    table = pd.DataFrame({
        t("iid.gaps.col_no"): top["indicator"].tolist(),
        t("iid.gaps.col_source"): names,
        t("iid.gaps.col_aspect"): top["aspect"].tolist(),
        t("iid.gaps.col_lost_points"): [t.number(v) for v in top["lost_points"]],
        t("iid.gaps.col_iid_lost"): [t.number(v) for v in top["iid_lost"]],
        t("iid.gaps.col_below"): below,
    })
    lower = _flag(s, "lower_bound", False)
    intro = "iid.gaps.intro_lower" if lower else "iid.gaps.intro"
    return [Markdown(f"## {t('iid.gaps.heading')}"),
            Markdown(t(intro, total=t.number(gaps["iid_lost"].sum()))),
            Table(table, t("iid.gaps.tbl", n=len(top)), "iid-gaps",
                  align=("right", "left", "left", "right", "right", "right"))]


def _plan(ctx: ReportContext, rubric: Rubric | None, s: pd.Series) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    blocks: list[Block] = [Markdown(f"## {t('iid.plan.heading')}")]
    if not has_table(out, "iid_plan"):
        return []
    steps = read_table(out, "iid_plan")
    target = s.get("plan_target")
    key = s.get("plan_target_key") or ""
    notes = [n for n in str(s.get("plan_notes") or "").split(";") if n]
    if "not_computable" in notes:
        return []
    if pd.isna(target):
        return [*blocks, Markdown(t("iid.plan.top_band"))]
    label = (_predicate(ctx, rubric, key, key) if key else t.number(target))
    if "no_levels" in notes:
        return [*blocks, Markdown(t("iid.plan.note_no_levels"))]
    if steps.empty:
        return [*blocks, Markdown(t("iid.plan.already", target=label))]
    claimed = int(steps["claimed"].sum())
    state = "iid.plan.reached" if bool(s["plan_reached"]) else "iid.plan.unreachable"
    blocks.append(Markdown(t(state, target=label, value=t.number(target), steps=len(steps),
                             final=t.number(s["plan_final_iid"]), claimed=claimed)))
    if s.get("plan_cost") and abs(float(s["plan_cost"]) - len(steps)) > 1e-9:
        blocks.append(Markdown(t("iid.plan.cost", cost=t.number(s["plan_cost"]))))
    for note in notes:
        if note in ("basic_services_short", "below_floor", "lower_bound"):
            blocks.append(Markdown(t(f"iid.plan.note_{note}")))
    grouped = steps.assign(inno=steps["innovation_id"].replace("", np.nan)).groupby(
        ["aspect", "indicator"], sort=False).agg(
        name=("name", "first"), name_en=("name_en", "first"), n=("step", "size"),
        innovations=("inno", "nunique"), gain=("gain", "sum"), first=("step", "min"),
        claimed=("claimed", "sum")).reset_index().sort_values("first")
    table = pd.DataFrame({
        t("iid.gaps.col_no"): grouped["indicator"].tolist(),
        t("iid.plan.col_indicator"): [_name(ctx, r.name, r.name_en)
                                      for r in grouped.itertuples(index=False)],
        t("iid.plan.col_aspect"): grouped["aspect"].tolist(),
        t("iid.plan.col_steps"): grouped["n"].astype(int).tolist(),
        t("iid.plan.col_innovations"): [str(int(v)) if a == "SID" else "–"
                                        for a, v in zip(grouped["aspect"],
                                                        grouped["innovations"], strict=True)],
        t("iid.plan.col_claimed"): grouped["claimed"].astype(int).tolist(),
        t("iid.plan.col_gain"): [t.number(v) for v in grouped["gain"]],
    })
    blocks.append(Table(table, t("iid.plan.tbl_grouped", target=label), "iid-plan",
                        align=("right", "left", "left", "right", "right", "right", "right")))
    first = steps.head(PLAN_ROWS)
    table = pd.DataFrame({
        t("iid.plan.col_step"): first["step"].astype(int).tolist(),
        t("iid.gaps.col_no"): first["indicator"].tolist(),
        t("iid.plan.col_indicator"): [_name(ctx, r.name, r.name_en)
                                      for r in first.itertuples(index=False)],
        t("iid.plan.col_innovation"): [f"{i} {short_title(ti)}".strip()
                                       for i, ti in zip(first["innovation_id"], first["title"],
                                                        strict=True)],
        t("iid.plan.col_levels"): [f"{a} → {b}" for a, b in zip(first["from_level"],
                                                                first["to_level"], strict=True)],
        t("iid.plan.col_gain"): [t.number(v, 3) for v in first["gain"]],
        t("iid.plan.col_after"): [t.number(v) for v in first["iid_after_rounded"]],
    })
    blocks.append(Markdown(t("iid.plan.first_intro", n=len(first), total=len(steps))))
    blocks.append(Table(table, t("iid.plan.tbl_first", n=len(first)), "iid-plan-first",
                        align=("right", "right", "left", "left", "center", "right", "right")))
    if len(steps) > len(first):
        full = pd.DataFrame({
            t("iid.plan.col_step"): steps["step"].astype(int),
            t("iid.gaps.col_no"): steps["indicator"],
            t("iid.plan.col_indicator"): [_name(ctx, r.name, r.name_en)
                                          for r in steps.itertuples(index=False)],
            t("iid.plan.col_innovation"): steps["innovation_id"].fillna(""),
            t("iid.levels.col_title"): steps["title"].fillna(""),
            t("iid.plan.col_from"): steps["from_level"], t("iid.plan.col_to"): steps["to_level"],
            t("iid.plan.col_gain"): steps["gain"].round(4),
            t("iid.plan.col_after"): steps["iid_after_rounded"]})
        blocks.append(Appendix((write_attachment(full, out, "iid-plan", t(
            "core.appendix.attachment", title=t("iid.plan.attachment"), rows=len(full))),)))
    return blocks


def _floor(ctx: ReportContext, rubric: Rubric | None) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    if not has_table(out, "iid_floor"):
        return []
    floor = read_table(out, "iid_floor")
    if len(floor) < 2:
        return []
    table = pd.DataFrame({
        t("iid.floor.col_scenario"): [t(f"iid.floor.scenarios.{s}") for s in floor["scenario"]],
        t("iid.floor.col_n"): floor["n_counted"].astype(int).tolist(),
        t("iid.floor.col_divisor"): floor["divisor"].astype(int).tolist(),
        t("iid.floor.col_iid"): [t.number(v) for v in floor["iid_rounded"]],
        t("iid.floor.col_delta"): [("+" if v >= 0 else "") + t.number(v)
                                   for v in floor["delta_iid"]],
        t("iid.floor.col_predicate"): [_predicate(ctx, rubric, k, p) for k, p in
                                       zip(floor["predicate_key"], floor["predicate"],
                                           strict=True)],
    })
    add = floor[floor["scenario"] == "add_typical"]
    blocks: list[Block] = [Markdown(f"## {t('iid.floor.heading')}"),
                           Markdown(t("iid.floor.intro", floor=int(floor["divisor"].iloc[0])
                                      if rubric is None else rubric.floor))]
    if len(add):
        blocks.append(Markdown(t("iid.floor.break_even",
                                 typical=t.number(add["maturity_changed"].iloc[0], 0),
                                 need=t.number(add["break_even_maturity"].iloc[0], 1))))
    blocks.append(Table(table, t("iid.floor.tbl"), "iid-floor",
                        align=("left", "right", "right", "right", "right", "left")))
    return blocks


def _claims(ctx: ReportContext, s: pd.Series) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    blocks: list[Block] = [Markdown(f"## {t('iid.claims.heading')}")]
    claims = read_table(out, "iid_claims") if has_table(out, "iid_claims") else pd.DataFrame()
    if "n_maturity_evidence" in s and _count(s, "n_maturity_evidence") == 0 and (
            claims.empty or not (claims["status"] == "innovation_rejected").any()):
        return []  # no evidence: nothing was claimed per indicator, nothing to verify
    if claims.empty:
        return [*blocks, Markdown(t("iid.claims.none"))]
    per = claims.assign(
        unverified=claims["status"] == "unverified", lowered=claims["status"] == "lowered",
        rejected=claims["status"] == "innovation_rejected").groupby(
        "innovation_id", sort=False).agg(
        title=("title", "first"), unit=("unit_id", "first"), unverified=("unverified", "sum"),
        lowered=("lowered", "sum"), rejected=("rejected", "any"),
        at_stake=("points_at_stake", "sum")).reset_index()
    per = per.sort_values(["rejected", "at_stake", "innovation_id"],
                          ascending=[False, False, True], kind="stable")
    shown = per.head(CLAIM_ROWS)
    if has_table(out, "innovations"):  # written by 01_validate, with the units' names
        names = read_table(out, "innovations").set_index("unit_id")["unit_name"]
        names = names[~names.index.duplicated()]
        shown = shown.assign(unit=shown["unit"].map(names).fillna(shown["unit"]))
    table = pd.DataFrame({
        t("iid.claims.col_innovation"): [f"{i} {short_title(ti)}".strip() for i, ti in
                                         zip(shown["innovation_id"], shown["title"],
                                             strict=True)],
        t("iid.claims.col_unit"): shown["unit"].fillna("").tolist(),
        t("iid.claims.col_status"): [t("iid.claims.rejected") if r else "" for r in
                                     shown["rejected"]],
        t("iid.claims.col_unverified"): shown["unverified"].astype(int).tolist(),
        t("iid.claims.col_lowered"): shown["lowered"].astype(int).tolist(),
        t("iid.claims.col_at_stake"): [t.number(v, 0) for v in shown["at_stake"]],
    })
    blocks.append(Markdown(t(
        "iid.claims.intro", rejected=int(per["rejected"].sum()),
        unverified=int((claims["status"] == "unverified").sum()),
        lowered=int((claims["status"] == "lowered").sum()), innovations=len(per))))
    blocks.append(Table(table, t("iid.claims.tbl", n=len(shown)), "iid-claims",
                        align=("left", "left", "left", "right", "right", "right")))
    if len(per) > len(shown):
        blocks.append(Markdown(t("iid.claims.more", n=len(per) - len(shown))))
        full = pd.DataFrame({
            t("iid.levels.col_id"): per["innovation_id"], t("iid.levels.col_title"): per["title"],
            t("iid.claims.col_unit"): per["unit"].fillna(""),
            t("iid.claims.col_status"): [t("iid.claims.rejected") if r else ""
                                         for r in per["rejected"]],
            t("iid.claims.col_unverified"): per["unverified"].astype(int),
            t("iid.claims.col_lowered"): per["lowered"].astype(int),
            t("iid.claims.col_at_stake"): per["at_stake"].round(2)})
        blocks.append(Appendix((write_attachment(full, out, "iid-claims", t(
            "core.appendix.attachment", title=t("iid.claims.attachment"), rows=len(full))),)))
    return blocks


def _method(ctx: ReportContext, rubric: Rubric | None, s: pd.Series) -> list[Block]:
    t = ctx.t
    blocks: list[Block] = [Markdown(f"## {t('iid.method.heading')}")]
    if rubric is None:
        return [*blocks, Markdown(t("iid.method.no_rubric", rubric=s["rubric"]))]
    low = int((rubric.indicators["confidence"] == "low").sum())
    blocks.append(Markdown(t(
        "iid.method.text", rubric=rubric.id, version=rubric.version, file=_rubric_file(rubric),
        sha=str(s.get("rubric_sha256", rubric.sha256))[:12], variant=rubric.variant,
        floor=rubric.floor, low=low, rows=len(rubric.indicators))))
    if rubric.assumptions:
        items = "\n".join(f"- {text}" for text in rubric.assumptions.values())
        blocks.append(Markdown(t("iid.method.assumptions", n=len(rubric.assumptions))
                               + "\n\n" + items))
    return blocks


def _rubric_file(rubric: Rubric) -> str:
    """Where the rubric lives, as a reader can find it: the copy shipped with evalkit, or its
    file name."""
    if rubric.path.parent == BUNDLED_RUBRICS:
        return f"evalkit/iid/rubrics/{rubric.path.name}"
    return rubric.path.name
