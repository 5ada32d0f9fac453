"""The report: blocks that chapters return (Markdown, tables, figures), the chapter registry,
and the renderer (Quarto when installed, else Pandoc + Typst)."""

from evalkit.report.blocks import (
    Block,
    Figure,
    Markdown,
    ReportContext,
    Table,
    save_figure,
    show,
    to_markdown,
)
from evalkit.report.chapters import available_chapters, build_chapter

__all__ = [
    "Block",
    "Figure",
    "Markdown",
    "ReportContext",
    "Table",
    "available_chapters",
    "build_chapter",
    "save_figure",
    "show",
    "to_markdown",
]
