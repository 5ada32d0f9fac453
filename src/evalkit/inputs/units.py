"""Work units: resolving how they are written, deriving them from the submitters when a region
has no units table, inferring their kind, and checking who belongs to whom (``parent``).

The IID application writes a submitter as "Name (login)"; one school can appear under an old
and a new login with the same name. Names and logins are joined (one unit per name, logins
become aliases), so the same unit is counted once however it signed in.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from evalkit.inputs.locate import Where
from evalkit.inputs.vocabulary import vocabulary
from evalkit.issues import Issue

_LOGIN = re.compile(r"^(?P<name>.*\S)\s*\((?P<login>[^()\s]+)\)\s*$")
UNITS_FROM_TABLE, UNITS_FROM_SUBMITTERS = "table", "submitters"


def normalise_value(text: str) -> str:
    """Lower-case and collapse spaces, underscores and hyphens (for choices and names)."""
    return " ".join(re.sub(r"[_\-]+", " ", str(text).strip().lower()).split())


def split_login(text: str) -> tuple[str, str | None]:
    """'Dinas Sosial (jatimprov.dinsos)' -> ('Dinas Sosial', 'jatimprov.dinsos'). Only an
    account-like part (no spaces; a dot, underscore or digit) counts as a login, so
    'Dinas Pertanian (Distan)' stays whole."""
    match = _LOGIN.match(str(text).strip())
    if match and re.search(r"[._\d]", match.group("login")):
        return " ".join(match.group("name").split()), match.group("login")
    return " ".join(str(text).split()), None


def slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out[:limit].rstrip("-") or "unit"


def infer_kind(name: str) -> str | None:
    """The unit kind a name implies ('SMA Negeri 1 Malang' -> 'sekolah'), or None."""
    entry = vocabulary("unit_kinds").infer(name)
    return entry.key if entry is not None else None


def region_kind(region_name: str, declared: str = "") -> str:
    """kabupaten, kota or provinsi: as declared in the params, else from the region's name."""
    if declared:
        return declared
    entry = vocabulary("region_kinds").infer(region_name)
    return entry.key if entry is not None else ""


@dataclass(frozen=True)
class UnitIndex:
    """Resolves the many ways a unit is written (id, name, alias, login) to its unit_id."""

    by_key: dict[str, str]
    spellings: dict[str, list[str]]  # normalised key -> the spellings as declared

    @classmethod
    def from_units(cls, units: pd.DataFrame) -> tuple[UnitIndex, list[Issue]]:
        by_key: dict[str, str] = {}
        spellings: dict[str, list[str]] = {}
        issues: list[Issue] = []
        where = Where(units)
        for index, row in units.iterrows():
            names = [row["unit_id"], row["name"]]
            if isinstance(row["aliases"], str):
                names += [a for a in row["aliases"].split(";") if a.strip()]
            for name in names:
                key = normalise_value(str(name))
                owner = by_key.get(key)
                if owner is not None and owner != row["unit_id"]:
                    issues.append(Issue(
                        "error", f"'{str(name).strip()}' names both unit '{owner}' and unit "
                        f"'{row['unit_id']}'", code="ambiguous-unit", value=str(name).strip(),
                        **where(index, "aliases")))
                    continue
                by_key[key] = str(row["unit_id"])
                spellings.setdefault(key, []).append(str(name).strip())
        return cls(by_key, spellings), issues

    def resolve(self, text: str) -> str | None:
        """The unit a text names: as written, else its name or login ('Name (login)')."""
        found = self.by_key.get(normalise_value(text))
        if found is not None:
            return found
        name, login = split_login(text)
        if login is not None:
            return self.by_key.get(normalise_value(name)) or self.by_key.get(
                normalise_value(login))
        return None

    def declared(self, text: str) -> list[str] | None:
        """The declared spellings of the key ``text`` matched on (None: matched by name or
        login of 'Name (login)', which is the export's own way of writing a unit)."""
        return self.spellings.get(normalise_value(text))

    def suggest(self, text: str, n: int = 3) -> list[str]:
        keys = difflib.get_close_matches(normalise_value(split_login(text)[0]),
                                         list(self.by_key), n=n, cutoff=0.5)
        return [self.spellings[k][0] for k in keys]


def resolve_units(innovations: pd.DataFrame, index: UnitIndex) -> tuple[pd.DataFrame, list[Issue]]:
    """Replace unit names and aliases by unit ids; unknown units are errors with suggestions."""
    issues: list[Issue] = []
    out = innovations.copy()
    out["unit_raw"] = out["unit_id"]
    where = Where(out)
    resolved: list[str | None] = []
    memo: dict[str, str | None] = {}
    for row_index, text in out["unit_id"].items():
        if pd.isna(text):
            resolved.append(None)
            continue
        text = str(text)
        if text not in memo:
            memo[text] = index.resolve(text)
        unit_id = memo[text]
        if unit_id is None:
            hint = index.suggest(text)
            close = f"; closest known: {', '.join(hint)}" if hint else ""
            issues.append(Issue("error", f"unknown unit '{text}'{close}", code="unknown-unit",
                                value=text, hint=(f"add the unit to units.csv, or write it as "
                                                  f"'{hint[0]}'" if hint else
                                                  "add the unit to units.csv"),
                                **where(row_index, "unit_id")))
        else:
            declared = index.declared(text)
            if declared is not None and text not in declared:
                issues.append(Issue("warning", f"unit written as '{text}'; read as "
                                               f"'{declared[0]}' ({unit_id})", code="unit-spelling",
                                    value=text,
                                    args=(("written", text), ("read", declared[0]),
                                          ("unit_id", unit_id)),
                                    **where(row_index, "unit_id")))
        resolved.append(unit_id)
    out["unit_id"] = pd.Series(resolved, index=out.index, dtype="str")
    return out, issues


