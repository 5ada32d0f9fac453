"""Shared fixtures: a tiny region written afresh for each test, and the bundled sample."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PARAMS = ROOT / "params" / "2025.yaml"

UNITS = [
    {"unit_id": "dinkes", "name": "Dinas Kesehatan", "kind": "dinas", "aliases": "Dinkes"},
    {"unit_id": "disdukcapil", "name": "Dinas Kependudukan dan Pencatatan Sipil",
     "kind": "dinas", "aliases": "Disdukcapil;Dukcapil"},
    {"unit_id": "kec-curup", "name": "Kecamatan Curup", "kind": "kecamatan", "aliases": ""},
]
INNOVATIONS = [
    {"innovation_id": "X-1", "year": "2025", "unit_id": "Dinkes", "title": "SEHATI (Sehat "
     "Tanpa Antri)", "description": "Antrian daring puskesmas", "form": "pelayanan_publik",
     "type": "digital", "affair": "Kesehatan", "stage": "penerapan",
     "start_date": "2024-02-01", "initiator": "asn", "verification_status": "accepted"},
    {"innovation_id": "X-2", "year": "2025", "unit_id": "disdukcapil", "title": "ARTIS (Antar "
     "Jemput Dokumen Gratis)", "description": "Dokumen kependudukan diantar",
     "form": "pelayanan_publik", "type": "non_digital", "affair": "Administrasi Kependudukan",
     "stage": "penerapan", "start_date": "2023-05-10", "initiator": "perangkat_daerah",
     "verification_status": "accepted"},
]
EVIDENCE = [
    {"innovation_id": iid, "indicator": str(ind), "claimed_level": "2", "verified_level": "2",
     "evidence_ref": f"{iid}_{ind}.pdf", "note": ""}
    for iid in ("X-1", "X-2") for ind in range(16, 36)
]
REGION = [{"indicator": i, "level": "2", "value": "", "evidence_ref": ""}
          for i in ("1", "2a", "2b", "3")]
HISTORY = [{"year": "2024", "score": "47.67", "predicate": "Inovatif", "rank": "184",
            "rank_out_of": "315", "scope": "kabupaten nasional"}]


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def mini_region(tmp_path: Path) -> Callable[..., Path]:
    """Write a small valid region for 2025 and return a function that gives its params file.

    Call ``make(**overrides)`` where each override is a table name mapped to its rows (or
    ``None`` to leave the table out); extra params keys go in ``params``.
    """

    def make(params: dict[str, object] | None = None, **tables: object) -> Path:
        region = tmp_path / "data" / "mini"
        year_dir = region / "2025"
        defaults = {"units": UNITS, "innovations": INNOVATIONS, "evidence": EVIDENCE,
                    "region_indicators": REGION, "history": HISTORY}
        defaults.update(tables)
        for name, rows in defaults.items():
            if rows is not None:
                write_csv(year_dir / f"{name}.csv", rows)  # type: ignore[arg-type]
        settings = {"region": "mini", "region_name": "Kabupaten Mini", "year": 2025,
                    "data_dir": "data/mini", "output_dir": "reports", "seed": 7}
        settings.update(params or {})
        import yaml

        file = tmp_path / "mini.yaml"
        file.write_text(yaml.safe_dump(settings), encoding="utf-8")
        return file

    return make
