"""What a juror reads about an entry: the innovation beside its scores.

Jurors judge novelty, effectiveness and benefit; a title alone cannot tell them that. Each
entry's profile holds its unit, its own stage (inisiatif, uji coba, penerapan), form, type,
affair, start date, description and the documents it submitted (the proposal and the video
named by the rubric's ``documents``, then the other evidence). The sheet and the notebook form
show the same profile. What the data lacks is said to be missing, never filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from evalkit.i18n import Translator
from evalkit.jury.rubric import JuryRubric, text

URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


@dataclass(frozen=True)
class EntryProfile:
    innovation_id: str
    title: str
    unit: str
    facts: tuple[tuple[str, str], ...]  # (label, value) in reading order
    description: str  # empty when the data has none
    documents: tuple[tuple[str, tuple[str, ...]], ...]  # (document name, refs) per rubric kind
    evidence: tuple[str, ...]  # the other evidence refs

    def facts_text(self) -> str:
        return " · ".join(f"{label}: {value}" for label, value in self.facts)

    def documents_text(self, t: Translator) -> str:
        """One line: each document kind with its refs, then the count of other evidence."""
        parts = [f"{name}: {', '.join(refs) if refs else t('jury.profile.not_given')}"
                 for name, refs in self.documents]
        if self.evidence:
            parts.append(f"{t('jury.profile.evidence_label')}: "
                         f"{t('jury.profile.evidence_count', n=len(self.evidence))}")
        return " · ".join(parts) if parts else t("jury.profile.no_documents")

    def links(self) -> list[tuple[str, str]]:
        """(name, address) of every ref that is a web address (http or https only)."""
        found = [(name, ref) for name, refs in self.documents for ref in refs if URL.match(ref)]
        return found + [("", ref) for ref in self.evidence if URL.match(ref)]


def format_date(value: object, t: Translator) -> str:
    """'1 Agustus 2023' / '1 August 2023'; empty for a missing date."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    months = t("jury.profile.months").split(",")
    return f"{stamp.day} {months[stamp.month - 1].strip()} {stamp.year}"


def _choice(t: Translator, group: str, value: str) -> str:
    key = f"jury.profile.{group}.{value}"
    return t(key) if value and t.has(key) else value


def build_profiles(entries: pd.DataFrame, refs: pd.DataFrame, rubric: JuryRubric,
                   t: Translator) -> dict[str, EntryProfile]:
    """A profile per entry (``entries`` as from ``panel.entries`` with ``unit_name``)."""
    missing = t("jury.profile.not_given")
    by_entry: dict[str, list[tuple[str, str]]] = {}
    for row in refs.itertuples(index=False):
        by_entry.setdefault(str(row.innovation_id), []).append((str(row.indicator),
                                                                 str(row.ref)))
    out: dict[str, EntryProfile] = {}
    for row in entries.itertuples(index=False):
        entry = str(row.innovation_id)
        get = row._asdict()
        facts = (
            (t("jury.profile.stage_label"),
             _choice(t, "stages", str(get.get("innovation_stage", "") or "")) or missing),
            (t("jury.profile.form_label"),
             _choice(t, "forms", str(get.get("form", "") or "")) or missing),
            (t("jury.profile.type_label"),
             _choice(t, "types", str(get.get("type", "") or "")) or missing),
            (t("jury.profile.affair_label"), str(get.get("affair", "") or "") or missing),
            (t("jury.profile.start_label"),
             format_date(get.get("start_date"), t) or missing),
        )
        own = by_entry.get(entry, [])
        used: set[int] = set()
        documents = []
        for doc in rubric.documents:
            hits = [i for i, (indicator, _) in enumerate(own) if indicator in doc.indicators]
            used |= set(hits)
            documents.append((text(doc.name, t.lang), tuple(own[i][1] for i in hits)))
        evidence = tuple(dict.fromkeys(ref for i, (_, ref) in enumerate(own) if i not in used))
        out[entry] = EntryProfile(
            innovation_id=entry, title=str(row.title), unit=str(get.get("unit_name", "")),
            facts=facts, description=str(get.get("description", "") or "").strip(),
            documents=tuple(documents), evidence=evidence)
    return out
