"""Generate the bundled sample region ``data/sample/rejang-lebong/{2023,2024,2025}/`` and the
same region's 2025 innovations in the IID application's export format,
``data/sample/rejang-lebong-export/2025/data_inovasi.xlsx``.

Deterministic: the units and innovations are hand-written below; only evidence levels, jury
scores and small noise come from ``numpy.random.default_rng(SEED)``. Running the script again
reproduces identical bytes (CSV written by the csv module with ``\\n`` line ends; the XLSX
re-zipped with fixed timestamps).

Facts (region, kecamatan, the units named in the seed article, the five 2025 award winners and
the published IID history) come from ``shared/seed/facts.md`` and the seed article; everything
else is synthetic. See ``data/sample/rejang-lebong/README.md``.

The export is written from the 2025 tables (no random draws of its own), in exactly the
format of ``shared/formats/iid-app-export/README.md``: every cell text except ``No``, the
application's phrases and spellings, "-" for none, *Kematangan* as the sum of weight × claimed
level (the region's own entry), a repeated row, a row carried over from the 2024 campaign, a
region-level admin account, and invented initiator names (all with "Contoh").

Usage::

    python tools/make_sample.py            # (re)write the sample
    python tools/make_sample.py --check    # exit 1 if the files on disk differ
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEED = 20250319  # the date of the seed article (19 March 2025)
YEARS = (2023, 2024, 2025)
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "sample" / "rejang-lebong"
EXPORT_DIR = "rejang-lebong-export"  # beside DEFAULT_OUT: the same region, the export's format

SID_INDICATORS = tuple(str(i) for i in range(16, 36))
SPD_ROWS = ("1", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9",
            "10a", "10b", "11a", "11b", "12", "13a", "13b", "14", "15")
CRITERIA = ("kebaruan", "efektivitas", "kemanfaatan", "replikasi", "keberlanjutan")
# The 2025 competition has two rounds (params/rubrics/lomba-2025.yaml, synthetic): proposals,
# then the top 10 present. Stage weights and the presentation's criteria weights match it.
STAGE_WEIGHTS = {"proposal": 0.4, "presentasi": 0.6}
PRESENTATION = ("paparan", "substansi", "tanya_jawab")
PROPOSAL_WEIGHTS = (0.25, 0.20, 0.25, 0.15, 0.15)
PRESENTATION_WEIGHTS = (0.30, 0.50, 0.20)

# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------

KECAMATAN = (  # FACT: the 15 kecamatan (facts.md, dkm.or.id)
    "Bermani Ulu", "Bermani Ulu Raya", "Binduriang", "Curup", "Curup Selatan",
    "Curup Tengah", "Curup Timur", "Curup Utara", "Kota Padang", "Padang Ulak Tanding",
    "Selupu Rejang", "Sindang Beliti Ilir", "Sindang Beliti Ulu", "Sindang Dataran",
    "Sindang Kelingi",
)


def _kec_id(name: str) -> str:
    return "kec-" + name.lower().replace(" ", "-")


# (unit_id, name, kind, aliases). The first 16 are the OPDs the seed article names as having
# submitted in 2025 (with the six kecamatan it names, 22 units); full names are synthetic
# best guesses at the official nomenclature, the short names in the aliases are the article's.
OPDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("diskominfo", "Dinas Komunikasi dan Informatika", "dinas",
     ("Diskominfo", "Dinas Kominfo")),
    ("dinas-puprpkp", "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman",
     "dinas", ("Dinas PUPRPKP", "PUPRPKP")),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas",
     ("Disdukcapil", "Dukcapil")),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik", "badan", ("Kesbangpol", "Bakesbangpol")),
    ("dinas-pmd", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas", ("Dinas PMD", "DPMD")),
    ("inspektorat", "Inspektorat Daerah", "inspektorat", ("Inspektorat",)),
    ("dinas-dikbud", "Dinas Pendidikan dan Kebudayaan", "dinas", ("Dinas Dikbud", "Disdikbud")),
    ("bagian-pembangunan", "Bagian Pembangunan Sekretariat Daerah", "bagian",
     ("Bagian Pembangunan Setdakab", "Bagian Pembangunan")),
    ("dispora", "Dinas Pemuda dan Olahraga", "dinas", ("Dispora",)),
    ("setwan", "Sekretariat DPRD", "sekretariat",
     ("Sekretariat Dewan Perwakilan Rakyat Daerah", "Setwan")),
    ("dishub", "Dinas Perhubungan", "dinas", ("Dishub",)),
    ("disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi", "dinas",
     ("Disnakertrans", "Dinas Nakertrans")),
    ("dispusip", "Dinas Perpustakaan dan Arsip Daerah", "dinas",
     ("Dispusip", "Dinas Perpustakaan dan Arsip")),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", ("BKPSDM",)),
    ("distankan", "Dinas Pertanian dan Perikanan", "dinas", ("Distankan", "Dinas Pertanian")),
    ("damkar", "Dinas Pemadam Kebakaran dan Penyelamatan", "dinas", ("Dinas Damkar", "Damkar")),
    # The region's other units (synthetic list of the usual kabupaten apparatus).
    ("setda", "Sekretariat Daerah", "sekretariat",
     ("Setda", "Setdakab", "Sekretariat Daerah Kabupaten Rejang Lebong")),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "badan", ("Bappeda", "Bapeda")),
    ("bpkd", "Badan Pengelolaan Keuangan Daerah", "badan", ("BPKD",)),
    ("bapenda", "Badan Pendapatan Daerah", "badan", ("Bapenda",)),
    ("dinkes", "Dinas Kesehatan", "dinas", ("Dinkes",)),
    ("rsud-curup", "RSUD Curup", "rsud", ("Rumah Sakit Umum Daerah Curup",)),
    ("dinsos", "Dinas Sosial", "dinas", ("Dinsos",)),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas",
     ("DPMPTSP", "DPM-PTSP")),
    ("dlh", "Dinas Lingkungan Hidup", "dinas", ("DLH",)),
    ("dispar", "Dinas Pariwisata", "dinas", ("Dispar",)),
    ("satpol-pp", "Satuan Polisi Pamong Praja", "dinas", ("Satpol PP",)),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "badan", ("BPBD",)),
    ("diskukmp", "Dinas Koperasi, UKM dan Perdagangan", "dinas",
     ("Dinas Koperasi UKM dan Perdagangan", "Diskopdag")),
    ("dinas-ketapang", "Dinas Ketahanan Pangan", "dinas", ("Dinas Ketapang", "DKP")),
    ("dp3appkb",
     "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga "
     "Berencana", "dinas", ("DP3APPKB",)),
    ("bagian-organisasi", "Bagian Organisasi Sekretariat Daerah", "bagian",
     ("Bagian Organisasi Setdakab", "Bagian Organisasi")),
)

# facts.md (award page) names the SIMICA unit "Dinas Pekerjaan Umum dan Penataan Ruang"; the
# article calls it "Dinas PUPRPKP". From 2025 on that name (and "Dinas PUPR") is an alias.
EXTRA_ALIASES = {2025: {"dinas-puprpkp": ("Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang")}}


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    kind: str
    aliases: tuple[str, ...]


def units_for(year: int) -> list[Unit]:
    out = [Unit(_kec_id(k), f"Kecamatan {k}", "kecamatan", (f"Kec. {k}",)) for k in KECAMATAN]
    extra = EXTRA_ALIASES.get(year, {})
    for uid, name, kind, aliases in OPDS:
        out.append(Unit(uid, name, kind, aliases + extra.get(uid, ())))
    owners: dict[str, set[str]] = {}
    for u in out:
        for k in (u.unit_id, u.name, *u.aliases):
            owners.setdefault(" ".join(k.casefold().split()), set()).add(u.unit_id)
    dupes = sorted(k for k, v in owners.items() if len(v) > 1)
    assert not dupes, f"ambiguous unit keys: {dupes}"
    return out


# --------------------------------------------------------------------------------------------
# Innovations (hand-written; titles and descriptions synthetic except the five 2025 winners)
# --------------------------------------------------------------------------------------------

# urusan (official names; the six basic-service "yandas" affairs spelled exactly)
PEND, KES = "Pendidikan", "Kesehatan"
PU = "Pekerjaan Umum dan Penataan Ruang"
PERKIM = "Perumahan Rakyat dan Kawasan Permukiman"
TRANTIB = "Ketenteraman dan Ketertiban Umum serta Pelindungan Masyarakat"
SOS = "Sosial"
NAKER, PPPA, PANGAN, LH = ("Tenaga Kerja", "Pemberdayaan Perempuan dan Pelindungan Anak",
                           "Pangan", "Lingkungan Hidup")
ADMINDUK = "Administrasi Kependudukan dan Pencatatan Sipil"
PMD, HUB, KOMINFO = "Pemberdayaan Masyarakat dan Desa", "Perhubungan", "Komunikasi dan Informatika"
KUKM, PM, PORA = "Koperasi, Usaha Kecil, dan Menengah", "Penanaman Modal", "Kepemudaan dan Olahraga"
STAT, PERPUS, ARSIP, PAR = "Statistik", "Perpustakaan", "Kearsipan", "Pariwisata"
TANI, ESDM, IND = "Pertanian", "Energi dan Sumber Daya Mineral", "Perindustrian"
RENC, KEU, PEG, LITBANG = "Perencanaan", "Keuangan", "Kepegawaian", "Penelitian dan Pengembangan"
LAIN = "Fungsi lain sesuai dengan ketentuan peraturan perundang-undangan"

# form / type / stage / initiator codes
TK, PP, LN = "tata_kelola", "pelayanan_publik", "lainnya"
DG, ND = "digital", "non_digital"
INI, UJI, TER = "inisiatif", "uji_coba", "penerapan"
KD, DPRD, OPD, ASN, MAS = "kepala_daerah", "dprd", "perangkat_daerah", "asn", "masyarakat"
ACC, REJ, PEN = "accepted", "rejected", "pending"


@dataclass(frozen=True)
class Inn:
    unit: str           # canonical unit_id (truth)
    ref: str            # how perangkat_daerah is written: "@id", "@name", "@alias", "@alias2"
    #                     or a literal string
    title: str
    desc: str
    form: str
    type: str
    affair: str
    stage: str
    start: str          # ISO date, "" = missing (a planted warning)
    initiator: str
    status: str
    q: float            # latent quality 0..1 (drives evidence levels and jury scores)
    theme: str          # intended theme (for the README and sanity checks; not written)


I = Inn  # noqa: E741  (short constructor for the tables below)

INNOVATIONS: dict[int, list[Inn]] = {
    2023: [
        I("bappeda", "@alias", "SIRENDA (Sistem Informasi Perencanaan Daerah Terpadu)",
          "Aplikasi daring untuk menyusun, menelaah dan memantau usulan program perangkat daerah "
          "mulai dari musrenbang desa sampai RKPD, sehingga dokumen perencanaan tersusun lebih "
          "cepat dan konsisten.", TK, DG, RENC, TER, "2021-03-01", OPD, ACC, 0.62, "tata_kelola"),
        I("bapenda", "@name", "E-PBB (Elektronik Pembayaran Pajak Bumi dan Bangunan)",
          "Wajib pajak membayar PBB-P2 melalui bank, gerai ritel dan dompet digital dengan kode "
          "bayar, tanpa harus datang ke kantor Bapenda atau menunggu petugas pemungut.",
          TK, DG, KEU, TER, "2020-08-17", OPD, ACC, 0.58, "tata_kelola"),
        I("bpkd", "@id", "SP2D CEPAT (Sistem Percepatan Penerbitan Surat Perintah Pencairan Dana)",
          "Pengajuan dan verifikasi SPM oleh bendahara perangkat daerah dilakukan secara "
          "elektronik sehingga SP2D terbit paling lama satu hari kerja.",
          TK, DG, KEU, TER, "2021-11-01", ASN, ACC, 0.55, "tata_kelola"),
        I("rsud-curup", "@name",
          "ANTRE ONLINE RSUD (Aplikasi Pendaftaran Pasien Rawat Jalan Daring)",
          "Pasien rawat jalan RSUD Curup mendaftar dan memilih poliklinik melalui aplikasi atau "
          "WhatsApp sehari sebelum berobat, sehingga antrean di loket pendaftaran berkurang.",
          PP, DG, KES, TER, "2021-06-07", OPD, ACC, 0.66, "kesehatan"),
        I("dinkes", "@alias",
          "POSYANDU PINTAR (Pencatatan Tumbuh Kembang Balita Berbasis Aplikasi)",
          "Kader posyandu mencatat berat dan tinggi badan balita di aplikasi sehingga balita "
          "berisiko gizi kurang dan stunting cepat terdeteksi dan dirujuk ke puskesmas.",
          PP, DG, KES, UJI, "2022-09-12", ASN, ACC, 0.47, "kesehatan"),
        I("dinsos", "@id",
          "DTKS KELILING (Pemutakhiran Data Terpadu Kesejahteraan Sosial Jemput Bola)",
          "Petugas dinas sosial mendatangi desa untuk memutakhirkan data keluarga miskin dan "
          "rentan agar bantuan sosial tepat sasaran.",
          PP, ND, SOS, TER, "2021-02-15", OPD, ACC, 0.44, "sosial"),
        I("dinas-dikbud", "@alias",
          "GEMAR MEMBACA (Gerakan Masyarakat Gemar Membaca di Sekolah Dasar)",
          "Lima belas menit membaca buku nonpelajaran sebelum jam pertama, pojok baca di setiap "
          "kelas dan lomba resensi untuk menumbuhkan minat baca siswa sekolah dasar.",
          LN, ND, PEND, TER, "2020-07-13", ASN, ACC, 0.50, "pendidikan"),
        I("distankan", "@name",
          "SEKOLAH LAPANG CABAI (Sekolah Lapang Budidaya Cabai Ramah Lingkungan)",
          "Penyuluh pertanian mendampingi kelompok tani cabai menerapkan pengendalian hama "
          "terpadu dan pupuk organik sehingga biaya produksi turun dan hasil panen naik.",
          LN, ND, TANI, TER, "2021-04-05", OPD, ACC, 0.57, "pertanian"),
        I("dinas-ketapang", "@alias",
          "LUMBUNG PANGAN DESA (Cadangan Pangan Berbasis Kelompok Wanita Tani)",
          "Kelompok wanita tani mengelola lumbung gabah desa sebagai cadangan pangan saat "
          "paceklik dan harga beras naik.",
          LN, ND, PANGAN, TER, "2020-10-01", MAS, ACC, 0.41, "pertanian"),
        I("dinas-pmd", "@id",
          "PLTMH DESA MANDIRI (Pembangkit Listrik Tenaga Mikrohidro Desa Mandiri)",
          "Pemanfaatan aliran sungai untuk pembangkit listrik mikrohidro yang dikelola BUMDes, "
          "menerangi rumah warga di dusun yang belum terjangkau jaringan PLN.",
          LN, ND, PMD, UJI, "2022-05-20", MAS, ACC, 0.52, "energi"),
        I("dlh", "@alias", "BANK SAMPAH SEKOLAH (Tabungan Sampah Siswa)",
          "Siswa menyetor sampah plastik dan kertas yang dipilah ke bank sampah sekolah dan "
          "hasil penjualannya dicatat sebagai tabungan.",
          LN, ND, LH, TER, "2021-08-02", ASN, ACC, 0.39, "lingkungan"),
        I("dispar", "@name",
          "JELAJAH KABA (Paket Wisata Pendakian Bukit Kaba Berbasis Pemandu Lokal)",
          "Pemuda desa di kaki Bukit Kaba dilatih menjadi pemandu pendakian dan menjual paket "
          "wisata bersama homestay warga.",
          LN, ND, PAR, UJI, "2022-06-01", MAS, ACC, 0.35, "pariwisata"),
        I("dpmptsp", "@alias", "SIAP IZIN (Sistem Informasi Antar Perizinan)",
          "Pelaku usaha memantau status berkas perizinan secara daring dan menerima notifikasi "
          "ketika izin terbit, tanpa perlu datang berulang kali ke kantor pelayanan.",
          PP, DG, PM, TER, "2021-01-18", OPD, ACC, 0.60, "layanan_publik"),
        I("disdukcapil", "@alias",
          "DUKCAPIL GOES TO SCHOOL (Perekaman KTP-el bagi Pemilih Pemula di Sekolah)",
          "Petugas Disdukcapil melakukan perekaman KTP-el langsung di SMA dan SMK bagi siswa "
          "yang telah berusia 17 tahun.",
          PP, ND, ADMINDUK, TER, "2022-01-10", OPD, ACC, 0.54, "layanan_publik"),
        I("diskukmp", "@alias",
          "PASAR KOPI REJANG (Pemasaran Kopi Robusta Rejang Lebong melalui Lokapasar)",
          "Pendampingan UMKM kopi bubuk untuk membuka toko di lokapasar, memperbaiki foto produk "
          "dan mengurus izin PIRT.",
          LN, DG, KUKM, UJI, "2022-08-08", OPD, ACC, 0.43, "produk_lokal"),
        I("dishub", "@name",
          "HALTE PINTAR (Halte Angkutan Perdesaan dengan Papan Informasi Jadwal)",
          "Halte di jalur angkutan perdesaan dilengkapi papan jadwal keberangkatan dan nomor "
          "kontak sopir.",
          PP, ND, HUB, INI, "2022-11-01", OPD, ACC, 0.28, "infrastruktur"),
        I("kec-curup-tengah", "@name",
          "SAPA WARGA (Sistem Aduan dan Pelayanan Administrasi Warga Kecamatan)",
          "Warga mengajukan surat pengantar dan menyampaikan aduan melalui nomor WhatsApp "
          "kecamatan; berkas yang sudah selesai diberitahukan untuk diambil.",
          PP, DG, LAIN, UJI, "2022-10-03", ASN, PEN, 0.33, "layanan_publik"),
        I("kec-selupu-rejang", "@alias", "KEBUN SAYUR ORGANIK (Kelompok Tani Sayur Organik Selupu)",
          "Kecamatan memfasilitasi kelompok tani beralih ke budidaya sayur organik dan menjual "
          "hasilnya langsung ke pasar Curup.",
          LN, ND, TANI, INI, "2022-12-01", MAS, PEN, 0.25, "pertanian"),
        I("bkpsdm", "@id",
          "E-KINERJA ASN (Aplikasi Pencatatan dan Penilaian Kinerja Harian Pegawai)",
          "Pegawai mengisi aktivitas harian dan atasan menilai capaian kinerja secara daring "
          "sebagai dasar tambahan penghasilan pegawai.",
          TK, DG, PEG, TER, "2020-01-02", OPD, ACC, 0.64, "tata_kelola"),
        I("inspektorat", "@alias", "KLINIK SPIP (Konsultasi Sistem Pengendalian Intern Pemerintah)",
          "Layanan konsultasi tatap muka dan daring bagi perangkat daerah untuk menyusun peta "
          "risiko dan memperbaiki pengendalian intern.",
          TK, ND, LAIN, TER, "2021-09-06", ASN, ACC, 0.46, "tata_kelola"),
        I("dp3appkb", "@alias",
          "SAHABAT PEREMPUAN (Layanan Pengaduan Kekerasan terhadap Perempuan dan Anak)",
          "Layanan pengaduan dan pendampingan korban kekerasan terhadap perempuan dan anak "
          "melalui hotline, kunjungan rumah dan rujukan ke psikolog.",
          PP, ND, PPPA, TER, "2021-03-08", OPD, ACC, 0.49, "sosial"),
        I("dispora", "@alias", "ATLET MUDA (Pembinaan Atlet Usia Dini Berbasis Klub Desa)",
          "Pembinaan atlet usia dini melalui klub olahraga desa.",
          LN, ND, PORA, INI, "2022-12-15", OPD, REJ, 0.15, "sosial"),
    ],
    2024: [
        I("bappeda", "@alias", "KLINIK INOVASI (Pendampingan Perangkat Daerah Menyusun Inovasi)",
          "Bappeda membuka konsultasi rutin bagi perangkat daerah dan kecamatan untuk menyusun "
          "proposal inovasi, mengunggah data dukung dan menyiapkan video IID.",
          TK, ND, LITBANG, TER, "2023-02-06", OPD, ACC, 0.60, "tata_kelola"),
        I("bapenda", "@name", "PAJAK RESTO QRIS (Pembayaran Pajak Restoran melalui QRIS)",
          "Rumah makan membayar pajak restoran setiap bulan dengan memindai kode QRIS, dan "
          "Bapenda memantau penerimaan secara langsung.",
          TK, DG, KEU, TER, "2023-01-16", OPD, ACC, 0.63, "tata_kelola"),
        I("dinkes", "@alias", "SEHAT JIWA (Skrining Kesehatan Jiwa di Puskesmas)",
          "Puskesmas melakukan skrining kesehatan jiwa pada remaja dan dewasa dengan kuesioner "
          "singkat serta merujuk kasus berisiko ke poli jiwa RSUD.",
          PP, ND, KES, UJI, "2023-07-10", ASN, ACC, 0.45, "kesehatan"),
        I("rsud-curup", "@id",
          "RUJUKAN CEPAT (Sistem Informasi Rujukan Terintegrasi Puskesmas dan RSUD)",
          "Puskesmas mengirim data pasien rujukan secara daring sehingga RSUD Curup menyiapkan "
          "tempat tidur dan dokter sebelum pasien tiba.",
          PP, DG, KES, TER, "2022-04-04", OPD, ACC, 0.69, "kesehatan"),
        I("dinas-dikbud", "@name",
          "KELAS INSPIRASI DESA (Relawan Profesional Mengajar di Sekolah Terpencil)",
          "Relawan dari berbagai profesi mengajar satu hari di sekolah dasar terpencil untuk "
          "mengenalkan cita-cita dan dunia kerja kepada siswa.",
          LN, ND, PEND, TER, "2022-09-19", MAS, ACC, 0.42, "pendidikan"),
        I("dinas-dikbud", "@alias", "SI-PENA (Sistem Informasi Penilaian Numerasi Siswa)",
          "Guru memberikan asesmen numerasi singkat melalui aplikasi dan hasilnya dipakai untuk "
          "mengelompokkan siswa sesuai kemampuan belajar.",
          LN, DG, PEND, UJI, "2023-08-01", ASN, ACC, 0.51, "pendidikan"),
        I("disdukcapil", "@alias",
          "SIDAK CAPIL (Sinergi Data Akta Kelahiran dan Kematian dengan Desa)",
          "Operator desa melaporkan kelahiran dan kematian secara daring sehingga akta "
          "diterbitkan tanpa warga datang ke kantor dinas.",
          PP, DG, ADMINDUK, TER, "2022-07-01", OPD, ACC, 0.67, "layanan_publik"),
        I("dpmptsp", "@alias", "MPP MINI KECAMATAN (Mal Pelayanan Publik Mini di Kecamatan)",
          "Gerai layanan perizinan, kependudukan dan perpajakan dibuka di kantor kecamatan pada "
          "hari tertentu sehingga warga tidak perlu ke ibu kota kabupaten.",
          PP, ND, PM, UJI, "2023-05-02", KD, ACC, 0.56, "layanan_publik"),
        I("diskominfo", "@alias", "LAPOR BUPATI (Layanan Aspirasi dan Pengaduan Online Rakyat)",
          "Kanal pengaduan daring yang meneruskan laporan warga ke perangkat daerah terkait dan "
          "memantau tindak lanjutnya sampai selesai.",
          PP, DG, KOMINFO, TER, "2022-02-01", KD, ACC, 0.62, "layanan_publik"),
        I("distankan", "@alias",
          "SAKTI PADI (Sekolah Lapang Teknologi Irigasi Hemat Air untuk Padi)",
          "Petani padi dilatih menerapkan irigasi berselang dan tanam jajar legowo untuk "
          "menghemat air dan menaikkan produktivitas sawah.",
          LN, ND, TANI, TER, "2022-10-10", OPD, ACC, 0.59, "pertanian"),
        I("distankan", "@id",
          "DRONE SEMPROT (Layanan Penyemprotan Pestisida dengan Drone bagi Kelompok Tani)",
          "Kelompok tani memesan jasa penyemprotan pestisida dan pupuk cair menggunakan drone "
          "milik dinas sehingga waktu kerja lebih singkat dan dosis lebih tepat.",
          LN, DG, TANI, UJI, "2023-06-12", ASN, ACC, 0.53, "pertanian"),
        I("dinas-ketapang", "@name",
          "PEKARANGAN PANGAN LESTARI (Pemanfaatan Pekarangan untuk Sayur Keluarga)",
          "Rumah tangga dibantu bibit dan polybag untuk menanam sayur di pekarangan guna "
          "mengurangi pengeluaran pangan keluarga.",
          LN, ND, PANGAN, TER, "2022-03-14", OPD, ACC, 0.40, "pertanian"),
        I("dinas-puprpkp", "@alias", "RUTILAHU CEPAT (Percepatan Bedah Rumah Tidak Layak Huni)",
          "Pendataan, verifikasi dan pembangunan kembali rumah tidak layak huni bersama "
          "swadaya warga dan dana desa.",
          PP, ND, PERKIM, TER, "2022-05-09", KD, ACC, 0.55, "infrastruktur"),
        I("satpol-pp", "@alias", "PATROLI SIAGA MALAM (Patroli Terpadu Ketertiban Umum Malam Hari)",
          "Patroli gabungan Satpol PP, linmas dan pemuda di titik rawan balap liar dan "
          "keributan setiap akhir pekan.",
          PP, ND, TRANTIB, TER, "2022-08-20", OPD, ACC, 0.38, "sosial"),
        I("bpbd", "@alias", "DESA SIAGA LONGSOR (Peringatan Dini Longsor Berbasis Masyarakat)",
          "Relawan desa memasang alat ukur curah hujan sederhana dan sirene untuk memberi "
          "peringatan dini longsor di lereng perbukitan.",
          LN, ND, TRANTIB, UJI, "2023-01-09", MAS, ACC, 0.48, "sosial"),
        I("dlh", "@id", "ECO ENZYME SEKOLAH (Pengolahan Sampah Organik Menjadi Eco-Enzyme)",
          "Siswa mengolah sisa kulit buah dan sayur menjadi eco-enzyme untuk pembersih dan "
          "pupuk cair, mengurangi sampah organik sekolah.",
          LN, ND, LH, TER, "2022-11-07", ASN, ACC, 0.37, "lingkungan"),
        I("kec-curup-timur", "@name", "BANK SAMPAH KELURAHAN (Tabungan Sampah Warga Kelurahan)",
          "Warga kelurahan menabung sampah anorganik yang sudah dipilah; hasil penjualan dicatat "
          "di buku tabungan dan bisa dipakai membayar iuran kebersihan.",
          LN, ND, LH, UJI, "2023-03-06", MAS, ACC, 0.44, "lingkungan"),
        I("dispar", "@alias", "DESA WISATA KOMUNITAS (Pengelolaan Desa Wisata oleh Pokdarwis)",
          "Kelompok sadar wisata mengelola atraksi alam, kuliner dan homestay desa dengan "
          "pembagian hasil untuk kas desa.",
          LN, ND, PAR, UJI, "2023-04-17", MAS, ACC, 0.46, "pariwisata"),
        I("dishub", "@alias", "RAMBU PINTAR (Rambu dan Lampu Penyeberangan di Depan Sekolah)",
          "Pemasangan rambu, marka dan lampu penyeberangan bertenaga surya di depan sekolah di "
          "jalan kabupaten yang ramai.",
          PP, ND, HUB, TER, "2022-07-18", OPD, ACC, 0.41, "infrastruktur"),
        I("diskukmp", "@name",
          "UMKM NAIK KELAS (Pendampingan Sertifikasi Halal dan Kemasan Produk UMKM)",
          "Pelaku usaha mikro didampingi mengurus sertifikat halal, NIB dan desain kemasan agar "
          "produk lokal bisa masuk toko modern.",
          LN, ND, KUKM, TER, "2022-06-13", OPD, ACC, 0.57, "produk_lokal"),
        I("disnakertrans", "@alias",
          "PELATIHAN KERJA DESA (Pelatihan Keterampilan Berbasis Potensi Desa)",
          "Pelatihan menjahit, las dan servis sepeda motor di balai desa.",
          LN, ND, NAKER, INI, "2023-09-04", OPD, REJ, 0.18, "produk_lokal"),
        I("dishub", "@id", "SI-PARKIR (Sistem Informasi Retribusi Parkir Non Tunai)",
          "Juru parkir memungut retribusi parkir tepi jalan dengan QRIS dan setoran tercatat "
          "otomatis di aplikasi, menekan kebocoran pendapatan.",
          TK, DG, HUB, UJI, "2023-04-03", OPD, ACC, 0.50, "tata_kelola"),
        I("dispusip", "@alias", "E-ARSIP (Elektronik Arsip Dinamis Perangkat Daerah)",
          "Surat masuk, surat keluar dan arsip dinamis perangkat daerah dialihmediakan dan "
          "dikelola dalam aplikasi sehingga mudah ditelusuri.",
          TK, DG, ARSIP, UJI, "2023-02-20", ASN, ACC, 0.47, "tata_kelola"),
        I("kec-sindang-kelingi", "@name",
          "PLTS IRIGASI (Pompa Air Tenaga Surya untuk Sawah Tadah Hujan)",
          "Pompa air bertenaga panel surya mengalirkan air sungai ke sawah tadah hujan tanpa "
          "biaya bahan bakar minyak.",
          LN, ND, ESDM, UJI, "2023-05-22", MAS, ACC, 0.43, "energi"),
        I("bagian-organisasi", "@alias",
          "SIANJAB (Sistem Informasi Analisis Jabatan dan Beban Kerja)",
          "Aplikasi untuk menyusun analisis jabatan dan beban kerja perangkat daerah sebagai "
          "dasar kebutuhan pegawai.",
          TK, DG, LAIN, INI, "2023-10-02", ASN, PEN, 0.31, "tata_kelola"),
        I("bpkd", "@alias", "E-ASET (Aplikasi Inventarisasi Barang Milik Daerah)",
          "Setiap barang milik daerah diberi label kode QR dan dicatat dalam aplikasi sehingga "
          "sensus dan mutasi aset lebih tertib.",
          TK, DG, KEU, TER, "2022-01-24", OPD, ACC, 0.52, "tata_kelola"),
        I("kec-padang-ulak-tanding", "@alias",
          "POSYANDU LANSIA KELILING (Layanan Kesehatan Lansia dari Desa ke Desa)",
          "Tim kecamatan bersama puskesmas mendatangi desa untuk memeriksa tekanan darah, gula "
          "darah dan memberikan senam lansia.",
          PP, ND, KES, TER, "2022-09-05", ASN, ACC, 0.39, "kesehatan"),
        I("kec-sindang-dataran", "@name",
          "KOPI SINDANG (Pengolahan Pascapanen Kopi Robusta Kelompok Tani)",
          "Kelompok tani kopi dilatih memetik merah, menjemur di para-para dan menyangrai "
          "sendiri agar harga jual kopi lebih tinggi.",
          LN, ND, IND, INI, "2023-11-06", MAS, PEN, 0.30, "produk_lokal"),
    ],
    2025: [
        # in the order of the seed article's list of submitting units, then Setda and Dinkes
        I("diskominfo", "@alias", "REJANG LEBONG SATU DATA (Portal Satu Data Kabupaten)",
          "Portal terbuka yang menghimpun data sektoral seluruh perangkat daerah dengan metadata "
          "baku, sehingga perencanaan memakai satu sumber data yang sama.",
          TK, DG, STAT, UJI, "2024-03-04", OPD, ACC, 0.61, "tata_kelola"),
        I("diskominfo", "@name", "SIPANDU (Sistem Informasi Pengaduan Masyarakat Terpadu)",
          "Pengaduan dari WhatsApp, media sosial dan laman resmi dihimpun dalam satu dasbor dan "
          "diteruskan ke perangkat daerah dengan batas waktu tindak lanjut.",
          PP, DG, KOMINFO, TER, "2023-06-05", OPD, ACC, 0.65, "layanan_publik"),
        I("kec-curup-timur", "@alias",
          "BANK SAMPAH KELURAHAN BERSINAR (Bersih, Sehat dan Bernilai Rupiah)",
          "Warga kelurahan menabung sampah anorganik yang sudah dipilah di bank sampah; hasil "
          "penjualan dicatat di buku tabungan dan dapat dipakai membayar iuran kebersihan.",
          LN, ND, LH, TER, "2023-03-06", MAS, ACC, 0.50, "lingkungan"),
        I("kec-curup-timur", "@name", "POSKAMLING DIGITAL (Pos Ronda Terhubung Grup Warga)",
          "Jadwal ronda, laporan kejadian dan tombol darurat warga dihubungkan ke grup "
          "WhatsApp kelurahan dan Bhabinkamtibmas.",
          PP, DG, TRANTIB, INI, "", MAS, PEN, 0.27, "sosial"),
        I("dinas-puprpkp", "Dinas Pekerjaan Umum dan Penataan Ruang",
          "SIMICA (Sistem Informasi Infrastruktur dan Konstruksi Cerdas)",
          "Sistem informasi untuk memantau pelaksanaan proyek infrastruktur dan konstruksi "
          "secara waktu nyata (real time).",
          TK, DG, PU, TER, "2024-01-15", OPD, ACC, 0.90, "infrastruktur"),
        I("dinas-puprpkp", "@alias", "SIPADU JALAN (Sistem Pengaduan Jalan dan Jembatan Rusak)",
          "Warga memotret jalan atau jembatan kabupaten yang rusak lengkap dengan titik lokasi; "
          "laporan masuk ke daftar prioritas pemeliharaan rutin.",
          PP, DG, PU, UJI, "2024-05-06", ASN, ACC, 0.54, "infrastruktur"),
        I("disdukcapil", "@alias", "ARTIS (Antar Jemput Dokumen Gratis)",
          "Layanan antar jemput dokumen administrasi kependudukan dan pencatatan sipil secara "
          "gratis bagi masyarakat.",
          PP, ND, ADMINDUK, TER, "2023-08-01", OPD, ACC, 0.95, "layanan_publik"),
        I("disdukcapil", "@id", "KIA KELILING (Kartu Identitas Anak Jemput Bola ke Sekolah)",
          "Petugas mendatangi PAUD dan sekolah dasar untuk menerbitkan Kartu Identitas Anak "
          "bagi siswa yang belum memilikinya.",
          PP, ND, ADMINDUK, TER, "2023-09-11", OPD, ACC, 0.58, "layanan_publik"),
        I("kesbangpol", "@alias", "FKUB SAHABAT (Sapa Warga Bersama Forum Kerukunan Umat Beragama)",
          "Dialog keliling tokoh lintas agama di desa untuk mencegah konflik dan memperkuat "
          "kerukunan umat beragama.",
          LN, ND, LAIN, TER, "2023-10-02", OPD, ACC, 0.42, "sosial"),
        I("dinas-pmd", "@alias",
          "PLTMH DESA MANDIRI ENERGI "
          "(Pembangkit Listrik Tenaga Mikrohidro untuk Desa Mandiri Energi)",
          "Aliran sungai dimanfaatkan untuk pembangkit listrik mikrohidro yang dikelola BUMDes "
          "sehingga rumah warga di dusun yang belum terjangkau jaringan PLN mendapat listrik.",
          LN, ND, PMD, TER, "2022-05-20", MAS, ACC, 0.63, "energi"),
        I("dinas-pmd", "@id",
          "POKDARWIS BERDAYA (Pendampingan Kelompok Sadar Wisata Desa Berbasis Komunitas)",
          "Pendampingan kelompok sadar wisata agar desa mengelola wisata alam dan budaya "
          "sendiri melalui BUMDes, dari paket wisata sampai pemasaran daring.",
          LN, ND, PMD, UJI, "2024-02-12", OPD, ACC, 0.55, "pariwisata"),
        I("inspektorat", "@alias", "Sampah Inspektorat",
          "Pengelolaan sampah kantor berbasis edukasi dan tanggung jawab sosial.",
          LN, ND, LH, TER, "2024-02-05", ASN, ACC, 0.88, "lingkungan"),
        I("dinas-dikbud", "@alias", "GELIS (Gerakan Literasi Sekolah Interaktif)",
          "Sekolah dasar menjalankan kegiatan membaca bersama, jurnal baca siswa dan pojok baca "
          "kelas yang dipantau guru melalui aplikasi sederhana.",
          LN, DG, PEND, TER, "2023-07-17", ASN, ACC, 0.60, "pendidikan"),
        I("dinas-dikbud", "@name", "KAGANGA BELAJAR (Kelas Aksara Ka-Ga-Nga di Sekolah Dasar)",
          "Siswa sekolah dasar belajar menulis dan membaca aksara Ka-Ga-Nga melalui muatan lokal "
          "dengan modul bergambar karya guru.",
          LN, ND, PEND, UJI, "2024-07-15", ASN, ACC, 0.47, "pendidikan"),
        I("bagian-pembangunan", "@alias",
          "SIMONEV PEMBANGUNAN (Sistem Informasi Monitoring dan Evaluasi Pembangunan)",
          "Perangkat daerah melaporkan realisasi fisik dan keuangan kegiatan setiap bulan "
          "secara daring; pimpinan melihat kegiatan yang terlambat dalam satu dasbor.",
          TK, DG, RENC, TER, "2023-04-10", OPD, ACC, 0.64, "tata_kelola"),
        I("dispora", "@alias", "GOR SEHAT (Gerakan Olahraga Rutin Masyarakat Sehat)",
          "Senam dan lari bersama setiap Minggu pagi di lapangan kabupaten.",
          LN, ND, PORA, INI, "2024-11-03", OPD, REJ, 0.17, "sosial"),
        I("setwan", "@name", "E-ASPIRASI (Elektronik Aspirasi Masyarakat untuk DPRD)",
          "Warga menyampaikan aspirasi kepada anggota DPRD melalui formulir daring; sekretariat "
          "mengelompokkan aspirasi per daerah pemilihan untuk bahan reses dan pokok pikiran.",
          PP, DG, LAIN, UJI, "2024-04-22", DPRD, ACC, 0.49, "layanan_publik"),
        I("dishub", "@alias", "SI-PARKIR NON TUNAI (Sistem Informasi Retribusi Parkir Tepi Jalan)",
          "Retribusi parkir tepi jalan dipungut juru parkir dengan QRIS dan setoran tercatat "
          "otomatis di aplikasi sehingga kebocoran pendapatan berkurang.",
          TK, DG, HUB, TER, "2023-04-03", OPD, ACC, 0.56, "tata_kelola"),
        I("dishub", "@id", "ANGKOT PELAJAR (Angkutan Gratis Pelajar Desa)",
          "Angkutan gratis bagi pelajar desa.",
          PP, ND, HUB, INI, "2024-12-02", KD, REJ, 0.20, "infrastruktur"),
        I("disnakertrans", "@alias", "BKOL (Bursa Kerja Online Rejang Lebong)",
          "Pencari kerja membuat kartu AK/1 dan melamar lowongan perusahaan secara daring; "
          "perusahaan melaporkan lowongan dan penempatan tenaga kerja di aplikasi yang sama.",
          PP, DG, NAKER, TER, "2023-05-08", OPD, ACC, 0.57, "produk_lokal"),
        I("disnakertrans", "@name", "BARISTA MUDA (Pelatihan Barista Kopi bagi Pencari Kerja Muda)",
          "Pelatihan berbasis kompetensi meracik kopi robusta Rejang Lebong bagi pencari kerja "
          "muda, bekerja sama dengan kedai kopi lokal untuk magang.",
          LN, ND, NAKER, UJI, "2024-06-10", OPD, ACC, 0.45, "produk_lokal"),
        I("kec-bermani-ulu-raya", "@name",
          "PLTS DUSUN (Panel Surya untuk Penerangan Dusun Terpencil)",
          "Panel surya komunal dipasang di dusun terpencil untuk penerangan rumah, mushala dan "
          "jalan desa, dirawat oleh kelompok pemuda setempat.",
          LN, ND, ESDM, UJI, "2024-03-18", MAS, ACC, 0.48, "energi"),
        I("kec-curup-utara", "@alias", "KOPI KITE (Kopi Kita Produk Unggulan Curup Utara)",
          "Kecamatan membantu kelompok usaha bersama memberi merek, mengemas dan memasarkan "
          "kopi bubuk hasil kebun warga.",
          LN, ND, KUKM, INI, "2024-10-07", MAS, PEN, 0.32, "produk_lokal"),
        I("kec-curup-utara", "@id",
          "BIOGAS TERNAK (Biogas dari Kotoran Sapi untuk Dapur Rumah Tangga Tani)",
          "Kotoran sapi milik kelompok ternak diolah di digester menjadi biogas untuk memasak "
          "dan ampasnya dipakai sebagai pupuk kebun.",
          LN, ND, ESDM, INI, "2024-09-02", MAS, PEN, 0.34, "energi"),
        I("kec-kota-padang", "@name", "DEWI SEJUK (Desa Wisata Sejuk Berbasis Komunitas)",
          "Warga desa mengelola paket wisata kebun, air terjun dan kuliner tradisional dengan "
          "homestay di rumah penduduk; pendapatan dibagi untuk kelompok dan kas desa.",
          LN, ND, PAR, UJI, "2024-04-01", MAS, ACC, 0.44, "pariwisata"),
        I("kec-curup", "@alias", "PELITA (Pelayanan Terpadu Kelurahan Tanpa Antre)",
          "Warga mengambil nomor antrean dan mengunggah persyaratan surat keterangan dari "
          "ponsel, lalu datang ke kecamatan hanya untuk mengambil dokumen yang sudah jadi.",
          PP, DG, LAIN, TER, "2023-11-13", ASN, ACC, 0.53, "layanan_publik"),
        I("kec-padang-ulak-tanding", "@name",
          "SIGAP LANSIA (Siaga Pendataan dan Pendampingan Lansia Terlantar)",
          "Kader desa mendata lansia yang hidup sendiri dan terlantar, lalu kecamatan "
          "menghubungkan mereka dengan bantuan sosial, layanan kesehatan dan pendamping.",
          PP, ND, SOS, TER, "2023-12-04", ASN, ACC, 0.51, "sosial"),
        I("dispusip", "@name",
          "E-ARSIP TERPADU (Elektronik Arsip Dinamis Terpadu Perangkat Daerah)",
          "Surat masuk, surat keluar dan arsip dinamis seluruh perangkat daerah dialihmediakan "
          "dan dikelola dalam satu aplikasi sehingga mudah ditelusuri dan dibagikan.",
          TK, DG, ARSIP, TER, "2023-02-20", ASN, ACC, 0.55, "tata_kelola"),
        I("dispusip", "@alias", "PERPUSLING (Perpustakaan Keliling Desa Literasi)",
          "Mobil perpustakaan keliling mengunjungi desa dan sekolah terpencil secara terjadwal, "
          "dilengkapi dongeng anak dan pinjaman buku untuk kelompok baca desa.",
          LN, ND, PERPUS, TER, "2023-01-09", OPD, ACC, 0.46, "pendidikan"),
        I("bkpsdm", "@alias",
          "SIKEREN (Sistem Informasi Kenaikan Pangkat dan Kinerja Pegawai Online)",
          "", TK, DG, PEG, TER, "2023-08-14", ASN, ACC, 0.59, "tata_kelola"),
        I("distankan", "@name", "Digitalisasi Sistem Percetakan Sawah",
          "Digitalisasi sistem percetakan sawah untuk mendukung ketahanan pangan.",
          LN, DG, TANI, TER, "2024-01-08", OPD, ACC, 0.93, "pertanian"),
        I("distankan", "@alias", "SMART KOPI (Sensor Kelembapan Tanah untuk Kebun Kopi Rakyat)",
          "Sensor kelembapan tanah dan stasiun cuaca mini di kebun percontohan mengirim data ke "
          "ponsel petani sebagai dasar jadwal pemupukan dan penyiraman kopi.",
          LN, DG, TANI, UJI, "2024-05-20", ASN, ACC, 0.52, "pertanian"),
        I("damkar", "@alias",
          "DAMKAR SIAGA 112 (Layanan Darurat Kebakaran dan Penyelamatan 24 Jam)",
          "", PP, DG, TRANTIB, TER, "2023-03-01", OPD, ACC, 0.58, "sosial"),
        I("setda", "@name", "ERISALA (Elektronik Rekomendasi Izin dan Surat Lainnya)",
          "Layanan elektronik untuk rekomendasi izin dan surat-surat resmi lainnya.",
          TK, DG, LAIN, TER, "2023-10-16", OPD, ACC, 0.91, "layanan_publik"),
        I("dinkes", "  dinas  kesehatan",
          "SEHATI (Sehat Ibu Hamil Terpantau dari Desa)",
          "Bidan desa dan kader memantau setiap ibu hamil melalui aplikasi: jadwal periksa, "
          "tablet tambah darah dan tanda bahaya kehamilan, untuk menekan kematian ibu dan bayi.",
          PP, DG, KES, TER, "2023-06-19", ASN, ACC, 0.62, "kesehatan"),
        I("dinkes", "@alias", "GERCEP STUNTING (Gerakan Cepat Cegah Stunting di Desa)",
          "Kader posyandu, bidan dan pemerintah desa melakukan kunjungan rumah bagi balita "
          "berisiko stunting, memberi makanan tambahan lokal dan memantau pertumbuhannya.",
          PP, ND, KES, TER, "2023-02-13", KD, ACC, 0.57, "kesehatan"),
    ],
}

# 2025 winners of the Bupati's OPD innovation awards (FACT, facts.md / siberkreatif.com) and the
# latent jury quality that makes the synthetic scores reproduce the real order.
WINNERS_2025 = {  # title prefix -> (rank label, latent score)
    "ARTIS": ("Juara 1", 87.0),
    "Digitalisasi Sistem Percetakan Sawah": ("Juara 2", 85.6),
    "ERISALA": ("Juara 3", 83.2),
    "SIMICA": ("Harapan 1", 80.4),
    "Sampah Inspektorat": ("Harapan 2", 78.3),
}

# The five other 2025 finalists (synthetic): proposal latents clearly above the rest (<= 72.8)
# and below the winners', so every method shortlists the same ten; their presentations are
# weaker than the winners', so the final order of the five winners is the real one.
FINALISTS_2025 = {  # title prefix -> (proposal latent, presentation latent)
    "SIPANDU": (76.5, 75.0),
    "SIMONEV PEMBANGUNAN": (76.0, 74.0),
    "PLTMH DESA MANDIRI ENERGI": (75.6, 76.0),
    "SEHATI": (75.2, 73.0),
    "GELIS": (74.8, 72.0),
}
PRESENTATION_2025 = {  # the winners' presentation latents, in the real award order
    "ARTIS": 88.0,
    "Digitalisasi Sistem Percetakan Sawah": 86.4,
    "ERISALA": 84.0,
    "SIMICA": 81.2,
    "Sampah Inspektorat": 79.0,
}

# Planted data-quality problems (all warnings, none errors); see the sample README.
NO_EVIDENCE_2025 = ("PERPUSLING",)                       # accepted, no evidence rows at all
EMPTY_REF_2025 = (("BIOGAS TERNAK", "17"), ("SIPADU JALAN", "21"), ("PELITA", "26"))

THEME_OVERRIDES_2025 = (
    ("ERISALA", "layanan_publik",
     "Rekomendasi izin dimohon oleh warga dan pelaku usaha; layanan perizinan lebih dominan "
     "daripada administrasi surat internal."),
    ("Sampah Inspektorat", "lingkungan",
     "Inovasi tentang pengelolaan sampah kantor, bukan pengawasan intern; nama unit "
     "Inspektorat tidak menentukan tema."),
)

# --------------------------------------------------------------------------------------------
# Region (SPD) indicators: hand-written, improving over the years (synthetic)
# --------------------------------------------------------------------------------------------

# indicator -> {year: (level, value)}; value "" where the indicator is not a number.
SPD: dict[str, dict[int, tuple[int, str]]] = {
    "1": {2023: (1, ""), 2024: (2, ""), 2025: (3, "")},
    "2a": {2023: (2, "2"), 2024: (3, "3"), 2025: (3, "3")},          # APBD on time, years
    "2b": {2023: (1, "2"), 2024: (2, "3"), 2025: (2, "3")},          # mandatory spending, parts
    "3": {2023: (2, "-12.40"), 2024: (2, "5.60"), 2025: (3, "9.30")},  # permits change %
    "4": {2023: (2, "3.10"), 2024: (2, "3.80"), 2025: (2, "4.20")},    # income per capita growth %
    "5a": {2023: (1, "-0.12"), 2024: (2, "0.21"), 2025: (3, "0.41")},  # TPT reduction, points
    "5b": {2023: (2, "3.57"), 2024: (2, "3.36"), 2025: (2, "2.95")},   # TPT %
    "6": {2023: (2, "-8.50"), 2024: (2, "21.70"), 2025: (2, "35.20")},  # investment change %
    "7": {2023: (1, "-6.20"), 2024: (2, "4.80"), 2025: (2, "12.50")},  # PAD change %
    "8": {2023: (3, ""), 2024: (3, ""), 2025: (3, "")},              # BPK opinion (WTP)
    "9": {2023: (1, ""), 2024: (2, ""), 2025: (2, "")},              # SAKIP C, B, B
    "10a": {2023: (1, "0.05"), 2024: (2, "0.42"), 2025: (2, "0.61")},  # poverty reduction, points
    "10b": {2023: (1, "14.85"), 2024: (1, "14.43"), 2025: (1, "13.82")},  # poor %
    "11a": {2023: (2, "0.62"), 2024: (3, "0.95"), 2025: (3, "1.07")},  # IPM increase, 2 years
    "11b": {2023: (1, "69.85"), 2024: (2, "70.41"), 2025: (2, "70.92")},  # IPM
    "12": {2023: (1, ""), 2024: (1, ""), 2025: (2, "")},             # awards for innovators
    "13a": {2023: (1, "2"), 2024: (2, "5"), 2025: (2, "6")},         # policy recommendations
    "13b": {2023: (0, ""), 2024: (1, ""), 2025: (2, "")},            # policy quality index
    "14": {2023: (0, ""), 2024: (1, ""), 2025: (1, "")},             # RIPJ PID
    "15": {2023: (1, ""), 2024: (1, ""), 2025: (2, "")},             # IPR facilitation
}
SPD_REF = {
    "1": "rpjmd-visi-misi", "2a": "perda-apbd", "2b": "ringkasan-apbd", "3": "rekap-perizinan",
    "4": "bps-pdrb-per-kapita", "5a": "bps-tpt", "5b": "bps-tpt", "6": "rekap-investasi",
    "7": "lra-pad", "8": "lhp-bpk", "9": "lhe-sakip", "10a": "bps-kemiskinan",
    "10b": "bps-kemiskinan", "11a": "bps-ipm", "11b": "bps-ipm", "12": "sk-penghargaan-inovator",
    "13a": "rekomendasi-kebijakan", "13b": "ikk-lan", "14": "ripj-pid", "15": "fasilitasi-haki",
}

# --------------------------------------------------------------------------------------------
# History (FACTS only: seed article / SK Mendagri No. 400.10.11-4898 Tahun 2024)
# --------------------------------------------------------------------------------------------

HISTORY_ROWS = (
    # year, score, predicate, rank, rank_out_of, scope
    (2023, "", "", "249", "315", "kabupaten nasional"),
    (2023, "", "", "8", "10", "provinsi"),
    (2024, "47.67", "Inovatif", "184", "315", "kabupaten nasional"),
    (2024, "", "", "4", "10", "provinsi"),
)

# --------------------------------------------------------------------------------------------
# Jury (synthetic, fictional names)
# --------------------------------------------------------------------------------------------

JURORS = (  # juror_id, name, home unit (conflict of interest), bias
    ("J1", "Dr. Rahma Contoh, M.Si.", "", 1.5),          # academic, external
    ("J2", "Andi Contoh, S.T., M.T.", "bappeda", 8.0),     # lenient
    ("J3", "Siti Contoh, S.E., M.Ak.", "inspektorat", 0.0),
    ("J4", "Hendra Contoh, S.Kom.", "diskominfo", 0.0),
    ("J5", "Yuliana Contoh, S.Sos.", "", -6.0),          # practitioner/media, external, harsh
    ("J6", "Budi Contoh, S.P., M.Si.", "distankan", 0.0),
    ("J7", "Maya Contoh, S.H.", "dpmptsp", -1.5),
)
JURY_NOTES = (
    "Data penerima manfaat perlu diperjelas.",
    "Potensi replikasi ke kecamatan lain cukup besar.",
    "Keberlanjutan anggaran belum terlihat.",
    "Dampak sudah terukur, dokumentasi baik.",
    "Kebaruan terbatas, mirip program rutin.",
)

# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

# Per-indicator level offsets: replication and complaint handling are rare; the rest neutral.
IND_OFFSET = {"31": -2.2, "29": -0.7, "22": -0.3, "20": -0.3, "34": -0.2, "18": -0.2,
              "19": 0.2, "25": 0.3}
EVIDENCE_FILE = {
    "16": ("sk-kepala-pd", "sk-bupati", "perbup"), "17": ("sk-tim",) * 3,
    "18": ("dpa-anggaran",) * 3,
    "19": ("foto-alat.jpg", "foto-perangkat.jpg", "screenshot-aplikasi.png"),
    "20": ("sertifikat-bimtek",) * 3, "21": ("rkpd",) * 3, "22": ("mou-aktor",) * 3,
    "23": ("sk-pelaksana",) * 3, "24": ("st-jejaring",) * 3,
    "25": ("foto-spanduk.jpg", "tangkapan-medsos.png", "kliping-berita"),
    "26": ("manual-book",) * 3, "27": ("informasi-layanan.png",) * 3, "28": ("sop-layanan",) * 3,
    "29": ("rekap-pengaduan",) * 3, "30": ("screenshot-integrasi.png",) * 3,
    "31": ("pks-replikasi",) * 3, "32": ("proposal-inovasi",) * 3,
    "33": ("daftar-penerima-manfaat",) * 3, "34": ("laporan-monev",) * 3,
    "35": ("video-inovasi.mp4",) * 3,
}


def _fname(iid: str, ind: str, level: int) -> str:
    stem = EVIDENCE_FILE[ind][level - 1]
    return f"{iid}_{ind}_{stem}" + ("" if "." in stem else ".pdf")


def _fmt(x: float) -> str:
    """Scores: integers without decimals, else one decimal."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _find(rows: list[dict], prefix: str) -> dict:
    hits = [r for r in rows if r["_inn"].title.startswith(prefix)]
    assert len(hits) == 1, prefix
    return hits[0]


