"""One year's theme work from params to artifacts: what notebook 03_themes and ``evalkit
themes`` share, so the notebook holds no logic a test cannot reach.

The model is fitted on the run year and the earlier years together (more text for the weak
labels and the self-training, and one consistent assignment for the trend), learning also
from the region's labelled rows (``themes.labels``: the rows evaluators labelled, usually the
ones ``suggest`` picked). Evaluators' overrides of any year are applied afterwards, and not
learned from, so the report can show what the model said and what they decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.artifacts import write_table
from evalkit.config import RunParams
from evalkit.fileio import write_atomic
from evalkit.inputs.read import read_csv, read_xlsx
from evalkit.inputs.schema import INNOVATIONS
from evalkit.inputs.validate import (
    YearData,
    load_earlier_years,
    load_year,
    normalise_header,
    public_innovations,
)
from evalkit.issues import InputError, Issue
from evalkit.spreadsheet import text_cells
from evalkit.themes.classifier import CONTEXT_COLUMNS, TEXT_COLUMNS, ThemeClassifier, unit_text
from evalkit.themes.clusters import EmergingClusters, emerging_clusters
from evalkit.themes.novelty import most_similar_earlier
from evalkit.themes.overrides import apply_overrides, override_listing
from evalkit.themes.summary import theme_counts, theme_trend, theme_units
from evalkit.themes.taxonomy import Taxonomy, default_taxonomy_path, load_taxonomy

ARTIFACTS = ("themes_assigned", "themes_counts", "themes_trend", "themes_units",
             "themes_clusters", "themes_resubmissions", "themes_overrides", "themes_summary")
LABEL_COLUMNS = ("innovation_id", "title", "description", "unit", "theme")
LABEL_FILE_COLUMNS = ("innovation_id", "title", "description", "unit", "affair", "theme")
REFERENCE_COLUMNS = ("innovation_id", "year", "title")
MODEL_COLUMNS = (*TEXT_COLUMNS, *CONTEXT_COLUMNS)


@dataclass(frozen=True, eq=False)
class ThemesRun:
    """Themes of the run year and the earlier years, clusters, and re-submission checks."""

    year: int
    taxonomy: Taxonomy
    model: ThemeClassifier
    corpus: pd.DataFrame  # every year's innovations as the model read them
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


def check_emphasised(params: RunParams, taxonomy: Taxonomy) -> None:
    """Every emphasised theme of the params must be a theme of the taxonomy."""
    unknown = [t for t in params.themes.emphasised if t not in taxonomy.ids]
    if unknown:
        raise InputError([Issue(
            "error", f"emphasised theme(s) {', '.join(map(repr, unknown))} are not themes of "
                     f"the taxonomy; known: {', '.join(taxonomy.ids)}",
            file=str(params.source or ""), column="themes.emphasised")])


def input_issues(params: RunParams) -> list[Issue]:
    """What the themes notebook would refuse in the params, found before any kernel starts:
    its settings, a taxonomy that cannot be read, emphasised themes the taxonomy lacks."""
    if "themes" not in params.report.chapters:
        return []
    issues: list[Issue] = []
    try:
        check_settings(params)
    except InputError as exc:
        issues += exc.issues
    try:
        check_emphasised(params, taxonomy_for(params))
    except InputError as exc:
        issues += exc.issues
    return issues


def taxonomy_path(params: RunParams) -> Path:
    """``themes.taxonomy`` of the params, else the taxonomy shipped in the package (the
    manifest records this file too)."""
    return params.themes.taxonomy or default_taxonomy_path()


def taxonomy_for(params: RunParams) -> Taxonomy:
    """The taxonomy of :func:`taxonomy_path`, loaded and checked."""
    return load_taxonomy(taxonomy_path(params))


def innovation_headers() -> dict[str, tuple[str, ...]]:
    """Accepted headers of a CSV of innovations: the data loader's aliases of the
    innovations table (``judul``, ``perangkat_daerah``, ``urusan``, ...), the unit under
    ``unit`` (its name is what the model reads)."""
    names = {"innovation_id": "innovation_id", "title": "title", "description": "description",
             "unit_id": "unit", "affair": "affair"}
    headers = {}
    for column in INNOVATIONS.columns:
        if column.name in names:
            headers[names[column.name]] = (column.name, *column.aliases)
    headers["unit"] = ("unit", "unit_name", "nama_unit", *headers["unit"])
    return headers


def canonical_columns(frame: pd.DataFrame) -> dict[str, str]:
    """The frame's header for each canonical column it has (first match wins)."""
    found = {}
    lookup = {normalise_header(h): h for h in reversed(list(frame.columns))}
    for canonical, spellings in innovation_headers().items():
        for spelling in spellings:
            if normalise_header(spelling) in lookup:
                found[canonical] = lookup[normalise_header(spelling)]
                break
    return found


