"""User-facing strings, one place per language: ``locales/<lang>/<domain>.yaml``.

Keys are dotted by domain (``core.title``, ``iid.chapter``). Each domain owns its file, so the
IID, themes and jury chapters can grow their texts independently; a test checks that every
language has the same keys.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from evalkit.yamlio import parse_yaml

LANGUAGES = ("id", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of a language as a flat {dotted key: text} mapping."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose from {', '.join(LANGUAGES)}")
    folder = resources.files("evalkit") / "locales" / lang
    strings: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        domain = entry.name.removesuffix(".yaml")
        text = entry.read_text(encoding="utf-8")
        data = parse_yaml(text, f"locales/{lang}/{entry.name}") or {}
        _flatten(domain, data, strings)
    return strings


def _flatten(prefix: str, data: Any, out: dict[str, str]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _flatten(f"{prefix}.{key}", value, out)
    else:
        out[prefix] = str(data)


class Translator:
    """``t("core.title", region="...")`` gives the text in the chosen language."""

    def __init__(self, lang: str = "id"):
        self.lang = lang
        self.strings = catalogue(lang)

    def __call__(self, key: str, **fields: Any) -> str:
        return self.t(key, **fields)

    def t(self, key: str, **fields: Any) -> str:
        try:
            text = self.strings[key]
        except KeyError:
            raise KeyError(f"no text for {key!r} in language {self.lang!r}") from None
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in self.strings

    def number(self, value: float, digits: int = 2) -> str:
        """A number as readers of this language write it (Indonesian: 47,67 and 1.234)."""
        text = f"{value:,.{digits}f}"
        if self.lang == "id":
            text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
        return text

    def percent(self, share: float, digits: int = 1) -> str:
        return self.number(100 * share, digits) + "%"
