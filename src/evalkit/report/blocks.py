"""Report content as plain blocks that become Markdown.

Chapters return lists of blocks instead of printing, so they can be tested without a kernel.
In the report notebook, :func:`show` displays them as Markdown outputs: Quarto and our Pandoc
fallback both turn those into real headings, numbered tables and figures, whatever the
language (a static ``#| fig-cap:`` could not be translated).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.figure
import pandas as pd

from evalkit.artifacts import FIGURES
from evalkit.config import RunParams
from evalkit.i18n import Translator


@dataclass(frozen=True)
class Markdown:
    text: str

    def to_markdown(self) -> str:
        return self.text.strip()


@dataclass(frozen=True)
class Table:
    """A table with a numbered caption; ``label`` without the ``tbl-`` prefix."""

    frame: pd.DataFrame
    caption: str
    label: str
    align: Sequence[str] | None = None

    def to_markdown(self) -> str:
        frame = self.frame.copy()
        frame.columns = [_cell(c) for c in frame.columns]
        for column in frame.columns:
            frame[column] = frame[column].map(_cell)
        align = self.align or [_alignment(frame[c]) for c in frame.columns]
        body = frame.to_markdown(index=False, tablefmt="pipe", disable_numparse=True,
                                 colalign=align)
        if frame.empty:
            body = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns)
        return f"{body}\n\n: {self.caption} {{#tbl-{self.label}}}"


@dataclass(frozen=True)
class Figure:
    """A figure saved under ``figures/``; ``path`` is relative to the report notebook."""

    path: str
    caption: str
    label: str

    def to_markdown(self) -> str:
        return f"![{self.caption}]({self.path}){{#fig-{self.label}}}"


Block = Markdown | Table | Figure


_NUMBER = re.compile(r"^[+\-–]?[\d.,]+%?$|^–$")


def _alignment(cells: pd.Series) -> str:
    """Right-align a column whose filled cells are all numbers (as formatted for display)."""
    filled = [c for c in cells if c]
    return "right" if filled and all(_NUMBER.match(c) for c in filled) else "left"


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    return text.replace("|", "\\|")


def save_figure(fig: matplotlib.figure.Figure, out_dir: Path, name: str, caption: str,
                label: str | None = None) -> Figure:
    """Save a matplotlib figure as ``figures/<name>.png`` (reproducibly) and return its block."""
    path = Path(out_dir) / FIGURES / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=144, bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return Figure(f"{FIGURES}/{name}.png", caption, label or name)


def to_markdown(blocks: Iterable[Block]) -> str:
    """All blocks as one Markdown document (for tests and plain-text previews)."""
    return "\n\n".join(b.to_markdown() for b in blocks) + "\n"


def show(blocks: Iterable[Block]) -> None:
    """Display blocks in a notebook as Markdown outputs, one output per block."""
    from IPython.display import Markdown as IPyMarkdown
    from IPython.display import display

    for block in blocks:
        display(IPyMarkdown(block.to_markdown()))


@dataclass(frozen=True)
class ReportContext:
    """What a chapter needs: the run's params, where the artifacts are, and the language."""

    params: RunParams
    out_dir: Path
    t: Translator

    @classmethod
    def create(cls, params: RunParams, out_dir: Path) -> ReportContext:
        return cls(params, Path(out_dir), Translator(params.language))
