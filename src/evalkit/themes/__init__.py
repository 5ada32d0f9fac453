"""Themes: taxonomy as data, Indonesian text preparation, the theme classifier, emerging
clusters, re-submissions, overrides, evaluation, and the themes chapter (notebook
``03_themes``)."""

from evalkit.themes.classifier import TEXT_COLUMNS, ThemeClassifier
from evalkit.themes.clusters import EmergingClusters, emerging_clusters
from evalkit.themes.evaluate import protocol
from evalkit.themes.novelty import most_similar_earlier
from evalkit.themes.overrides import apply_overrides
from evalkit.themes.taxonomy import Taxonomy, load_taxonomy
from evalkit.themes.workflow import ThemesRun, run, write_artifacts

__all__ = [
    "TEXT_COLUMNS",
    "EmergingClusters",
    "Taxonomy",
    "ThemeClassifier",
    "ThemesRun",
    "apply_overrides",
    "emerging_clusters",
    "load_taxonomy",
    "most_similar_earlier",
    "protocol",
    "run",
    "write_artifacts",
]
