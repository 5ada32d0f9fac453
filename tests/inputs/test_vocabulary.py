"""Official vocabularies matched robustly: every affair spelling of the IID export's format
notes and the variants real spreadsheets use resolve to the right affair; a made-up value
warns naming the closest entry; forms, types, stages and initiators alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import INNOVATIONS
from evalkit.config import load_params
from evalkit.inputs.validate import load_year
from evalkit.inputs.vocabulary import NAMES, load_vocabulary, vocabulary
from evalkit.issues import InputError

AFFAIRS = [
    # the format notes' spellings (the application's: lower case, commas)
    ("pendidikan", "pendidikan"),
    ("kesehatan", "kesehatan"),
    ("ketenteraman, ketertiban umum, dan pelindungan masyarakat", "trantibum"),
    ("koperasi, usaha kecil, dan menengah", "kukm"),
    ("energi dan sumber daya mineral", "esdm"),
    ("Fungsi Penunjang lainnya sesuai dengan ketentuan peraturan perundang-undangan",
     "penunjang_lain"),
    # the made-up export's other values
    ("pertanian", "pertanian"), ("pangan", "pangan"), ("pariwisata", "pariwisata"),
    ("kebudayaan", "kebudayaan"), ("lingkungan hidup", "lingkungan_hidup"),
    ("administrasi kependudukan dan pencatatan sipil", "adminduk"),
    ("perpustakaan", "perpustakaan"), ("sosial", "sosial"), ("Perencanaan", "perencanaan"),
    ("pekerjaan umum dan penataan ruang", "pupr"),
    ("perumahan rakyat dan kawasan permukiman", "perkim"),
    # the regulation's spellings
    ("Ketenteraman dan Ketertiban Umum serta Pelindungan Masyarakat", "trantibum"),
    ("Pemberdayaan Perempuan dan Pelindungan Anak", "pppa"),
    ("Fungsi lain sesuai dengan ketentuan peraturan perundang-undangan", "penunjang_lain"),
    # case, punctuation, dan/serta, Perlindungan/Pelindungan, Ketentraman/Ketenteraman
    ("KETENTERAMAN DAN KETERTIBAN UMUM SERTA PELINDUNGAN MASYARAKAT", "trantibum"),
    ("Ketentraman, Ketertiban Umum, dan Perlindungan Masyarakat", "trantibum"),
    ("Ketentraman dan Ketertiban Umum serta Perlindungan Masyarakat", "trantibum"),
    ("ketenteraman ketertiban umum & pelindungan masyarakat", "trantibum"),
    ("Ketertiban Umum, Ketenteraman, dan Perlindungan Masyarakat", "trantibum"),
    ("Pemberdayaan Perempuan dan Perlindungan Anak", "pppa"),
    ("Pekerjaan Umum & Penataan Ruang", "pupr"),
    ("Pekerjaan Umum serta Penataan Ruang.", "pupr"),
    ("  perumahan   rakyat dan kawasan pemukiman ", "perkim"),
    ("Koperasi, Usaha Kecil dan Menengah", "kukm"),
    ("Kepemudaan dan Olah Raga", "kepemudaan_olahraga"),
    ("Urusan Pendidikan", "pendidikan"),
    ("Urusan Pemerintahan Bidang Kesehatan", "kesehatan"),
    ("Energi & Sumber Daya Mineral", "esdm"),
    # common abbreviations
    ("Trantibum", "trantibum"), ("Trantibum Linmas", "trantibum"), ("PUPR", "pupr"),
    ("Perkim", "perkim"), ("Dukcapil", "adminduk"), ("ESDM", "esdm"), ("Kominfo", "kominfo"),
    # a typo one letter away is read as the entry (with a warning)
    ("Kesehatn", "kesehatan"), ("Pendidkan", "pendidikan"),
]


@pytest.mark.parametrize(("written", "key"), AFFAIRS)
def test_affair_spellings_resolve(written: str, key: str) -> None:
    assert vocabulary("affairs").match(written).key == key


@pytest.mark.parametrize(("vocab", "written", "key"), [
    ("forms", "Inovasi pelayanan publik", "pelayanan_publik"),
    ("forms", "Inovasi tata kelola pemerintahan daerah", "tata_kelola"),
    ("forms", "Inovasi Daerah lainnya sesuai dengan Urusan Pemerintahan yang menjadi "
              "kewenangan Daerah", "lainnya"),
    ("forms", "tata_kelola", "tata_kelola"), ("forms", "PELAYANAN PUBLIK", "pelayanan_publik"),
    ("types", "Digital", "digital"), ("types", "Non Digital", "non_digital"),
    ("types", "non-digital", "non_digital"), ("types", "Teknologi", "teknologi"),
    ("stages", "Inisiatif", "inisiatif"), ("stages", "Uji Coba", "uji_coba"),
    ("stages", "uji-coba", "uji_coba"), ("stages", "Penerapan", "penerapan"),
    ("initiators", "ASN", "asn"), ("initiators", "OPD", "perangkat_daerah"),
    ("initiators", "Kepala Daerah", "kepala_daerah"), ("initiators", "Masyarakat", "masyarakat"),
    ("initiators", "Anggota DPRD", "dprd"), ("initiators", "perangkat_daerah", "perangkat_daerah"),
    ("statuses", "Draf", "draft"), ("statuses", "Terkirim", "pending"),
    ("statuses", "Diterima", "accepted"), ("statuses", "Ditolak", "rejected"),
    ("presence", "Ada", "yes"), ("presence", "Tidak Ada", "no"),
])
def test_other_vocabularies(vocab: str, written: str, key: str) -> None:
    assert vocabulary(vocab).match(written).key == key


def test_made_up_values_name_the_closest() -> None:
    found = vocabulary("affairs").match("Pariwisata dan Ekonomi Kreatif")
    assert found.how == "none" and found.key is None and found.closest.key == "pariwisata"
    assert vocabulary("affairs").match("Urusan Antariksa").closest is None
    combined = vocabulary("forms").match("Tata Kelola Pemerintahan Daerah dan Pelayanan Publik")
    assert combined.how == "none"  # two forms in one: the region must say which (params)


def test_a_made_up_affair_is_a_warning_naming_the_closest(mini_region) -> None:
    rows = [dict(r) for r in INNOVATIONS]
    rows[0]["affair"] = "Kesehatan Masyarakat dan Gizi"
    rows[1]["affair"] = "ketentraman, ketertiban umum, dan perlindungan masyarakat"
    data = load_year(load_params(mini_region(innovations=rows)))
    warning = next(i for i in data.warnings if i.code == "unknown-value")
    assert "'Kesehatan Masyarakat dan Gizi'" in warning.message
    assert "closest: 'Kesehatan' (kesehatan)" in warning.message
    assert '"affair": {"Kesehatan Masyarakat dan Gizi": "kesehatan"}' in warning.hint
    inn = data.innovations
    assert inn["affair"].tolist()[0] == "Kesehatan Masyarakat dan Gizi"  # kept as written
    assert inn["affair_key"].isna().tolist()[0] and inn["affair_key"].tolist()[1] == "trantibum"


def test_a_bad_form_is_an_error_with_the_mapping_to_add(mini_region, tmp_path) -> None:
    rows = [dict(r) for r in INNOVATIONS]
    rows[1]["form"] = "Inovasi Tata Kelola dan Pelayanan"
    with pytest.raises(InputError) as info:
        load_year(load_params(mini_region(innovations=rows)))
    error = next(i for i in info.value.errors if i.code == "bad-value")
    assert error.row == 3 and error.column == "form"
    assert "expected one of tata_kelola, pelayanan_publik, lainnya" in error.message
    assert "inputs" in error.hint and "Inovasi Tata Kelola dan Pelayanan" in error.hint


@pytest.mark.parametrize("name", NAMES)
def test_shipped_vocabularies_load_and_every_spelling_has_one_owner(name: str) -> None:
    vocab = vocabulary(name)
    for entry in vocab.entries:
        for spelling in (entry.name, *entry.spellings):
            assert vocab.match(spelling).key == entry.key, (name, spelling)


def test_a_vocabulary_with_a_spelling_for_two_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nentries:\n  - {key: a, name: Satu, spellings: [Dua]}\n"
                    "  - {key: b, name: dua}\n", encoding="utf-8")
    with pytest.raises(InputError, match="reads the same"):
        load_vocabulary(path)


def test_basic_services_use_the_vocabulary_keys() -> None:
    from evalkit.iid.rubric import BUNDLED_RUBRICS, load_rubric

    affairs = {entry.key for entry in vocabulary("affairs").entries
               if entry.group == "wajib_pelayanan_dasar"}
    for year in (2023, 2024, 2025):
        rubric = load_rubric(BUNDLED_RUBRICS / f"iid-{year}.yaml")
        assert {k for k, _, _ in rubric.count.basic_services.affairs} == affairs
