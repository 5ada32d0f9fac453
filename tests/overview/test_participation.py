from __future__ import annotations

import pandas as pd
import pytest

from evalkit.overview import participation

UNITS = pd.DataFrame({"unit_id": ["a", "b", "c", "d"], "name": ["A", "B", "C", "D"],
                      "kind": ["dinas", "dinas", "kecamatan", "kecamatan"]})
INNOV = pd.DataFrame({"innovation_id": ["1", "2", "3"], "unit_id": ["a", "a", "c"],
                      "form": ["tata_kelola", "pelayanan_publik", None],
                      "type": ["digital", "digital", "non_digital"],
                      "stage": ["penerapan", "uji_coba", "penerapan"],
                      "verification_status": ["accepted", "rejected", "pending"]})


def test_coverage_counts_every_unit_once() -> None:
    cov = participation.unit_coverage(UNITS, INNOV)
    assert dict(zip(cov["unit_id"], cov["innovations"], strict=True)) == {
        "a": 2, "b": 0, "c": 1, "d": 0}
    assert participation.coverage_share(cov) == pytest.approx(0.5)


def test_coverage_by_kind() -> None:
    by_kind = participation.coverage_by_kind(participation.unit_coverage(UNITS, INNOV))
    assert list(by_kind["kind"]) == ["dinas", "kecamatan"]
    assert list(by_kind["with_innovation"]) == [1, 1]
    assert list(by_kind["share"]) == [0.5, 0.5]


def test_counts_by_dimension_include_missing_values() -> None:
    counts = participation.counts_by(INNOV)
    form = counts[counts["dimension"] == "form"].set_index("value")["count"].to_dict()
    assert form == {"": 1, "pelayanan_publik": 1, "tata_kelola": 1}
    assert counts.groupby("dimension")["count"].sum().eq(3).all()


def test_trend_orders_years() -> None:
    trend = participation.trend({2025: (UNITS, INNOV), 2024: (UNITS, INNOV.iloc[:1])})
    assert list(trend["year"]) == [2024, 2025]
    assert list(trend["units_with_innovation"]) == [1, 2]


def test_no_units_gives_zero_share() -> None:
    empty = participation.unit_coverage(UNITS.iloc[:0], INNOV.iloc[:0])
    assert participation.coverage_share(empty) == 0.0
