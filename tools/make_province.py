"""Generate made-up regions: the sample province ``data/sample/bengkulu/`` and national sets.

Deterministic: every region draws from ``numpy.random.default_rng((SEED, region number))``,
so a region's files do not depend on which other regions are generated, and running the
script again reproduces identical bytes (CSV written by the csv module with ``\\n`` endings).

The sample province holds the ten regencies and cities of Provinsi Bengkulu under their real
names. Kabupaten Rejang Lebong is the bundled sample region (``data/sample/rejang-lebong``,
written by ``tools/make_sample.py``) and is not copied: its params file points at it. The
other nine are generated here, with the few published facts we have kept as facts (see
``data/sample/bengkulu/README.md``); everything else is made up.

``national(n)`` describes a national synthetic set (550 regions of about 70 innovations each
for the benchmark); ``write_region`` writes any region, ``region_frames`` gives the same tables
as canonical DataFrames without touching the disk.

Usage::

    python tools/make_province.py             # (re)write data/sample/bengkulu/ and params/bengkulu/
    python tools/make_province.py --check     # exit 1 if the files on disk differ
    python tools/make_province.py --national 550 --out /tmp/national   # a benchmark set
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SEED = 20250319  # the date of the seed article (19 March 2025), as in make_sample.py
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_OUT = ROOT / "data" / "sample" / "bengkulu"
PARAMS_OUT = ROOT / "params" / "bengkulu"
YEARS = (2024, 2025)

SID_INDICATORS = tuple(str(i) for i in range(16, 36))
SPD_ROWS = ("1", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9",
            "10a", "10b", "11a", "11b", "12", "13a", "13b", "14", "15")
# Replication and complaint handling are rare, IT use and publicity common (as make_sample.py).
IND_OFFSET = {"31": -2.2, "29": -0.7, "22": -0.3, "20": -0.3, "34": -0.2, "18": -0.2,
              "19": 0.2, "25": 0.3}
HISTORY_HEADER = ["year", "score", "predicate", "rank", "rank_out_of", "scope"]

# --------------------------------------------------------------------------------------------
# Units: the usual apparatus of a kabupaten/kota (a made-up organisation chart)
# --------------------------------------------------------------------------------------------

OPDS: tuple[tuple[str, str, str, str], ...] = (  # unit_id, name, kind, alias
    ("setda", "Sekretariat Daerah", "sekretariat", "Setda"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "badan", "Bappeda"),
    ("bpkd", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan", "BPKAD"),
    ("bapenda", "Badan Pendapatan Daerah", "badan", "Bapenda"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", "BKPSDM"),
    ("inspektorat", "Inspektorat Daerah", "inspektorat", "Inspektorat"),
    ("disdik", "Dinas Pendidikan dan Kebudayaan", "dinas", "Disdikbud"),
    ("dinkes", "Dinas Kesehatan", "dinas", "Dinkes"),
    ("rsud", "Rumah Sakit Umum Daerah", "rsud", "RSUD"),
    ("dinsos", "Dinas Sosial", "dinas", "Dinsos"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", "Disdukcapil"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", "DPMPTSP"),
    ("dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", "Dinas PUPR"),
    ("dinas-perkim", "Dinas Perumahan dan Kawasan Permukiman", "dinas", "Disperkim"),
    ("dlh", "Dinas Lingkungan Hidup", "dinas", "DLH"),
    ("distan", "Dinas Pertanian dan Ketahanan Pangan", "dinas", "Distan"),
    ("diskan", "Dinas Perikanan", "dinas", "Diskan"),
    ("dispar", "Dinas Pariwisata, Pemuda dan Olahraga", "dinas", "Disparpora"),
    ("diskop", "Dinas Koperasi, UKM dan Perdagangan", "dinas", "Diskopdag"),
    ("disnaker", "Dinas Tenaga Kerja dan Transmigrasi", "dinas", "Disnakertrans"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "dinas", "Diskominfo"),
    ("dishub", "Dinas Perhubungan", "dinas", "Dishub"),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas", "DPMD"),
    ("satpol-pp", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "dinas", "Satpol PP"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "badan", "BPBD"),
    ("dispusip", "Dinas Perpustakaan dan Kearsipan", "dinas", "Dispusip"),
)

# --------------------------------------------------------------------------------------------
# Innovations: per theme, made-up title stems, description phrases, urusan and units.
# Written from the vocabulary of local government (OPD names, urusan of UU 23/2014, common
# service names), not from any list of real innovations.
# --------------------------------------------------------------------------------------------

PEND, KES = "Pendidikan", "Kesehatan"
PU, PERKIM = "Pekerjaan Umum dan Penataan Ruang", "Perumahan Rakyat dan Kawasan Permukiman"
TRANTIB = "Ketenteraman dan Ketertiban Umum serta Pelindungan Masyarakat"
SOS = "Sosial"


@dataclass(frozen=True)
class ThemeWords:
    stems: tuple[str, ...]  # the title's subject
    purpose: tuple[str, ...]  # what it does, for the description
    affairs: tuple[str, ...]
    units: tuple[str, ...]  # unit ids (or "kecamatan") that field it
    form: str = "pelayanan_publik"


THEMES: dict[str, ThemeWords] = {
    "pertanian": ThemeWords(
        ("Pendampingan Kelompok Tani", "Pupuk Bersubsidi Tepat Sasaran", "Benih Padi Unggul",
         "Penyuluhan Pertanian Keliling", "Kartu Tani", "Budidaya Ikan Kolam Terpal"),
        ("penyuluh pertanian mendampingi petani dan gapoktan di sawah",
         "hasil panen dan harga gabah dicatat untuk ketahanan pangan",
         "pembudidaya ikan mendapat benih dan pakan"),
        ("Pertanian", "Pangan", "Kelautan dan Perikanan"), ("distan", "diskan")),
    "energi": ThemeWords(
        ("Panel Surya Sekolah", "Biogas Kotoran Ternak", "Penerangan Jalan Tenaga Surya",
         "Mikrohidro Desa"),
        ("energi terbarukan dari panel surya dan biogas menekan biaya listrik",
         "listrik desa dari pembangkit mikrohidro"),
        ("Energi dan Sumber Daya Mineral", PU), ("dinas-pupr", "dlh")),
    "lingkungan": ThemeWords(
        ("Bank Sampah Kelurahan", "Eco-Enzyme Sekolah", "Penghijauan Daerah Aliran Sungai",
         "Pengolahan Sampah Pasar"),
        ("sampah rumah tangga dipilah, didaur ulang dan ditabung di bank sampah",
         "warga menanam pohon untuk penghijauan dan konservasi air"),
        ("Lingkungan Hidup",), ("dlh", "kecamatan")),
    "pariwisata": ThemeWords(
        ("Desa Wisata Berbasis Komunitas", "Festival Budaya Daerah", "Kalender Event Wisata",
         "Pemandu Wisata Pemuda"),
        ("desa wisata dikelola kelompok sadar wisata bersama warga",
         "destinasi wisata dan kesenian daerah dipromosikan"),
        ("Pariwisata", "Kebudayaan"), ("dispar",)),
    "produk_lokal": ThemeWords(
        ("Etalase Produk UMKM", "Pasar Tani Mingguan", "Koperasi Digital", "Bursa Kerja Daerah",
         "Sertifikasi Halal UMKM"),
        ("pelaku UMKM memasarkan produk lokal dan mengurus izin usaha",
         "pencari kerja dipertemukan dengan lowongan perusahaan"),
        ("Koperasi, Usaha Kecil, dan Menengah", "Perdagangan", "Tenaga Kerja"),
        ("diskop", "disnaker")),
    "layanan_publik": ThemeWords(
        ("Antar Jemput Dokumen Kependudukan", "Mal Pelayanan Publik", "Perizinan Satu Pintu",
         "Pengaduan Warga Terpadu", "KTP Elektronik Keliling", "Pelayanan Kecamatan Sehari"),
        ("dokumen kependudukan KTP, KK dan akta diurus tanpa antre",
         "permohonan izin dan pengaduan warga ditindaklanjuti dengan batas waktu"),
        ("Administrasi Kependudukan dan Pencatatan Sipil", "Penanaman Modal",
         "Komunikasi dan Informatika"), ("disdukcapil", "dpmptsp", "diskominfo", "kecamatan")),
    "tata_kelola": ThemeWords(
        ("Perencanaan Anggaran Terpadu", "Pajak Daerah Nontunai", "Absensi Pegawai",
         "Satu Data Daerah", "Arsip Dinamis", "Pengawasan Intern Berbasis Risiko"),
        ("perencanaan, penganggaran dan laporan keuangan daerah disusun dari satu data",
         "kinerja pegawai dan kearsipan dinas dicatat secara tertib"),
        ("Perencanaan", "Keuangan", "Kepegawaian", "Statistik", "Kearsipan"),
        ("bappeda", "bpkd", "bapenda", "bkpsdm", "inspektorat", "setda", "dispusip"),
        form="tata_kelola"),
    "pendidikan": ThemeWords(
        ("Guru Penggerak Literasi", "Sekolah Ramah Anak", "Beasiswa Siswa Berprestasi",
         "Perpustakaan Keliling Sekolah"),
        ("siswa dan guru sekolah dasar mendapat pendampingan literasi dan numerasi",
         "anak putus sekolah kembali belajar"),
        (PEND, "Perpustakaan"), ("disdik", "dispusip")),
    "kesehatan": ThemeWords(
        ("Posyandu Remaja", "Pencegahan Stunting Balita", "Antrean Puskesmas",
         "Ambulans Desa Siaga", "Rujukan Pasien Cepat"),
        ("balita berisiko stunting dipantau kader posyandu dan bidan desa",
         "pasien puskesmas dan rumah sakit dilayani tanpa antre panjang"),
        (KES,), ("dinkes", "rsud")),
    "sosial": ThemeWords(
        ("Data Terpadu Kesejahteraan Sosial", "Rumah Singgah Lansia", "Bantuan Disabilitas",
         "Pemberdayaan Perempuan Desa", "Perlindungan Anak Terpadu"),
        ("warga miskin, lansia dan penyandang disabilitas menerima bantuan sosial tepat sasaran",
         "kader desa mendampingi perempuan dan anak korban kekerasan"),
        (SOS, "Pemberdayaan Perempuan dan Pelindungan Anak",
         "Pemberdayaan Masyarakat dan Desa"), ("dinsos", "dpmd", "kecamatan")),
    "infrastruktur": ThemeWords(
        ("Pemantauan Jalan Rusak", "Rumah Layak Huni", "Air Bersih Desa",
         "Drainase Lingkungan", "Tanggap Bencana Banjir", "Patroli Ketertiban"),
        ("jalan, jembatan dan drainase dipantau dan diperbaiki lebih cepat",
         "rumah tidak layak huni dan sambungan air bersih ditangani",
         "warga siaga bencana dan ketertiban umum terjaga"),
        (PU, PERKIM, TRANTIB), ("dinas-pupr", "dinas-perkim", "bpbd", "satpol-pp", "dishub")),
}
PREFIXES = ("SI", "E", "GERAI", "SAPA", "LAYANAN", "GO", "SIGAP", "RUMAH")
STAGES = ("inisiatif", "uji_coba", "penerapan")


@dataclass(frozen=True)
class RegionSpec:
    """One made-up region: who it is, its size per year, and its latent quality (0-1)."""

    region_id: str
    name: str
    number: int  # seeds the region's own random stream
    code: str  # innovation id prefix
    innovations: dict[int, int]  # year -> number of innovations
    quality: float  # how well innovations are documented (claimed levels)
    verification: float  # how much of a claim survives verification
    spd: float  # region-level (SPD) maturity
    kecamatan: int = 8
    province: str = "Bengkulu"
    history: tuple[tuple[int, str, str, str, str, str], ...] = ()  # FACTS only
    themes: tuple[str, ...] = tuple(THEMES)  # themes the region favours come first
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "kota" if self.name.startswith("Kota ") else "kabupaten"


# --------------------------------------------------------------------------------------------
# The sample province (names FACT; sizes and qualities made up)
# --------------------------------------------------------------------------------------------

KOTA_BENGKULU_HISTORY = tuple(  # FACT: "Sangat Inovatif" three years running up to 2025
    (year, "", "Sangat Inovatif", "", "", "kota nasional") for year in (2022, 2023, 2024))
KAUR_HISTORY = ((2023, "48.39", "Inovatif", "3", "10", "provinsi"),)  # FACT (score, rank 3)

BENGKULU: tuple[RegionSpec, ...] = (
    RegionSpec("bengkulu-selatan", "Kabupaten Bengkulu Selatan", 1, "BS", {2024: 30, 2025: 36},
               0.55, 0.84, 0.55, 11, themes=("pertanian", "kesehatan", "layanan_publik")),
    RegionSpec("bengkulu-tengah", "Kabupaten Bengkulu Tengah", 2, "BT", {2024: 22, 2025: 27},
               0.48, 0.80, 0.50, 10, themes=("infrastruktur", "pertanian", "tata_kelola")),
    RegionSpec("bengkulu-utara", "Kabupaten Bengkulu Utara", 3, "BU", {2024: 38, 2025: 44},
               0.58, 0.86, 0.58, 19, themes=("pertanian", "produk_lokal", "energi")),
    RegionSpec("kaur", "Kabupaten Kaur", 4, "KR", {2024: 36, 2025: 40}, 0.64, 0.88, 0.62, 15,
               history=KAUR_HISTORY, themes=("pariwisata", "pertanian", "layanan_publik")),
    RegionSpec("kepahiang", "Kabupaten Kepahiang", 5, "KP", {2024: 26, 2025: 30},
               0.52, 0.84, 0.52, 8, themes=("pertanian", "pariwisata", "produk_lokal")),
    RegionSpec("lebong", "Kabupaten Lebong", 6, "LB", {2024: 16, 2025: 20}, 0.42, 0.76, 0.45,
               13, themes=("energi", "pertanian", "sosial")),
    RegionSpec("mukomuko", "Kabupaten Mukomuko", 7, "MM", {2024: 22, 2025: 26}, 0.50, 0.82,
               0.50, 15, themes=("pertanian", "infrastruktur", "kesehatan")),
    RegionSpec("seluma", "Kabupaten Seluma", 8, "SL", {2024: 20, 2025: 22}, 0.45, 0.78, 0.46,
               14, themes=("sosial", "pertanian", "pendidikan")),
    RegionSpec("kota-bengkulu", "Kota Bengkulu", 9, "KB", {2024: 110, 2025: 120}, 0.86, 0.95,
               0.82, 9, history=KOTA_BENGKULU_HISTORY,
               themes=("layanan_publik", "pendidikan", "kesehatan", "tata_kelola")),
)
SAMPLE_REGION = ("rejang-lebong", "Kabupaten Rejang Lebong")  # the bundled sample, reused
PROVINCE_HISTORY = (  # FACT, read as issue 12 reads the seed article: the province 8 -> 4
    (2023, "", "", "8", "", "provinsi nasional"),
    (2024, "", "", "4", "", "provinsi nasional"),
)


def national(regions: int = 550, innovations: int = 70, seed: int = SEED) -> list[RegionSpec]:
    """A national synthetic set: ``regions`` made-up regions (one in six a kota) of about
    ``innovations`` innovations each, spread over 38 made-up provinces."""
    rng = np.random.default_rng((seed, 0))
    out = []
    names = tuple(THEMES)
    for i in range(regions):
        kind = "Kota" if i % 6 == 5 else "Kabupaten"
        size = max(3, int(rng.normal(innovations, innovations * 0.35)))
        quality = float(np.clip(rng.normal(0.5, 0.15), 0.1, 0.95))
        order = tuple(names[j] for j in rng.permutation(len(names)))
        out.append(RegionSpec(
            f"r{i + 1:04d}", f"{kind} Contoh {i + 1:04d}", 1000 + i, f"R{i + 1:04d}",
            {2024: max(3, int(size * 0.9)), 2025: size}, quality,
            float(np.clip(rng.normal(0.8, 0.08), 0.5, 0.98)),
            float(np.clip(rng.normal(0.5, 0.15), 0.1, 0.95)), int(rng.integers(5, 20)),
            province=f"Contoh {i % 38 + 1:02d}", themes=order[:3]))
    return out


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

def _units(spec: RegionSpec) -> list[list[str]]:
    rows = [["unit_id", "name", "kind", "aliases"]]
    for k in range(1, spec.kecamatan + 1):
        rows.append([f"kec-{k:02d}", f"Kecamatan Contoh {k:02d}", "kecamatan",
                     f"Kec. Contoh {k:02d}"])
    rows += [[uid, name, kind, alias] for uid, name, kind, alias in OPDS]
    return rows


def _theme_weights(spec: RegionSpec) -> np.ndarray:
    names = list(THEMES)
    weights = np.ones(len(names))
    for rank, theme in enumerate(spec.themes):
        weights[names.index(theme)] += 3.0 / (rank + 1)
    return weights / weights.sum()


def region_tables(spec: RegionSpec, year: int) -> dict[str, list[list[str]]]:
    """The input tables of one region-year as rows of text (header first)."""
    rng = np.random.default_rng((SEED, spec.number, year))
    names = list(THEMES)
    gain = 0.04 * (year - min(spec.innovations))  # regions get a little better each year
    n = spec.innovations[year]
    themes = rng.choice(len(names), size=n, p=_theme_weights(spec))
    quality = np.clip(rng.normal(spec.quality + gain, 0.15, n), 0.02, 1.0)
    status = rng.choice(3, size=n, p=[0.86, 0.07, 0.07])  # accepted, pending, rejected
    kec = rng.integers(1, spec.kecamatan + 1, size=n)
    picks = rng.integers(0, 1 << 30, size=(n, 6))
    inn = [["innovation_id", "year", "unit_id", "title", "description", "form", "type", "affair",
            "stage", "start_date", "initiator", "verification_status"]]
    ev = [["innovation_id", "indicator", "claimed_level", "verified_level", "evidence_ref", "note"]]
    offsets = np.array([IND_OFFSET.get(i, 0.0) for i in SID_INDICATORS])
    for k in range(n):
        words = THEMES[names[themes[k]]]
        p = picks[k]
        iid = f"{spec.code}-{year}-{k + 1:03d}"
        unit = words.units[p[0] % len(words.units)]
        unit = f"kec-{kec[k]:02d}" if unit == "kecamatan" else unit
        stem = words.stems[p[1] % len(words.stems)]
        prefix = PREFIXES[p[2] % len(PREFIXES)]
        title = f"{prefix}-{stem.split()[0].upper()} {k + 1} ({stem})"
        desc = (f"{words.purpose[p[3] % len(words.purpose)].capitalize()}; inovasi rekaan "
                f"nomor {k + 1} untuk data contoh.")
        digital = prefix in ("SI", "E", "GO") or p[4] % 3 == 0
        month = 1 + p[5] % 12
        state = ("accepted", "pending", "rejected")[status[k]]
        inn.append([iid, str(year), unit, title, desc, words.form,
                    "digital" if digital else "non_digital",
                    words.affairs[p[4] % len(words.affairs)], STAGES[min(2, p[5] % 4)],
                    f"{year - 1 - p[3] % 3}-{month:02d}-01", "perangkat_daerah", state])
        claimed = np.clip(np.rint(3 * quality[k] + offsets + rng.normal(0, 0.6, 20)), 0, 3)
        drop = rng.choice(3, size=20, p=[spec.verification, (1 - spec.verification) * 0.8,
                                         (1 - spec.verification) * 0.2])
        for j, indicator in enumerate(SID_INDICATORS):
            c = int(claimed[j])
            if state == "pending":
                v = ""
            elif state == "rejected":
                v = "0"
            else:
                v = str(max(0, c - int(drop[j])))
            ref = f"{iid}_{indicator}.pdf" if c > 0 else ""
            ev.append([iid, indicator, str(c), v, ref, ""])
    spd = np.clip(np.rint(3 * (spec.spd + gain) + rng.normal(0, 0.7, len(SPD_ROWS))), 0, 3)
    region = [["indicator", "level", "value", "evidence_ref"]] + [
        [row, str(int(level)), "", f"SPD_{year}_{row}.pdf" if level > 0 else ""]
        for row, level in zip(SPD_ROWS, spd, strict=True)]
    history = [HISTORY_HEADER] + [[str(y), *rest] for y, *rest in spec.history if y < year]
    return {"units": _units(spec), "innovations": inn, "evidence": ev,
            "region_indicators": region, "history": history}


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def region_files(spec: RegionSpec, years: Sequence[int] | None = None) -> dict[str, bytes]:
    """Relative path (``<year>/<table>.csv``) -> bytes, for every year of the region."""
    files = {}
    for year in years or sorted(spec.innovations):
        for name, rows in region_tables(spec, year).items():
            files[f"{year}/{name}.csv"] = csv_bytes(rows)
    return files


def write_region(folder: Path, spec: RegionSpec, years: Sequence[int] | None = None) -> Path:
    """Write the region's year folders under ``folder``; return it."""
    for rel, data in region_files(spec, years).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def params_text(spec_id: str, name: str, year: int, data_dir: str, output_dir: str,
                themes: str, chapters: Sequence[str], seed: int,
                extra: str = "", province: str = "Bengkulu") -> str:
    """A region's params file (YAML), paths relative to the file. The IID rubric is the
    year's copy shipped with evalkit (no ``iid.rubric``)."""
    return (
        f"# Run settings of {name} for {year} (sample province; see data/sample/bengkulu/).\n"
        "# Written by tools/make_province.py.\n"
        f"region: {spec_id}\nregion_name: {name}\nprovince: {province}\nyear: {year}\n"
        f"data_dir: {data_dir}\noutput_dir: {output_dir}\nlanguage: id\n"
        f"formats: [html, pdf]\nseed: {seed}\n"
        f"iid:\n  mode: verified  # rubric: the copy shipped with evalkit (iid-{year})\n"
        + (f"themes:\n  taxonomy: {themes}\n" if themes else "") + extra +
        f"report:\n  chapters: [{', '.join(chapters)}]\n"
        "  note: >-\n    Data contoh provinsi: nama daerah dan riwayat peringkat yang "
        "dipublikasikan adalah fakta;\n    selebihnya data rekaan (lihat "
        "data/sample/bengkulu/README.md).\n")


