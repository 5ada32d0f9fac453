"""Helpers of the comparison tests: member reports written by the functions the yearly
notebooks call (01_validate, 02_iid, 03_themes), without kernels, so they take seconds."""

from __future__ import annotations

from pathlib import Path

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


PREVIOUS = ("kaur", "lebong", "seluma")  # regions given a 2024 report too (the rest: none)


def province_reports(folder: Path) -> Path:
    """reports/<region>/<year>/: 2025 for the ten sample regions, 2024 for ``PREVIOUS``."""
    for params_file in sorted(PROVINCE.glob("*.yaml")):
        write_member_report(params_file, folder / params_file.stem / "2025")
    for region in PREVIOUS:
        write_member_report(PROVINCE / "2024" / f"{region}.yaml", folder / region / "2024")
    return folder
