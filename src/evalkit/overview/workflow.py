"""The first notebook's work: validate the year and write the shared overview tables.

Kept here rather than in the notebook so the chapters that read these tables can be tested
without a kernel.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.artifacts import write_table
from evalkit.config import RunParams
from evalkit.inputs.units import UNITS_FROM_TABLE, region_kind
from evalkit.inputs.validate import (
    YearData,
    issues_frame,
    load_earlier_years,
    load_year,
    public_innovations,
)
from evalkit.overview.participation import (
    counts_by,
    coverage_by_kind,
    coverage_share,
    parent_rollup,
    top_level_share,
    trend,
    unit_coverage,
)


def write_overview(params: RunParams, out_dir: Path) -> dict[str, pd.DataFrame]:
    """Validate the year (raising on errors) and write data quality, participation and
    history artifacts; return them by name."""
    year = load_year(params)
    earlier = load_earlier_years(params)
    coverage = unit_coverage(year.units, year.innovations)
    years = {y: (d.units, d.innovations) for y, d in earlier.items()}
    years[params.year] = (year.units, year.innovations)
    measured = {y: d.units_source == UNITS_FROM_TABLE for y, d in earlier.items()}
    measured[params.year] = year.units_source == UNITS_FROM_TABLE
    tables = {
        "data_quality": issues_frame(year.issues, base=params.data_dir),
        "participation_summary": participation_summary(params, year, coverage),
        "participation_units": coverage,
        "participation_kind": coverage_by_kind(coverage),
        "participation_parents": parent_rollup(coverage),
        "participation_counts": counts_by(year.innovations),
        "participation_trend": trend(years, measured),
        "innovations": public_innovations(year),
        "history": year.history,
    }
    for name, frame in tables.items():
        write_table(frame, out_dir, name)
    return tables


def participation_summary(params: RunParams, year: YearData,
                          coverage: pd.DataFrame) -> pd.DataFrame:
    """One row: what the participation chapter says in its first sentence, and whether the
    coverage can be measured at all (not when the units are only the submitters)."""
    measured = year.units_source == UNITS_FROM_TABLE
    regions = year.innovations["region"].dropna() if "region" in year.innovations else []
    named = str(pd.Series(regions).mode().iloc[0]) if len(regions) else ""
    kind = region_kind(params.region_name, params.region_kind) or region_kind(named)
    took, tops = top_level_share(coverage)
    status = year.innovations["verification_status"]
    return pd.DataFrame([{
        "year": params.year, "units": len(coverage),
        "units_with_innovation": int(coverage["has_innovation"].sum()),
        "share": coverage_share(coverage, measured), "measured": measured,
        "units_source": year.units_source, "innovations": len(year.innovations),
        "region_kind": kind, "kinds_inferred": int(coverage["kind_inferred"].sum()),
        "has_parents": bool(coverage["parent"].notna().any()),
        "top_units": tops, "top_units_took_part": took,
        "status_given": year.given("innovations", "verification_status") or not year.columns,
        "drafts": int((status == "draft").sum()),
        "rejected": int((status == "rejected").sum())}])
