"""The report chapters evalkit ships, by name: which module builds each and which notebook
writes the artifacts it reads; and what each notebook needs in order to be worth running.

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
    # first in every report (report.summary); reads the other chapters' artifacts by name
    ChapterEntry("summary", "evalkit.overview.summary_chapter", "01_validate"),
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


@dataclass(frozen=True)
class NotebookEntry:
    """A pipeline notebook's needs: ``always`` runs whatever the report holds (validation, the
    report itself); otherwise it runs only when a chapter it feeds is asked for and every
    table in ``requires`` has rows (a year without a jury has nothing to judge)."""

    name: str
    requires: tuple[str, ...] = ()
    always: bool = False
    weight: int = 1  # relative cost: the heaviest analyses start first, on separate kernels


NOTEBOOKS: tuple[NotebookEntry, ...] = (
    NotebookEntry("01_validate", always=True),  # checks the inputs; other chapters read its tables
    NotebookEntry("02_iid"),
    NotebookEntry("03_themes", weight=3),  # every earlier year too, a model, clusters
    NotebookEntry("04_jury", requires=("jurors",), weight=2),  # 2,000 resamples
    NotebookEntry("05_report", always=True),
)


def notebook_entry(name: str) -> NotebookEntry | None:
    """The registry row of a notebook (by stem), or None for a notebook evalkit does not know
    (such a notebook always runs)."""
    return next((entry for entry in NOTEBOOKS if entry.name == name), None)


def chapters_fed_by(notebook: str) -> list[str]:
    """The chapters whose artifacts ``notebook`` writes, in registry order."""
    return [entry.name for entry in CHAPTERS if entry.notebook == notebook]