CHAPTERS = ("participation", "history", "iid", "themes", "quality")


def sample_params() -> dict[str, str]:
    """``params/bengkulu/<region>.yaml`` (the latest year) and ``2024/<region>.yaml``."""
    files = {}
    for year, sub, up in ((2025, "", "../.."), (2024, "2024/", "../../..")):
        for spec in BENGKULU:
            files[f"{sub}{spec.region_id}.yaml"] = params_text(
                spec.region_id, spec.name, year, f"{up}/data/sample/bengkulu/{spec.region_id}",
                f"{up}/reports/bengkulu/{spec.region_id}",
                "", CHAPTERS, SEED + spec.number)  # the taxonomy shipped in the package
        rid, name = SAMPLE_REGION
        jury = (f"jury:\n  rubric: {up}/params/rubrics/lomba-2025.yaml\n"
                "  jurors: [J1, J2, J3, J4, J5, J6, J7]\n  method: zscore\n"
                f"  store_dir: {up}/store/rejang-lebong/2025\n") if year == 2025 else ""
        chapters = (*CHAPTERS[:4], "jury", "quality") if year == 2025 else CHAPTERS
        files[f"{sub}{rid}.yaml"] = params_text(
            rid, name, year, f"{up}/data/sample/{rid}", f"{up}/reports/bengkulu/{rid}",
            "", chapters,
            {2025: 20250319, 2024: 20240319}[year], jury)
    return files


