"""Emerging clusters among the innovations the taxonomy did not place."""

from __future__ import annotations

import pandas as pd

from evalkit.themes.clusters import MIN_ROWS, emerging_clusters
from evalkit.themes.text import stopword_set

POOL = pd.DataFrame({
    "innovation_id": [f"P{i}" for i in range(10)],
    "title": ["Drone pemetaan batas desa", "Pemetaan batas desa dengan drone",
              "Drone untuk peta batas desa", "Peta drone batas wilayah desa",
              "Drone batas desa partisipatif",
              "Kopi robusta pascapanen kopi", "Sangrai kopi robusta rakyat",
              "Kopi robusta bubuk kemasan", "Pelatihan sangrai kopi robusta",
              "Kopi robusta untuk kafe"],
    "description": [""] * 10})


def test_two_obvious_groups_are_found_and_described() -> None:
    found = emerging_clusters(POOL, stopword_set(), max_clusters=4, random_state=0)
    assert found.k >= 2 and found.silhouette > 0.2
    members = found.members.set_index("innovation_id")["cluster"]
    drones, coffee = set(members[:5]), set(members[5:])
    assert len(drones) == 1 and not drones & coffee  # the groups never mix
    biggest = found.clusters.iloc[0]
    assert biggest["size"] == 5 and "drone" in biggest["top_terms"]
    assert "kopi" not in biggest["top_terms"]  # only terms the cluster actually uses
    assert 1 <= len(biggest["examples"].split(" | ")) <= 3


def test_clusters_are_deterministic() -> None:
    a = emerging_clusters(POOL, stopword_set(), random_state=1)
    b = emerging_clusters(POOL, stopword_set(), random_state=1)
    pd.testing.assert_frame_equal(a.clusters, b.clusters)


def test_too_few_rows_are_not_clustered() -> None:
    found = emerging_clusters(POOL.head(MIN_ROWS - 1), stopword_set())
    assert found.k == 0 and found.clusters.empty
    assert found.members["cluster"].isna().all() and len(found.members) == MIN_ROWS - 1
