"""The first notebook's work: validate the year and write the shared overview tables.

Kept here rather than in the notebook so the chapters that read these tables can be tested
without a kernel.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.artifacts import write_table
from evalkit.config import RunParams
from evalkit.inputs.validate import issues_frame, load_earlier_years, load_year, public_innovations
from evalkit.overview.participation import counts_by, coverage_by_kind, trend, unit_coverage


def write_overview(params: RunParams, out_dir: Path) -> dict[str, pd.DataFrame]:
    """Validate the year (raising on errors) and write data quality, participation and
    history artifacts; return them by name."""
    year = load_year(params)
    earlier = load_earlier_years(params)
    coverage = unit_coverage(year.units, year.innovations)
    years = {y: (d.units, d.innovations) for y, d in earlier.items()}
    years[params.year] = (year.units, year.innovations)
    tables = {
        "data_quality": issues_frame(year.issues, base=params.data_dir),
        "participation_units": coverage,
        "participation_kind": coverage_by_kind(coverage),
        "participation_counts": counts_by(year.innovations),
        "participation_trend": trend(years),
        "innovations": public_innovations(year),
        "history": year.history,
    }
    for name, frame in tables.items():
        write_table(frame, out_dir, name)
    return tables