def build_year(year: int, rng: np.random.Generator) -> dict[str, list[list[str]]]:
    units = units_for(year)
    by_id = {u.unit_id: u for u in units}
    tables: dict[str, list[list[str]]] = {}
    tables["units"] = [["unit_id", "name", "kind", "aliases"]] + [
        [u.unit_id, u.name, u.kind, ";".join(u.aliases)] for u in units]

    rows = []
    for n, inn in enumerate(INNOVATIONS[year], start=1):
        assert inn.unit in by_id, inn.unit
        u = by_id[inn.unit]
        ref = {"@id": u.unit_id, "@name": u.name, "@alias": u.aliases[0],
               "@alias2": u.aliases[-1]}.get(inn.ref, inn.ref)
        rows.append({"_inn": inn, "id": f"RL-{year}-{n:03d}", "ref": ref})
    tables["innovations"] = [[
        "id_inovasi", "tahun", "perangkat_daerah", "judul", "deskripsi", "bentuk", "jenis",
        "urusan", "tahapan", "tanggal_mulai", "inisiator", "status_verifikasi"]] + [
        [r["id"], str(year), r["ref"], r["_inn"].title, r["_inn"].desc, r["_inn"].form,
         r["_inn"].type, r["_inn"].affair, r["_inn"].stage, r["_inn"].start,
         r["_inn"].initiator, r["_inn"].status] for r in rows]

    # evidence ------------------------------------------------------------------------------
    no_ev = {_find(rows, p)["id"] for p in NO_EVIDENCE_2025} if year == 2025 else set()
    empty_ref = ({(_find(rows, p)["id"], ind) for p, ind in EMPTY_REF_2025}
                 if year == 2025 else set())
    ev = [["innovation_id", "indicator", "claimed_level", "verified_level", "evidence_ref", "note"]]
    for r in rows:
        inn, iid = r["_inn"], r["id"]
        # draw for every innovation (even skipped ones) so the stream does not depend on skips
        base = 3 * inn.q + np.array([IND_OFFSET.get(i, 0.0) for i in SID_INDICATORS])
        claimed = np.clip(np.rint(base + rng.normal(0, 0.6, len(base))), 0, 3).astype(int)
        p_drop = [0.85, 0.13, 0.02] if inn.q >= 0.8 else [0.68, 0.26, 0.06]
        drop = rng.choice(3, size=len(base), p=p_drop)
        up = rng.random(len(base)) < 0.02
        if iid in no_ev:
            continue
        for k, ind in enumerate(SID_INDICATORS):
            c = int(claimed[k])
            if (iid, ind) in empty_ref:
                c = max(c, 1)
            note = ""
            if inn.status == PEN:
                v = ""
            elif inn.status == REJ:
                v = "0"
                note = "Bukti dukung tidak sesuai parameter." if c > 0 else ""
            else:
                vi = max(0, c - int(drop[k]))
                if up[k] and c < 3 and c > 0:
                    vi = c + 1
                    note = "Bukti dukung memenuhi level lebih tinggi dari klaim."
                elif vi < c:
                    note = ("Bukti dukung tidak valid." if vi == 0
                            else f"Bukti hanya memenuhi parameter level {vi}.")
                v = str(vi)
            ref = _fname(iid, ind, c) if c > 0 else ""
            if (iid, ind) in empty_ref:
                ref, note = "", ""
                if v != "":
                    v = "0"
            ev.append([iid, ind, str(c), v, ref, note])
    tables["evidence"] = ev

    # region indicators -----------------------------------------------------------------------
    ri = [["indicator", "level", "value", "evidence_ref"]]
    for ind in SPD_ROWS:
        level, value = SPD[ind][year]
        ref = f"SPD_{year}_{ind}_{SPD_REF[ind]}.pdf" if level > 0 else ""
        ri.append([ind, str(level), value, ref])
    tables["region_indicators"] = ri

    # history (facts known before the year) ---------------------------------------------------
    tables["history"] = [["year", "score", "predicate", "rank", "rank_out_of", "scope"]] + [
        [str(y), s, p, rk, of, sc] for y, s, p, rk, of, sc in HISTORY_ROWS if y < year]

    # jury ----------------------------------------------------------------------------------
    if year >= 2024:
        entries = [r for r in rows if r["_inn"].status == ACC]
        latent = {}
        for r in entries:
            inn = r["_inn"]
            win = next((v for k, v in WINNERS_2025.items() if inn.title.startswith(k)), None)
            fin = next((v for k, v in FINALISTS_2025.items() if inn.title.startswith(k)), None)
            latent[r["id"]] = (win[1] if (year == 2025 and win)
                               else fin[0] if (year == 2025 and fin) else 52.0 + 32.0 * inn.q)
        crit_off = {(r["id"], c): rng.normal(0, 1.5) for r in entries for c in CRITERIA}
        tables["jurors"] = [["juror_id", "name", "home_unit_id"]] + [
            [j, name, home] for j, name, home, _ in JURORS]
        js = [["juror_id", "innovation_id", "criterion", "score", "stage", "note"]]
        for j, _name, home, bias in JURORS:
            for r in entries:
                noise = rng.normal(0, 3.0, len(CRITERIA))
                halves = rng.random(len(CRITERIA)) < (0.25 if j == "J1" else 0.0)
                notes = rng.random() < 0.08
                note_pick = int(rng.integers(len(JURY_NOTES)))
                if home and home == r["_inn"].unit:
                    continue  # recusal: never score one's own unit
                for k, c in enumerate(CRITERIA):
                    x = latent[r["id"]] + crit_off[(r["id"], c)] + bias + noise[k]
                    x = np.round(x * 2) / 2 if halves[k] else np.rint(x)
                    x = float(np.clip(x, 1, 100))
                    js.append([j, r["id"], c, _fmt(x), "",
                               JURY_NOTES[note_pick] if (notes and k == 0) else ""])
        if year == 2025:
            js += _presentations(rows, rng)
            _check_winners(rows, js)
        tables["jury_scores"] = js

    if year == 2025:
        tables["theme_overrides"] = [["innovation_id", "theme", "reason"]] + [
            [_find(rows, p)["id"], th, why] for p, th, why in THEME_OVERRIDES_2025]
    return tables


