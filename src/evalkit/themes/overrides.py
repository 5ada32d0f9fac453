"""Evaluators' theme overrides: a table (innovation_id, theme, reason) applied after the
model, so a human decision always wins and stays visible in the report."""

from __future__ import annotations

import pandas as pd

from evalkit.issues import InputError, Issue
from evalkit.themes.taxonomy import Taxonomy

OVERRIDE_COLUMNS = ("innovation_id", "theme", "reason")


def check_overrides(overrides: pd.DataFrame, taxonomy: Taxonomy,
                    known_ids: set[str]) -> list[Issue]:
    """Unknown themes are errors (a typo must not silently keep the model's theme); ids of
    innovations not in the data are warnings (the override may be for another year)."""
    issues = []
    for row in overrides.to_dict("records"):  # not itertuples: it renames "_source"
        line = row.get("_row")
        where = {"file": str(row.get("_source") or "theme_overrides"),
                 "row": None if line is None or pd.isna(line) else int(line)}
        if row["theme"] not in taxonomy.ids:
            issues.append(Issue("error", f"unknown theme {row['theme']!r} for "
                                f"{row['innovation_id']}; known themes: "
                                f"{', '.join(taxonomy.ids)}", column="theme",
                                code="unknown-theme", **where))
        if row["innovation_id"] not in known_ids:
            issues.append(Issue("warning", f"override for {row['innovation_id']!r}, which is "
                                "not among the innovations; ignored", column="innovation_id",
                                code="unknown-innovation", **where))
    return issues


def apply_overrides(assigned: pd.DataFrame, overrides: pd.DataFrame,
                    taxonomy: Taxonomy) -> tuple[pd.DataFrame, list[Issue]]:
    """``assigned`` (innovation_id, theme, ...) with the overrides applied.

    Adds ``theme_model`` (the model's theme), ``overridden`` and ``override_reason``; the
    ``theme`` column holds the final theme. Raises :class:`InputError` on unknown themes.
    """
    overrides = overrides.reindex(columns=[*OVERRIDE_COLUMNS, "_source", "_row"])
    overrides = overrides.assign(innovation_id=overrides["innovation_id"].astype(str).str.strip(),
                                 theme=overrides["theme"].astype(str).str.strip())
    issues = check_overrides(overrides, taxonomy, set(assigned["innovation_id"].astype(str)))
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    last = overrides.drop_duplicates("innovation_id", keep="last").set_index("innovation_id")
    ids = assigned["innovation_id"].astype(str)
    hit = ids.isin(last.index).to_numpy()
    out = assigned.copy()
    out["theme_model"] = assigned["theme"].astype("str")
    out["theme"] = ids.map(last["theme"]).where(hit, out["theme_model"]).astype("str")
    out["overridden"] = hit
    out["override_reason"] = ids.map(last["reason"]).where(hit, "").fillna("").astype("str")
    return out, issues


def override_listing(applied: pd.DataFrame) -> pd.DataFrame:
    """The overridden rows for the report: what the model said, what evaluators decided, why."""
    columns = ["innovation_id", "year", "title", "unit_name", "theme_model", "theme",
               "override_reason"]
    rows = applied[applied["overridden"]].reindex(columns=columns)
    return rows.sort_values("innovation_id", kind="stable").reset_index(drop=True)
