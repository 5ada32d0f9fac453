"""The comparison run: resolve the member regions, execute notebooks/06_compare.ipynb on their
reports' artifacts, render, write the manifest, and swap the folder in.

Like the yearly run, everything is written into a temporary folder beside the report and
renamed over it only when the whole comparison succeeded. The resolved spec (``compare.yaml``)
stays in the folder: it names every member report that was read, and the manifest holds the
hash of every artifact read, so ``evalkit verify`` tells when a member's report has changed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
import yaml

from evalkit.compare.spec import (
    RESOLVED,
    CompareSpec,
    Member,
    is_comparison_file,
    load_comparison_params,
    read_spec,
    write_spec,
)
from evalkit.config import RunParams, load_params
from evalkit.fileio import sha256
from evalkit.issues import InputError, Issue
from evalkit.manifest import MANIFEST, git_commit, output_hashes, package_versions, write_manifest
from evalkit.outputs import (
    clean_stale,
    keep_failed,
    make_run_folder,
    remove_failed,
    swap_in,
    target_issues,
    writable_issues,
)
from evalkit.pipeline import KERNEL_THREADS, NOTEBOOKS_DIR, REPORT_FILE, NotebookFailed
from evalkit.report.markup import MarkdownTranslator, escape_markdown
from evalkit.yamlio import parse_yaml

COMPARE_NOTEBOOK = "06_compare"
GROUP_HISTORY = "history.csv"  # a province's own results, beside its regions' data folders

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CompareResult:
    report_dir: Path
    outputs: dict[str, Path]
    seconds: float


def interactive_dir(spec: CompareSpec) -> Path:
    """Where the comparison notebook opened in JupyterLab writes (never over a report)."""
    assert spec.output_dir is not None
    return spec.output_dir / "interactive" / str(spec.year)


def open_spec(path: Path) -> CompareSpec:
    """A resolved spec (``compare.yaml`` of a comparison report) or a comparison params file."""
    path = Path(path)
    if is_comparison_file(path):
        return resolve([path])
    return read_spec(path)


def resolve(files: Sequence[Path], reports: Path | None = None, history: Path | None = None,
            out: Path | None = None, language: str | None = None) -> CompareSpec:
    """Turn region params files (or one comparison params file) into a resolved spec.

    Member reports are ``reports/<region>/<year>`` when ``reports`` is given, else each params
    file's own report folder; last year's report is its sibling ``<year - 1>`` folder.
    """
    files = [Path(f) for f in files]
    group = None
    if len(files) == 1 and is_comparison_file(files[0]):
        group = load_comparison_params(files[0])
        files = list(group.members)
    loaded, issues = [], []
    for file in files:
        try:
            loaded.append(load_params(file))
        except InputError as exc:
            issues += exc.errors
    regions = Counter(p.region for p in loaded)
    issues += [Issue("error", f"region '{r}' is given {n} times; one params file per region",
                     code="compare:duplicate") for r, n in regions.items() if n > 1]
    years = sorted({p.year for p in loaded})
    wanted = group.year if group is not None and group.year else None
    if wanted is not None:
        issues += [Issue("error", f"year {p.year} but the comparison is of {wanted}",
                         file=str(p.source), code="compare:year") for p in loaded
                   if p.year != wanted]
    elif len(years) > 1:
        issues.append(Issue("error", "the regions must be of one year; got "
                            + ", ".join(map(str, years)), code="compare:year"))
    if not loaded and not issues:
        issues.append(Issue("error", "no member region to compare", code="compare:empty"))
    if issues:
        raise InputError(issues)
    year = wanted or years[0]
    reports = reports if reports is not None else (group.reports if group else None)
    members = tuple(_member(p, reports) for p in loaded)
    first = loaded[0]
    lang = language or (group.language if group and group.language else first.language)
    provinces = {p.province for p in loaded}
    name = group.name if group else (
        f"Provinsi {provinces.pop()}" if len(provinces) == 1 and "" not in provinces
        else "Indonesia")
    history = history or (group.history if group else None) or _group_history(loaded)
    output = out or (group.output_dir if group and group.output_dir else None) \
        or _default_output(members)
    formats = group.formats if group and group.formats else first.formats
    return CompareSpec(
        name=name, year=year, members=members, language=lang, formats=tuple(formats),
        history=history, output_dir=Path(output).resolve(),
        theme_labels=_theme_labels(first, lang), indicator_names=_indicator_names(first, lang),
        top=group.top if group else 10,
        full_tables_up_to=group.full_tables_up_to if group else 40,
        note=group.note if group else "", author=group.author if group else "",
        source=group.source if group else None)


def _member(params: RunParams, reports: Path | None) -> Member:
    report_dir = (Path(reports).resolve() / params.region / str(params.year) if reports
                  else params.report_dir.resolve())
    previous = report_dir.parent / str(params.year - 1)
    return Member(params.region, params.region_name, params.year, report_dir,
                  previous if (previous / "artifacts").is_dir() else None, params.source,
                  params.province)


def _group_history(loaded: Sequence[RunParams]) -> Path | None:
    """``history.csv`` in the folder holding most members' data folders, if there is one."""
    parents = Counter(p.data_dir.resolve().parent for p in loaded)
    for parent, _count in parents.most_common():
        if (parent / GROUP_HISTORY).is_file():
            return parent / GROUP_HISTORY
    return None


