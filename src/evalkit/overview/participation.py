"""Participation: did every work unit field an innovation ("Satu OPD satu inovasi")?

Counts use submitted innovations (rejected ones included: the programme asks units to
submit, and a rejected entry still shows the unit took part); IID scoring applies its own
verification rules.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

DIMENSIONS = ("form", "type", "stage", "verification_status")


def unit_coverage(units: pd.DataFrame, innovations: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: how many innovations it submitted; sorted by kind, then name."""
    counts = innovations.groupby("unit_id").size()
    out = units[["unit_id", "name", "kind"]].copy()
    out["innovations"] = out["unit_id"].map(counts).fillna(0).astype("int64")
    out["has_innovation"] = out["innovations"] > 0
    return out.sort_values(["kind", "name"], kind="stable").reset_index(drop=True)


def coverage_share(coverage: pd.DataFrame) -> float:
    """Share of units with at least one innovation (0 when there are no units)."""
    return float(coverage["has_innovation"].mean()) if len(coverage) else 0.0


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


def trend(years: Mapping[int, tuple[pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """Per year (units, innovations): units, units with an innovation, share, innovations."""
    rows = []
    for year, (units, innovations) in sorted(years.items()):
        coverage = unit_coverage(units, innovations)
        rows.append({"year": int(year), "units": len(coverage),
                     "units_with_innovation": int(coverage["has_innovation"].sum()),
                     "share": coverage_share(coverage), "innovations": len(innovations)})
    return pd.DataFrame(rows, columns=["year", "units", "units_with_innovation", "share",
                                       "innovations"])
