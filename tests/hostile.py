"""Hostile text a work unit or an organiser could type, and scanners for what must not come out
of it (shared by the escaping tests and the end-to-end run)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from evalkit.spreadsheet import is_live_formula

LONG_TITLE = ("INOVASI PELAYANAN TERPADU DESA MANDIRI BERBASIS DATA KEPENDUDUKAN " * 80)[:5000]

# Each title holds a word (SISIPAN, "inserted") that must never become structure of its own.
HOSTILE_TITLES = {
    "script": '<script>alert("judul-script")</script>SIPANDU SISIPAN script',
    "img-onerror": 'SEHATI <img src=x onerror=alert("judul-img")> SISIPAN onerror',
    "js-link": '<a href="javascript:alert(3)">KLIK SISIPAN</a> layanan daring',
    "md-image": "![SISIPAN](/etc/hostname) GAMBAR dari berkas lokal",
    "md-heading": "# SISIPAN judul bagian\n\n## SISIPAN kedua",
    "md-table-row": "baris biasa\n| SISIPAN | baris | tabel |\n|---|---|---|",
    "md-link": "[SISIPAN tautan](https://contoh.invalid/phish) layanan",
    "typst-raw": "`#text(fill: red, size: 20pt)[SANGAT INOVATIF]`{=typst} SISIPAN typst",
    "typst-code": "#text(fill: red, size: 20pt)[SANGAT INOVATIF] SISIPAN kode",
    "formula-eq": '=HYPERLINK("http://contoh.invalid","klik") SISIPAN formula',
    "formula-plus": "+1+2 SISIPAN plus",
    "formula-minus": "-2+3 SISIPAN minus",
    "formula-at": "@SUM(1+1) SISIPAN at",
    "rtl": "\u0627\u0628\u062a\u0643\u0627\u0631 \u202eSISIPAN rtl\u202c \u062e\u062f\u0645\u0629",
    "list": "1. SISIPAN daftar bernomor",
    "long": LONG_TITLE,
}

# The ASCII quotes Pandoc's typography turns into curly ones: legibility is read without them.
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def readable(text: str) -> str:
    """What a reader sees of ``text``: quotes straightened, white space runs made one space,
    bidirectional controls dropped."""
    text = "".join(ch for ch in text if not 0x202A <= ord(ch) <= 0x202E)
    return " ".join(text.translate(QUOTES).split())


def live_formulas_in_csv(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [f"{path.name} row {n}: {cell!r}" for n, row in enumerate(csv.reader(handle), 1)
                for cell in row if is_live_formula(cell)]


# A formula evalkit writes itself (a juror sheet's weighted total) computes over score
# cells; one holding text (a string literal) or reaching out (HYPERLINK, WEBSERVICE, DDE)
# would have come from data.
_OWN_FORMULA = re.compile(r'=[A-Z0-9:()*+\-/.,<>=&" ]*')
_FOREIGN = re.compile(r'"[^"]+"|HYPERLINK|WEBSERVICE|IMPORT|DDE|CALL|EXEC', re.I)


def live_formulas_in_xlsx(path: Path) -> list[str]:
    """Text a spreadsheet would run that is stored as a formula or lacks the quote prefix,
    and formulas that are not evalkit's own arithmetic over cells."""
    import openpyxl

    found = []
    book = openpyxl.load_workbook(path)  # not data_only: formulas stay formulas
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value if isinstance(cell.value, str) else None
                if cell.data_type == "f":
                    own = _OWN_FORMULA.fullmatch(text or "") and not _FOREIGN.search(text or "")
                    if not own:
                        found.append(f"{path.name} [{sheet.title}] {cell.coordinate}: {text!r}")
                elif text and is_live_formula(text) and not cell.quotePrefix:
                    found.append(f"{path.name} [{sheet.title}] {cell.coordinate}: {text!r}")
    return found


def libreoffice_formulas(csv_files: list[Path], work: Path) -> list[str]:
    """Open the CSV files in LibreOffice Calc (headless, its own profile) and list every cell
    it took as a formula: the spreadsheet a clerk would use, not our reading of it."""
    work.mkdir(parents=True, exist_ok=True)
    profile = (work / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(work), *map(str, csv_files)],
                   check=True, capture_output=True, timeout=300)
    found = []
    for file in csv_files:
        converted = work / (file.stem + ".xlsx")
        assert converted.is_file(), f"LibreOffice did not convert {file.name}"
        import openpyxl

        for sheet in openpyxl.load_workbook(converted).worksheets:
            found += [f"{file.name} {c.coordinate}: {c.value!r}" for row in sheet.iter_rows()
                      for c in row if c.data_type == "f"]
    return found


def pandoc_ast(markdown: str, reader: str = "markdown") -> dict[str, Any]:
    """Pandoc's reading of ``markdown`` as Quarto reads it (raw HTML and raw Typst on)."""
    from evalkit.report.render import pandoc_path

    proc = subprocess.run([str(pandoc_path()), "-f", reader, "-t", "json"], input=markdown,
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(proc.stdout)


def element_types(node: Any) -> list[str]:
    """Every element type ("Para", "Image", "RawInline", ...) in a Pandoc JSON AST."""
    found: list[str] = []
    if isinstance(node, dict):
        if "t" in node:
            found.append(node["t"])
        for value in node.values():
            found += element_types(value)
    elif isinstance(node, list):
        for value in node:
            found += element_types(value)
    return found
