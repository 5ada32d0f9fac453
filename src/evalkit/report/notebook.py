"""What an evaluator sees in JupyterLab: chapter previews with their figures, tables a person
reads (labels, percentages, no index), a chooser for the params file, and a clear message when
a notebook is run before the one it needs.

The report notebook shows chapters as Pandoc Markdown (``{#fig-x}``, ``: caption {#tbl-x}``,
figure paths relative to the report folder) because that is what Quarto and our renderer read.
JupyterLab reads neither the attributes nor those paths (the kernel runs in ``notebooks/``), so
a preview shows the same blocks another way: figures embedded as PNG, captions as text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.artifacts import has_table
from evalkit.i18n import Translator
from evalkit.report.appendix import Appendix, Attachment
from evalkit.report.blocks import Block, Figure, Markdown, Table, Text
from evalkit.report.markup import inline

# Pandoc attributes and fenced divs, which JupyterLab's Markdown would show as text.
_ATTRIBUTES = re.compile(r"\s*\{#[A-Za-z][\w:.-]*(?:\s+\.[\w-]+)*\}")
_FENCE = re.compile(r"^:::.*$", re.M)
_LINK = re.compile(r"\]\((attachments/[^)]+)\)")

# The tables a chapter needs, by the notebook that writes them: run that notebook first.
WRITTEN_BY = {"01_validate": "data_quality"}


class RunFirst(RuntimeError):
    """This notebook reads what another notebook writes, and that one has not run yet."""


def require_run(out_dir: Path, t: Translator, notebooks: Sequence[str] = ("01_validate",),
                this: str = "") -> None:
    """Raise :class:`RunFirst` naming the notebook to run first (with the same params) when
    its tables are not in ``out_dir``."""
    missing = [nb for nb in notebooks if nb in WRITTEN_BY
               and not has_table(out_dir, WRITTEN_BY[nb])]
    if missing:
        t = Translator(t.lang)  # a message, not Markdown: nothing to escape
        raise RunFirst(t("core.notebook.run_first", notebook=", ".join(
            f"{nb}.ipynb" for nb in missing), this=this or t("core.notebook.this"),
            out=str(out_dir)))


def markdown_for_lab(text: str, out_dir: Path) -> str:
    """Pandoc Markdown as JupyterLab shows it: no ``{#id}`` attributes or ``:::`` fences,
    attachment links relative to the notebook's folder."""
    text = _FENCE.sub("", _ATTRIBUTES.sub("", text))
    return _LINK.sub(lambda m: f"]({_relative(out_dir / m.group(1))})", text).strip()


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        return str(path)


def preview(blocks: Iterable[Block], out_dir: Path, t: Translator | None = None) -> None:
    """Display chapter blocks in JupyterLab: headings and text as Markdown, tables with their
    caption as text under them, figures embedded (so they show wherever the kernel runs)."""
    from IPython.display import Image, display
    from IPython.display import Markdown as IPyMarkdown

    t = t or Translator("id")
    for block in _flat(blocks):
        if isinstance(block, Figure):
            display(Image(filename=str(Path(out_dir) / block.path), embed=True))
            display(IPyMarkdown(f"*{t('core.notebook.figure')}: "
                                f"{markdown_for_lab(inline(block.caption), out_dir)}*"))
        elif isinstance(block, Table):
            body = Table(block.frame, "", block.label, block.align).to_markdown()
            body = body.rsplit("\n\n:", 1)[0]
            display(IPyMarkdown(f"*{t('core.notebook.table')}: "
                                f"{markdown_for_lab(inline(block.caption), out_dir)}*\n\n{body}"))
        elif isinstance(block, Markdown | Text | Attachment):
            text = markdown_for_lab(block.to_markdown(), out_dir)
            if text:
                display(IPyMarkdown(text))


def _flat(blocks: Iterable[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        out.extend(_flat(block.blocks) if isinstance(block, Appendix) else [block])  # type: ignore[arg-type]
    return out


def label(column: str, t: Translator) -> str:
    """A column's name as a reader says it (``unit_name`` -> "Perangkat daerah"): from the
    ``columns`` locale, else the name with spaces."""
    key = f"columns.{column}"
    if t.has(key):
        return t(key)
    text = str(column).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# A notebook shows a table's first rows, as pandas does (display.max_rows): a Styler renders
# every row it is given, and 5,000 rows of HTML make a notebook of megabytes that JupyterLab
# and the run both carry. The artifacts and the report's attachments hold every row.
NOTEBOOK_ROWS = 60


def table(frame: pd.DataFrame, t: Translator, columns: Sequence[str] | None = None, *,
          percent: Sequence[str] = (), digits: Mapping[str, int] | None = None,
          rows: int | None = None) -> Any:
    """``frame`` as a person reads it in a notebook: chosen columns with their labels, no
    index, shares as percentages, numbers in the language's format, at most ``rows`` rows
    (default :data:`NOTEBOOK_ROWS`; a caption says how many there are)."""
    chosen = list(columns) if columns is not None else list(frame.columns)
    limit = NOTEBOOK_ROWS if rows is None else rows
    shown = frame.loc[:, chosen].head(limit).reset_index(drop=True)
    digits = dict(digits or {})
    formats: dict[str, Any] = {}
    for column in chosen:
        values = shown[column]
        if column in percent:
            formats[column] = lambda v: "" if pd.isna(v) else t.percent(float(v))
        elif pd.api.types.is_bool_dtype(values):
            formats[column] = lambda v: t("core.notebook.yes") if v is True or v == 1 else (
                t("core.notebook.no") if v is False or v == 0 else "")
        elif pd.api.types.is_integer_dtype(values):
            formats[column] = lambda v: "" if pd.isna(v) else t.number(float(v), 0)
        elif pd.api.types.is_float_dtype(values):
            n = digits.get(column, 2)
            formats[column] = lambda v, n=n: "" if pd.isna(v) else (
                t.number(float(v), 0) if float(v).is_integer() and n == 2 else
                t.number(float(v), n))
    labels = {c: label(c, t) for c in chosen}
    styler = shown.style.format(formats, na_rep="").hide(axis="index")
    if len(frame) > limit:
        styler = styler.set_caption(t("core.notebook.rows_shown", shown=t.number(float(limit), 0),
                                      n=t.number(float(len(frame)), 0)))
    return styler.relabel_index([labels[c] for c in chosen], axis="columns")


def run_params_files(folder: Path) -> list[Path]:
    """The yearly run params in ``folder`` (files with ``region`` and ``year``), sorted; other
    YAML there (rubrics, comparisons) is left out."""
    import yaml

    found = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and "region" in data and "year" in data:
            found.append(path)
    return found


def choose_params(current: str, namespace: dict[str, Any], folder: str = "../params") -> Any:
    """A dropdown of the params files beside ``current``; choosing one sets ``params_path`` in
    ``namespace`` (the notebook's globals): run the cells below again to use it. papermill's
    ``params_path`` parameter works as before (this only changes it when a person picks)."""
    import ipywidgets as widgets

    files = [str(Path(folder) / p.name) for p in run_params_files(Path(folder))]
    if current not in files:
        files.insert(0, current)
    picker = widgets.Dropdown(options=files, value=current, description="params",
                              layout=widgets.Layout(width="32rem"))

    def picked(change: dict[str, Any]) -> None:
        namespace["params_path"] = change["new"]

    picker.observe(picked, names="value")
    return picker
