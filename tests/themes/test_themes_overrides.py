"""Evaluators' overrides win over the model, stay visible, and typos are caught."""

from __future__ import annotations

import pandas as pd
import pytest
from test_themes_support import taxonomy

from evalkit.issues import InputError
from evalkit.themes.overrides import apply_overrides, override_listing

ASSIGNED = pd.DataFrame({
    "innovation_id": ["A", "B", "C"], "year": [2025, 2025, 2024],
    "title": ["Sampah Inspektorat", "GELIS", "SI PADI"], "unit_name": ["Inspektorat", "SMAN",
                                                                      "Distan"],
    "theme": ["pendidikan", "pendidikan", "pertanian"], "confidence": [0.5, 0.99, 0.98]})


def overrides(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["innovation_id", "theme", "reason"])


def test_override_replaces_the_theme_and_keeps_the_models() -> None:
    applied, issues = apply_overrides(
        ASSIGNED, overrides(("A", "lingkungan", "tentang sampah kantor")), taxonomy())
    assert not issues
    assert list(applied["theme"]) == ["lingkungan", "pendidikan", "pertanian"]
    assert list(applied["theme_model"]) == ["pendidikan", "pendidikan", "pertanian"]
    assert list(applied["overridden"]) == [True, False, False]
    assert list(applied["override_reason"]) == ["tentang sampah kantor", "", ""]
    listing = override_listing(applied)
    assert listing[["innovation_id", "theme_model", "theme"]].values.tolist() == [
        ["A", "pendidikan", "lingkungan"]]


def test_no_overrides_changes_nothing() -> None:
    applied, issues = apply_overrides(ASSIGNED, overrides(), taxonomy())
    assert not issues and not applied["overridden"].any()
    assert list(applied["theme"]) == list(ASSIGNED["theme"])
    assert override_listing(applied).empty


def test_unknown_theme_is_an_error_naming_the_row() -> None:
    table = overrides(("A", "lingkungn", "typo")).assign(_source="2025/theme_overrides.csv",
                                                         _row=2)
    with pytest.raises(InputError) as caught:
        apply_overrides(ASSIGNED, table, taxonomy())
    message = str(caught.value)
    assert "lingkungn" in message and "theme_overrides.csv" in message and "row 2" in message


def test_unknown_innovation_is_a_warning() -> None:
    applied, issues = apply_overrides(ASSIGNED, overrides(("Z", "lingkungan", "?")), taxonomy())
    assert [i.severity for i in issues] == ["warning"] and "'Z'" in issues[0].message
    assert not applied["overridden"].any()
