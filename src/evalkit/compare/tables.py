"""The comparison's tables, built from the member regions' yearly artifacts only.

Each member's report folder holds the tables its yearly run wrote (``artifacts/*.parquet``);
nothing here reads a region's raw data again. A member whose report or a table of it is
missing is kept, with what is missing said, and its values stay unknown (never zero).

Ranks are on unrounded scores, best first; ties go to the region name (then its id), a
declared rule so the same inputs always give the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.artifacts import artifact_path, has_table, read_table
from evalkit.compare.spec import CompareSpec, Member
from evalkit.inputs.read import read_csv, read_xlsx
from evalkit.inputs.schema import TABLES as INPUT_TABLES
from evalkit.inputs.validate import to_frame
from evalkit.issues import InputError, Issue

# What a member's yearly run must have written for each part of the comparison.
NEEDED = ("iid_summary", "participation_units", "themes_assigned", "iid_innovations", "history")
CHANGE_TABLES = ("iid_summary", "iid_region", "iid_points", "iid_innovations")
ARTIFACTS = ("compare_members", "compare_regions", "compare_themes", "compare_strongest",
             "compare_improvement", "compare_moves", "compare_history", "compare_inputs")
COMPONENTS = ("spd", "sid_indicators", "innovation_count_score")  # total = their sum
NATIONAL = "nasional"


@dataclass
class MemberTables:
    """The artifacts read from one member's report (and last year's), by name."""

    member: Member
    current: dict[str, pd.DataFrame] = field(default_factory=dict)
    previous: dict[str, pd.DataFrame] = field(default_factory=dict)
    read: list[Path] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [name for name in NEEDED if name not in self.current]


@dataclass(frozen=True, eq=False)
class Comparison:
    """Every table of the comparison report (see ``ARTIFACTS``)."""

    members: pd.DataFrame
    regions: pd.DataFrame
    themes: pd.DataFrame
    strongest: pd.DataFrame
    improvement: pd.DataFrame
    moves: pd.DataFrame
    history: pd.DataFrame
    inputs: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f"compare_{name}": getattr(self, name) for name in
                ("members", "regions", "themes", "strongest", "improvement", "moves",
                 "history", "inputs")}


def read_member(member: Member) -> MemberTables:
    """Read the artifacts the comparison uses from a member's report folders."""
    found = MemberTables(member)
    for name in {*NEEDED, *CHANGE_TABLES}:
        if has_table(member.report_dir, name):
            found.current[name] = read_table(member.report_dir, name)
            found.read.append(artifact_path(member.report_dir, name))
    previous = member.previous_dir
    if previous is not None and has_table(previous, "iid_summary"):
        for name in CHANGE_TABLES:
            if has_table(previous, name):
                found.previous[name] = read_table(previous, name)
                found.read.append(artifact_path(previous, name))
    manifest = member.report_dir / "manifest.json"
    if manifest.is_file():
        found.read.append(manifest)
    return found


def read_history(path: Path | None) -> pd.DataFrame:
    """The group's own published results (a ``history`` table, CSV or XLSX)."""
    table = INPUT_TABLES["history"]
    if path is None:
        return pd.DataFrame({c.name: pd.Series(dtype="object") for c in table.columns})
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raws, issues = read_xlsx(path, str(path))
        raw = raws[0] if raws else None
    else:
        raw, issues = read_csv(path, str(path))
    if raw is None:
        raise InputError(issues or [Issue("error", "no table found", file=str(path))])
    frame, problems = to_frame(raw, table)
    errors = [i for i in [*issues, *problems] if i.severity == "error"]
    if errors:
        raise InputError(errors)
    return frame[[c.name for c in table.columns]].sort_values(["year", "scope"]).reset_index(
        drop=True)


def collect(spec: CompareSpec) -> Comparison:
    """Build every comparison table from the members' artifacts."""
    members = [read_member(m) for m in spec.members]
    regions = regions_table(members)
    history = read_history(spec.history)
    read = sorted({p for m in members for p in m.read})
    if spec.history is not None:
        read.append(Path(spec.history))
    return Comparison(
        members=members_table(members),
        regions=regions,
        themes=themes_table(members, spec.year),
        strongest=strongest_table(members, spec.year, keep=max(50, 5 * spec.top)),
        improvement=improvement_table(members),
        moves=moves_table(members),
        history=history,
        inputs=pd.DataFrame({"path": pd.array([str(p) for p in read], dtype="str")}),
    )


def members_table(members: list[MemberTables]) -> pd.DataFrame:
    rows = []
    for found in members:
        m = found.member
        missing = found.missing
        rows.append({
            "region": m.region, "region_name": m.region_name, "kind": m.kind,
            "province": m.province, "year": m.year, "report_dir": str(m.report_dir),
            "status": "missing" if not found.current else ("partial" if missing else "ok"),
            "missing": ", ".join(missing), "previous_year": bool(found.previous),
        })
    return pd.DataFrame(rows, columns=["region", "region_name", "kind", "province", "year",
                                       "report_dir", "status", "missing", "previous_year"])


