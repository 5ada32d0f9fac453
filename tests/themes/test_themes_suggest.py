"""Which rows an evaluator should label: uncertainty plus diversity; saving their labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from test_themes_support import CORPUS, frame, taxonomy

from conftest import write_csv
from evalkit.issues import InputError
from evalkit.themes.classifier import ThemeClassifier
from evalkit.themes.labelling import form_rows, import_filled
from evalkit.themes.suggest import choose, margin_uncertainty, suggest
from evalkit.themes.workflow import read_labels, save_labels


def test_margin_uncertainty() -> None:
    proba = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.6, 0.3, 0.1]])
    np.testing.assert_allclose(margin_uncertainty(proba), [0.0, 1.0, 0.7])


def test_choose_spreads_over_different_texts() -> None:
    """Three copies of the most uncertain text and one other, a little less uncertain: the
    second pick is the other text, not a copy."""
    vectors = sp.csr_matrix(np.array([[1.0, 0], [1.0, 0], [1.0, 0], [0, 1.0]]))
    assert choose(np.array([0.9, 0.9, 0.9, 0.8]), vectors, 2) == [0, 3]
    labelled = sp.csr_matrix(np.array([[1.0, 0]]))  # already labelled: that text is known
    assert choose(np.array([0.9, 0.9, 0.9, 0.8]), vectors, 1, labelled) == [3]
    assert choose(np.array([0.5]), vectors[:1], 0) == []


UNLABELLED = pd.concat([CORPUS, frame(
    ("SIGAP", "", ""), ("SIGAP PLUS", "", ""), ("XYZZY", "", ""),
    ("KOPI DESA (Kopi Warga)", "", ""))], ignore_index=True)


def test_suggest_lists_the_least_sure_rows_first_and_skips_labelled_ones() -> None:
    rows = UNLABELLED.assign(innovation_id=[f"I{i}" for i in range(len(UNLABELLED))])
    model = ThemeClassifier(taxonomy()).fit(rows)
    picked = suggest(model, rows, 3)
    assert list(picked["rank"]) == [1, 2, 3] and picked["theme"].eq("").all()
    assert {"suggested_theme", "confidence", "uncertainty"} <= set(picked.columns)
    assert picked["confidence"].max() < 0.9  # clear seed rows are not worth a label
    again = suggest(model, rows, 3)
    pd.testing.assert_frame_equal(picked, again)  # deterministic
    labelled = rows[rows["innovation_id"].isin(picked["innovation_id"][:2])]
    later = suggest(model, rows, 3, labelled)
    assert not set(later["innovation_id"]) & set(labelled["innovation_id"])
    assert len(suggest(model, rows, 100)) == len(rows)


def test_save_labels_merges_by_id_and_writes_atomically(tmp_path: Path) -> None:
    path = tmp_path / "labels" / "themes.csv"
    first = pd.DataFrame([{"innovation_id": "A1", "title": "SIGAP", "theme": "kesehatan"},
                          {"innovation_id": "A2", "title": "KOPI", "theme": ""}])
    merged = save_labels(path, first, taxonomy())
    assert list(merged["innovation_id"]) == ["A1"]  # an empty theme is not a label
    second = pd.DataFrame([{"innovation_id": "A1", "title": "SIGAP", "theme": "pendidikan"},
                           {"innovation_id": "A3", "title": "X", "unit": "SMAN 1",
                            "theme": "pendidikan"}])
    save_labels(path, second, taxonomy())
    stored = read_labels(path, taxonomy())
    assert list(stored["innovation_id"]) == ["A1", "A3"]
    assert list(stored["theme"]) == ["pendidikan", "pendidikan"]  # the newer label wins
    before = path.read_bytes()
    with pytest.raises(InputError, match="wisata"):
        save_labels(path, pd.DataFrame([{"innovation_id": "A4", "title": "Y",
                                         "theme": "wisata"}]), taxonomy())
    assert path.read_bytes() == before  # nothing written on an error
    assert not list(path.parent.glob("*.tmp*"))


def test_a_filled_suggestions_file_joins_the_labels(tmp_path: Path) -> None:
    filled = tmp_path / "filled.csv"
    write_csv(filled, [
        {"rank": "1", "innovation_id": "B1", "title": "SIGAP", "unit": "", "theme": "kesehatan",
         "suggested_theme": "pendidikan"},
        {"rank": "2", "innovation_id": "B2", "title": "KOPI", "unit": "", "theme": "",
         "suggested_theme": "pertanian"}])
    labels = tmp_path / "labels.csv"
    added = import_filled(filled, labels, taxonomy())
    assert list(added["innovation_id"]) == ["B1"]
    assert list(read_labels(labels, taxonomy())["theme"]) == ["kesehatan"]
    bad = tmp_path / "bad.csv"
    write_csv(bad, [{"innovation_id": "B3", "title": "X", "theme": "wisata"}])
    with pytest.raises(InputError) as caught:
        import_filled(bad, labels, taxonomy())
    assert "bad.csv" in str(caught.value) and "wisata" in str(caught.value)


def test_form_rows_keep_only_the_rows_given_a_theme() -> None:
    suggested = pd.DataFrame({"innovation_id": ["C1", "C2"], "title": ["A", "B"],
                              "unit": ["", ""], "suggested_theme": ["x", "y"]})
    rows = form_rows(suggested, {"C2": "kesehatan"})
    assert list(rows["innovation_id"]) == ["C2"] and list(rows["theme"]) == ["kesehatan"]
