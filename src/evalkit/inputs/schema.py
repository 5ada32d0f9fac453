"""The input tables of one year, declared as data (DESIGN §4).

Each table lists its columns with the kind of value, whether a value is required, the
Indonesian (and other) header aliases accepted, and the allowed values. ``evalkit.inputs.validate``
interprets these declarations; nothing else in evalkit hard-codes a header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "text", "int", "float", "level", "date", "choice", "term", "indicator"]
# What an unknown value of a vocabulary column does: stop the run, warn and keep the text as
# written, or keep it without a word (free text where the vocabulary only suggests).
Unknown = Literal["error", "warning", "keep"]
# Values made when the whole column is absent: an id from the row's content (title + unit),
# the run's year (also for empty cells: the year folder says it), a slug of the name.
Fill = Literal["", "content_id", "run_year", "slug"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    # For kinds "choice" and "term": the vocabulary (inputs/vocabularies/<name>.yaml).
    # "choice" stores the entry's key; "term" keeps the text and adds ``<name>_key``.
    vocabulary: str = ""
    unknown: Unknown = "error"
    # For kind "indicator": the allowed indicator range (sub-rows such as 2a are allowed).
    indicator_range: tuple[int, int] = (1, 36)
    # For kind "float": the smallest value allowed.
    minimum: float | None = None
    # An empty cell here is worth a warning (it weakens the evaluation, not the run).
    warn_if_empty: bool = False
    # The whole column absent is worth one warning.
    warn_if_absent: bool = False
    fill: Fill = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    aliases: tuple[str, ...] = ()  # accepted file and sheet names besides ``name``
    description: str = ""
    # Headers known but not read: no warning (the IID export's row number, region, location).
    ignored: tuple[str, ...] = ()
    # Headers holding personal data (names, phone numbers, e-mail): never read, so nothing
    # in them can reach an artifact or a report.
    personal: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


LEVEL_RANGE = (0, 3)
PERSONAL = ("nama_inisiator", "nama_penggagas", "nama_inovator", "nama_pengusul",
            "nama_operator", "nama_admin", "nama_kepala", "nama_pejabat", "nip", "nik",
            "no_hp", "nomor_hp", "hp", "no_telp", "no_telepon", "nomor_telepon", "telepon",
            "whatsapp", "no_wa", "email", "e_mail", "alamat_email", "kontak",
            "contact_person", "narahubung")

UNITS = Table(
    name="units",
    aliases=("unit", "opd", "perangkat_daerah", "unit_kerja"),
    key=("unit_id",),
    description="The region's work units (OPD, kecamatan, UPT, schools, ...). Absent: the "
                "units are the submitters of the year's innovations (coverage then cannot be "
                "measured). An empty `kind` is inferred from the name and marked as inferred; "
                "`parent` names the unit a sub-unit belongs to (a school under the education "
                "office), as an id, a name or an alias.",
    personal=PERSONAL,
    columns=(
        Column("unit_id", "id", True, ("kode_unit", "kode_opd", "id_unit", "kode"),
               fill="slug"),
        Column("name", "text", True, ("nama", "nama_unit", "nama_opd", "nama_perangkat_daerah",
                                      "perangkat_daerah", "unit_kerja")),
        Column("kind", "choice", False, ("jenis", "jenis_unit", "tipe", "jenis_perangkat_daerah"),
               vocabulary="unit_kinds", unknown="keep"),
        Column("aliases", "text", False, ("alias", "singkatan", "nama_lain", "akun", "login")),
        Column("parent", "text", False, ("induk", "unit_induk", "opd_induk",
                                         "perangkat_daerah_induk",
                                         "parent_id", "di_bawah")),
    ),
)

INNOVATIONS = Table(
    name="innovations",
    aliases=("inovasi", "daftar_inovasi", "data_inovasi"),
    key=("innovation_id",),
    required=True,
    description="One row per innovation submitted this year. The IID application's export "
                "(`data_inovasi.xlsx`, sheet `Data`) is read as it comes: its headers are "
                "accepted names below, `No` and `Koordinat` are not read, and "
                "`Nama Inisiator` (personal data) is never read. Without an `innovation_id` "
                "column, ids are made from the title and unit (`INV-` + 10 hex digits; a "
                "repeated title and unit gets `-2`, `-3`); without a `year` column the run's "
                "year is used.",
    ignored=("no", "nomor", "no_urut", "koordinat", "titik_koordinat"),
    personal=PERSONAL,
    columns=(
        Column("innovation_id", "id", True, ("id_inovasi", "kode_inovasi", "no_inovasi"),
               fill="content_id"),
        Column("year", "int", False, ("tahun", "tahun_inovasi"), fill="run_year"),
        Column("unit_id", "text", True,
               ("perangkat_daerah", "opd", "unit", "unit_kerja", "nama_opd", "kode_unit",
                "admin_opd", "opd_pengusul", "unit_pengusul", "perangkat_daerah_pengusul",
                "instansi")),
        Column("title", "text", True, ("judul", "nama_inovasi", "judul_inovasi",
                                       "nama_inovasi_daerah")),
        Column("description", "text", False, ("deskripsi", "uraian", "ringkasan",
                                              "deskripsi_inovasi"),
               warn_if_empty=True, warn_if_absent=True),
        Column("form", "choice", False, ("bentuk", "bentuk_inovasi"), vocabulary="forms",
               warn_if_absent=True),
        Column("type", "choice", False, ("jenis", "jenis_inovasi"), vocabulary="types",
               warn_if_absent=True),
        Column("affair", "term", False, ("urusan", "urusan_pemerintahan", "urusan_utama"),
               vocabulary="affairs", unknown="warning", warn_if_absent=True),
        Column("other_affairs", "text", False, ("urusan_lain", "urusan_lain_yang_beririsan",
                                                "urusan_beririsan")),
        Column("stage", "choice", False, ("tahapan", "tahap", "tahapan_inovasi"),
               vocabulary="stages", warn_if_absent=True),
        Column("start_date", "date", False, ("tanggal_mulai", "waktu_penerapan", "mulai",
                                             "tanggal_penerapan"),
               warn_if_empty=True),
        Column("developed_date", "date", False, ("tanggal_pengembangan",)),
        Column("entered_date", "date", False, ("tanggal_input", "tanggal_entri",
                                               "tanggal_pengisian")),
        Column("initiator", "choice", False, ("inisiator", "penggagas", "jenis_inisiator"),
               vocabulary="initiators", unknown="warning"),
        Column("maturity_reported", "float", False, ("kematangan", "nilai_kematangan",
                                                     "skor_kematangan"), minimum=0.0),
        Column("asta_cipta", "text", False, ("misi_asta_cipta",)),
        Column("region", "text", False, ("pemda", "nama_pemda", "pemerintah_daerah")),
        Column("video", "choice", False, ("ada_video",), vocabulary="presence",
               unknown="warning"),
        Column("video_url", "text", False, ("link_video", "tautan_video", "url_video")),
        Column("verification_status", "choice", False,
               ("status_verifikasi", "status", "verifikasi", "status_pengajuan"),
               vocabulary="statuses"),
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
        Column("claimed_level", "level", True, ("level_klaim", "level", "parameter",
                                                "level_diklaim", "klaim")),
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
    from evalkit.inputs.vocabulary import NAMES, vocabulary

    lines = ["# Input tables", "",
             "Generated from `src/evalkit/inputs/schema.py` and the vocabularies in "
             "`src/evalkit/inputs/vocabularies/` by `python -m evalkit.inputs > docs/data.md`.",
             "",
             "A year's folder `data/<region>/<year>/` holds one file per table (`<table>.csv` "
             "or `<table>.xlsx`) or workbooks with one sheet per table. File and sheet names "
             "may also be the Indonesian names listed. Files are recognised by what they hold, "
             "not only by their name: a workbook named `.csv`, a CSV named `.xlsx` or "
             "`evidence.csv.txt` is read (with a warning), an old `.xls` or a "
             "password-protected workbook is an error saying so, and the IID application's "
             "export is recognised by its headers whatever the file is called. Headers are "
             "matched case-insensitively after removing hints and marks (`Level Verifikasi "
             "(0-3)`, `Status*`, a trailing note after ` - ` or `:`); spaces and hyphens "
             "count as underscores. A header that looks like a known column but is not one "
             "is an error with the suggestion; other unknown headers are warnings. `-` in a "
             "cell means empty. Files and sheets whose name starts with `_` are ignored "
             "(notes); hidden sheets are not read (an error when named as a table). Columns "
             "holding personal data (`Nama Inisiator`, `NIP`, phone numbers, e-mail) are "
             "never read. Another spreadsheet's own headers and values are mapped in the "
             "params (`inputs:`, see docs/params.md). Required columns are in bold.", ""]
    for table in TABLES.values():
        need = "required" if table.required else "optional"
        names = ", ".join(f"`{a}`" for a in table.aliases)
        lines += [f"## `{table.name}` ({need})", "", table.description, "",
                  f"Also accepted as: {names}. Unique key: "
                  f"{', '.join(f'`{k}`' for k in table.key)}."]
        if table.ignored:
            lines.append(f"Known, not read: {', '.join(f'`{h}`' for h in table.ignored)}.")
        lines += ["", "| column | kind | accepted headers | values |", "|---|---|---|---|"]
        for col in table.columns:
            name = f"**{col.name}**" if col.required else col.name
            values = []
            if col.vocabulary:
                keys = ", ".join(f"`{k}`" for k in vocabulary(col.vocabulary).keys)
                how = {"error": "other values are errors",
                       "warning": "other values: a warning, kept as written",
                       "keep": "other values kept as written"}[col.unknown]
                if col.kind == "term":
                    values.append(f"text kept, matched to vocabulary `{col.vocabulary}` "
                                  f"(`{col.name}_key`); {how}")
                elif len(keys) < 200:
                    values.append(f"{keys} (vocabulary `{col.vocabulary}`; {how})")
                else:
                    values.append(f"vocabulary `{col.vocabulary}`; {how}")
            elif col.kind == "level":
                values.append(f"{LEVEL_RANGE[0]}-{LEVEL_RANGE[1]}")
            elif col.kind == "indicator":
                values.append(f"{col.indicator_range[0]}-{col.indicator_range[1]}, "
                              "sub-rows like 2a")
            if col.minimum is not None:
                values.append(f"at least {col.minimum:g}")
            if col.warn_if_empty:
                values.append("empty = warning")
            if col.warn_if_absent:
                values.append("absent = one warning")
            fill = {"content_id": "absent: made from title and unit",
                    "run_year": "absent or empty: the run's year",
                    "slug": "absent: made from the name"}.get(col.fill)
            if fill:
                values.append(fill)
            aliases = ", ".join(f"`{a}`" for a in col.aliases)
            lines.append(f"| {name} | {col.kind} | {aliases} | {'; '.join(values)} |")
        lines.append("")
    lines += ["## Vocabularies", "",
              "Official lists as data (`src/evalkit/inputs/vocabularies/<name>.yaml`). A value "
              "matches an entry when its words equal the words of the entry's key, name or one "
              "of its spellings, ignoring case, punctuation, word order and the file's "
              "`normalise.drop` words, after its `normalise.replace` spellings "
              "(Perlindungan/Pelindungan, Ketentraman/Ketenteraman). A value one typo from a "
              "single entry is read as it, with a warning; anything else is reported with the "
              "closest entry.", "",
              "| vocabulary | entries | source |", "|---|---|---|"]
    for name in NAMES:
        vocab = vocabulary(name)
        lines.append(f"| `{name}` | {len(vocab.entries)} | {vocab.source} |")
    lines += ["", "### Government affairs (`affairs`)", "",
              "| key | name | group | other spellings |", "|---|---|---|---|"]
    for entry in vocabulary("affairs").entries:
        spellings = "; ".join(entry.spellings)
        lines.append(f"| `{entry.key}` | {entry.name} | {entry.group} | {spellings} |")
    lines.append("")
    return "\n".join(lines)
