"""The comparison from spec to artifacts: what notebook 06_compare and ``evalkit compare``
share, so the notebook holds no logic a test cannot reach."""

from __future__ import annotations

from pathlib import Path

from evalkit.artifacts import write_table
from evalkit.compare.spec import CompareSpec
from evalkit.compare.tables import Comparison, collect


def run(spec: CompareSpec) -> Comparison:
    """Read the members' artifacts and build every comparison table."""
    return collect(spec)


def write_artifacts(done: Comparison, out_dir: Path) -> list[Path]:
    """Write every comparison table under ``out_dir/artifacts`` (Parquet and CSV)."""
    return [write_table(frame, out_dir, name) for name, frame in done.tables().items()]
