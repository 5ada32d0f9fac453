"""The yearly run: validate, execute the notebooks with papermill, render, write the manifest.

A run works in a temporary folder beside the report and swaps it in only when everything
succeeded, so a failed run never leaves a half-written report where the last good one was.
Only the notebooks the report needs run (``select_notebooks``); they run on one kernel per
lane (``evalkit.kernels``), so start-up and imports are paid once per lane, not per notebook.
Ctrl-C interrupts the running notebook, starts nothing else and removes the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
import yaml

from evalkit.config import RunParams, project_root
from evalkit.inputs.validate import YearData, load_year
from evalkit.issues import InputError, Issue
from evalkit.manifest import RunRecord, build_manifest, write_manifest
from evalkit.outputs import (
    check_target,
    clean_stale,
    keep_failed,
    make_run_folder,
    remove_failed,
    swap_in,
    writable_issues,
)
from evalkit.registry import chapters_fed_by, notebook_entry
from evalkit.report.dates import in_zone, long_date
from evalkit.yamlio import parse_yaml

REPORT_NOTEBOOK = "05_report"
REPORT_FILE = "report.ipynb"
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
# Kernels side by side for the independent analyses (02-04). One by default: each kernel
# starts, imports and holds the year, and on two cores a second one made every size slower
# and larger (bench/bench_pipeline.py, bench/bench_scale.py --lanes 2: 700 innovations 15.6 s
# and 0.69 GB with one, 21.5 s and 1.04 GB with two; 5,000: 40.0 s and 1.09 GB against
# 43.2 s and 1.58 GB). `evalkit run --lanes 2` is there for machines with cores to spare.
LANES = 1

Progress = Callable[[str], None]
# Kernels start with single-threaded maths libraries: BLAS reductions split over threads round
# differently, so without this a table's last digits would depend on the machine's cores (and
# a Dask worker, which sets these to 1, would not match a local run). A user's value is kept.
KERNEL_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class NotebookFailed(RuntimeError):
    """A notebook raised; names the notebook, the cell and where the executed copy is kept."""

    def __init__(self, notebook: str, cell: int | None, error: str, kept: Path,
                 source: str = ""):
        self.notebook, self.cell, self.error, self.kept = notebook, cell, error, kept
        where = f"cell In [{cell}]" if cell is not None else "an unknown cell"
        if source:
            where += f" ({source})"
        super().__init__(f"notebook {notebook} failed in {where}: {error}\n"
                         f"the executed notebook is kept for inspection in {kept}")


@dataclass(frozen=True)
class RunResult:
    report_dir: Path
    outputs: dict[str, Path]
    record: RunRecord


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """The yearly run's notebooks in run order: every ``NN_name.ipynb`` up to the report
    notebook (those after it, such as ``06_compare``, belong to other runs)."""
    folder = folder if folder is not None else NOTEBOOKS_DIR
    found = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.is_file())
    return [p for p in found if p.stem <= REPORT_NOTEBOOK]


def interactive_output_dir(params: RunParams) -> Path:
    """Where a notebook opened in JupyterLab writes when no ``output_dir`` is given.

    Kept apart from the report folder, so exploring never overwrites a finished report.
    """
    return params.report_dir.parent / "interactive" / str(params.year)


def _failing_cell(exc: Exception) -> tuple[int | None, str]:
    """The execution count (``In [n]``) and first source line of the cell that raised."""
    count = getattr(exc, "exec_count", None)
    source = str(getattr(exc, "source", "") or "")
    first = next((line for line in source.splitlines() if line.strip()
                  and not line.startswith("#|")), "")
    return count, first.strip()[:80]


def execute(notebook: Path, output: Path, params: RunParams, out_dir: Path) -> float:
    """Execute one notebook with papermill on a kernel of its own; return the seconds it took.

    The kernel starts in the notebook's folder (no process-wide ``chdir``, so threads and
    relative paths of the caller are safe).
    """
    from evalkit.kernels import NotebookKernel, execute_on

    single_threaded_maths()
    kernel = NotebookKernel(notebook.parent)
    try:
        return execute_on(kernel, notebook, output,
                          {"params_path": str(params.source), "output_dir": str(out_dir)})
    finally:
        kernel.shutdown()


def single_threaded_maths() -> None:
    """Kernels inherit this process's environment: single-threaded BLAS (see KERNEL_THREADS)."""
    for variable in KERNEL_THREADS:
        os.environ.setdefault(variable, "1")


