"""Chapter: the one-page summary a head of region reads first.

The index and its predicate with the change from last year and the last published rank; how
many work units took part; the competition's winners and how clear the win is; the three
actions that raise the index most; how many data-quality notes there are. Plain words, each
item linking to its chapter; what the data does not tell is said (a lower-bound index, no
jury data), never filled in.

Reads other domains' artifacts by name (``iid_summary``, ``iid_gaps``, ``jury_ranking``, ...),
never their code, so it lives here beside the other overview chapters.
"""

from __future__ import annotations

import pandas as pd

from evalkit.artifacts import has_table, read_table
from evalkit.report.blocks import Block, Markdown, ReportContext
from evalkit.report.markup import MarkdownText

WINNERS = 3
ACTIONS = 3
NATIONAL = "nasional"


def _read(ctx: ReportContext, name: str) -> pd.DataFrame | None:
    return read_table(ctx.out_dir, name) if has_table(ctx.out_dir, name) else None


def _link(ctx: ReportContext, chapter: str) -> str:
    """" → chapter" when that chapter is in the report, else nothing."""
    if chapter not in ctx.params.report.chapters:
        return ""
    return " " + ctx.t("core.summary.see", chapter=chapter)


def _true(value: object) -> bool:
    return bool(value) if value is not None and not pd.isna(value) else False


def build(ctx: ReportContext) -> list[Block]:
    t = ctx.t
    items = [_index(ctx), _participation(ctx), _winners(ctx), _actions(ctx), _quality(ctx)]
    lines = [f"- {item}" for item in items if item]
    text = (f"::: {{#summary .summary}}\n# {t('core.summary.heading')} {{#sec-summary}}\n\n"
            + t("core.summary.lead", region=ctx.params.region_name or ctx.params.region,
                year=ctx.params.year)
            + "\n\n" + "\n".join(lines) + "\n:::\n\n::: {#summary-end}\n:::")
    return [Markdown(text)]


def _predicate(ctx: ReportContext, key: object, label: object) -> str:
    name = f"core.summary.predicates.{key}"
    return ctx.t(name) if ctx.t.has(name) else str(label)


def _published(history: pd.DataFrame | None, year: int) -> tuple[pd.Series | None, str]:
    """Last year's published score row (or None) and the latest published national rank."""
    if history is None or history.empty:
        return None, ""
    earlier = history[history["year"] < year]
    scored = earlier[earlier["score"].notna()].sort_values("year")
    last = scored.iloc[-1] if len(scored) else None
    national = earlier[earlier["scope"].astype("str").str.contains(NATIONAL, case=False)
                       & earlier["rank"].notna()].sort_values("year")
    rank = ""
    if len(national):
        row = national.iloc[-1]
        out_of = "" if pd.isna(row["rank_out_of"]) else int(row["rank_out_of"])
        rank = f"{int(row['year'])}|{int(row['rank'])}|{out_of}"
    return last, rank


def _index(ctx: ReportContext) -> str:
    t = ctx.t
    link = _link(ctx, "iid")
    summary = _read(ctx, "iid_summary")
    if summary is None or summary.empty:
        return t("core.summary.index_none") + link if "iid" in ctx.params.report.chapters else ""
    s = summary.iloc[0]
    year = int(s["year"])
    if not _true(s.get("computable", True)):
        return t("core.summary.index_unknown", year=year) + link
    value = float(s["iid_rounded"])
    predicate = _predicate(ctx, s["predicate_key"], s["predicate"])
    lower = _true(s.get("lower_bound", False))
    text = t("core.summary.index_lower" if lower else "core.summary.index", year=year,
             iid=t.number(value), predicate=predicate)
    last, rank = _published(_read(ctx, "history"), year)
    if last is not None:
        delta = value - float(last["score"])
        direction = ("up" if delta > 0.005 else "down" if delta < -0.005 else "same")
        key = f"core.summary.change_{direction}_lower" if lower and direction == "down" else (
            f"core.summary.change_{direction}")
        text += " " + t(key, delta=t.number(abs(delta)), last=t.number(float(last["score"])),
                        last_year=int(last["year"]))
    if rank:
        rank_year, position, out_of = rank.split("|")
        key = "core.summary.rank_of" if out_of else "core.summary.rank"
        text += " " + t(key, year=int(rank_year), rank=int(position),
                        out_of=int(out_of) if out_of else 0)
    else:
        text += " " + t("core.summary.rank_none")
    return text + link


