"""Report chapters by name: each domain package holds its own ``chapter`` module with
``build(ctx) -> list[Block]``; ``evalkit.registry`` says which module that is.

The params' ``report.chapters`` lists which chapters a year's report holds, in order. The
domain modules are imported by name when a chapter is built, so this package does not depend
on the domains (they depend on it, for the report blocks).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from evalkit.registry import chapter_entry, chapter_names
from evalkit.report.appendix import Attachment, split_appendix
from evalkit.report.blocks import Block, Markdown, ReportContext


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


def _anchored(blocks: list[Block], name: str) -> list[Block]:
    """The chapter's first top heading gets the id ``sec-<name>``, so the summary (and any
    reader) can link to the chapter whatever its title in the report's language."""
    out = list(blocks)
    for i, block in enumerate(out):
        if isinstance(block, Markdown) and block.text.lstrip().startswith("# "):
            text = block.text.strip()
            first, _, rest = text.partition("\n")
            if "{#" not in first:
                first = f"{first} {{#sec-{name}}}"
            out[i] = Markdown(first + ("\n" + rest if rest else ""))
            break
    return out


def _heading(blocks: list[Block]) -> str:
    for block in blocks:
        if isinstance(block, Markdown) and block.text.lstrip().startswith("# "):
            first = block.text.strip().partition("\n")[0][2:]
            return first.split(" {#")[0].strip()
    return ""


SUMMARY = "summary"


def _demoted(block: object) -> object:
    """A heading moved into the appendix goes one level down, under its chapter's name."""
    if isinstance(block, Markdown) and block.text.lstrip().startswith("#"):
        return Markdown("#" + block.text.lstrip())
    return block


def compose(ctx: ReportContext, chapters: Sequence[str],
            intro: Sequence[Block] = ()) -> list[Block]:
    """The whole report: the one-page summary (``report.summary``), the ``intro`` blocks, the
    chapters in order, then the appendix: what each chapter moved out of its main text (under
    the chapter's name) and the list of full tables kept beside the report."""
    t = ctx.t
    main: list[Block] = []
    sections: list[Block] = []
    attachments: list[Attachment] = []
    names = [c for c in chapters if c != SUMMARY]
    if ctx.params.report.summary or SUMMARY in chapters:
        main.extend(build_chapter(SUMMARY, ctx))
    main.extend(intro)
    for name in names:
        blocks = _anchored(build_chapter(name, ctx), name)
        body, extra = split_appendix(blocks)
        main.extend(body)  # type: ignore[arg-type]
        files = [b for b in extra if isinstance(b, Attachment)]
        notes = [b for b in extra if not isinstance(b, Attachment)]
        attachments.extend(files)
        if notes:
            # "Partisipasi Perangkat Daerah (lampiran)": not the chapter's own heading again
            sections.append(Markdown(f"## {_heading(body) or name} "
                                     f"({t('core.appendix.of_chapter')})"))
            sections.extend(_demoted(b) for b in notes)  # type: ignore[misc]
    if not sections and not attachments:
        return main
    appendix: list[Block] = [Markdown(f"# {t('core.appendix.heading')} {{#sec-appendix}}")]
    appendix.extend(sections)
    if attachments:
        appendix.append(Markdown(f"## {t('core.appendix.files_heading')} {{#sec-attachments}}"))
        appendix.append(Markdown(t("core.appendix.files_intro", n=len(attachments))))
        appendix.append(Markdown("\n".join(a.to_markdown() for a in attachments)))
    return [*main, *appendix]
