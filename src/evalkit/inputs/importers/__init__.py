"""Importers: other systems' exports read as they come.

An importer is a profile (``importers/<name>.yaml``): which table the export holds, how to
recognise it by its headers whatever the file is called, and how its headers map to
evalkit's columns. The IID application's export (``iid_export``) is the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from evalkit.inputs.columns import header_keys
from evalkit.inputs.read import RawTable
from evalkit.yamlio import parse_yaml

PROFILES = ("iid_export",)


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    table: str
    files: tuple[str, ...]
    sheets: tuple[str, ...]
    signature: tuple[str, ...]
    min_signature: int
    columns: dict[str, str]

    def recognises(self, raw: RawTable) -> bool:
        """Whether a table's header carries enough of this export's own headers."""
        present = {k for h in raw.header if h for k in header_keys(h)}
        hits = sum(1 for h in self.signature if set(header_keys(h)) & present)
        return hits >= self.min_signature


@cache
def profile(name: str) -> Profile:
    """A profile shipped with evalkit (see ``PROFILES``)."""
    text = (resources.files("evalkit.inputs.importers") / f"{name}.yaml").read_text(
        encoding="utf-8")
    data = parse_yaml(text, f"{name}.yaml")
    return Profile(str(data["id"]), str(data["title"]), str(data["table"]),
                   tuple(data.get("files", ())), tuple(data.get("sheets", ())),
                   tuple(data["signature"]), int(data["min_signature"]),
                   {str(k): str(v) for k, v in data["columns"].items()})


def recognise(raw: RawTable) -> Profile | None:
    """The shipped profile a table matches, if any."""
    for name in PROFILES:
        found = profile(name)
        if found.recognises(raw):
            return found
    return None
