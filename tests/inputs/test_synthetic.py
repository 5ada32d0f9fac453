"""The made-up region generator: deterministic, valid input at any size, labelled made up."""

from __future__ import annotations

import hashlib
from pathlib import Path

from evalkit.config import load_params
from evalkit.inputs import load_year
from evalkit.inputs.synthetic import RegionSpec, write_region


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_spec_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    spec = RegionSpec(name="Kabupaten Uji", slug="uji", innovations=120, seed=5)
    write_region(spec, tmp_path / "a")
    write_region(spec, tmp_path / "b")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    write_region(RegionSpec(name="Kabupaten Uji", slug="uji", innovations=120, seed=6),
                 tmp_path / "c")
    first = (tmp_path / "a" / "data" / "uji" / "2025" / "innovations.csv").read_bytes()
    assert first != (tmp_path / "c" / "data" / "uji" / "2025" / "innovations.csv").read_bytes()


def test_generated_region_validates_at_its_size(tmp_path: Path) -> None:
    spec = RegionSpec(name="Provinsi Uji", slug="uji", innovations=300, seed=1)
    params = load_params(write_region(spec, tmp_path))
    year = load_year(params)
    assert len(year.innovations) == 300
    assert len(year.units) == spec.unit_count
    assert set(year.evidence["innovation_id"]) <= set(year.innovations["innovation_id"])
    assert year.jurors["juror_id"].tolist() and len(year.jury_scores) > 300
    assert not year.history.empty and not year.region_indicators.empty
    assert [y for y in params.earlier_year_dirs()] == [2024]
    # labelled made up where a reader of the data or of the report would look
    assert "made up" in (tmp_path / "data" / "uji" / "README.md").read_text()
    assert "rekaan" in params.report.note


def test_regions_are_parametric(tmp_path: Path) -> None:
    """Several regions side by side (the national set of issue 12 builds on this)."""
    specs = [RegionSpec(name=f"Kabupaten {n}", slug=f"kab-{n}", innovations=40 + n, seed=n,
                        kind="kabupaten", jury=n % 2 == 0, earlier_years=0)
             for n in range(3)]
    files = [write_region(spec, tmp_path) for spec in specs]
    assert [f.name for f in files] == ["kab-0-2025.yaml", "kab-1-2025.yaml", "kab-2-2025.yaml"]
    years = [load_year(load_params(f)) for f in files]
    assert [len(y.innovations) for y in years] == [40, 41, 42]
    assert [y.jurors.empty for y in years] == [False, True, False]