def sample_files() -> dict[str, bytes]:
    """Relative path under data/sample/bengkulu -> bytes (the README is written by hand)."""
    files = {}
    for spec in BENGKULU:
        for rel, data in region_files(spec, YEARS).items():
            files[f"{spec.region_id}/{rel}"] = data
    files["history.csv"] = csv_bytes([HISTORY_HEADER] + [[str(y), *r] for y, *r in
                                                         PROVINCE_HISTORY])
    return files


def write_national(out: Path, regions: int, innovations: int = 70) -> list[Path]:
    """A national set under ``out``: data/<region>/<year>/ and params/<region>.yaml."""
    written = []
    for spec in national(regions, innovations):
        write_region(out / "data" / spec.region_id, spec)
        path = out / "params" / f"{spec.region_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(params_text(
            spec.region_id, spec.name, 2025, f"../data/{spec.region_id}",
            f"../reports/{spec.region_id}",
            "", CHAPTERS, spec.number,
            province=spec.province), encoding="utf-8")
        written.append(path)
    return written


def _compare(out: Path, files: dict[str, bytes]) -> list[Path]:
    return [out / rel for rel, data in files.items()
            if not (out / rel).is_file() or (out / rel).read_bytes() != data]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk; exit 1 on any difference")
    ap.add_argument("--national", type=int, metavar="N",
                    help="write a national set of N made-up regions to --out instead")
    ap.add_argument("--innovations", type=int, default=70, help="national: mean per region")
    ap.add_argument("--out", type=Path, help="national: where to write")
    args = ap.parse_args(argv)
    if args.national:
        if args.out is None:
            ap.error("--national needs --out")
        written = write_national(args.out, args.national, args.innovations)
        print(f"wrote {len(written)} regions under {args.out}")
        return 0
    data = sample_files()
    params = {rel: text.encode("utf-8") for rel, text in sample_params().items()}
    if args.check:
        bad = _compare(SAMPLE_OUT, data) + _compare(PARAMS_OUT, params)
        for path in bad:
            print(f"differs: {path}", file=sys.stderr)
        return 1 if bad else 0
    for out, files in ((SAMPLE_OUT, data), (PARAMS_OUT, params)):
        for rel, content in files.items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        print(f"wrote {len(files)} files under {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
