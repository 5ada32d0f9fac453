"""What a juror or the committee reads about an import or a save, in the params' language.

Problems are located the way the reader can find them: in a sheet by page, row and the
column's heading (``F (Kebaruan)``); in the notebook form, which has no row numbers, by the
entry's id and the criterion's name (both are in the message). A save that replaces earlier
scores says what it replaced: the earlier source and its date, and how many scores changed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from evalkit.i18n import Translator
from evalkit.issues import Issue


def explain(issue: Issue, t: Translator) -> str:
    """One line: severity, where (page, row, column as the reader sees them), what."""
    where = []
    if issue.file:
        where.append(issue.file)
    if issue.sheet:
        where.append(t("jury.messages.sheet", sheet=issue.sheet))
    if issue.row is not None:
        where.append(t("jury.messages.row", row=issue.row))
    if issue.column and issue.column not in issue.message:  # the form's messages name it
        where.append(t("jury.messages.column", column=issue.column))
    head = t(f"jury.messages.{issue.severity}")
    return f"{head}: {', '.join(where)}: {issue.message}" if where else (
        f"{head}: {issue.message}")


def when(timestamp: str, t: Translator) -> str:
    """'12 Juni 2025 09.30 UTC' from an ISO timestamp (empty stays empty)."""
    if not timestamp:
        return ""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    months = t("jury.profile.months").split(",")
    clock = moment.strftime("%H.%M" if t.lang == "id" else "%H:%M")
    zone = " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
    return f"{moment.day} {months[moment.month - 1].strip()} {moment.year} {clock}{zone}"


def source_name(via: str, source: str, t: Translator) -> str:
    """'lembar rejang-lebong-2025-J1.xlsx' / 'formulir notebook' / 'sanggah 2'."""
    if via == "sheet":
        return t("jury.messages.via_sheet", file=Path(source).name)
    if via == "form":
        return t("jury.messages.via_form")
    if via == "objection":
        return t("jury.messages.via_objection", source=source)
    return source or via


def saved_text(entry: dict[str, Any], t: Translator, raw_file: str = "") -> str:
    """What a save did: stored n scores; replaced which earlier scores; how many changed."""
    line = t("jury.messages.saved", juror=entry["juror_id"], n=entry["n_scores"],
             r=entry["n_recusals"])
    if entry.get("replaced"):
        line += " " + t("jury.messages.replaced",
                        source=source_name(entry.get("previous_via", ""),
                                           entry.get("previous_source", ""), t),
                        when=when(entry.get("previous_saved_at", ""), t),
                        n=entry.get("previous_n_scores", 0), changed=entry["n_changed"])
    elif entry.get("previous_n_scores"):
        line += " " + t("jury.messages.replaced_data", file=raw_file or "jury_scores",
                        n=entry["previous_n_scores"], changed=entry["n_changed"])
    return line
