"""The report: blocks that chapters return (Markdown, tables, figures), the chapter registry,
and the renderer (Quarto when installed, else Pandoc + Typst)."""

from evalkit.report.blocks import (
    Block,
    Figure,
    Markdown,
    ReportContext,
    Table,
    Text,
    save_figure,
    show,
    to_markdown,
)
from evalkit.report.chapters import available_chapters, build_chapter
from evalkit.report.markup import MarkdownText, escape_markdown

__all__ = [
    "Block",
    "Figure",
    "Markdown",
    "MarkdownText",
    "ReportContext",
    "Table",
    "Text",
    "available_chapters",
    "build_chapter",
    "escape_markdown",
    "save_figure",
    "show",
    "to_markdown",
]
