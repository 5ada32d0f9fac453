"""The year's score store: jurors' imported or notebook-entered scores, outside ``data/``.

Raw inputs are never written, so scores that arrive during judging (filled sheets, the
notebook form) go here. One JSON file per juror holds that juror's current scores, comments
and declared recusals: replacing a juror's scores is a single atomic file replace, so a
failed or invalid import can never leave half a juror behind. Every replacement is appended
to ``log.jsonl`` with its time, source file and the file's SHA-256, for the audit trail a
public competition needs.

The store also holds the key that signs the score sheets (``sheet.key``, 32 random bytes,
created with the first sheets of a region and year, readable by its owner only). It never
leaves the store, so a sheet edited elsewhere cannot carry a valid signature. Losing it means
sheets already sent out can no longer be checked: back the store up with the other working
files of the competition.

Location: ``jury.store_dir`` in the params, by default ``<params folder>/../store/<region>/
<year>/`` (see :func:`default_store_dir`). The folder carries its own ``.gitignore``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.fileio import sha256, write_text_atomic

SCORE_COLUMNS = ["juror_id", "innovation_id", "stage", "criterion", "score", "note"]
RECUSAL_COLUMNS = ["juror_id", "innovation_id", "stage", "reason_code", "reason"]
LOG_NAME = "log.jsonl"
JUROR_DIR = "jurors"
KEY_NAME = "sheet.key"  # the organisers' signing key for score sheets (never in a sheet)
KEY_BYTES = 32


def default_store_dir(params_file: Path, region: str, year: int) -> Path:
    """``<folder of the params file>/../store/<region>/<year>``: beside params/, not in data/."""
    return (Path(params_file).resolve().parent.parent / "store" / region / str(year)).resolve()


file_sha256 = sha256  # the change log records the imported file's hash


def _safe_name(juror_id: str) -> str:
    """A file name for a juror id; ids with unusual characters are hex-encoded."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,80}", juror_id):
        return f"{juror_id}.json"
    return f"x{juror_id.encode('utf-8').hex()}.json"


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Serialise writers (two jurors importing at once) with an OS file lock."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as handle:
        if os.name == "nt":
            import msvcrt

            def lock() -> None:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]

            def unlock() -> None:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            def lock() -> None:
                fcntl.flock(handle, fcntl.LOCK_EX)

            def unlock() -> None:
                fcntl.flock(handle, fcntl.LOCK_UN)

        lock()
        try:
            yield
        finally:
            unlock()


