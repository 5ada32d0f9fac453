"""Report chapters by name: each domain package holds its own ``chapter`` module with
``build(ctx) -> list[Block]``; ``evalkit.registry`` says which module that is.

The params' ``report.chapters`` lists which chapters a year's report holds, in order. The
domain modules are imported by name when a chapter is built, so this package does not depend
on the domains (they depend on it, for the report blocks).
"""

from __future__ import annotations

import importlib

from evalkit.registry import chapter_entry, chapter_names
from evalkit.report.blocks import Block, ReportContext


def available_chapters() -> list[str]:
    """Names of the chapters shipped with evalkit."""
    return chapter_names()


def build_chapter(name: str, ctx: ReportContext) -> list[Block]:
    """Build one chapter by name."""
    try:
        entry = chapter_entry(name)
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None
    module = importlib.import_module(entry.module)
    return module.build(ctx)