def _summary(tables: dict[str, pd.DataFrame]) -> pd.Series | None:
    frame = tables.get("iid_summary")
    return None if frame is None or frame.empty else frame.iloc[0]


def _published(history: pd.DataFrame | None, year: int) -> dict[str, object]:
    """The latest published result before ``year``: score, predicate and (national) rank."""
    empty = {"published_year": pd.NA, "published_score": np.nan, "published_predicate": "",
             "published_rank": pd.NA, "published_rank_out_of": pd.NA, "published_scope": ""}
    if history is None or history.empty:
        return empty
    known = history[(history["year"] < year) & (history["score"].notna()
                                                | history["predicate"].notna()
                                                | history["rank"].notna())]
    if known.empty:
        return empty
    latest = known[known["year"] == known["year"].max()]
    national = latest[latest["scope"].astype(str).str.contains(NATIONAL)]
    ranked = (national if national["rank"].notna().any() else latest)
    ranked = ranked[ranked["rank"].notna()]
    scores = latest["score"].dropna()
    predicates = latest["predicate"].dropna()
    return {
        "published_year": int(latest["year"].iloc[0]),
        "published_score": float(scores.iloc[0]) if len(scores) else np.nan,
        "published_predicate": str(predicates.iloc[0]) if len(predicates) else "",
        "published_rank": int(ranked["rank"].iloc[0]) if len(ranked) else pd.NA,
        "published_rank_out_of": (int(ranked["rank_out_of"].iloc[0]) if len(ranked)
                                  and pd.notna(ranked["rank_out_of"].iloc[0]) else pd.NA),
        "published_scope": str(ranked["scope"].iloc[0]) if len(ranked) else "",
    }


def rank_desc(values: pd.Series, names: pd.Series, ids: pd.Series) -> pd.Series:
    """1 = highest value; ties broken by name, then id; unknown values get no rank."""
    order = pd.DataFrame({"v": values.astype("float64"), "n": names, "i": ids})
    order = order[order["v"].notna()].sort_values(["v", "n", "i"], ascending=[False, True, True],
                                                  kind="mergesort")
    ranks = pd.Series(pd.NA, index=values.index, dtype="Int64")
    ranks.loc[order.index] = np.arange(1, len(order) + 1)
    return ranks


def regions_table(members: list[MemberTables]) -> pd.DataFrame:
    """One row per member: self-assessed IID and its parts, participation, published IID."""
    rows = []
    for found in members:
        m, now = found.member, found.current
        s = _summary(now)
        units = now.get("participation_units")
        previous = _summary(found.previous)
        row: dict[str, object] = {
            "region": m.region, "region_name": m.region_name, "kind": m.kind, "year": m.year}
        for column in ("iid", "iid_rounded", "spd", "sid", *COMPONENTS[1:], "maturity_mean",
                       "iid_claimed"):
            row[column] = float(s[column]) if s is not None and column in s else np.nan
        row["predicate"] = str(s["predicate"]) if s is not None else ""
        row["predicate_key"] = str(s["predicate_key"]) if s is not None else ""
        for column in ("n_submitted", "n_counted"):
            row[column] = int(s[column]) if s is not None else pd.NA
        if units is not None:
            row["units"] = len(units)
            row["units_with_innovation"] = int(units["has_innovation"].sum())
            row["participation_share"] = (row["units_with_innovation"] / len(units)
                                          if len(units) else np.nan)
            row["innovations"] = int(units["innovations"].sum())
        else:
            row.update(units=pd.NA, units_with_innovation=pd.NA, participation_share=np.nan,
                       innovations=pd.NA)
        row.update(_published(now.get("history"), m.year))
        row["previous_iid"] = float(previous["iid"]) if previous is not None else np.nan
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for column in ("n_submitted", "n_counted", "units", "units_with_innovation", "innovations",
                   "published_year", "published_rank", "published_rank_out_of"):
        frame[column] = frame[column].astype("Int64")
    frame["iid_change"] = frame["iid"] - frame["previous_iid"]
    frame.insert(0, "rank", rank_desc(frame["iid"], frame["region_name"], frame["region"]))
    latest = frame["published_year"].max()
    same_year = frame["published_score"].where(frame["published_year"] == latest)
    frame["published_group_rank"] = rank_desc(same_year, frame["region_name"], frame["region"])
    return frame.sort_values(["rank", "region_name"], na_position="last",
                             kind="mergesort").reset_index(drop=True)