def _default_output(members: Sequence[Member]) -> Path:
    """``compare/`` beside the members' report roots (reports/bengkulu/compare)."""
    roots = [m.report_dir.parent for m in members]
    common = Path(os.path.commonpath([str(r) for r in roots])) if len(roots) > 1 else roots[0]
    return common / "compare"


def _theme_labels(params: RunParams, lang: str) -> dict[str, str]:
    from evalkit.themes.workflow import taxonomy_for

    try:
        taxonomy = taxonomy_for(params)
    except InputError:
        return {}
    return {theme.id: theme.label.get(lang, theme.id) for theme in taxonomy.themes}


def _indicator_names(params: RunParams, lang: str) -> dict[str, str]:
    from evalkit.iid.workflow import open_rubric

    try:
        rubric, _why = open_rubric(params)
    except InputError:
        return {}
    if rubric is None:
        return {}
    column = "name_en" if lang == "en" else "name"
    names: dict[str, str] = {}
    for frame in (rubric.spd, rubric.sid):
        for indicator, name in zip(frame["indicator"], frame[column], strict=True):
            names[str(indicator)] = str(name)
    return names


# Running -------------------------------------------------------------------------------------

def run_compare(spec: CompareSpec, formats: Sequence[str] | None = None,
                progress: Progress = print, notebook: Path | None = None) -> CompareResult:
    """Execute the comparison notebook, render it, write the manifest; swap the folder in."""
    from evalkit.report.render import render_report

    started = datetime.now().astimezone()
    clock = time.perf_counter()
    assert spec.output_dir is not None
    final = spec.output_dir / str(spec.year)
    problems = target_issues(final, "the comparison's output folder")  # only evalkit's own
    if problems or (problems := writable_issues(final.parent)):
        raise InputError(problems)
    clean_stale(final, progress)
    tmp = make_run_folder(final)  # the umask's permissions
    notebook = notebook or NOTEBOOKS_DIR / f"{COMPARE_NOTEBOOK}.ipynb"
    timings: dict[str, float] = {}
    try:
        resolved = write_spec(spec, tmp / RESOLVED)
        progress(f"[compare {spec.year}] {len(spec.members)} regions: {COMPARE_NOTEBOOK} ...")
        begin = time.perf_counter()
        _execute(notebook, tmp / REPORT_FILE, resolved, tmp, final)
        timings[COMPARE_NOTEBOOK] = time.perf_counter() - begin
        t = MarkdownTranslator(spec.language)  # Quarto and Pandoc read these as Markdown
        _front_matter(tmp / REPORT_FILE, {
            "title": str(t("compare.report.title", name=spec.name, year=spec.year)),
            "subtitle": str(t("compare.report.subtitle", count=len(spec.members))),
            "date": started.date().isoformat(), "lang": spec.language,
            **({"author": str(escape_markdown(spec.author))} if spec.author else {})})
        chosen = tuple(formats) if formats else spec.formats
        progress(f"[compare {spec.year}] rendering {', '.join(chosen)} ...")
        rendered = render_report(tmp / REPORT_FILE, tmp, chosen)
        timings["render"] = rendered.timings.get("total", 0.0)
        render_info = rendered.to_dict()
        render_info["notebook"] = REPORT_FILE
        render_info["outputs"] = {f: p.name for f, p in rendered.outputs.items()}
        timings["total"] = time.perf_counter() - clock
        write_manifest(tmp, build_manifest(spec, tmp, render_info, timings, started))
        swap_in(tmp, final)
    except BaseException:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    remove_failed(final)
    outputs = {fmt: final / path.name for fmt, path in rendered.outputs.items()}
    outputs["manifest"] = final / MANIFEST
    progress(f"[compare {spec.year}] report written to {final}")
    return CompareResult(final, outputs, time.perf_counter() - clock)


