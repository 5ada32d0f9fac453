"""Render an executed report notebook to one self-contained HTML file and an A4 PDF.

Quarto is used when it is on PATH (`quarto render --no-execute`, so the notebook is never run
again). Otherwise the built-in path needs nothing outside the Python environment: pandoc from
the pypandoc-binary wheel reads the notebook with our Lua filter (assets/quartoish.lua),
which applies the Quarto cell options the notebooks use, and writes HTML directly and Typst
source for the typst wheel to turn into a PDF. Both paths read the same notebook.

Outputs are deterministic (same notebook, same bytes) and written atomically: a temporary
file in the destination folder, then os.replace.
"""

from __future__ import annotations

import base64
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from evalkit.fileio import write_atomic, write_bytes_atomic
from evalkit.issues import InputError, Issue
from evalkit.yamlio import parse_yaml

FORMATS: tuple[str, ...] = ("html", "pdf")
RENDERERS: tuple[str, ...] = ("auto", "quarto", "pandoc")
REPORT_NOTEBOOK = "report.ipynb"
ASSETS = Path(__file__).with_name("assets")
LUA_FILTER = ASSETS / "quartoish.lua"
HTML_CSS = ASSETS / "report.css"
TYPST_HEADER = ASSETS / "report.typ"

_SUFFIX = {"html": ".html", "pdf": ".pdf"}
_QUARTO_FORMAT = {"html": "html", "pdf": "typst"}
# citations: @fig-x / @tbl-x become Cite elements the filter resolves; all: every output
# representation reaches the filter, which picks one per target as Quarto does.
_PANDOC_READ = ("--from", "ipynb+citations", "--ipynb-output=all", "--lua-filter", str(LUA_FILTER))
_MIN_PANDOC = (3, 1, 2)  # Figure blocks, table ids from captions, the Typst writer we rely on
_PANDOC_TIMEOUT = 300
_QUARTO_TIMEOUT = 1800


class RenderError(RuntimeError):
    """A rendering step failed; names the step and carries the tool's own message."""

    def __init__(self, step: str, message: str, stderr: str = ""):
        self.step = step
        self.stderr = stderr
        detail = f"\n{stderr.strip()}" if stderr.strip() else ""
        super().__init__(f"render step '{step}' failed: {message}{detail}")


@dataclass(frozen=True)
class RenderResult:
    """What was rendered, by which tool and version, and how long each part took."""

    renderer: str
    notebook: Path
    outputs: dict[str, Path]
    versions: dict[str, str]
    timings: dict[str, float]
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "renderer": self.renderer,
            "notebook": str(self.notebook),
            "outputs": {fmt: str(path) for fmt, path in self.outputs.items()},
            "versions": dict(self.versions),
            "timings": {key: round(value, 3) for key, value in self.timings.items()},
            "warnings": list(self.warnings),
        }


# Tools -------------------------------------------------------------------------------------


def pandoc_path() -> Path:
    """The pandoc binary: $PYPANDOC_PANDOC, else the one in the pypandoc-binary wheel.

    Looked up by hand because pypandoc.get_pandoc_path() logs an alarming error when no
    pandoc is on PATH, before falling back to the same bundled binary.
    """
    configured = os.environ.get("PYPANDOC_PANDOC")
    if configured and Path(configured).is_file():
        return Path(configured)
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "files" / "pandoc"
        if bundled.is_file():
            return bundled
    on_path = shutil.which("pandoc")
    if on_path:
        return Path(on_path)
    raise RenderError("pandoc", "no pandoc found; install pypandoc-binary or set PYPANDOC_PANDOC")


@cache
def _pandoc_version_of(path: str) -> str:
    proc = _run([path, "--version"], step="pandoc --version", timeout=60)
    first = proc.stdout.splitlines()[0] if proc.stdout else ""
    match = re.search(r"(\d+(?:\.\d+)+)", first)
    if match is None:
        raise RenderError("pandoc --version", f"cannot read a version from {first!r}")
    return match.group(1)


def pandoc_version() -> str:
    """Version of the pandoc that the built-in renderer uses, e.g. "3.9"."""
    return _pandoc_version_of(str(pandoc_path()))


