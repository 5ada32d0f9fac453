from __future__ import annotations

import pytest

from evalkit.i18n import LANGUAGES, Translator, catalogue


def test_every_language_has_the_same_keys() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    reference = keys["id"]
    for lang, found in keys.items():
        assert found == reference, (lang, sorted(found ^ reference))


def test_placeholders_match_across_languages() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    ids, ens = catalogue("id"), catalogue("en")
    for key, text in ids.items():
        assert fields(text) == fields(ens[key]), key


def test_translator_formats_and_numbers() -> None:
    t_id, t_en = Translator("id"), Translator("en")
    assert "2025" in t_id("core.report.title", region="X", year=2025)
    assert t_id.number(1234.5) == "1.234,50" and t_en.number(1234.5) == "1,234.50"
    assert t_id.percent(0.5) == "50,0%"
    with pytest.raises(KeyError):
        t_id("core.nope")
    with pytest.raises(ValueError):
        Translator("fr")