def _execute(notebook: Path, output: Path, params_path: Path, out_dir: Path, final: Path) -> None:
    import papermill

    for variable in KERNEL_THREADS:
        os.environ.setdefault(variable, "1")
    try:
        papermill.execute_notebook(
            str(notebook), str(output),
            parameters={"params_path": str(params_path), "output_dir": str(out_dir)},
            kernel_name="python3", progress_bar=False, cwd=str(notebook.parent),
            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except Exception as exc:
        kept = keep_failed(out_dir, final)
        cell = getattr(exc, "exec_count", None)
        error = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', exc)}"
        raise NotebookFailed(notebook.stem, cell, error, kept / output.name) from exc


def _front_matter(report_nb: Path, values: dict[str, Any]) -> None:
    """Fill the report's Quarto front matter (its first raw cell)."""
    nb = nbformat.read(report_nb, as_version=4)
    cell = nb.cells[0]
    if cell.cell_type != "raw":
        raise ValueError(f"{report_nb}: the first cell must be the raw front matter")
    meta = parse_yaml(cell.source.strip().removeprefix("---").removesuffix("---"),
                      report_nb) or {}
    meta.update(values)
    cell.source = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---"
    nbformat.write(nb, report_nb)


def input_files(spec: CompareSpec, report_dir: Path) -> list[Path]:
    """Every file the comparison read: the members' artifacts and manifests (as the notebook
    recorded them), the params files and the group's history."""
    from evalkit.artifacts import has_table, read_table

    files: set[Path] = set()
    if has_table(report_dir, "compare_inputs"):
        files |= {Path(p) for p in read_table(report_dir, "compare_inputs")["path"]}
    files |= {m.params_file for m in spec.members if m.params_file is not None}
    for extra in (spec.source, spec.history):
        if extra is not None:
            files.add(Path(extra))
    return sorted(p.resolve() for p in files if p.is_file())


def build_manifest(spec: CompareSpec, report_dir: Path, render: dict[str, Any],
                   timings: dict[str, float], started: datetime) -> dict[str, Any]:
    files = input_files(spec, report_dir)
    base = Path(os.path.commonpath([str(p.parent) for p in files])) if files else report_dir
    return {
        "evalkit_manifest": 1,
        "kind": "compare",
        "name": spec.name,
        "year": spec.year,
        "base_dir": str(base),
        "params_file": None,  # `verify` checks the recorded hashes; see comparison_params
        "comparison_params": str(spec.source) if spec.source else None,
        "members": [{"region": m.region, "year": m.year, "report_dir": str(m.report_dir),
                     "previous_dir": str(m.previous_dir) if m.previous_dir else None}
                    for m in spec.members],
        "inputs": {str(p.relative_to(base)): sha256(p) for p in files},
        "outputs": output_hashes(report_dir),
        "software": {"python": sys.version.split()[0], "packages": package_versions(),
                     "git_commit": git_commit(Path(__file__).parent)},
        "render": render,
        "timings_s": {name: round(sec, 3) for name, sec in timings.items()},
        "started_utc": started.astimezone(UTC).isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def with_output(spec: CompareSpec, out: Path | None) -> CompareSpec:
    """The spec with ``--out`` applied (the report goes to out/<year>)."""
    return replace(spec, output_dir=Path(out).resolve()) if out is not None else spec


def summary(result: CompareResult) -> dict[str, Any]:
    return {"report_dir": str(result.report_dir),
            "outputs": {k: str(v) for k, v in result.outputs.items()},
            "seconds": round(result.seconds, 3)}


def manifest_of(report_dir: Path) -> dict[str, Any]:
    return json.loads((Path(report_dir) / MANIFEST).read_text(encoding="utf-8"))
