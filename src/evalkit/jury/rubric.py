"""The lomba inovasi rubric: criteria, weights, scale, stages and tie-break order, as data.

A rubric lives in ``params/rubrics/lomba-<year>.yaml``. It is validated on load so that a
typo in a weight or a criterion id stops the run with every problem named, instead of
quietly changing a ranking the organisers must defend in public.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from evalkit.issues import InputError, Issue, as_written
from evalkit.keycheck import KeyChecker
from evalkit.yamlio import parse_yaml

SINGLE_STAGE = "utama"  # the stage id of a rubric that declares ``criteria`` directly
LANGS = ("id", "en")
TOP_KEYS = {"id", "version", "title", "source", "confidence", "weights_basis", "weight_total",
            "scale", "levels", "criteria", "stages", "default_stage", "tie_break", "documents"}
CRITERION_KEYS = {"id", "name", "weight", "description", "guidance"}
STAGE_KEYS = {"id", "name", "weight", "criteria", "weight_total", "shortlist"}
SHORTLIST_KEYS = {"top", "min_score"}
DOCUMENT_KEYS = {"id", "name", "indicators"}


@dataclass(frozen=True)
class Level:
    """A band of the scale, from ``start`` up to the next band's start."""

    id: str
    start: float
    label: dict[str, str]


@dataclass(frozen=True)
class Criterion:
    id: str
    name: dict[str, str]
    weight: float
    description: dict[str, str]
    guidance: dict[str, dict[str, str]]  # level id -> {lang: text}


@dataclass(frozen=True)
class Shortlist:
    """Who goes on to the next stage: the ``top`` N of this stage, those scoring at least
    ``min_score``, or both (the top N among those at or above the threshold).

    Entries tied with the last place of the top N (after the stage's tie-break keys) all go
    on: a cut that splits a tie would be a coin toss the committee cannot defend.
    """

    top: int | None = None
    min_score: float | None = None


@dataclass(frozen=True)
class Stage:
    id: str
    name: dict[str, str]
    weight: float
    criteria: tuple[Criterion, ...]
    shortlist: Shortlist | None = None  # None: every entry of this stage goes on

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    @property
    def weights(self) -> np.ndarray:
        """Criterion weights normalised to sum 1, in criterion order."""
        w = np.array([c.weight for c in self.criteria], dtype=float)
        return w / w.sum()


@dataclass(frozen=True)
class TieKey:
    """One tie-break step: a criterion of a stage, or a whole stage (criterion empty)."""

    stage: str
    criterion: str = ""


@dataclass(frozen=True)
class Document:
    """A kind of document jurors read beside an entry (its proposal, its video), found in the
    evidence table under the IID indicators listed here."""

    id: str
    name: dict[str, str]
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class JuryRubric:
    id: str
    version: str
    title: dict[str, str]
    source: str
    confidence: str
    weights_basis: dict[str, str]
    scale_min: float
    scale_max: float
    integer: bool
    levels: tuple[Level, ...]
    stages: tuple[Stage, ...]
    default_stage: str
    tie_break: tuple[TieKey, ...]
    documents: tuple[Document, ...] = ()
    sha256: str = ""
    path: str = ""

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    @property
    def multi_stage(self) -> bool:
        return len(self.stages) > 1

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(f"rubric {self.id!r} has no stage {stage_id!r}")

    @property
    def stage_weights(self) -> np.ndarray:
        w = np.array([s.weight for s in self.stages], dtype=float)
        return w / w.sum()

    def level_of(self, score: float) -> Level:
        """The band a score falls in."""
        found = self.levels[0]
        for level in self.levels:
            if score >= level.start:
                found = level
        return found

    def level_range(self, level: Level) -> tuple[float, float]:
        """A band's (low, high) bounds for display; high is the next start minus one step."""
        index = self.levels.index(level)
        if index + 1 < len(self.levels):
            step = 1.0 if self.integer or float(self.levels[index + 1].start).is_integer() else 0
            return level.start, self.levels[index + 1].start - step
        return level.start, self.scale_max