@cache
def typst_version() -> str:
    """Version of the Typst compiler inside the typst wheel (falls back to the wheel's)."""
    import typst

    with tempfile.TemporaryDirectory(prefix="evalkit-typst-") as tmp:
        source = Path(tmp) / "version.typ"
        source.write_text("#metadata(str(sys.version)) <v>\n", encoding="utf-8")
        try:
            value = typst.query(str(source), "<v>", field="value", one=True, format="json")
            return str(json.loads(value)).strip()
        except Exception:  # the version is informative only; never fail a render on it
            return importlib.metadata.version("typst")


def quarto_path() -> str | None:
    """The quarto executable on PATH, if any."""
    return shutil.which("quarto")


def quarto_version() -> str:
    """Output of `quarto --version`."""
    quarto = quarto_path()
    if quarto is None:
        raise RenderError("quarto --version", "quarto is not on PATH")
    return _run([quarto, "--version"], step="quarto --version", timeout=120).stdout.strip()


def available_renderer() -> str:
    """ "quarto" when Quarto is installed, else "pandoc" (the built-in path)."""
    return "quarto" if quarto_path() else "pandoc"


# Inputs ------------------------------------------------------------------------------------


def find_report_notebook(path: Path) -> Path:
    """The executed report notebook in a report folder (or the notebook path itself)."""
    path = Path(path)
    if path.is_file() and path.suffix == ".ipynb":
        return path.resolve()
    if not path.is_dir():
        raise _input_error(str(path), "no such report folder or notebook")
    named = path / REPORT_NOTEBOOK
    if named.is_file():
        return named.resolve()
    candidates = sorted(path.glob("*.ipynb"))
    if len(candidates) == 1:
        return candidates[0].resolve()
    found = ", ".join(p.name for p in candidates) or "none"
    raise _input_error(
        str(path), f"expected {REPORT_NOTEBOOK} (or exactly one .ipynb) here; found: {found}"
    )


def front_matter(notebook: dict[str, Any]) -> dict[str, Any]:
    """The Quarto front matter held in the notebook's first raw cell ({} if none)."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "raw":
            break
        text = _source(cell).strip()
        match = re.match(r"^---\s*\n(.*?)\n(?:---|\.\.\.)\s*$", text, flags=re.S)
        if match:
            loaded = parse_yaml(match.group(1), "front matter")
            return loaded if isinstance(loaded, dict) else {}
    return {}


def format_options(meta: dict[str, Any], target: str) -> dict[str, Any]:
    """Top-level front matter overlaid with its `format: {target: {...}}` entries."""
    merged = {key: value for key, value in meta.items() if key != "format"}
    per_format = meta.get("format")
    if isinstance(per_format, dict) and isinstance(per_format.get(target), dict):
        merged.update(per_format[target])
    return merged


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _input_error(where: str, message: str) -> InputError:
    return InputError([Issue("error", message, file=where, code="render")])


def _load_executed(path: Path) -> dict[str, Any]:
    """Read the notebook and refuse one that was never executed (nothing to render)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise _input_error(str(path), f"cannot read the notebook: {err}") from err
    code = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    if code and not any(c.get("outputs") for c in code):
        raise _input_error(str(path), "the notebook has no outputs; execute it first (evalkit run)")
    return notebook


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}; got {list(formats)}")
    return chosen


# Rendering ---------------------------------------------------------------------------------


def render_report(
    notebook: Path,
    out_dir: Path | None = None,
    formats: Sequence[str] = FORMATS,
    renderer: str = "auto",
) -> RenderResult:
    """Render an executed notebook to out_dir/<stem>.html and/or .pdf, without re-running it.

    ``out_dir`` defaults to the notebook's folder (figure paths in the notebook are relative
    to it). ``renderer`` is "auto" (Quarto if installed), "quarto" or "pandoc".
    """
    if renderer not in RENDERERS:
        raise ValueError(f"renderer must be one of {', '.join(RENDERERS)}; got {renderer!r}")
    chosen = _check_formats(formats)
    notebook = Path(notebook).resolve()
    data = _load_executed(notebook)
    out = Path(out_dir).resolve() if out_dir is not None else notebook.parent
    out.mkdir(parents=True, exist_ok=True)
    use = available_renderer() if renderer == "auto" else renderer
    if use == "quarto":
        return _render_quarto(notebook, out, chosen)
    return _render_pandoc(notebook, data, out, chosen)


