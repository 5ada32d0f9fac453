"""Who judges what: the year's jurors, their public codes, conflicts of interest, assignments.

A juror never judges an entry from their own unit. The conflict is recorded with its reason
(it goes in the public report's recusal table), the entry is left out of that juror's score
sheet, and any score the juror gave it anyway is dropped before aggregation.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from evalkit.issues import Issue

OWN_UNIT = "own_unit"  # reason code: the entry comes from the juror's home unit
DECLARED = "declared"  # reason code: the juror declared a conflict (reason in their words)
RECUSAL_COLUMNS = ["juror_id", "innovation_id", "stage", "reason_code", "reason"]


def _text(series: pd.Series) -> pd.Series:
    return series.astype("str").fillna("").str.strip()


def select_jurors(jurors: pd.DataFrame, wanted: Sequence[str]) -> tuple[pd.DataFrame, list[Issue]]:
    """The jurors named in the params (all of the table when none are named)."""
    frame = jurors.copy()
    frame["juror_id"] = _text(frame["juror_id"])
    frame["home_unit_id"] = _text(frame["home_unit_id"]) if "home_unit_id" in frame else ""
    if not wanted:
        return frame.sort_values("juror_id").reset_index(drop=True), []
    known = set(frame["juror_id"])
    issues = [Issue("error", f"juror {j!r} named in the params is not in the jurors table",
                    column="jury.jurors", code="unknown-juror") for j in wanted if j not in known]
    chosen = frame[frame["juror_id"].isin(list(wanted))]
    return chosen.sort_values("juror_id").reset_index(drop=True), issues


def juror_codes(juror_ids: Sequence[str]) -> dict[str, str]:
    """Public codes J1, J2, ... in juror-id order: the report never shows names or ids."""
    ordered = sorted(dict.fromkeys(str(j) for j in juror_ids))
    width = len(str(len(ordered)))
    return {j: f"J{i + 1:0{width}d}" for i, j in enumerate(ordered)}


PROFILE_COLUMNS = {"description": "description", "form": "form", "type": "type",
                   "affair": "affair", "stage": "innovation_stage", "start_date": "start_date"}


def entries(innovations: pd.DataFrame, which: str = "accepted") -> pd.DataFrame:
    """The competition entries in id order: the accepted innovations by default.

    ``which`` is ``accepted``, ``not_rejected`` or ``all`` (params ``jury.entries``). Besides
    id, unit and title, each entry keeps what a juror reads about it (description, form,
    type, affair, the innovation's own stage as ``innovation_stage``, start date); a column the
    data lacks comes back empty, never guessed.
    """
    cols = [c for c in ("innovation_id", "unit_id", "title") if c in innovations]
    status = (innovations["verification_status"].astype("str").fillna("pending")
              if "verification_status" in innovations else pd.Series("accepted",
                                                                      index=innovations.index))
    keep = {"accepted": status == "accepted", "not_rejected": status != "rejected",
            "all": status == status}[which]
    frame = innovations.loc[keep, cols].copy()
    for c in cols:
        frame[c] = _text(frame[c])
    for source, name in PROFILE_COLUMNS.items():
        if source == "start_date":
            frame[name] = (pd.to_datetime(innovations.loc[keep, source], errors="coerce")
                           if source in innovations else pd.NaT)
        else:
            values = innovations.loc[keep, source] if source in innovations else None
            frame[name] = "" if values is None else [
                "" if pd.isna(v) else str(v).strip() for v in values]
    return frame.sort_values("innovation_id").reset_index(drop=True)


def evidence_refs(evidence: pd.DataFrame, entry_ids: Sequence[str]) -> pd.DataFrame:
    """The documents each entry submitted: innovation_id, indicator, ref (non-empty refs)."""
    columns = ["innovation_id", "indicator", "ref"]
    if evidence.empty or "evidence_ref" not in evidence:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"innovation_id": _text(evidence["innovation_id"]),
                          "indicator": _text(evidence["indicator"]),
                          "ref": ["" if pd.isna(v) else str(v).strip()
                                  for v in evidence["evidence_ref"]]})
    frame = frame[(frame["ref"] != "") & frame["innovation_id"].isin(list(entry_ids))]
    order = pd.to_numeric(frame["indicator"].str.extract(r"(\d+)")[0], errors="coerce")
    frame = frame.assign(_o=order).sort_values(["innovation_id", "_o", "ref"], kind="stable")
    return frame[columns].reset_index(drop=True)


def conflicts(jurors: pd.DataFrame, entry_table: pd.DataFrame) -> pd.DataFrame:
    """Own-unit conflicts: one row per (juror, entry) with the reason code and the unit."""
    home = jurors[["juror_id", "home_unit_id"]]
    home = home[home["home_unit_id"] != ""]
    pairs = home.merge(entry_table[["innovation_id", "unit_id"]], left_on="home_unit_id",
                       right_on="unit_id")
    out = pd.DataFrame({
        "juror_id": pairs["juror_id"].astype("str"),
        "innovation_id": pairs["innovation_id"].astype("str"),
        "stage": "",
        "reason_code": OWN_UNIT,
        "reason": pairs["unit_id"].astype("str"),
    }, columns=RECUSAL_COLUMNS)
    return out.sort_values(["juror_id", "innovation_id"]).reset_index(drop=True)


def assignments(jurors: pd.DataFrame, entry_table: pd.DataFrame,
                conflict_table: pd.DataFrame) -> pd.DataFrame:
    """Every juror judges every entry except those in conflict (juror_id, innovation_id)."""
    grid = jurors[["juror_id"]].merge(entry_table[["innovation_id"]], how="cross")
    blocked = set(zip(conflict_table["juror_id"], conflict_table["innovation_id"], strict=True))
    keep = [(j, e) not in blocked for j, e in zip(grid["juror_id"], grid["innovation_id"],
                                                  strict=True)]
    return grid[keep].sort_values(["juror_id", "innovation_id"]).reset_index(drop=True)


def assigned_to(assignment: pd.DataFrame, juror_id: str) -> list[str]:
    """The entry ids one juror judges, in order."""
    return assignment.loc[assignment["juror_id"] == juror_id, "innovation_id"].tolist()