class _Joined:
    """Union-find over unit names and logins: a name and a login seen together are one unit."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def derive_units(innovations: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A units table from the submitters written in ``innovations.unit_id``: one unit per
    name (joined through shared logins), logins and other spellings as aliases, the kind
    inferred from the name. Rows locate the first innovation naming each unit."""
    joined = _Joined()
    first_seen: dict[str, tuple[str, object]] = {}  # name key -> (name as written, index)
    logins: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}
    counts: dict[str, dict[str, int]] = {}
    for index, text in innovations["unit_id"].items():
        if pd.isna(text) or not str(text).strip():
            continue
        name, login = split_login(str(text))
        key = "n:" + normalise_value(name)
        joined.find(key)
        first_seen.setdefault(key, (name, index))
        written.setdefault(key, set()).add(name)
        counts.setdefault(key, {}).setdefault(name, 0)
        counts[key][name] += 1
        if login is not None:
            logins.setdefault(key, set()).add(login)
            joined.join(key, "l:" + login.lower())
    where = {c: innovations[c].to_dict() for c in ("_source", "_sheet", "_row")}
    groups: dict[str, list[str]] = {}
    for key in first_seen:
        groups.setdefault(joined.find(key), []).append(key)
    rows = []
    taken: set[str] = set()
    for members in sorted(groups.values(), key=lambda m: min(first_seen[k][1] for k in m)):
        spelled = {n: c for k in members for n, c in counts[k].items()}
        name = max(spelled, key=lambda n: (spelled[n], -min(
            first_seen[k][1] for k in members if n in written[k])))
        unit_id = slug(name)
        base, n = unit_id, 2
        while unit_id in taken:
            unit_id, n = f"{base}-{n}", n + 1
        taken.add(unit_id)
        aliases = sorted({a for k in members for a in logins.get(k, set())}
                         | {w for k in members for w in written[k] if w != name})
        first = min(first_seen[k][1] for k in members)
        kind = infer_kind(name)
        rows.append({"unit_id": unit_id, "name": name, "kind": kind,
                     "aliases": ";".join(aliases), "parent": None,
                     "kind_inferred": kind is not None,
                     "_source": where["_source"][first], "_sheet": where["_sheet"][first],
                     "_row": where["_row"][first]})
    frame = pd.DataFrame(rows, columns=[*columns, "kind_inferred", "_source", "_sheet", "_row"])
    return frame


def infer_missing_kinds(units: pd.DataFrame) -> pd.DataFrame:
    """Fill an empty ``kind`` from the unit's name; ``kind_inferred`` marks those rows."""
    out = units.copy()
    before = (out["kind_inferred"].fillna(False).astype(bool) if "kind_inferred" in out
              else pd.Series(False, index=out.index))
    empty = out["kind"].isna() | (out["kind"].astype("str").str.strip() == "")
    inferred = out.loc[empty, "name"].map(lambda n: infer_kind(str(n)))
    out.loc[empty, "kind"] = inferred
    out["kind_inferred"] = before | (empty & inferred.reindex(out.index).notna())
    out["kind"] = out["kind"].astype("str")
    return out


def resolve_parents(units: pd.DataFrame, index: UnitIndex) -> tuple[pd.DataFrame, list[Issue]]:
    """``parent`` as the parent's unit_id; unknown parents and cycles are errors."""
    out = units.copy()
    issues: list[Issue] = []
    where = Where(out)
    parents: dict[str, str] = {}
    resolved: list[str | None] = []
    for row_index, text in out["parent"].items():
        if pd.isna(text) or not str(text).strip():
            resolved.append(None)
            continue
        parent = index.resolve(str(text))
        unit = str(out.at[row_index, "unit_id"])
        if parent is None:
            hint = index.suggest(str(text))
            close = f"; closest known: {', '.join(hint)}" if hint else ""
            issues.append(Issue("error", f"unknown parent unit '{text}'{close}",
                                code="unknown-parent", value=str(text),
                                **where(row_index, "parent")))
        elif parent == unit:
            issues.append(Issue("error", f"unit '{unit}' is its own parent", code="parent-cycle",
                                value=unit, **where(row_index, "parent")))
            parent = None
        else:
            parents[unit] = parent
        resolved.append(parent)
    out["parent"] = pd.Series(resolved, index=out.index, dtype="str")
    for start in list(parents):
        seen = {start}
        node = parents.get(start)
        while node is not None:
            if node in seen:
                first = out.index[out["unit_id"] == start][0]
                issues.append(Issue("error", f"units '{start}' and '{node}' are each other's "
                                             "parent (directly or through others)",
                                    code="parent-cycle", value=start,
                                    **where(first, "parent")))
                break
            seen.add(node)
            node = parents.get(node)
    return out, issues