def _presentations(rows: list[dict], rng: np.random.Generator) -> list[list[str]]:
    """Stage 2 (presentasi) scores of the ten finalists; drawn after every other draw, so the
    rest of the sample is what it was with one round."""
    latent = {}
    for prefix, value in PRESENTATION_2025.items():
        latent[_find(rows, prefix)["id"]] = value
    for prefix, (_, value) in FINALISTS_2025.items():
        latent[_find(rows, prefix)["id"]] = value
    order = [r for r in rows if r["id"] in latent]
    crit_off = {(r["id"], c): rng.normal(0, 1.5) for r in order for c in PRESENTATION}
    out = []
    for j, _name, home, bias in JURORS:
        for r in order:
            noise = rng.normal(0, 3.0, len(PRESENTATION))
            if home and home == r["_inn"].unit:
                continue  # recusal, as in the proposal stage
            for k, c in enumerate(PRESENTATION):
                x = latent[r["id"]] + crit_off[(r["id"], c)] + bias + noise[k]
                out.append([j, r["id"], c, _fmt(float(np.clip(np.rint(x), 1, 100))),
                            "presentasi", ""])
    return out


def _stage_means(recs: list[list[str]], stage: str, criteria: tuple[str, ...],
                 weights: tuple[float, ...]) -> dict[str, dict[str, float]]:
    """Juror -> entry -> weighted total of one stage."""
    w = dict(zip(criteria, weights, strict=True))
    totals: dict[str, dict[str, float]] = {}
    for j, iid, c, s, st, _n in recs:
        if (st or "proposal") == stage:
            totals.setdefault(j, {}).setdefault(iid, 0.0)
            totals[j][iid] += w[c] * float(s)
    return totals


