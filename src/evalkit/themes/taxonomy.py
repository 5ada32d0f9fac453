"""The theme taxonomy as data: ``taxonomy.yaml`` shipped in this package (or the user's
file named by ``themes.taxonomy``) loaded and checked.

Themes, labels, seed terms, unit and affair cues and domain stop words live in that file,
never in code, so an evaluator can add a theme or a local abbreviation without touching
Python. The default ships inside the package (not in ``params/``) so an installed evalkit
finds it from any folder, and a ``params/*.yaml`` glob of run settings never picks it up.
A region's own facts (which themes its socialisation emphasised) are run params, not
taxonomy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.issues import InputError, Issue
from evalkit.themes.text import normalize
from evalkit.yamlio import parse_yaml

DEFAULT_TAXONOMY = Path(__file__).with_name("taxonomy.yaml")
LANGUAGES = ("id", "en")
TOP_LEVEL_KEYS = ("version", "fallback", "domain_stopwords", "affair_cues", "themes")


Terms = tuple[tuple[str, float], ...]  # (word or phrase, weight)


@dataclass(frozen=True)
class Theme:
    """One theme: labels and descriptions per language, and its weighted seed vocabulary."""

    id: str
    label: dict[str, str]
    description: dict[str, str]
    seeds: Terms = ()
    unit_cues: Terms = ()


@dataclass(frozen=True)
class Taxonomy:
    """All themes, the fallback theme for weak evidence, and the domain stop words."""

    themes: tuple[Theme, ...]
    fallback: str
    domain_stopwords: tuple[str, ...] = ()
    # normalized affair (urusan) name -> (theme, weight) pairs; see affair_cues in the YAML
    affair_cues: tuple[tuple[str, Terms], ...] = ()
    version: str = ""
    digest: str = ""  # sha256 of the file, for the manifest

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(f"unknown theme {theme_id!r}; known: {', '.join(self.ids)}")

    def label(self, theme_id: str, lang: str = "id") -> str:
        """The theme's label in ``lang``; an unknown id is shown as it is."""
        try:
            return self.theme(theme_id).label[lang]
        except KeyError:
            return theme_id


def default_taxonomy_path() -> Path:
    """The taxonomy shipped inside the package."""
    return DEFAULT_TAXONOMY


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and check a taxonomy file; raise :class:`InputError` listing every problem."""
    file = Path(path) if path is not None else default_taxonomy_path()
    if not file.is_file():
        raise InputError([Issue("error", "theme taxonomy not found", file=str(file))])
    raw = file.read_bytes()
    try:
        data = parse_yaml(raw.decode("utf-8"), file)
    except UnicodeDecodeError as exc:
        raise InputError([Issue("error", f"not valid YAML: {exc}", file=str(file))]) from exc
    issues: list[Issue] = []
    taxonomy = parse_taxonomy(data, str(file), issues)
    if issues or taxonomy is None:
        raise InputError(issues)
    return Taxonomy(**{**taxonomy.__dict__, "digest": hashlib.sha256(raw).hexdigest()})


def _terms(value: Any, where: str, error: Any) -> Terms:
    """A list of "term" (weight 1) or "term: weight" entries as (term, weight) pairs."""
    if not isinstance(value, list):
        error(where, "must be a list of terms")
        return ()
    terms = []
    for item in value:
        pairs = list(item.items()) if isinstance(item, dict) else [(item, 1.0)]
        for term, weight in pairs:
            number = isinstance(weight, int | float) and not isinstance(weight, bool)
            if not isinstance(term, str) or not number or weight <= 0:
                error(where, f"{item!r} is not a term or 'term: positive weight'")
                continue
            terms.append((term, float(weight)))
    return tuple(terms)


def parse_taxonomy(data: Any, file: str, issues: list[Issue]) -> Taxonomy | None:
    """Build a :class:`Taxonomy` from parsed YAML, appending problems to ``issues``."""

    def error(where: str, message: str) -> None:
        issues.append(Issue("error", message, file=file, column=where))

    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        error("themes", "expected a mapping with a 'themes' list")
        return None
    if "emphasised" in data:
        error("emphasised", "'emphasised' is a fact of a region, not of the taxonomy: move it "
                            "to 'themes.emphasised' in the region's run params")
    for key in sorted(set(data) - {*TOP_LEVEL_KEYS, "emphasised"}):
        error(str(key), f"unknown key {key!r}; known: {', '.join(TOP_LEVEL_KEYS)}")
    themes: list[Theme] = []
    for i, entry in enumerate(data["themes"]):
        where = f"themes[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            error(where, "each theme needs an 'id' (text)")
            continue
        unknown = set(entry) - {"id", "label", "description", "seeds", "unit_cues"}
        if unknown:
            error(where, f"unknown key(s) {', '.join(sorted(unknown))} in theme {entry['id']!r}")
        label, description = entry.get("label"), entry.get("description", {})
        for key, value in (("label", label), ("description", description)):
            if not isinstance(value, dict) or any(lang not in value for lang in LANGUAGES):
                error(f"{where}.{key}", f"theme {entry['id']!r}: '{key}' needs 'id' and 'en'")
        terms = {}
        for key in ("seeds", "unit_cues"):
            terms[key] = _terms(entry.get(key) or [], f"{where}.{key}", error)
        themes.append(Theme(id=entry["id"], label=dict(label or {}),
                            description=dict(description or {}), **terms))
    ids = [t.id for t in themes]
    for theme_id in {i for i in ids if ids.count(i) > 1}:
        error("themes", f"theme id {theme_id!r} is given more than once")
    fallback = data.get("fallback", "lainnya")
    if fallback not in ids:
        error("fallback", f"fallback theme {fallback!r} is not one of the themes")
    affair_cues = _affair_cues(data.get("affair_cues") or {}, set(ids), error)
    stopwords = data.get("domain_stopwords") or []
    if not isinstance(stopwords, list):
        error("domain_stopwords", "'domain_stopwords' must be a list of words")
        stopwords = []
    if issues:
        return None
    return Taxonomy(themes=tuple(themes), fallback=fallback, affair_cues=affair_cues,
                    domain_stopwords=tuple(str(w) for w in stopwords),
                    version=str(data.get("version", "")))


def _affair_cues(value: Any, ids: set[str], error: Any) -> tuple[tuple[str, Terms], ...]:
    """``affair name: {theme: weight, ...}`` entries, names normalized like the text."""
    if not isinstance(value, dict):
        error("affair_cues", "'affair_cues' must map affair names to {theme: weight}")
        return ()
    cues = []
    for affair, themes in value.items():
        where = f"affair_cues.{affair}"
        if not isinstance(themes, dict) or not themes:
            error(where, f"affair {affair!r} needs {{theme: weight}}")
            continue
        terms = _terms([themes], where, error)
        for theme_id, _ in terms:
            if theme_id not in ids:
                error(where, f"affair {affair!r} points to unknown theme {theme_id!r}")
        if normalize(affair):
            cues.append((normalize(affair), terms))
    return tuple(cues)
