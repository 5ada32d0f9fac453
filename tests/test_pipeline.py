"""The whole yearly run on the bundled sample, and what happens when a run fails."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import ROOT, SAMPLE_PARAMS
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.manifest import PACKAGE_PREFIX
from evalkit.pipeline import NotebookFailed, notebook_paths, run_year

pytestmark = pytest.mark.slow


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _digest(p) for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real run of every notebook on the sample's 2025 data (shared by the tests)."""
    out = tmp_path_factory.mktemp("reports")
    before = _tree(ROOT / "data" / "sample")
    assert main(["run", "--params", str(SAMPLE_PARAMS), "--out", str(out)]) == 0
    assert _tree(ROOT / "data" / "sample") == before  # raw inputs never modified
    return out / "2025"


def test_run_writes_report_and_manifest(sample_run: Path) -> None:
    for name in ("report.html", "report.pdf", "manifest.json", "report.ipynb"):
        assert (sample_run / name).is_file(), name
    assert {p.stem for p in (sample_run / "notebooks").glob("*.ipynb")} == {
        p.stem for p in notebook_paths() if p.stem != "05_report"}
    manifest = json.loads((sample_run / "manifest.json").read_text())
    assert manifest["year"] == 2025 and manifest["seed"] == 20250319
    assert "params/2025.yaml" in manifest["inputs"]
    assert any(k.startswith("data/sample/rejang-lebong/2025/") for k in manifest["inputs"])
    assert manifest["software"]["packages"]["pandas"]
    assert manifest["render"]["renderer"] in {"pandoc", "quarto"}
    assert set(manifest["timings_s"]) >= {"01_validate", "05_report"}
    assert manifest["outputs"]  # artifact hashes
    attached = {f"attachments/{p.name}" for p in (sample_run / "attachments").iterdir()}
    assert attached and attached <= set(manifest["outputs"])  # and the full tables attached


def test_unattended_run_builds_no_widgets(sample_run: Path) -> None:
    # The label and scoring forms are for JupyterLab: in `evalkit run` nobody can click them,
    # and their comm messages could stall the notebook client.
    for notebook in (sample_run / "notebooks").glob("*.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in text, notebook.name


def test_unattended_run_leaves_the_chapters_to_the_report(sample_run: Path) -> None:
    # 02-04 preview their chapter for an evaluator in JupyterLab; in `evalkit run` the report
    # notebook builds the same chapters a moment later, so the analyses say so instead.
    for name in ("02_iid", "03_themes", "04_jury"):
        nb = nbformat.read(sample_run / "notebooks" / f"{name}.ipynb", as_version=4)
        last = nb.cells[-1]
        assert "preview(" in last.source, name
        shown = [o.get("data", {}) for o in last.get("outputs", [])]
        assert not any("image/png" in data for data in shown), name
        assert any("05_report" in data.get("text/markdown", "") for data in shown), name
    report = (sample_run / "report.html").read_text(encoding="utf-8")
    assert "IID" in report and "Tema" in report and "Juri" in report

def test_report_text_has_the_first_chapters(sample_run: Path) -> None:
    html = (sample_run / "report.html").read_text(encoding="utf-8")
    assert '<html lang="id"' in html or "lang=\"id\"" in html
    for heading in ("Partisipasi Perangkat Daerah", "Riwayat Indeks Inovasi Daerah",
                    "Mutu Data"):
        assert heading in html
    assert "<table" in html and "Satu OPD satu inovasi" in html
    assert "184" in html and "249" in html  # the published national ranks
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)  # self-contained


