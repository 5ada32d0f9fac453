"""evalkit.report.render: executed notebook -> self-contained HTML and A4 PDF (pandoc + Typst),
or Quarto when it is on PATH (tested with a stand-in `quarto` script: the real one cannot be
installed here, and it is a true external boundary).

Most tests use notebooks whose outputs are written by hand in the shape Jupyter gives them
(fast); the `slow` ones execute a notebook for real with papermill.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
    new_raw_cell,
)
from pypdf import PdfReader

from evalkit.cli import main
from evalkit.issues import InputError
from evalkit.report.render import (
    LUA_FILTER,
    RenderError,
    available_renderer,
    find_report_notebook,
    pandoc_path,
    pandoc_version,
    render_report,
    typst_version,
)

A4 = (595.3, 841.9)  # points


# Notebook builders ------------------------------------------------------------------------


def front_matter(lang: str = "id", title: str = "Laporan Uji Inovasi", **extra: Any) -> str:
    lines = [
        "---",
        f'title: "{title}"',
        'subtitle: "Kabupaten Contoh"',
        'date: "2025-11-30"',
        f"lang: {lang}",
        "papersize: a4",
        "toc: true",
        "execute:",
        "  echo: false",
        "format:",
        "  html:",
        "    embed-resources: true",
        "    toc: true",
        "  typst:",
        "    papersize: a4",
        "    toc: true",
    ]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join([*lines, "---"])


def png_bytes(width_in: float = 4.0, height_in: float = 2.0, dpi: int = 96) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # the test process only; notebooks keep the inline backend
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width_in, height_in))
    ax.bar(["A", "B"], [3, 5])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def markdown_output(text: str) -> Any:
    """What `display(IPython.display.Markdown(text))` leaves in the notebook."""
    return new_output(
        "display_data",
        data={"text/markdown": text, "text/plain": "<IPython.core.display.Markdown object>"},
    )


def code(source: str, *outputs: Any, tags: list[str] | None = None) -> Any:
    cell = new_code_cell(source, outputs=list(outputs), execution_count=1)
    if tags:
        cell.metadata["tags"] = tags
    return cell


DATAFRAME_HTML = (
    "<div>\n<style scoped>\n .dataframe tbody tr th { vertical-align: top; }\n</style>\n"
    '<table border="1" class="dataframe">\n<thead>\n<tr style="text-align: right;">\n'
    "<th></th>\n<th>opd</th>\n<th>skor</th>\n</tr>\n</thead>\n<tbody>\n"
    "<tr>\n<th>0</th>\n<td>Dinas Kesehatan</td>\n<td>71.5</td>\n</tr>\n"
    "<tr>\n<th>1</th>\n<td>Dinas Sosial</td>\n<td>64.25</td>\n</tr>\n"
    "</tbody>\n</table>\n</div>"
)

CHAPTER_ONE = """## Ringkasan Umum

Jumlah inovasi naik, lihat @fig-bar dan @tbl-opd.

- butir pertama
- butir kedua

| OPD | Jumlah |
|:----|-------:|
| Dinas Kesehatan | 3 |
| Dinas Sosial | 5 |

