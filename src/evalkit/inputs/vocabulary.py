"""Official vocabularies as data: ``inputs/vocabularies/<name>.yaml`` loaded and matched.

A vocabulary lists canonical entries (a key, the official name, the spellings in use) and its
own normalisation rules (words that do not matter, variant spellings to replace, prefixes to
strip). Matching is exact on the normalised word set, so case, punctuation, word order, "dan"
versus "serta" and Perlindungan versus Pelindungan do not matter; a value that matches nothing
is reported with the closest entry, so an affair is never dropped in silence. A value one typo
away from a single entry is read as that entry, with a warning saying so.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from evalkit.issues import InputError, Issue
from evalkit.yamlio import read_yaml

NAMES = ("affairs", "forms", "types", "stages", "initiators", "statuses", "presence",
         "unit_kinds", "region_kinds")
# Similarity (difflib ratio of the normalised texts) above which a value is read as its
# closest entry (with a warning); below it the value matches nothing.
CLOSE_ENOUGH = 0.9
MIN_FUZZY_LENGTH = 6
_PUNCTUATION = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    spellings: tuple[str, ...] = ()
    group: str = ""
    patterns: tuple[re.Pattern[str], ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """How a written value matched: ``exact``, ``close`` (read as the closest, warn) or
    ``none`` (``closest`` names the nearest entry, if any is near at all)."""

    how: Literal["exact", "close", "none"]
    entry: Entry | None = None
    closest: Entry | None = None
    score: float = 0.0

    @property
    def key(self) -> str | None:
        return self.entry.key if self.entry is not None else None


@dataclass(frozen=True)
class Rules:
    replace: tuple[tuple[re.Pattern[str], str], ...] = ()
    strip_prefixes: tuple[str, ...] = ()
    drop: frozenset[str] = frozenset()


@dataclass(eq=False)
class Vocabulary:
    id: str
    title: str
    source: str
    entries: tuple[Entry, ...]
    rules: Rules
    path: Path
    _exact: dict[str, Entry] = field(default_factory=dict, repr=False)
    _texts: list[tuple[str, Entry]] = field(default_factory=list, repr=False)
    _memo: dict[str, Match] = field(default_factory=dict, repr=False)

    def words(self, text: str) -> list[str]:
        """The words that count when comparing, in order."""
        out = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", " dan ")
        out = " ".join(_PUNCTUATION.sub(" ", out).split())
        for pattern, replacement in self.rules.replace:
            out = pattern.sub(replacement, out)
        for prefix in self.rules.strip_prefixes:
            if out.startswith(prefix + " "):
                out = out[len(prefix) + 1:]
                break
        return [w for w in out.split() if w not in self.rules.drop]

    def normalise(self, text: str) -> str:
        """Order-free comparison key: the distinct words, sorted."""
        return " ".join(sorted(set(self.words(text))))

    def match(self, text: str) -> Match:
        """The entry ``text`` names, exactly, closely, or not at all (memoised)."""
        found = self._memo.get(text)
        if found is None:
            found = self._match(text)
            self._memo[text] = found
        return found

    def _match(self, text: str) -> Match:
        key = self.normalise(text)
        entry = self._exact.get(key)
        if entry is not None:
            return Match("exact", entry, entry, 1.0)
        plain = " ".join(self.words(text))
        words = set(plain.split())
        ratio: dict[str, tuple[float, Entry]] = {}
        near: dict[str, tuple[float, Entry]] = {}
        for candidate, owner in self._texts:
            r = difflib.SequenceMatcher(None, plain, candidate).ratio()
            theirs = set(candidate.split())
            shared = len(words & theirs) / len(theirs) if theirs else 0.0
            if r > ratio.get(owner.key, (-1.0, owner))[0]:
                ratio[owner.key] = (r, owner)
            closeness = 0.5 * r + 0.5 * shared  # a spelling, or an entry's words inside it
            if closeness > near.get(owner.key, (-1.0, owner))[0]:
                near[owner.key] = (closeness, owner)
        if not ratio:
            return Match("none")
        ranked = sorted(ratio.values(), key=lambda item: -item[0])
        score, best = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        if score >= CLOSE_ENOUGH and len(plain) >= MIN_FUZZY_LENGTH and second < score - 0.05:
            return Match("close", best, best, score)
        closeness, closest = max(near.values(), key=lambda item: item[0])
        return Match("none", None, closest if closeness >= 0.5 else None, closeness)

    def entry(self, key: str) -> Entry:
        for entry in self.entries:
            if entry.key == key:
                return entry
        raise KeyError(f"no entry {key!r} in vocabulary {self.id}")

    @property
    def keys(self) -> list[str]:
        return [e.key for e in self.entries]

    def infer(self, name: str) -> Entry | None:
        """The first entry whose ``patterns`` match ``name`` (lower case, spaces collapsed)."""
        text = " ".join(unicodedata.normalize("NFKC", str(name)).casefold().split())
        for entry in self.entries:
            if any(p.search(text) for p in entry.patterns):
                return entry
        return None


def _strings(value: Any, key: str, issues: list[Issue], file: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        issues.append(Issue("error", f"'{key}' must be a list of texts", file=file, column=key,
                            code="vocabulary"))
        return ()
    return tuple(str(v) for v in value)


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Load and check a vocabulary file: unique keys, no spelling claimed by two entries."""
    path = Path(path)
    file = str(path)
    data = read_yaml(path)  # duplicate keys and alias bombs are located errors
    issues: list[Issue] = []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise InputError([Issue("error", "a vocabulary needs 'id' and a list of 'entries'",
                                file=file, code="vocabulary")])
    norm = data.get("normalise") or {}
    replace = tuple(
        (re.compile(rf"\b{re.escape(str(old).casefold())}\b"), str(new).casefold())
        for old, new in sorted((norm.get("replace") or {}).items(),
                               key=lambda kv: -len(str(kv[0]))))
    prefixes = tuple(sorted((p.casefold() for p in _strings(
        norm.get("strip_prefixes"), "normalise.strip_prefixes", issues, file)), key=len,
        reverse=True))
    rules = Rules(replace, prefixes, frozenset(w.casefold() for w in _strings(
        norm.get("drop"), "normalise.drop", issues, file)))
    entries: list[Entry] = []
    for i, item in enumerate(data["entries"]):
        where = f"entries[{i}]"
        if not isinstance(item, dict) or not item.get("key") or not item.get("name"):
            issues.append(Issue("error", f"'{where}' needs 'key' and 'name'", file=file,
                                column=where, code="vocabulary"))
            continue
        try:
            patterns = tuple(re.compile(p) for p in _strings(item.get("patterns"),
                                                             f"{where}.patterns", issues, file))
        except re.error as exc:
            issues.append(Issue("error", f"'{where}.patterns': {exc}", file=file, column=where,
                                code="vocabulary"))
            patterns = ()
        entries.append(Entry(str(item["key"]), str(item["name"]),
                             _strings(item.get("spellings"), f"{where}.spellings", issues, file),
                             str(item.get("group", "")), patterns,
                             _strings(item.get("regions"), f"{where}.regions", issues, file)))
    vocab = Vocabulary(str(data.get("id", path.stem)), str(data.get("title", "")),
                       str(data.get("source", "")), tuple(entries), rules, path)
    seen_keys: set[str] = set()
    for entry in entries:
        if entry.key in seen_keys:
            issues.append(Issue("error", f"key '{entry.key}' appears twice", file=file,
                                column="entries", code="vocabulary"))
        seen_keys.add(entry.key)
        for spelling in (entry.key.replace("_", " "), entry.name, *entry.spellings):
            norm_key = vocab.normalise(spelling)
            owner = vocab._exact.get(norm_key)
            if owner is not None and owner.key != entry.key:
                issues.append(Issue(
                    "error", f"'{spelling}' of '{entry.key}' reads the same as a spelling of "
                    f"'{owner.key}'", file=file, column="entries", code="vocabulary"))
                continue
            vocab._exact[norm_key] = entry
            plain = " ".join(vocab.words(spelling))
            if plain:
                vocab._texts.append((plain, entry))
    if issues:
        raise InputError(issues)
    return vocab


@cache
def vocabulary(name: str) -> Vocabulary:
    """A vocabulary shipped with evalkit, by name (see ``NAMES``)."""
    if name not in NAMES:
        raise KeyError(f"unknown vocabulary {name!r}; known: {', '.join(NAMES)}")
    with resources.as_file(resources.files("evalkit.inputs") / "vocabularies"
                           / f"{name}.yaml") as path:
        return load_vocabulary(path)