def read_rows(path: Path, required: tuple[str, ...],
              aliases: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """A CSV or XLSX table as text columns; missing required columns are input errors.
    With ``aliases`` (canonical name -> accepted headers), a required column may be given
    under any of its headers; the frame keeps the file's own headers."""
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
    present = {normalise_header(h) for h in header}
    missing = [c for c in required
               if not any(normalise_header(a) in present for a in (aliases or {}).get(c, (c,)))]
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
    """Labelled rows (innovation_id, title, description, unit, theme; affair optional); a
    theme that is not in the taxonomy is an input error naming its line."""
    labelled = read_rows(path, required)
    for column in LABEL_FILE_COLUMNS:
        if column not in labelled.columns:
            labelled[column] = ""
    labelled["theme"] = labelled["theme"].str.strip()
    issues = [Issue("error", f"unknown theme {theme!r}; known: {', '.join(taxonomy.ids)}",
                    file=str(path), row=i + 2, column="theme", code="unknown-theme")
              for i, theme in enumerate(labelled["theme"]) if theme not in taxonomy.ids]
    if issues:
        raise InputError(issues)
    return labelled


def region_labels(params: RunParams, taxonomy: Taxonomy) -> tuple[pd.DataFrame, list[Issue]]:
    """The region's labelled rows (``themes.labels``), empty when none are named or the file
    does not exist yet (a note says so: labels the notebook saves will create it)."""
    path = params.themes.labels
    empty = pd.DataFrame({c: pd.Series(dtype="str") for c in LABEL_FILE_COLUMNS})
    if path is None:
        return empty, []
    if not Path(path).is_file():
        return empty, [Issue("warning", "the labelled-rows file does not exist yet: no "
                                        "evaluator labels were used", file=str(path),
                             column="themes.labels", code="no-labels-yet")]
    return read_labels(path, taxonomy), []


def save_labels(path: Path, rows: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Add evaluator labels (rows with innovation_id, title, ..., theme) to the labelled-rows
    file, creating it if needed; a row whose innovation_id is already there replaces it.
    Rows with an empty theme are skipped; an unknown theme is an input error and nothing is
    written. The file is replaced atomically. Returns the whole file's rows."""
    rows = rows.reindex(columns=list(LABEL_FILE_COLUMNS), fill_value="").fillna("").astype(str)
    rows["theme"] = rows["theme"].str.strip()
    rows = rows[rows["theme"] != ""]
    unknown = [Issue("error", f"unknown theme {theme!r}; known: {', '.join(taxonomy.ids)}",
                     row=i + 1, column="theme", code="unknown-theme")
               for i, theme in enumerate(rows["theme"]) if theme not in taxonomy.ids]
    if unknown:
        raise InputError(unknown)
    path = Path(path)
    existing = (read_labels(path, taxonomy).reindex(columns=list(LABEL_FILE_COLUMNS))
                if path.is_file() else rows.iloc[:0])
    kept = existing[~existing["innovation_id"].isin(set(rows["innovation_id"]))]
    merged = pd.concat([kept, rows], ignore_index=True)
    # Titles that a spreadsheet would run as formulas get their apostrophe; read_rows reads
    # them back as written.
    write_atomic(path, lambda tmp: text_cells(merged).to_csv(tmp, index=False,
                                                             lineterminator="\n",
                                                             encoding="utf-8"))
    return merged


def innovation_frame(data: YearData) -> pd.DataFrame:
    """A year's innovations with unit name and ``unit`` (name and kind: the unit signal)."""
    frame = public_innovations(data)
    kinds = data.units.set_index("unit_id")["kind"]
    frame["unit"] = [unit_text(name, kind) for name, kind in
                     zip(frame["unit_name"], frame["unit_id"].map(kinds), strict=True)]
    return frame


def fit_corpus(params: RunParams, year: YearData | None = None,
               earlier: dict[int, YearData] | None = None
               ) -> tuple[Taxonomy, pd.DataFrame, ThemeClassifier, pd.DataFrame, list[Issue]]:
    """Fit the model on the region's innovations of every year and its labelled rows; return
    the taxonomy, the corpus, the model, the corpus's assignment and notes."""
    settings = params.themes
    check_settings(params)
    taxonomy = taxonomy_for(params)
    check_emphasised(params, taxonomy)
    year = year if year is not None else load_year(params)
    earlier = earlier if earlier is not None else load_earlier_years(params)
    corpus = pd.concat([innovation_frame(d) for d in [*earlier.values(), year]],
                       ignore_index=True)
    if not settings.affair_prior:
        corpus["affair"] = ""
    labelled, issues = region_labels(params, taxonomy)
    columns = list(MODEL_COLUMNS)
    inputs = pd.concat([corpus.reindex(columns=columns, fill_value=""),
                        labelled.reindex(columns=columns, fill_value="")], ignore_index=True)
    if not settings.affair_prior:
        inputs["affair"] = ""
    targets = [None] * len(corpus) + list(labelled["theme"])
    model = ThemeClassifier(taxonomy, min_confidence=settings.min_confidence,
                            stemming=settings.stemming, random_state=params.seed)
    result = model.fit_assign(inputs.fillna(""), targets).iloc[:len(corpus)]
    return taxonomy, corpus, model, result.reset_index(drop=True), issues


def run(params: RunParams, year: YearData | None = None,
        earlier: dict[int, YearData] | None = None) -> ThemesRun:
    """Assign themes to the run year and earlier years; cluster and compare the run year."""
    settings = params.themes
    year = year if year is not None else load_year(params)
    earlier = earlier if earlier is not None else load_earlier_years(params)
    taxonomy, corpus, model, result, issues = fit_corpus(params, year, earlier)
    overrides = pd.concat([d.theme_overrides for d in [*earlier.values(), year]],
                          ignore_index=True)
    assigned = corpus.assign(theme=result["theme"], confidence=result["confidence"])
    assigned["matched_terms"] = model.matched_terms(corpus, assigned["theme"])
    assigned, override_issues = apply_overrides(assigned, overrides, taxonomy)
    issues += override_issues
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
    return ThemesRun(params.year, taxonomy, model, corpus, assigned, clusters, similar,
                     len(previous), issues)


def suggestions(done: ThemesRun, params: RunParams, n: int) -> pd.DataFrame:
    """The run year's innovations an evaluator should label next (see
    :func:`evalkit.themes.suggest.suggest`), leaving out those already labelled or
    overridden."""
    from evalkit.themes.suggest import suggest

    taxonomy = done.taxonomy
    labelled, _ = region_labels(params, taxonomy)
    current = done.corpus[done.corpus["year"] == params.year]
    overridden = set(done.assigned.loc[done.assigned["overridden"], "innovation_id"])
    current = current[~current["innovation_id"].isin(overridden)]
    frame = current.reindex(columns=["innovation_id", "unit_name", *MODEL_COLUMNS],
                            fill_value="").fillna("")
    return suggest(done.model, frame, n, labelled if len(labelled) else None)


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
        "self_training_rows": int(done.model.n_pseudo_),
        "labelled_rows": int(done.model.n_labelled_),
        "descriptions": int((current["description"].fillna("").str.strip() != "").sum()),
        "affair_used": bool(done.model.used_affair_),
        "temperature": float(done.model.temperature_),
        "calibrated_on": int(done.model.calibrated_on_),
        "emphasised": ",".join(params.themes.emphasised),
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
        "themes_counts": theme_counts(done.current, done.taxonomy, params.themes.emphasised),
        "themes_trend": theme_trend(done.assigned, done.taxonomy),
        "themes_units": theme_units(done.current),
        "themes_clusters": done.clusters.clusters,
        "themes_resubmissions": done.similar,
        "themes_overrides": override_listing(done.assigned),
        "themes_summary": summary_row(done, params),
    }
    return [write_table(frame, out_dir, name) for name, frame in tables.items()]

