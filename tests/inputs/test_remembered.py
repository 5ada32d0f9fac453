"""Validated year folders are remembered by content: the same folder validates once per
process, each caller gets its own copy, and any change to a file is seen."""

from __future__ import annotations

import pandas as pd

from evalkit.config import load_params
from evalkit.inputs import load_year


def test_remembered_copies_and_changes_seen(mini_region) -> None:
    params = load_params(mini_region())
    first = load_year(params)
    first.innovations.loc[0, "title"] = "changed by a caller"
    second = load_year(params)
    assert second.innovations.loc[0, "title"] != "changed by a caller"
    assert second.innovations is not first.innovations
    fresh = load_year(params, remember=False)
    pd.testing.assert_frame_equal(second.innovations, fresh.innovations)
    inn = params.year_dir / "innovations.csv"
    inn.write_text(inn.read_text(encoding="utf-8").replace("SEHATI", "SEHATU"),
                   encoding="utf-8")  # same size, same second: the content decides
    assert load_year(params).innovations["title"].str.startswith("SEHATU").any()
