"""Checking a YAML file (a rubric, a taxonomy) key by key, collecting every problem.

Rubric loaders subclass :class:`KeyChecker` and add the checks their format needs; the
problems come back as Issues that name the file and the key path, all at once.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from evalkit.issues import Issue, as_written


class KeyChecker:
    """Collects every problem in one file as an Issue naming the key."""

    def __init__(self, file: str | Path):
        self.file = str(file)
        self.issues: list[Issue] = []

    def error(self, key: str, message: str) -> None:
        self.issues.append(Issue("error", message, file=self.file, column=key, code="rubric"))

    def number(self, value: Any, key: str, positive: bool = False) -> float:
        """A finite number (not a boolean); NaN, after reporting, when it is not one."""
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            self.error(key, f"'{key}' must be a number, got {as_written(value)}")
            return math.nan
        if positive and value <= 0:
            self.error(key, f"'{key}' must be greater than 0, got {as_written(value)}")
        return float(value)