def _render_pandoc(
    notebook: Path, data: dict[str, Any], out: Path, formats: tuple[str, ...]
) -> RenderResult:
    pandoc = pandoc_path()
    version = _pandoc_version_of(str(pandoc))
    if _version_tuple(version) < _MIN_PANDOC:
        wanted = ".".join(map(str, _MIN_PANDOC))
        raise RenderError("pandoc", f"pandoc {version} is too old; {wanted} or later is needed")
    meta = front_matter(data)
    versions = {"pandoc": version}
    if "pdf" in formats:
        versions["typst"] = typst_version()
    started = time.perf_counter()
    outputs = {fmt: out / (notebook.stem + _SUFFIX[fmt]) for fmt in formats}

    def one(fmt: str) -> tuple[list[str], float]:
        begin = time.perf_counter()
        target = outputs[fmt]
        if fmt == "html":
            found = _pandoc_html(pandoc, notebook, target, format_options(meta, "html"))
        else:
            found = _pandoc_typst_pdf(pandoc, notebook, target)
        return found, time.perf_counter() - begin

    # The formats side by side: separate programs (pandoc, typst) writing separate files.
    with ThreadPoolExecutor(max_workers=len(formats), thread_name_prefix="evalkit-render"
                            ) as pool:
        futures = {fmt: pool.submit(one, fmt) for fmt in formats}
        done = {fmt: future.result() for fmt, future in futures.items()}  # first error, in order
    timings = {fmt: seconds for fmt, (_, seconds) in done.items()}
    timings["total"] = time.perf_counter() - started
    warnings = [w for fmt in formats for w in done[fmt][0]]
    return RenderResult("pandoc", notebook, outputs, versions, timings, tuple(warnings))


def _toc_args(options: dict[str, Any]) -> list[str]:
    args = []
    if options.get("toc"):
        args.append("--toc")
        if "toc-depth" in options:
            args.append(f"--toc-depth={int(options['toc-depth'])}")
    if options.get("number-sections"):
        args.append("--number-sections")
    return args


def _pandoc_html(pandoc: Path, notebook: Path, target: Path, options: dict[str, Any]) -> list[str]:
    """One self-contained HTML file: CSS and images inlined, no external URL."""
    stderr: list[str] = []

    def write(temp: Path) -> None:
        cmd = [
            str(pandoc), str(notebook), *_PANDOC_READ,
            "--to", "html5", "--standalone", "--embed-resources", "--wrap=none",
            "--css", str(HTML_CSS), "--resource-path", str(notebook.parent),
            *_toc_args(options), "--output", str(temp),
        ]  # fmt: skip
        proc = _run(cmd, step="pandoc (html)", cwd=notebook.parent, timeout=_PANDOC_TIMEOUT)
        stderr.append(proc.stderr)
        html = temp.read_text(encoding="utf-8")
        html = embed_attachments(toc_after_summary(html), notebook.parent)
        temp.write_text(html, encoding="utf-8")

    write_atomic(target, write)
    return _pandoc_warnings(stderr[0])


