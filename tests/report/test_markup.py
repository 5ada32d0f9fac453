"""User text escaped at every Markdown boundary (issue 9 item 2): read back by Pandoc the way
Quarto reads it, hostile text adds no element, and reads exactly as written."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from hostile import HOSTILE_TITLES, element_types, pandoc_ast, readable

from evalkit.report.blocks import Figure, Markdown, Table, Text, save_figure, to_markdown
from evalkit.report.markup import MarkdownText, MarkdownTranslator, escape_markdown

matplotlib.use("Agg")

# Inline elements plain text may consist of; anything else (Image, Link, RawInline, Code,
# Math, Cite, Span, Emph, Note, ...) would be structure the text added.
PLAIN = {"Str", "Space", "SoftBreak", "Para", "Plain", "Quoted", "SingleQuote", "DoubleQuote"}


def _plain_text(ast: dict) -> str:
    """The text of a Pandoc AST's inlines, quotes written back as typed."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "Str":
                out.append(node["c"])
            elif kind in ("Space", "SoftBreak"):
                out.append(" ")
            elif kind == "Quoted":
                mark = '"' if node["c"][0]["t"] == "DoubleQuote" else "'"
                out.append(mark)
                walk(node["c"][1])
                out.append(mark)
            else:
                for value in node.values():
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast["blocks"])
    return "".join(out)


@pytest.mark.parametrize("name", list(HOSTILE_TITLES))
def test_hostile_text_adds_no_structure_at_the_start_of_a_line(name: str) -> None:
    text = HOSTILE_TITLES[name]
    ast = pandoc_ast(escape_markdown(text))
    assert set(element_types(ast["blocks"])) <= PLAIN, name
    assert readable(_plain_text(ast)) == readable(text)


@pytest.mark.parametrize("name", list(HOSTILE_TITLES))
def test_hostile_text_inside_a_sentence_and_bold(name: str) -> None:
    text = HOSTILE_TITLES[name]
    ast = pandoc_ast(f"Juara 1: **{escape_markdown(text)}** dari Dinas.")
    kinds = element_types(ast["blocks"])
    assert set(kinds) <= PLAIN | {"Strong"} and kinds.count("Strong") == 1, name


def test_a_table_gets_exactly_its_rows_and_cells() -> None:
    titles = list(HOSTILE_TITLES.values())
    frame = pd.DataFrame({"Judul": titles, "Nilai": [f"{i},50" for i in range(len(titles))]})
    ast = pandoc_ast(Table(frame, "Peringkat *lomba*", "hostile").to_markdown())
    (table,) = [b for b in ast["blocks"] if b["t"] == "Table"]
    body = table["c"][4][0][3]
    assert len(body) == len(titles)
    for row, title in zip(body, titles, strict=True):
        cell = row[1][0][4]
        assert set(element_types(cell)) <= PLAIN
        assert readable(_plain_text({"blocks": cell})) == readable(title)
    assert [b["t"] for b in ast["blocks"]] == ["Table"]  # no heading, no second table


def test_numbers_stay_right_aligned_after_escaping() -> None:
    frame = pd.DataFrame({"x": ["-2,5", "+3", "10%"], "y": ["a", "b", "-c"]})
    lines = Table(frame, "c", "t").to_markdown().splitlines()
    assert lines[1].startswith("|-") and lines[1].rstrip().endswith("|") and "--:|" in lines[1]


def test_translator_escapes_fields_not_templates_and_not_twice() -> None:
    t = MarkdownTranslator("id")
    title = HOSTILE_TITLES["md-image"]
    line = t("jury.chapter.winner_line", rank=1, title=title, unit="<b>Dinas</b>",
             score=t.number(88.25), interval="1")
    assert isinstance(line, MarkdownText)
    assert line.startswith("1. **\\!\\[SISIPAN\\]") and "\\<b\\>Dinas\\</b\\>" in line
    assert "88,25" in line
    ast = pandoc_ast(line)
    assert "Image" not in element_types(ast) and "RawInline" not in element_types(ast)
    # a translated text in a table cell (pandas 3 makes it a plain str) is not escaped again
    cell = t("core.report.subtitle", year=2025)
    frame = pd.DataFrame({"a": [cell], "b": [title]})
    assert isinstance(frame.iloc[0, 0], str) and not isinstance(frame.iloc[0, 0], MarkdownText)
    md = Table(frame, "c", "t").to_markdown()
    assert str(cell) in md and "\\\\" not in md