def themes_table(members: list[MemberTables], year: int) -> pd.DataFrame:
    """Innovations per theme per member in the comparison year (long form)."""
    parts = []
    for found in members:
        assigned = found.current.get("themes_assigned")
        if assigned is None:
            continue
        current = assigned[assigned["year"] == year]
        counts = current.groupby("theme").size().rename("innovations").reset_index()
        counts.insert(0, "region", found.member.region)
        counts["share"] = counts["innovations"] / max(1, len(current))
        parts.append(counts)
    columns = ["region", "theme", "innovations", "share"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    return out.sort_values(["region", "theme"], kind="mergesort").reset_index(drop=True)


def strongest_table(members: list[MemberTables], year: int, keep: int = 50) -> pd.DataFrame:
    """The counted innovations with the highest maturity across all members."""
    parts = []
    for found in members:
        inno = found.current.get("iid_innovations")
        if inno is None or inno.empty:
            continue
        counted = inno[inno["counted"].astype(bool)]
        frame = counted[["innovation_id", "title", "unit_id", "affair", "maturity"]].copy()
        frame.insert(0, "region", found.member.region)
        frame.insert(1, "region_name", found.member.region_name)
        assigned = found.current.get("themes_assigned")
        if assigned is not None:
            themes = assigned[assigned["year"] == year].set_index("innovation_id")
            frame["theme"] = frame["innovation_id"].map(themes["theme"])
            frame["unit_name"] = frame["innovation_id"].map(themes["unit_name"])
        parts.append(frame)
    columns = ["region", "region_name", "innovation_id", "title", "unit_id", "unit_name",
               "affair", "theme", "maturity"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True).reindex(columns=columns)
    out = out.sort_values(["maturity", "region_name", "innovation_id"],
                          ascending=[False, True, True], kind="mergesort").head(keep)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)


def _index_factor(summary: pd.Series) -> float:
    """Index points per rubric point (IID = total / max total x 100)."""
    total = float(summary["total"])
    return float(summary["iid"]) / total if total else 0.4


def improvement_table(members: list[MemberTables]) -> pd.DataFrame:
    """Change since last year's report, split into the index's three parts (in index points)."""
    rows = []
    for found in members:
        now, before = _summary(found.current), _summary(found.previous)
        if now is None or before is None:
            continue
        row: dict[str, object] = {"region": found.member.region,
                                  "region_name": found.member.region_name,
                                  "iid_previous": float(before["iid"]), "iid": float(now["iid"]),
                                  "iid_change": float(now["iid"]) - float(before["iid"]),
                                  "predicate_previous": str(before["predicate"]),
                                  "predicate": str(now["predicate"]),
                                  "n_counted_change": int(now["n_counted"])
                                  - int(before["n_counted"])}
        for part in COMPONENTS:
            row[f"{part}_change"] = (float(now[part]) * _index_factor(now)
                                     - float(before[part]) * _index_factor(before))
        changes = {part: row[f"{part}_change"] for part in COMPONENTS}
        row["main_part"] = max(changes, key=lambda k: (abs(changes[k]), k))
        moves = indicator_moves(found)
        if not moves.empty:
            up, down = moves.iloc[moves["change"].argmax()], moves.iloc[moves["change"].argmin()]
            row["top_up"] = str(up["indicator"]) if up["change"] > 0 else ""
            row["top_up_change"] = float(up["change"]) if up["change"] > 0 else np.nan
            row["top_down"] = str(down["indicator"]) if down["change"] < 0 else ""
            row["top_down_change"] = float(down["change"]) if down["change"] < 0 else np.nan
        rows.append(row)
    columns = ["region", "region_name", "iid_previous", "iid", "iid_change",
               "predicate_previous", "predicate", "n_counted_change",
               *(f"{p}_change" for p in COMPONENTS), "main_part", "top_up", "top_up_change",
               "top_down", "top_down_change"]
    frame = pd.DataFrame(rows).reindex(columns=columns)
    return frame.sort_values(["iid_change", "region_name"], ascending=[False, True],
                             kind="mergesort").reset_index(drop=True)


def _indicator_points(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Index points each indicator contributes in one year: SPD rows as they are, SID
    indicators as their points summed over the counted innovations over the divisor."""
    summary = _summary(tables)
    if summary is None:
        return pd.Series(dtype="float64")
    factor = _index_factor(summary)
    parts = []
    region = tables.get("iid_region")
    if region is not None:
        parts.append(region.set_index(region["indicator"].astype(str))["points"] * factor)
    points, inno = tables.get("iid_points"), tables.get("iid_innovations")
    if points is not None and inno is not None and float(summary["divisor"]) > 0:
        counted = set(inno.loc[inno["counted"].astype(bool), "innovation_id"])
        sid = points[points["innovation_id"].isin(counted)]
        per = sid.groupby(sid["indicator"].astype(str))["points"].sum()
        parts.append(per / float(summary["divisor"]) * factor)
    return pd.concat(parts) if parts else pd.Series(dtype="float64")


def indicator_moves(found: MemberTables) -> pd.DataFrame:
    """Per indicator, the change in index points since last year (count score left out)."""
    now, before = _indicator_points(found.current), _indicator_points(found.previous)
    if now.empty or before.empty:
        return pd.DataFrame(columns=["indicator", "change"])
    joined = pd.concat([now.rename("now"), before.rename("before")], axis=1).fillna(0.0)
    change = (joined["now"] - joined["before"]).rename("change")
    return change.reset_index().rename(columns={"index": "indicator"})


def moves_table(members: list[MemberTables]) -> pd.DataFrame:
    parts = []
    for found in members:
        moves = indicator_moves(found)
        if not moves.empty:
            moves.insert(0, "region", found.member.region)
            parts.append(moves)
    if not parts:
        return pd.DataFrame(columns=["region", "indicator", "change"])
    return pd.concat(parts, ignore_index=True)