def test_pdf_has_chapter_headings_and_is_a4(sample_run: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(sample_run / "report.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("Partisipasi Perangkat Daerah", "Mutu Data"):
        assert heading in text
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points


def test_pdf_first_page_holds_the_summary(sample_run: Path) -> None:
    """A head of region finds the results on the first page, before the table of contents."""
    from pypdf import PdfReader

    reader = PdfReader(sample_run / "report.pdf")
    first = " ".join(reader.pages[0].extract_text().split())
    second = " ".join(reader.pages[1].extract_text().split())
    assert "Ringkasan" in first and "Daftar Isi" not in first and "Daftar Isi" in second
    assert "41,50" in first and "Inovatif" in first  # the index and its predicate
    assert "sedikitnya 41,50" in first  # said to be a lower bound (maturity partly unknown)
    assert "47,67 pada 2024" in first and "184 dari 315" in first  # last year, published rank
    assert "ARTIS" in first  # the competition's winner
    assert "24 dari 47" in first and "51,1%" in first  # participation share
    for jargon in ("z-score", "Krippendorff", "macro-F1", "alpha"):
        assert jargon not in first
    assert re.search(r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|"
                     r"September|Oktober|November|Desember) \d{4}\b", first)  # no ISO date


def test_html_summary_first_with_links_to_chapters(sample_run: Path) -> None:
    html = (sample_run / "report.html").read_text(encoding="utf-8")
    summary, toc = html.index('id="summary"'), html.index('id="TOC"')
    assert summary < toc < html.index('id="sec-participation"')
    for chapter in ("iid", "participation", "jury", "quality"):
        assert f'href="#sec-{chapter}"' in html and f'id="sec-{chapter}"' in html


def test_verify_reports_no_drift_then_drift(sample_run: Path, tmp_path: Path) -> None:
    assert main(["verify", str(sample_run)]) == 0
    # a copy of the report whose manifest points at a copy of the data we then change
    manifest = json.loads((sample_run / "manifest.json").read_text())
    assert "evalkit:iid/rubrics/iid-2025.yaml" in manifest["inputs"]  # the default rubric
    base = tmp_path / "base"
    for rel in manifest["inputs"]:
        if rel.startswith(PACKAGE_PREFIX):  # evalkit's own files: checked where it is installed
            continue
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(manifest["base_dir"]) / rel, target)
    manifest["base_dir"] = str(base)
    report = tmp_path / "report"
    report.mkdir()
    (report / "manifest.json").write_text(json.dumps(manifest))
    assert main(["verify", str(report)]) == 0
    victim = next(rel for rel in manifest["inputs"] if rel.endswith("innovations.csv"))
    with (base / victim).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert main(["verify", str(report)]) == 1


@pytest.mark.parametrize("how", [{"fresh_kernels": True}, {"lanes": 2}],
                         ids=["a fresh kernel per notebook", "two kernels side by side"])
def test_two_runs_are_identical(sample_run: Path, tmp_path: Path, how: dict) -> None:
    """The default run (one kernel for every notebook) gives the same bytes as a fresh kernel
    per notebook, and as two kernels side by side."""
    params = load_params(SAMPLE_PARAMS)
    second = run_year(params, out_root=tmp_path, progress=lambda m: None, **how).report_dir
    first_artifacts = _tree(sample_run / "artifacts")
    assert first_artifacts and first_artifacts == _tree(second / "artifacts")
    assert _tree(sample_run / "figures") == _tree(second / "figures")
    assert _tree(sample_run / "attachments") == _tree(second / "attachments")

    def text(folder: Path) -> str:
        html = (folder / "report.html").read_text(encoding="utf-8")
        return re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", html)  # the run date may differ

    assert text(sample_run) == text(second)


def _notebook(path: Path, body: str) -> Path:
    nb = new_notebook(cells=[
        new_code_cell('params_path = ""\noutput_dir = ""', metadata={"tags": ["parameters"]}),
        new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def test_failing_notebook_keeps_previous_report(mini_region, tmp_path: Path) -> None:
    params = load_params(mini_region())
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    good = _notebook(nb_dir / "01_ok.ipynb",
                     "from pathlib import Path\n(Path(output_dir) / 'ok.txt').write_text('v1')")
    first = run_year(params, notebooks=[good], progress=lambda m: None).report_dir
    previous = _tree(first)
    bad = _notebook(nb_dir / "02_bad.ipynb", "x = 1\nraise ValueError('broken on purpose')")
    with pytest.raises(NotebookFailed) as info:
        run_year(params, notebooks=[good, bad], progress=lambda m: None)
    failure = info.value
    assert failure.notebook == "02_bad"
    assert failure.cell == 3  # In [1] parameters, In [2] injected parameters, In [3] fails
    assert "broken on purpose" in str(failure) and "(x = 1)" in str(failure)
    assert failure.kept.is_file()
    assert _tree(first) == previous  # the last good report is untouched
    leftovers = [p.name for p in first.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no temporary folders left behind


def test_cli_exit_code_for_failing_notebook(mini_region, tmp_path: Path, monkeypatch,
                                            capsys) -> None:
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_bad.ipynb", "1 / 0")
    monkeypatch.setattr("evalkit.pipeline.NOTEBOOKS_DIR", nb_dir)
    assert main(["run", "--params", str(mini_region())]) == 3
    err = capsys.readouterr().err
    assert "01_bad" in err and "ZeroDivisionError" in err and "unchanged" in err


def test_deleted_required_column_in_sample_copy(tmp_path: Path, capsys) -> None:
    """The issue's acceptance case: a copy of the sample with a required column deleted."""
    shutil.copytree(ROOT / "params", tmp_path / "params")
    shutil.copytree(ROOT / "data" / "sample", tmp_path / "data" / "sample")
    inn = tmp_path / "data" / "sample" / "rejang-lebong" / "2025" / "innovations.csv"
    with inn.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    col = rows[0].index("judul")
    with inn.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([r[:col] + r[col + 1:] for r in rows])
    params = tmp_path / "params" / "2025.yaml"
    reports = tmp_path / "reports"
    reports.mkdir()
    assert main(["validate", "--params", str(params)]) == 1
    assert main(["run", "--params", str(params)]) == 1
    err = capsys.readouterr().err
    assert "innovations.csv" in err and "required column 'title' is missing" in err
    assert list(reports.iterdir()) == []


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_html_report_in_a_real_browser(sample_run: Path) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.goto((sample_run / "report.html").as_uri())
        title = page.title()
        heading = page.get_by_role("heading", name="Partisipasi Perangkat Daerah", exact=True)
        assert heading.is_visible()
        table = page.locator("#tbl-participation-kind table")  # the id on table and caption
        assert table.is_visible()
        rows = table.locator("tbody tr").count()
        images = page.locator("img")
        loaded = [images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
                  for i in range(images.count())]
        browser.close()
    assert "Rejang Lebong" in title and "2025" in title
    assert rows >= 3
    assert loaded and all(loaded)
    assert problems == []


def test_run_stages_group_the_analyses() -> None:
    from evalkit.pipeline import run_stages

    names = [Path(f"{n}.ipynb") for n in ("01_validate", "02_iid", "03_themes", "04_jury",
                                          "05_report")]
    stages = run_stages(names)
    assert [[p.stem for p in s] for s in stages] == [
        ["01_validate"], ["02_iid", "03_themes", "04_jury"], ["05_report"]]
    assert run_stages(names[:1]) == [names[:1]]
    assert run_stages([names[0], names[-1]]) == [[names[0]], [names[-1]]]


def test_several_params_files_give_one_report_each(mini_region, tmp_path: Path, monkeypatch,
                                                   capsys) -> None:
    params_2025 = mini_region()
    region = tmp_path / "data" / "mini"
    shutil.copytree(region / "2025", region / "2024")
    inn = region / "2024" / "innovations.csv"
    inn.write_text(inn.read_text(encoding="utf-8").replace(",2025,", ",2024,"), encoding="utf-8")
    params_2024 = tmp_path / "mini-2024.yaml"
    params_2024.write_text(params_2025.read_text().replace("year: 2025", "year: 2024"))
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_write.ipynb",
              "from pathlib import Path\n(Path(output_dir) / 'done.txt').write_text(params_path)")
    monkeypatch.setattr("evalkit.pipeline.NOTEBOOKS_DIR", nb_dir)
    assert main(["run", "--params", str(params_2024), str(params_2025)]) == 0
    for year, file in ((2024, params_2024), (2025, params_2025)):
        report = tmp_path / "reports" / str(year)
        assert (report / "done.txt").read_text() == str(file.resolve())
        assert json.loads((report / "manifest.json").read_text())["year"] == year
    assert "[2024] 1/1 01_write done" in capsys.readouterr().err


def _sample_params_copy(folder: Path, **report: object) -> Path:
    """The sample's 2025 params with absolute paths (so the copy may live anywhere)."""
    import yaml

    settings = yaml.safe_load(SAMPLE_PARAMS.read_text(encoding="utf-8"))
    settings["data_dir"] = str(ROOT / "data" / "sample" / "rejang-lebong")
    settings["output_dir"] = str(folder / "reports")
    for section in ("iid", "jury"):  # a rubric named relative to the params, if any
        if settings.get(section, {}).get("rubric"):
            settings[section]["rubric"] = str(SAMPLE_PARAMS.parent / settings[section]["rubric"])
    settings["report"].update(report)
    path = folder / "2025.yaml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


def test_jury_chapter_removed_skips_the_jury_notebook(tmp_path: Path) -> None:
    chapters = ["participation", "history", "iid", "themes", "quality"]
    params = load_params(_sample_params_copy(tmp_path, chapters=chapters))
    messages: list[str] = []
    report = run_year(params, formats=("html",), progress=messages.append).report_dir
    manifest = json.loads((report / "manifest.json").read_text())
    assert manifest["skipped_notebooks"] == {
        "04_jury": "its chapter (jury) is not in report.chapters"}
    assert "04_jury" not in manifest["timings_s"]
    assert {"01_validate", "02_iid", "03_themes", "05_report"} <= set(manifest["timings_s"])
    assert not (report / "notebooks" / "04_jury.ipynb").exists()
    assert not list((report / "artifacts").glob("jury_*"))
    assert any("04_jury skipped" in m for m in messages)
    assert "Lomba" not in (report / "report.html").read_text(encoding="utf-8")


def test_notebooks_without_their_inputs_are_skipped(mini_region) -> None:
    """A year without jurors has no competition: 04_jury is skipped, saying why."""
    from evalkit.inputs import load_year
    from evalkit.pipeline import select_notebooks

    params = load_params(mini_region(params={"report": {"chapters": [
        "participation", "iid", "jury"]}}))
    chosen, skipped = select_notebooks(notebook_paths(), params, load_year(params))
    assert [p.stem for p in chosen] == ["01_validate", "02_iid", "05_report"]
    assert skipped["03_themes"] == "its chapter (themes) is not in report.chapters"
    assert skipped["04_jury"].startswith("no jurors table in ")


def test_ctrl_c_stops_the_run_now(tmp_path: Path) -> None:
    """A real SIGINT to a real `evalkit run`: the running notebook is interrupted, nothing
    after it starts, the temporary folder is removed, the kernels end, exit code 130."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    out = tmp_path / "reports"
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("evalkit")), "run", "--params", str(SAMPLE_PARAMS),
         "--out", str(out)], stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:  # wait until a notebook is running
        seen.append(line)
        if "02_iid ..." in line or "03_themes ..." in line:
            break
    kernels = [p for p in psutil.Process(proc.pid).children(recursive=True)
               if "ipykernel" in " ".join(p.cmdline())]
    assert kernels, seen
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 130, [*seen, rest]
    assert "interrupted" in rest
    assert "05_report ..." not in rest  # nothing started after the signal
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in kernels)
    assert not out.exists() or list(out.iterdir()) == []  # no report, no temporary folder


def test_unknown_emphasised_theme_is_refused_before_any_kernel(tmp_path: Path, capsys) -> None:
    # Said by validate and by run with exit 1, like the IID rubric's problems: not a notebook
    # that fails (exit 3) after the kernels started.
    import yaml

    path = _sample_params_copy(tmp_path)
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings.setdefault("themes", {})["emphasised"] = ["pertanian", "tema-rekaan"]
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    for command in ("validate", "run"):
        assert main([command, "--params", str(path)]) == 1, command
        err = capsys.readouterr().err
        assert "'tema-rekaan'" in err and "themes.emphasised" in err, (command, err)
        assert "'pertanian'" not in err.split("known:")[0], err
    assert not (tmp_path / "reports" / "2025").exists()


def test_malformed_cost_table_is_refused_before_any_kernel(tmp_path: Path, capsys) -> None:
    import yaml

    costs = tmp_path / "costs.csv"
    costs.write_text("indicator,cost\n2a,12\n2b,nol\n", encoding="utf-8")
    path = _sample_params_copy(tmp_path)
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings.setdefault("iid", {})["cost_table"] = str(costs)
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    for command in ("validate", "run"):
        assert main([command, "--params", str(path)]) == 1, command
        err = capsys.readouterr().err
        assert "costs.csv" in err and "'nol'" in err and "3" in err, (command, err)
    assert not (tmp_path / "reports" / "2025").exists()
