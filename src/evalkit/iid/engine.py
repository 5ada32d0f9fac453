"""IID scoring: region indicators, innovations and evidence -> tidy score tables.

The formula (shared/domain/iid.md §6), with every constant taken from the rubric::

    SPD   = Σ weight × level over the region rows (1..15, with sub-rows)
    m_j   = Σ weight × level over indicators 16..35 of innovation j   (maturity, 0..111)
    D     = max(floor, n)                     n = innovations neither draft nor rejected
    JI    = min(n, cap) × per_innovation      (0 if the basic-service rule fails)
    SID   = Σ m_j / D + JI
    IID   = (SPD + SID) / max_total × 100     kept unrounded; the predicate uses it rounded

Missing is never zero. An innovation's maturity comes from its evidence rows when it has
any, else from the maturity the IID application reports (``maturity_reported``, the export's
*Kematangan*), else it is unknown (NaN). The region part comes from the SPD indicator rows,
else from a total given in the params (``spd_total``), else it is missing. The index is then
computed with what is known and marked as a lower bound (``lower_bound``, with the reasons in
``bound_reasons``); when no counted innovation has a known maturity it is not computable.

Everything is vectorised over regions (an optional ``region_id`` column), so the same code
scores one kabupaten or the whole country.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evalkit.iid.rubric import Rubric, normalise_affair
from evalkit.inputs.locate import Where
from evalkit.issues import InputError, Issue

Mode = Literal["verified", "claimed"]
MODES: tuple[str, ...] = ("verified", "claimed")
REGION = "region_id"
REJECTED = "rejected"
DRAFT = "draft"
NOT_COUNTED = (REJECTED, DRAFT)

# Where an innovation's maturity comes from, and the region (SPD) part.
FROM_EVIDENCE, FROM_REPORTED, UNKNOWN = "evidence", "reported", "unknown"
SPD_INDICATORS, SPD_TOTAL, SPD_MISSING = "indicators", "total", "missing"
# Why an index is only a lower bound.
BOUND_SPD_MISSING = "spd_missing"
BOUND_SPD_PARTIAL = "spd_partial"
BOUND_MATURITY_UNKNOWN = "maturity_unknown"
BOUND_AFFAIRS_MISSING = "affairs_missing"

# Per innovation × indicator: how the claim stands after verification (independent of mode).
STATUS_MISSING = "missing"          # nothing claimed and nothing verified
STATUS_UNVERIFIED = "unverified"    # a level is claimed, none verified yet
STATUS_VERIFIED = "verified"        # verified as claimed
STATUS_LOWERED = "lowered"          # verified below the claim
STATUS_RAISED = "raised"            # verified above the claim
STATUS_REJECTED = "innovation_rejected"  # the whole innovation was rejected (claims table)
STATUSES = (STATUS_MISSING, STATUS_UNVERIFIED, STATUS_VERIFIED, STATUS_LOWERED, STATUS_RAISED)


@dataclass(frozen=True, eq=False)
class IIDResult:
    """Score tables of one run. Single-region results carry no ``region_id`` column."""

    rubric: Rubric
    mode: str
    summary: pd.DataFrame        # one row per region
    region_points: pd.DataFrame  # region × SPD row
    points: pd.DataFrame         # counted innovation × SID indicator
    innovations: pd.DataFrame    # one row per submitted innovation
    claims: pd.DataFrame         # unverified / lowered claims and rejected innovations

    @property
    def multi_region(self) -> bool:
        return REGION in self.summary.columns


def round_half_up(values: Any, digits: int = 2) -> Any:
    """Round half away from zero for non-negative scores (52.015 -> 52.02), vectorised.

    Binary floats make ``round(60.005, 2)`` give 60.0; the product is first cleaned to 6
    decimals so sums that should end in 5 round up as a person would.
    """
    scale = 10.0 ** digits
    scaled = np.round(np.asarray(values, dtype="float64") * scale, 6)
    out = np.floor(scaled + 0.5) / scale
    return float(out) if np.ndim(out) == 0 else out


def classify(rubric: Rubric, index: Any) -> Any:
    """Predicate band keys for (unrounded) index values: rounded half-up, then banded."""
    rounded = np.atleast_1d(round_half_up(index, rubric.digits))
    mins = np.array([b.min for b in rubric.bands])
    pos = np.clip(np.searchsorted(mins, rounded + 1e-9, side="right") - 1, 0, len(mins) - 1)
    keys = np.array([b.key for b in rubric.bands], dtype=object)[pos]
    return str(keys[0]) if np.ndim(index) == 0 else keys


def predicate_labels(rubric: Rubric, keys: Any, lang: str = "id") -> Any:
    labels = {b.key: (b.label if lang == "id" else b.label_en) for b in rubric.bands}
    if isinstance(keys, str):
        return labels[keys]
    return [labels[k] for k in keys]


def innovation_count_score(rubric: Rubric, n: Any, covered: Any) -> np.ndarray:
    """min(n, cap) × per_innovation, capped at max; 0 where the basic-service rule fails."""
    rule = rubric.count
    n = np.asarray(n, dtype="float64")
    score = np.minimum(np.minimum(n, rule.cap) * rule.per_innovation, rule.max)
    required = rule.basic_services.min_covered
    if required is not None:
        score = np.where(np.asarray(covered) >= required, score, 0.0)
    return score


def aggregate(rubric: Rubric, spd: pd.Series, innovations: pd.DataFrame,
              spd_known: pd.Series | None = None) -> pd.DataFrame:
    """Region totals from the SPD score per region and the innovation table.

    ``innovations`` needs ``region_id``, ``counted`` (bool), ``maturity`` (NaN = unknown) and
    ``basic_service`` (the yandas key, or missing); ``affair_known`` (bool) when available.
    An unknown maturity adds nothing to the sum, which makes the result a lower bound;
    ``spd_known`` (per region) says whether the SPD value is complete. Used by :func:`score`
    and by the what-if functions, which change the innovation table and aggregate again.
    """
    regions = spd.index
    counted = innovations[innovations["counted"]]
    grouped = counted.groupby(REGION, sort=False)
    n = grouped.size().reindex(regions, fill_value=0).to_numpy(dtype="int64")
    total_maturity = grouped["maturity"].sum().reindex(regions, fill_value=0.0).to_numpy(
        dtype="float64")
    known = grouped["maturity"].count().reindex(regions, fill_value=0).to_numpy(dtype="int64")
    covered = grouped["basic_service"].nunique().reindex(regions, fill_value=0).to_numpy(
        dtype="int64")
    if "affair_known" in counted.columns:
        affairs = grouped["affair_known"].any().reindex(regions, fill_value=False).to_numpy(
            dtype=bool)
    else:
        affairs = n > 0
    submitted = innovations.groupby(REGION, sort=False).size().reindex(regions, fill_value=0)
    divisor = np.maximum(rubric.floor, n)
    count_score = innovation_count_score(rubric, n, covered)
    sid_indicators = total_maturity / divisor
    spd_values = spd.to_numpy(dtype="float64")
    sid = sid_indicators + count_score
    total = spd_values + sid
    iid = total / rubric.max_total * 100.0
    keys = classify(rubric, iid)
    required = rubric.count.basic_services.min_covered
    spd_ok = (np.ones(len(regions), dtype=bool) if spd_known is None
              else spd_known.reindex(regions, fill_value=False).to_numpy(dtype=bool))
    reasons = []
    for i in range(len(regions)):
        why = []
        if n[i] > 0 and not spd_ok[i]:
            why.append(BOUND_SPD_MISSING)
        if known[i] < n[i]:
            why.append(BOUND_MATURITY_UNKNOWN)
        if required is not None and n[i] > 0 and not affairs[i] and count_score[i] == 0:
            why.append(BOUND_AFFAIRS_MISSING)
        reasons.append(why)
    computable = ~((n > 0) & (known == 0))
    out = pd.DataFrame({
        REGION: regions.astype("str"),
        "year": rubric.year,
        "rubric": rubric.id,
        "n_submitted": submitted.to_numpy(dtype="int64"),
        "n_rejected": submitted.to_numpy(dtype="int64") - n,
        "n_counted": n,
        "n_maturity_known": known,
        "floor": rubric.floor,
        "divisor": divisor.astype("int64"),
        "spd": spd_values,
        "maturity_sum": total_maturity,
        "maturity_mean": np.divide(total_maturity, known, out=np.zeros(len(n)), where=known > 0),
        "sid_indicators": sid_indicators,
        "basic_services_covered": covered,
        "basic_services_required": pd.array([required] * len(n), dtype="Int64"),
        "innovation_count_score": count_score,
        "sid": sid,
        "total": total,
        "iid": iid,
        "iid_rounded": np.atleast_1d(round_half_up(iid, rubric.digits)),
        "predicate_key": keys,
        "predicate": predicate_labels(rubric, list(keys)),
        "computable": computable,
        "lower_bound": [bool(w) and bool(c) for w, c in zip(reasons, computable, strict=True)],
        "bound_reasons": [";".join(w) for w in reasons],
    })
    return out.reset_index(drop=True)


def score(rubric: Rubric, region_indicators: pd.DataFrame, innovations: pd.DataFrame,
          evidence: pd.DataFrame, mode: str = "verified",
          spd_total: float | None = None) -> IIDResult:
    """Score one region (or many, given a ``region_id`` column) under ``rubric``.

    ``mode="verified"`` scores only verified levels (an unverified claim scores 0 and is
    listed in ``claims``); ``mode="claimed"`` is the self-assessment before verification.
    Rejected innovations and drafts never count in n. An innovation without evidence rows
    takes its ``maturity_reported`` (the IID application's value) or is unknown; a region
    without SPD rows takes ``spd_total`` or is missing (see the module docstring).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    multi = REGION in innovations.columns or REGION in region_indicators.columns
    if multi and not (REGION in innovations.columns and REGION in region_indicators.columns):
        raise InputError([Issue("error", f"'{REGION}' must be in both innovations and "
                                         "region_indicators to score several regions",
                                column=REGION, code="iid-input")])
    _require(region_indicators, ("indicator", "level"), "region_indicators")
    _require(evidence, ("innovation_id", "indicator", "claimed_level"), "evidence")
    inno = _prepare_innovations(innovations, rubric)
    regions = _regions(inno, region_indicators, multi)
    region_points = _region_points(rubric, region_indicators, regions)
    grid = _innovation_grid(rubric, inno, evidence, mode)
    reported = region_points.groupby(REGION, sort=False)["reported"]
    rows_reported = reported.sum().reindex(regions, fill_value=0)
    spd = region_points.groupby(REGION, sort=False)["points"].sum().reindex(regions,
                                                                           fill_value=0.0)
    source = pd.Series(np.where(rows_reported > 0, SPD_INDICATORS, SPD_MISSING), index=regions)
    if spd_total is not None:
        _check_spd_total(rubric, spd_total)
        given = source == SPD_MISSING
        spd = spd.where(~given, float(spd_total))
        source = source.where(~given, SPD_TOTAL)
    complete = (source == SPD_TOTAL) | (rows_reported == reported.size().reindex(
        regions, fill_value=0))
    inno_table = _innovation_table(rubric, inno, grid, evidence)
    summary = aggregate(rubric, spd, inno_table, spd_known=(source != SPD_MISSING) & complete)
    summary.insert(3, "mode", mode)
    summary["spd_source"] = source.to_numpy(dtype=object)
    summary["spd_rows_reported"] = rows_reported.to_numpy(dtype="int64")
    partial = (source == SPD_INDICATORS).to_numpy() & ~complete.to_numpy()
    summary["bound_reasons"] = [
        r.replace(BOUND_SPD_MISSING, BOUND_SPD_PARTIAL) if p else r
        for r, p in zip(summary["bound_reasons"], partial, strict=True)]
    for name, value in ((FROM_EVIDENCE, FROM_EVIDENCE), (FROM_REPORTED, FROM_REPORTED),
                        (UNKNOWN, UNKNOWN)):
        counted = inno_table[inno_table["counted"] & (inno_table["maturity_source"] == value)]
        summary[f"n_maturity_{name}"] = counted.groupby(REGION, sort=False).size().reindex(
            regions, fill_value=0).to_numpy(dtype="int64")
    points = _points_table(grid, inno, _counted_rows(grid, inno, inno_table))
    claims = _claims(rubric, grid, inno, inno_table)
    tables = [summary, region_points, points, inno_table, claims]
    if not multi:
        tables = [t.drop(columns=[REGION]) for t in tables]
    return IIDResult(rubric, mode, *tables)


def _check_spd_total(rubric: Rubric, value: float) -> None:
    top = rubric.aspect_max["SPD"]
    if not 0 <= float(value) <= top:
        raise InputError([Issue("error", f"iid.spd_total must be between 0 and {top:g} (the "
                                         f"SPD maximum of rubric {rubric.id}), got {value:g}",
                                column="iid.spd_total", code="iid-input")])


def _require(frame: pd.DataFrame, columns: tuple[str, ...], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError([Issue("error", f"{table} needs column '{c}'", column=c,
                                code="iid-input") for c in missing])


def _prepare_innovations(innovations: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    _require(innovations, ("innovation_id",), "innovations")
    out = pd.DataFrame({"innovation_id": innovations["innovation_id"].astype("str")})
    out[REGION] = (innovations[REGION].astype("str") if REGION in innovations.columns
                   else "")
    for column in ("title", "unit_id", "affair", "affair_key"):
        out[column] = (innovations[column].astype("str") if column in innovations.columns
                       else pd.Series(pd.NA, index=innovations.index, dtype="str"))
    status = (innovations["verification_status"] if "verification_status" in innovations
              else pd.Series(pd.NA, index=innovations.index, dtype="str"))
    out["verification_status"] = status.astype("str").fillna("pending").str.strip().str.lower()
    out.loc[out["verification_status"] == "", "verification_status"] = "pending"
    reported = (pd.to_numeric(innovations["maturity_reported"], errors="coerce")
                if "maturity_reported" in innovations.columns
                else pd.Series(np.nan, index=innovations.index))
    out["maturity_reported"] = reported.astype("float64")
    top = rubric.aspect_max["SID"]
    bad = out[(out["maturity_reported"] < 0) | (out["maturity_reported"] > top + 1e-9)]
    if len(bad):
        raise InputError([Issue("error", f"innovation '{r.innovation_id}': reported maturity "
                                         f"{r.maturity_reported:g} is outside 0..{top:g} (the "
                                         f"SID maximum of rubric {rubric.id})",
                                column="maturity_reported", code="iid-input",
                                value=str(r.maturity_reported))
                          for r in bad.head(20).itertuples(index=False)])
    dup = out["innovation_id"].duplicated()
    if dup.any():
        raise InputError([Issue("error", f"innovation_id '{i}' appears more than once",
                                column="innovation_id", code="iid-input")
                          for i in out.loc[dup, "innovation_id"].unique()[:20]])
    return out.reset_index(drop=True)


def _regions(inno: pd.DataFrame, region_indicators: pd.DataFrame, multi: bool) -> pd.Index:
    if not multi:
        return pd.Index([""], dtype="str", name=REGION)
    values = list(pd.unique(inno[REGION]))
    if REGION in region_indicators.columns:
        seen = set(values)
        values += [r for r in pd.unique(region_indicators[REGION].astype("str"))
                   if r not in seen]
    return pd.Index(values, dtype="str", name=REGION)


def _levels(values: pd.Series, column: str, where: str) -> np.ndarray:
    """Levels as float (NaN = missing); anything outside 0..3 is an input error."""
    levels = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    bad = ~np.isnan(levels) & ((levels < 0) | (levels > 3) | (levels != np.round(levels)))
    if bad.any():
        raise InputError([Issue("error", f"{where}: level must be 0..3, got {v}",
                                column=column, code="iid-level")
                          for v in pd.unique(levels[bad])[:20]])
    return levels


def _positions(values: pd.Series, keys: pd.Index) -> np.ndarray:
    """Position of each value in ``keys`` (-1 where absent), hashed in Arrow: at national
    scale this is the difference between 0.05 s and a second."""
    def arrow(data: Any) -> pa.Array:
        return pa.array(pd.Series(data).astype("str").array).cast(pa.large_string())

    found = pc.index_in(arrow(values), value_set=arrow(keys))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")


def indicator_issues(rubric: Rubric, region_indicators: pd.DataFrame,
                     evidence: pd.DataFrame) -> list[Issue]:
    """Indicators in the year's tables that ``rubric`` does not score, located: what
    :func:`score` would refuse, found before anything runs (``evalkit validate``, ``run``)."""
    issues: list[Issue] = []
    for frame, scored, table in ((region_indicators, rubric.spd, "region (SPD)"),
                                 (evidence, rubric.sid, "innovation (SID)")):
        if len(frame) and "indicator" in frame.columns:
            try:
                _unknown_indicators(frame, pd.Index(scored["indicator"], dtype="str"), table,
                                    rubric, scored)
            except InputError as exc:
                issues += exc.issues
    return issues


def _unknown_indicators(frame: pd.DataFrame, known: pd.Index, table: str, rubric: Rubric,
                        scored: pd.DataFrame) -> None:
    """Indicators the rubric does not score, located in the data (file, sheet, row) when the
    table was read from a file; a heading row of the rubric (``2`` of ``2a``, ``2b``) says
    which rows to give instead."""
    found = frame["indicator"].astype("str")
    unknown = sorted(set(pd.unique(found)) - set(known))
    if not unknown:
        return
    rows_of = scored.groupby(scored["parent"].astype("str"))["indicator"].agg(list)
    where = Where(frame) if {"_source", "_sheet", "_row"} <= set(frame.columns) else None
    issues = []
    for u in unknown:
        message = f"indicator '{u}' is not a {table} row of rubric {rubric.id}"
        rows = [r for r in rows_of.get(u, []) if r != u]
        if rows:
            message += (f": it is the heading of rows {', '.join(rows)}; give a level for each "
                        "of them")
        else:
            message += f" (known: {', '.join(known)})"
        if where is None:
            issues.append(Issue("error", message, file=str(rubric.path), column="indicator",
                                code="iid-indicator", value=u))
            continue
        issues += [Issue("error", message, code="iid-indicator", value=u,
                         **where(index, "indicator"))  # type: ignore[arg-type]
                   for index in found.index[found == u]]
    raise InputError(issues)


def _region_points(rubric: Rubric, region_indicators: pd.DataFrame,
                   regions: pd.Index) -> pd.DataFrame:
    """Every SPD row for every region; a row not reported scores level 0."""
    spd = rubric.spd
    rows = pd.Index(spd["indicator"], dtype="str")
    frame = region_indicators
    _unknown_indicators(frame, rows, "region (SPD)", rubric, spd)
    region = (frame[REGION].astype("str") if REGION in frame.columns
              else pd.Series("", index=frame.index, dtype="str"))
    key = pd.MultiIndex.from_arrays([region, frame["indicator"].astype("str")])
    if key.duplicated().any():
        dups = sorted({f"{r or '(region)'} / {i}" for r, i in key[key.duplicated()]})
        raise InputError([Issue("error", f"region indicator given twice: {d}",
                                column="indicator", code="iid-duplicate") for d in dups[:20]])
    levels = _levels(frame["level"], "level", "region_indicators")
    k = len(rows)
    region_pos = _positions(region, regions)
    flat = region_pos * k + _positions(frame["indicator"], rows)
    grid = np.full(len(regions) * k, np.nan)
    grid[flat] = levels
    weight = np.tile(spd["weight"].to_numpy(dtype="float64"), len(regions))
    level = np.nan_to_num(grid, nan=0.0)
    tile = np.tile(np.arange(k), len(regions))
    out = pd.DataFrame({
        REGION: pd.Series(regions.repeat(k), dtype="str"),
        "indicator": spd["indicator"].astype("str").take(tile).reset_index(drop=True),
        "variable": spd["variable"].astype("str").take(tile).reset_index(drop=True),
        "weight": weight,
        "reported": ~np.isnan(grid),
        "level": level.astype("int64"),
        "points": weight * level,
        "max_points": weight * 3.0,
    })
    out["lost_points"] = out["max_points"] - out["points"]
    return out


@dataclass(frozen=True)
class _Grid:
    """Dense innovation × SID-indicator arrays (innovation-major), over all innovations."""

    indicators: pd.Index
    weight: np.ndarray
    claimed: np.ndarray
    verified: np.ndarray
    level: np.ndarray
    status: np.ndarray  # codes into STATUSES


def _innovation_grid(rubric: Rubric, inno: pd.DataFrame, evidence: pd.DataFrame,
                     mode: str) -> _Grid:
    sid = rubric.sid
    indicators = pd.Index(sid["indicator"], dtype="str")
    k, n = len(indicators), len(inno)
    claimed = np.full(n * k, np.nan)
    verified = np.full(n * k, np.nan)
    if len(evidence):
        _unknown_indicators(evidence, indicators, "innovation (SID)", rubric, sid)
        inno_pos = _positions(evidence["innovation_id"], pd.Index(inno["innovation_id"]))
        if (inno_pos < 0).any():
            unknown = pd.unique(evidence.loc[inno_pos < 0, "innovation_id"].astype("str"))
            raise InputError([Issue("error", f"evidence for unknown innovation '{u}'",
                                    column="innovation_id", code="iid-innovation")
                              for u in unknown[:20]])
        flat = inno_pos * k + _positions(evidence["indicator"], indicators)
        if len(flat) and np.bincount(flat, minlength=n * k).max() > 1:
            raise InputError([Issue("error", "an innovation has two evidence rows for one "
                                             "indicator", column="indicator",
                                    code="iid-duplicate")])
        claimed[flat] = _levels(evidence["claimed_level"], "claimed_level", "evidence")
        if "verified_level" in evidence.columns:
            verified[flat] = _levels(evidence["verified_level"], "verified_level", "evidence")
    has_claim = np.nan_to_num(claimed, nan=0.0) > 0
    is_verified = ~np.isnan(verified)
    claim0 = np.nan_to_num(claimed, nan=0.0)
    status = np.select(
        [is_verified & (verified == claim0), is_verified & (verified < claim0),
         is_verified & (verified > claim0), has_claim],
        [STATUSES.index(s) for s in (STATUS_VERIFIED, STATUS_LOWERED, STATUS_RAISED,
                                     STATUS_UNVERIFIED)],
        default=STATUSES.index(STATUS_MISSING)).astype("int8")
    level = claim0 if mode == "claimed" else np.nan_to_num(verified, nan=0.0)
    weight = np.tile(sid["weight"].to_numpy(dtype="float64"), n)
    return _Grid(indicators, weight, claimed, verified, level, status)


def _innovation_table(rubric: Rubric, inno: pd.DataFrame, grid: _Grid,
                      evidence: pd.DataFrame) -> pd.DataFrame:
    k = len(grid.indicators)
    n = len(inno)

    def per_innovation(values: np.ndarray) -> np.ndarray:
        return values.reshape(n, k).sum(axis=1) if n else np.zeros(0)

    out = inno.copy()
    out["basic_service"] = basic_service_keys(rubric, inno)
    out["affair_known"] = inno["affair"].notna() & (inno["affair"].astype("str").str.strip()
                                                   != "")
    out["counted"] = ~out["verification_status"].isin(NOT_COUNTED)
    # isin on the column itself: a Python set of an Arrow string column iterates it row by row
    with_evidence = inno["innovation_id"].astype("str").isin(
        pd.unique(evidence["innovation_id"].astype("str"))).to_numpy(dtype=bool)
    reported = inno["maturity_reported"].notna()
    out["maturity_source"] = np.select([with_evidence, reported], [FROM_EVIDENCE, FROM_REPORTED],
                                       default=UNKNOWN)
    from_grid = per_innovation(grid.weight * grid.level)
    out["maturity"] = np.where(with_evidence, from_grid,
                               inno["maturity_reported"].to_numpy(dtype="float64"))
    claimed = per_innovation(grid.weight * np.nan_to_num(grid.claimed, nan=0.0))
    verified = per_innovation(grid.weight * np.nan_to_num(grid.verified, nan=0.0))
    out["maturity_claimed"] = np.where(with_evidence, claimed, np.nan)
    out["maturity_verified"] = np.where(with_evidence, verified, np.nan)
    unverified = (grid.status == STATUSES.index(STATUS_UNVERIFIED)).reshape(n, k).sum(
        axis=1) if n else 0
    out["unverified_indicators"] = np.asarray(unverified, dtype="int64")
    return out


def basic_service_keys(rubric: Rubric, inno: pd.DataFrame) -> pd.Series:
    """The rubric's basic-service (yandas) key of each innovation's affair: by the affair's
    vocabulary key when the inputs matched it, else by the rubric's own spellings."""
    lookup = rubric.count.basic_services.lookup()
    codes = {key for key, _, _ in rubric.count.basic_services.affairs}
    by_key = inno["affair_key"].where(inno["affair_key"].isin(codes)) if (
        "affair_key" in inno.columns) else pd.Series(pd.NA, index=inno.index, dtype="str")
    names = {a: lookup.get(normalise_affair(a)) for a in pd.unique(inno["affair"].dropna())}
    by_name = inno["affair"].map(names).astype("str")
    return by_key.astype("str").where(by_key.notna(), by_name)


def _int64(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Float levels with NaN as a nullable Int64 array (fast path of ``pd.array``)."""
    mask = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype("int64"), mask)


def _points_table(grid: _Grid, inno: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Tidy rows of the grid at flat positions ``rows`` (innovation-major order)."""
    k = len(grid.indicators)
    which, indicator = np.divmod(rows, k)
    out = pd.DataFrame({
        REGION: inno[REGION].take(which).reset_index(drop=True),
        "innovation_id": inno["innovation_id"].take(which).reset_index(drop=True),
        "indicator": pd.Categorical.from_codes(indicator, categories=grid.indicators,
                                               ordered=True),
        "weight": grid.weight[rows],
        "claimed_level": _int64(grid.claimed[rows]),
        "verified_level": _int64(grid.verified[rows]),
        "level": grid.level[rows].astype("int64"),
        "points": (grid.weight * grid.level)[rows],
        "max_points": grid.weight[rows] * 3.0,
        "status": pd.Categorical.from_codes(grid.status[rows], categories=list(STATUSES)),
    })
    out["lost_points"] = out["max_points"] - out["points"]
    return out


def _counted_rows(grid: _Grid, inno: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """Grid rows of counted innovations whose levels are known (those with evidence)."""
    keep = (table["counted"] & (table["maturity_source"] == FROM_EVIDENCE)).to_numpy()
    return np.flatnonzero(np.repeat(keep, len(grid.indicators)))


def _claims(rubric: Rubric, grid: _Grid, inno: pd.DataFrame,
            table: pd.DataFrame) -> pd.DataFrame:
    """Claims that do not (yet) score: rejected innovations (one row each, their claimed
    maturity at stake), then unverified or lowered levels of the counted innovations."""
    k = len(grid.indicators)
    counted = table["counted"].to_numpy()
    open_status = np.isin(grid.status, [STATUSES.index(STATUS_UNVERIFIED),
                                        STATUSES.index(STATUS_LOWERED)])
    rows = np.flatnonzero(open_status & np.repeat(counted, k))
    which, position = np.divmod(rows, k)
    rejected = np.flatnonzero((table["verification_status"] == REJECTED).to_numpy())
    owner = np.concatenate([rejected, which])
    claimed = np.concatenate([np.full(len(rejected), np.nan), grid.claimed[rows]])
    verified = np.concatenate([np.full(len(rejected), np.nan), grid.verified[rows]])
    at_stake = grid.weight[rows] * (np.nan_to_num(grid.claimed[rows], nan=0.0)
                                    - np.nan_to_num(grid.verified[rows], nan=0.0))
    names = rubric.sid["name"].astype("str").to_numpy(dtype=object)
    labels = np.array(STATUSES, dtype=object)
    out = pd.DataFrame({
        REGION: inno[REGION].take(owner).reset_index(drop=True),
        "innovation_id": inno["innovation_id"].take(owner).reset_index(drop=True),
        "title": inno["title"].take(owner).reset_index(drop=True),
        "unit_id": inno["unit_id"].take(owner).reset_index(drop=True),
        "indicator": pd.array(np.concatenate([np.full(len(rejected), "", dtype=object),
                                              grid.indicators.to_numpy(dtype=object)[position]]),
                              dtype="str"),
        "name": pd.array(np.concatenate([np.full(len(rejected), "", dtype=object),
                                         names[position]]), dtype="str"),
        "claimed_level": _int64(claimed),
        "verified_level": _int64(verified),
        "status": pd.array(np.concatenate([np.full(len(rejected), STATUS_REJECTED, dtype=object),
                                           labels[grid.status[rows]]]), dtype="str"),
        "points_at_stake": np.concatenate([
            table["maturity_claimed"].fillna(table["maturity_reported"]).to_numpy(
                dtype="float64")[rejected], at_stake]),
    })
    return out


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def summary_dict(result: IIDResult, lang: str = "id") -> dict[str, Any]:
    """The headline numbers of a single-region result as plain JSON-able data. Unknown values
    are ``None``; an index that cannot be computed has no number and no predicate."""
    if result.multi_region:
        raise ValueError("summary_dict() is for one region; use result.summary for many")
    row = result.summary.iloc[0]
    rubric = result.rubric
    inno = result.innovations
    required = row["basic_services_required"]
    computable = bool(row["computable"])

    def shown(value: Any) -> float | None:
        return _number(value) if computable else None

    return {
        "year": int(row["year"]),
        "rubric": rubric.id,
        "rubric_sha256": rubric.sha256,
        "spd_weight_variant": rubric.variant,
        "mode": result.mode,
        "computable": computable,
        "lower_bound": bool(row["lower_bound"]),
        "bound_reasons": [r for r in str(row["bound_reasons"]).split(";") if r],
        "spd_source": str(row["spd_source"]),
        "spd": shown(row["spd"]) if row["spd_source"] != SPD_MISSING else None,
        "sid": shown(row["sid"]),
        "sid_indicators": shown(row["sid_indicators"]),
        "innovation_count_score": shown(row["innovation_count_score"]),
        "total": shown(row["total"]),
        "max_total": float(rubric.max_total),
        "iid": shown(row["iid"]),
        "iid_rounded": shown(row["iid_rounded"]),
        "predicate": predicate_labels(rubric, str(row["predicate_key"]), lang)
        if computable else None,
        "predicate_key": str(row["predicate_key"]) if computable else None,
        "n_submitted": int(row["n_submitted"]),
        "n_counted": int(row["n_counted"]),
        "maturity_sources": {s: int(row[f"n_maturity_{s}"]) for s in
                             (FROM_EVIDENCE, FROM_REPORTED, UNKNOWN)},
        "divisor": int(row["divisor"]),
        "basic_services_covered": int(row["basic_services_covered"]),
        "basic_services_required": None if pd.isna(required) else int(required),
        "open_claims": int((result.claims["status"] != STATUS_REJECTED).sum()),
        "innovations": [
            {"id": str(r.innovation_id), "maturity": _number(r.maturity),
             "maturity_source": str(r.maturity_source),
             "counted": bool(r.counted), "verification_status": str(r.verification_status)}
            for r in inno.itertuples(index=False)],
    }
