"""Theme tables for the report: counts per theme, themes by unit, and the trend across years.

Artifacts hold theme ids; the chapter turns them into labels of the report's language.
"""

from __future__ import annotations

import pandas as pd

from evalkit.themes.taxonomy import Taxonomy


def theme_counts(assigned: pd.DataFrame, taxonomy: Taxonomy,
                 emphasised: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every theme of the taxonomy (in its order) with its innovations, share, whether the
    region's socialisation emphasised it (``themes.emphasised`` of the params), and its mean
    confidence."""
    total = len(assigned)
    counts = assigned["theme"].value_counts()
    confidence = assigned.groupby("theme")["confidence"].mean()
    return pd.DataFrame({
        "theme": pd.array(taxonomy.ids, dtype="str"),
        "innovations": [int(counts.get(t, 0)) for t in taxonomy.ids],
        "share": [counts.get(t, 0) / total if total else 0.0 for t in taxonomy.ids],
        "emphasised": [t in emphasised for t in taxonomy.ids],
        "mean_confidence": [float(confidence.get(t, float("nan"))) for t in taxonomy.ids],
    })


def theme_trend(assigned: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Innovations per (year, theme), every theme in every year, with the year's share."""
    years = sorted(int(y) for y in assigned["year"].dropna().unique())
    counts = assigned.groupby(["year", "theme"]).size()
    totals = assigned.groupby("year").size()
    rows = [{"year": y, "theme": t, "innovations": int(counts.get((y, t), 0)),
             "share": counts.get((y, t), 0) / totals[y] if totals.get(y, 0) else 0.0}
            for y in years for t in taxonomy.ids]
    frame = pd.DataFrame(rows, columns=["year", "theme", "innovations", "share"])
    return frame.astype({"year": "Int64", "theme": "str", "innovations": "int64",
                         "share": "float64"})


def theme_units(assigned: pd.DataFrame) -> pd.DataFrame:
    """Innovations per (unit, theme) where there is at least one."""
    grouped = assigned.groupby(["unit_id", "unit_name", "theme"], dropna=False).size()
    frame = grouped.rename("innovations").reset_index()
    frame = frame.astype({"unit_id": "str", "unit_name": "str", "theme": "str",
                          "innovations": "int64"})
    return frame.sort_values(["unit_name", "theme"], kind="stable").reset_index(drop=True)