def _participation(ctx: ReportContext) -> str:
    t = ctx.t
    summary = _read(ctx, "participation_summary")
    if summary is None or summary.empty:
        return ""
    s = summary.iloc[0]
    link = _link(ctx, "participation")
    if not _true(s.get("measured", True)):
        return t("core.summary.participation_unmeasured", with_innovation=int(
            s["units_with_innovation"]), innovations=int(s["innovations"])) + link
    return t("core.summary.participation", with_innovation=int(s["units_with_innovation"]),
             units=int(s["units"]), share=t.percent(float(s["share"])),
             innovations=int(s["innovations"])) + link


def _winners(ctx: ReportContext) -> str:
    t = ctx.t
    if "jury" not in ctx.params.report.chapters:
        return ""
    ranking, summary = _read(ctx, "jury_ranking"), _read(ctx, "jury_summary")
    link = _link(ctx, "jury")
    if ranking is None or summary is None or summary.empty or ranking["rank"].notna().sum() == 0:
        return t("core.summary.jury_none")
    s = summary.iloc[0]
    top = ranking[ranking["rank"].notna()].sort_values("rank", kind="stable").head(WINNERS)
    names = [t("core.summary.winner", rank=int(r.rank), title=r.title, unit=r.unit_name)
             for r in top.itertuples(index=False)]
    verdict = str(s.get("verdict", ""))
    key = f"core.summary.verdict_{verdict}"
    clarity = t(key, p=t.percent(float(s["p_first"]), 0)) if t.has(key) and pd.notna(
        s.get("p_first")) else ""
    # each name is evalkit's Markdown already (its fields escaped): not escaped again
    return t("core.summary.winners", names=MarkdownText("; ".join(names))) + (
        " " + clarity if clarity else "") + link


def _actions(ctx: ReportContext) -> str:
    t = ctx.t
    summary, gaps = _read(ctx, "iid_summary"), _read(ctx, "iid_gaps")
    if summary is None or gaps is None or summary.empty or not _true(
            summary.iloc[0].get("computable", True)):
        return ""
    top = gaps[gaps["iid_lost"].fillna(0) > 1e-9].sort_values(
        "iid_lost", ascending=False, kind="stable").head(ACTIONS)
    if top.empty:
        return ""
    actions = []
    for row in top.itertuples(index=False):
        gain = t.number(float(row.iid_lost))
        name = row.name_en if t.lang == "en" and isinstance(row.name_en, str) and row.name_en \
            else row.name
        below = row.innovations_below_max
        if row.kind == "innovation_count":
            actions.append(t("core.summary.action_count", gain=gain))
        elif row.kind == "sid" and isinstance(name, str) and name and pd.notna(below):
            actions.append(t("core.summary.action_sid", name=name, n=int(below), gain=gain))
        elif row.kind == "spd" and isinstance(name, str) and name:
            actions.append(t("core.summary.action_spd", name=name, gain=gain))
        elif row.kind in ("empty_seats", "reported_maturity"):
            actions.append(t(f"core.summary.action_{row.kind}", gain=gain))
        else:  # a source without a name (the region's SPD total, say)
            actions.append(t("core.summary.action_other", gain=gain))
    lower = _true(summary.iloc[0].get("lower_bound", False))
    intro = t("core.summary.actions_lower" if lower else "core.summary.actions")
    return intro + " " + "; ".join(f"({i}) {a}" for i, a in enumerate(actions, 1)) + "." + \
        _link(ctx, "iid")


def _quality(ctx: ReportContext) -> str:
    t = ctx.t
    quality = _read(ctx, "data_quality")
    if quality is None:
        return ""
    errors = int((quality["severity"] == "error").sum())
    warnings = int((quality["severity"] == "warning").sum())
    kinds = quality.groupby(["severity", "code"]).ngroups if len(quality) else 0
    key = "core.summary.quality_none" if not len(quality) else "core.summary.quality"
    return t(key, n=len(quality), errors=errors, warnings=warnings, kinds=kinds) + _link(
        ctx, "quality")
