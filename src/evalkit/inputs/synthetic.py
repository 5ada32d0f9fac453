"""Made-up regions of any size, for benchmarks and tests: units, innovations, evidence, region
indicators, history and a jury, written as a year folder of canonical tables plus a params file.

Deterministic: the same :class:`RegionSpec` writes the same bytes (``numpy`` generator seeded
from the spec, CSV written with ``\\n`` line ends). The words come from ``synthetic.yaml``
beside this module; the indicator ids and jury criteria come from the rubrics the params name,
so a generated region follows whichever rubric it is scored with. Nothing generated is real:
every region folder gets a README saying so, and the params' report note says it too.

Usage::

    python -m evalkit.inputs.synthetic --innovations 700 --out /tmp/province
"""

from __future__ import annotations

import argparse
import csv
import io
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from evalkit.yamlio import read_yaml

VOCABULARY = Path(__file__).with_name("synthetic.yaml")
CHECKOUT_PARAMS = Path(__file__).resolve().parents[3] / "params"
MADE_UP_NOTE = ("Data rekaan (made-up data): wilayah, unit, inovasi, bukti, riwayat dan juri "
                "dibuat oleh evalkit.inputs.synthetic untuk pengujian; tidak ada yang nyata.")
ALL_CHAPTERS = ("participation", "history", "iid", "themes", "jury", "quality")
STAGES = ("inisiatif", "uji_coba", "penerapan")
FORMS = ("tata_kelola", "pelayanan_publik", "lainnya")


@dataclass(frozen=True)
class RegionSpec:
    """One made-up region-year. ``slug`` names its folders; ``seed`` fixes every draw.

    ``units`` defaults to about one unit per 2.3 innovations (a provincial export had 679
    innovations from 292 units); ``earlier_years`` adds that many prior years (for trends and
    re-submission checks), each a little smaller; ``jury`` writes a lomba panel and scores
    for every accepted innovation.
    """

    name: str = "Provinsi Contoh"
    slug: str = "contoh"
    innovations: int = 700
    seed: int = 0
    year: int = 2025
    kind: str = "provinsi"
    province: str = ""
    units: int | None = None
    earlier_years: int = 1
    jury: bool = True
    chapters: tuple[str, ...] = ALL_CHAPTERS
    params_dir: Path = field(default=CHECKOUT_PARAMS)  # where the rubrics are

    @property
    def unit_count(self) -> int:
        return self.units if self.units is not None else max(8, round(self.innovations / 2.3))


@cache
def vocabulary() -> dict[str, Any]:
    return read_yaml(VOCABULARY)


def rubric_rows(rubric_file: Path) -> tuple[list[str], list[str]]:
    """The SPD row ids and SID indicator ids a rubric scores, in rubric order."""
    data = read_yaml(rubric_file)
    rows: dict[str, list[str]] = {}
    for aspect in data["aspects"]:
        ids = rows.setdefault(str(aspect["code"]), [])
        for variable in aspect["variables"]:
            for indicator in variable["indicators"]:
                ids += [str(r["id"]) for r in indicator.get("rows") or [indicator]]
    return rows["SPD"], rows["SID"]


def jury_stages(rubric_file: Path) -> list[tuple[str, list[str], int | None]]:
    """Each stage of a lomba rubric: its id, criterion ids and how many go on (``top``)."""
    data = read_yaml(rubric_file)
    stages = data.get("stages") or [{"id": data.get("default_stage", ""),
                                     "criteria": data["criteria"]}]
    return [(str(st.get("id", "")), [str(c["id"]) for c in st["criteria"]],
             (st.get("shortlist") or {}).get("top")) for st in stages]


def _rng(spec: RegionSpec, year: int, part: str) -> np.random.Generator:
    """A generator per (spec, year, table), so adding a table never changes another's draws."""
    key = zlib.crc32(f"{spec.slug}|{year}|{part}".encode())
    return np.random.default_rng([spec.seed, key])