def text(mapping: dict[str, str], lang: str) -> str:
    """A rubric text in ``lang``, falling back to Indonesian (the rubric's own language)."""
    return mapping.get(lang) or mapping.get("id") or next(iter(mapping.values()), "")


class _Check(KeyChecker):
    """Collects every problem in a rubric file, located by its YAML key path."""

    def unknown(self, data: dict[str, Any], known: set[str], where: str) -> None:
        for key in data:
            if key not in known:
                self.error(f"{where}{key}", f"unknown key '{where}{key}'; known keys: "
                                            f"{', '.join(sorted(known))}")

    def texts(self, value: Any, key: str, required: bool = True) -> dict[str, str]:
        """A {id: ..., en: ...} mapping; a plain string counts as Indonesian."""
        if value is None and not required:
            return {}
        if isinstance(value, str) and value.strip():
            return {"id": value.strip()}
        if isinstance(value, dict) and value.get("id"):
            bad = [k for k in value if k not in LANGS]
            if bad:
                self.error(key, f"'{key}': unknown language(s) {bad}; use {', '.join(LANGS)}")
            return {k: str(v).strip() for k, v in value.items() if k in LANGS and v}
        self.error(key, f"'{key}' must be a text or a mapping with at least 'id' (Indonesian)")
        return {}

    def ident(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip() or value != value.strip():
            self.error(key, f"'{key}' must be a non-empty id without surrounding spaces")
            return ""
        if "." in value:
            self.error(key, f"'{key}': ids may not contain '.' (it separates stage and "
                            f"criterion in tie_break), got {as_written(value)}")
        return value


def parse_rubric(data: Any, file: str = "") -> JuryRubric:
    """Validate a rubric mapping; raise :class:`InputError` naming every problem."""
    check = _Check(file)
    if not isinstance(data, dict):
        raise InputError([Issue("error", "a rubric must be a mapping", file=file, code="rubric")])
    check.unknown(data, TOP_KEYS, "")
    rubric_id = check.ident(data.get("id"), "id")
    scale = data.get("scale") or {}
    if not isinstance(scale, dict):
        check.error("scale", "'scale' must be a mapping with min and max")
        scale = {}
    check.unknown(scale, {"min", "max", "integer"}, "scale.")
    lo = check.number(scale.get("min", 1), "scale.min")
    hi = check.number(scale.get("max", 100), "scale.max")
    integer = scale.get("integer", False)
    if not isinstance(integer, bool):
        check.error("scale.integer", "'scale.integer' must be true or false")
    if lo >= hi:
        check.error("scale", f"scale.min ({lo}) must be below scale.max ({hi})")
    levels = _levels(check, data.get("levels"), lo, hi)
    stages, default_stage = _stages(check, data, levels, (lo, hi))
    tie_break = _tie_break(check, data.get("tie_break", []), stages)
    documents = _documents(check, data.get("documents", []))
    if check.issues:
        raise InputError(check.issues)
    return JuryRubric(
        id=rubric_id,
        version=str(data.get("version", "")),
        title=check.texts(data.get("title"), "title", required=False) or {"id": rubric_id},
        source=str(data.get("source", "")).strip(),
        confidence=str(data.get("confidence", "")).strip(),
        weights_basis=check.texts(data.get("weights_basis"), "weights_basis", required=False),
        scale_min=lo,
        scale_max=hi,
        integer=bool(integer),
        levels=levels,
        stages=stages,
        default_stage=default_stage,
        tie_break=tie_break,
        documents=documents,
    )


def _levels(check: _Check, raw: Any, lo: float, hi: float) -> tuple[Level, ...]:
    if raw is None:
        return (Level("semua", lo, {"id": "Semua nilai", "en": "All scores"}),)
    if not isinstance(raw, list) or not raw:
        check.error("levels", "'levels' must be a non-empty list")
        return ()
    levels: list[Level] = []
    for i, item in enumerate(raw):
        key = f"levels[{i}]"
        if not isinstance(item, dict):
            check.error(key, f"'{key}' must be a mapping with id, from and label")
            continue
        check.unknown(item, {"id", "from", "label"}, f"{key}.")
        levels.append(Level(check.ident(item.get("id"), f"{key}.id"),
                            check.number(item.get("from"), f"{key}.from"),
                            check.texts(item.get("label"), f"{key}.label")))
    starts = [lv.start for lv in levels]
    if levels and starts[0] != lo:
        check.error("levels[0].from", f"the first level must start at scale.min ({lo}), "
                                      f"got {starts[0]}")
    if any(b <= a for a, b in itertools.pairwise(starts)):
        check.error("levels", f"levels must be in increasing order of 'from', got {starts}")
    if levels and starts[-1] > hi:
        check.error("levels", f"the last level starts above scale.max ({hi})")
    _unique(check, [lv.id for lv in levels], "levels")
    return tuple(levels)


def _criteria(check: _Check, raw: Any, where: str, levels: tuple[Level, ...],
              total: Any) -> tuple[Criterion, ...]:
    if not isinstance(raw, list) or not raw:
        check.error(where, f"'{where}' must be a non-empty list of criteria")
        return ()
    out: list[Criterion] = []
    level_ids = {lv.id for lv in levels}
    for i, item in enumerate(raw):
        key = f"{where}[{i}]"
        if not isinstance(item, dict):
            check.error(key, f"'{key}' must be a mapping")
            continue
        check.unknown(item, CRITERION_KEYS, f"{key}.")
        guidance_raw = item.get("guidance") or {}
        guidance: dict[str, dict[str, str]] = {}
        if not isinstance(guidance_raw, dict):
            check.error(f"{key}.guidance", "'guidance' must map level ids to texts")
            guidance_raw = {}
        for level_id, value in guidance_raw.items():
            if level_id not in level_ids:
                check.error(f"{key}.guidance.{level_id}",
                            f"unknown level {level_id!r}; levels: {', '.join(sorted(level_ids))}")
            guidance[str(level_id)] = check.texts(value, f"{key}.guidance.{level_id}")
        out.append(Criterion(
            id=check.ident(item.get("id"), f"{key}.id"),
            name=check.texts(item.get("name"), f"{key}.name"),
            weight=check.number(item.get("weight"), f"{key}.weight", positive=True),
            description=check.texts(item.get("description"), f"{key}.description"),
            guidance=guidance,
        ))
    _unique(check, [c.id for c in out], where)
    if total is not None:
        declared = check.number(total, f"{where} weight_total")
        actual = sum(c.weight for c in out)
        if not np.isclose(actual, declared, rtol=0, atol=1e-9):
            check.error(f"{where}", f"criterion weights sum to {actual:g}, but weight_total "
                                    f"declares {declared:g}")
    return tuple(out)


def _stages(check: _Check, data: dict[str, Any], levels: tuple[Level, ...],
            scale: tuple[float, float]) -> tuple[tuple[Stage, ...], str]:
    has_criteria, has_stages = "criteria" in data, "stages" in data
    if has_criteria == has_stages:
        check.error("criteria", "declare either 'criteria' (one stage) or 'stages', not both "
                                "and not neither")
        return (), ""
    if has_criteria:
        criteria = _criteria(check, data["criteria"], "criteria", levels, data.get("weight_total"))
        name = {"id": "Penilaian", "en": "Assessment"}
        return (Stage(SINGLE_STAGE, name, 1.0, criteria),), SINGLE_STAGE
    raw = data["stages"]
    if not isinstance(raw, list) or not raw:
        check.error("stages", "'stages' must be a non-empty list")
        return (), ""
    stages: list[Stage] = []
    for i, item in enumerate(raw):
        key = f"stages[{i}]"
        if not isinstance(item, dict):
            check.error(key, f"'{key}' must be a mapping")
            continue
        check.unknown(item, STAGE_KEYS, f"{key}.")
        stages.append(Stage(
            id=check.ident(item.get("id"), f"{key}.id"),
            name=check.texts(item.get("name"), f"{key}.name"),
            weight=check.number(item.get("weight"), f"{key}.weight", positive=True),
            criteria=_criteria(check, item.get("criteria"), f"{key}.criteria", levels,
                               item.get("weight_total")),
            shortlist=_shortlist(check, item.get("shortlist"), f"{key}.shortlist",
                                 last=i == len(raw) - 1, scale=scale),
        ))
    _unique(check, [s.id for s in stages], "stages")
    default = data.get("default_stage", stages[0].id if len(stages) == 1 else "")
    if default and default not in {s.id for s in stages}:
        check.error("default_stage", f"default_stage {default!r} is not a stage id")
    return tuple(stages), str(default or "")


def _shortlist(check: _Check, raw: Any, key: str, last: bool,
               scale: tuple[float, float]) -> Shortlist | None:
    if raw is None:
        return None
    if last:
        check.error(key, f"'{key}': the last stage has no next stage to shortlist for")
        return None
    if not isinstance(raw, dict) or not raw:
        check.error(key, f"'{key}' must be a mapping with 'top' (a count) and/or 'min_score'")
        return None
    check.unknown(raw, SHORTLIST_KEYS, f"{key}.")
    top = raw.get("top")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        check.error(f"{key}.top", f"'{key}.top' must be a whole number of at least 1, "
                                  f"got {top!r}")
        top = None
    low = raw.get("min_score")
    if low is not None:
        low = check.number(low, f"{key}.min_score")
        lo, hi = scale
        if not lo <= low <= hi:
            check.error(f"{key}.min_score", f"'{key}.min_score' ({low:g}) lies outside the "
                                            f"scale {lo:g}-{hi:g}")
    if top is None and low is None:
        return None
    return Shortlist(top=top, min_score=low)


def _documents(check: _Check, raw: Any) -> tuple[Document, ...]:
    if not isinstance(raw, list):
        check.error("documents", "'documents' must be a list of {id, name, indicators}")
        return ()
    out: list[Document] = []
    for i, item in enumerate(raw):
        key = f"documents[{i}]"
        if not isinstance(item, dict):
            check.error(key, f"'{key}' must be a mapping with id, name and indicators")
            continue
        check.unknown(item, DOCUMENT_KEYS, f"{key}.")
        indicators = item.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            check.error(f"{key}.indicators", f"'{key}.indicators' must be a non-empty list of "
                                             "IID indicator numbers (e.g. [35] for the video)")
            indicators = []
        out.append(Document(check.ident(item.get("id"), f"{key}.id"),
                            check.texts(item.get("name"), f"{key}.name"),
                            tuple(str(x).strip() for x in indicators)))
    _unique(check, [d.id for d in out], "documents")
    return tuple(out)


def _tie_break(check: _Check, raw: Any, stages: tuple[Stage, ...]) -> tuple[TieKey, ...]:
    if not isinstance(raw, list):
        check.error("tie_break", "'tie_break' must be a list")
        return ()
    keys: list[TieKey] = []
    single = len(stages) == 1
    for i, item in enumerate(raw):
        key = f"tie_break[{i}]"
        name = str(item)
        stage_part, _, crit_part = name.partition(".")
        if single and not crit_part:
            stage_part, crit_part = stages[0].id, name
        found = next((s for s in stages if s.id == stage_part), None)
        if found is None or (crit_part and crit_part not in found.criterion_ids):
            hint = "a criterion id" if single else "'<stage>' or '<stage>.<criterion>'"
            check.error(key, f"unknown tie-break {name!r}; expected {hint}")
            continue
        keys.append(TieKey(stage_part, crit_part))
    if len(set(keys)) != len(keys):
        check.error("tie_break", "tie_break lists the same key twice")
    return tuple(keys)


def _unique(check: _Check, ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            check.error(where, f"duplicate id {value!r} in '{where}'")
        seen.add(value)


def load_rubric(path: str | Path) -> JuryRubric:
    """Load and validate a rubric file; its SHA-256 goes in the manifest and the sheets."""
    file = Path(path)
    if not file.is_file():
        raise InputError([Issue("error", "rubric file not found", file=str(file), code="rubric")])
    data = file.read_bytes()
    try:
        parsed = parse_yaml(data.decode("utf-8"), file)
    except UnicodeDecodeError as exc:
        raise InputError([Issue("error", f"not valid YAML: {exc}", file=str(file),
                                code="rubric")]) from exc
    rubric = parse_rubric(parsed, str(file))
    return replace(rubric, sha256=hashlib.sha256(data).hexdigest(), path=str(file))
