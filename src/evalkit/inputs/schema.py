"""The input tables of one year, declared as data (DESIGN §4).

Each table lists its columns with the kind of value, whether a value is required, the
Indonesian (and other) header aliases accepted, and the allowed values. ``evalkit.inputs.validate``
interprets these declarations; nothing else in evalkit hard-codes a header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["id", "text", "int", "float", "level", "date", "choice", "indicator"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    # For kind "choice": canonical value -> accepted spellings (normalised, lower case).
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # For kind "indicator": the allowed indicator range (sub-rows such as 2a are allowed).
    indicator_range: tuple[int, int] = (1, 36)
    # An empty cell here is worth a warning (it weakens the evaluation, not the run).
    warn_if_empty: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    aliases: tuple[str, ...] = ()  # accepted file and sheet names besides ``name``
    description: str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


LEVEL_RANGE = (0, 3)

FORMS = {
    "tata_kelola": ("tata kelola", "tata kelola pemerintahan", "tata kelola pemerintahan daerah",
                    "governance"),
    "pelayanan_publik": ("pelayanan publik", "layanan publik", "public service"),
    "lainnya": ("inovasi daerah lainnya", "lain lain", "lainnya sesuai urusan", "other"),
}
TYPES = {
    "digital": ("daring", "online"),
    "non_digital": ("non digital", "nondigital", "luring", "offline"),
}
STAGES = {
    "inisiatif": ("initiative", "inisiasi"),
    "uji_coba": ("uji coba", "ujicoba", "trial", "pilot"),
    "penerapan": ("implementation", "diterapkan", "implementasi"),
}
VERIFICATION = {
    "accepted": ("diterima", "valid", "terverifikasi", "lolos"),
    "rejected": ("ditolak", "tidak valid", "tidak lolos", "invalid"),
    "pending": ("menunggu", "belum", "belum diverifikasi", "proses", ""),
}

UNITS = Table(
    name="units",
    aliases=("unit", "opd", "perangkat_daerah", "unit_kerja"),
    key=("unit_id",),
    required=True,
    description="The region's work units (OPD, kecamatan, ...).",
    columns=(
        Column("unit_id", "id", True, ("kode_unit", "kode_opd", "id_unit", "kode")),
        Column("name", "text", True, ("nama", "nama_unit", "nama_opd", "nama_perangkat_daerah")),
        Column("kind", "text", False, ("jenis", "jenis_unit", "tipe")),
        Column("aliases", "text", False, ("alias", "singkatan", "nama_lain")),
    ),
)

INNOVATIONS = Table(
    name="innovations",
    aliases=("inovasi", "daftar_inovasi"),
    key=("innovation_id",),
    required=True,
    description="One row per innovation submitted this year.",
    columns=(
        Column("innovation_id", "id", True, ("id_inovasi", "kode_inovasi", "no_inovasi")),
        Column("year", "int", True, ("tahun",)),
        Column("unit_id", "text", True,
               ("perangkat_daerah", "opd", "unit", "unit_kerja", "nama_opd", "kode_unit")),
        Column("title", "text", True, ("judul", "nama_inovasi", "judul_inovasi")),
        Column("description", "text", False, ("deskripsi", "uraian", "ringkasan"),
               warn_if_empty=True),
        Column("form", "choice", False, ("bentuk", "bentuk_inovasi"), choices=FORMS),
        Column("type", "choice", False, ("jenis", "jenis_inovasi"), choices=TYPES),
        Column("affair", "text", False, ("urusan", "urusan_pemerintahan")),
        Column("stage", "choice", False, ("tahapan", "tahap"), choices=STAGES),
        Column("start_date", "date", False, ("tanggal_mulai", "waktu_penerapan", "mulai"),
               warn_if_empty=True),
        Column("initiator", "text", False, ("inisiator", "penggagas")),
        Column("verification_status", "choice", False,
               ("status_verifikasi", "status", "verifikasi"), choices=VERIFICATION),
    ),
)

EVIDENCE = Table(
    name="evidence",
    aliases=("bukti", "data_dukung", "indikator_inovasi"),
    key=("innovation_id", "indicator"),
    description="Per innovation and SID indicator (16-35): the claimed and verified level.",
    columns=(
        Column("innovation_id", "id", True, ("id_inovasi", "kode_inovasi")),
        Column("indicator", "indicator", True, ("indikator", "no_indikator"),
               indicator_range=(16, 35)),
        Column("claimed_level", "level", True, ("level_klaim", "level", "parameter")),
        Column("verified_level", "level", False, ("level_verifikasi", "level_terverifikasi")),
        Column("evidence_ref", "text", False, ("bukti", "data_dukung", "dokumen", "file")),
        Column("note", "text", False, ("catatan", "keterangan")),
    ),
)

REGION_INDICATORS = Table(
    name="region_indicators",
    aliases=("indikator_daerah", "indikator_spd", "spd"),
    key=("indicator",),
    description="The region-level (SPD) indicators 1-15, with sub-rows such as 2a.",
    columns=(
        Column("indicator", "indicator", True, ("indikator", "no_indikator"),
               indicator_range=(1, 15)),
        Column("level", "level", True, ("level", "parameter")),
        Column("value", "float", False, ("nilai", "angka")),
        Column("evidence_ref", "text", False, ("bukti", "data_dukung", "dokumen")),
    ),
)

JURORS = Table(
    name="jurors",
    aliases=("juri", "dewan_juri"),
    key=("juror_id",),
    description="Members of the lomba inovasi jury.",
    columns=(
        Column("juror_id", "id", True, ("id_juri", "kode_juri")),
        Column("name", "text", False, ("nama", "nama_juri")),
        Column("home_unit_id", "text", False, ("unit_asal", "instansi_asal", "asal_unit")),
    ),
)

JURY_SCORES = Table(
    name="jury_scores",
    aliases=("nilai_juri", "penilaian_juri", "skor_juri"),
    key=("juror_id", "innovation_id", "criterion", "stage"),
    description="One score per juror, entry, criterion (and stage).",
    columns=(
        Column("juror_id", "id", True, ("id_juri", "kode_juri")),
        Column("innovation_id", "id", True, ("id_inovasi", "kode_inovasi")),
        Column("criterion", "id", True, ("kriteria",)),
        Column("score", "float", True, ("nilai", "skor")),
        Column("stage", "text", False, ("tahap", "babak")),
        Column("note", "text", False, ("catatan", "komentar")),
    ),
)

HISTORY = Table(
    name="history",
    aliases=("riwayat", "riwayat_iid"),
    key=("year", "scope"),
    description="Published results of earlier years (national and provincial rank).",
    columns=(
        Column("year", "int", True, ("tahun",)),
        Column("score", "float", False, ("skor", "nilai", "nilai_iid")),
        Column("predicate", "text", False, ("predikat",)),
        Column("rank", "int", False, ("peringkat",)),
        Column("rank_out_of", "int", False, ("dari", "jumlah_daerah")),
        Column("scope", "text", True, ("cakupan", "lingkup")),
    ),
)

THEME_OVERRIDES = Table(
    name="theme_overrides",
    aliases=("koreksi_tema", "tema_manual"),
    key=("innovation_id",),
    description="Evaluators' corrections of the assigned theme.",
    columns=(
        Column("innovation_id", "id", True, ("id_inovasi", "kode_inovasi")),
        Column("theme", "id", True, ("tema",)),
        Column("reason", "text", False, ("alasan", "catatan")),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (UNITS, INNOVATIONS, EVIDENCE, REGION_INDICATORS, JURORS, JURY_SCORES, HISTORY,
              THEME_OVERRIDES)
}

# Tables whose absence weakens the report enough to warn about it.
EXPECTED_TABLES = ("evidence", "region_indicators", "history")


def describe_markdown() -> str:
    """The data contract as Markdown (docs/data.md is generated from this; a test checks it)."""
    lines = ["# Input tables", "",
             "Generated from `src/evalkit/inputs/schema.py` by "
             "`python -m evalkit.inputs > docs/data.md`.",
             "",
             "A year's folder `data/<region>/<year>/` holds one file per table (`<table>.csv` "
             "or `<table>.xlsx`) or workbooks with one sheet per table. File and sheet names "
             "may also be the Indonesian names listed. Headers are matched case-insensitively; "
             "spaces and hyphens count as underscores. Files and sheets whose name starts with "
             "`_` are ignored (notes). Required columns are in bold.", ""]
    for table in TABLES.values():
        need = "required" if table.required else "optional"
        names = ", ".join(f"`{a}`" for a in table.aliases)
        lines += [f"## `{table.name}` ({need})", "", table.description, "",
                  f"Also accepted as: {names}. Unique key: "
                  f"{', '.join(f'`{k}`' for k in table.key)}.", "",
                  "| column | kind | accepted headers | values |", "|---|---|---|---|"]
        for col in table.columns:
            name = f"**{col.name}**" if col.required else col.name
            values = ""
            if col.kind == "choice":
                values = "; ".join(f"`{k}`" + (f" ({', '.join(v for v in s if v)})" if any(s)
                                                else "") for k, s in col.choices.items())
            elif col.kind == "level":
                values = f"{LEVEL_RANGE[0]}-{LEVEL_RANGE[1]}"
            elif col.kind == "indicator":
                values = f"{col.indicator_range[0]}-{col.indicator_range[1]}, sub-rows like 2a"
            if col.warn_if_empty:
                values = (values + "; " if values else "") + "empty = warning"
            aliases = ", ".join(f"`{a}`" for a in col.aliases)
            lines.append(f"| {name} | {col.kind} | {aliases} | {values} |")
        lines.append("")
    return "\n".join(lines)