def test_text_block_and_captions() -> None:
    note = "![x](/etc/hostname) *miring* <iframe src=x>\n# SISIPAN"
    ast = pandoc_ast(Text(note, emphasis=True).to_markdown())
    assert set(element_types(ast["blocks"])) <= PLAIN | {"Emph"}
    assert readable(_plain_text(ast)) == readable(note)
    figure = Figure("figures/x.png", HOSTILE_TITLES["md-link"], "x").to_markdown()
    kinds = element_types(pandoc_ast(figure))
    assert kinds.count("Image") == 1 and "Link" not in kinds


def test_figures_only_from_the_reports_own_folder() -> None:
    for path in ("/etc/hostname", "../secret.png", "figures/../../x.png", "http://x/y.png",
                 "figures/a b.png"):
        with pytest.raises(ValueError, match="figures/"):
            Figure(path, "c", "x").to_markdown()


def test_a_title_with_dollars_draws_as_written(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("Rp $5 juta$ hemat \\frac{1}{0} $")  # unbalanced mathtext would raise
    block = save_figure(fig, tmp_path, "x; rm -rf", "c")
    assert block.path == "figures/x-rm-rf.png" and (tmp_path / block.path).is_file()


def test_markdown_blocks_stay_markdown() -> None:
    assert to_markdown([Markdown("# Judul"), Text("# bukan judul")]).startswith(
        "# Judul\n\n\\# bukan judul")


def test_invisible_reordering_controls_are_dropped() -> None:
    text = "file\u202egnp.exe \u2066x\u2069"
    assert escape_markdown(text) == "filegnp.exe x"


def test_unescaped_markup_is_inert_in_the_builtin_renderer(tmp_path: Path) -> None:
    """Second line of defence: Markdown written without escaping (a chapter's mistake) still
    cannot run a script, embed a local file, or inject Typst, in the built-in renderer."""
    import nbformat
    from nbformat.v4 import new_output
    from test_render import code, markdown_output, synthetic_report

    from evalkit.report.render import render_report

    secret = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    secret.write_bytes(b"RAHASIA-evalkit-4c1f secret content")
    notebook = synthetic_report(tmp_path)
    nb = nbformat.read(notebook, as_version=4)
    raw = (f"Judul ![rahasia]({secret}) ![host](/etc/hostname) <script>alert(1)</script> "
           '<img src=x onerror="alert(2)"> [klik](javascript:alert(3)) '
           '[x]{onclick="alert(4)"} `#text(fill: red, size: 20pt)[SANGAT]`{=typst} $x^2$')
    nb.cells.append(code("x", markdown_output(raw)))
    nb.cells.append(code("y", new_output("display_data", data={
        "text/html": f'<p>html <img src="{secret}"> <script>alert(5)</script></p>',
        "text/plain": "x"})))
    nbformat.write(nb, notebook)
    result = render_report(notebook, formats=["html", "pdf"], renderer="pandoc")
    html = result.outputs["html"].read_text(encoding="utf-8")
    for marker in (base64.b64encode(secret.read_bytes()).decode(),
                   base64.b64encode(Path("/etc/hostname").read_bytes()).decode(), "<script",
                   "javascript:"):
        assert marker not in html, marker
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html)  # no event handler on any element
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    assert "Judul" in html and "SANGAT" in html
    assert any("not one of the report's own" in w for w in result.warnings)
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(result.outputs["pdf"]).pages)
    assert "#text(fill: red, size: 20pt)[SANGAT]" in " ".join(text.split())
