"""Shared builders for the jury tests: a small region with jurors, conflicts and scores."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = Path(__file__).resolve().parent / "data" / "lomba-single.yaml"
CRITERIA = ["kebaruan", "efektivitas", "kemanfaatan", "replikasi", "keberlanjutan"]

UNITS = [
    {"unit_id": "dinkes", "name": "Dinas Kesehatan", "kind": "dinas", "aliases": ""},
    {"unit_id": "dukcapil", "name": "Disdukcapil", "kind": "dinas", "aliases": ""},
    {"unit_id": "kec-curup", "name": "Kecamatan Curup", "kind": "kecamatan", "aliases": ""},
    {"unit_id": "dishub", "name": "Dinas Perhubungan", "kind": "dinas", "aliases": ""},
]
ENTRY_UNITS = {"E1": "dinkes", "E2": "dukcapil", "E3": "kec-curup", "E4": "dishub",
               "E5": "dinkes", "E6": "dukcapil"}
JURORS = [
    {"juror_id": "JA", "name": "Juri A", "home_unit_id": "dinkes"},
    {"juror_id": "JB", "name": "Juri B", "home_unit_id": ""},
    {"juror_id": "JC", "name": "Juri C", "home_unit_id": "kec-curup"},
    {"juror_id": "JD", "name": "Juri D", "home_unit_id": ""},
]


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def innovations() -> list[dict[str, object]]:
    titles = {"E1": "=HYPERLINK(\"http://x\",\"klik\")", "E2": "ARTIS (Antar Jemput Dokumen)",
              "E3": "+Pasar Desa Digital", "E4": "SIMICA", "E5": "Posyandu Pintar",
              "E6": "@Dukcapil Keliling"}
    return [{"innovation_id": e, "year": 2025, "unit_id": u, "title": titles[e],
             "description": f"Uraian {e}", "verification_status": "accepted"}
            for e, u in ENTRY_UNITS.items()]


def scores_rows(seed: int = 3, skip: frozenset[tuple[str, str]] = frozenset()
                ) -> list[dict[str, object]]:
    """Whole-number scores for every non-conflicted (juror, entry), minus ``skip``."""
    rng = np.random.default_rng(seed)
    quality = {e: 50 + 6 * i for i, e in enumerate(ENTRY_UNITS)}
    lean = {"JA": 5, "JB": -4, "JC": 0, "JD": 8}
    rows = []
    for juror in JURORS:
        for entry, unit in ENTRY_UNITS.items():
            if unit == juror["home_unit_id"] or (juror["juror_id"], entry) in skip:
                continue
            for c in CRITERIA:
                value = quality[entry] + lean[juror["juror_id"]] + int(rng.integers(-8, 9))
                rows.append({"juror_id": juror["juror_id"], "innovation_id": entry,
                             "criterion": c, "score": int(np.clip(value, 1, 100)),
                             "stage": "", "note": ""})
    return rows


def make_region(tmp_path: Path, scores: list[dict[str, object]] | None = None,
                jury: dict[str, object] | None = None) -> Path:
    """Write the region and a params file; return the params path."""
    year_dir = tmp_path / "data" / "mini" / "2025"
    write_csv(year_dir / "units.csv", UNITS)
    write_csv(year_dir / "innovations.csv", innovations())
    write_csv(year_dir / "jurors.csv", JURORS)
    write_csv(year_dir / "jury_scores.csv", scores if scores is not None else scores_rows())
    settings = {"region": "mini", "region_name": "Kabupaten Mini", "year": 2025,
                "data_dir": "data/mini", "output_dir": "reports", "seed": 7,
                "jury": {"rubric": str(RUBRIC), "store_dir": "store", "resamples": 300,
                         **(jury or {})}}
    params = tmp_path / "params" / "2025.yaml"
    params.parent.mkdir(parents=True, exist_ok=True)
    settings["data_dir"] = "../data/mini"
    settings["jury"]["store_dir"] = "../store"  # type: ignore[index]
    params.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return params
