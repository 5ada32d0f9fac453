"""Where a run writes, and what it may replace.

A run builds its report in a temporary folder beside the target and renames it over
``<out>/<year>`` at the end. That rename replaces whatever is there, so before anything runs:
the target must be absent, empty, or a report evalkit wrote (it holds evalkit's
``manifest.json``); anything else is an error naming it, and the user's folder stays as it
was. Temporary folders carry a marker with the run's process id, so the next run removes the
ones a killed run left behind, and only those.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

from evalkit.config import RunParams, output_location_issues
from evalkit.issues import InputError, Issue
from evalkit.manifest import MANIFEST

MARKER = ".evalkit-run"  # in a run's temporary folder (and in <year>.failed): who made it


def _issue(path: Path, message: str) -> Issue:
    return Issue("error", message, file=str(path), code="output")


def is_evalkit_report(folder: Path) -> bool:
    """Whether ``folder`` holds a manifest evalkit wrote (a report it may replace)."""
    manifest = folder / MANIFEST
    if folder.is_symlink() or not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "evalkit_manifest" in data


def is_evalkit_run_folder(folder: Path) -> bool:
    """Whether ``folder`` is a temporary or kept-after-failure folder of an evalkit run."""
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()


def failed_folder(final: Path) -> Path:
    """Where a failed run keeps its executed notebooks: ``<year>.failed`` beside the report."""
    return final.with_name(f"{final.name}.failed")


def target_issues(final: Path, label: str) -> list[Issue]:
    """Problems with writing the report to ``final``; ``label`` names the setting that chose
    the folder (``--out`` or ``output_dir``) in the messages."""
    parent = final.parent
    if parent.exists() and not parent.is_dir():
        return [_issue(parent, f"{label} names a file, not a folder; give a folder to hold "
                               "the <year>/ reports")]
    if final.is_symlink():
        return [_issue(final, "is a link; evalkit replaces only report folders it wrote, "
                              "so remove the link or choose another output folder")]
    if final.exists() and not final.is_dir():
        return [_issue(final, "is a file, not a report folder; evalkit will not replace it. "
                              "Move it away or choose another output folder")]
    if final.is_dir() and any(final.iterdir()) and not is_evalkit_report(final):
        return [_issue(final, "holds files evalkit did not write (no evalkit manifest.json); "
                              "evalkit replaces only its own reports, so nothing was changed. "
                              "Move the folder away or choose another output folder")]
    failed = failed_folder(final)
    if failed.exists() and not is_evalkit_run_folder(failed):
        return [_issue(failed, "is not a folder evalkit kept after a failed run; evalkit "
                               "would replace it if this run failed. Move it away first")]
    return []


def writable_issues(parent: Path) -> list[Issue]:
    """Create ``parent`` if needed and check a run can create folders in it."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [_issue(parent, f"cannot create the output folder: {exc.strerror or exc}")]
    probe = parent / f".evalkit-probe-{secrets.token_hex(4)}"
    try:
        probe.mkdir()
    except OSError as exc:
        return [_issue(parent, f"cannot write in the output folder: {exc.strerror or exc}")]
    probe.rmdir()
    return []


def check_target(params: RunParams, final: Path, out_root: Path | None) -> list[Issue]:
    """Every reason not to write this run's report to ``final``, found before anything runs
    (and without creating anything: see :func:`writable_issues` for that)."""
    label = "--out" if out_root is not None else "'output_dir'"
    issues = output_location_issues(params, out_root, key="--out") if out_root else []
    return issues + target_issues(final, label)


def make_run_folder(final: Path) -> Path:
    """A fresh temporary folder beside ``final``, made with the umask's permissions.

    (``tempfile.mkdtemp`` would make it 0700, and the renamed report would stay unreadable
    for a web server or a colleague.) The marker names this process, so that a later run can
    tell a folder left by a killed run from one a running process is still filling.
    """
    for _ in range(100):
        tmp = final.with_name(f".{final.name}.tmp-{secrets.token_hex(4)}")
        try:
            tmp.mkdir()  # mode 0o777 minus the umask
        except FileExistsError:
            continue
        except OSError as exc:
            raise InputError([_issue(final.parent, "cannot write in the output folder: "
                                                   f"{exc.strerror or exc}")]) from exc
        marker = {"pid": os.getpid(), "host": socket.gethostname()}
        (tmp / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
        return tmp
    raise RuntimeError(f"no free temporary folder name beside {final}")


def unmark(folder: Path) -> None:
    """Remove the run marker before a folder becomes the published report."""
    (folder / MARKER).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _left_by_dead_run(marker: Path) -> bool:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        pid, host = int(data["pid"]), str(data["host"])
    except (OSError, ValueError, KeyError, TypeError):
        return False  # not a marker evalkit wrote: leave the folder alone
    return host == socket.gethostname() and pid != os.getpid() and not _alive(pid)


def clean_stale(final: Path, progress: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Remove the temporary folders killed runs of this year left beside ``final``.

    Only folders evalkit made are touched: ``.<year>.tmp-*`` holding a marker of a process
    that no longer runs on this machine, and ``.<year>.old-<pid>`` (the previous report,
    moved aside during the swap) of such a process, which goes back into place when the swap
    never finished. Returns the folders removed.
    """
    parent, removed = final.parent, []
    if not parent.is_dir():
        return removed
    for folder in sorted(parent.glob(f".{final.name}.tmp-*")):
        if is_evalkit_run_folder(folder) and _left_by_dead_run(folder / MARKER):
            shutil.rmtree(folder)
            removed.append(folder)
            progress(f"removed {folder.name}, left by a run that was stopped")
    for folder in sorted(parent.glob(f".{final.name}.old-*")):
        pid = folder.name.rsplit("-", 1)[-1]
        if not (pid.isdigit() and is_evalkit_report(folder)) or _alive(int(pid)):
            continue
        if final.exists():
            shutil.rmtree(folder)
            removed.append(folder)
            progress(f"removed {folder.name}, the report before a run that was stopped")
        else:
            os.replace(folder, final)
            progress(f"put back {final.name}: a run was stopped while replacing it")
    return removed


def swap_in(tmp: Path, final: Path) -> None:
    """Replace ``final`` by ``tmp`` with two renames; the old report is removed last."""
    unmark(tmp)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def keep_failed(tmp: Path, final: Path) -> Path:
    """Move a failed run's folder to ``<year>.failed`` (replacing an older one of evalkit's)."""
    kept = failed_folder(final)
    if is_evalkit_run_folder(kept):
        shutil.rmtree(kept, ignore_errors=True)
    os.replace(tmp, kept)
    return kept


def remove_failed(final: Path) -> None:
    """After a good run, the notebooks an earlier failed run kept are stale."""
    failed = failed_folder(final)
    if is_evalkit_run_folder(failed):
        shutil.rmtree(failed, ignore_errors=True)
