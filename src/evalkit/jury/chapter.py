"""Chapter: the lomba inovasi — winners, ranking with rank intervals, agreement, jurors.

Reads the jury artifacts written by notebook 04_jury. Jurors appear by code only.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from evalkit.artifacts import has_table, read_table
from evalkit.issues import InputError
from evalkit.jury.rubric import JuryRubric, Stage, load_rubric, text
from evalkit.report.blocks import Block, Markdown, ReportContext, Table, long_table, save_figure
from evalkit.report.dates import long_date_time
from evalkit.report.markup import MarkdownText, escape_markdown

PALETTE = ("#1f5f8b", "#9cc3e0", "#d98c2b", "#c0392b")
TOP_FIGURE = 15
LONG_TOP, LONG_BOTTOM = 15, 5  # rows a long ranking shows: the top and the bottom
HEATMAP_ENTRIES = 60  # above this many entries the heatmap's columns show ranks, not ids


def short_title(title: str) -> str:
    """'ARTIS (Antar Jemput ...)' -> 'ARTIS': acronyms carry the name in charts."""
    head = str(title).split(" (")[0].strip()
    return head if len(head) <= 38 else head[:36] + "…"


def _rubric(ctx: ReportContext) -> JuryRubric | None:
    from evalkit.jury.workflow import rubric_path

    try:
        return load_rubric(rubric_path(ctx.params))
    except InputError:
        return None


def build(ctx: ReportContext) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    blocks: list[Block] = [Markdown(f"# {t('jury.chapter.heading')}")]
    rubric = _rubric(ctx)
    if rubric is None or not has_table(out, "jury_ranking"):
        return [*blocks, Markdown(t("jury.chapter.no_scores"))]
    ranking = read_table(out, "jury_ranking")
    summary = read_table(out, "jury_summary").iloc[0]
    if ranking["rank"].notna().sum() == 0:
        return [*blocks, Markdown(t("jury.chapter.no_scores"))]
    blocks.append(Markdown(_intro(ctx, rubric, ranking, summary)))
    blocks += _winners(ctx, ranking, summary)
    blocks += _rounds(ctx, rubric, ranking)
    blocks += _leaderboard(ctx, ranking, summary)
    blocks += _sanggah(ctx, rubric, ranking, summary)
    blocks += _agreement(ctx, rubric)
    blocks += _jurors(ctx, summary)
    blocks += _heatmap(ctx, ranking)
    blocks += _recusals(ctx, ranking)
    return blocks


def _names(rubric: JuryRubric, lang: str) -> dict[str, str]:
    return {c.id: text(c.name, lang) for s in rubric.stages for c in s.criteria}


def _intro(ctx: ReportContext, rubric: JuryRubric, ranking: pd.DataFrame,
           summary: pd.Series) -> str:
    t, lang = ctx.t, ctx.t.lang
    names = _names(rubric, lang)
    criteria = [c for s in rubric.stages for c in s.criteria]
    ties = [names[k.criterion] if k.criterion else text(rubric.stage(k.stage).name, lang)
            for k in rubric.tie_break]
    method = t(f"jury.methods.{summary['method']}",
               trim=t.percent(ctx.params.jury.trim, 0))
    intro = t("jury.chapter.intro", entries=int(ranking["rank"].notna().sum()),
              jurors=int(summary["jurors"]), criteria=len(criteria),
              criteria_list=", ".join(names[c.id] for c in criteria),
              min=f"{rubric.scale_min:g}", max=f"{rubric.scale_max:g}", method=method,
              tie_break=", ".join(ties) or "-")
    if int(summary["jurors_from_store"]):
        intro += " " + t("jury.chapter.store_note", n=int(summary["jurors_from_store"]),
                         when=_moment(ctx, summary["store_last"]))
    return intro + " " + t("jury.chapter.jurors_by_code")


def _interval(ctx: ReportContext, low: float, high: float) -> str:
    if pd.isna(low):
        return ""
    if low == high:
        return f"{low:.0f}"
    return ctx.t("jury.chapter.interval_fmt", low=f"{low:.0f}", high=f"{high:.0f}")


def _winners(ctx: ReportContext, ranking: pd.DataFrame, summary: pd.Series) -> list[Block]:
    t = ctx.t
    top = ranking[ranking["rank"] <= int(summary["top_k"])]
    lines = [t("jury.chapter.winner_line", rank=int(r.rank), title=r.title, unit=r.unit_name,
               score=t.number(r.score, 2), interval=_interval(ctx, r.rank_low, r.rank_high))
             for r in top.itertuples(index=False)]
    titles = ranking.set_index("innovation_id")["title"].map(short_title)
    rivals = [titles.get(c, c) for c in str(summary["contenders"]).split(";") if c
              and c != summary["winner"]]
    level = str(summary["verdict"])
    verdict = t(f"jury.verdict.{level}", winner=MarkdownText(
                    f"**{escape_markdown(titles.get(summary['winner'], ''))}**"),
                p=t.percent(float(summary["p_first"]), 0),
                spread=t.percent(float(summary["weight_spread"]), 0),
                rivals=", ".join(rivals) or "-")
    return [Markdown(f"## {t('jury.chapter.winners_heading')}"), Markdown("\n".join(lines)),
            Markdown(verdict)]


def _leaderboard(ctx: ReportContext, ranking: pd.DataFrame,
                 summary: pd.Series) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    ranked = ranking[ranking["rank"].notna()]
    blocks: list[Block] = [
        Markdown(f"## {t('jury.chapter.leaderboard_heading')}"),
        Markdown(t("jury.chapter.leaderboard_intro", n=f"{int(summary['resamples']):,}".replace(
            ",", "." if t.lang == "id" else ","),
            spread=t.percent(float(summary["weight_spread"]), 0), k=int(summary["top_k"])))]
    top = ranked.head(TOP_FIGURE)
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(top) + 1.2))
    y = np.arange(len(top))
    ax.hlines(y, top["rank_low"], top["rank_high"], color=PALETTE[1], linewidth=6)
    ax.plot(top["rank"].astype(float), y, "o", color=PALETTE[0])
    ax.set_yticks(y, [short_title(s) for s in top["title"]])
    ax.invert_yaxis()
    ax.set_xlabel(t("jury.chapter.col_rank"))
    ax.set_xlim(0.5, max(float(top["rank_high"].max()), float(len(top))) + 0.5)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    blocks.append(save_figure(fig, out, "jury-leaderboard",
                              t("jury.chapter.fig_leaderboard", year=ctx.params.year)))
    columns = {
        t("jury.chapter.col_rank"): ranked["rank"].astype(int).astype(str),
        t("jury.chapter.col_title"): [short_title(s) for s in ranked["title"]],
        t("jury.chapter.col_unit"): ranked["unit_name"],
        t("jury.chapter.col_score"): [t.number(s, 2) for s in ranked["score"]],
        t("jury.chapter.col_interval"): [_interval(ctx, lo, hi) for lo, hi in
                                         zip(ranked["rank_low"], ranked["rank_high"],
                                             strict=True)],
        t("jury.chapter.col_ptop", k=int(summary["top_k"])): [t.percent(p, 0)
                                                              for p in ranked["p_top"]],
        t("jury.chapter.col_jurors"): ranked["n_jurors"].astype(int).astype(str),
    }
    if "round" in ranked and ranked["round"].nunique() > 1:
        rubric = _rubric(ctx)
        names = {st.id: text(st.name, t.lang) for st in rubric.stages} if rubric else {}
        columns[t("jury.chapter.col_round")] = [names.get(r, r) for r in ranked["round"]]
    if "provisional_rank" in ranked and ranked["provisional_rank"].notna().any():
        columns[t("jury.chapter.col_provisional")] = [
            "" if pd.isna(v) else str(int(v)) for v in ranked["provisional_rank"]]
    if (ranked["tie_break"] != "").any():
        columns[t("jury.chapter.col_tie")] = [
            t("jury.chapter.tie_shared") if v == "shared" else v for v in ranked["tie_break"]]
    caption = t("jury.chapter.tbl_leaderboard", year=ctx.params.year)
    blocks += long_table(ctx, pd.DataFrame(columns), caption, "jury-leaderboard", caption,
                         top=LONG_TOP, bottom=LONG_BOTTOM)
    return blocks


def _share(ctx: ReportContext, weight: float, total: float) -> str:
    return ctx.t.percent(weight / total, 0)


def _rounds(ctx: ReportContext, rubric: JuryRubric, ranking: pd.DataFrame) -> list[Block]:
    """Each round's result and how the final ranking combines them."""
    t, lang = ctx.t, ctx.t.lang
    if not rubric.multi_stage or not has_table(ctx.out_dir, "jury_rounds"):
        return []
    rounds = read_table(ctx.out_dir, "jury_rounds")
    total = sum(st.weight for st in rubric.stages)
    weights = ", ".join(f"{text(st.name, lang)} {_share(ctx, st.weight, total)}"
                        for st in rubric.stages)
    shortlists = any(st.shortlist is not None for st in rubric.stages)
    blocks: list[Block] = [Markdown(f"## {t('jury.chapter.rounds_heading')}"),
                           Markdown(t("jury.chapter.rounds_intro", n=len(rubric.stages),
                                      weights=weights) + " " + (
                               t("jury.chapter.final_formula") if shortlists
                               else t("jury.chapter.final_all")))]
    info = ranking.set_index("innovation_id")
    for index, stage in enumerate(rubric.stages):
        part = rounds[rounds["stage"] == stage.id]
        name = text(stage.name, lang)
        weight = _share(ctx, stage.weight, total)
        if part.empty or not bool(part["open"].iloc[0]):
            missing = int(rounds[rounds["stage_index"] == index - 1]["missing"].max()
                          if index else 0)
            blocks.append(Markdown(t("jury.chapter.round_not_open", stage=name, weight=weight,
                                     missing=missing)))
            continue
        line = t("jury.chapter.round_line", stage=name, weight=weight, n=len(part))
        advanced = int(part["advanced"].sum())
        if index < len(rubric.stages) - 1 and stage.shortlist is not None:
            line += " " + t("jury.chapter.round_advanced", rule=_rule(ctx, stage), n=advanced,
                            next=text(rubric.stages[index + 1].name, lang))
        if not bool(part["complete"].iloc[0]):
            line += " " + t("jury.chapter.round_incomplete", missing=int(part["missing"].iloc[0]))
        blocks.append(Markdown(line))
        part = part.sort_values(["position", "innovation_id"], na_position="last")
        frame = pd.DataFrame({
            t("jury.chapter.col_position"): ["" if pd.isna(p) else str(int(p))
                                             for p in part["position"]],
            t("jury.chapter.col_title"): [short_title(info["title"].get(e, e))
                                          for e in part["innovation_id"]],
            t("jury.chapter.col_unit"): [info["unit_name"].get(e, "") for e in
                                         part["innovation_id"]],
            t("jury.chapter.col_score"): ["–" if pd.isna(v) else t.number(v, 2)
                                          for v in part["score"]],
        })
        if index < len(rubric.stages) - 1 and stage.shortlist is not None:
            frame[t("jury.chapter.col_advanced")] = [t("jury.chapter.advanced_yes") if a else ""
                                                     for a in part["advanced"]]
        caption = t("jury.chapter.tbl_round", stage=name, year=ctx.params.year)
        blocks += long_table(ctx, frame, caption, _slug(f"jury-round-{stage.id}"), caption,
                             top=LONG_TOP, bottom=LONG_BOTTOM)
    return blocks


