"""Overview of a year: participation ("Satu OPD satu inovasi"), the published history and the
data-quality list, with their three report chapters (notebook ``01_validate``)."""

from evalkit.overview.participation import coverage_by_kind, coverage_share, unit_coverage
from evalkit.overview.workflow import write_overview

__all__ = ["coverage_by_kind", "coverage_share", "unit_coverage", "write_overview"]
