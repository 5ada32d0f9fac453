"""The report chapters evalkit ships, by name: which module builds each and which notebook
writes the artifacts it reads.

A plain table of dotted names rather than imports, so that ``config`` (which checks the
params' ``report.chapters``) can know the names without importing the domain packages that
import ``config`` themselves. Adding a domain means adding its folder (with ``chapter.py``), its
notebook, and one row here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChapterEntry:
    """One chapter: its name in ``report.chapters``, the module with ``build(ctx)``, and the
    notebook whose artifacts it reads."""

    name: str
    module: str
    notebook: str


CHAPTERS: tuple[ChapterEntry, ...] = (
    ChapterEntry("participation", "evalkit.overview.participation_chapter", "01_validate"),
    ChapterEntry("history", "evalkit.overview.history_chapter", "01_validate"),
    ChapterEntry("quality", "evalkit.overview.quality_chapter", "01_validate"),
    ChapterEntry("iid", "evalkit.iid.chapter", "02_iid"),
    ChapterEntry("themes", "evalkit.themes.chapter", "03_themes"),
    ChapterEntry("jury", "evalkit.jury.chapter", "04_jury"),
)


def chapter_names() -> list[str]:
    """Names of the chapters shipped with evalkit, sorted."""
    return sorted(entry.name for entry in CHAPTERS)


def chapter_entry(name: str) -> ChapterEntry:
    """The registry row of one chapter; ``KeyError`` naming the known ones otherwise."""
    for entry in CHAPTERS:
        if entry.name == name:
            return entry
    raise KeyError(f"unknown chapter {name!r}; available: {', '.join(chapter_names())}")
