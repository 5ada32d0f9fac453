"""Times rendering (HTML, PDF) of a realistic executed report notebook with evalkit.report.render.

The notebook is generated and executed once with papermill (timed separately): a front-matter
cell, the parameters cell, and CHAPTERS chapters of Markdown display outputs, each with a
pipe table of ROWS rows and a 144-dpi figure, plus a labelled DataFrame and an inline plot.

Usage: python bench/bench_render.py [--repeat N] [--chapters C] [--rows R] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

SETUP = """#| include: false
from pathlib import Path
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
rng = np.random.default_rng(7)
Path(output_dir, "figures").mkdir(exist_ok=True)
"""

CHAPTER = """rows = {rows}
frame = pd.DataFrame({{
    "Perangkat daerah": [f"Dinas Contoh Nomor {{i}} Kabupaten" for i in range(rows)],
    "Inovasi": rng.integers(0, 9, rows),
    "Skor IID": rng.uniform(20, 90, rows).round(2),
    "Predikat": rng.choice(["Sangat Inovatif", "Inovatif", "Kurang Inovatif"], rows),
}})
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.barh(frame["Perangkat daerah"][:12], frame["Skor IID"][:12], color="#2b6ca3")
ax.set_xlabel("Skor IID")
fig.savefig(Path(output_dir, "figures", "bab{n}.png"), dpi=144, bbox_inches="tight",
            metadata={{"Software": None}})
plt.close(fig)
text = "Bab ini merangkum hasil penilaian. " * 12
display(Markdown(f'''# Bab {n}: Hasil Penilaian Bagian {n}

{{text}}Lihat @tbl-bab{n} dan @fig-bab{n}.

## Rincian per perangkat daerah

- cakupan: {{rows}} perangkat daerah
- rata-rata skor: {{frame["Skor IID"].mean():.2f}}

{{frame.to_markdown(index=False)}}

: Skor per perangkat daerah, bagian {n} {{{{#tbl-bab{n}}}}}

![Skor IID tertinggi, bagian {n}](figures/bab{n}.png){{{{#fig-bab{n}}}}}
'''))
"""

TAIL = [
    '#| label: tbl-ringkas\n#| tbl-cap: "Ringkasan statistik"\nframe.describe().round(2)',
    '#| label: fig-tren\n#| fig-cap: "Tren skor"\n'
    "fig, ax = plt.subplots(figsize=(6, 2.5))\n"
    "ax.plot(range(2019, 2026), rng.uniform(40, 70, 7), marker='o')\nplt.show()",
]

FRONT = """---
title: "Laporan Evaluasi Inovasi Daerah (uji beban)"
subtitle: "Kabupaten Contoh"
date: "2025-11-30"
lang: id
papersize: a4
toc: true
toc-depth: 2
execute:
  echo: false
  warning: false
format:
  html:
    embed-resources: true
    toc: true
  typst:
    papersize: a4
    toc: true
---"""


def build_notebook(path: Path, chapters: int, rows: int) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_raw_cell

    params = new_code_cell('params_path = ""\noutput_dir = "."')
    params.metadata["tags"] = ["parameters"]
    cells = [new_raw_cell(FRONT), params, new_code_cell(SETUP)]
    cells += [new_code_cell(CHAPTER.format(n=n, rows=rows)) for n in range(1, chapters + 1)]
    cells += [new_code_cell(source) for source in TAIL]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chapters", type=int, default=6)
    parser.add_argument("--rows", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="leave the report in this folder")
    args = parser.parse_args()

    import papermill
    from pypdf import PdfReader

    from evalkit.report.render import pandoc_version, render_report, typst_version

    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source, executed = folder / "source.ipynb", folder / "report.ipynb"
        build_notebook(source, args.chapters, args.rows)
        t0 = time.perf_counter()
        papermill.execute_notebook(
            str(source), str(executed), parameters={"output_dir": str(folder)},
            kernel_name="python3", cwd=str(folder), progress_bar=False, log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )  # fmt: skip
        print(f"execute (papermill, {args.chapters} chapters x {args.rows} rows): "
              f"{time.perf_counter() - t0:.2f} s")  # fmt: skip
        print(f"pandoc {pandoc_version()}, typst {typst_version()}")
        timings: dict[str, list[float]] = {"html": [], "pdf": []}
        for _ in range(args.repeat):
            result = render_report(executed, folder, renderer="pandoc")
            for fmt in timings:
                timings[fmt].append(result.timings[fmt])
        for fmt, values in timings.items():
            size = result.outputs[fmt].stat().st_size / 1024
            print(f"render {fmt:<4}: median {statistics.median(values):.3f} s, "
                  f"min {min(values):.3f} s over {len(values)} runs, {size:.0f} KB")  # fmt: skip
        pages = len(PdfReader(result.outputs["pdf"]).pages)
        print(f"pdf pages: {pages}; warnings: {len(result.warnings)}")
        for warning in result.warnings:
            print(f"  warning: {warning}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
