"""The score store: one atomic file per juror, an append-only change log, never in data/."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evalkit.jury.store import JuryStore, default_store_dir


def scores(values: dict[tuple[str, str], float]) -> pd.DataFrame:
    return pd.DataFrame([{"innovation_id": e, "stage": "utama", "criterion": c, "score": v,
                          "note": ""} for (e, c), v in values.items()])


NO_RECUSALS = pd.DataFrame(columns=["innovation_id", "stage", "reason_code", "reason"])


def test_default_location_is_beside_params_not_in_data(tmp_path):
    where = default_store_dir(tmp_path / "params" / "2025.yaml", "rejang-lebong", 2025)
    assert where == (tmp_path / "store" / "rejang-lebong" / "2025").resolve()


def test_replace_juror_replaces_exactly_that_juror_and_logs(tmp_path):
    store = JuryStore(tmp_path / "s")
    store.replace_juror("JA", scores({("E1", "a"): 50, ("E2", "a"): 60}), NO_RECUSALS,
                        via="sheet", source="a.xlsx", sha256="abc")
    store.replace_juror("JB", scores({("E1", "a"): 70}), NO_RECUSALS, via="form")
    entry = store.replace_juror("JA", scores({("E1", "a"): 55}), NO_RECUSALS, via="sheet",
                                source="a2.xlsx", sha256="def")
    assert entry["n_changed"] == 2 and entry["replaced"]  # E1 changed, E2 gone
    frame = store.scores()
    assert frame[frame["juror_id"] == "JA"]["score"].tolist() == [55.0]
    assert frame[frame["juror_id"] == "JB"]["score"].tolist() == [70.0]
    log = store.log()
    assert list(log["juror_id"]) == ["JA", "JB", "JA"]
    assert list(log["sha256"]) == ["abc", "", "def"]
    assert log["timestamp"].str.match(r"\d{4}-\d\d-\d\dT").all()
    assert (tmp_path / "s" / ".gitignore").read_text().strip().endswith("*")
    assert store.jurors() == ["JA", "JB"]


def test_a_failed_write_leaves_the_previous_scores(tmp_path, monkeypatch):
    store = JuryStore(tmp_path / "s")
    store.replace_juror("JA", scores({("E1", "a"): 50}), NO_RECUSALS, via="sheet")
    before = store.juror_file("JA").read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("evalkit.jury.store.json.dumps", broken)
    with pytest.raises(OSError):
        store.replace_juror("JA", scores({("E1", "a"): 99}), NO_RECUSALS, via="sheet")
    assert store.juror_file("JA").read_bytes() == before
    assert len(store.log()) == 1


def test_odd_juror_ids_get_safe_file_names(tmp_path):
    store = JuryStore(tmp_path / "s")
    store.replace_juror("../x y", scores({("E1", "a"): 50}), NO_RECUSALS, via="form")
    (file,) = (tmp_path / "s" / "jurors").iterdir()
    assert file.parent == tmp_path / "s" / "jurors" and file.name.startswith("x")
    assert json.loads(file.read_text())["juror_id"] == "../x y"


def test_empty_store_reads_empty_tables(tmp_path):
    store = JuryStore(Path(tmp_path / "none"))
    assert store.scores().empty and store.recusals().empty and store.log().empty
    assert store.jurors() == []
