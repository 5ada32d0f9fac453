"""Confidence that means what it says: a two-number calibration map, and how far confidence
is from the share of right answers (expected calibration error, reliability table).

The map is ``(1 - ceiling) * softmax(logits / temperature) + ceiling / n_themes``: the
temperature (Guo et al. 2017) spreads or sharpens the probabilities, and the ceiling mixes
in a little of the uniform distribution, so that even an innovation full of seed terms is
not called certain. Why two numbers and not one: under the leave-one-province-out protocol
the confidence of the rows with many seed terms was 0.99 while 88% of them were right, and
the rows below were roughly honest; a temperature alone, sharpening or flattening all rows
alike, made the expected calibration error worse, not better. Neither number changes which
theme is chosen, so calibration cannot trade accuracy away. Both are fitted on held-out
predictions only (out-of-fold rows), never on the rows they are then judged on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import minimize

N_BINS = 10
TEMPERATURE_BOUNDS = (0.05, 20.0)
CEILING_BOUNDS = (0.0, 0.5)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def calibrate(logits: np.ndarray, temperature: float = 1.0, ceiling: float = 0.0
              ) -> np.ndarray:
    """Calibrated probabilities: ``(1 - ceiling) * softmax(logits / temperature)`` plus
    ``ceiling`` spread evenly over the themes."""
    return (1.0 - ceiling) * softmax(logits, temperature) + ceiling / logits.shape[1]


def fit_calibration(logits: np.ndarray, gold: Sequence[int]) -> tuple[float, float]:
    """The (temperature, ceiling) under which the chosen theme's probability best predicts
    whether it is right: the log-loss of (confidence, correct) is minimised. This targets
    what the report shows, and stays finite where a gold theme is one the model cannot give
    (the fallback, reached only through ``min_confidence``). (1.0, 0.0) when there is
    nothing to fit on."""
    gold = np.asarray(gold, dtype=int)
    if len(gold) == 0:
        return 1.0, 0.0
    correct = logits.argmax(axis=1) == gold

    def unpack(x: np.ndarray) -> tuple[float, float]:
        t = float(np.exp(np.clip(x[0], *np.log(TEMPERATURE_BOUNDS))))
        c = float(np.clip(1.0 / (1.0 + np.exp(-np.clip(x[1], -30, 30))), *CEILING_BOUNDS))
        return t, c

    def loss(x: np.ndarray) -> float:
        confidence = np.clip(calibrate(logits, *unpack(x)).max(axis=1), 1e-9, 1 - 1e-9)
        return float(-np.mean(np.where(correct, np.log(confidence), np.log1p(-confidence))))

    result = minimize(loss, np.array([0.0, -3.0]), method="Nelder-Mead",
                      options={"xatol": 1e-4, "fatol": 1e-8, "maxiter": 400})
    return unpack(result.x)


def reliability_table(confidence: Sequence[float], correct: Sequence[bool],
                      n_bins: int = N_BINS) -> pd.DataFrame:
    """Rows per confidence bin (equal width on [0, 1]): rows, mean confidence, share right."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=bool)
    edges = np.linspace(0, 1, n_bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, n_bins - 1)
    rows = []
    for b in range(n_bins):
        mask = which == b
        n = int(mask.sum())
        rows.append({"low": float(edges[b]), "high": float(edges[b + 1]), "rows": n,
                     "mean_confidence": float(confidence[mask].mean()) if n else float("nan"),
                     "accuracy": float(correct[mask].mean()) if n else float("nan")})
    return pd.DataFrame(rows)


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool],
                               n_bins: int = N_BINS) -> float:
    """Mean |accuracy - confidence| over the bins, weighted by their rows."""
    table = reliability_table(confidence, correct, n_bins)
    filled = table[table["rows"] > 0]
    if filled.empty:
        return float("nan")
    gap = (filled["accuracy"] - filled["mean_confidence"]).abs()
    return float((gap * filled["rows"]).sum() / filled["rows"].sum())
