"""Helpers to write the pipeline notebooks from Python (kept so edits stay reviewable).

Usage: python tools/notebook_cells.py  -> rewrites notebooks/01_validate.ipynb, 05_report.ipynb
(06_compare: compare_notebook(), kept for its own edits)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

ROOT = Path(__file__).resolve().parents[1]

PARAMETERS = '''params_path = "../params/2025.yaml"  # the year's run settings
output_dir = ""  # empty: reports/interactive/<year>; `evalkit run` passes its own folder'''


def parameters_cell() -> nbformat.NotebookNode:
    return new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})


def write(name: str, cells: list[nbformat.NotebookNode]) -> Path:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{name[:2]}-{index:02d}"
    path = ROOT / "notebooks" / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


CHOOSE = """# In JupyterLab: pick another year or region, then run the cells below. An unattended
# run (evalkit run, papermill) passes output_dir and the params_path above: nothing here.
if not output_dir:
    from IPython.display import Markdown, display

    from evalkit.i18n import Translator
    from evalkit.report.notebook import choose_params

    display(Markdown(Translator("id")("core.notebook.choose")))
    display(choose_params(params_path, globals()))"""


def choose_cell() -> nbformat.NotebookNode:
    return new_code_cell(CHOOSE)


def validate_notebook() -> Path:
    return write("01_validate", [
        new_markdown_cell(
            "# 01 · Validasi data / Data validation\n\n"
            "Membaca tabel masukan tahun berjalan, memeriksa setiap sel, dan menulis ringkasan "
            "mutu data serta partisipasi perangkat daerah ke `artifacts/`. Jalankan notebook "
            "ini lebih dahulu: notebook lain membaca tabel yang ditulisnya.\n\n"
            "*Reads the year's input tables, checks every cell, and writes the data-quality "
            "and participation tables to `artifacts/`. Run it first: the other notebooks read "
            "its tables.*"),
        parameters_cell(),
        choose_cell(),
        new_code_cell(
            "from pathlib import Path\n\n"
            "from IPython.display import Markdown\n"
            "from matplotlib.ticker import MaxNLocator\n\n"
            "from evalkit.config import load_params\n"
            "from evalkit.i18n import Translator\n"
            "from evalkit.overview import write_overview\n"
            "from evalkit.pipeline import interactive_output_dir\n"
            "from evalkit.report.notebook import table\n\n"
            "params = load_params(params_path)\n"
            "out = Path(output_dir) if output_dir else interactive_output_dir(params)\n"
            "t = Translator(params.language)\n"
            "# Raises, listing every error with its file, row and column, on invalid input.\n"
            "tables = write_overview(params, out)\n"
            "innovations = tables[\"innovations\"]\n"
            "Markdown(t(\"core.notebook.validate\", region=params.region_name or params.region,\n"
            "           year=params.year, n=len(innovations), out=out / \"artifacts\"))"),
        new_markdown_cell("## Mutu data / Data quality"),
        new_code_cell(
            "quality = tables[\"data_quality\"]\n"
            "kinds = quality.groupby([\"severity\", \"code\"]).size().rename(\"n\").reset_index()\n"
            "table(kinds, t)"),
        new_code_cell("table(quality, t, [\"severity\", \"code\", \"file\", \"sheet\", \"row\", "
                      "\"column\", \"message\"], rows=100)"),
        new_markdown_cell("## Partisipasi / Participation (\"Satu OPD satu inovasi\")"),
        new_code_cell(
            "coverage = tables[\"participation_units\"]\n"
            "summary = tables[\"participation_summary\"].iloc[0]\n"
            "by_kind = tables[\"participation_kind\"]\n"
            "ax = by_kind.plot.barh(x=\"kind\", y=[\"units\", \"with_innovation\"],\n"
            "                       figsize=(7, 3))\n"
            "ax.invert_yaxis()\n"
            "ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole units\n"
            "ax.set_ylabel(\"\")\n"
            "if summary[\"measured\"]:\n"
            "    display(Markdown(t(\"core.notebook.share\", share=t.percent(summary[\"share\"]),\n"
            "                       with_innovation=int(summary[\"units_with_innovation\"]),\n"
            "                       units=int(summary[\"units\"]))))\n"
            "else:  # no units table: the units are the submitters, so every one \"has\" one\n"
            "    display(Markdown(t(\"core.notebook.not_measured\")))\n"
            "table(by_kind, t, percent=[\"share\"])"),
        new_code_cell("table(tables[\"participation_counts\"], t, percent=[\"share\"])"),
        new_code_cell("table(tables[\"participation_trend\"], t, percent=[\"share\"])"),
        new_markdown_cell("## Perangkat daerah tanpa inovasi / Units without an innovation"),
        new_code_cell("table(coverage[~coverage[\"has_innovation\"]], t, [\"unit_id\", \"name\", "
                      "\"kind\", \"parent\"])"),
        new_code_cell("table(tables[\"history\"], t, [\"year\", \"score\", \"predicate\", "
                      "\"rank\", \"rank_out_of\", \"scope\"])"),
    ])


def report_notebook() -> Path:
    front = (
        "---\n"
        "title: \"Laporan Evaluasi Inovasi Daerah\"\n"
        "lang: id\n"
        "papersize: a4\n"
        "toc: true\n"
        "toc-depth: 2\n"
        "execute:\n"
        "  echo: false\n"
        "  warning: false\n"
        "format:\n"
        "  html:\n"
        "    embed-resources: true\n"
        "    toc: true\n"
        "  typst:\n"
        "    papersize: a4\n"
        "    toc: true\n"
        "    # Quarto's Typst template justifies paragraphs, table cells too (wide gaps in\n"
        "    # narrow cells); evalkit's own renderer reads assets/report.typ instead.\n"
        "    include-in-header:\n"
        "      - text: |\n"
        "          #show table: set par(justify: false)\n"
        "jupyter: python3\n"
        "---")
    return write("05_report", [
        new_raw_cell(front),
        parameters_cell(),
        choose_cell(),
        new_code_cell(
            "#| include: false\n"
            "from pathlib import Path\n\n"
            "from evalkit.config import load_params\n"
            "from evalkit.pipeline import interactive_output_dir\n"
            "from evalkit.report import Markdown, ReportContext, Text, compose, show\n"
            "from evalkit.report.notebook import preview, require_run\n\n"
            "params = load_params(params_path)\n"
            "out = Path(output_dir) if output_dir else interactive_output_dir(params)\n"
            "ctx = ReportContext.create(params, out)\n"
            "t = ctx.t\n"
            "# The chapters read what 01_validate (and 02-04) wrote: say which to run first.\n"
            "require_run(out, t, (\"01_validate\",), \"05_report\")"),
        new_code_cell(
            "intro = [Markdown(t(\"core.report.intro\", region=params.region_name, "
            "year=params.year))]\n"
            "if params.report.note:\n"
            "    intro.append(Text(params.report.note, emphasis=True))  # shown as typed"),
        new_code_cell(
            "# the summary first, then the chapters, then the appendix (long lists, full tables)\n"
            "report = compose(ctx, params.report.chapters, intro=intro)\n"
            "# evalkit run renders the Markdown; in JupyterLab figures and captions show as such\n"
            "show(report) if output_dir else preview(report, out, t)"),
    ])


def compare_notebook() -> Path:
    """06_compare: one report for a set of regions, from their reports' artifacts."""
    front = report_notebook_front().replace("Laporan Evaluasi Inovasi Daerah",
                                            "Perbandingan Inovasi Daerah")
    return write("06_compare", [
        new_raw_cell(front),
        new_code_cell(
            'params_path = "../params/compare/bengkulu.yaml"  # comparison params, or the '
            'compare.yaml of a comparison report\n'
            'output_dir = ""  # empty: <comparison output_dir>/interactive/<year>; '
            '`evalkit compare` passes its own folder',
            metadata={"tags": ["parameters"]}),
        new_code_cell(
            "#| include: false\n"
            "from pathlib import Path\n\n"
            "from evalkit.compare import run, write_artifacts\n"
            "from evalkit.compare.chapter import CompareContext, build, intro\n"
            "from evalkit.comparison import interactive_dir, open_spec\n"
            "from evalkit.report import show\n\n"
            "spec = open_spec(params_path)  # raises, naming file and key, on invalid params\n"
            "out = Path(output_dir) if output_dir else interactive_dir(spec)\n"
            "# Reads the members' artifacts only (never their raw data) and writes compare_*.\n"
            "write_artifacts(run(spec), out)\n"
            "ctx = CompareContext.create(spec, out)"),
        new_code_cell("show(intro(ctx))"),
        new_code_cell("show(build(ctx))"),
    ])


def report_notebook_front() -> str:
    """The report notebook's front matter (its first raw cell), as written above."""
    return next(c.source for c in nbformat.read(ROOT / "notebooks" / "05_report.ipynb",
                                                as_version=4).cells if c.cell_type == "raw")


if __name__ == "__main__":
    for path in (validate_notebook(), report_notebook()):
        print(path)
