"""Benchmark: assign themes to 50,000 generated innovations (fit + predict) and suggest 30
rows to label, printing the times and peak memory; then, when the shared development sets
are present, the leave-one-province-out protocol (seeds only, learned, per-theme F1,
calibration, the lexicon cut) and the learning curve of suggested against random labels.

Goal: fit + assign under 20 s on 2 cores. Run with ``make bench`` or
``python bench/bench_themes.py [--innovations N] [--no-dev] [--cuts K] [--no-curve]``.
Generation is not timed. The generated titles follow the shape of real ones (an acronym and
its expansion, a unit name, a description for a minority) with words drawn from the
taxonomy's seeds, generic administrative words and random pseudo-words (a Zipf vocabulary of
~20,000 words), so the vocabulary is as large as a national corpus would bring.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEV_SETS = [ROOT.parent / "shared" / "data" / name
            for name in ("themes_dev.csv", "themes_dev2.csv")]
GENERIC = ["sistem", "informasi", "layanan", "pelayanan", "peningkatan", "pengembangan",
           "aplikasi", "berbasis", "digital", "terpadu", "gerakan", "optimalisasi", "inovasi",
           "masyarakat", "program", "percepatan", "pengelolaan", "kualitas", "efektif", "cepat",
           "mudah", "online", "terintegrasi"]
UNITS = {
    "pertanian": ["Dinas Pertanian dan Perikanan", "Dinas Ketahanan Pangan"],
    "energi": ["Dinas Energi dan Sumber Daya Mineral"],
    "lingkungan": ["Dinas Lingkungan Hidup"],
    "pariwisata": ["Dinas Pariwisata dan Kebudayaan"],
    "produk_lokal": ["Dinas Koperasi dan UMKM", "Disnakertrans"],
    "layanan_publik": ["Disdukcapil", "DPMPTSP", "Kecamatan {town}"],
    "tata_kelola": ["Bappeda", "BKPSDM", "Inspektorat", "Bagian Umum Setda"],
    "pendidikan": ["SMAN {n} {town}", "SMKN {n} {town}", "SD Negeri {n} {town}"],
    "kesehatan": ["Puskesmas {town}", "RSUD {town}", "Dinas Kesehatan"],
    "sosial": ["Dinas Sosial", "Dinas PMD", "Satpol PP", "Dinas Damkar"],
    "infrastruktur": ["Dinas PUPR", "Dinas Perhubungan"],
}
SHARE = {"pendidikan": 0.33, "kesehatan": 0.17, "tata_kelola": 0.1, "produk_lokal": 0.08,
         "layanan_publik": 0.07, "lingkungan": 0.06, "pertanian": 0.06, "sosial": 0.05,
         "infrastruktur": 0.05, "pariwisata": 0.02, "energi": 0.01}


def generate(taxonomy, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` innovations with columns innovation_id, title, description, unit, theme.

    One in five comes from a unit of another sector (a school's waste bank), and a third of
    the titles carry no seed word, so the unit and the classifier have work to do.
    """
    rng = np.random.default_rng(seed)
    syllables = np.array(["ba", "ka", "ma", "ra", "si", "tu", "le", "no", "pa", "di", "ga",
                          "ju", "ko", "we", "ha", "mi", "sa", "ta", "ri", "lo", "an", "ung"])
    pseudo = np.array(["".join(rng.choice(syllables, size=k)) for k in
                       rng.integers(2, 5, size=20_000)])
    zipf = 1 / np.arange(1, len(pseudo) + 1)
    towns = pseudo[rng.choice(len(pseudo), size=300, replace=False)]
    themes = list(SHARE)
    theme_of = rng.choice(len(themes), size=n, p=np.array(list(SHARE.values())) / 1.0)
    unit_theme = np.where(rng.random(n) < 0.2, rng.integers(0, len(themes), n), theme_of)
    seeds = {t.id: [term for term, _ in t.seeds] for t in taxonomy.themes if t.id in SHARE}
    words_pool = iter(pseudo[rng.choice(len(pseudo), size=6 * n, p=zipf / zipf.sum())])
    rows = []
    for i in range(n):
        theme = themes[theme_of[i]]
        words = list(rng.choice(seeds[theme], size=rng.integers(0, 3)))
        words += list(rng.choice(GENERIC, size=rng.integers(1, 4)))
        words += [next(words_pool) for _ in range(rng.integers(1, 4))]
        rng.shuffle(words)
        expansion = " ".join(words).title()
        acronym = "".join(w[:2] for w in expansion.split()[:3]).upper()
        unit = str(rng.choice(UNITS[themes[unit_theme[i]]])).format(
            n=rng.integers(1, 9), town=str(rng.choice(towns)).title())
        description = ""
        if rng.random() < 0.3:
            description = " ".join(rng.choice(pseudo, size=rng.integers(10, 30)))
        rows.append((f"G{i:06d}", f"{acronym} ({expansion})", description, unit, theme))
    return pd.DataFrame(rows, columns=["innovation_id", "title", "description", "unit",
                                       "theme"])