def _combined(totals: dict[str, dict[str, float]], zscore: bool) -> dict[str, float]:
    per: dict[str, list[float]] = {}
    for values in totals.values():
        m, sd = float(np.mean(list(values.values()))), float(np.std(list(values.values()),
                                                                     ddof=1))
        for iid, x in values.items():
            per.setdefault(iid, []).append((x - m) / sd if zscore else x)
    return {iid: float(np.mean(v)) for iid, v in per.items()}


def _check_winners(rows: list[dict], js: list[list[str]]) -> None:
    """The ten finalists and the real 2025 order must come out of mean and z-score alike."""
    recs = js[1:]
    winners = [_find(rows, k)["id"] for k in WINNERS_2025]
    finalists = set(winners) | {_find(rows, k)["id"] for k in FINALISTS_2025}
    proposal = _stage_means(recs, "proposal", CRITERIA, PROPOSAL_WEIGHTS)
    presentation = _stage_means(recs, "presentasi", PRESENTATION, PRESENTATION_WEIGHTS)
    for zscore in (False, True):
        first = _combined(proposal, zscore)
        order = sorted(first, key=lambda i: -first[i])
        assert set(order[:10]) == finalists, ("shortlist", zscore, order[:11])
        second = _combined(presentation, zscore)
        if zscore:  # back on the scale, as evalkit does: mean + sd * z of juror totals
            first = _rescaled(proposal, first)
            second = _rescaled(presentation, second)
        final = {i: STAGE_WEIGHTS["proposal"] * first[i] + STAGE_WEIGHTS["presentasi"]
                 * second[i] for i in finalists}
        ranked = sorted(final, key=lambda i: -final[i])
        assert ranked[:5] == winners, ("final", zscore, ranked[:6], winners)


