"""The theme taxonomy as data: ``params/themes.yaml`` (or the user's file) loaded and checked.

Themes, labels, seed terms and domain stop words live in that file, never in code, so an
evaluator can add a theme or a local abbreviation without touching Python.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evalkit.issues import InputError, Issue

DEFAULT_TAXONOMY = Path("params") / "themes.yaml"
LANGUAGES = ("id", "en")


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
    emphasised: tuple[str, ...] = ()
    domain_stopwords: tuple[str, ...] = ()
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
    """``params/themes.yaml`` of the current folder, else the one of this source checkout."""
    here = Path.cwd() / DEFAULT_TAXONOMY
    if here.is_file():
        return here
    return Path(__file__).resolve().parents[3] / DEFAULT_TAXONOMY


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and check a taxonomy file; raise :class:`InputError` listing every problem."""
    file = Path(path) if path is not None else default_taxonomy_path()
    if not file.is_file():
        raise InputError([Issue("error", "theme taxonomy not found", file=str(file))])
    raw = file.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
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
    emphasised = tuple(data.get("emphasised") or ())
    for theme_id in emphasised:
        if theme_id not in ids:
            error("emphasised", f"emphasised theme {theme_id!r} is not one of the themes")
    stopwords = data.get("domain_stopwords") or []
    if not isinstance(stopwords, list):
        error("domain_stopwords", "'domain_stopwords' must be a list of words")
        stopwords = []
    if issues:
        return None
    return Taxonomy(themes=tuple(themes), fallback=fallback, emphasised=emphasised,
                    domain_stopwords=tuple(str(w) for w in stopwords),
                    version=str(data.get("version", "")))