: Jumlah inovasi per OPD {#tbl-opd}

![Jumlah inovasi per OPD](figures/bar.png){#fig-bar}
"""

CHAPTER_TWO = """## Penutup

Rincian skor ada di @tbl-skor dan trennya di @fig-tren.

| kolom | tanpa judul |
|---|---|
| x | y |
"""


def synthetic_report(folder: Path, lang: str = "id", **front: Any) -> Path:
    """A report notebook with outputs shaped like Jupyter's, written without a kernel."""
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    (folder / "figures" / "bar.png").write_bytes(png_bytes())
    image = base64.b64encode(png_bytes(3, 2, 100)).decode()
    cells = [
        new_raw_cell(front_matter(lang, **front)),
        code('params_path = ""\noutput_dir = "."', tags=["parameters"]),
        code('# Parameters\noutput_dir = "."\n', tags=["injected-parameters"]),
        code(
            "#| include: false\nimport pandas as pd\nprint('persiapan')",
            new_output("stream", name="stdout", text="persiapan\n"),
        ),
        code(
            "show(chapter_one)",
            new_output("stream", name="stderr", text="UserWarning: peringatan kernel\n"),
            markdown_output(CHAPTER_ONE),
        ),
        code(
            '#| label: tbl-skor\n#| tbl-cap: "Skor per *inovasi*"\ndf',
            new_output(
                "execute_result",
                data={"text/html": DATAFRAME_HTML, "text/plain": "   opd  skor\n0 ..."},
                execution_count=1,
            ),
        ),
        code(
            '#| label: fig-tren\n#| fig-cap: "Tren skor tahunan"\nplt.show()',
            new_output(
                "display_data",
                data={"image/png": image, "text/plain": "<Figure size 300x200 with 1 Axes>"},
            ),
        ),
        code("secret_code_hidden = 1", new_output("stream", name="stdout", text="kode keluaran\n")),
        code(
            "#| echo: true\nvisible_code = 1 + 1\nprint(visible_code)",
            new_output("stream", name="stdout", text="2\n"),
        ),
        code(
            "#| output: false\nprint('tidak tampil')",
            new_output("stream", name="stdout", text="tidak tampil\n"),
        ),
        code(
            "print('dibuang')",
            new_output("stream", name="stdout", text="dibuang\n"),
            tags=["remove-cell"],
        ),
        new_markdown_cell(CHAPTER_TWO),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "report.ipynb"
    nbformat.write(nb, path)
    return path


def executed_report(folder: Path, lang: str = "id") -> Path:
    """A report notebook executed for real with papermill (the python3 kernel)."""
    import papermill

    folder.mkdir(parents=True, exist_ok=True)
    setup = (
        "#| include: false\n"
        "import sys, warnings\nfrom pathlib import Path\n"
        "import matplotlib.pyplot as plt\nimport pandas as pd\n"
        "from IPython.display import Markdown, display\n"
        "Path(output_dir, 'figures').mkdir(exist_ok=True)\n"
        "print('setup output must not show')"
    )
    chapter_one = (
        "fig, ax = plt.subplots(figsize=(6, 3))\n"
        "ax.bar(['Dinas Kesehatan', 'Dinas Sosial'], [3, 5])\n"
        "fig.savefig(Path(output_dir, 'figures', 'bar.png'), dpi=144, bbox_inches='tight',\n"
        "            metadata={'Software': None})\n"
        "plt.close(fig)\n"
        "print('stderr noise', file=sys.stderr)\n"
        "warnings.warn('a kernel warning')\n"
        f"display(Markdown({CHAPTER_ONE!r}))"
    )
    cells = [
        new_raw_cell(front_matter(lang)),
        code('params_path = ""\noutput_dir = "."', tags=["parameters"]),
        code(setup),
        code(chapter_one),
        code(
            '#| label: tbl-skor\n#| tbl-cap: "Skor per inovasi"\n'
            "pd.DataFrame({'opd': ['Dinas Kesehatan', 'Dinas Sosial'], 'skor': [71.5, 64.25]})"
        ),
        code(
            '#| label: fig-tren\n#| fig-cap: "Tren skor tahunan"\n'
            "fig, ax = plt.subplots(figsize=(5, 2.5))\n"
            "ax.plot([2023, 2024, 2025], [55.0, 61.2, 68.4], marker='o')\nplt.show()"
        ),
        code(f"display(Markdown({CHAPTER_TWO!r}))"),
        code("#| echo: true\nvisible_code = 1 + 1\nprint(visible_code)"),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = folder / "source.ipynb"
    nbformat.write(nb, source)
    target = folder / "report.ipynb"
    papermill.execute_notebook(
        str(source), str(target), parameters={"output_dir": str(folder)},
        kernel_name="python3", cwd=str(folder), progress_bar=False, log_output=False,
    )  # fmt: skip
    source.unlink()
    return target


def read_html(path: Path) -> str:
    """The HTML with the no-break spaces of "Gambar\u00a01" made plain, for matching."""
    return path.read_text(encoding="utf-8").replace("\u00a0", " ")


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return text.replace("\u00a0", " ")


def pdf_outline(path: Path) -> list[str]:
    def walk(items: list[Any]) -> list[str]:
        titles = []
        for item in items:
            titles += walk(item) if isinstance(item, list) else [item.title]
        return titles

    return walk(PdfReader(path).outline)


def is_a4(path: Path) -> bool:
    reader = PdfReader(path)
    sizes = {
        (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
        for p in reader.pages
    }
    return sizes == {A4}


# Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The synthetic report rendered once to HTML and PDF (shared by the tests)."""
    folder = tmp_path_factory.mktemp("report")
    notebook = synthetic_report(folder)
    result = render_report(notebook, folder, renderer="pandoc")
    return {
        "folder": folder,
        "result": result,
        "html": read_html(folder / "report.html"),
        "pdf": folder / "report.pdf",
    }


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return executed_report(tmp_path_factory.mktemp("executed"))


def filter_warnings(result: Any) -> list[str]:
    return [w for w in result.warnings if "cross-reference" in w or "label" in w]


# The built-in path: HTML --------------------------------------------------------------------


def test_result_names_renderer_versions_outputs_and_timings(rendered: dict[str, Any]) -> None:
    result = rendered["result"]
    folder = rendered["folder"]
    assert result.renderer == "pandoc"
    assert result.outputs == {"html": folder / "report.html", "pdf": folder / "report.pdf"}
    assert re.fullmatch(r"\d+\.\d+(\.\d+)*", result.versions["pandoc"])
    assert re.fullmatch(r"\d+\.\d+(\.\d+)*", result.versions["typst"])
    assert set(result.timings) == {"html", "pdf", "total"}
    assert all(t > 0 for t in result.timings.values())
    assert filter_warnings(result) == []
    assert json.loads(json.dumps(result.to_dict()))["outputs"]["pdf"].endswith("report.pdf")


def test_html_has_front_matter_title_lang_and_toc(rendered: dict[str, Any]) -> None:
    html = rendered["html"]
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="id" xml:lang="id">' in html
    assert "<title>Laporan Uji Inovasi</title>" in html
    assert '<h1 class="title">Laporan Uji Inovasi</h1>' in html
    assert "Kabupaten Contoh" in html and "2025-11-30" in html
    toc = re.search(r'<nav id="TOC".*?</nav>', html, flags=re.S)
    assert toc and "Daftar Isi" in toc.group(0)
    # headings from Markdown *outputs* are real headings, listed in the TOC
    assert '<a href="#ringkasan-umum"' in toc.group(0) and '<a href="#penutup"' in toc.group(0)
    assert '<h2 id="ringkasan-umum">Ringkasan Umum</h2>' in html


def test_html_hides_code_parameters_and_noise(rendered: dict[str, Any]) -> None:
    html = rendered["html"]
    for hidden in (
        "params_path",
        "# Parameters",
        "persiapan",
        "peringatan kernel",
        "secret_code_hidden",
        "tidak tampil",
        "dibuang",
        "#|",
        "show(chapter_one)",
        "&lt;IPython.core.display.Markdown",
        "&lt;Figure size",
    ):
        assert hidden not in html, hidden
    assert "kode keluaran" in html  # echo: false hides the code, not the output
    assert "visible_code" in html  # `#| echo: true` overrides the front matter default
    assert "---" not in re.sub(r"<style.*?</style>", "", html, flags=re.S)


def test_html_tables_are_real_tables_with_numbered_captions(rendered: dict[str, Any]) -> None:
    html = rendered["html"]
    # the caption is a block above the box that scrolls sideways (the phone view), which
    # carries the table's id
    opd = re.search(r'<div id="tbl-opd" class="table-float">.*?</table>', html, flags=re.S)
    assert opd, "pipe table from a Markdown output"
    assert ('<div class="table-caption">\nTabel 1: Jumlah inovasi per OPD\n</div>\n'
            '<div class="table-scroll">\n<table>') in opd.group(0)
    assert "<caption>" not in html
    assert 'left;">Dinas Kesehatan</td>' in opd.group(0)
    skor = re.search(r'<div id="tbl-skor" class="table-float">.*?</table>', html, flags=re.S)
    assert skor, "DataFrame HTML re-read as a table, labelled from the cell options"
    assert "Tabel 2: Skor per <em>inovasi</em>\n</div>" in skor.group(0)
    assert 'style="text-align: right;">64.25</td>' in skor.group(0)
    assert 'border="1"' not in html and "<style scoped>" not in html
    # the unlabelled table is a table too, but without a number
    assert html.count("<table") == 3 and "Tabel 3" not in html


def test_html_figures_are_numbered_embedded_and_cross_referenced(
    rendered: dict[str, Any],
) -> None:
    html = rendered["html"]
    bar = re.search(r'<figure id="fig-bar">.*?</figure>', html, flags=re.S)
    assert bar and 'src="data:image/png;base64,' in bar.group(0)
    assert "Gambar 1: Jumlah inovasi per OPD</figcaption>" in bar.group(0)
    tren = re.search(r'<figure id="fig-tren">.*?</figure>', html, flags=re.S)
    assert tren and "Gambar 2: Tren skor tahunan</figcaption>" in tren.group(0)
    # the PNG is shown at the size it was drawn (4 in at 96 dpi), as in the PDF
    assert 'width="384"' in bar.group(0)
    for target, text in (
        ("fig-bar", "Gambar 1"),
        ("tbl-opd", "Tabel 1"),
        ("tbl-skor", "Tabel 2"),
        ("fig-tren", "Gambar 2"),
    ):
        assert f'<a href="#{target}" class="quarto-xref">{text}</a>' in html
    assert "@fig" not in html and "@tbl" not in html


def test_html_is_self_contained(rendered: dict[str, Any]) -> None:
    html = rendered["html"]
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html
    assert "@import" not in html and "url(http" not in html
    assert "--accent" in html  # our stylesheet is inlined
    assert "figures/bar.png" not in html


def test_english_report_uses_english_labels(tmp_path: Path) -> None:
    notebook = synthetic_report(tmp_path, lang="en")
    render_report(notebook, tmp_path, formats=["html"], renderer="pandoc")
    html = read_html(tmp_path / "report.html")
    assert 'lang="en"' in html and "Contents" in html
    assert '<div class="table-caption">\nTable 1: Jumlah inovasi per OPD\n</div>' in html
    assert "Figure 2: Tren skor tahunan</figcaption>" in html
    assert '<a href="#fig-bar" class="quarto-xref">Figure 1</a>' in html
    assert "Gambar" not in html and "Tabel 1" not in html


def test_unknown_reference_is_marked_and_reported(tmp_path: Path) -> None:
    notebook = synthetic_report(tmp_path)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(new_markdown_cell("Lihat juga @fig-tidak-ada."))
    nbformat.write(nb, notebook)
    result = render_report(notebook, tmp_path, renderer="pandoc")
    assert "<strong>?@fig-tidak-ada</strong>" in read_html(tmp_path / "report.html")
    assert "?@fig-tidak-ada" in pdf_text(tmp_path / "report.pdf")  # and Typst did not fail
    assert any("fig-tidak-ada" in w for w in result.warnings)


def test_repeated_heading_ids_are_made_unique(tmp_path: Path) -> None:
    notebook = synthetic_report(tmp_path)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells += [
        code("x", markdown_output("## Metode\n\nsatu")),
        code("y", markdown_output("## Metode\n\ndua")),
    ]
    nbformat.write(nb, notebook)
    render_report(notebook, tmp_path, formats=["html"], renderer="pandoc")
    html = read_html(tmp_path / "report.html")
    assert 'id="metode"' in html and 'id="metode-1"' in html
    assert 'href="#metode-1"' in html


def test_format_options_asis_output_and_errors(tmp_path: Path) -> None:
    front = (
        "---\ntitle: T\nlang: id\ntoc: false\ntoc-depth: 3\n"
        "format:\n  html:\n    toc: true\n  typst:\n    toc: true\n    toc-depth: 1\n---"
    )
    traceback = ["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"]
    nb = new_notebook(
        cells=[
            new_raw_cell(front),
            code(
                "1/0",
                new_output("error", ename="ZeroDivisionError", evalue="x", traceback=traceback),
            ),
            code(
                "#| output: asis\nprint(md)",
                new_output("stream", name="stdout", text="## Judul Asis\n\n**tebal**\n"),
            ),
            code("x", markdown_output("### Sub\n\nteks")),
        ]
    )
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, path)
    render_report(path, renderer="pandoc")
    html = read_html(tmp_path / "report.html")
    assert '<nav id="TOC"' in html  # format: html: toc: true wins over the top level
    assert '<h2 id="judul-asis">Judul Asis</h2>' in html and "<strong>tebal</strong>" in html
    assert "ZeroDivisionError: division by zero" in html and "\x1b" not in html
    typ = typst_source(path)
    assert "#outline(title: auto, depth: 1)" in typ  # typst's own toc-depth
    assert "= Judul Asis" in typ and "== Sub" in typ  # ## and ### lifted by one level


# The built-in path: PDF ---------------------------------------------------------------------


def test_pdf_is_a4_with_chapter_headings_and_outline(rendered: dict[str, Any]) -> None:
    pdf = rendered["pdf"]
    assert is_a4(pdf)
    text = pdf_text(pdf)
    for expected in (
        "Laporan Uji Inovasi",
        "Daftar Isi",
        "Ringkasan Umum",
        "Penutup",
        "Tabel 1: Jumlah inovasi per OPD",
        "Gambar 1: Jumlah inovasi per OPD",
        "Tabel 2: Skor per inovasi",
        "Gambar 2: Tren skor tahunan",
        "lihat Gambar 1 dan Tabel 1",
        "Dinas Kesehatan",
        "64.25",
    ):
        assert expected in text, expected
    assert "Tabel 3" not in text  # the unlabelled table is not numbered (as in HTML)
    for hidden in ("params_path", "persiapan", "peringatan", "tidak tampil", "dibuang"):
        assert hidden not in text, hidden
    assert pdf_outline(pdf)[:2] == ["Ringkasan Umum", "Penutup"]  # ## became level 1


def test_pdf_tables_are_tables_not_code(rendered: dict[str, Any]) -> None:
    typ = typst_source(rendered["folder"] / "report.ipynb")
    assert typ.count("#table(") == 3
    assert "<tbl-opd>" in typ and "<tbl-skor>" in typ and "<fig-bar>" in typ
    assert "#ref(<fig-bar>)" in typ and "#cite(" not in typ
    assert "#set figure(numbering: none)" in typ  # around the unlabelled table
    assert "#outline(title: auto, depth: 2)" in typ  # toc-depth 3 less the lifted level


def typst_source(notebook: Path) -> str:
    """The Typst that the PDF step compiles, produced the same way as render.py does."""
    import subprocess

    proc = subprocess.run(
        [str(pandoc_path()), str(notebook), "-f", "ipynb+citations", "--ipynb-output=all",
         "-L", str(LUA_FILTER), "-t", "typst", "-s"],
        capture_output=True, text=True, check=True, cwd=notebook.parent,
    )  # fmt: skip
    return proc.stdout


def test_rendering_is_deterministic(rendered: dict[str, Any], tmp_path: Path) -> None:
    folder = rendered["folder"]
    again = render_report(folder / "report.ipynb", tmp_path, renderer="pandoc")
    assert again.outputs["html"].read_bytes() == (folder / "report.html").read_bytes()
    assert again.outputs["pdf"].read_bytes() == (folder / "report.pdf").read_bytes()


def test_outputs_are_written_whole_and_nothing_else_is_left(tmp_path: Path) -> None:
    notebook = synthetic_report(tmp_path / "in")
    out = tmp_path / "out"
    (out).mkdir()
    (out / "report.html").write_text("old")
    render_report(notebook, out, renderer="pandoc")
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.pdf"]
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE((out / "report.pdf").stat().st_mode) & 0o044  # readable, not 0600


def test_only_the_asked_formats_are_written(tmp_path: Path) -> None:
    notebook = synthetic_report(tmp_path)
    result = render_report(notebook, formats=["pdf"], renderer="pandoc")
    assert set(result.outputs) == {"pdf"}
    assert not (tmp_path / "report.html").exists()
    with pytest.raises(ValueError, match="formats"):
        render_report(notebook, formats=["docx"])


# Inputs and errors --------------------------------------------------------------------------


def test_unexecuted_notebook_is_refused(tmp_path: Path) -> None:
    nb = new_notebook(cells=[new_raw_cell(front_matter()), new_code_cell("1 + 1")])
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(InputError, match="execute it first"):
        render_report(path)


def test_find_report_notebook(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such report folder"):
        find_report_notebook(tmp_path / "missing")
    with pytest.raises(InputError, match="found: none"):
        find_report_notebook(tmp_path)
    other = tmp_path / "05_report.ipynb"
    other.write_text("{}")
    assert find_report_notebook(tmp_path) == other.resolve()  # the only notebook
    (tmp_path / "x.ipynb").write_text("{}")
    with pytest.raises(InputError, match=r"05_report\.ipynb, x\.ipynb"):
        find_report_notebook(tmp_path)
    (tmp_path / "report.ipynb").write_text("{}")
    assert find_report_notebook(tmp_path) == (tmp_path / "report.ipynb").resolve()
    assert find_report_notebook(other) == other.resolve()


def write_script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def test_failed_pandoc_step_is_named_with_its_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = synthetic_report(tmp_path)
    fake = write_script(
        tmp_path / "pandoc",
        'if [ "$1" = "--version" ]; then echo "pandoc 3.9"; exit 0; fi\n'
        'echo "Error at (line 3, column 1): unexpected end of input" >&2\nexit 64\n',
    )
    monkeypatch.setenv("PYPANDOC_PANDOC", str(fake))
    with pytest.raises(RenderError) as info:
        render_report(notebook, formats=["html"], renderer="pandoc")
    assert info.value.step == "pandoc (html)"
    assert "exit status 64" in str(info.value) and "unexpected end of input" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_failed_typst_step_is_named(tmp_path: Path) -> None:
    # raw Typst in an output is shown as text (see test_raw_markup_in_outputs_is_inert), so
    # the failure comes from a front-matter setting Typst refuses
    notebook = synthetic_report(tmp_path, fontsize="no-such-size")
    with pytest.raises(RenderError) as info:
        render_report(notebook, formats=["pdf"], renderer="pandoc")
    assert info.value.step == "typst (pdf)"
    assert "no-such-size" in str(info.value)
    assert not (tmp_path / "report.pdf").exists()


def test_tool_versions() -> None:
    assert int(pandoc_version().split(".")[0]) >= 3
    assert re.fullmatch(r"\d+\.\d+\.\d+", typst_version())


# Quarto (a stand-in executable: Quarto cannot be installed here) ----------------------------


FAKE_QUARTO = """
if [ "$1" = "--version" ]; then echo "1.6.40"; exit 0; fi
printf '%s\\n' "$@" > "$QUARTO_ARGS_LOG"
pwd >> "$QUARTO_ARGS_LOG"
out=""; prev=""
for arg in "$@"; do
  if [ "$prev" = "--output-dir" ]; then out="$arg"; fi
  prev="$arg"
done
stem=$(basename "$2" .ipynb)
echo "<html><title>quarto</title></html>" > "$out/$stem.html"
printf '%%PDF-1.7 quarto' > "$out/$stem.pdf"
echo "WARNING (quarto): a stand-in warning" >&2
"""


@pytest.fixture
def fake_quarto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    write_script(bin_dir / "quarto", FAKE_QUARTO)
    log = tmp_path / "quarto-args.txt"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("QUARTO_ARGS_LOG", str(log))
    return log


def test_quarto_is_used_when_on_path(tmp_path: Path, fake_quarto: Path) -> None:
    folder = tmp_path / "report"
    notebook = synthetic_report(folder)
    assert available_renderer() == "quarto"
    result = render_report(notebook)
    args = fake_quarto.read_text().splitlines()
    assert args[:4] == ["render", "report.ipynb", "--to", "html,typst"]
    assert "--no-execute" in args  # the executed notebook is rendered as it is
    assert args[args.index("--output-dir") + 1].startswith(str(folder))
    assert args[-1] == str(folder)  # run from the notebook's folder (relative figure paths)
    assert result.renderer == "quarto" and result.versions == {"quarto": "1.6.40"}
    assert (folder / "report.html").read_text().startswith("<html><title>quarto")
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF")
    assert result.warnings == ("WARNING (quarto): a stand-in warning",)
    assert not [p for p in folder.iterdir() if p.name.startswith(".quarto")]


def test_quarto_to_pdf_only_and_pandoc_on_request(tmp_path: Path, fake_quarto: Path) -> None:
    notebook = synthetic_report(tmp_path / "report")
    render_report(notebook, formats=["pdf"], renderer="quarto")
    assert fake_quarto.read_text().splitlines()[3] == "typst"
    fake_quarto.unlink()
    result = render_report(notebook, formats=["html"], renderer="pandoc")
    assert result.renderer == "pandoc" and not fake_quarto.exists()


def test_quarto_failure_carries_its_stderr(tmp_path: Path, fake_quarto: Path) -> None:
    write_script(
        tmp_path / "bin" / "quarto",
        'if [ "$1" = "--version" ]; then echo 1.6.40; exit 0; fi\n'
        'echo "ERROR: YAMLError: bad front matter" >&2\nexit 1\n',
    )
    notebook = synthetic_report(tmp_path / "report")
    with pytest.raises(RenderError) as info:
        render_report(notebook)
    assert info.value.step == "quarto render" and "YAMLError" in str(info.value)


def test_quarto_asked_for_but_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    notebook = synthetic_report(tmp_path)
    assert available_renderer() == "pandoc"
    with pytest.raises(RenderError, match="not on PATH"):
        render_report(notebook, renderer="quarto")


# Command line -------------------------------------------------------------------------------


def test_cli_render_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    synthetic_report(tmp_path)
    assert main(["render", str(tmp_path), "--to", "html", "--renderer", "pandoc"]) == 0
    assert capsys.readouterr().out.startswith(f"html: {tmp_path / 'report.html'}")
    assert not (tmp_path / "report.pdf").exists()
    assert main(["render", str(tmp_path), "--json", "--renderer", "pandoc"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] and payload["renderer"] == "pandoc"
    assert set(payload["outputs"]) == {"html", "pdf"}


def test_cli_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synthetic_report(tmp_path)
    assert main(["render", str(tmp_path), "--to", "docx"]) == 2
    assert main(["render", str(tmp_path / "nowhere")]) == 1
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["render", str(tmp_path), "--renderer", "quarto"]) == 3


# A notebook executed for real ---------------------------------------------------------------


@pytest.mark.slow
def test_executed_notebook_renders_to_html_and_pdf(executed: Path, tmp_path: Path) -> None:
    result = render_report(executed, tmp_path, renderer="pandoc")
    html = read_html(result.outputs["html"])
    assert '<h2 id="ringkasan-umum">Ringkasan Umum</h2>' in html
    assert '<div class="table-caption">\nTabel 1: Jumlah inovasi per OPD\n</div>' in html
    assert '<div class="table-caption">\nTabel 2: Skor per inovasi\n</div>' in html
    assert html.count('src="data:image/png;base64,') == 2
    assert "Gambar 2: Tren skor tahunan</figcaption>" in html
    assert '<a href="#fig-tren" class="quarto-xref">Gambar 2</a>' in html
    for hidden in (
        "setup output",
        "stderr noise",
        "a kernel warning",
        "params_path",
        "Markdown object",
        "Figure size",
        "plt.subplots",
    ):
        assert hidden not in html, hidden
    assert "visible_code" in html and ">2\n</code>" in html
    text = pdf_text(result.outputs["pdf"])
    assert is_a4(result.outputs["pdf"])
    for expected in (
        "Ringkasan Umum",
        "Penutup",
        "Tabel 2: Skor per inovasi",
        "Gambar 2: Tren skor tahunan",
        "trennya di Gambar 2",
        "Dinas Sosial",
    ):
        assert expected in text, expected
    assert "stderr noise" not in text and "Tabel 3" not in text


@pytest.mark.slow
def test_cli_rerenders_an_executed_report_in_place(
    executed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = executed.parent
    assert main(["render", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"html: {folder / 'report.html'}" in out and f"pdf: {folder / 'report.pdf'}" in out
    first = (folder / "report.html").read_bytes()
    assert main(["render", str(folder), "--to", "html"]) == 0
    assert (folder / "report.html").read_bytes() == first