def _rescaled(totals: dict[str, dict[str, float]], z: dict[str, float]) -> dict[str, float]:
    means = [float(np.mean(list(v.values()))) for v in totals.values()]
    sds = [float(np.std(list(v.values()), ddof=1)) for v in totals.values()]
    return {i: float(np.mean(means)) + float(np.mean(sds)) * x for i, x in z.items()}


# --------------------------------------------------------------------------------------------
# The 2025 innovations as the IID application exports them (made up, like the rest)
# --------------------------------------------------------------------------------------------

EXPORT_HEADER = ["No", "Judul Inovasi", "Pemda", "Admin OPD", "Inisiator", "Nama Inisiator",
                 "Bentuk Inovasi", "Jenis", "Asta Cipta", "Urusan Utama",
                 "Urusan lain yang beririsan", "Kematangan", "Tahapan Inovasi", "Tanggal Input",
                 "Tanggal Penerapan", "Tanggal Pengembangan", "Koordinat", "Video", "Link Video"]
EXPORT_FORMS = {TK: "Inovasi tata kelola pemerintahan daerah", PP: "Inovasi pelayanan publik",
                LN: "Inovasi Daerah lainnya sesuai dengan Urusan Pemerintahan yang menjadi "
                    "kewenangan Daerah"}
EXPORT_TYPES = {DG: "Digital", ND: "Non Digital"}
EXPORT_STAGES = {INI: "Inisiatif", UJI: "Uji Coba", TER: "Penerapan"}
EXPORT_INITIATORS = {KD: "Kepala Daerah", DPRD: "Anggota DPRD", OPD: "OPD", ASN: "ASN",
                     MAS: "Masyarakat"}