@dataclass(frozen=True)
class JuryStore:
    """Read and replace jurors' scores under ``root``."""

    root: Path

    def _ensure(self) -> None:
        (self.root / JUROR_DIR).mkdir(parents=True, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            write_text_atomic(ignore, "# jurors' scores: working data, never committed\n*\n")

    def juror_file(self, juror_id: str) -> Path:
        return self.root / JUROR_DIR / _safe_name(juror_id)

    def sheet_key(self, create: bool = False) -> bytes | None:
        """The sheet-signing key; made (once, under the lock) when ``create`` and absent."""
        path = self.root / KEY_NAME
        if path.is_file():
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        if not create:
            return None
        with locked(self.root):
            self._ensure()
            if not path.is_file():
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w", encoding="ascii") as handle:
                    handle.write(secrets.token_hex(KEY_BYTES) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
        return bytes.fromhex(path.read_text(encoding="ascii").strip())

    def record(self, juror_id: str) -> dict[str, Any] | None:
        """One juror's stored record, or None."""
        path = self.juror_file(juror_id)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def records(self) -> list[dict[str, Any]]:
        """Every juror's stored record (one dict per juror), in juror-id order."""
        folder = self.root / JUROR_DIR
        if not folder.is_dir():
            return []
        out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
        return sorted(out, key=lambda r: r["juror_id"])

    def jurors(self) -> list[str]:
        """Jurors whose scores come from the store (they override the raw table)."""
        return [r["juror_id"] for r in self.records()]

    def scores(self) -> pd.DataFrame:
        rows = [{"juror_id": r["juror_id"], **s} for r in self.records() for s in r["scores"]]
        frame = pd.DataFrame(rows, columns=SCORE_COLUMNS)
        frame["score"] = frame["score"].astype("float64")
        for c in ("juror_id", "innovation_id", "stage", "criterion", "note"):
            frame[c] = frame[c].fillna("").astype("str")
        return frame

    def recusals(self) -> pd.DataFrame:
        rows = [{"juror_id": r["juror_id"], **s} for r in self.records() for s in r["recusals"]]
        frame = pd.DataFrame(rows, columns=RECUSAL_COLUMNS)
        return frame.fillna("").astype("str")

    def log(self) -> pd.DataFrame:
        path = self.root / LOG_NAME
        if not path.is_file():
            return pd.DataFrame(columns=["timestamp", "juror_id", "via", "source", "sha256"])
        lines = path.read_text(encoding="utf-8").splitlines()
        return pd.DataFrame([json.loads(line) for line in lines if line.strip()])

    def replace_juror(self, juror_id: str, scores: pd.DataFrame, recusals: pd.DataFrame, *,
                      via: str, source: str = "", sha256: str = "", rubric_id: str = "",
                      rubric_sha256: str = "", baseline: pd.DataFrame | None = None,
                      detail: bool = False, extra: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        """Replace everything stored for ``juror_id`` in one atomic step; log it.

        ``scores`` has innovation_id, stage, criterion, score, note; ``recusals`` has
        innovation_id, stage, reason_code, reason. Only call this with validated input.
        The log entry says what was replaced (the earlier record's source and time) and how
        many scores changed, counted against the earlier record or, for a juror stored for
        the first time, against ``baseline`` (their scores in the raw data). With ``detail``
        it lists every change (old and new value): an objection's decision is audited score
        by score. ``extra`` goes into the log entry as it is (e.g. the objection number).
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        record = {
            "juror_id": juror_id,
            "saved_at": now,
            "via": via,
            "source": source,
            "sha256": sha256,
            "rubric_id": rubric_id,
            "rubric_sha256": rubric_sha256,
            "scores": _rows(scores, SCORE_COLUMNS[1:]),
            "recusals": _rows(recusals, RECUSAL_COLUMNS[1:]),
        }
        with locked(self.root):
            self._ensure()
            path = self.juror_file(juror_id)
            previous = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
            text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
            before = previous if previous is not None else (
                None if baseline is None else {"scores": _rows(baseline, SCORE_COLUMNS[1:])})
            changes = _changes(before, record)
            write_text_atomic(path, text)
            entry = {
                "timestamp": now,
                "juror_id": juror_id,
                "via": via,
                "source": source,
                "sha256": sha256,
                "n_scores": len(record["scores"]),
                "n_recusals": len(record["recusals"]),
                "n_changed": len(changes),
                "replaced": previous is not None,
                "previous_via": "" if previous is None else previous.get("via", ""),
                "previous_source": "" if previous is None else previous.get("source", ""),
                "previous_saved_at": "" if previous is None else previous.get("saved_at", ""),
                "previous_n_scores": 0 if before is None else len(before["scores"]),
                **({"changes": changes} if detail else {}),
                **(extra or {}),
            }
            with open(self.root / LOG_NAME, "a", encoding="utf-8") as log:
                log.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
                log.flush()
                os.fsync(log.fileno())
        return entry


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    out = []
    for row in frame.reindex(columns=columns).itertuples(index=False):
        item = {}
        for col, value in zip(columns, row, strict=True):
            if col == "score":
                item[col] = float(value)
            else:
                item[col] = "" if value is None or pd.isna(value) else str(value)
        out.append(item)
    return sorted(out, key=lambda r: tuple(str(r[c]) for c in columns))


def _changes(previous: dict[str, Any] | None, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The (entry, stage, criterion) scores that differ from the previous version, with the
    old and new value (None = absent)."""
    def keyed(rec: dict[str, Any] | None) -> dict[tuple[str, str, str], float]:
        if rec is None:
            return {}
        return {(s["innovation_id"], s["stage"], s["criterion"]): s["score"] for s in rec["scores"]}

    old, new = keyed(previous), keyed(record)
    return [{"innovation_id": k[0], "stage": k[1], "criterion": k[2], "old": old.get(k),
             "new": new.get(k)} for k in sorted(old.keys() | new.keys())
            if old.get(k) != new.get(k)]