def bench(n: int, seed: int) -> None:
    from evalkit.themes.classifier import ThemeClassifier
    from evalkit.themes.suggest import suggest
    from evalkit.themes.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    frame = generate(taxonomy, n, seed)
    inputs = frame[["innovation_id", "title", "description", "unit"]]
    ThemeClassifier(taxonomy).fit_assign(inputs.head(200))  # warm-up: imports, first calls
    start, cpu = time.perf_counter(), time.process_time()
    model = ThemeClassifier(taxonomy, random_state=seed)
    assigned = model.fit_assign(inputs)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    model.assign(inputs.head(10_000))
    predict_10k = time.perf_counter() - start
    start = time.perf_counter()
    suggested = suggest(model, inputs, 30)
    suggest_30 = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()  # a second, traced run: tracemalloc slows Python, so it is not timed
    ThemeClassifier(taxonomy, random_state=seed).fit_assign(inputs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    agree = (assigned["theme"].to_numpy() == frame["theme"].to_numpy()).mean()
    print(f"bench_themes: {len(frame):,} generated innovations, taxonomy "
          f"{taxonomy.version} ({len(taxonomy.ids)} themes)")
    print(f"  fit + assign (fit_assign):   {elapsed:6.2f} s wall, {cpu:.2f} s CPU "
          f"({model.n_weak_:,} weak labels, {model.n_pseudo_:,} self-trained)")
    print(f"  assign 10,000 more (fitted): {predict_10k:6.2f} s")
    print(f"  suggest 30 of {len(inputs):,} to label: {suggest_30:6.2f} s "
          f"(mean uncertainty {suggested['uncertainty'].mean():.2f})")
    print(f"  peak memory of fit + assign: {peak / 2**20:8.1f} MiB (tracemalloc)")
    print(f"  peak RSS of the process:     {rss:8.1f} MiB (incl. the generated data)")
    print(f"  agreement with the generating theme: {agree:.3f}")
    print("  goal (< 20 s): " + ("met" if elapsed < 20 else
                                 f"NOT met on the wall clock (CPU {cpu:.1f} s: a busy machine?)"))


def dev_scores(paths: list[Path], seed: int, cuts: int, curve: bool) -> None:
    """The leave-one-province-out protocol and the learning curve on the shared dev sets."""
    from evalkit.themes.evaluate import learning_curve, protocol, read_labelled
    from evalkit.themes.taxonomy import load_taxonomy

    if not all(p.is_file() for p in paths):
        print(f"dev sets: {', '.join(str(p) for p in paths)} not all found, skipped")
        return
    frame = read_labelled(paths)
    taxonomy = load_taxonomy()
    start = time.perf_counter()
    report = protocol(frame, taxonomy, lexicon_cuts=cuts, random_state=seed)
    print(f"dev sets: {', '.join(p.name for p in paths)}: {report['n']} rows, "
          f"{report['groups']} provinces, each held out in turn "
          f"({time.perf_counter() - start:.0f} s)")
    key = ("energi", "pariwisata", "produk_lokal", "lingkungan")
    for name, scores in report["configs"].items():
        f1 = {r["theme"]: r["f1"] for r in scores["per_theme"]}
        print(f"  {name:<11} macro-F1 {scores['macro_f1']:.3f} pooled, "
              f"{scores['fold_mean_macro_f1']:.3f} mean of folds; accuracy "
              f"{scores['accuracy']:.3f}; ECE {scores['ece']:.3f} (map fitted without "
              f"the held-out province: {scores['ece_map_fitted_without_the_group']:.3f})")
        print("              " + ", ".join(f"{t} {f1.get(t, 0):.2f}" for t in key))
        print("              " + ", ".join(f"{t} {v:.2f}" for t, v in f1.items()
                                           if t not in key))
    if "lexicon_cut" in report:
        cut = report["lexicon_cut"]
        print(f"  lexicon cut ({cut['share']:.0%} of the seeds, {cut['cuts']} cuts): " + "; ".join(
            f"{c} {cut[c]['mean']:.3f} ({cut[c]['min']:.3f}-{cut[c]['max']:.3f})"
            for c in report["configs"]))
    if not curve:
        return
    for share, scored in ((None, "the held-back province's remaining rows"),
                          (0.33, "a fixed third of the province, never offered for labels")):
        start = time.perf_counter()
        points = learning_curve(frame, taxonomy, random_state=seed, test_share=share)["points"]
        print(f"  learning curve ({time.perf_counter() - start:.0f} s): macro-F1 on {scored}")
        for p in points:
            print(f"    {p['strategy']:<9} {p['labels']:3d} labels: pooled "
                  f"{p['pooled_macro_f1']}, mean of provinces {p['mean_group_macro_f1']}, "
                  f"accuracy {p['mean_group_accuracy']} ({len(p['groups'])} provinces)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--innovations", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-dev", action="store_true", help="skip the dev-set protocol")
    parser.add_argument("--cuts", type=int, default=3, help="lexicon cuts (default 3)")
    parser.add_argument("--no-curve", action="store_true", help="skip the learning curve")
    args = parser.parse_args(argv)
    bench(args.innovations, args.seed)
    if not args.no_dev:
        dev_scores(DEV_SETS, args.seed, args.cuts, not args.no_curve)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
