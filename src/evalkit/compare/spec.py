"""What a comparison compares: the member regions (each a finished yearly report), the group's
own published history, and the labels the report needs.

Two files describe a comparison. A *comparison params file* is written by people: a name,
the year, the member regions as their params files (globs allowed), optionally the group's
published history. A *resolved spec* (``compare.yaml`` in the comparison's report folder) is
written by ``evalkit compare``: every member with the report folder that was read, and the
theme and indicator labels of the report language, so the notebook needs nothing else and the
folder says exactly what was compared.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evalkit.fileio import write_text_atomic
from evalkit.issues import InputError, Issue
from evalkit.yamlio import read_yaml

RESOLVED = "compare.yaml"
SPEC_VERSION = 1
FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Member:
    """One region in the comparison and the yearly reports it is read from."""

    region: str
    region_name: str
    year: int
    report_dir: Path  # the year's report (artifacts/ inside); may be missing
    previous_dir: Path | None = None  # last year's report, for the change since then
    params_file: Path | None = None
    province: str = ""

    @property
    def kind(self) -> str:
        """kabupaten, kota or provinsi, from the official name; '' when it does not say."""
        first = self.region_name.split(" ", 1)[0].lower()
        return {"kabupaten": "kabupaten", "kab.": "kabupaten", "kota": "kota",
                "provinsi": "provinsi"}.get(first, "")


@dataclass(frozen=True)
class CompareSpec:
    """A resolved comparison: everything the comparison notebook reads."""

    name: str
    year: int
    members: tuple[Member, ...]
    language: str = "id"
    formats: tuple[str, ...] = FORMATS
    history: Path | None = None  # the group's own published results (a ``history`` table)
    output_dir: Path | None = None  # the comparison report goes to output_dir/<year>
    theme_labels: dict[str, str] = field(default_factory=dict)  # theme id -> label
    indicator_names: dict[str, str] = field(default_factory=dict)  # IID indicator -> name
    top: int = 10  # length of the top and bottom lists
    full_tables_up_to: int = 40  # more members: distributions and top/bottom lists instead
    note: str = ""
    author: str = ""
    source: Path | None = None  # the comparison params file, when there was one

    @property
    def slug(self) -> str:
        words = "".join(c if c.isalnum() else " " for c in self.name.lower()).split()
        return "-".join(w for w in words if w != "provinsi") or "compare"

    @property
    def large(self) -> bool:
        """Too many members for full tables in the report's body."""
        return len(self.members) > self.full_tables_up_to


# A comparison params file ------------------------------------------------------------------

@dataclass(frozen=True)
class ComparisonParams:
    """A comparison params file as written by people (paths absolute once loaded)."""

    name: str
    year: int | None
    members: tuple[Path, ...]  # region params files, globs expanded
    history: Path | None = None
    reports: Path | None = None  # member reports in reports/<region>/<year>; else their params'
    output_dir: Path | None = None
    language: str | None = None
    formats: tuple[str, ...] | None = None
    top: int = 10
    full_tables_up_to: int = 40
    note: str = ""
    author: str = ""
    source: Path | None = None


KEYS = {"name": str, "year": int, "members": list, "history": str, "reports": str,
        "output_dir": str, "language": str, "formats": list, "top": int,
        "full_tables_up_to": int, "note": str, "author": str}


def is_comparison_file(path: Path) -> bool:
    """A comparison params file lists ``members``; a region params file names a ``region``,
    and a resolved spec carries ``spec_version``."""
    try:
        data = read_yaml(path)
    except InputError:
        return False
    return (isinstance(data, dict) and "members" in data and "region" not in data
            and "spec_version" not in data)


def load_comparison_params(path: Path) -> ComparisonParams:
    """Read and check a comparison params file; every problem at once, by key."""
    file = Path(path).resolve()
    data = read_yaml(file)  # duplicate keys and alias bombs are errors here too
    issues: list[Issue] = []

    def error(key: str, message: str) -> None:
        issues.append(Issue("error", message, file=str(file), code=f"params:{key}"))

    if not isinstance(data, dict):
        raise InputError([Issue("error", "expected a mapping of keys", file=str(file))])
    for key, value in data.items():
        expected = KEYS.get(key)
        if expected is None:
            error(key, f"unknown key '{key}'; known keys: {', '.join(sorted(KEYS))}")
        elif not isinstance(value, expected) or isinstance(value, bool):
            error(key, f"'{key}' must be {expected.__name__}, got {value!r}")
    for required in ("name", "members"):
        if required not in data:
            error(required, f"required key '{required}' is missing")
    members: list[Path] = []
    for pattern in data.get("members", []) if isinstance(data.get("members"), list) else []:
        found = sorted(file.parent.glob(str(pattern))) if any(c in str(pattern) for c in "*?[") \
            else [file.parent / str(pattern)]
        found = [p.resolve() for p in found if p.is_file()]
        if not found:
            error("members", f"no params file matches {pattern!r} (relative to {file.parent})")
        members += [p for p in found if p not in members]

    def path(key: str, must_exist: bool) -> Path | None:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            return None
        resolved = (file.parent / value).resolve()
        if must_exist and not resolved.exists():
            error(key, f"'{key}': not found: {resolved}")
        return resolved

    history, reports, output = path("history", True), path("reports", False), \
        path("output_dir", False)
    if data.get("language") not in (None, "id", "en"):
        error("language", f"'language' must be 'id' or 'en', got {data.get('language')!r}")
    formats = data.get("formats")
    if isinstance(formats, list) and (not formats or any(f not in FORMATS for f in formats)):
        error("formats", f"'formats' must list some of {', '.join(FORMATS)}, got {formats!r}")
    if issues:
        raise InputError(issues)
    return ComparisonParams(
        str(data["name"]), data.get("year"), tuple(members), history, reports, output,
        data.get("language"), tuple(formats) if formats else None, int(data.get("top", 10)),
        int(data.get("full_tables_up_to", 40)), str(data.get("note", "")),
        str(data.get("author", "")), file)


# The resolved spec ---------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def spec_to_dict(spec: CompareSpec) -> dict[str, Any]:
    data = _plain(dataclasses.asdict(spec))
    data["spec_version"] = SPEC_VERSION
    return data


def write_spec(spec: CompareSpec, path: Path) -> Path:
    """Write the resolved spec (YAML, stable key order)."""
    text = yaml.safe_dump(spec_to_dict(spec), allow_unicode=True, sort_keys=False)
    return write_text_atomic(Path(path), text)


def read_spec(path: Path) -> CompareSpec:
    """Read a resolved spec written by :func:`write_spec`."""
    file = Path(path).resolve()
    try:
        data = read_yaml(file)
        if not isinstance(data, dict) or data.get("spec_version") != SPEC_VERSION:
            raise ValueError(f"not a resolved comparison (spec_version {SPEC_VERSION})")
        data.pop("spec_version")

        def optional(value: Any) -> Path | None:
            return Path(value) if value else None

        members = tuple(Member(
            str(m["region"]), str(m["region_name"]), int(m["year"]), Path(m["report_dir"]),
            optional(m.get("previous_dir")), optional(m.get("params_file")),
            str(m.get("province", ""))) for m in data.pop("members"))
        return CompareSpec(
            members=members, history=optional(data.pop("history", None)),
            output_dir=optional(data.pop("output_dir", None)),
            source=optional(data.pop("source", None)),
            formats=tuple(data.pop("formats", FORMATS)), **data)
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise InputError([Issue("error", f"cannot read the comparison spec: {exc}",
                                file=str(file))]) from exc
