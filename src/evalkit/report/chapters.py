"""Report chapters: one module each, with ``build(ctx) -> list[Block]``.

The params' ``report.chapters`` lists which chapters a year's report holds, in order.
"""

from __future__ import annotations

import importlib
import pkgutil

from evalkit.report import Block, ReportContext


def available_chapters() -> list[str]:
    """Names of the chapter modules shipped with evalkit."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def build_chapter(name: str, ctx: ReportContext) -> list[Block]:
    """Build one chapter by name."""
    if name not in available_chapters():
        raise ValueError(f"unknown chapter {name!r}; available: {', '.join(available_chapters())}")
    module = importlib.import_module(f"{__name__}.{name}")
    return module.build(ctx)
