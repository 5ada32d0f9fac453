"""The IID rubric: ``iid-<year>.yaml`` loaded, validated and flattened.

The rubrics evalkit knows ship inside the package (``evalkit/iid/rubrics/``), so an installed
evalkit scores a year without a checkout; a params file may name another rubric
(``iid.rubric``) or put one in ``rubrics/`` beside itself.

A rubric is data (weights, level texts, aggregation rules, predicate bands, each with its
source and confidence), so a new year's rules are a new file, not new code. Loading checks
that the file adds up (weights sum to the declared maxima, points = weight × level, bands
contiguous) and names the file and key of every problem, all at once.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.issues import InputError, Issue, as_written
from evalkit.keycheck import KeyChecker
from evalkit.yamlio import parse_yaml

ASPECTS = ("SPD", "SID")
LEVELS = (1, 2, 3)
CONFIDENCE = ("high", "medium", "low")
SOURCE_TAGS = ("OFF", "NEWS", "REPO", "INF")
TOLERANCE = 1e-9
INDICATOR_ID = re.compile(r"^(\d{1,2})([a-z]?)$")

TOP_KEYS = {"id", "year", "version", "title", "status", "sources", "assumptions",
            "weight_variants", "aggregation", "aspects"}
ROW_KEYS = {"id", "name", "weight", "mandatory", "actionable", "levels", "evidence", "source",
            "confidence", "assumption", "note"}
PARENT_KEYS = {"id", "name", "rows", "note"}
INDICATOR_COLUMNS = ["indicator", "aspect", "variable", "variable_name", "variable_name_en",
                     "parent", "parent_name", "name", "name_en", "weight", "max_points",
                     "mandatory", "actionable", "level_1", "level_2", "level_3", "evidence",
                     "source", "confidence", "assumption", "order"]


@dataclass(frozen=True)
class Band:
    """One predicate band, closed on both ends at the rubric's rounding precision."""

    key: str
    label: str
    label_en: str
    min: float
    max: float


@dataclass(frozen=True)
class BasicServices:
    """The basic-service (yandas) condition on the innovation-count score."""

    min_covered: int | None
    affairs: tuple[tuple[str, str, tuple[str, ...]], ...]  # (key, name, aliases)

    def lookup(self) -> dict[str, str]:
        """Normalised spelling -> affair key, for matching the innovations' ``affair``."""
        return {normalise_affair(spelling): key
                for key, name, aliases in self.affairs for spelling in (name, *aliases)}


@dataclass(frozen=True)
class CountRule:
    """Score for the number of innovations: min(n, cap) × per_innovation, at most ``max``."""

    per_innovation: float
    cap: int
    max: float
    basic_services: BasicServices


@dataclass(frozen=True, eq=False)
class Rubric:
    """A validated rubric. ``indicators`` has one row per scored row (SPD and SID)."""

    id: str
    year: int
    version: str
    title: str
    path: Path
    sha256: str
    indicators: pd.DataFrame
    floor: int
    count: CountRule
    max_total: float
    aspect_max: dict[str, float]
    bands: tuple[Band, ...]
    digits: int
    variant: str
    assumptions: dict[str, str] = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def spd(self) -> pd.DataFrame:
        return self.indicators[self.indicators["aspect"] == "SPD"].reset_index(drop=True)

    @property
    def sid(self) -> pd.DataFrame:
        return self.indicators[self.indicators["aspect"] == "SID"].reset_index(drop=True)

    def band(self, key: str) -> Band:
        for band in self.bands:
            if band.key == key:
                return band
        raise KeyError(f"no predicate {key!r} in rubric {self.id}")

    def find_band(self, name: str) -> Band:
        """A band by key or by label in either language (case-insensitive)."""
        wanted = name.strip().lower().replace(" ", "_")
        for band in self.bands:
            names = (band.key, band.label.lower().replace(" ", "_"),
                     band.label_en.lower().replace(" ", "_"))
            if wanted in names:
                return band
        known = ", ".join(b.label for b in self.bands)
        raise ValueError(f"unknown predicate {name!r}; known: {known}")


