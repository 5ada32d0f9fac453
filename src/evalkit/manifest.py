"""The run manifest: what went in (hashes), with which settings and software, and what came out.

``verify`` recomputes the input hashes later, so a reader can tell whether a report still
matches the data it claims to describe. Every file that shaped the report is recorded, the
default rubrics and taxonomy too when the params name none. Paths are relative to the project
(the checkout holding the params), and the project is found again from the report folder, so
a copied or moved project is checked where it now is; files shipped inside evalkit are named
``evalkit:<path>`` and checked in the installed package.
"""

from __future__ import annotations

import contextlib
import json
import os
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
from evalkit.issues import InputError, Issue

MANIFEST = "manifest.json"
# Files shipped inside evalkit (the default IID rubrics, the taxonomy) are recorded as
# "evalkit:<path in the package>" and checked in the installed package, wherever it is: a
# copied project does not carry them.
PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_PREFIX = "evalkit:"
# 2: "project", the project folder relative to the folder holding the report (when inside it)
VERSION = 2
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
    path = path.resolve()
    if PACKAGE_DIR in path.parents:
        return PACKAGE_PREFIX + path.relative_to(PACKAGE_DIR).as_posix()
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def recorded_path(name: str, base: Path) -> Path:
    """Where an input recorded as ``name`` is now: in the installed package for
    ``evalkit:...``, else in the project ``base`` (absolute names stay as they are)."""
    if name.startswith(PACKAGE_PREFIX):
        return PACKAGE_DIR / name.removeprefix(PACKAGE_PREFIX)
    return base / name


def default_inputs(params: RunParams) -> list[Path]:
    """The rubrics and taxonomy a run uses when the params name none (the domains say which)."""
    from evalkit.iid.rubric import default_rubric_path
    from evalkit.jury.workflow import rubric_path
    from evalkit.themes.workflow import taxonomy_path

    found = [params.iid.rubric or default_rubric_path(params.source, params.year),
             taxonomy_path(params)]
    with contextlib.suppress(InputError):  # no jury rubric at all: the chapter says so
        found.append(rubric_path(params))
    return [p.resolve() for p in found if p.is_file()]


def tracked_inputs(params: RunParams) -> list[Path]:
    """Every file the run depends on: params, rubrics and taxonomy (given or default), the
    data files and the jury's score store."""
    files: list[Path] = []
    if params.source is not None:
        files.append(params.source)
    for section in (params.iid, params.themes, params.jury):
        for value in vars(section).values():
            if isinstance(value, Path) and value.is_file():
                files.append(value)
    files += default_inputs(params)
    files += input_files(params)
    from evalkit.jury.workflow import store_files  # jury scores imported from sheets or the form

    files += store_files(params)
    return sorted({p.resolve() for p in files})


def input_hashes(params: RunParams, base: Path) -> dict[str, str]:
    return {_display_path(p, base): sha256(p) for p in tracked_inputs(params)}


OUTPUT_FOLDERS = ("artifacts", "attachments")  # tables, and the full tables a reader downloads


def output_hashes(report_dir: Path) -> dict[str, str]:
    """Hashes of the artifacts and the attachments (tables), the outputs expected to be
    byte-identical between runs of the same inputs."""
    hashes: dict[str, str] = {}
    for name in OUTPUT_FOLDERS:
        folder = report_dir / name
        if folder.is_dir():
            hashes.update({f"{name}/{p.name}": sha256(p)
                           for p in sorted(folder.iterdir()) if p.is_file()})
    return hashes


@dataclass(frozen=True)
class RunRecord:
    notebooks: dict[str, float]  # name -> seconds
    render: dict[str, Any]
    started: datetime
    finished: datetime
    skipped: dict[str, str] = field(default_factory=dict)  # notebook -> why it did not run


def _project_from(holder: Path, base: Path) -> str | None:
    """The project relative to the folder holding the report ("..") when the report is inside
    the project (they move together); ``None`` for a report written elsewhere (``--out``)."""
    if holder != base and base not in holder.parents:
        return None
    return Path(os.path.relpath(base, holder)).as_posix()


def build_manifest(params: RunParams, report_dir: Path, record: RunRecord,
                   base: Path) -> dict[str, Any]:
    """The manifest of a report built in ``report_dir`` (or in a temporary folder beside
    where it goes: the project is recorded relative to the folder holding the report)."""
    return {
        "evalkit_manifest": VERSION,
        "region": params.region,
        "year": params.year,
        "seed": params.seed,
        "project": _project_from(Path(report_dir).resolve().parent, base.resolve()),
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
    project: Path | None = None  # where the inputs were looked for

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.added)


def _manifest_error(file: Path, message: str) -> InputError:
    return InputError([Issue("error", message, file=str(file), code="manifest")])


def read_manifest(report_dir: Path) -> dict[str, Any]:
    """The manifest of a report folder, checked enough for ``verify``; a missing or damaged
    one is an :class:`InputError` that says where it is damaged."""
    file = Path(report_dir) / MANIFEST
    if not Path(report_dir).is_dir():
        raise _manifest_error(Path(report_dir), "no such report folder")
    if not file.is_file():
        raise _manifest_error(file, "not found: this folder holds no report evalkit wrote")
    try:
        data = json.loads(file.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _manifest_error(file, f"damaged: not UTF-8 text at byte {exc.start + 1}") from None
    except json.JSONDecodeError as exc:
        raise _manifest_error(file, f"damaged: not valid JSON at line {exc.lineno}, column "
                                    f"{exc.colno} ({exc.msg})") from None
    if not isinstance(data, dict) or "evalkit_manifest" not in data:
        raise _manifest_error(file, "not an evalkit manifest (no 'evalkit_manifest' key)")
    inputs = data.get("inputs")
    if not isinstance(inputs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) == 64 for k, v in
            inputs.items()):
        raise _manifest_error(file, "damaged: 'inputs' must map each file to its SHA-256")
    for key in ("base_dir", "project", "params_file"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise _manifest_error(file, f"damaged: '{key}' must be a path (text)")
    return data


def project_folder(report_dir: Path, manifest: dict[str, Any]) -> Path:
    """The project a report was made from, where it is now: found from the report folder
    (the report moved with its project), else the folder recorded at the run."""
    here = Path(report_dir).resolve()
    params_file = manifest.get("params_file")
    candidates = []
    if manifest.get("project"):
        candidates.append((here.parent / manifest["project"]).resolve())
    if manifest.get("base_dir"):
        candidates.append(Path(manifest["base_dir"]))
    for base in candidates:
        if params_file and (base / params_file).is_file():
            return base
    return candidates[0] if candidates else here.parent


def verify(report_dir: Path) -> Drift:
    """Compare the manifest's input hashes with the files as they are now."""
    from evalkit.config import load_params

    manifest = read_manifest(report_dir)
    base = project_folder(report_dir, manifest)
    recorded: dict[str, str] = manifest["inputs"]
    changed, missing = [], []
    for name, digest in recorded.items():
        path = recorded_path(name, base)
        if not path.is_file():
            missing.append(name)
        elif sha256(path) != digest:
            changed.append(name)
    added: list[str] = []
    params_file = manifest.get("params_file")
    if params_file and (base / params_file).is_file():
        current = input_hashes(load_params(base / params_file), base)
        added = sorted(set(current) - set(recorded))
    return Drift(sorted(changed), sorted(missing), added, base)
