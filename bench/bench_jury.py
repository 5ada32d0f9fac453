"""Benchmark: jury robustness, 2,000 resamples of 60 entries x 7 jurors x 5 criteria, for
each aggregation method, plus the nominal ranking and agreement. Goal: under 3 s per method.
Then the jurors' workbooks at a real size: one juror's two-stage sheet for ``--sheet-entries``
proposals (150 by default, with the top 15 presenting): the seven jurors' sheets written, one
read back as .xlsx and as .ods (converted by LibreOffice when installed; the conversion is not
timed), and the notebook form built for one juror. Goals: each under 10 s.

Run with ``make bench`` or ``python bench/bench_jury.py [--entries N] [--jurors N] [--n N]``.
Generating the scores is not timed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 3.0
SHEET_GOAL_SECONDS = 10.0


def synthetic(rubric, jurors: int, entries: int, seed: int, recuse: float = 0.05):
    """Scores = entry quality + juror leniency + noise, for every stage of the rubric (every
    entry in every stage: the robustness cost without a shortlist); a few pairs recused."""
    from evalkit.jury.aggregate import stage_scores

    rng = np.random.default_rng(seed)
    quality = rng.normal(65, 10, entries)
    lean = rng.normal(0, 5, jurors)
    pairs = rng.random((jurors, entries)) < recuse
    juror_ids = [f"J{x}" for x in range(jurors)]
    entry_ids = [f"E{x:03d}" for x in range(entries)]
    out = []
    for stage in rubric.stages:
        j, e, c = np.meshgrid(np.arange(jurors), np.arange(entries),
                              np.arange(len(stage.criteria)), indexing="ij")
        score = np.clip(np.round(quality[e] + lean[j] + rng.normal(0, 7, j.shape)), 1, 100)
        frame = pd.DataFrame({"juror_id": [f"J{x}" for x in j.ravel()],
                              "innovation_id": [f"E{x:03d}" for x in e.ravel()],
                              "stage": stage.id,
                              "criterion": np.array(stage.criterion_ids)[c.ravel()],
                              "score": score.ravel()})
        drop = pairs[j.ravel(), e.ravel()]
        out.append(stage_scores(frame[~drop], stage, juror_ids, entry_ids))
    return out


def main(argv: list[str] | None = None) -> int:
    from evalkit.jury.aggregate import METHODS, ranking
    from evalkit.jury.reliability import agreement
    from evalkit.jury.resampling import robustness
    from evalkit.jury.rubric import load_rubric

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=60)
    parser.add_argument("--jurors", type=int, default=7)
    parser.add_argument("--n", type=int, default=2000, help="resamples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rubric", type=Path, default=ROOT / "params/rubrics/lomba-2025.yaml")
    parser.add_argument("--sheet-entries", type=int, default=150)
    args = parser.parse_args(argv)

    rubric = load_rubric(args.rubric)
    data = synthetic(rubric, args.jurors, args.entries, args.seed)
    robustness(data, rubric, "mean", n=10, seed=args.seed)  # warm-up: imports, first calls
    print(f"bench_jury: {args.entries} entries x {args.jurors} jurors x "
          f"{sum(len(s.criteria) for s in rubric.stages)} criteria in {len(rubric.stages)} "
          f"stages, {args.n:,} resamples "
          f"(jurors bootstrapped, weights +-20%), rubric {rubric.id}")
    start = time.perf_counter()
    agreement(data)
    for method in METHODS:
        ranking(data, rubric, method)
    print(f"  ranking (4 methods) + agreement: {time.perf_counter() - start:6.3f} s")
    worst = 0.0
    for method in METHODS:
        start = time.perf_counter()
        rob = robustness(data, rubric, method, n=args.n, seed=args.seed)
        elapsed = time.perf_counter() - start
        worst = max(worst, elapsed)
        top = rob.table.sort_values("median_rank").iloc[0]
        print(f"  robustness {method:<13} {elapsed:6.3f} s   leader {top['innovation_id']} "
              f"P(first) {top['p_first']:.2f}")
    ok = worst < GOAL_SECONDS
    print(f"  goal (< {GOAL_SECONDS:g} s per method): " + ("met" if ok else "NOT met"))
    with tempfile.TemporaryDirectory() as folder:
        ok = bench_sheets(Path(folder), args.sheet_entries, args.seed) and ok
    return 0 if ok else 1


def competition(folder: Path, entries: int, seed: int) -> Path:
    """A region with ``entries`` proposals (descriptions of 60-400 words), 7 jurors, every
    proposal scored and the top 15 presenting; returns the params file."""
    import csv

    import yaml

    rng = np.random.default_rng(seed)
    year = folder / "data" / "bench" / "2025"
    year.mkdir(parents=True)

    def write(name: str, rows: list[dict]) -> None:
        with (year / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    write("units", [{"unit_id": f"u{i}", "name": f"Perangkat Daerah {i}", "kind": "dinas",
                     "aliases": ""} for i in range(40)])
    words = ["layanan", "warga", "desa", "data", "aplikasi", "pelayanan", "kader", "petani",
             "sekolah", "pasar"]
    ids = [f"E{i:03d}" for i in range(entries)]
    write("innovations", [{
        "innovation_id": e, "year": 2025, "unit_id": f"u{i % 40}",
        "title": f"INOVASI {i} ({' '.join(rng.choice(words, 6))})",
        "description": " ".join(rng.choice(words, int(rng.integers(60, 400)))),
        "stage": "penerapan", "form": "pelayanan_publik", "start_date": "2024-03-01",
        "verification_status": "accepted"} for i, e in enumerate(ids)])
    write("evidence", [{"innovation_id": e, "indicator": str(ind), "claimed_level": 2,
                        "verified_level": 2, "evidence_ref": f"{e}_{ind}.pdf", "note": ""}
                       for e in ids for ind in range(16, 36)])
    write("jurors", [{"juror_id": f"J{j}", "name": f"Juri {j}", "home_unit_id": ""}
                     for j in range(1, 8)])
    quality = rng.normal(65, 10, entries)
    crit = ["kebaruan", "efektivitas", "kemanfaatan", "replikasi", "keberlanjutan"]
    rows = [{"juror_id": f"J{j}", "innovation_id": e, "criterion": c,
             "score": int(np.clip(quality[i] + rng.normal(0, 6), 1, 100)), "stage": "proposal",
             "note": ""} for j in range(1, 8) for i, e in enumerate(ids) for c in crit]
    write("jury_scores", rows)
    rubric = yaml.safe_load((ROOT / "params/rubrics/lomba-2025.yaml").read_text())
    rubric["stages"][0]["shortlist"] = {"top": 15}
    (folder / "rubric.yaml").write_text(yaml.safe_dump(rubric, allow_unicode=True))
    params = folder / "params.yaml"
    params.write_text(yaml.safe_dump({
        "region": "bench", "region_name": "Kabupaten Bench", "year": 2025,
        "data_dir": "data/bench", "output_dir": "reports", "seed": seed,
        "jury": {"rubric": "rubric.yaml", "store_dir": "store", "method": "mean"}}))
    from evalkit.config import load_params
    from evalkit.jury.workflow import current_state, load_jury

    top = current_state(load_jury(load_params(params))).rounds.entries("presentasi")
    rows += [{"juror_id": f"J{j}", "innovation_id": e, "criterion": c,
              "score": int(np.clip(70 + rng.normal(0, 8), 1, 100)), "stage": "presentasi",
              "note": ""} for j in range(1, 8) for e in top
             for c in ("paparan", "substansi", "tanya_jawab")]
    write("jury_scores", rows)
    return params


def bench_sheets(folder: Path, entries: int, seed: int) -> bool:
    from evalkit.config import load_params
    from evalkit.i18n import Translator
    from evalkit.jury.form import build_form
    from evalkit.jury.workflow import current_state, import_sheets, load_jury, make_sheets

    jury = load_jury(load_params(competition(folder, entries, seed)))
    t = Translator("id")
    state = current_state(jury)
    finalists = len(state.rounds.entries("presentasi"))
    start = time.perf_counter()
    sheets = make_sheets(jury, folder / "sheets", t)
    written = time.perf_counter() - start
    sheet = sheets[0]
    size = sheet.stat().st_size
    start = time.perf_counter()
    (result,) = import_sheets(jury, [sheet], t)
    read = time.perf_counter() - start
    timings = {"write 7 .xlsx": written, "read .xlsx": read}
    print(f"  sheets: {entries} proposals + {finalists} finalists, 7 jurors, "
          f"{size / 1024:.0f} KiB each; imported: {result.ok}")
    soffice = shutil.which("soffice")
    if soffice:
        profile = (folder / "lo").as_uri()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", "ods", "--outdir", str(folder / "ods"), str(sheet)],
                       check=True, capture_output=True, timeout=600)
        ods = folder / "ods" / f"{sheet.stem}.ods"
        start = time.perf_counter()
        (again,) = import_sheets(jury, [ods], t)
        timings["read .ods"] = time.perf_counter() - start
        print(f"    .ods from LibreOffice: {ods.stat().st_size / 1024:.0f} KiB; "
              f"imported: {again.ok}")
    start = time.perf_counter()
    form = build_form(jury, t)
    form.juror.value = "J1"
    timings["build form"] = time.perf_counter() - start
    for name, seconds in timings.items():
        print(f"    {name:<14} {seconds:6.3f} s")
    ok = max(timings.values()) < SHEET_GOAL_SECONDS
    print(f"  goal (< {SHEET_GOAL_SECONDS:g} s each): " + ("met" if ok else "NOT met"))
    return ok and result.ok


if __name__ == "__main__":
    raise SystemExit(main())