def set_front_matter(report_nb: Path, params: RunParams, title: str, subtitle: str,
                     run_date: str) -> None:
    """Fill the report's Quarto front matter (first raw cell) with this run's title and language.

    Raw cells cannot be parameterised by papermill, and the title must follow the params'
    language and region. Quarto and Pandoc read these values as Markdown, so ``title`` and
    ``subtitle`` come escaped (a MarkdownTranslator) and the author is escaped here.
    """
    from evalkit.report.markup import escape_markdown

    nb = nbformat.read(report_nb, as_version=4)
    cell = nb.cells[0]
    if cell.cell_type != "raw":
        raise ValueError(f"{report_nb}: the first cell must be the raw front matter")
    body = cell.source.strip().removeprefix("---").removesuffix("---")
    meta = parse_yaml(body, report_nb) or {}
    meta.update({"title": str(title), "subtitle": str(subtitle), "date": run_date,
                 "lang": params.language})
    author = params.report.issuing_office or params.report.author  # the office issues it
    if author:
        meta["author"] = str(escape_markdown(author))
    cell.source = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---"
    nbformat.write(nb, report_nb)


def _nothing_to_report(params: RunParams, year: YearData) -> list[Issue]:
    """A year without an innovation that counts (every one rejected, or none at all) has no
    index, no competition entries and no themes: that is the data's state, said before any
    notebook runs, not a notebook failure."""
    from evalkit.iid.engine import REJECTED

    innovations = year.innovations
    if "verification_status" not in innovations.columns and len(innovations):
        return []  # statuses not given: nothing says the innovations were rejected
    status = innovations.get("verification_status", innovations.index.to_series())
    if (status != REJECTED).any():
        return []
    what = (f"all {len(status)} innovations are rejected" if len(status)
            else "there are no innovations")
    return [Issue("error", f"nothing to report for {params.year}: {what} "
                           "(verification_status); fix the data or the year",
                  file=str(params.year_dir), column="verification_status",
                  code="run:nothing-to-report")]


def _iid_issues(params: RunParams, year: YearData) -> list[Issue]:
    """What the IID notebook would refuse (an unreadable rubric, indicators it does not
    score), said before any kernel starts: exit 1, not a failed notebook."""
    from evalkit.iid.workflow import input_issues

    return input_issues(params, year)


def _themes_issues(params: RunParams) -> list[Issue]:
    """What the themes notebook would refuse in the params (settings, taxonomy, emphasised
    themes), said before any kernel starts."""
    from evalkit.themes.workflow import input_issues

    return input_issues(params)


def _prepare_output(params: RunParams, out_root: Path | None, progress: Progress
                    ) -> tuple[Path, Path, YearData]:
    """Validate the inputs and the output folder (every problem at once, before any kernel
    starts), remove what killed runs left, and make this run's temporary folder.

    The kernels validate (and remember) their own copy, so the runner's copy is only for
    choosing the notebooks."""
    final = (out_root / str(params.year)) if out_root else params.report_dir
    problems = check_target(params, final, out_root)
    try:
        year_data = load_year(params, remember=False)
    except InputError as exc:
        raise InputError(exc.issues + problems) from None
    problems += (_nothing_to_report(params, year_data) + _iid_issues(params, year_data)
                 + _themes_issues(params))
    if problems:
        raise InputError(problems)
    problems = writable_issues(final.parent)  # creates the output folder when all else is fine
    if problems:
        raise InputError(problems)
    clean_stale(final, lambda m: progress(f"[{params.year}] {m}"))
    return final, make_run_folder(final), year_data