def _words(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def make_units(spec: RegionSpec) -> list[dict[str, str]]:
    """The region's work units: kinds in the vocabulary's shares, made-up place names."""
    vocab = vocabulary()
    rng = _rng(spec, 0, "units")
    kinds = vocab["unit_kinds"]
    shares = np.array([k["share"] for k in kinds.values()], dtype=float)
    counts = np.maximum(1, np.floor(shares / shares.sum() * spec.unit_count)).astype(int)
    counts[int(np.argmax(shares))] += max(0, spec.unit_count - int(counts.sum()))
    subjects = sorted({s for t in vocab["themes"].values() for s in t["subjects"]})
    places = [f"{h} {t}" for h in vocab["place_heads"] for t in vocab["place_tails"]]
    order = rng.permutation(len(places))
    units, used = [], set()
    place_at = 0
    for (kind, pattern), count in zip(kinds.items(), counts, strict=True):
        for n in range(1, int(count) + 1):
            place = places[order[place_at % len(places)]]
            place_at += 1
            subject = subjects[(n - 1) % len(subjects)]
            short = "".join(w[0] for w in subject.split() if w[0].isupper())
            number = (n - 1) // len(pattern["names"]) + 1
            which = (n - 1) % len(pattern["names"])
            fields = {"place": place, "subject": subject, "short": short, "n": number}
            name = pattern["names"][which].format(**fields)
            if name in used:  # subjects and places repeat in a large region: number them
                name = f"{name} {n}"
            used.add(name)
            alias = pattern["aliases"][which % len(pattern["aliases"])].format(**fields)
            if alias in used or ("{short}" in pattern["aliases"][0] and len(short) < 2):
                alias = ""  # an alias must name one unit only
            units.append({"unit_id": f"{kind}-{n:04d}", "name": name, "kind": kind,
                          "aliases": alias})
            used.add(alias)
    return units


def _title(rng: np.random.Generator, phrase: str) -> str:
    words = phrase.split()
    acronym = "".join(w[0] for w in words[: int(rng.integers(3, 6))]).upper()
    return f"{acronym} ({phrase[0].upper()}{phrase[1:]})"


def make_innovations(spec: RegionSpec, year: int, n: int,
                     units: list[dict[str, str]]) -> tuple[list[dict[str, str]], np.ndarray]:
    """``n`` innovations of one year and their latent quality (0..1, drives the levels)."""
    vocab = vocabulary()
    rng = _rng(spec, year, "innovations")
    themes = vocab["themes"]
    theme_ids = sorted(themes)
    by_kind: dict[str, list[dict[str, str]]] = {}
    for unit in units:
        by_kind.setdefault(unit["kind"], []).append(unit)
    # a few active units field many innovations, many field one or none (as in real exports)
    activity = {u["unit_id"]: w for u, w in zip(units, rng.pareto(1.5, len(units)) + 0.05,
                                                 strict=True)}
    quality = np.clip(rng.beta(2.2, 2.0, n), 0.02, 0.98)
    rows = []
    for i in range(n):
        theme = themes[theme_ids[int(rng.integers(len(theme_ids)))]]
        pool = [u for k in theme["kinds"] for u in by_kind.get(k, [])] or units
        weights = np.array([activity[u["unit_id"]] for u in pool])
        unit = pool[int(rng.choice(len(pool), p=weights / weights.sum()))]
        core = _words(rng, theme["phrases"])
        phrase = f"{core} {unit['name'].split()[-1]}"
        ref = (unit["unit_id"], unit["name"], unit["aliases"] or unit["name"])[int(
            rng.integers(3))]
        status = rng.choice(["accepted", "pending", "rejected"], p=[0.85, 0.1, 0.05])
        start = ""
        if rng.random() > 0.03:
            start = f"{year - 1 - int(rng.integers(3))}-{int(rng.integers(1, 13)):02d}-" \
                    f"{int(rng.integers(1, 29)):02d}"
        rows.append({
            "innovation_id": f"{spec.slug.upper()[:3]}-{year}-{i + 1:05d}",
            "year": str(year), "unit_id": ref,
            "title": _title(rng, phrase),
            "description": f"{core[0].upper()}{core[1:]} di {unit['name']} "
                           f"{_words(rng, vocab['endings'])}",
            "form": FORMS[int(rng.integers(len(FORMS)))],
            "type": "digital" if rng.random() < 0.55 else "non_digital",
            "affair": _words(rng, theme["affairs"]),
            "stage": STAGES[min(2, int(quality[i] * 3.4))],
            "start_date": start,
            "initiator": _words(rng, vocab["initiators"]),
            "verification_status": str(status),
        })
    return rows, quality


def make_evidence(spec: RegionSpec, year: int, innovations: list[dict[str, str]],
                  quality: np.ndarray, sid: list[str]) -> list[dict[str, str]]:
    """Claimed and verified SID levels per innovation; a few innovations have none."""
    rng = _rng(spec, year, "evidence")
    offsets = rng.normal(0, 0.5, len(sid))
    rows = []
    for inno, q in zip(innovations, quality, strict=True):
        claimed = np.clip(np.rint(3 * q + offsets + rng.normal(0, 0.6, len(sid))), 0, 3)
        drop = rng.choice(3, size=len(sid), p=[0.7, 0.25, 0.05])
        if rng.random() < 0.02:
            continue  # no evidence uploaded: the data-quality chapter should say so
        for k, indicator in enumerate(sid):
            c = int(claimed[k])
            status = inno["verification_status"]
            verified = ("" if status == "pending" else "0" if status == "rejected"
                        else str(max(0, c - int(drop[k]))))
            rows.append({"innovation_id": inno["innovation_id"], "indicator": indicator,
                         "claimed_level": str(c), "verified_level": verified,
                         "evidence_ref": f"{inno['innovation_id']}_{indicator}.pdf" if c else "",
                         "note": ""})
    return rows


def make_region_indicators(spec: RegionSpec, year: int, spd: list[str]) -> list[dict[str, str]]:
    rng = _rng(spec, year, "region")
    levels = rng.choice(4, size=len(spd), p=[0.1, 0.25, 0.35, 0.3])
    return [{"indicator": ind, "level": str(int(level)), "value": "",
             "evidence_ref": f"SPD_{year}_{ind}.pdf" if level else ""}
            for ind, level in zip(spd, levels, strict=True)]


def make_history(spec: RegionSpec, year: int) -> list[dict[str, str]]:
    """Made-up published results of the two years before ``year``."""
    rng = _rng(spec, year, "history")
    out_of = 38 if spec.kind == "provinsi" else 415
    rows = []
    for earlier in (year - 2, year - 1):
        score = 35 + 30 * rng.random()
        predicate = "Sangat Inovatif" if score > 60 else "Inovatif"
        rows.append({"year": str(earlier), "score": f"{score:.2f}", "predicate": predicate,
                     "rank": str(int(rng.integers(1, out_of + 1))), "rank_out_of": str(out_of),
                     "scope": f"{spec.kind} nasional"})
    return rows


def make_jury(spec: RegionSpec, year: int, innovations: list[dict[str, str]],
              quality: np.ndarray, units: list[dict[str, str]],
              stages: list[tuple[str, list[str], int | None]]
              ) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A panel of placeholder jurors (two from the region's units, so conflicts of interest
    occur) and their scores: every accepted innovation in the first stage; in each later
    stage the ones the stage before shortlists (``top``), who stand clearly ahead, so the
    shortlist evalkit works out is the one scored. A stage after a shortlist by score only
    is left unscored (not open yet)."""
    vocab = vocabulary()
    rng = _rng(spec, year, "jury")
    count = int(vocab["jurors"])
    homes = ["", units[0]["unit_id"], "", units[len(units) // 2]["unit_id"]]
    jurors = [{"juror_id": f"J{k}", "name": vocab["juror_name"].format(n=k),
               "home_unit_id": homes[k % len(homes)] if k <= 4 else ""}
              for k in range(1, count + 1)]
    by_ref = {key: u["unit_id"] for u in units for key in (u["unit_id"], u["name"], u["aliases"])
              if key}
    bias = rng.normal(0, 4, count)
    competing = [i for i, inno in enumerate(innovations)
                 if inno["verification_status"] == "accepted"]
    scores = []
    for number, (stage, criteria, top) in enumerate(stages):
        ahead = set(sorted(competing, key=lambda i: -quality[i])[:top]) if top else set()
        for i in competing:
            inno, unit = innovations[i], by_ref.get(innovations[i]["unit_id"], "")
            for k, juror in enumerate(jurors):
                if juror["home_unit_id"] and juror["home_unit_id"] == unit:
                    continue  # a juror never scores an entry from their own unit
                level = 45 + 30 * quality[i] + (15 if i in ahead else 0) + bias[k]
                values = level + rng.normal(0, 4, len(criteria))
                for criterion, value in zip(criteria, values, strict=True):
                    scores.append({"juror_id": juror["juror_id"],
                                   "innovation_id": inno["innovation_id"],
                                   "criterion": criterion,
                                   "score": str(int(np.clip(np.rint(value), 1, 100))),
                                   "stage": stage if len(stages) > 1 else "", "note": ""})
        if number + 1 < len(stages) and not top:
            break
        competing = sorted(ahead) if top else competing
    return jurors, scores


def _csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def iid_rubric_file(spec: RegionSpec) -> Path:
    """The IID rubric of the spec's year: ``rubrics/`` beside the params if it holds one, else
    the copy shipped with evalkit (package data; read as a file, not imported)."""
    beside = spec.params_dir / "rubrics" / f"iid-{spec.year}.yaml"
    if beside.is_file():
        return beside
    return Path(str(resources.files("evalkit") / "iid" / "rubrics" / f"iid-{spec.year}.yaml"))


def _columns(rows: list[dict[str, str]], fallback: list[str]) -> list[str]:
    return list(rows[0]) if rows else fallback


def write_region(spec: RegionSpec, root: Path) -> Path:
    """Write ``root/data/<slug>/<year>/`` (and earlier years) and ``root/params/<slug>-<year>
    .yaml``; return the params file. Existing files of the same region are overwritten."""
    root = Path(root)
    rubric = iid_rubric_file(spec)
    lomba = spec.params_dir / "rubrics" / f"lomba-{spec.year}.yaml"
    spd, sid = rubric_rows(rubric)
    units = make_units(spec)
    region_dir = root / "data" / spec.slug
    years = [spec.year - k for k in range(spec.earlier_years, -1, -1)]
    for year in years:
        size = round(spec.innovations * 0.85 ** (spec.year - year))
        folder = region_dir / str(year)
        innovations, quality = make_innovations(spec, year, size, units)
        evidence = make_evidence(spec, year, innovations, quality, sid)
        _csv(folder / "units.csv", units, ["unit_id", "name", "kind", "aliases"])
        _csv(folder / "innovations.csv", innovations, list(innovations[0]))
        _csv(folder / "evidence.csv", evidence, _columns(evidence, [
            "innovation_id", "indicator", "claimed_level", "verified_level"]))
        _csv(folder / "region_indicators.csv", make_region_indicators(spec, year, spd),
             ["indicator", "level", "value", "evidence_ref"])
        _csv(folder / "history.csv", make_history(spec, year),
             ["year", "score", "predicate", "rank", "rank_out_of", "scope"])
        if spec.jury and year == spec.year:
            jurors, scores = make_jury(spec, year, innovations, quality, units,
                                       jury_stages(lomba))
            _csv(folder / "jurors.csv", jurors, ["juror_id", "name", "home_unit_id"])
            _csv(folder / "jury_scores.csv", scores, _columns(scores, [
                "juror_id", "innovation_id", "criterion", "score"]))
    (region_dir / "README.md").write_text(
        f"# {spec.name} (made up)\n\nEvery file here is made up: written by "
        f"`evalkit.inputs.synthetic` from {spec!r}. Nothing in it describes a real region, "
        "unit, innovation or person.\n", encoding="utf-8")
    return write_params(spec, root)


def write_params(spec: RegionSpec, root: Path) -> Path:
    """The params file of a generated region (rubrics from ``spec.params_dir``; the taxonomy
    shipped with evalkit)."""
    settings: dict[str, Any] = {
        "region": spec.slug, "region_name": spec.name, "province": spec.province or spec.name,
        "year": spec.year, "data_dir": f"../data/{spec.slug}", "output_dir": "../reports",
        "language": "id", "formats": ["html", "pdf"], "seed": spec.seed,
        "iid": {"rubric": str(iid_rubric_file(spec))},
        "jury": {"rubric": str(spec.params_dir / "rubrics" / f"lomba-{spec.year}.yaml")},
        "report": {"chapters": list(spec.chapters), "note": MADE_UP_NOTE},
    }
    path = Path(root) / "params" / f"{spec.slug}-{spec.year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Made-up region written by evalkit.inputs.synthetic.\n"
                    + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a made-up region of any size.")
    parser.add_argument("--innovations", type=int, default=700)
    parser.add_argument("--name", default="Provinsi Contoh")
    parser.add_argument("--slug", default="contoh")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--no-jury", action="store_true")
    parser.add_argument("--out", type=Path, required=True, help="folder to write data/ and params/")
    args = parser.parse_args(argv)
    spec = RegionSpec(name=args.name, slug=args.slug, innovations=args.innovations,
                      seed=args.seed, year=args.year, jury=not args.no_jury)
    print(write_region(spec, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
