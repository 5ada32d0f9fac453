"""The run manifest: what went in (hashes), with which settings and software, and what came out.

``verify`` recomputes the input hashes later, so a reader can tell whether a report still
matches the data it claims to describe.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from evalkit.config import RunParams
from evalkit.fileio import sha256, write_text_atomic
from evalkit.inputs.validate import input_files

MANIFEST = "manifest.json"
PACKAGES = ("evalkit", "pandas", "numpy", "scipy", "pyarrow", "openpyxl", "scikit-learn",
            "matplotlib", "papermill", "nbformat", "ipykernel", "pypandoc-binary", "typst",
            "PySastrawi", "stopwordsiso", "PyYAML")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(folder: Path) -> str | None:
    """The commit of the checkout holding ``folder``, with '+dirty' when files changed."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=folder, capture_output=True, text=True, timeout=10,
                               check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+dirty" if dirty else "")


def _display_path(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base))
    except ValueError:
        return str(path.resolve())


def tracked_inputs(params: RunParams) -> list[Path]:
    """Every file the run depends on: params, rubrics and taxonomy, and the data files."""
    files: list[Path] = []
    if params.source is not None:
        files.append(params.source)
    for section in (params.iid, params.themes, params.jury):
        for value in vars(section).values():
            if isinstance(value, Path) and value.is_file():
                files.append(value)
    files += input_files(params)
    from evalkit.jury.workflow import store_files  # jury scores imported from sheets or the form

    files += store_files(params)
    return sorted(set(files))


def input_hashes(params: RunParams, base: Path) -> dict[str, str]:
    return {_display_path(p, base): sha256(p) for p in tracked_inputs(params)}


def output_hashes(report_dir: Path) -> dict[str, str]:
    """Hashes of the artifacts (tables), the outputs expected to be byte-identical."""
    folder = report_dir / "artifacts"
    if not folder.is_dir():
        return {}
    return {f"artifacts/{p.name}": sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


@dataclass(frozen=True)
class RunRecord:
    notebooks: dict[str, float]  # name -> seconds
    render: dict[str, Any]
    started: datetime
    finished: datetime
    skipped: dict[str, str] = field(default_factory=dict)  # notebook -> why it did not run


def build_manifest(params: RunParams, report_dir: Path, record: RunRecord,
                   base: Path) -> dict[str, Any]:
    return {
        "evalkit_manifest": 1,
        "region": params.region,
        "year": params.year,
        "seed": params.seed,
        "base_dir": str(base),
        "params_file": _display_path(params.source, base) if params.source else None,
        "params": params.to_dict(),
        "inputs": input_hashes(params, base),
        "outputs": output_hashes(report_dir),
        "software": {"python": sys.version.split()[0], "platform": platform.platform(),
                     "packages": package_versions(), "git_commit": git_commit(base)},
        "render": record.render,
        "timings_s": {name: round(sec, 3) for name, sec in record.notebooks.items()},
        "skipped_notebooks": dict(record.skipped),
        "started_utc": record.started.astimezone(UTC).isoformat(timespec="seconds"),
        "finished_utc": record.finished.astimezone(UTC).isoformat(timespec="seconds"),
    }


def write_manifest(report_dir: Path, manifest: dict[str, Any]) -> Path:
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return write_text_atomic(report_dir / MANIFEST, text)


@dataclass(frozen=True)
class Drift:
    changed: list[str]
    missing: list[str]
    added: list[str]

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.added)


def verify(report_dir: Path) -> Drift:
    """Compare the manifest's input hashes with the files as they are now."""
    from evalkit.config import load_params

    manifest = json.loads((Path(report_dir) / MANIFEST).read_text(encoding="utf-8"))
    base = Path(manifest["base_dir"])
    recorded: dict[str, str] = manifest["inputs"]
    changed, missing = [], []
    for name, digest in recorded.items():
        path = base / name
        if not path.is_file():
            missing.append(name)
        elif sha256(path) != digest:
            changed.append(name)
    added: list[str] = []
    params_file = manifest.get("params_file")
    if params_file and (base / params_file).is_file():
        current = input_hashes(load_params(base / params_file), base)
        added = sorted(set(current) - set(recorded))
    return Drift(sorted(changed), sorted(missing), added)