_TOC = re.compile(r'<nav id="TOC" role="doc-toc">.*?</nav>\n?', re.S)
_SUMMARY_END = re.compile(r'<div id="summary-end">\s*</div>')
_ATTACHMENT_LINK = re.compile(r'href="(attachments/([A-Za-z0-9][A-Za-z0-9._-]*)\.(csv|xlsx))"')
_MEDIA_TYPES = {"csv": "text/csv",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def toc_after_summary(html: str) -> str:
    """The table of contents after the one-page summary, which a reader should meet first
    (pandoc's template puts it before the body)."""
    toc = _TOC.search(html)
    end = _SUMMARY_END.search(html)
    if toc is None or end is None:
        return html
    html = html[:toc.start()] + html[toc.end():]
    return _SUMMARY_END.sub(lambda _: toc.group(0).rstrip("\n"), html, count=1)


def embed_attachments(html: str, folder: Path) -> str:
    """Links to the report's attachments (attachments/*.csv, *.xlsx) carry the file itself
    (a data: URL with a download name), so the single HTML file holds every full table."""
    def inline(match: re.Match[str]) -> str:
        path = folder / match.group(1)
        if not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        name = f"{match.group(2)}.{match.group(3)}"
        return (f'href="data:{_MEDIA_TYPES[match.group(3)]};base64,{data}" '
                f'download="{name}"')

    return _ATTACHMENT_LINK.sub(inline, html)


def _pandoc_typst_pdf(pandoc: Path, notebook: Path, target: Path) -> list[str]:
    """Pandoc writes Typst source (images extracted next to it), the typst wheel the PDF.

    The table of contents comes from the filter (front matter `toc`, `toc-depth`), not from
    --toc, because the filter lifts `##` headings to Typst's level 1.
    """
    import typst

    with tempfile.TemporaryDirectory(prefix="evalkit-typst-") as tmp:
        work = Path(tmp)
        source = work / "report.typ"
        # cwd = the Typst folder so extracted media paths are relative to the .typ file
        cmd = [
            str(pandoc), str(notebook), *_PANDOC_READ,
            "--to", "typst", "--standalone", "--include-in-header", str(TYPST_HEADER),
            "--extract-media", "media", "--resource-path", str(notebook.parent),
            "--output", str(source),
        ]  # fmt: skip
        proc = _run(cmd, step="pandoc (typst)", cwd=work, timeout=_PANDOC_TIMEOUT)
        try:
            pdf, typst_warnings = typst.compile_with_warnings(
                str(source), root=str(work), ignore_system_fonts=True
            )
        except Exception as err:  # typst.TypstError carries the located diagnostic
            raise RenderError("typst (pdf)", str(err)) from err
        if not isinstance(pdf, bytes):
            raise RenderError("typst (pdf)", "the compiler returned no PDF")
        write_bytes_atomic(target, pdf)
    return _pandoc_warnings(proc.stderr) + [f"typst: {w}" for w in typst_warnings or ()]


def _render_quarto(notebook: Path, out: Path, formats: tuple[str, ...]) -> RenderResult:
    """`quarto render` of the executed notebook; outputs built in a temp folder, then moved."""
    quarto = quarto_path()
    if quarto is None:
        raise RenderError("quarto", "renderer 'quarto' was asked for but quarto is not on PATH")
    versions = {"quarto": quarto_version()}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=out, prefix=".quarto-") as tmp:
        cmd = [
            quarto, "render", notebook.name,
            "--to", ",".join(_QUARTO_FORMAT[fmt] for fmt in formats),
            "--no-execute", "--output-dir", tmp,
        ]  # fmt: skip
        proc = _run(cmd, step="quarto render", cwd=notebook.parent, timeout=_QUARTO_TIMEOUT)
        outputs: dict[str, Path] = {}
        for fmt in formats:
            produced = Path(tmp) / (notebook.stem + _SUFFIX[fmt])
            if not produced.is_file():
                raise RenderError("quarto render", f"expected {produced.name}", proc.stderr)
            target = out / produced.name
            os.replace(produced, target)
            outputs[fmt] = target
    timings = {"total": time.perf_counter() - started}
    warnings = tuple(line for line in proc.stderr.splitlines() if "WARN" in line)
    return RenderResult("quarto", notebook, outputs, versions, timings, warnings)


# Helpers -----------------------------------------------------------------------------------


def _run(
    cmd: list[str], step: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a tool; a non-zero exit becomes a RenderError with the tool's stderr."""
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RenderError(step, str(err)) from err
    if proc.returncode != 0:
        raise RenderError(step, f"exit status {proc.returncode}", proc.stderr or proc.stdout)
    return proc


def _pandoc_warnings(stderr: str) -> list[str]:
    """Pandoc's warnings, one line each (the filter's own include the filter path)."""
    lines = []
    for line in stderr.splitlines():
        text = re.sub(r"^\[WARNING\]\s*", "", line.strip())
        text = re.sub(r"^Scripting warning at \S+ line \d+ column \d+:\s*", "", text)
        if text:
            lines.append(text)
    return lines


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])
