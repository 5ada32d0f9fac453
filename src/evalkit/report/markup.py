"""User text inside the report's Markdown: shown exactly as typed, never read as markup.

Titles, unit names, notes and rubric texts come from people. Pandoc and Quarto read the
report as Markdown, so a title could otherwise add an image (``![x](/etc/hostname)``, which
the self-contained HTML would embed), a link, a heading, a table row, raw HTML (a
``<script>``) or raw Typst (``{=typst}``). Every ASCII sign that Markdown gives a meaning is
backslash-escaped, which Pandoc, Quarto and JupyterLab all show as the sign itself; runs of
white space (line breaks too) become one space; invisible controls that reorder the text
(bidirectional overrides) are dropped, so a right-to-left title cannot flip the words after it.
Quotes are left to Pandoc's typography (``'`` may show as a curly apostrophe); runs of
hyphens are kept as typed.

Chapters get this for free: the :class:`MarkdownTranslator` of a report context escapes
every field it puts into a template, and ``Table`` escapes its cells. Text that is already
Markdown written by evalkit is a :class:`MarkdownText`, which is never escaped twice. pandas 3
stores text columns as plain ``str``, which drops that type when such a text goes into a
table; so every MarkdownText is also remembered, and a table cell holding exactly one of them
is kept as it is (it is Markdown evalkit wrote, so it adds nothing evalkit did not).
"""

from __future__ import annotations

import numbers
import re
from typing import Any

from evalkit.i18n import Translator

# Signs Pandoc's Markdown (and Quarto's) reads as markup anywhere in a line: escapes, code and
# raw attributes, emphasis, links, images and spans, raw HTML, entities and autolinks, math,
# citations and cross-references, footnotes, sub/superscript, attributes, table cells.
_SPECIAL = re.compile(r"([\\`*_\[\]<>&$@^~{}|])")
# Signs that start a block at the start of a line (headings, lists, block quotes, captions,
# definition lists, divs, title blocks, setext rules, example lists): escaped there only.
_LINE_START = re.compile(r"^([#+\-=>:%(!])")
# A list marker at the start ("1. ", "a) ", "iv. "): its dot or parenthesis.
_LIST_START = re.compile(r"^(\w{1,9})([.)])(?=\s|$)")
# Two or more hyphens, which typography would turn into a dash.
_DASHES = re.compile(r"-(?=-)|(?<=-)-")
# Bidirectional embeddings, overrides and isolates (they reorder what follows them), other
# format and control characters; white space is handled apart.
_INVISIBLE = re.compile("[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e"
                        "\u2066-\u2069\ufeff]")


# Markdown texts evalkit wrote (see the module's docstring), bounded for a long-lived kernel.
_WRITTEN: dict[str, None] = {}
_WRITTEN_MAX = 200_000


class MarkdownText(str):
    """Markdown that evalkit wrote, with any user text in it already escaped. Each one is
    remembered, so that it is still known as Markdown after pandas made it a plain ``str``."""

    __slots__ = ()

    def __new__(cls, text: str = "") -> MarkdownText:
        if len(_WRITTEN) >= _WRITTEN_MAX:
            _WRITTEN.clear()
        _WRITTEN[str(text)] = None
        return super().__new__(cls, text)


def _remember(text: str) -> MarkdownText:
    return MarkdownText(text)


def is_markdown(value: object) -> bool:
    """Whether ``value`` is Markdown evalkit wrote (not user text to be escaped)."""
    return isinstance(value, MarkdownText) or (isinstance(value, str) and value in _WRITTEN)


def plain_text(value: object) -> str:
    """User text on one line: invisible controls removed, white space runs made one space."""
    return " ".join(_INVISIBLE.sub("", str(value)).split())


def escape_markdown(value: object) -> MarkdownText:
    """``value`` as Markdown that reads exactly as the text and adds no structure."""
    if isinstance(value, MarkdownText):
        return value
    text = _DASHES.sub(r"\\-", _SPECIAL.sub(r"\\\1", plain_text(value)))
    text = _LINE_START.sub(r"\\\1", text)
    return MarkdownText(_LIST_START.sub(r"\1\\\2", text))


def _field(value: Any) -> Any:
    """A template field: numbers stay numbers (for format specs), text is escaped."""
    if isinstance(value, MarkdownText | bool | numbers.Number):
        return value
    return escape_markdown(value)


class MarkdownTranslator(Translator):
    """A :class:`Translator` for the report: the templates are evalkit's Markdown, every
    field filled into them is user text and is escaped; the result is :class:`MarkdownText`.
    """

    def t(self, key: str, **fields: Any) -> MarkdownText:
        escaped = {name: _field(value) for name, value in fields.items()}
        return _remember(super().t(key, **escaped))

    def number(self, value: float, digits: int = 2) -> MarkdownText:
        return _remember(super().number(value, digits))

    def percent(self, share: float, digits: int = 1) -> MarkdownText:
        return _remember(super().percent(share, digits))


def inline(value: object) -> MarkdownText:
    """Markdown for one line (a caption): user text escaped, evalkit's Markdown on one line."""
    if is_markdown(value):
        return MarkdownText(" ".join(str(value).split()))
    return escape_markdown(value)


def table_cell(value: object) -> str:
    """A pipe-table cell: user text escaped; evalkit's Markdown kept, on one line, with its
    unescaped pipes escaped (a pipe would end the cell)."""
    if not is_markdown(value):
        return escape_markdown(value)
    text = " ".join(str(value).split())
    return re.sub(r"(\\*)\|", lambda m: m.group(1) + ("|" if len(m.group(1)) % 2 else "\\|"),
                  text)
