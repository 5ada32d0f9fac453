"""Benchmark: reading and validating inputs at real sizes, and printing what a user sees.

1. ``evalkit validate`` on a 5,000-row IID application export (made up here, in the export's
   format: every cell text, "Name (login)" submitters, repeats), in-process and as a command;
2. a 20,000-row innovations table with pasted duplicate ids (the check is linear);
3. a workbook whose sheet claims A1:XFD1048576 (one stray cell): read time and memory;
4. the grouped output for 700 rows with the same bad value (it must fit on one screen).

Run with ``make bench`` or ``python bench/bench_inputs.py [--rows N]``. Generation is not timed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["No", "Judul Inovasi", "Pemda", "Admin OPD", "Inisiator", "Nama Inisiator",
          "Bentuk Inovasi", "Jenis", "Asta Cipta", "Urusan Utama", "Urusan lain yang beririsan",
          "Kematangan", "Tahapan Inovasi", "Tanggal Input", "Tanggal Penerapan",
          "Tanggal Pengembangan", "Koordinat", "Video", "Link Video"]
FORMS = ("Inovasi pelayanan publik", "Inovasi tata kelola pemerintahan daerah",
         "Inovasi Daerah lainnya sesuai dengan Urusan Pemerintahan yang menjadi kewenangan "
         "Daerah")
AFFAIRS = ("pendidikan", "kesehatan", "ketenteraman, ketertiban umum, dan pelindungan "
           "masyarakat", "sosial", "pekerjaan umum dan penataan ruang",
           "koperasi, usaha kecil, dan menengah", "energi dan sumber daya mineral",
           "Fungsi Penunjang lainnya sesuai dengan ketentuan peraturan perundang-undangan",
           "pertanian", "pariwisata", "perhubungan", "komunikasi dan informatika")
KINDS = ("Dinas", "Badan", "Biro", "UPT", "SMA Negeri", "SMK Negeri", "Cabang Dinas")


def export_rows(n: int, seed: int = 0) -> list[list[object]]:
    """A made-up provincial export of ``n`` rows (one unit in ten has two logins)."""
    rng = np.random.default_rng(seed)
    units = [f"{KINDS[i % len(KINDS)]} Contoh {i}" for i in range(max(1, n // 17))]
    rows: list[list[object]] = [HEADER]
    for i in range(n):
        u = int(rng.integers(len(units)))
        login = f"prov.unit{u}" if rng.random() > 0.1 else f"iga2025.unit{u}"
        maturity = float(rng.integers(0, 112))
        rows.append([
            i + 1, f"Inovasi Contoh {i // 1.02:.0f} ({'ABCDEFGH'[i % 8]}-{i})",
            "Provinsi Contoh", f"{units[u]} ({login})",
            ("ASN", "OPD", "Kepala Daerah", "Masyarakat")[i % 4], f"Pegawai Contoh {i}",
            FORMS[i % 3], ("Digital", "Non Digital", "Teknologi")[i % 3], "-",
            AFFAIRS[i % len(AFFAIRS)], "" if i % 3 else AFFAIRS[(i + 5) % len(AFFAIRS)],
            f"{maturity:.2f}" if maturity else "0", ("Inisiatif", "Uji Coba", "Penerapan")[i % 3],
            f"{1 + i % 28:02d}-07-2025", "-" if i % 7 == 0 else f"{1 + i % 28:02d}-03-2024",
            "-", "-", "Ada" if i % 5 else "Tidak Ada",
            f"https://youtu.be/contoh{i}" if i % 5 else "-"])
    return rows


def write_export(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    book.save(path)


def project(folder: Path, region: str) -> Path:
    (folder / "data" / region / "2025").mkdir(parents=True)
    params = folder / f"{region}.yaml"
    params.write_text(yaml.safe_dump({"region": region, "year": 2025,
                                      "data_dir": f"data/{region}"}), encoding="utf-8")
    return params


def timed(call, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    from evalkit.cli import main as evalkit
    from evalkit.config import load_params
    from evalkit.inputs.read import read_xlsx
    from evalkit.inputs.validate import check_params_year

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # 1. the export --------------------------------------------------------------------
        params = project(folder, "provinsi")
        export = folder / "data" / "provinsi" / "2025" / "data_inovasi.xlsx"
        write_export(export, export_rows(args.rows))
        loaded = load_params(params)
        read_s, _ = timed(lambda: read_xlsx(export, str(export)))
        validate_s, checked = timed(lambda: check_params_year(loaded))
        start = time.perf_counter()
        command = Path(sys.executable).with_name("evalkit")
        done = subprocess.run([str(command), "validate", "--params", str(params)],
                              capture_output=True, text=True, check=False)
        command_s = time.perf_counter() - start
        tracemalloc.start()
        check_params_year(loaded)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        errors = sum(i.severity == "error" for i in checked.issues)
        print(f"bench_inputs: IID export, {args.rows:,} rows x {len(HEADER)} columns "
              f"({export.stat().st_size / 1024:.0f} KiB), {len(checked.frames['units'])} units "
              "derived from the submitters")
        print(f"  read the workbook:              {read_s:6.2f} s")
        print(f"  validate (in process):          {validate_s:6.2f} s  "
              f"(peak {peak / 2**20:.0f} MiB traced; {errors} errors, "
              f"{len(checked.issues) - errors} warnings)")
        print(f"  evalkit validate (the command): {command_s:6.2f} s  (exit {done.returncode}; "
              "includes start-up and imports)")
        # 2. pasted duplicates ---------------------------------------------------------------
        params = project(folder, "duplicates")
        year = folder / "data" / "duplicates" / "2025"
        with (year / "innovations.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["innovation_id", "year", "unit_id", "title"])
            for i in range(20_000):
                writer.writerow([f"X-{i % 400}", 2025, f"Dinas Contoh {i % 50}", f"Judul {i}"])
        dup_s, checked = timed(lambda: check_params_year(load_params(params)), repeat=1)
        dups = sum(i.code == "duplicate-id" for i in checked.issues)
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            evalkit(["validate", "--params", str(params)])
        print(f"  20,000 rows, pasted ids:        {dup_s:6.2f} s  ({dups:,} duplicate ids, "
              f"{len(stderr.getvalue().splitlines())} line(s) of errors)")
        # 3. a stray cell in the far corner ---------------------------------------------------
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(["juror_id", "name"])
        book.active.append(["J1", "Juri Contoh"])
        book.active["XFD1048576"] = "x"
        stray = folder / "stray.xlsx"
        book.save(stray)
        tracemalloc.start()
        stray_s, _ = timed(lambda: read_xlsx(stray, str(stray)), repeat=1)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  stray cell at XFD1048576:       {stray_s:6.2f} s  (peak {peak / 2**20:.1f} MiB; "
              f"{stray.stat().st_size / 1024:.0f} KiB file)")
        # 4. what 700 rows of one bad value look like -------------------------------------------
        params = project(folder, "bad")
        year = folder / "data" / "bad" / "2025"
        with (year / "innovations.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["innovation_id", "unit_id", "title", "bentuk"])
            for i in range(700):
                writer.writerow([f"X-{i}", "Dinas Contoh", f"Judul {i}",
                                 "Tata Kelola Pemerintahan Daerah dan Pelayanan Publik"])
        stderr, stdout = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            code = evalkit(["validate", "--params", str(params)])
        print(f"  700 rows of one bad value: exit {code}, {len(stderr.getvalue().splitlines())} "
              f"error line(s), {len(stdout.getvalue().splitlines())} other line(s):")
        for line in stderr.getvalue().splitlines():
            print("    " + line.strip())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
