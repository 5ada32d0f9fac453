"""Report content as plain blocks that become Markdown.

Chapters return lists of blocks instead of printing, so they can be tested without a kernel.
In the report notebook, :func:`show` displays them as Markdown outputs: Quarto and our Pandoc
fallback both turn those into real headings, numbered tables and figures, whatever the
language (a static ``#| fig-cap:`` could not be translated).

A :class:`Markdown` block holds Markdown that evalkit wrote (templates from the locales, with
their fields escaped by the context's translator); user text goes in :class:`Text` blocks,
table cells, or template fields, which escape it (``evalkit.report.markup``). Figures may only
point at evalkit's own ``figures/`` folder.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.figure
import pandas as pd

from evalkit.artifacts import FIGURES
from evalkit.config import RunParams
from evalkit.report.appendix import (
    ROW_LIMIT,
    SHOWN_ROWS,
    Appendix,
    Attachment,
    top_and_bottom,
    write_attachment,
)
from evalkit.report.markup import (
    MarkdownTranslator,
    escape_markdown,
    inline,
    plain_text,
    table_cell,
)


@dataclass(frozen=True)
class Markdown:
    """Markdown written by evalkit (never user text: see :class:`Text`)."""

    text: str

    def to_markdown(self) -> str:
        return self.text.strip()


@dataclass(frozen=True)
class Text:
    """A paragraph a person typed (the params' report note, say), shown exactly as written."""

    text: str
    emphasis: bool = False

    def to_markdown(self) -> str:
        body = escape_markdown(self.text)
        return f"*{body}*" if self.emphasis and body else body


@dataclass(frozen=True)
class Table:
    """A table with a numbered caption; ``label`` without the ``tbl-`` prefix."""

    frame: pd.DataFrame
    caption: str
    label: str
    align: Sequence[str] | None = None

    def to_markdown(self) -> str:
        header = [_cell(c) for c in self.frame.columns]
        rows = [[_cell(v) for v in row] for row in self.frame.itertuples(index=False, name=None)]
        align = self.align or [
            _alignment([_shown(v) for v in self.frame.iloc[:, i]]) for i in range(len(header))]
        body = pipe_table(header, rows, align)
        return f"{body}\n\n: {inline(self.caption)} {{#tbl-{_label(self.label)}}}"


@dataclass(frozen=True)
class Figure:
    """A figure saved under ``figures/``; ``path`` is relative to the report notebook."""

    path: str
    caption: str
    label: str

    def to_markdown(self) -> str:
        if not _FIGURE_PATH.fullmatch(self.path):
            raise ValueError(f"a report figure must be a file in {FIGURES}/ saved by "
                             f"save_figure; got {self.path!r}")
        return f"![{inline(self.caption)}]({self.path}){{#fig-{_label(self.label)}}}"


Block = Markdown | Text | Table | Figure | Appendix | Attachment


_NUMBER = re.compile(r"^[+\-–]?[\d.,]+%?$|^–$")
_FIGURE_PATH = re.compile(rf"{FIGURES}/[A-Za-z0-9][A-Za-z0-9._-]*\.(png|svg|jpe?g)")


def _label(text: str) -> str:
    """An identifier Pandoc keeps as written: letters, digits and dashes."""
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-") or "x"


def _alignment(cells: Sequence[str]) -> str:
    """Right-align a column whose filled cells are all numbers (as formatted for display)."""
    filled = [c for c in cells if c]
    return "right" if filled and all(_NUMBER.match(c) for c in filled) else "left"


def _missing(value: object) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is a value, not a missing one
        return False


def _shown(value: object) -> str:
    """What a reader sees in the cell (before any escaping)."""
    return "" if _missing(value) else plain_text(value)


# Relative column widths written into the separator line, in characters of a line: Pandoc
# (and so Quarto's Typst and LaTeX output) takes a wide pipe table's column widths from the
# dashes there. Padding every cell to its column's longest one (what tabulate does) gives a
# column of long notes most of the page and squeezes short numeric columns under their
# headers ("Skor", "Maksimum" overlapping in Quarto's PDF).
LINE = 80  # characters of table text across the page (A4, the report's table font)
SHORT = 14  # a column this narrow keeps its natural width
PADDING = 3  # the cell's inset, in characters
WIDE_MIN = 20  # a column of text gets at least this much before narrow ones keep theirs


def _natural(header: str, cells: Sequence[str]) -> int:
    """Enough for the header's longest word (headers wrap between words), a short header
    whole, and nine in ten of the cells."""
    lengths = sorted(len(c) for c in cells)
    typical = lengths[math.ceil(0.9 * (len(lengths) - 1))] if lengths else 0
    words = max([len(w) for w in header.split()] or [1])
    return max(words, len(header) if len(header) <= SHORT else 0, typical) + PADDING


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's share of a line: narrow columns (numbers, codes) their natural width,
    the rest of the line shared by the wide columns in proportion to theirs (capped)."""
    natural = [min(_natural(h, [row[i] for row in rows]), 2 * LINE)
               for i, h in enumerate(header)]
    if sum(natural) <= LINE:
        return natural
    short = [n if n <= SHORT + PADDING else 0 for n in natural]
    wide = [0 if s else n for n, s in zip(natural, short, strict=True)]
    room = LINE - sum(short)
    if room < sum(min(w, WIDE_MIN) for w in wide if w):  # too many columns: scale them all
        return natural
    total = sum(wide) or 1
    return [s or max(WIDE_MIN, round(room * w / total)) for s, w in zip(short, wide,
                                                                     strict=True)]


def pipe_table(header: Sequence[str], rows: Sequence[Sequence[str]],
               align: Sequence[str]) -> str:
    """A pipe table whose separator dashes are :func:`column_widths` (explicit relative
    widths) and whose cells are not padded, so its widths do not follow its longest cell."""
    marks = {"left": (":", "-"), "right": ("-", ":"), "center": (":", ":")}
    separator = []
    for i, width in enumerate(column_widths(header, rows)):
        first, last = marks.get(align[i] if i < len(align) else "left", (":", "-"))
        separator.append(first + "-" * max(1, width - 2) + last)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(separator) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: object) -> str:
    return "" if _missing(value) else table_cell(value)


def save_figure(fig: matplotlib.figure.Figure, out_dir: Path, name: str, caption: str,
                label: str | None = None) -> Figure:
    """Save a matplotlib figure as ``figures/<name>.png`` (reproducibly) and return its block.

    Text in the figure is drawn as written: a title holding ``$...$`` is not read as
    matplotlib's mathematics (which could also fail to parse and stop the report).
    """
    import matplotlib.text

    name = _label(name)
    for artist in fig.findobj(matplotlib.text.Text):
        artist.set_parse_math(False)
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
    t: MarkdownTranslator  # escapes every field it fills in: chapters need not

    @classmethod
    def create(cls, params: RunParams, out_dir: Path) -> ReportContext:
        return cls(params, Path(out_dir), MarkdownTranslator(params.language))


def long_table(ctx: ReportContext, frame: pd.DataFrame, caption: str, label: str, title: str,
               *, full: pd.DataFrame | None = None, top: int = SHOWN_ROWS, bottom: int = 0,
               limit: int = ROW_LIMIT, align: Sequence[str] | None = None) -> list[Block]:
    """A table that stays readable at any size: every row up to ``limit``; past it the first
    ``top`` (and last ``bottom``) rows, a sentence saying so, and the full table (``full``,
    default ``frame``) as an attachment listed in the appendix. ``title`` names the table
    in the appendix and in the attachment's file name (``label``)."""
    full = frame if full is None else full
    if len(frame) <= limit:
        return [Table(frame, caption, label, align)]
    shown = top_and_bottom(frame, top, bottom)
    attachment = write_attachment(full, ctx.out_dir, label,
                                  ctx.t("core.appendix.attachment", title=title, rows=len(full)))
    key = "core.appendix.shown_bottom" if bottom else "core.appendix.shown"
    return [Table(shown, caption, label, align),
            Markdown(ctx.t(key, top=min(top, len(frame)), bottom=bottom, rows=len(frame),
                           file=f"{label}.xlsx")),
            Appendix((attachment,))]
