"""Artifacts: the tables a run produces, as Parquet (for code) and CSV (for people).

Written byte-identically for the same frame, so two runs on the same inputs can be compared
file by file. Columns starting with ``_`` (row provenance) are internal and left out. The CSV
is for opening in a spreadsheet, so text that would run as a formula there gets a leading
apostrophe (``evalkit.spreadsheet``); the Parquet file keeps every value exactly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.fileio import write_atomic
from evalkit.spreadsheet import text_cells

ARTIFACTS = "artifacts"
FIGURES = "figures"


def artifact_path(out_dir: Path, name: str, suffix: str = ".parquet") -> Path:
    return Path(out_dir) / ARTIFACTS / f"{name}{suffix}"


def public_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c for c in frame.columns if not str(c).startswith("_")]]


def write_table(frame: pd.DataFrame, out_dir: Path, name: str) -> Path:
    """Write ``frame`` as ``<out_dir>/artifacts/<name>.parquet`` and ``.csv``; return the first."""
    frame = public_columns(frame).reset_index(drop=True)
    parquet = artifact_path(out_dir, name)
    write_atomic(parquet, lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow"))
    write_atomic(artifact_path(out_dir, name, ".csv"),
                 lambda tmp: text_cells(frame).to_csv(tmp, index=False, lineterminator="\n",
                                                      encoding="utf-8"))
    return parquet


def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    """Read an artifact written by :func:`write_table`."""
    path = artifact_path(out_dir, name)
    if not path.is_file():
        raise FileNotFoundError(f"artifact '{name}' not found in {path.parent}; run the "
                                "notebook that writes it first")
    return pd.read_parquet(path)


def has_table(out_dir: Path, name: str) -> bool:
    return artifact_path(out_dir, name).is_file()
