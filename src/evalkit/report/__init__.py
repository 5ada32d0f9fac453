"""The report: blocks that chapters return (Markdown, tables, figures), the chapter registry,
and the renderer (Quarto when installed, else Pandoc + Typst)."""

from evalkit.report.appendix import Appendix, Attachment
from evalkit.report.blocks import (
    Block,
    Figure,
    Markdown,
    ReportContext,
    Table,
    Text,
    long_table,
    save_figure,
    show,
    to_markdown,
)
from evalkit.report.chapters import available_chapters, build_chapter, compose
from evalkit.report.markup import MarkdownText, escape_markdown

__all__ = [
    "Appendix",
    "Attachment",
    "Block",
    "Figure",
    "Markdown",
    "MarkdownText",
    "ReportContext",
    "Table",
    "Text",
    "available_chapters",
    "build_chapter",
    "compose",
    "escape_markdown",
    "long_table",
    "save_figure",
    "show",
    "to_markdown",
]
