"""Run parameters: ``params/<year>.yaml`` loaded into frozen dataclasses.

The loader is generic over dataclasses: it checks every key against the fields, every value
against the field's type, and resolves paths relative to the params file. A misspelled key is
an error (with the closest known key suggested), never silently ignored: a typo in
``mode: claimed`` must not quietly score the verified mode.
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import os
import stat
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from evalkit.issues import InputError, Issue, as_written
from evalkit.registry import chapter_names
from evalkit.yamlio import read_yaml

Language = Literal["id", "en"]
FORMATS = ("html", "pdf")


# A file is run params when it holds any of these keys; other YAML (a taxonomy, a rubric)
# in the same folder is told apart by its content, so `--params params/*.yaml` works.
RUN_KEYS = ("region", "region_name", "data_dir")


def _exists(kind: str) -> dict[str, str]:
    """Field metadata: the path must exist as a ``file`` or ``dir`` when the params load."""
    return {"exists": kind}


@dataclass(frozen=True)
class Range:
    """The values a number may take; ``below`` excludes ``high`` itself."""

    low: float | None = None
    high: float | None = None
    below: bool = False

    def __contains__(self, value: float) -> bool:
        if self.low is not None and value < self.low:
            return False
        if self.high is None:
            return True
        return value < self.high if self.below else value <= self.high

    def __str__(self) -> str:
        low, high = (None if v is None else as_written(v) for v in (self.low, self.high))
        if high is None:
            return f"at least {low}"
        if low is None:
            return f"below {high}" if self.below else f"at most {high}"
        return f"at least {low} and below {high}" if self.below else (
            f"between {low} and {high}")


def _range(low: float | None = None, high: float | None = None, below: bool = False
           ) -> dict[str, Range]:
    """Field metadata: the number must lie in this range when the params load."""
    return {"range": Range(low, high, below)}


@dataclass(frozen=True)
class IIDSettings:
    """National Regional Innovation Index (IID) self-assessment."""

    rubric: Path | None = field(default=None, metadata=_exists("file"))
    mode: Literal["verified", "claimed"] = "verified"
    cost_table: Path | None = field(default=None, metadata=_exists("file"))
    # SPD weight variant declared in the rubric's weight_variants; empty = the encoded one.
    spd_variant: str = ""
    # Improvement plan target: "next" (the next predicate), a predicate, or an index ("55").
    plan_target: str = "next"
    # Leave out SPD rows the rubric marks `actionable: false` (macro outcomes) from the plan.
    plan_actionable_only: bool = True
    # The region (SPD) score as the IID application shows it, when the region_indicators
    # table is not available; with neither, the index is a lower bound. Not negative here;
    # the rubric's SPD maximum is checked when the index is scored (the rubric names it).
    spd_total: float | None = field(default=None, metadata=_range(0))


@dataclass(frozen=True)
class ThemeSettings:
    """Theme assignment of innovations (see evalkit.themes.workflow)."""

    # default: the taxonomy shipped in the package (evalkit/themes/taxonomy.yaml)
    taxonomy: Path | None = field(default=None, metadata=_exists("file"))
    # The region's labelled rows (evaluators' labels; created by notebook 03_themes when it
    # does not exist yet, so it need not exist when the params load).
    labels: Path | None = None
    # Themes the region's socialisation emphasised (a fact of the region); empty = none,
    # and the report leaves that section out.
    emphasised: tuple[str, ...] = ()
    affair_prior: bool = True  # use the affair (urusan) as a weak cue when the data has it
    # below: the taxonomy's fallback theme (lainnya)
    min_confidence: float = field(default=0.3, metadata=_range(0, 1))
    # below: to review (calibrated: about that share is right)
    low_confidence: float = field(default=0.8, metadata=_range(0, 1))
    max_clusters: int = field(default=8, metadata=_range(2, 100))
    # similarity (0-1) flagged as a possible re-submission
    resubmission_threshold: float = field(default=0.7, metadata=_range(0, 1))
    reference_corpus: Path | None = field(default=None, metadata=_exists("file"))
    stemming: bool = False  # Sastrawi (dictionary CC BY-NC-SA); no gain measured


@dataclass(frozen=True)
class JurySettings:
    """Jury of the lomba inovasi (see evalkit.jury.workflow; rubric: params/rubrics/lomba-*)."""

    rubric: Path | None = field(default=None, metadata=_exists("file"))
    method: Literal["mean", "median", "trimmed_mean", "zscore"] = "zscore"
    # Juror ids of this year's panel; empty = every juror in the jurors table.
    jurors: tuple[str, ...] = ()
    # Which innovations compete: only those verified as accepted (default), all but the
    # rejected ones, or all.
    entries: Literal["accepted", "not_rejected", "all"] = "accepted"
    # Where imported / notebook-entered scores and their change log live (never in data/);
    # empty = <params folder>/../store/<region>/<year>/ (see evalkit.jury.store).
    store_dir: Path | None = None
    # trimmed_mean: share of jurors cut at each end, as scipy's trim_mean (half or more
    # would cut everyone)
    trim: float = field(default=0.2, metadata=_range(0, 0.5, below=True))
    # robustness: bootstrap resamples of the jurors (fewer than 100 cannot give a share to
    # two digits)
    resamples: int = field(default=2000, metadata=_range(100, 1_000_000))
    # robustness: each weight times U(1 - spread, 1 + spread); 1 or more allows weights <= 0
    weight_spread: float = field(default=0.2, metadata=_range(0, 1, below=True))
    top_k: int = field(default=3, metadata=_range(1))  # robustness: P(finishing in the top k)
    # the winner is "clear" when first in this share of resamples
    clear_winner: float = field(default=0.9, metadata=_range(0.5, 1))
    # flag a juror whose mean gap to the others exceeds this (points of the rubric's scale)
    leniency_limit: float = field(default=10.0, metadata=_range(0))
    # flag a juror whose order correlates less with the others (a correlation, -1 to 1)
    min_consensus_r: float = field(default=0.3, metadata=_range(-1, 1))


@dataclass(frozen=True)
class TableInput:
    """How one table of a region's own spreadsheet maps onto evalkit's (docs/params.md)."""

    file: str = ""  # the file in the year folder that holds this table (a name or a glob)
    sheet: str = ""  # the sheet of that file holding it (empty: the only sheet)
    # Header as written -> evalkit's column name, or "ignore" to leave the column unread.
    columns: dict[str, str] = field(default_factory=dict)
    # evalkit's column -> {value as written: value evalkit knows}.
    values: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class InputSettings:
    """Per table, renames and value maps for spreadsheets with their own headers."""

    units: TableInput = field(default_factory=TableInput)
    innovations: TableInput = field(default_factory=TableInput)
    evidence: TableInput = field(default_factory=TableInput)
    region_indicators: TableInput = field(default_factory=TableInput)
    jurors: TableInput = field(default_factory=TableInput)
    jury_scores: TableInput = field(default_factory=TableInput)
    history: TableInput = field(default_factory=TableInput)
    theme_overrides: TableInput = field(default_factory=TableInput)

    def table(self, name: str) -> TableInput:
        return getattr(self, name, TableInput())


@dataclass(frozen=True)
class ReportSettings:
    """What the yearly report holds and how it is titled."""

    chapters: tuple[str, ...] = ("participation", "history", "iid", "themes", "quality")
    author: str = ""
    note: str = ""  # a paragraph shown under the introduction, in the user's own words
    summary: bool = True  # the one-page summary before the chapters
    # The office that issues the report (e.g. "Bappeda Kabupaten Rejang Lebong"): the author
    # line when given.
    issuing_office: str = ""
    # The region's time zone for dates and times in the report; empty = the machine's, shown
    # with its UTC offset.
    timezone: Literal["", "WIB", "WITA", "WIT"] = ""


@dataclass(frozen=True)
class RunParams:
    """Everything one yearly run needs. Paths are absolute once loaded."""

    region: str
    year: int = field(metadata=_range(2000, 2100))
    data_dir: Path = field(metadata=_exists("dir"))
    region_name: str = ""  # shown in the report; empty = the region id
    province: str = ""
    # kabupaten, kota or provinsi; empty = read from region_name ("Kota ..." is a kota).
    region_kind: Literal["", "kabupaten", "kota", "provinsi"] = ""
    language: Language = "id"
    formats: tuple[str, ...] = FORMATS
    seed: int = field(default=0, metadata=_range(0, 2**32 - 1))  # numpy takes 0 to 2**32 - 1
    output_dir: Path | None = None
    iid: IIDSettings = field(default_factory=IIDSettings)
    themes: ThemeSettings = field(default_factory=ThemeSettings)
    jury: JurySettings = field(default_factory=JurySettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    inputs: InputSettings = field(default_factory=InputSettings)
    source: Path | None = None  # the params file itself; set by the loader

    @property
    def year_dir(self) -> Path:
        """The folder holding this year's input tables."""
        return self.data_dir / str(self.year)

    @property
    def report_dir(self) -> Path:
        """Where ``evalkit run`` puts this year's report."""
        assert self.output_dir is not None, "load_params sets output_dir"
        return self.output_dir / str(self.year)

    def earlier_year_dirs(self) -> dict[int, Path]:
        """Sibling year folders before this year, oldest first (for trends)."""
        found = {
            int(p.name): p
            for p in self.data_dir.iterdir()
            if p.is_dir() and p.name.isdigit() and int(p.name) < self.year
        }
        return dict(sorted(found.items()))

    def to_dict(self) -> dict[str, Any]:
        """Resolved params as plain JSON-able data (for the manifest)."""
        return _plain(dataclasses.asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


class _Loader:
    """Converts a mapping to a dataclass, collecting every problem as an Issue."""

    def __init__(self, file: Path):
        self.file = file
        self.issues: list[Issue] = []

    def error(self, key: str, message: str) -> None:
        self.issues.append(Issue("error", message, file=str(self.file), code=f"params:{key}"))

    def build(self, cls: type, data: Any, prefix: str) -> Any:
        if not isinstance(data, dict):
            self.error(prefix or "(top level)", f"expected a mapping of keys, got "
                       f"{as_written(data)}")
            return None
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
        values: dict[str, Any] = {}
        for key, raw in data.items():
            dotted = f"{prefix}{key}"
            if key not in fields:
                close = difflib.get_close_matches(str(key), list(fields), n=1)
                hint = f" (did you mean '{prefix}{close[0]}'?)" if close else ""
                known = ", ".join(sorted(fields))
                self.error(dotted, f"unknown key '{dotted}'{hint}; known keys: {known}")
                continue
            values[key] = self.convert(hints[key], raw, dotted, fields[key].metadata)
        for name, f in fields.items():
            no_default = (
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            )
            if name not in data and no_default:
                self.error(f"{prefix}{name}", f"required key '{prefix}{name}' is missing")
        if any(i.severity == "error" for i in self.issues):
            return None
        return cls(**values)

    def convert(self, hint: Any, raw: Any, key: str, meta: Any) -> Any:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if raw is None and type(None) in args:
                return None
            (inner,) = [a for a in args if a is not type(None)]
            return self.convert(inner, raw, key, meta)
        if origin is Literal:
            if raw not in args:
                choices = ", ".join(as_written(a) for a in args)
                self.error(key, f"'{key}' must be one of {choices}, got {as_written(raw)}")
            return raw
        if origin is tuple:
            items = raw if isinstance(raw, list) else None
            if items is None:
                self.error(key, f"'{key}' must be a list, got {as_written(raw)}")
                return ()
            return tuple(self.convert(args[0], v, f"{key}[{i}]", meta) for i, v in enumerate(items))
        if origin is dict:
            if not isinstance(raw, dict):
                self.error(key, f"'{key}' must be a mapping, got {type(raw).__name__}")
                return {}
            return {self.convert(str, _scalar_text(k), f"{key}", meta):
                    self.convert(args[1], _scalar_text(v), f"{key}.{k}", meta)
                    for k, v in raw.items()}
        if dataclasses.is_dataclass(hint):
            return self.build(hint, raw, key + ".")
        if hint is Path:
            if not isinstance(raw, str) or not raw:
                self.error(key, f"'{key}' must be a path (text), got {as_written(raw)}")
                return Path()
            path = (self.file.parent / raw).resolve()
            kind = meta.get("exists") if meta else None
            if kind == "file" and not path.is_file():
                self.error(key, f"'{key}': file not found: {path}")
            elif kind == "dir" and not path.is_dir():
                self.error(key, f"'{key}': folder not found: {path}")
            return path
        if hint is bool:
            if not isinstance(raw, bool):
                self.error(key, f"'{key}' must be true or false, got {as_written(raw)}")
            return raw
        if hint is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.error(key, f"'{key}' must be a whole number, got {as_written(raw)}")
                return raw
            return self.in_range(raw, key, meta)
        if hint is float:
            if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw:
                self.error(key, f"'{key}' must be a number, got {as_written(raw)}")
                return raw
            return self.in_range(float(raw), key, meta)
        if hint is str:
            if not isinstance(raw, str):
                self.error(key, f"'{key}' must be text, got {as_written(raw)}")
            return raw
        raise TypeError(f"config field type not supported: {hint!r}")  # programming error

    def in_range(self, value: float, key: str, meta: Any) -> float:
        allowed = meta.get("range") if meta else None
        if allowed is not None and value not in allowed:
            self.error(key, f"'{key}' must be {allowed}, got {as_written(value)}")
        return value


def is_run_settings(data: Any) -> bool:
    """Whether parsed YAML is a run params file: a mapping with any of :data:`RUN_KEYS`."""
    return isinstance(data, dict) and any(key in data for key in RUN_KEYS)


def is_run_params_file(path: str | Path) -> bool:
    """Whether a YAML file holds run settings rather than a taxonomy, a rubric or other data.

    A file that cannot be read counts as run params, so that :func:`load_params` names its
    problem instead of it being skipped.
    """
    try:
        data = read_yaml(path)
    except InputError:
        return True
    return data is None or is_run_settings(data)


def _scalar_text(value: Any) -> Any:
    """YAML reads `Ada: yes` as a boolean and `1: x` as a number; in a mapping of spellings
    they are text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return value


def load_params(path: str | Path) -> RunParams:
    """Load and validate a params file; raise :class:`InputError` listing every problem."""
    file = Path(path).resolve()
    if not file.is_file():
        what = "is a folder, not a params file" if file.is_dir() else "params file not found"
        raise InputError([Issue("error", what, file=str(file))])
    data = read_yaml(file)
    if data is not None and not is_run_settings(data):
        keys = ", ".join(RUN_KEYS)
        raise InputError([Issue("error", f"not a run params file: it holds none of {keys} "
                                "(a taxonomy or rubric is named from the run params instead)",
                                file=str(file), code="params:not-run-params")])
    loader = _Loader(file)
    params = loader.build(RunParams, data if data is not None else {}, "")
    if params is not None:
        params = dataclasses.replace(
            params, source=file, output_dir=params.output_dir or project_root(file) / "reports",
            region_name=params.region_name or params.region)
        _check_semantics(params, loader)
    if loader.issues or params is None:
        raise InputError(loader.issues)
    return params


def project_root(params_file: Path) -> Path:
    """The folder a params file belongs to: the checkout for ``params/*.yaml``."""
    folder = params_file.resolve().parent
    return folder.parent if folder.name == "params" else folder


def _check_semantics(params: RunParams, loader: _Loader) -> None:
    for fmt in params.formats:
        if fmt not in FORMATS:
            loader.error("formats", f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    if not params.formats:
        loader.error("formats", f"'formats' is empty; give one or more of {', '.join(FORMATS)}")
    if not params.year_dir.is_dir():
        loader.error("data_dir", f"no folder for year {params.year} in {params.data_dir}")
    else:  # the earlier years in the region folder are read too (trends)
        loader.issues += data_folder_issues(params.data_dir)
    known = chapter_names()
    seen: set[str] = set()
    for name in params.report.chapters:
        if name not in known:
            loader.error(
                "report.chapters", f"unknown chapter '{name}'; available: {', '.join(known)}"
            )
        elif name in seen:
            loader.error("report.chapters", f"chapter '{name}' is listed twice; a chapter "
                                            "appears once in the report")
        seen.add(name)
    assert params.output_dir is not None
    loader.issues += output_location_issues(params, params.output_dir)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies under it (both resolved, links followed)."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


INPUT_FOLDERS = ("data_dir", "jury.store_dir")


def input_locations(params: RunParams) -> list[tuple[str, Path]]:
    """Every input a run reads by path, by params key: data, score store, rubrics and files."""
    found: list[tuple[str, Path]] = [("data_dir", params.data_dir)]
    if params.source is not None:
        found.append(("(the params file)", params.source))
    for name in ("iid", "themes", "jury", "report"):
        section = getattr(params, name)
        for key, value in vars(section).items():
            if isinstance(value, Path):
                found.append((f"{name}.{key}", value))
    return found


def output_location_issues(params: RunParams, output_dir: Path,
                           key: str = "output_dir") -> list[Issue]:
    """Refuse an output folder that holds input folders or lies inside them, and input files
    inside the folder a run replaces.

    A run replaces ``<output_dir>/<year>`` as a whole, so an output folder inside the data
    (or the data inside the output folder) could delete raw inputs.
    """
    file = str(params.source or "")
    replaced = output_dir / str(params.year)
    issues = []
    for name, path in input_locations(params):
        folder = name in INPUT_FOLDERS
        if folder and _inside(output_dir, path):
            issues.append(Issue("error", f"the output folder {output_dir} is inside the "
                                f"folder of '{name}' ({path}); reports must be written "
                                "outside the inputs", file=file, code=f"params:{key}"))
        elif _inside(path, output_dir if folder else replaced):
            issues.append(Issue("error", f"'{name}' ({path}) is inside the output folder "
                                f"{output_dir}; a report written there could replace it. "
                                "Keep inputs and reports apart", file=file,
                                code=f"params:{key}"))
    return issues


def data_folder_issues(folder: Path) -> list[Issue]:
    """Links that lead nowhere (or in a loop) and special files (pipes, sockets, devices) in a
    data folder: reading them would fail or hang, so they are named at load."""
    issues = []
    for root, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(root) / name
            try:
                mode = path.stat().st_mode  # follows links
            except OSError as exc:
                reason = ("a link that refers to itself (a loop)" if exc.errno == errno.ELOOP
                          else "a link to something that does not exist")
                issues.append(Issue("error", f"{reason}; remove it or point it at the file",
                                    file=str(path), code="data:link"))
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                issues.append(Issue("error", "not a regular file (a pipe, socket or device); "
                                    "only data files belong here", file=str(path),
                                    code="data:special-file"))
    return issues