def _rule(ctx: ReportContext, stage: Stage) -> str:
    t, rule = ctx.t, stage.shortlist
    parts = []
    if rule is not None and rule.top is not None:
        parts.append(t("jury.rounds.rule_top", n=rule.top))
    if rule is not None and rule.min_score is not None:
        parts.append(t("jury.rounds.rule_min", score=t.number(rule.min_score, 1)))
    return t("jury.rounds.rule_and").join(parts)


def _date(ctx: ReportContext, value: str) -> str:
    if not value or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    months = ctx.t("jury.profile.months").split(",")
    return f"{stamp.day} {months[stamp.month - 1].strip()} {stamp.year}"


def _moment(ctx: ReportContext, value: object) -> str:
    """A stored time (UTC, ISO) as the region reads it: "1 Desember 2026, 09.30 WIB"."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        stamp = pd.Timestamp(value)
    except ValueError:
        return value
    moment = (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()
    return long_date_time(moment, ctx.params.report.timezone, ctx.t.lang)


def _sanggah(ctx: ReportContext, rubric: JuryRubric, ranking: pd.DataFrame,
             summary: pd.Series) -> list[Block]:
    """The masa sanggah: when the provisional ranking was published, every objection and its
    decision, every score a decision changed, and how the ranking moved."""
    t = ctx.t
    blocks: list[Block] = [Markdown(f"## {t('jury.chapter.sanggah_heading')}")]
    published = str(summary.get("published_on", "") or "")
    if not published or published == "nan":
        return [*blocks, Markdown(t("jury.chapter.sanggah_none"))]
    objections = (read_table(ctx.out_dir, "jury_objections")
                  if has_table(ctx.out_dir, "jury_objections") else pd.DataFrame())
    changes = (read_table(ctx.out_dir, "jury_changes")
               if has_table(ctx.out_dir, "jury_changes") else pd.DataFrame())
    blocks.append(Markdown(t("jury.chapter.sanggah_intro", published=_date(ctx, published),
                             until=_date(ctx, str(summary["objections_until"])),
                             n=len(objections))))
    info = ranking.set_index("innovation_id")
    if objections.empty:
        blocks.append(Markdown(t("jury.chapter.sanggah_no_objections")))
    else:
        frame = pd.DataFrame({
            t("jury.chapter.col_objection"): objections["number"].astype(int).astype(str),
            t("jury.chapter.col_title"): [short_title(info["title"].get(e, e))
                                          for e in objections["innovation_id"]],
            t("jury.chapter.col_filed"): [_date(ctx, d) for d in objections["filed_on"]],
            t("jury.chapter.col_objection_reason"): objections["reason"],
            t("jury.chapter.col_decision"): [t(f"jury.chapter.decisions.{d}")
                                             for d in objections["decision"]],
            t("jury.chapter.col_decision_reason"): objections["decision_reason"],
            t("jury.chapter.col_changes"): objections["n_changes"].astype(int).astype(str),
        })
        blocks += long_table(ctx, frame, t("jury.chapter.tbl_objections"), "jury-objections",
                             t("jury.chapter.tbl_objections"))
    if not changes.empty:
        names = {(st.id, c.id): text(c.name, t.lang) for st in rubric.stages
                 for c in st.criteria}
        stages = {st.id: text(st.name, t.lang) for st in rubric.stages}
        frame = pd.DataFrame({
            t("jury.chapter.col_objection"): changes["objection"].astype(int).astype(str),
            t("jury.chapter.col_juror"): changes["juror_code"],
            t("jury.chapter.col_title"): [short_title(info["title"].get(e, e))
                                          for e in changes["innovation_id"]],
            t("jury.chapter.col_criterion"): [names.get((s, c), c) for s, c in
                                              zip(changes["stage"], changes["criterion"],
                                                  strict=True)],
            t("jury.chapter.col_old"): ["–" if pd.isna(v) else t.number(v, 1)
                                        for v in changes["old"]],
            t("jury.chapter.col_new"): ["–" if pd.isna(v) else t.number(v, 1)
                                        for v in changes["new"]],
        })
        if rubric.multi_stage:
            frame.insert(3, t("jury.chapter.col_stage"),
                         [stages.get(s, s) for s in changes["stage"]])
        blocks += long_table(ctx, frame, t("jury.chapter.tbl_changes"), "jury-changes",
                             t("jury.chapter.tbl_changes"))
    moved = ranking[ranking["provisional_rank"].notna() & ranking["rank"].notna()
                    & (ranking["provisional_rank"] != ranking["rank"])]
    if moved.empty:
        blocks.append(Markdown(t("jury.chapter.rank_unchanged")))
    else:
        items = [t("jury.chapter.rank_change_item", title=short_title(r.title),
                   old=int(r.provisional_rank), new=int(r.rank))
                 for r in moved.itertuples(index=False)]
        blocks.append(Markdown(t("jury.chapter.rank_changes", changes="; ".join(items))))
    return blocks


def _agreement(ctx: ReportContext, rubric: JuryRubric) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    table = read_table(out, "jury_agreement")
    names = _names(rubric, t.lang)
    blocks: list[Block] = [Markdown(f"## {t('jury.chapter.agreement_heading')}")]
    for stage_id, part in table.groupby("stage", sort=False):
        stage_name = escape_markdown(text(rubric.stage(stage_id).name, t.lang))
        heading = f"**{stage_name}.** " if rubric.multi_stage else ""
        alpha = part[(part["scope"] == "total") & (part["measure"] == "alpha")].iloc[0]
        z = part[(part["scope"] == "total_z") & (part["measure"] == "alpha")]
        lines = [heading + t("jury.chapter.alpha_text", alpha=t.number(alpha["value"], 3),
                             reading=t(f"jury.readings.{alpha['reading']}"))]
        if not z.empty and not np.isnan(z.iloc[0]["value"]):
            lines.append(t("jury.chapter.alpha_z_text", alpha=t.number(z.iloc[0]["value"], 3),
                           reading=t(f"jury.readings.{z.iloc[0]['reading']}")))
        icc = part[part["measure"] == "icc2k"]
        if icc.empty:
            lines.append(t("jury.chapter.icc_missing"))
        else:
            row = icc.iloc[0]
            lines.append(t("jury.chapter.icc_text", icc=t.number(row["value"], 3),
                           low=t.number(row["ci_low"], 3), high=t.number(row["ci_high"], 3),
                           reading=t(f"jury.readings.{row['reading']}")))
        blocks.append(Markdown(" ".join(lines)))
    rows = table[table["measure"] == "alpha"]
    scope_names = {"total": t("jury.chapter.scope_total"),
                   "total_z": t("jury.chapter.scope_total_z"), **names}
    frame = pd.DataFrame({
        t("jury.chapter.col_scope"): [scope_names.get(s, s) for s in rows["scope"]],
        t("jury.chapter.col_value"): [t.number(v, 3) if not np.isnan(v) else "–"
                                      for v in rows["value"]],
        t("jury.chapter.col_reading"): [t(f"jury.readings.{r}") for r in rows["reading"]],
        t("jury.chapter.col_n"): rows["n_entries"].astype(str),
    })
    if rubric.multi_stage:
        frame.insert(0, "", [text(rubric.stage(s).name, t.lang) for s in rows["stage"]])
    blocks.append(Table(frame, t("jury.chapter.tbl_agreement"), "jury-agreement"))
    return blocks


def _jurors(ctx: ReportContext, summary: pd.Series) -> list[Block]:
    t, out, settings = ctx.t, ctx.out_dir, ctx.params.jury
    lean = read_table(out, "jury_leniency")
    note = t("jury.chapter.zscore_note") if summary["method"] == "zscore" else t(
        "jury.chapter.raw_note")
    blocks: list[Block] = [
        Markdown(f"## {t('jury.chapter.leniency_heading')}"),
        Markdown(t("jury.chapter.leniency_intro", limit=t.number(settings.leniency_limit, 0),
                   min_r=t.number(settings.min_consensus_r, 1), method_note=note))]
    if not bool(summary["connected"]):
        blocks.append(Markdown(t("jury.chapter.connected_no")))
    flagged = sorted(set(lean.loc[lean["outlier"], "juror_code"]))
    blocks.append(Markdown(t("jury.chapter.flagged", jurors=", ".join(flagged)) if flagged
                           else t("jury.chapter.none_flagged")))
    per = lean.groupby("juror_code", sort=True)["leniency"].mean()
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(per) + 1.2))
    colors = [PALETTE[3] if c in flagged else (PALETTE[2] if v > 0 else PALETTE[0])
              for c, v in per.items()]
    ax.barh(per.index, per.values, color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    for edge in (-settings.leniency_limit, settings.leniency_limit):
        ax.axvline(edge, color=PALETTE[3], linewidth=0.8, linestyle="--")
    ax.invert_yaxis()
    ax.set_xlabel(t("jury.chapter.col_leniency"))
    ax.spines[["top", "right"]].set_visible(False)
    blocks.append(save_figure(fig, out, "jury-leniency", t("jury.chapter.fig_leniency")))
    frame = pd.DataFrame({
        t("jury.chapter.col_juror"): lean["juror_code"],
        t("jury.chapter.col_entries"): lean["n_entries"].astype(str),
        t("jury.chapter.col_leniency"): [("+" if v > 0 else "") + t.number(v, 1)
                                         for v in lean["leniency"]],
        t("jury.chapter.col_r"): ["–" if np.isnan(r) else t.number(r, 2)
                                  for r in lean["consensus_r"]],
        t("jury.chapter.col_flag"): ["⚑" if o else "" for o in lean["outlier"]],
    })
    blocks.append(Table(frame, t("jury.chapter.tbl_leniency"), "jury-leniency"))
    return blocks


def _heatmap(ctx: ReportContext, ranking: pd.DataFrame) -> list[Block]:
    t, out = ctx.t, ctx.out_dir
    matrix = read_table(out, "jury_matrix")
    order = ranking["innovation_id"].tolist()
    blocks: list[Block] = [Markdown(f"## {t('jury.chapter.heatmap_heading')}")]
    for stage_id, part in matrix.groupby("stage", sort=False):
        grid = part.pivot(index="juror_code", columns="innovation_id", values="total")
        grid = grid.reindex(columns=[e for e in order if e in grid.columns]).sort_index()
        fig, ax = plt.subplots(figsize=(min(0.28 * grid.shape[1] + 2, 10),
                                        0.4 * grid.shape[0] + 1.8))
        cmap = plt.get_cmap("viridis").with_extremes(bad="#dddddd")
        image = ax.imshow(np.ma.masked_invalid(grid.to_numpy(dtype=float)), aspect="auto",
                          cmap=cmap)
        ax.set_yticks(range(grid.shape[0]), grid.index)
        if grid.shape[1] <= HEATMAP_ENTRIES:
            ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=90, fontsize=7)
        else:  # a label per entry costs seconds per hundred to draw and cannot be read: ranks
            ranks = np.unique(np.linspace(0, grid.shape[1] - 1, 9).round().astype(int))
            ax.set_xticks(ranks, [str(r + 1) for r in ranks], fontsize=7)
        fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
        name = "jury-heatmap" if matrix["stage"].nunique() == 1 else f"jury-heatmap-{stage_id}"
        blocks.append(save_figure(fig, out, name, t("jury.chapter.fig_heatmap")))
    return blocks


def _recusals(ctx: ReportContext, ranking: pd.DataFrame) -> list[Block]:
    t = ctx.t
    recusals = read_table(ctx.out_dir, "jury_recusals")
    blocks: list[Block] = [Markdown(f"## {t('jury.chapter.recusals_heading')}")]
    if recusals.empty:
        return [*blocks, Markdown(t("jury.chapter.recusals_none"))]
    info = ranking.set_index("innovation_id")
    reasons = [t("jury.reasons.own_unit", unit=info["unit_name"].get(e, r))
               if code == "own_unit" else t("jury.reasons.declared", reason=r)
               for e, code, r in zip(recusals["innovation_id"], recusals["reason_code"],
                                     recusals["reason"], strict=True)]
    frame = pd.DataFrame({
        t("jury.chapter.col_juror"): recusals["juror_code"],
        t("jury.chapter.col_title"): [info["title"].get(e, e) for e in recusals["innovation_id"]],
        t("jury.chapter.col_reason"): reasons,
    })
    return [*blocks, Markdown(t("jury.chapter.recusals_intro", n=len(recusals))),
            *long_table(ctx, frame, t("jury.chapter.tbl_recusals"), "jury-recusals",
                        t("jury.chapter.tbl_recusals"))]


def _slug(text: str) -> str:
    """An attachment name from a stage id: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
