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
