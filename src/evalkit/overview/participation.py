"""Participation: did every work unit field an innovation ("Satu OPD satu inovasi")?

Counts use submitted innovations (rejected ones included: the programme asks units to
submit, and a rejected entry still shows the unit took part); IID scoring applies its own
verification rules. Coverage needs the list of every unit: when the units were derived from
the submitters, every unit has an innovation by construction, so no share is computed
(``measured=False``). Units with a ``parent`` roll up into it: an office whose schools
submitted took part through them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

DIMENSIONS = ("form", "type", "stage", "verification_status")


def unit_coverage(units: pd.DataFrame, innovations: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: how many innovations it submitted; sorted by kind, then name."""
    counts = innovations.groupby("unit_id").size()
    columns = [c for c in ("unit_id", "name", "kind", "parent", "kind_inferred")
               if c in units.columns]
    out = units[columns].copy()
    if "parent" not in out:
        out["parent"] = pd.Series(pd.NA, index=out.index, dtype="str")
    if "kind_inferred" not in out:
        out["kind_inferred"] = False
    out["kind_inferred"] = out["kind_inferred"].fillna(False).astype(bool)
    out["innovations"] = out["unit_id"].map(counts).fillna(0).astype("int64")
    out["has_innovation"] = out["innovations"] > 0
    return out.sort_values(["kind", "name"], kind="stable").reset_index(drop=True)


def coverage_share(coverage: pd.DataFrame, measured: bool = True) -> float:
    """Share of units with at least one innovation (0 when there are no units; NaN when the
    units are only the submitters, so that the share cannot be known)."""
    if not measured:
        return float("nan")
    return float(coverage["has_innovation"].mean()) if len(coverage) else 0.0


def parent_rollup(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per unit that has sub-units: its sub-units (at any depth), how many of them submitted,
    and the innovations of the unit and its sub-units together."""
    parent = dict(zip(coverage["unit_id"], coverage["parent"], strict=True))
    own = dict(zip(coverage["unit_id"], coverage["innovations"], strict=True))
    names = dict(zip(coverage["unit_id"], coverage["name"], strict=True))

    def top(unit: str) -> list[str]:
        chain, seen = [], {unit}
        node = parent.get(unit)
        while isinstance(node, str) and node and node not in seen:
            chain.append(node)
            seen.add(node)
            node = parent.get(node)
        return chain

    rows: dict[str, dict[str, object]] = {}
    for unit in coverage["unit_id"]:
        for ancestor in top(unit):
            row = rows.setdefault(ancestor, {"unit_id": ancestor,
                                             "name": names.get(ancestor, ancestor),
                                             "own_innovations": int(own.get(ancestor, 0)),
                                             "sub_units": 0, "sub_units_with_innovation": 0,
                                             "sub_unit_innovations": 0})
            row["sub_units"] = int(row["sub_units"]) + 1
            row["sub_units_with_innovation"] = int(row["sub_units_with_innovation"]) + int(
                own[unit] > 0)
            row["sub_unit_innovations"] = int(row["sub_unit_innovations"]) + int(own[unit])
    out = pd.DataFrame(list(rows.values()), columns=[
        "unit_id", "name", "own_innovations", "sub_units", "sub_units_with_innovation",
        "sub_unit_innovations"])
    out["innovations"] = out["own_innovations"] + out["sub_unit_innovations"]
    out["took_part"] = out["innovations"] > 0
    return out.sort_values("name", kind="stable").reset_index(drop=True)


def top_level_share(coverage: pd.DataFrame) -> tuple[int, int]:
    """(units without a parent that took part themselves or through a sub-unit, such units)."""
    tops = coverage[coverage["parent"].isna() | (coverage["parent"].astype("str") == "")]
    rollup = parent_rollup(coverage).set_index("unit_id")["took_part"]
    took = tops["has_innovation"] | tops["unit_id"].map(rollup).eq(True)
    return int(took.sum()), len(tops)


def coverage_by_kind(coverage: pd.DataFrame) -> pd.DataFrame:
    """Units and units with an innovation, per kind of unit."""
    grouped = coverage.groupby("kind", dropna=False).agg(
        units=("unit_id", "size"), with_innovation=("has_innovation", "sum"))
    grouped["share"] = grouped["with_innovation"] / grouped["units"]
    out = grouped.reset_index()
    out["kind"] = out["kind"].fillna("")
    return out.sort_values("kind", kind="stable").reset_index(drop=True)


def counts_by(innovations: pd.DataFrame, dimensions: tuple[str, ...] = DIMENSIONS) -> pd.DataFrame:
    """Long table (dimension, value, count, share) of innovations per category."""
    rows = []
    total = len(innovations)
    for dim in dimensions:
        values = innovations[dim].fillna("").astype("str")
        for value, count in values.value_counts(sort=False).sort_index().items():
            rows.append({"dimension": dim, "value": value, "count": int(count),
                         "share": count / total if total else 0.0})
    return pd.DataFrame(rows, columns=["dimension", "value", "count", "share"])


def trend(years: Mapping[int, tuple[pd.DataFrame, pd.DataFrame]],
          measured: Mapping[int, bool] | None = None) -> pd.DataFrame:
    """Per year (units, innovations): units, units with an innovation, share (NaN where the
    units are only the submitters), innovations."""
    rows = []
    for year, (units, innovations) in sorted(years.items()):
        coverage = unit_coverage(units, innovations)
        known = True if measured is None else measured.get(year, True)
        rows.append({"year": int(year), "units": len(coverage),
                     "units_with_innovation": int(coverage["has_innovation"].sum()),
                     "share": coverage_share(coverage, known), "innovations": len(innovations)})
    return pd.DataFrame(rows, columns=["year", "units", "units_with_innovation", "share",
                                       "innovations"])