def run_year(params: RunParams, formats: Sequence[str] | None = None,
             out_root: Path | None = None, progress: Progress = print,
             notebooks: Sequence[Path] | None = None, lanes: int | None = None,
             fresh_kernels: bool = False) -> RunResult:
    """Run the whole pipeline for one params file; raise on invalid input or failure.

    A plain function of its arguments (no global state, no signal handlers), so a worker
    process can call it for one region-year. ``lanes`` kernels run side by side (default
    ``LANES``, at most the core count); ``fresh_kernels`` starts a kernel per notebook.
    """
    from evalkit.report.markup import MarkdownTranslator
    from evalkit.report.render import render_report

    started = datetime.now().astimezone()
    clock = time.perf_counter()
    final, tmp, year_data = _prepare_output(params, out_root, progress)
    validation_s = time.perf_counter() - clock
    timings: dict[str, float] = {"validation": validation_s}
    paths = list(notebooks) if notebooks is not None else notebook_paths()
    try:
        (tmp / "notebooks").mkdir()
        chosen, skipped = select_notebooks(paths, params, year_data)
        del year_data  # the kernels validate their own copy; keep the runner small
        for name, why in skipped.items():
            progress(f"[{params.year}] {name} skipped: {why}")
        _execute_notebooks(chosen, paths, params, tmp, final, timings, progress,
                           lanes, fresh_kernels)
        report_nb = tmp / REPORT_FILE
        written: dict[str, Path] = {}
        render_info: dict[str, object] = {}
        if report_nb.is_file():
            t = MarkdownTranslator(params.language)
            set_front_matter(report_nb, params,
                             t("core.report.title", region=params.region_name, year=params.year),
                             t("core.report.subtitle", year=params.year),
                             long_date(in_zone(started, params.report.timezone).date(),
                                       params.language))
            chosen = tuple(formats) if formats else params.formats
            progress(f"[{params.year}] rendering {', '.join(chosen)} ...")
            result = render_report(report_nb, tmp, chosen)
            render_info = result.to_dict()
            render_info["notebook"] = REPORT_FILE  # the temporary folder's path means nothing
            render_info["outputs"] = {f: p.name for f, p in result.outputs.items()}
            timings["render"] = result.timings.get("total", sum(result.timings.values()))
            written = {fmt: final / path.name for fmt, path in result.outputs.items()}
        record = RunRecord(timings, render_info, started, datetime.now().astimezone(),
                           skipped)
        write_manifest(tmp, build_manifest(params, tmp, record, project_root(params.source)))
        swap_in(tmp, final)
    except BaseException:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    remove_failed(final)
    written["manifest"] = final / "manifest.json"
    progress(f"[{params.year}] report written to {final}")
    return RunResult(final, written, record)


def run_stages(paths: Sequence[Path]) -> list[list[Path]]:
    """Group notebooks into stages: the first alone, the analyses together, the report last.

    The first notebook validates and writes the shared tables; the analysis notebooks
    (IID, themes, jury) only read inputs and write their own artifacts, so they can run side
    by side; the report reads everything.
    """
    paths = list(paths)
    if len(paths) <= 2:
        return [[p] for p in paths]
    last = paths[-1] if paths[-1].stem == REPORT_NOTEBOOK else None
    middle = paths[1:-1] if last else paths[1:]
    return [[paths[0]], middle] + ([[last]] if last else [])


def select_notebooks(paths: Sequence[Path], params: RunParams,
                     year: YearData) -> tuple[list[Path], dict[str, str]]:
    """The notebooks this run needs, and why each other one is skipped.

    A notebook the registry knows runs if it is marked ``always``, or if a chapter it feeds is
    in ``report.chapters`` and every input table it requires has rows. Notebooks the registry
    does not know always run.
    """
    chosen, skipped = [], {}
    for path in paths:
        entry = notebook_entry(path.stem)
        if entry is None or entry.always:
            chosen.append(path)
            continue
        fed = chapters_fed_by(entry.name)
        if fed and not set(fed) & set(params.report.chapters):
            skipped[path.stem] = (f"its chapter ({', '.join(fed)}) is not in report.chapters")
            continue
        empty = [t for t in entry.requires if len(getattr(year, t)) == 0]
        if empty:
            skipped[path.stem] = (f"no {', '.join(empty)} table in {params.year_dir}")
            continue
        chosen.append(path)
    return chosen, skipped


def _execute_notebooks(chosen: Sequence[Path], paths: Sequence[Path], params: RunParams,
                       tmp: Path, final: Path, timings: dict[str, float], progress: Progress,
                       lanes: int | None, fresh: bool) -> None:
    """Execute the chosen notebooks in stages on a few kernels; on failure keep them."""
    from evalkit.kernels import Job, JobFailed, execute_stages

    def target(notebook: Path) -> Path:
        is_report = notebook.stem == REPORT_NOTEBOOK
        return tmp / REPORT_FILE if is_report else tmp / "notebooks" / notebook.name

    def job(nb: Path) -> Job:
        entry = notebook_entry(nb.stem)
        return Job(nb, target(nb), f"[{params.year}] {paths.index(nb) + 1}/{len(paths)} "
                   f"{nb.stem}", entry.weight if entry else 1)

    stages = [[job(nb) for nb in stage] for stage in run_stages(chosen)]
    if not stages:
        return
    lanes = min(LANES if lanes is None else lanes, os.cpu_count() or 1)
    parameters = {"params_path": str(params.source), "output_dir": str(tmp)}
    single_threaded_maths()
    try:
        timings.update(execute_stages(stages, parameters, chosen[0].parent, lanes=lanes,
                                      fresh=fresh, progress=progress))
    except JobFailed as failed:
        kept = keep_failed(tmp, final)
        exc = failed.error
        count, source = _failing_cell(exc)
        raise NotebookFailed(failed.job.notebook.stem, count, _short(exc),
                             kept / failed.job.output.relative_to(tmp), source) from exc


def _short(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip()
