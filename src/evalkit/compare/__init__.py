"""Comparing regions: a province's regencies and cities, or all regions of the country, read
from their yearly reports' artifacts (never their raw data) into one report."""

from evalkit.compare.spec import (
    CompareSpec,
    ComparisonParams,
    Member,
    is_comparison_file,
    load_comparison_params,
    read_spec,
    write_spec,
)
from evalkit.compare.tables import Comparison, collect
from evalkit.compare.workflow import run, write_artifacts

__all__ = [
    "CompareSpec",
    "Comparison",
    "ComparisonParams",
    "Member",
    "collect",
    "is_comparison_file",
    "load_comparison_params",
    "read_spec",
    "run",
    "write_artifacts",
    "write_spec",
]
