"""Problems found in user input, located precisely enough to fix them.

Every check in evalkit reports an :class:`Issue` instead of raising on the first problem,
so a user sees all that is wrong with a file in one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    # The offending value as written (issues with the same code, place and value are one
    # group) and how to fix it (a params snippet, the closest known spelling).
    value: str = ""
    hint: str = ""

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
        super().__init__(head + ":\n" + "\n".join(format_groups(group_issues(errors))))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


@dataclass(frozen=True)
class IssueGroup:
    """Issues that are one problem repeated: same severity, code, file, sheet, column and
    value. ``rows`` are every spreadsheet row it occurs in (sorted)."""

    severity: Severity
    code: str
    file: str
    sheet: str
    column: str
    value: str
    message: str
    hint: str
    count: int
    rows: tuple[int, ...]

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["rows"] = list(self.rows)
        return data


def group_issues(issues: Iterable[Issue]) -> list[IssueGroup]:
    """Repeated problems as one group each, in order of first appearance (linear time)."""
    groups: dict[tuple[str, ...], list[Issue]] = {}
    for issue in issues:
        key = (issue.severity, issue.code, issue.file, issue.sheet, issue.column, issue.value)
        if not issue.value and not issue.code:  # nothing says two such issues are the same
            key += (issue.message, str(issue.row))
        groups.setdefault(key, []).append(issue)
    out = []
    for members in groups.values():
        first = members[0]
        rows = tuple(sorted({i.row for i in members if i.row is not None}))
        message = first.message if len(members) == 1 or first.value else (
            _common_message(members))
        out.append(IssueGroup(first.severity, first.code, first.file, first.sheet, first.column,
                              first.value, message, first.hint, len(members), rows))
    return out


def _common_message(members: Sequence[Issue]) -> str:
    messages = {i.message for i in members}
    return members[0].message if len(messages) == 1 else (
        f"{members[0].message} (and {len(members) - 1} more like it)")


def row_ranges(rows: Sequence[int], limit: int = 8) -> str:
    """``[2, 3, 4, 9]`` -> ``"2-4, 9"``; at most ``limit`` ranges, then how many rows more."""
    spans: list[tuple[int, int]] = []
    for row in rows:
        if spans and row == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    parts = [f"{a}-{b}" if b > a else str(a) for a, b in spans[:limit]]
    rest = sum(b - a + 1 for a, b in spans[limit:])
    return ", ".join(parts) + (f" and {rest} more" if rest else "")


FAMILY_LIMIT = 5


def format_groups(groups: Iterable[IssueGroup], family_limit: int = FAMILY_LIMIT) -> list[str]:
    """Plain-text lines, one problem per line (two with a hint), rows as ranges. Of many
    different values with the same problem in one column, the first ``family_limit`` are
    shown and the rest summed up in one line, so any error list fits on a screen."""
    shown: dict[tuple[str, ...], int] = {}
    hidden: dict[tuple[str, ...], list[IssueGroup]] = {}
    kept: list[IssueGroup] = []
    for group in groups:
        family = (group.severity, group.code, group.file, group.sheet, group.column)
        shown[family] = shown.get(family, 0) + 1
        if shown[family] > family_limit:
            hidden.setdefault(family, []).append(group)
        else:
            kept.append(group)
    lines = _group_lines(kept)
    for (severity, code, file, sheet, column), rest in hidden.items():
        rows = sum(g.count for g in rest)
        where = file + (f" [{sheet}]" if sheet else "") + (f", column '{column}'" if column else "")
        lines.append(f"  {severity}: {where}: ... and {len(rest)} more value(s) with the same "
                     f"problem ({code}) in {rows} more row(s)")
    return lines


def _group_lines(groups: Iterable[IssueGroup]) -> list[str]:
    lines = []
    for group in groups:
        where = group.file + (f" [{group.sheet}]" if group.sheet else "")
        if group.column:
            where += f", column '{group.column}'"
        if group.rows:
            label = "row" if len(group.rows) == 1 else f"{len(group.rows)} rows"
            where += f", {label} {row_ranges(group.rows)}"
        elif group.count > 1:
            where += f" ({group.count} times)"
        lines.append(f"  {group.severity}: {where}: {group.message}")
        if group.hint:
            lines.append(f"      fix: {group.hint}")
    return lines


def as_written(value: object, limit: int = 80) -> str:
    """A value as a person writes it in a file, for messages: ``true``, ``0.6``, ``2025-08-07``,
    ``'claimd'``, ``[html, pdf]``; never a Python repr such as ``datetime.datetime(...)``."""
    import datetime as dt

    if value is None:
        text = "an empty value"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M" if value.time() != dt.time() else "%Y-%m-%d")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(as_written(v, limit).strip("'") for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {as_written(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
