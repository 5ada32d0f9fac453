from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from evalkit.report.blocks import Figure, Markdown, Table, save_figure, to_markdown


def test_table_is_a_pipe_table_with_caption_and_escaped_cells() -> None:
    frame = pd.DataFrame({"Unit": ["A | B", None], "n": [1, 2]})
    text = Table(frame, "Ringkasan", "summary").to_markdown()
    assert text.splitlines()[0].startswith("| Unit")
    assert "A \\| B" in text
    assert text.endswith(": Ringkasan {#tbl-summary}")


def test_empty_table_keeps_its_header() -> None:
    text = Table(pd.DataFrame({"a": [], "b": []}), "Kosong", "empty").to_markdown()
    assert text.startswith("| a | b |")


def test_figure_is_saved_reproducibly(tmp_path: Path) -> None:
    def draw() -> Figure:
        fig, ax = plt.subplots()
        ax.bar(["a", "b"], [1, 2])
        return save_figure(fig, tmp_path, "bars", "Dua batang")

    block = draw()
    first = (tmp_path / "figures" / "bars.png").read_bytes()
    draw()
    assert (tmp_path / "figures" / "bars.png").read_bytes() == first
    assert block.to_markdown() == "![Dua batang](figures/bars.png){#fig-bars}"


def test_document_joins_blocks() -> None:
    text = to_markdown([Markdown("# Judul"), Markdown("Teks.")])
    assert text == "# Judul\n\nTeks.\n"


def test_table_widths_do_not_follow_the_longest_cell() -> None:
    """Quarto's Typst PDF takes a wide pipe table's column widths from its separator dashes:
    short numeric columns keep room for their header, long notes do not take the page."""
    import re
    import subprocess

    from evalkit.report.render import pandoc_path

    note = "Jumlah inovasi yang dihitung dibagi pembagi minimum, dengan catatan panjang " * 3
    frame = pd.DataFrame({"Komponen": ["SPD", "SID", "Jumlah inovasi"],
                          "Skor": ["46,25", "44,59", "12,92"],
                          "Maksimum": ["63", "111", "76"],
                          "Keterangan": [note, note, note]})
    text = Table(frame, "Rincian", "rincian", align=("left", "right", "right", "left")
                 ).to_markdown()
    rows = text.splitlines()
    assert rows[2] == "| SPD | 46,25 | 63 | " + " ".join(note.split()) + " |"  # not padded
    typst = subprocess.run([str(pandoc_path()), "-f", "markdown", "-t", "typst",
                            "--columns=20"], input=text, capture_output=True, text=True,
                           check=True).stdout
    widths = [float(w) for w in re.search(r"columns: \(([^)]*)\)", typst).group(1)
              .replace("%", "").split(",")]
    assert widths[1] >= 10 and widths[2] >= 13  # "Skor", "Maksimum" fit their headers
    assert widths[0] >= 20  # the component names too: the note has what is left
    longer = Table(frame.assign(Keterangan=[note * 5, note * 5, note * 5]), "R", "r",
                   align=("left", "right", "right", "left")).to_markdown()
    again = subprocess.run([str(pandoc_path()), "-f", "markdown", "-t", "typst",
                            "--columns=20"], input=longer, capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"columns: \(([^)]*)\)", again).group(1) == re.search(
        r"columns: \(([^)]*)\)", typst).group(1)  # a longer note changes nothing
    assert "align:(left,right,right,left,)" in typst.replace(" ", "")


def test_report_front_matter_keeps_quarto_typst_cells_unjustified() -> None:
    import json

    import yaml

    root = Path(__file__).resolve().parents[2]
    notebook = json.loads((root / "notebooks" / "05_report.ipynb").read_text(encoding="utf-8"))
    front = yaml.safe_load("".join(notebook["cells"][0]["source"]).strip().strip("-"))
    headers = front["format"]["typst"]["include-in-header"]
    assert any("#show table: set par(justify: false)" in h["text"] for h in headers)
    typ = (root / "src" / "evalkit" / "report" / "assets" / "report.typ").read_text()
    assert "#show table: set par(justify: false)" in typ