# The application's spellings of the affairs that differ from the official names used above.
EXPORT_AFFAIRS = {TRANTIB: "ketenteraman, ketertiban umum, dan pelindungan masyarakat",
                  LAIN: "Fungsi Penunjang lainnya sesuai dengan ketentuan peraturan "
                        "perundang-undangan"}
ASTA_CIPTA = (  # three of the nine missions, as the application writes them
    "Memperkuat pembangunan sumber daya manusia (SDM), sains, teknologi, pendidikan, kesehatan, "
    "prestasi olahraga, kesetaraan gender, serta penguatan peran perempuan, pemuda, dan "
    "penyandang disabilitas.",
    "Membangun dari desa dan dari bawah untuk pemerataan ekonomi dan pemberantasan kemiskinan.",
    "Meningkatkan lapangan kerja yang berkualitas, mendorong kewirausahaan, mengembangkan "
    "industri kreatif, dan melanjutkan pengembangan infrastruktur.",
    "-",
)
INITIATOR_NAMES = ("Rina Contoh, S.P.", "Dedi Contoh, S.E., M.Ak.", "Sri Contoh, S.Pd.",
                   "dr. Maya Contoh", "Yusuf Contoh", "Hendra Contoh, S.Kom.",
                   "Ahmad Contoh, S.Sos.")
