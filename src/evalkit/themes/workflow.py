"""One year's theme work from params to artifacts: what notebook 03_themes and ``evalkit
themes`` share, so the notebook holds no logic a test cannot reach.

The model is fitted on the run year and the earlier years together (more text for the weak
labels, and one consistent assignment for the trend), learning also from the labelled rows of
``themes.labels`` when given. Evaluators' overrides of any year are applied afterwards, and
not learned from, so the report can show what the model said and what they decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.artifacts import write_table
from evalkit.config import RunParams
from evalkit.inputs.read import read_csv, read_xlsx
from evalkit.inputs.validate import YearData, load_earlier_years, load_year, public_innovations
from evalkit.issues import InputError, Issue
from evalkit.themes.classifier import TEXT_COLUMNS, ThemeClassifier, unit_text
from evalkit.themes.clusters import EmergingClusters, emerging_clusters
from evalkit.themes.novelty import most_similar_earlier
from evalkit.themes.overrides import apply_overrides, override_listing
from evalkit.themes.summary import theme_counts, theme_trend, theme_units
from evalkit.themes.taxonomy import Taxonomy, default_taxonomy_path, load_taxonomy

ARTIFACTS = ("themes_assigned", "themes_counts", "themes_trend", "themes_units",
             "themes_clusters", "themes_resubmissions", "themes_overrides", "themes_summary")
LABEL_COLUMNS = ("innovation_id", "title", "description", "unit", "theme")
REFERENCE_COLUMNS = ("innovation_id", "year", "title")


@dataclass(frozen=True, eq=False)
class ThemesRun:
    """Themes of the run year and the earlier years, clusters, and re-submission checks."""

    year: int
    taxonomy: Taxonomy
    model: ThemeClassifier
    assigned: pd.DataFrame  # every year's innovations with their theme
    clusters: EmergingClusters
    similar: pd.DataFrame  # the run year's innovations and their most similar earlier one
    compared_with: int  # earlier innovations (region and reference corpus) compared against
    issues: list[Issue]

    @property
    def current(self) -> pd.DataFrame:
        return self.assigned[self.assigned["year"] == self.year].reset_index(drop=True)


def check_settings(params: RunParams) -> None:
    """Shares and thresholds must lie between 0 and 1, and k must allow two clusters."""
    settings, issues = params.themes, []
    for key in ("min_confidence", "low_confidence", "resubmission_threshold"):
        value = getattr(settings, key)
        if not 0 <= value <= 1:
            issues.append(Issue("error", f"'themes.{key}' must be between 0 and 1, got {value}",
                                file=str(params.source or ""), column=f"themes.{key}"))
    if settings.max_clusters < 2:
        issues.append(Issue("error", "'themes.max_clusters' must be at least 2",
                            file=str(params.source or ""), column="themes.max_clusters"))
    if issues:
        raise InputError(issues)


def taxonomy_for(params: RunParams) -> Taxonomy:
    """``themes.taxonomy`` of the params, else themes.yaml beside the params file."""
    path = params.themes.taxonomy
    if path is None:
        beside = params.source.parent / "themes.yaml" if params.source else None
        path = beside if beside is not None and beside.is_file() else default_taxonomy_path()
    return load_taxonomy(path)


def read_rows(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """A CSV or XLSX table as text columns; missing required columns are input errors."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Issue("error", "file not found", file=str(path))])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        tables, issues = read_xlsx(path, str(path))
        raw = tables[0] if tables else None
    else:
        raw, issues = read_csv(path, str(path))
    if raw is None:
        raise InputError(issues or [Issue("error", "no table found", file=str(path))])
    header = [h.strip().lower() for h in raw.header]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError([Issue("error", f"required column(s) missing: {', '.join(missing)} "
                                f"(found: {', '.join(h for h in header if h)})", file=str(path),
                                row=1, code="missing-column")])
    width = len(header)
    rows = [(r + [""] * width)[:width] for r in raw.rows if any(c.strip() for c in r)]
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    return frame.loc[:, [c for c in dict.fromkeys(header) if c]]


def read_labels(path: Path, taxonomy: Taxonomy,
                required: tuple[str, ...] = LABEL_COLUMNS) -> pd.DataFrame:
    """Labelled rows (innovation_id, title, description, unit, theme); a theme that is not in
    the taxonomy is an input error naming its line."""
    labelled = read_rows(path, required)
    labelled["theme"] = labelled["theme"].str.strip()
    issues = [Issue("error", f"unknown theme {theme!r}; known: {', '.join(taxonomy.ids)}",
                    file=str(path), row=i + 2, column="theme", code="unknown-theme")
              for i, theme in enumerate(labelled["theme"]) if theme not in taxonomy.ids]
    if issues:
        raise InputError(issues)
    return labelled


def innovation_frame(data: YearData) -> pd.DataFrame:
    """A year's innovations with unit name and ``unit`` (name and kind: the unit signal)."""
    frame = public_innovations(data)
    kinds = data.units.set_index("unit_id")["kind"]
    frame["unit"] = [unit_text(name, kind) for name, kind in
                     zip(frame["unit_name"], frame["unit_id"].map(kinds), strict=True)]
    return frame


