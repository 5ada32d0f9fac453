"""Helpers to write the pipeline notebooks from Python (kept so edits stay reviewable).

Usage: python tools/notebook_cells.py  -> rewrites notebooks/01_validate.ipynb, 05_report.ipynb
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


def validate_notebook() -> Path:
    return write("01_validate", [
        new_markdown_cell(
            "# 01 · Validasi data / Data validation\n\n"
            "Membaca tabel masukan tahun berjalan, memeriksa setiap sel, dan menulis ringkasan "
            "mutu data serta partisipasi perangkat daerah ke `artifacts/`.\n\n"
            "*Reads the year's input tables, checks every cell, and writes the data-quality "
            "and participation tables to `artifacts/`.*"),
        parameters_cell(),
        new_code_cell(
            "from pathlib import Path\n\n"
            "from evalkit.config import load_params\n"
            "from evalkit.overview import coverage_share, write_overview\n"
            "from evalkit.pipeline import interactive_output_dir\n\n"
            "params = load_params(params_path)\n"
            "out = Path(output_dir) if output_dir else interactive_output_dir(params)\n"
            "# Raises, listing every error with its file, row and column, on invalid input.\n"
            "tables = write_overview(params, out)\n"
            "innovations = tables[\"innovations\"]\n"
            "print(f\"{params.region_name} {params.year}: {len(innovations)} innovations; \"\n"
            "      f\"artifacts in {out / 'artifacts'}\")"),
        new_markdown_cell("## Mutu data / Data quality"),
        new_code_cell(
            "quality = tables[\"data_quality\"]\n"
            "quality.groupby([\"severity\", \"code\"]).size().rename(\"n\").to_frame()"),
        new_code_cell("quality"),
        new_markdown_cell("## Partisipasi / Participation (\"Satu OPD satu inovasi\")"),
        new_code_cell(
            "coverage = tables[\"participation_units\"]\n"
            "print(f\"share of units with an innovation: {coverage_share(coverage):.1%}\")\n"
            "by_kind = tables[\"participation_kind\"]\n"
            "ax = by_kind.plot.barh(x=\"kind\", y=[\"units\", \"with_innovation\"],\n"
            "                       figsize=(7, 3))\n"
            "ax.invert_yaxis()\n"
            "by_kind"),
        new_code_cell("tables[\"participation_counts\"]"),
        new_code_cell("tables[\"participation_trend\"]"),
        new_markdown_cell("## Perangkat daerah tanpa inovasi / Units without an innovation"),
        new_code_cell("coverage[~coverage[\"has_innovation\"]]"),
        new_code_cell("tables[\"history\"]"),
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
        "jupyter: python3\n"
        "---")
    return write("05_report", [
        new_raw_cell(front),
        parameters_cell(),
        new_code_cell(
            "#| include: false\n"
            "from pathlib import Path\n\n"
            "from evalkit.config import load_params\n"
            "from evalkit.pipeline import interactive_output_dir\n"
            "from evalkit.report import Markdown, ReportContext, Text, compose, show\n\n"
            "params = load_params(params_path)\n"
            "out = Path(output_dir) if output_dir else interactive_output_dir(params)\n"
            "ctx = ReportContext.create(params, out)\n"
            "t = ctx.t"),
        new_code_cell(
            "intro = [Markdown(t(\"core.report.intro\", region=params.region_name, "
            "year=params.year))]\n"
            "if params.report.note:\n"
            "    intro.append(Text(params.report.note, emphasis=True))  # shown as typed"),
        new_code_cell(
            "# the summary first, then the chapters, then the appendix (long lists, full tables)\n"
            "show(compose(ctx, params.report.chapters, intro=intro))"),
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
    for path in (validate_notebook(), report_notebook(), compare_notebook()):
        print(path)
