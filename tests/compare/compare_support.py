"""Helpers of the comparison tests: member reports, written by the functions the yearly notebooks call
(01_validate, 02_iid, 03_themes) but without kernels, so a province's artifacts take seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

PROVINCE = ROOT / "params" / "bengkulu"
COMPARISON = ROOT / "params" / "compare" / "bengkulu.yaml"


def write_member_report(params_file: Path, report_dir: Path) -> Path:
    """The artifacts a yearly run writes for the comparison's chapters, in ``report_dir``."""
    from evalkit import iid, themes
    from evalkit.config import load_params
    from evalkit.inputs import load_year
    from evalkit.overview import write_overview

    params = load_params(params_file)
    write_overview(params, report_dir)
    year = load_year(params)
    iid.write_artifacts(iid.run(params, year), report_dir)
    themes.write_artifacts(themes.run(params, year), params, report_dir)
    return report_dir


@pytest.fixture(scope="session")
def province_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """reports/<region>/<year>/ for the ten sample regions, 2025 and 2024."""
    reports = tmp_path_factory.mktemp("province-reports")
    for params_file in [*sorted(PROVINCE.glob("*.yaml")),
                        *sorted((PROVINCE / "2024").glob("*.yaml"))]:
        region = params_file.stem
        year = "2024" if params_file.parent.name == "2024" else "2025"
        write_member_report(params_file, reports / region / year)
    return reports