def normalise_affair(text: str) -> str:
    """'Pekerjaan Umum & Penataan Ruang' -> 'pekerjaan umum dan penataan ruang'."""
    text = str(text).lower().replace("&", " dan ")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def indicator_sort_key(indicator: str) -> tuple[int, str]:
    """'2a' sorts after '2' and before '3'; '10' after '9'."""
    match = INDICATOR_ID.match(indicator)
    return (int(match.group(1)), match.group(2)) if match else (10**6, indicator)


class _Checker(KeyChecker):
    """Collects every problem in a rubric file as an Issue naming the key."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.path = path
        self.sources: set[str] = set()
        self.assumptions: set[str] = set()

    def mapping(self, value: Any, key: str, allowed: set[str] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.error(key, f"'{key}' must be a mapping, got {type(value).__name__}")
            return {}
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    self.error(f"{key}.{name}" if key else str(name),
                               f"unknown key '{name}' in '{key or '(top level)'}'; allowed: "
                               f"{', '.join(sorted(allowed))}")
        for name in required:
            if name not in value:
                self.error(f"{key}.{name}" if key else name, f"required key '{name}' is missing")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"'{key}' must be non-empty text, got {as_written(value)}")
            return ""
        return " ".join(value.split())

    def names(self, value: Any, key: str) -> tuple[str, str]:
        """A ``{id: ..., en: ...}`` name (a plain string is taken for both languages)."""
        if isinstance(value, str):
            return self.text(value, key), self.text(value, key)
        data = self.mapping(value, key, {"id", "en"}, ("id", "en"))
        return self.text(data.get("id"), f"{key}.id"), self.text(data.get("en"), f"{key}.en")

    def provenance(self, data: dict[str, Any], key: str) -> tuple[str, str, str]:
        """Check ``source`` (known keys), ``confidence`` and optional ``assumption``."""
        sources = data.get("source")
        if not isinstance(sources, list) or not sources:
            self.error(f"{key}.source", f"'{key}.source' must be a non-empty list of source keys")
            sources = []
        for name in sources:
            if name not in self.sources:
                self.error(f"{key}.source", f"unknown source '{name}' in '{key}.source'; "
                                            "declare it under 'sources'")
        confidence = data.get("confidence")
        if confidence not in CONFIDENCE:
            self.error(f"{key}.confidence", f"'{key}.confidence' must be one of "
                                            f"{', '.join(CONFIDENCE)}, "
                                            f"got {as_written(confidence)}")
        assumption = data.get("assumption")
        if assumption is not None and assumption not in self.assumptions:
            self.error(f"{key}.assumption", f"unknown assumption '{assumption}' in "
                                            f"'{key}.assumption'; declare it under 'assumptions'")
        return "; ".join(str(s) for s in sources), str(confidence), str(assumption or "")


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise InputError([Issue("error", "rubric file not found", file=str(path),
                                code="rubric")])
    try:
        return parse_yaml(path.read_text(encoding="utf-8"), path)
    except UnicodeDecodeError as exc:
        raise InputError([Issue("error", f"not valid YAML: {exc}", file=str(path),
                                code="rubric")]) from exc


def load_rubric(path: str | Path, variant: str | None = None) -> Rubric:
    """Load and validate a rubric; ``variant`` picks another declared SPD weight variant.

    Raises :class:`InputError` listing every problem with the file and key.
    """
    path = Path(path).resolve()
    raw = _read_yaml(path)
    check = _Checker(path)
    data = check.mapping(raw if raw is not None else {}, "", TOP_KEYS,
                         ("id", "year", "title", "sources", "aggregation", "aspects"))
    _check_sources(check, data)
    rows = _indicator_rows(check, data.get("aspects"))
    aspect_max = _aspect_maxima(check, data.get("aspects"))
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    chosen = _apply_variant(check, data.get("weight_variants"), frame, variant)
    _check_sums(check, frame, aspect_max)
    agg = check.mapping(data.get("aggregation"), "aggregation", {
        "max_total", "sid_divisor_floor", "innovation_count", "predicate"},
        ("max_total", "sid_divisor_floor", "innovation_count", "predicate"))
    max_total = _valued_rule(check, agg.get("max_total"), "aggregation.max_total")
    floor_value = _valued_rule(check, agg.get("sid_divisor_floor"),
                               "aggregation.sid_divisor_floor")
    if not math.isnan(floor_value) and (floor_value < 1 or not float(floor_value).is_integer()):
        check.error("aggregation.sid_divisor_floor.value",
                    f"the SID divisor floor must be a whole number ≥ 1, got {floor_value}")
    count = _count_rule(check, agg.get("innovation_count"))
    bands, digits = _bands(check, agg.get("predicate"))
    if not any(math.isnan(v) for v in (max_total, count.max, *aspect_max.values())):
        expected = sum(aspect_max.values()) + count.max
        if abs(expected - max_total) > TOLERANCE:
            check.error("aggregation.max_total.value",
                        f"max_total {max_total:g} differs from SPD + SID + innovation count "
                        f"maxima ({expected:g})")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        check.error("year", f"'year' must be a whole number, got {as_written(year)}")
    rubric_id = check.text(data.get("id"), "id")
    title, _ = check.names(data.get("title"), "title") if "title" in data else ("", "")
    if check.issues:
        raise InputError(check.issues)
    frame = frame.sort_values("indicator", key=lambda s: s.map(indicator_sort_key),
                              kind="stable").reset_index(drop=True)
    frame["order"] = range(len(frame))
    return Rubric(
        id=rubric_id, year=int(year), version=str(data.get("version", "")), title=title,
        path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest(), indicators=frame,
        floor=int(floor_value), count=count, max_total=max_total, aspect_max=aspect_max,
        bands=bands, digits=digits, variant=chosen,
        assumptions={a["id"]: " ".join(str(a.get("text", "")).split())
                     for a in data.get("assumptions") or [] if isinstance(a, dict)},
        sources={k: {kk: " ".join(str(vv).split()) for kk, vv in v.items()}
                 for k, v in (data.get("sources") or {}).items() if isinstance(v, dict)})


def _check_sources(check: _Checker, data: dict[str, Any]) -> None:
    sources = check.mapping(data.get("sources", {}), "sources")
    for name, entry in sources.items():
        key = f"sources.{name}"
        item = check.mapping(entry, key, {"tag", "ref", "note"}, ("tag", "ref"))
        if item.get("tag") not in SOURCE_TAGS:
            hint = " (quote it: YAML reads a bare OFF as false)" if isinstance(
                item.get("tag"), bool) else ""
            check.error(f"{key}.tag", f"'{key}.tag' must be one of {', '.join(SOURCE_TAGS)}, "
                                      f"got {as_written(item.get('tag'))}{hint}")
        check.text(item.get("ref"), f"{key}.ref")
        check.sources.add(str(name))
    assumptions = data.get("assumptions") or []
    if not isinstance(assumptions, list):
        check.error("assumptions", "'assumptions' must be a list of {id, text}")
        return
    for i, entry in enumerate(assumptions):
        item = check.mapping(entry, f"assumptions[{i}]", {"id", "text"}, ("id", "text"))
        check.text(item.get("text"), f"assumptions[{i}].text")
        if item.get("id") in check.assumptions:
            check.error(f"assumptions[{i}].id", f"assumption '{item.get('id')}' is declared twice")
        check.assumptions.add(str(item.get("id")))


def _aspect_maxima(check: _Checker, aspects: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for i, aspect in enumerate(aspects if isinstance(aspects, list) else []):
        if isinstance(aspect, dict) and aspect.get("code") in ASPECTS:
            out[aspect["code"]] = check.number(aspect.get("max"), f"aspects[{i}].max",
                                               positive=True)
    return out


def _indicator_rows(check: _Checker, aspects: Any) -> list[dict[str, Any]]:
    if not isinstance(aspects, list):
        check.error("aspects", "'aspects' must be a list (SPD and SID)")
        return []
    rows: list[dict[str, Any]] = []
    codes = []
    for a, aspect in enumerate(aspects):
        akey = f"aspects[{a}]"
        item = check.mapping(aspect, akey, {"code", "name", "max", "per_innovation", "variables"},
                             ("code", "name", "max", "variables"))
        code = item.get("code")
        if code not in ASPECTS:
            check.error(f"{akey}.code", f"aspect code must be one of {', '.join(ASPECTS)}, "
                                        f"got {as_written(code)}")
            continue
        codes.append(code)
        if code == "SID" and item.get("per_innovation") is not True:
            check.error(f"{akey}.per_innovation", "the SID aspect is scored per innovation: "
                                                  "set 'per_innovation: true'")
        variables = item.get("variables")
        if not isinstance(variables, list) or not variables:
            check.error(f"{akey}.variables", f"'{akey}.variables' must be a non-empty list")
            continue
        for v, variable in enumerate(variables):
            vkey = f"{akey}.variables[{v}]"
            var = check.mapping(variable, vkey, {"code", "name", "indicators"},
                                ("code", "name", "indicators"))
            var_name, var_name_en = check.names(var.get("name"), f"{vkey}.name")
            indicators = var.get("indicators")
            if not isinstance(indicators, list) or not indicators:
                check.error(f"{vkey}.indicators", f"'{vkey}.indicators' must be a non-empty list")
                continue
            for n, indicator in enumerate(indicators):
                ikey = f"{vkey}.indicators[{n}]"
                context = {"aspect": code, "variable": str(var.get("code", "")),
                           "variable_name": var_name, "variable_name_en": var_name_en}
                rows += _indicator(check, indicator, ikey, context)
    for code in ASPECTS:
        if codes.count(code) != 1:
            check.error("aspects", f"aspect {code} must appear exactly once "
                                   f"(found {codes.count(code)})")
    seen: set[str] = set()
    for row in rows:
        if row["indicator"] in seen:
            check.error(row["_key"] + ".id", f"indicator id '{row['indicator']}' is used twice")
        seen.add(row["indicator"])
    for row in rows:
        row.pop("_key")
    return rows


def _indicator(check: _Checker, indicator: Any, key: str,
               context: dict[str, str]) -> list[dict[str, Any]]:
    if isinstance(indicator, dict) and "rows" in indicator:
        parent = check.mapping(indicator, key, PARENT_KEYS, ("id", "name", "rows"))
        parent_id = str(parent.get("id", ""))
        parent_name, _ = check.names(parent.get("name"), f"{key}.name")
        subrows = parent.get("rows")
        if not isinstance(subrows, list) or len(subrows) < 2:
            check.error(f"{key}.rows", f"'{key}.rows' must list at least two sub-rows")
            return []
        out = []
        for r, sub in enumerate(subrows):
            row = _scored_row(check, sub, f"{key}.rows[{r}]", context)
            if row is None:
                continue
            match = INDICATOR_ID.match(row["indicator"])
            if match is None or match.group(1) != parent_id or not match.group(2):
                check.error(f"{key}.rows[{r}].id", f"sub-row id '{row['indicator']}' must be "
                                                   f"'{parent_id}' followed by a letter")
            row["parent"], row["parent_name"] = parent_id, parent_name
            out.append(row)
        return out
    row = _scored_row(check, indicator, key, context)
    return [] if row is None else [row]


def _scored_row(check: _Checker, value: Any, key: str,
                context: dict[str, str]) -> dict[str, Any] | None:
    item = check.mapping(value, key, ROW_KEYS, ("id", "name", "weight", "levels", "evidence",
                                                "source", "confidence"))
    if not item:
        return None
    row_id = str(item.get("id", ""))
    if INDICATOR_ID.match(row_id) is None:
        check.error(f"{key}.id", f"indicator id must be a number with an optional letter "
                                 f"(e.g. '2a'), got {as_written(item.get('id'))}")
    name, name_en = check.names(item.get("name"), f"{key}.name")
    weight = check.number(item.get("weight"), f"{key}.weight", positive=True)
    for flag in ("mandatory", "actionable"):
        if flag in item and not isinstance(item[flag], bool):
            check.error(f"{key}.{flag}", f"'{key}.{flag}' must be true or false")
    texts = _levels(check, item.get("levels"), f"{key}.levels", weight)
    source, confidence, assumption = check.provenance(item, key)
    return {"_key": key, "indicator": row_id, **context, "parent": row_id, "parent_name": name,
            "name": name, "name_en": name_en, "weight": weight, "max_points": weight * LEVELS[-1],
            "mandatory": bool(item.get("mandatory", False)),
            "actionable": bool(item.get("actionable", True)),
            "level_1": texts[0], "level_2": texts[1], "level_3": texts[2],
            "evidence": check.text(item.get("evidence"), f"{key}.evidence"),
            "source": source, "confidence": confidence, "assumption": assumption, "order": 0}


def _levels(check: _Checker, value: Any, key: str, weight: float) -> list[str]:
    """Levels 1..3 in order, each with text and points = weight × level (0 is implied)."""
    texts = ["", "", ""]
    if not isinstance(value, list):
        check.error(key, f"'{key}' must list levels 1, 2 and 3")
        return texts
    found = []
    for i, entry in enumerate(value):
        lkey = f"{key}[{i}]"
        item = check.mapping(entry, lkey, {"level", "points", "text"}, ("level", "points", "text"))
        level = item.get("level")
        if level == 0:
            continue  # level 0 may be described; it always scores 0
        if level not in LEVELS or isinstance(level, bool):
            check.error(f"{lkey}.level", f"level must be 0, 1, 2 or 3, got {as_written(level)}")
            continue
        found.append(level)
        points = check.number(item.get("points"), f"{lkey}.points")
        if not math.isnan(weight) and not math.isnan(points) and abs(
                points - weight * level) > TOLERANCE:
            check.error(f"{lkey}.points", f"points {points:g} ≠ weight {weight:g} × level "
                                          f"{level} = {weight * level:g}")
        texts[level - 1] = check.text(item.get("text"), f"{lkey}.text")
    if found != list(LEVELS):
        check.error(key, f"'{key}' must hold levels 1, 2, 3 in ascending order, got {found}")
    return texts


def _apply_variant(check: _Checker, variants: Any, frame: pd.DataFrame,
                   variant: str | None) -> str:
    """Validate the declared SPD weight variants; switch weights when another is asked for."""
    if variants is None:
        if variant:
            check.error("weight_variants", f"weight variant '{variant}' asked for, but the "
                                           "rubric declares no 'weight_variants'")
        return ""
    data = check.mapping(variants, "weight_variants")
    encoded = str(data.get("encoded", ""))
    names = [k for k in data if k != "encoded"]
    if encoded not in names:
        check.error("weight_variants.encoded", f"'weight_variants.encoded' must name one of "
                                               f"the variants ({', '.join(names)})")
    spd_rows = set(frame.loc[frame["aspect"] == "SPD", "indicator"])
    for name in names:
        key = f"weight_variants.{name}"
        item = check.mapping(data[name], key, {"description", "source", "confidence", "weights"},
                             ("description", "source", "confidence"))
        check.provenance(item, key)
        weights = item.get("weights")
        if weights is None:
            if name != encoded:
                check.error(f"{key}.weights", f"variant '{name}' needs 'weights' (only the "
                                              "encoded variant may rely on the rows' weights)")
            continue
        table = check.mapping(weights, f"{key}.weights")
        given = {str(k) for k in table}
        if given != spd_rows:
            missing = sorted(spd_rows - given, key=indicator_sort_key)
            extra = sorted(given - spd_rows, key=indicator_sort_key)
            check.error(f"{key}.weights", f"variant '{name}' must weigh exactly the SPD rows; "
                                          f"missing {missing}, unknown {extra}")
        for k, w in table.items():
            check.number(w, f"{key}.weights.{k}", positive=True)
    chosen = variant or encoded
    if variant and variant != encoded:
        if variant not in names:
            check.error("weight_variants", f"unknown weight variant '{variant}'; declared: "
                                           f"{', '.join(names)}")
            return chosen
        table = {str(k): v for k, v in (data[variant].get("weights") or {}).items()}
        spd = frame["aspect"] == "SPD"
        frame.loc[spd, "weight"] = frame.loc[spd, "indicator"].map(table).astype("float64")
        frame.loc[spd, "max_points"] = frame.loc[spd, "weight"] * LEVELS[-1]
        frame.loc[spd, "source"] = "; ".join(data[variant].get("source") or [])
        frame.loc[spd, "confidence"] = str(data[variant].get("confidence"))
    return chosen


def _check_sums(check: _Checker, frame: pd.DataFrame, aspect_max: dict[str, float]) -> None:
    for code, declared in aspect_max.items():
        total = float(frame.loc[frame["aspect"] == code, "max_points"].sum())
        if not math.isnan(declared) and abs(total - declared) > TOLERANCE:
            check.error(f"aspects[{code}].max", f"{code} weights × 3 sum to {total:g}, but the "
                                                f"aspect declares max {declared:g}")


def _valued_rule(check: _Checker, value: Any, key: str) -> float:
    item = check.mapping(value, key, {"value", "source", "confidence", "assumption", "note"},
                         ("value", "source", "confidence"))
    check.provenance(item, key)
    return check.number(item.get("value"), f"{key}.value", positive=True)


def _count_rule(check: _Checker, value: Any) -> CountRule:
    key = "aggregation.innovation_count"
    item = check.mapping(value, key, {"per_innovation", "cap", "max", "basic_services", "source",
                                      "confidence", "assumption", "note"},
                         ("per_innovation", "cap", "max", "basic_services", "source",
                          "confidence"))
    check.provenance(item, key)
    per = check.number(item.get("per_innovation"), f"{key}.per_innovation", positive=True)
    cap = item.get("cap")
    if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
        check.error(f"{key}.cap", f"'{key}.cap' must be a whole number ≥ 1, got {as_written(cap)}")
        cap = 1
    top = check.number(item.get("max"), f"{key}.max", positive=True)
    if not math.isnan(per) and not math.isnan(top) and abs(per * cap - top) > 1e-6:
        check.error(f"{key}.max", f"max {top:g} ≠ cap {cap} × per_innovation {per:g}")
    return CountRule(per, cap, top, _basic_services(check, item.get("basic_services")))


def _basic_services(check: _Checker, value: Any) -> BasicServices:
    key = "aggregation.innovation_count.basic_services"
    item = check.mapping(value, key, {"min_covered", "affairs", "source", "confidence",
                                      "assumption", "note"},
                         ("min_covered", "affairs", "source", "confidence"))
    check.provenance(item, key)
    affairs: list[tuple[str, str, tuple[str, ...]]] = []
    owner: dict[str, str] = {}
    entries = item.get("affairs")
    if not isinstance(entries, list) or not entries:
        check.error(f"{key}.affairs", f"'{key}.affairs' must be a non-empty list")
        entries = []
    for i, entry in enumerate(entries):
        akey = f"{key}.affairs[{i}]"
        affair = check.mapping(entry, akey, {"key", "name", "aliases"}, ("key", "name"))
        code = check.text(affair.get("key"), f"{akey}.key")
        name = check.text(affair.get("name"), f"{akey}.name")
        aliases = affair.get("aliases") or []
        if not isinstance(aliases, list):
            check.error(f"{akey}.aliases", f"'{akey}.aliases' must be a list")
            aliases = []
        for spelling in (name, *aliases):
            norm = normalise_affair(spelling)
            if owner.get(norm, code) != code:
                check.error(f"{akey}.aliases", f"'{spelling}' also names affair '{owner[norm]}'")
            owner[norm] = code
        affairs.append((code, name, tuple(str(a) for a in aliases)))
    required = item.get("min_covered")
    if required is not None and (isinstance(required, bool) or not isinstance(required, int)
                                 or not 1 <= required <= len(affairs)):
        check.error(f"{key}.min_covered", f"'{key}.min_covered' must be empty (no condition) "
                                          f"or a whole number 1..{len(affairs)}, "
                                          f"got {as_written(required)}")
        required = None
    return BasicServices(required, tuple(affairs))


def _bands(check: _Checker, value: Any) -> tuple[tuple[Band, ...], int]:
    key = "aggregation.predicate"
    item = check.mapping(value, key, {"bands", "rounding", "source", "confidence", "assumption",
                                      "note"}, ("bands", "rounding", "source", "confidence"))
    check.provenance(item, key)
    rounding = check.mapping(item.get("rounding"), f"{key}.rounding",
                             {"digits", "method", "source", "confidence", "assumption", "note"},
                             ("digits", "method", "source", "confidence"))
    check.provenance(rounding, f"{key}.rounding")
    digits = rounding.get("digits", 2)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 4:
        check.error(f"{key}.rounding.digits",
                    f"digits must be a whole number 0..4, got {as_written(digits)}")
        digits = 2
    if rounding.get("method") != "half_up":
        check.error(f"{key}.rounding.method", "only 'half_up' rounding is supported")
    bands: list[Band] = []
    entries = item.get("bands")
    if not isinstance(entries, list) or len(entries) < 2:
        check.error(f"{key}.bands", f"'{key}.bands' must list at least two bands")
        return (), digits
    for i, entry in enumerate(entries):
        bkey = f"{key}.bands[{i}]"
        band = check.mapping(entry, bkey, {"key", "label", "min", "max"},
                             ("key", "label", "min", "max"))
        label, label_en = check.names(band.get("label"), f"{bkey}.label")
        low = check.number(band.get("min"), f"{bkey}.min")
        high = check.number(band.get("max"), f"{bkey}.max")
        if low > high:
            check.error(bkey, f"band '{band.get('key')}' has min {low:g} > max {high:g}")
        bands.append(Band(check.text(band.get("key"), f"{bkey}.key"), label, label_en, low, high))
    step = 10.0 ** -digits
    if bands and bands[0].min != 0:
        check.error(f"{key}.bands[0].min", "the lowest band must start at 0")
    if bands and bands[-1].max != 100:
        check.error(f"{key}.bands[{len(bands) - 1}].max", "the highest band must end at 100")
    for i in range(1, len(bands)):
        prev, band = bands[i - 1], bands[i]
        if abs(band.min - round(prev.max + step, digits)) > TOLERANCE:
            check.error(f"{key}.bands[{i}].min",
                        f"bands must be ordered and contiguous: '{band.key}' starts at "
                        f"{band.min:g}, expected {round(prev.max + step, digits):g} (after "
                        f"'{prev.key}' ends at {prev.max:g})")
    if len({b.key for b in bands}) != len(bands):
        check.error(f"{key}.bands", "band keys must be unique")
    return tuple(bands), digits


BUNDLED_RUBRICS = Path(__file__).resolve().parent / "rubrics"


def default_rubric_path(params_file: Path | None, year: int) -> Path:
    """``rubrics/iid-<year>.yaml`` beside the params file, else the copy shipped with
    evalkit (package data)."""
    name = f"iid-{year}.yaml"
    if params_file is not None and (params_file.parent / "rubrics" / name).is_file():
        return params_file.parent / "rubrics" / name
    return BUNDLED_RUBRICS / name


def rubric_for(params: Any) -> Rubric:
    """The rubric a run uses: ``iid.rubric`` if set, else the year's file (see above)."""
    settings = params.iid
    path = settings.rubric or default_rubric_path(params.source, params.year)
    return load_rubric(path, getattr(settings, "spd_variant", "") or None)
