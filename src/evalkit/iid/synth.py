"""Synthetic IID inputs in the canonical columns: hand-built cases for tests and a
national-scale dataset for the benchmark. Nothing here is real data."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.iid.rubric import Rubric

NON_BASIC_AFFAIRS = ("Pariwisata", "Pertanian", "Perhubungan", "Kependudukan dan Pencatatan "
                     "Sipil", "Komunikasi dan Informatika", "Lingkungan Hidup")


def levels_for_maturity(rubric: Rubric, maturity: int) -> dict[str, int]:
    """SID levels (indicator -> level) whose points add up to exactly ``maturity``."""
    sid = rubric.sid.sort_values(["weight", "order"], ascending=[False, True])
    remaining = float(maturity)
    levels: dict[str, int] = {}
    for indicator, weight in zip(sid["indicator"], sid["weight"], strict=True):
        level = int(min(3, remaining // weight))
        levels[indicator] = level
        remaining -= level * weight
    if abs(remaining) > 1e-9:
        raise ValueError(f"maturity {maturity} cannot be built from the rubric's weights")
    return levels


def region_levels(rubric: Rubric, level: int | dict[str, int] = 3) -> pd.DataFrame:
    """A ``region_indicators`` table with every SPD row at ``level`` (or per row)."""
    rows = rubric.spd["indicator"]
    values = [level.get(r, 0) if isinstance(level, dict) else level for r in rows]
    return pd.DataFrame({"indicator": rows.astype("str"),
                         "level": pd.array(values, dtype="Int64")})


def innovations_with(rubric: Rubric, maturities: Sequence[int],
                     affairs: Sequence[str] | None = None,
                     statuses: Sequence[str] | None = None,
                     verified: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``innovations`` and ``evidence`` tables for innovations of the given maturities."""
    n = len(maturities)
    basic = [a for key, name, _ in rubric.count.basic_services.affairs for a in (name,)]
    affairs = list(affairs) if affairs is not None else [
        (basic + list(NON_BASIC_AFFAIRS))[i % (len(basic) + len(NON_BASIC_AFFAIRS))]
        for i in range(n)]
    ids = [f"INV-{i + 1:03d}" for i in range(n)]
    innovations = pd.DataFrame({
        "innovation_id": pd.array(ids, dtype="str"),
        "title": pd.array([f"Inovasi {i + 1}" for i in range(n)], dtype="str"),
        "unit_id": pd.array([f"OPD-{i % 7 + 1}" for i in range(n)], dtype="str"),
        "affair": pd.array(affairs, dtype="str"),
        "verification_status": pd.array(list(statuses) if statuses else ["accepted"] * n,
                                         dtype="str"),
    })
    rows = []
    for inno_id, maturity in zip(ids, maturities, strict=True):
        for indicator, level in levels_for_maturity(rubric, maturity).items():
            rows.append((inno_id, indicator, level, level if verified else None))
    evidence = pd.DataFrame(rows, columns=["innovation_id", "indicator", "claimed_level",
                                           "verified_level"])
    for column in ("claimed_level", "verified_level"):
        evidence[column] = evidence[column].astype("Int64")
    evidence["innovation_id"] = evidence["innovation_id"].astype("str")
    evidence["indicator"] = evidence["indicator"].astype("str")
    return innovations, evidence


def national(rubric: Rubric, regions: int = 550, innovations: int = 40_000,
             seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A national-scale dataset: every region reports every SPD row, every innovation every
    SID indicator; ~5 % of innovations rejected, ~10 % of claims not yet verified."""
    rng = np.random.default_rng(seed)
    region_ids = np.array([f"R{i:04d}" for i in range(regions)], dtype=object)
    spd_rows = rubric.spd["indicator"].to_numpy(dtype=object)
    region_indicators = pd.DataFrame({
        "region_id": pd.array(np.repeat(region_ids, len(spd_rows)), dtype="str"),
        "indicator": pd.array(np.tile(spd_rows, regions), dtype="str"),
        "level": pd.array(rng.integers(0, 4, regions * len(spd_rows)), dtype="Int64"),
    })
    owner = np.sort(rng.integers(0, regions, innovations))
    inno_ids = np.array([f"N{i:06d}" for i in range(innovations)], dtype=object)
    affairs = np.array([name for _, name, _ in rubric.count.basic_services.affairs]
                       + list(NON_BASIC_AFFAIRS), dtype=object)
    status = rng.choice(np.array(["accepted", "rejected", "pending"], dtype=object),
                        innovations, p=[0.85, 0.05, 0.10])
    inno = pd.DataFrame({
        "innovation_id": pd.array(inno_ids, dtype="str"),
        "region_id": pd.array(region_ids[owner], dtype="str"),
        "title": pd.array(inno_ids, dtype="str"),
        "unit_id": pd.array(rng.integers(0, 40, innovations).astype(str), dtype="str"),
        "affair": pd.array(affairs[rng.integers(0, len(affairs), innovations)], dtype="str"),
        "verification_status": pd.array(status, dtype="str"),
    })
    sid_rows = rubric.sid["indicator"].to_numpy(dtype=object)
    size = innovations * len(sid_rows)
    claimed = rng.integers(0, 4, size)
    verified = np.minimum(claimed, rng.integers(0, 4, size)).astype("float64")
    verified[rng.random(size) < 0.10] = np.nan
    evidence = pd.DataFrame({
        "innovation_id": pd.array(np.repeat(inno_ids, len(sid_rows)), dtype="str"),
        "indicator": pd.array(np.tile(sid_rows, innovations), dtype="str"),
        "claimed_level": pd.array(claimed, dtype="Int64"),
        "verified_level": pd.array(verified, dtype="Int64"),
    })
    return region_indicators, inno, evidence
