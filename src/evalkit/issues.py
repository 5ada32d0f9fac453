"""Problems found in user input, located precisely enough to fix them.

Every check in evalkit reports an :class:`Issue` instead of raising on the first problem,
so a user sees all that is wrong with a file in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem in one place. ``row`` is the spreadsheet row (header = row 1)."""

    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    code: str = ""
    # The values in the message, so a report can say it again in its own language
    # (``locales/<lang>/core.yaml``, ``quality.details.<code>``).
    args: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        return dict(self.args)

    def location(self) -> str:
        parts = [self.file + (f" [{self.sheet}]" if self.sheet else "")]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(p for p in parts if p)

    def __str__(self) -> str:
        where = self.location()
        return f"{self.severity}: {where}: {self.message}" if where else (
            f"{self.severity}: {self.message}"
        )

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["args"] = dict(self.args)
        return data


class InputError(Exception):
    """Raised when input has errors; carries every issue found, errors and warnings."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        head = f"{len(errors)} error(s) in the input"
        super().__init__(head + ":\n" + "\n".join(f"  {i}" for i in errors))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]