def run(params: RunParams, year: YearData | None = None,
        earlier: dict[int, YearData] | None = None) -> ThemesRun:
    """Assign themes to the run year and earlier years; cluster and compare the run year."""
    settings = params.themes
    check_settings(params)
    taxonomy = taxonomy_for(params)
    year = year if year is not None else load_year(params)
    earlier = earlier if earlier is not None else load_earlier_years(params)
    years = [*earlier.values(), year]
    corpus = pd.concat([innovation_frame(d) for d in years], ignore_index=True)
    overrides = pd.concat([d.theme_overrides for d in years], ignore_index=True)

    inputs, targets = corpus[list(TEXT_COLUMNS)], [None] * len(corpus)
    if settings.labels is not None:
        labelled = read_labels(settings.labels, taxonomy)
        inputs = pd.concat([inputs, labelled[list(TEXT_COLUMNS)]], ignore_index=True)
        targets += list(labelled["theme"])
    model = ThemeClassifier(taxonomy, min_confidence=settings.min_confidence,
                            stemming=settings.stemming, random_state=params.seed)
    result = model.fit_assign(inputs, targets).iloc[:len(corpus)].reset_index(drop=True)
    assigned = corpus.assign(theme=result["theme"], confidence=result["confidence"])
    assigned["matched_terms"] = model.matched_terms(corpus, assigned["theme"])
    assigned, issues = apply_overrides(assigned, overrides, taxonomy)
    assigned["low_confidence"] = (~assigned["overridden"]
                                  & (assigned["confidence"] < settings.low_confidence))

    is_current = (assigned["year"] == params.year).to_numpy()
    unsure = (assigned["theme"] == taxonomy.fallback) | assigned["low_confidence"]
    pool = assigned[is_current & unsure.to_numpy() & ~assigned["overridden"].to_numpy()]
    clusters = emerging_clusters(pool, model.stopwords_, settings.max_clusters, params.seed)
    cluster_of = clusters.members.set_index("innovation_id")["cluster"]
    assigned["emerging_cluster"] = assigned["innovation_id"].map(cluster_of).astype("Int64")

    previous = assigned[~is_current].assign(source="region")
    if settings.reference_corpus is not None:
        reference = read_rows(settings.reference_corpus, REFERENCE_COLUMNS)
        reference = reference.rename(columns={"unit": "unit_name"}).assign(source="reference")
        previous = pd.concat([previous, reference], ignore_index=True)
    similar = most_similar_earlier(assigned[is_current], previous,
                                   settings.resubmission_threshold)
    return ThemesRun(params.year, taxonomy, model, assigned, clusters, similar, len(previous),
                     issues)


def summary_row(done: ThemesRun, params: RunParams) -> pd.DataFrame:
    """The one-row ``themes_summary`` artifact: counts, settings and the taxonomy's identity."""
    current, settings = done.current, params.themes
    return pd.DataFrame([{
        "year": done.year,
        "innovations": len(current),
        "fallback": int((current["theme"] == done.taxonomy.fallback).sum()),
        "low_confidence": int(current["low_confidence"].sum()),
        "overridden": int(current["overridden"].sum()),
        "changed": int((current["theme"] != current["theme_model"]).sum()),
        "resubmissions": int(done.similar["flagged"].sum()),
        "compared_with": done.compared_with,
        "clusters": int(done.clusters.k),
        "silhouette": float(done.clusters.silhouette),
        "weak_labels": int(done.model.n_weak_),
        "labelled_rows": int(done.model.n_labelled_),
        "min_confidence": float(settings.min_confidence),
        "low_confidence_below": float(settings.low_confidence),
        "resubmission_threshold": float(settings.resubmission_threshold),
        "reference_corpus": settings.reference_corpus is not None,
        "stemming": bool(settings.stemming),
        "taxonomy_version": done.taxonomy.version,
        "taxonomy_sha256": done.taxonomy.digest,
        "fallback_theme": done.taxonomy.fallback,
        "years": ",".join(str(int(y)) for y in sorted(done.assigned["year"].dropna().unique())),
    }])


def write_artifacts(done: ThemesRun, params: RunParams, out_dir: Path) -> list[Path]:
    """Write every theme artifact (see ``ARTIFACTS``) under ``out_dir/artifacts``."""
    columns = ["innovation_id", "year", "unit_id", "unit_name", "title", "theme", "confidence",
               "theme_model", "overridden", "override_reason", "matched_terms",
               "low_confidence", "emerging_cluster"]
    assigned = done.assigned[columns].sort_values(["year", "innovation_id"], kind="stable")
    tables = {
        "themes_assigned": assigned,
        "themes_counts": theme_counts(done.current, done.taxonomy),
        "themes_trend": theme_trend(done.assigned, done.taxonomy),
        "themes_units": theme_units(done.current),
        "themes_clusters": done.clusters.clusters,
        "themes_resubmissions": done.similar,
        "themes_overrides": override_listing(done.assigned),
        "themes_summary": summary_row(done, params),
    }
    return [write_table(frame, out_dir, name) for name, frame in tables.items()]