EXPORT_TECHNOLOGY = ("PLTMH DESA MANDIRI ENERGI", "SMART KOPI")  # Jenis "Teknologi"
EXPORT_REPEATED = "DAMKAR SIAGA 112"         # exported twice (the real file has such pairs)
EXPORT_CARRIED_OVER = "SI-PARKIR NON TUNAI"  # entered in the 2024 campaign
EXPORT_ADMIN = "GERCEP STUNTING"             # entered through the region-level admin account
ADMIN_ACCOUNT = "admin.rejang.lebong (iga2025.kabupaten.rejang.lebong)"


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}-{iso[5:7]}-{iso[0:4]}" if iso else "-"


def _login(unit_id: str) -> str:
    return "rejanglebongkab." + (unit_id.replace("kec-", "kec.", 1) if unit_id.startswith(
        "kec-") else unit_id).replace("-", "")


def _sid_weights() -> dict[str, float]:
    """SID weights of the 2025 rubric shipped with evalkit (Kematangan = Σ weight × level)."""
    sys.path.insert(0, str(ROOT / "src"))
    from evalkit.iid.rubric import BUNDLED_RUBRICS, load_rubric

    sid = load_rubric(BUNDLED_RUBRICS / "iid-2025.yaml").sid
    return dict(zip(sid["indicator"].astype(str), sid["weight"].astype(float), strict=True))


