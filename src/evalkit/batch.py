"""Many region-years in one command: one task per region-year, run side by side on local
worker processes or on an existing Dask distributed cluster.

Each task is one call of :func:`evalkit.pipeline.run_year` for one params file, so a
region-year's report is the same bytes whichever way it was run. A task never raises: a
failing region becomes a failed :class:`Outcome` (with its error) and the others go on. Local
workers are a Dask ``LocalCluster`` of single-threaded worker processes, so the local and the
cluster paths are the same code; a nanny restarts a worker that dies (out of memory, killed)
and only that worker's task fails. Worker processes are daemonic by Dask's default, which
allows the ``subprocess`` children papermill starts for its kernels (only ``multiprocessing``
children are refused), and a kernel whose worker dies exits by itself (ipykernel watches its
parent process).

With several regions every region-year gets its own folder: ``--out DIR`` gives
``DIR/<region>/<year>/``; without it each params file's ``output_dir``/<year> is used, and two
tasks that would share a folder are refused before anything runs.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evalkit.config import load_params
from evalkit.issues import InputError
from evalkit.yamlio import read_yaml

OK, CURRENT, FAILED = "ok", "current", "failed"
# Why a task failed, from the most to the least specific; the exit code follows the worst.
INPUT, NOTEBOOK, INTERNAL, WORKER = "input", "notebook", "internal", "worker"


class BatchError(ValueError):
    """The set of params files cannot be run together (e.g. two share one report folder)."""


@dataclass(frozen=True)
class Task:
    """One region-year: the params file and where its report goes (absolute paths)."""

    params_file: Path
    region: str
    year: int
    report_dir: Path
    out_root: Path | None  # run_year's ``out_root``: the report goes to out_root/<year>
    formats: tuple[str, ...] | None = None
    skip_current: bool = False

    @property
    def label(self) -> str:
        return f"{self.region} {self.year}"


@dataclass(frozen=True)
class Outcome:
    """How one task ended: ``ok``, ``current`` (skipped, its report still matches its inputs)
    or ``failed`` (with ``kind`` and ``error``)."""

    params_file: str
    region: str
    year: int | None
    status: str
    seconds: float
    report: str = ""
    error: str = ""
    kind: str = ""
    worker: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)  # an input failure's problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Plan:
    """The tasks to run and the params files that could not even be loaded."""

    tasks: list[Task]
    failed: list[Outcome]

    @property
    def total(self) -> int:
        return len(self.tasks) + len(self.failed)


def peek_region(params_file: Path) -> str:
    """The ``region`` a params file names, without validating it (the file itself if unreadable)."""
    try:
        data = read_yaml(params_file)
    except InputError:
        data = None
    region = data.get("region") if isinstance(data, dict) else None
    return str(region) if region else f"?{Path(params_file).resolve()}"


def several_regions(params_files: Sequence[Path]) -> bool:
    """Do the params files describe more than one region?"""
    return len({peek_region(p) for p in params_files}) > 1


def plan(params_files: Sequence[Path], out: Path | None = None,
         formats: Sequence[str] | None = None, skip_current: bool = False) -> Plan:
    """Load every params file and decide each region-year's report folder.

    A file that does not load is a failed outcome (it fails alone); two tasks aiming at the
    same folder are a :class:`BatchError` naming both files.
    """
    loaded, failed = [], []
    for file in params_files:
        file = Path(file).resolve()
        try:
            loaded.append(load_params(file))
        except InputError as exc:
            failed.append(Outcome(str(file), _stem_region(file), None, FAILED, 0.0,
                                  error=_input_message(exc), kind=INPUT,
                                  issues=[i.to_dict() for i in exc.issues]))
    regions = {p.region for p in loaded} | {o.region for o in failed}
    nest = len(regions) > 1
    tasks: list[Task] = []
    seen: dict[Path, Path] = {}
    for params in loaded:
        if out is not None:
            root = Path(out).resolve() / params.region if nest else Path(out).resolve()
            report_dir = root / str(params.year)
        else:
            root, report_dir = None, params.report_dir.resolve()
        assert params.source is not None
        if report_dir in seen:
            raise BatchError(f"{seen[report_dir]} and {params.source} would both write "
                             f"{report_dir}; give each region-year its own output_dir "
                             "(or use --out DIR, which gives DIR/<region>/<year>)")
        seen[report_dir] = params.source
        tasks.append(Task(params.source, params.region, params.year, report_dir, root,
                          tuple(formats) if formats else None, skip_current))
    return Plan(tasks, failed)


def _stem_region(file: Path) -> str:
    region = peek_region(file)
    return file.stem if region.startswith("?") else region


def _input_message(exc: InputError) -> str:
    errors = exc.errors or exc.issues
    first = "; ".join(str(i) for i in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"invalid input: {first}{more}"


def is_current(task: Task) -> bool:
    """Is the task's report there, with the formats asked for, and do its manifest's input
    hashes still match the files (the ``evalkit verify`` check) for this very params file?"""
    from evalkit.manifest import MANIFEST, project_folder, read_manifest, verify

    manifest_file = task.report_dir / MANIFEST
    if not manifest_file.is_file():
        return False
    try:
        manifest = read_manifest(task.report_dir)
        recorded = project_folder(task.report_dir, manifest) / str(manifest["params_file"])
        if recorded.resolve() != task.params_file.resolve():
            return False
        outputs = manifest.get("render", {}).get("outputs", {})
        wanted = task.formats or tuple(outputs)
        if any(f not in outputs or not (task.report_dir / outputs[f]).is_file() for f in wanted):
            return False
        return verify(task.report_dir).clean
    except (OSError, ValueError, KeyError, TypeError, InputError):
        return False  # an unreadable manifest or params file: run again


def run_task(task: Task) -> Outcome:
    """Run one region-year (on whichever process or worker calls it); never raises."""
    from evalkit.pipeline import NotebookFailed, run_year

    started = time.perf_counter()
    where = f"{socket.gethostname()}:{os.getpid()}"

    def outcome(status: str, **fields: Any) -> Outcome:
        return Outcome(str(task.params_file), task.region, task.year, status,
                       round(time.perf_counter() - started, 3), str(task.report_dir),
                       worker=where, **fields)

    try:
        if task.skip_current and is_current(task):
            return outcome(CURRENT)
        params = load_params(task.params_file)
        result = run_year(params, formats=task.formats, out_root=task.out_root,
                          progress=lambda message: None)
        return outcome(OK, outputs={k: str(v) for k, v in result.outputs.items()})
    except InputError as exc:
        return outcome(FAILED, error=_input_message(exc), kind=INPUT,
                       issues=[i.to_dict() for i in exc.issues])
    except NotebookFailed as exc:
        return outcome(FAILED, error=str(exc), kind=NOTEBOOK)
    except Exception as exc:  # a task must report, not raise: the other regions go on
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return outcome(FAILED, error=detail, kind=INTERNAL)


Done = Callable[[Outcome, int, int], None]


def run_plan(work: Plan, workers: int = 1, scheduler: str | None = None,
             on_done: Done | None = None) -> list[Outcome]:
    """Run every task of the plan; return the outcomes in the plan's order (failed loads first).

    ``workers <= 1`` without a scheduler runs the tasks one after another in this process;
    otherwise they go to a Dask cluster: ``scheduler`` (an address such as
    ``tcp://10.0.0.5:8786``) or a local one of ``workers`` processes.
    """
    total = work.total
    outcomes: dict[int, Outcome] = {}
    done = 0

    def finish(index: int, result: Outcome) -> None:
        nonlocal done
        outcomes[index] = result
        done += 1
        if on_done is not None:
            on_done(result, done, total)

    for failed in work.failed:
        finish(-1 - len(outcomes), failed)
    if work.tasks and scheduler is None and workers <= 1:
        for index, task in enumerate(work.tasks):
            finish(index, run_task(task))
    elif work.tasks:
        _run_on_dask(work.tasks, workers, scheduler, finish)
    ordered = [outcomes[k] for k in sorted(k for k in outcomes if k < 0)][::-1]
    return ordered + [outcomes[i] for i in range(len(work.tasks))]


def _run_on_dask(tasks: Sequence[Task], workers: int, scheduler: str | None,
                 finish: Callable[[int, Outcome], None]) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster if cluster is not None else scheduler)
    futures: dict[Any, int] = {}
    try:
        for index, task in enumerate(tasks):
            key = f"evalkit-run-{task.region}-{task.year}-{index}-{os.getpid()}-{time.time_ns()}"
            futures[client.submit(run_task, task, key=key, pure=False)] = index
        for future in as_completed(list(futures)):
            index = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker died (KilledWorker) or could not run it
                task = tasks[index]
                result = Outcome(str(task.params_file), task.region, task.year, FAILED, 0.0,
                                 str(task.report_dir), error=f"{type(exc).__name__}: {exc}",
                                 kind=WORKER)
            finish(index, result)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def remove_leftovers(tasks: Sequence[Task], finished: set[Path]) -> None:
    """After an interruption, remove the temporary folders of tasks that did not finish
    (a worker stopped from outside cannot clean up after itself)."""
    from evalkit.outputs import is_evalkit_run_folder

    for task in tasks:
        if task.report_dir in finished or not task.report_dir.parent.is_dir():
            continue
        for leftover in task.report_dir.parent.glob(f".{task.report_dir.name}.tmp-*"):
            if is_evalkit_run_folder(leftover):  # never a folder evalkit did not make
                shutil.rmtree(leftover, ignore_errors=True)


# Presentation -----------------------------------------------------------------------------

def exit_code(outcomes: Sequence[Outcome]) -> int:
    """0 when nothing failed; 1 when only inputs were invalid; 3 when anything else failed."""
    kinds = {o.kind for o in outcomes if o.status == FAILED}
    if not kinds:
        return 0
    return 1 if kinds == {INPUT} else 3


def summary_table(outcomes: Sequence[Outcome]) -> str:
    """A plain-text table: region, year, status, seconds, and the report or the error."""
    header = ("region", "year", "status", "seconds", "report / error")
    rows = [(o.region, "" if o.year is None else str(o.year), o.status, f"{o.seconds:.1f}",
             o.error.splitlines()[0] if o.status == FAILED else o.report) for o in outcomes]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)), r[4]])
             .rstrip() for r in [header, *rows]]
    counts = {s: sum(o.status == s for o in outcomes) for s in (OK, CURRENT, FAILED)}
    lines.append(f"{len(outcomes)} region-year(s): {counts[OK]} ok, {counts[CURRENT]} current "
                 f"(skipped), {counts[FAILED]} failed")
    return "\n".join(lines)


def summary_json(outcomes: Sequence[Outcome], seconds: float) -> dict[str, Any]:
    """What ``evalkit run --json`` prints for several region-years."""
    return {
        "ok": exit_code(outcomes) == 0,  # as every command's --json says
        "tasks": [o.to_dict() for o in outcomes],
        "total": len(outcomes),
        "succeeded": sum(o.status == OK for o in outcomes),
        "current": sum(o.status == CURRENT for o in outcomes),
        "failed": sum(o.status == FAILED for o in outcomes),
        "seconds": round(seconds, 3),
        "exit_code": exit_code(outcomes),
    }


def progress_line(outcome: Outcome, done: int, total: int) -> str:
    what = {OK: "ok", CURRENT: "current, skipped", FAILED: f"FAILED ({outcome.kind})"}
    year = "" if outcome.year is None else f" {outcome.year}"
    return (f"[{done}/{total}] {outcome.region}{year}: {what[outcome.status]} in "
            f"{outcome.seconds:.1f} s")
