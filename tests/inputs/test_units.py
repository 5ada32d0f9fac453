"""Work units as real organisations have them: submitters as "Name (login)", parents, kinds of
a province and a city, kinds inferred from names."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import INNOVATIONS, UNITS
from evalkit.config import load_params
from evalkit.inputs.units import derive_units, infer_kind, region_kind, split_login
from evalkit.inputs.validate import load_year
from evalkit.issues import InputError


@pytest.mark.parametrize(("text", "name", "login"), [
    ("Dinas Sosial Provinsi Jawa Timur (jatimprov.dinsos)", "Dinas Sosial Provinsi Jawa Timur",
     "jatimprov.dinsos"),
    ("admin.jawa.timur (iga2025.provinsi.jawa.timur)", "admin.jawa.timur",
     "iga2025.provinsi.jawa.timur"),
    ("Dinas Pertanian (Distan)", "Dinas Pertanian (Distan)", None),
    ("  Kecamatan   Curup ", "Kecamatan Curup", None),
])
def test_split_login(text, name, login):
    assert split_login(text) == (name, login)


@pytest.mark.parametrize(("name", "kind"), [
    ("SMA Negeri 1 Malang", "sekolah"), ("SMKN 2 Surabaya", "sekolah"),
    ("SLB Negeri Pembina", "sekolah"), ("Cabang Dinas Pendidikan Wilayah Malang", "cabang_dinas"),
    ("UPT Pelabuhan Perikanan", "upt"), ("UPTD Puskesmas Curup", "upt"),
    ("Biro Organisasi", "biro"), ("Bakorwil Madiun", "bakorwil"),
    ("Puskesmas Curup", "puskesmas"), ("Kelurahan Talang Rimbo", "kelurahan"),
    ("RSUD dr. Soetomo", "rsud"), ("Dinas Kesehatan", "dinas"),
    ("Badan Pendapatan Daerah", "badan"),
    ("Kecamatan Curup", "kecamatan"), ("Kec. Curup", "kecamatan"),
    ("Inspektorat Daerah", "inspektorat"), ("Sekretariat DPRD", "sekretariat"),
    ("admin.rejang.lebong", "akun_pemda"), ("Forum Anak Desa", None),
])
def test_kind_from_the_name(name, kind):
    assert infer_kind(name) == kind


@pytest.mark.parametrize(("region", "declared", "kind"), [
    ("Provinsi Jawa Timur", "", "provinsi"), ("Kota Malang", "", "kota"),
    ("Kabupaten Rejang Lebong", "", "kabupaten"), ("Rejang Lebong", "", ""),
    ("Rejang Lebong", "kabupaten", "kabupaten"),
])
def test_region_kind(region, declared, kind):
    assert region_kind(region, declared) == kind


def test_one_unit_per_name_and_shared_logins_join():
    innovations = pd.DataFrame({
        "unit_id": ["SMAN 1 Kota (iga2025.sman1)", "SMAN 1 Kota (jatim.dindik.sman1)",
                    "Dinas Sosial (jatim.dinsos)", "Dinas Sosial Prov (jatim.dinsos)",
                    "Dinas Sosial (jatim.dinsos)", "Biro Umum"],
        "_source": "x.xlsx", "_sheet": "Data", "_row": range(2, 8)})
    units = derive_units(innovations, ["unit_id", "name", "kind", "aliases", "parent"])
    assert units["name"].tolist() == ["SMAN 1 Kota", "Dinas Sosial", "Biro Umum"]
    assert units.loc[0, "aliases"] == "iga2025.sman1;jatim.dindik.sman1"
    assert units.loc[1, "aliases"] == "Dinas Sosial Prov;jatim.dinsos"  # renamed, same login
    assert units["kind"].tolist() == ["sekolah", "dinas", "biro"]
    assert units["_row"].tolist() == [2, 4, 7]


def _province_units() -> list[dict[str, str]]:
    return [
        {"unit_id": "dindik", "name": "Dinas Pendidikan", "kind": "", "aliases": "",
         "parent": ""},
        {"unit_id": "cabdin-malang", "name": "Cabang Dinas Pendidikan Wilayah Malang", "kind": "",
         "aliases": "", "parent": "Dinas Pendidikan"},
        {"unit_id": "sman1", "name": "SMA Negeri 1 Malang", "kind": "", "aliases": "",
         "parent": "cabdin-malang"},
        {"unit_id": "sman2", "name": "SMA Negeri 2 Malang", "kind": "", "aliases": "",
         "parent": "cabdin-malang"},
        {"unit_id": "dinkes", "name": "Dinas Kesehatan", "kind": "dinas", "aliases": "Dinkes",
         "parent": ""},
        {"unit_id": "rsud", "name": "RSUD Saiful Anwar", "kind": "", "aliases": "",
         "parent": "Dinkes"},
        {"unit_id": "biro-umum", "name": "Biro Umum", "kind": "Biro", "aliases": "",
         "parent": ""},
    ]


def _province_innovations() -> list[dict[str, str]]:
    rows = []
    for n, unit in enumerate(["sman1", "sman1", "rsud", "Biro Umum"]):
        rows.append(dict(INNOVATIONS[0], innovation_id=f"P-{n}", unit_id=unit,
                         title=f"Inovasi {n}"))
    return rows


def test_parents_resolve_and_kinds_are_inferred_and_marked(mini_region):
    params = mini_region(units=_province_units(), innovations=_province_innovations(),
                         evidence=None, params={"region_name": "Provinsi Contoh"})
    units = load_year(load_params(params)).units.set_index("unit_id")
    assert units.loc["sman1", "parent"] == "cabdin-malang"
    assert units.loc["cabdin-malang", "parent"] == "dindik"  # written as the parent's name
    assert units.loc["rsud", "parent"] == "dinkes"  # written as its alias
    assert units.loc["sman1", "kind"] == "sekolah" and bool(units.loc["sman1", "kind_inferred"])
    assert units.loc["cabdin-malang", "kind"] == "cabang_dinas"
    assert units.loc["dinkes", "kind"] == "dinas" and not units.loc["dinkes", "kind_inferred"]
    assert units.loc["biro-umum", "kind"] == "biro"  # "Biro" as written, matched


def test_an_unknown_parent_and_a_cycle_are_errors(mini_region):
    units = _province_units()
    units[2]["parent"] = "Cabang Dinas Malang Raya"
    units[0]["parent"] = "sman2"
    units[3]["parent"] = "Dinas Pendidikan"
    params = mini_region(units=units, innovations=_province_innovations(), evidence=None)
    with pytest.raises(InputError) as info:
        load_year(load_params(params))
    text = "\n".join(str(i) for i in info.value.errors)
    assert "unknown parent unit 'Cabang Dinas Malang Raya'" in text and "row 4" in text
    assert "each other's parent" in text


def test_the_same_name_for_two_units_is_an_error(mini_region):
    units = [dict(u) for u in UNITS]
    units[1]["aliases"] = "Dinkes"
    with pytest.raises(InputError, match="names both unit"):
        load_year(load_params(mini_region(units=units)))


def test_export_style_names_resolve_against_a_units_table(mini_region):
    rows = [dict(r) for r in INNOVATIONS]
    rows[0]["unit_id"] = "Dinas Kesehatan (rejanglebongkab.dinkes)"
    rows[1]["unit_id"] = "Dukcapil Lama (rl.dukcapil)"  # unknown name, known login as alias
    units = [dict(u) for u in UNITS]
    units[1]["aliases"] += ";rl.dukcapil"
    data = load_year(load_params(mini_region(innovations=rows, units=units)))
    assert data.innovations["unit_id"].tolist() == ["dinkes", "disdukcapil"]
    assert not [i for i in data.warnings if i.code == "unit-spelling"]