def export_rows(tables: dict[str, list[list[str]]]) -> list[list[str]]:
    """The 2025 innovations (and their claimed levels) in the export's layout."""
    units = {r[0]: r[1] for r in tables["units"][1:]}
    weights = _sid_weights()
    claimed: dict[str, float] = {}
    video: dict[str, bool] = {}
    for iid, ind, level, _v, _ref, _note in tables["evidence"][1:]:
        claimed[iid] = claimed.get(iid, 0.0) + weights[ind] * int(level)
        if ind == "35":
            video[iid] = int(level) > 0
    by_title = {inn.title: inn for inn in INNOVATIONS[2025]}
    out = [EXPORT_HEADER]
    rows = tables["innovations"][1:]
    for n, row in enumerate(rows, start=1):
        iid, _year, _ref, title = row[:4]
        inn = by_title[title]
        maturity = claimed.get(iid, 0.0)
        entered = f"2025-07-{1 + (n * 7) % 28:02d}"
        if title.startswith(EXPORT_CARRIED_OVER):
            entered = "2024-07-18"
        admin = (ADMIN_ACCOUNT if title.startswith(EXPORT_ADMIN)
                 else f"{units[inn.unit]} ({_login(inn.unit)})")
        initiator_name = {ASN: INITIATOR_NAMES[n % len(INITIATOR_NAMES)],
                          OPD: units[inn.unit], KD: "H. Bupati Contoh, S.H.",
                          MAS: "Kelompok Warga Contoh", DPRD: "Anggota Dewan Contoh"}[
            inn.initiator]
        has_video = video.get(iid, False)
        out.append([
            str(n), title, "Kabupaten Rejang Lebong", admin, EXPORT_INITIATORS[inn.initiator],
            initiator_name, EXPORT_FORMS[inn.form],
            "Teknologi" if title.startswith(EXPORT_TECHNOLOGY) else EXPORT_TYPES[inn.type],
            ASTA_CIPTA[n % len(ASTA_CIPTA)], EXPORT_AFFAIRS.get(inn.affair, inn.affair.lower()),
            "", "0" if maturity == 0 else f"{maturity:.2f}", EXPORT_STAGES[inn.stage],
            _dmy(entered), _dmy(inn.start), "-",
            "-3.47, 102.52" if n % 9 == 0 else "-",
            "Ada" if has_video else "Tidak Ada",
            f"https://youtu.be/contoh-{iid.lower()}" if has_video else "-"])
        if title.startswith(EXPORT_REPEATED):
            out.append([str(n + 1), *out[-1][1:]])
    for n, row in enumerate(out[1:], start=1):  # the export numbers its rows 1..n
        row[0] = str(n)
    return out


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


FIXED_ZIP_TIME = (2025, 6, 10, 0, 0, 0)
FIXED_XML_TIME = "2025-06-10T00:00:00Z"


def xlsx_bytes(sheets: dict[str, list[list[str]]],
               numeric: tuple[str, ...] = ("score",)) -> bytes:
    """One table per sheet; numeric columns as numbers; byte-reproducible."""
    import datetime

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    fixed = datetime.datetime(2025, 6, 10)
    wb.properties.creator = "tools/make_sample.py"
    wb.properties.created = fixed
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        header = rows[0]
        ws.append(header)
        for row in rows[1:]:
            out: list[object] = []
            for col, val in zip(header, row, strict=True):
                if val == "":
                    out.append(None)
                elif col in numeric:
                    out.append(int(val) if val.isdigit() else float(val))
                else:
                    out.append(val)
            ws.append(out)
    raw = io.BytesIO()
    wb.save(raw)
    # re-zip with fixed timestamps (openpyxl stamps the current time into the zip and core.xml)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    dst_buf = io.BytesIO()
    with zipfile.ZipFile(dst_buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>" + FIXED_XML_TIME.encode() + rb"\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return dst_buf.getvalue()


ALL_NAMES = ("units.csv", "innovations.csv", "evidence.csv", "region_indicators.csv",
             "history.csv", "jurors.csv", "jury_scores.csv", "theme_overrides.csv", "jury.xlsx")


def render_all() -> dict[str, bytes]:
    """Path relative to the region folder -> bytes for every generated file; the export
    sample's path starts with ``../rejang-lebong-export/``."""
    rng = np.random.default_rng(SEED)
    files: dict[str, bytes] = {}
    for year in YEARS:
        tables = build_year(year, rng)
        if year == 2025:
            files[f"../{EXPORT_DIR}/{year}/data_inovasi.xlsx"] = xlsx_bytes(
                {"Data": export_rows(tables)}, numeric=("No",))
        for name, rows in tables.items():
            if year == 2025 and name in ("jurors", "jury_scores"):
                continue
            files[f"{year}/{name}.csv"] = csv_bytes(rows)
        if year == 2025:
            files[f"{year}/jury.xlsx"] = xlsx_bytes(
                {"jurors": tables["jurors"], "jury_scores": tables["jury_scores"]})
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="region folder to write")
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk; exit 1 on any difference")
    args = ap.parse_args(argv)
    files = render_all()
    if args.check:
        bad = [p for p, b in files.items()
               if not (args.out / p).is_file() or (args.out / p).read_bytes() != b]
        for p in bad:
            print(f"differs: {args.out / p}", file=sys.stderr)
        return 1 if bad else 0
    for year in YEARS:
        d = args.out / str(year)
        d.mkdir(parents=True, exist_ok=True)
        for name in ALL_NAMES:  # drop generated files that this version no longer writes
            if f"{year}/{name}" not in files and (d / name).exists():
                (d / name).unlink()
    for p, b in files.items():
        (args.out / p).parent.mkdir(parents=True, exist_ok=True)
        (args.out / p).write_bytes(b)
        n = b.count(b"\n") - 1 if p.endswith(".csv") else None
        print(f"wrote {args.out / p}" + (f" ({n} rows)" if n is not None else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
