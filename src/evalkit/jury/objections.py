"""Masa sanggah: the provisional ranking published with a date, and objections to it.

KIPP publishes its provisional result and opens an objection period (*masa sanggah*) before
the finalists are fixed. Here the committee publishes the provisional ranking (a snapshot of
ranks and scores, with the publication date and the last day for objections), records each
objection (entry, reason, who filed it, when) and its decision (accepted or rejected, with
the reason). A decision that changes a score changes it in the score store like any other
change of a juror's scores, logged with the objection's number and each old and new value;
the final report shows the objections, the decisions and every score they changed.

Everything lives in ``sanggah.json`` in the score store (written atomically, under the store's
lock). Dates are calendar dates (``YYYY-MM-DD``) as the committee announces them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.fileio import write_text_atomic
from evalkit.jury.store import JuryStore, locked

FILE_NAME = "sanggah.json"
DECISIONS = ("accepted", "rejected")
PENDING = "pending"


class ObjectionError(Exception):
    """A request the objection rules refuse; ``key`` and ``fields`` make the message."""

    def __init__(self, key: str, **fields: Any):
        super().__init__(key)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class Publication:
    published_on: str  # the announced date of the provisional ranking
    until: str  # the last day objections are accepted
    recorded_at: str  # when it was recorded (UTC)
    ranking: list[dict[str, Any]]  # innovation_id, rank, score, round at publication


@dataclass(frozen=True)
class Objection:
    number: int
    innovation_id: str
    filed_on: str
    reason: str
    filed_by: str = ""  # the objecting unit or party, as the committee records it
    decision: str = PENDING
    decided_on: str = ""
    decision_reason: str = ""
    changes: list[dict[str, Any]] = field(default_factory=list)  # juror_id, stage, criterion,
    # old, new


@dataclass(frozen=True)
class Sanggah:
    publications: list[Publication]
    objections: list[Objection]

    @property
    def publication(self) -> Publication | None:
        return self.publications[-1] if self.publications else None

    def objection(self, number: int) -> Objection:
        found = [o for o in self.objections if o.number == number]
        if not found:
            raise ObjectionError("unknown", number=number)
        return found[0]


def parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ObjectionError("bad_date", what=what, value=value) from None


def _path(store: JuryStore) -> Path:
    return store.root / FILE_NAME


def load(store: JuryStore) -> Sanggah:
    path = _path(store)
    if not path.is_file():
        return Sanggah([], [])
    data = json.loads(path.read_text(encoding="utf-8"))
    return Sanggah([Publication(**p) for p in data.get("publications", [])],
                   [Objection(**o) for o in data.get("objections", [])])


def _save(store: JuryStore, state: Sanggah) -> None:
    data = {"publications": [asdict(p) for p in state.publications],
            "objections": [asdict(o) for o in state.objections]}
    write_text_atomic(_path(store), json.dumps(data, ensure_ascii=False, indent=1,
                                               sort_keys=True) + "\n")


def publish(store: JuryStore, ranking: pd.DataFrame, published_on: str, until: str
            ) -> Publication:
    """Record the provisional ranking as announced on ``published_on``, objections until
    ``until`` (inclusive)."""
    start, end = parse_date(published_on, "published_on"), parse_date(until, "until")
    if end < start:
        raise ObjectionError("period_reversed", start=start.isoformat(), end=end.isoformat())
    rows = []
    for r in ranking.itertuples(index=False):
        rows.append({"innovation_id": str(r.innovation_id),
                     "rank": None if pd.isna(r.rank) else int(r.rank),
                     "score": None if pd.isna(r.score) else float(r.score),
                     "round": str(getattr(r, "round", "") or "")})
    publication = Publication(start.isoformat(), end.isoformat(),
                              datetime.now(UTC).isoformat(timespec="seconds"), rows)
    with locked(store.root):
        state = load(store)
        _save(store, Sanggah([*state.publications, publication], state.objections))
    return publication


def file_objection(store: JuryStore, innovation_id: str, reason: str, filed_on: str,
                   entries: set[str], filed_by: str = "") -> Objection:
    """Record an objection to one entry's result, within the objection period."""
    when = parse_date(filed_on, "filed_on")
    if not reason.strip():
        raise ObjectionError("no_reason")
    if innovation_id not in entries:
        raise ObjectionError("not_entry", entry=innovation_id)

    def check(state: Sanggah) -> None:
        pub = state.publication
        if pub is None:
            raise ObjectionError("not_published")
        start, end = date.fromisoformat(pub.published_on), date.fromisoformat(pub.until)
        if not start <= when <= end:
            raise ObjectionError("outside_period", date=when.isoformat(), start=pub.published_on,
                                 end=pub.until)

    check(load(store))  # refuse before touching the store (not even its lock file)
    with locked(store.root):
        state = load(store)
        check(state)
        number = max([o.number for o in state.objections] + [0]) + 1
        objection = Objection(number, innovation_id, when.isoformat(), reason.strip(),
                              filed_by.strip())
        _save(store, Sanggah(state.publications, [*state.objections, objection]))
    return objection


def check_decision(state: Sanggah, number: int, decision: str, decided_on: str,
                   reason: str, n_changes: int) -> Objection:
    """The objection a decision is about, if the decision is allowed."""
    objection = state.objection(number)
    if objection.decision != PENDING:
        raise ObjectionError("decided", number=number, decision=objection.decision)
    if decision not in DECISIONS:
        raise ObjectionError("bad_decision", decision=decision)
    if not reason.strip():
        raise ObjectionError("no_reason")
    if parse_date(decided_on, "decided_on") < date.fromisoformat(objection.filed_on):
        raise ObjectionError("decided_before_filed", decided=decided_on,
                             filed=objection.filed_on)
    if decision == "rejected" and n_changes:
        raise ObjectionError("rejected_with_changes")
    return objection


def record_decision(store: JuryStore, number: int, decision: str, decided_on: str,
                    reason: str, changes: list[dict[str, Any]]) -> Objection:
    """Write the decision (after its score changes, if any, are in the store)."""
    with locked(store.root):
        state = load(store)
        objection = check_decision(state, number, decision, decided_on, reason, len(changes))
        decided = Objection(**{**asdict(objection), "decision": decision,
                               "decided_on": parse_date(decided_on, "decided_on").isoformat(),
                               "decision_reason": reason.strip(), "changes": changes})
        others = [o if o.number != number else decided for o in state.objections]
        _save(store, Sanggah(state.publications, others))
    return decided
