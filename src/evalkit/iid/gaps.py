"""Where the IID points are lost, and what the floor rule does to the index.

Every point below the maximum is attributed to one source, in index points, so the sources
add up to exactly ``100 - IID``: each SPD row, each SID indicator summed over the
innovations (divided by the divisor D), the innovations whose maturity only the IID
application reports (no per-indicator detail), the empty seats below the floor (D - n
innovations that would each have scored 111), and the innovation-count score. What the data
does not show (SPD rows never reported, innovations of unknown maturity) has no loss figure
(``iid_lost`` is NaN, ``note`` says why): the sources then add up to less than ``100 - IID``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.iid.engine import REGION, IIDResult, aggregate, classify, predicate_labels

KIND_SPD, KIND_SID, KIND_SEATS, KIND_COUNT = "spd", "sid", "empty_seats", "innovation_count"
KIND_REPORTED = "reported_maturity"
COUNT_INDICATOR = "36"


def _regions(result: IIDResult) -> pd.DataFrame:
    summary = result.summary
    if not result.multi_region:
        summary = summary.assign(**{REGION: ""})
    return summary


def _with_region(frame: pd.DataFrame, result: IIDResult) -> pd.DataFrame:
    return frame if result.multi_region else frame.assign(**{REGION: ""})


def indicator_gaps(result: IIDResult) -> pd.DataFrame:
    """Points lost per source, largest loss in index points first (per region).

    ``lost_points`` is in the aspect's own points (SID: summed over innovations);
    ``iid_lost`` is what the loss costs on the 0-100 index. They add up to ``100 - iid``.
    """
    rubric = result.rubric
    to_index = 100.0 / rubric.max_total
    summary = _regions(result).set_index(REGION)
    meta = rubric.indicators.set_index("indicator")

    spd = _with_region(result.region_points, result)
    unknown = ~spd["reported"].to_numpy(dtype=bool)
    lost = spd["lost_points"].where(~unknown)
    spd_rows = pd.DataFrame({
        REGION: spd[REGION], "kind": KIND_SPD, "aspect": "SPD", "indicator": spd["indicator"],
        "weight": spd["weight"], "level_mean": spd["level"].astype("float64").where(~unknown),
        "points": spd["points"].where(~unknown), "max_points": spd["max_points"],
        "lost_points": lost, "iid_lost": lost * to_index,
        "innovations_below_max": pd.NA, "note": np.where(unknown, "not_reported", "")})
    source = summary.get("spd_source")
    if source is not None:
        total_given = spd_rows[REGION].map(source).eq("total").to_numpy()
        spd_rows = spd_rows[~total_given]
        totals = summary[source == "total"]
        spd_max = rubric.aspect_max["SPD"]
        spd_rows = pd.concat([spd_rows, pd.DataFrame({
            REGION: totals.index, "kind": KIND_SPD, "aspect": "SPD", "indicator": "",
            "weight": np.nan, "level_mean": np.nan, "points": totals["spd"],
            "max_points": spd_max, "lost_points": spd_max - totals["spd"],
            "iid_lost": (spd_max - totals["spd"]) * to_index, "innovations_below_max": pd.NA,
            "note": "spd_total"})], ignore_index=True)

    points = _with_region(result.points, result)
    grouped = points.assign(indicator=points["indicator"].astype("str"),
                            below=points["level"] < 3).groupby(
        [REGION, "indicator"], sort=False, observed=True)
    sid = grouped.agg(weight=("weight", "first"), level_mean=("level", "mean"),
                      points=("points", "sum"), max_points=("max_points", "sum"),
                      lost_points=("lost_points", "sum"),
                      innovations_below_max=("below", "sum")).reset_index()
    divisor = sid[REGION].map(summary["divisor"]).to_numpy(dtype="float64")
    sid_rows = sid.assign(kind=KIND_SID, aspect="SID", note="",
                          iid_lost=sid["lost_points"] / divisor * to_index)

    sid_max = rubric.aspect_max["SID"]
    inno = _with_region(result.innovations, result)
    if "maturity_source" in inno.columns:
        reported = inno[inno["counted"] & (inno["maturity_source"] == "reported")]
        per = reported.assign(lost=sid_max - reported["maturity"],
                              below=reported["maturity"] < sid_max - 1e-9).groupby(
            REGION, sort=False).agg(lost=("lost", "sum"), below=("below", "sum"))
        per = per[per["lost"] > 0]
        divisor_r = per.index.map(summary["divisor"]).to_numpy(dtype="float64")
        reported_rows = pd.DataFrame({
            REGION: per.index, "kind": KIND_REPORTED, "aspect": "SID", "indicator": "",
            "weight": np.nan, "level_mean": np.nan, "points": np.nan,
            "max_points": np.nan, "lost_points": per["lost"].to_numpy(),
            "iid_lost": per["lost"].to_numpy() / divisor_r * to_index,
            "innovations_below_max": per["below"].to_numpy(dtype="int64"),
            "note": "reported"}).reset_index(drop=True)
    else:
        reported_rows = pd.DataFrame(columns=spd_rows.columns)
    seats = (summary["divisor"] - summary["n_counted"]).clip(lower=0)
    seat_rows = pd.DataFrame({
        REGION: summary.index, "kind": KIND_SEATS, "aspect": "SID", "indicator": "",
        "weight": np.nan, "level_mean": np.nan, "points": 0.0,
        "max_points": seats * sid_max, "lost_points": seats * sid_max,
        "iid_lost": seats * sid_max / summary["divisor"] * to_index,
        "innovations_below_max": seats.astype("int64"), "note": ""}).reset_index(drop=True)

    count_max = rubric.count.max
    required = rubric.count.basic_services.min_covered
    failed = (summary["basic_services_covered"] < required) if required is not None else (
        pd.Series(False, index=summary.index))
    count_rows = pd.DataFrame({
        REGION: summary.index, "kind": KIND_COUNT, "aspect": "SID",
        "indicator": COUNT_INDICATOR, "weight": rubric.count.per_innovation,
        "level_mean": np.nan, "points": summary["innovation_count_score"],
        "max_points": count_max, "lost_points": count_max - summary["innovation_count_score"],
        "iid_lost": (count_max - summary["innovation_count_score"]) * to_index,
        "innovations_below_max": (rubric.count.cap - summary["n_counted"]).clip(lower=0),
        "note": np.where(failed, "basic_services", "")}).reset_index(drop=True)

    parts = [frame for frame in (spd_rows, sid_rows, reported_rows, seat_rows, count_rows)
             if len(frame)]
    out = pd.concat(parts, ignore_index=True) if parts else spd_rows.iloc[:0]
    out["name"] = out["indicator"].map(meta["name"])
    out["name_en"] = out["indicator"].map(meta["name_en"])
    out["mandatory"] = out["indicator"].map(meta["mandatory"]).fillna(False).astype(bool)
    out["actionable"] = out["indicator"].map(meta["actionable"]).fillna(False).astype(bool)
    out["innovations_below_max"] = out["innovations_below_max"].astype("Int64")
    out = out.sort_values([REGION, "iid_lost"], ascending=[True, False],
                          kind="stable").reset_index(drop=True)
    columns = [REGION, "kind", "aspect", "indicator", "name", "name_en", "weight",
               "mandatory", "actionable", "level_mean", "points", "max_points",
               "lost_points", "iid_lost", "innovations_below_max", "note"]
    out = out[columns]
    return out if result.multi_region else out.drop(columns=[REGION])


def weakest_innovations(result: IIDResult, k: int = 10) -> pd.DataFrame:
    """Counted innovations furthest below their region's average maturity, worst first.

    ``iid_if_average`` is what the index gains if that innovation reached the average.
    """
    summary = _regions(result).set_index(REGION)
    inno = _with_region(result.innovations, result)
    inno = inno[inno["counted"]]
    mean = inno[REGION].map(summary["maturity_mean"])
    divisor = inno[REGION].map(summary["divisor"]).astype("float64")
    out = inno.assign(region_mean=mean, gap=mean - inno["maturity"])
    out["iid_if_average"] = out["gap"] / divisor * 100.0 / result.rubric.max_total
    out = out[out["gap"] > 1e-9].sort_values([REGION, "gap", "innovation_id"],
                                             ascending=[True, False, True], kind="stable")
    out = out.groupby(REGION, sort=False).head(k)
    columns = [REGION, "innovation_id", "title", "unit_id", "maturity", "region_mean", "gap",
               "iid_if_average", "unverified_indicators"]
    out = out[columns].reset_index(drop=True)
    return out if result.multi_region else out.drop(columns=[REGION])


def floor_effect(result: IIDResult) -> pd.DataFrame:
    """What adding a typical innovation, filling the floor, or dropping the weakest does.

    A typical innovation has the median maturity of the counted ones and covers no new
    basic-service affair. ``break_even_maturity`` is the maturity an added innovation needs
    so the index does not fall (0 while n is below the floor: every addition helps).
    """
    if result.multi_region:
        raise ValueError("floor_effect() is for one region at a time")
    rubric = result.rubric
    base = result.summary.iloc[0]
    inno = result.innovations.assign(**{REGION: ""})
    spd = pd.Series([float(base["spd"])], index=pd.Index([""], name=REGION))
    counted = inno[inno["counted"]]
    scenarios: list[tuple[str, pd.DataFrame, float]] = [("current", inno, np.nan)]
    if len(counted):
        typical = float(counted["maturity"].median())
        new = pd.DataFrame({REGION: [""], "innovation_id": ["(typical)"], "counted": [True],
                            "maturity": [typical],
                            "basic_service": pd.array([pd.NA], dtype="str")})
        scenarios.append(("add_typical", pd.concat([inno, new], ignore_index=True), typical))
        missing = int(base["divisor"]) - len(counted)
        if missing > 0:
            fill = pd.concat([new] * missing, ignore_index=True)
            scenarios.append(("fill_floor", pd.concat([inno, fill], ignore_index=True),
                              typical * missing))
        weakest = counted.sort_values(["maturity", "innovation_id"], kind="stable").index[0]
        scenarios.append(("drop_weakest", inno.drop(index=weakest),
                          float(inno.at[weakest, "maturity"])))
    rows = []
    for name, table, maturity in scenarios:
        row = aggregate(rubric, spd, table).iloc[0]
        rows.append({"scenario": name, "maturity_changed": maturity,
                     "n_counted": int(row["n_counted"]), "divisor": int(row["divisor"]),
                     "sid_indicators": row["sid_indicators"],
                     "innovation_count_score": row["innovation_count_score"],
                     "sid": row["sid"], "total": row["total"], "iid": row["iid"],
                     "iid_rounded": row["iid_rounded"], "predicate_key": row["predicate_key"],
                     "predicate": row["predicate"]})
    out = pd.DataFrame(rows)
    out["delta_iid"] = out["iid"] - float(base["iid"])
    out["break_even_maturity"] = np.nan
    add = out["scenario"] == "add_typical"
    if add.any():
        n = int(base["n_counted"])
        d_old, d_new = max(rubric.floor, n), max(rubric.floor, n + 1)
        s = float(base["maturity_sum"])
        ji_new = float(out.loc[add, "innovation_count_score"].iloc[0])
        need = d_new * (s / d_old + float(base["innovation_count_score"]) - ji_new) - s
        out.loc[add, "break_even_maturity"] = max(0.0, need)
    return out


def predicate_of(result: IIDResult, index: float, lang: str = "id") -> str:
    """The predicate label an index value would get under the result's rubric."""
    return predicate_labels(result.rubric, classify(result.rubric, index), lang)
