"""The evaluator's view: JupyterLab in headless Chromium (Playwright, /usr/bin/chromium) opens
02_iid from a copy of the project, runs every cell, and every preview image has loaded, with
captions as text and no Pandoc markup showing."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
TOKEN = "evalkit-lab-test"

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab serving a copy of the project (notebooks, the sample's params and data)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "params").mkdir()
    shutil.copy(ROOT / "params" / "2025.yaml", root / "params" / "2025.yaml")
    shutil.copytree(ROOT / "params" / "rubrics", root / "params" / "rubrics")
    shutil.copytree(ROOT / "data" / "sample" / "rejang-lebong",
                    root / "data" / "sample" / "rejang-lebong")
    settings = root / ".lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # every cell in the page, so offscreen outputs are checked too
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = _free_port()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / ".lab-settings"),
           "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(root / ".rt")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         "--ip=127.0.0.1", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={TOKEN}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("JupyterLab did not start") from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_iid_notebook_in_jupyterlab_shows_every_preview_image(lab: str) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        broken: list[str] = []
        page.on("response", lambda r: r.status >= 400 and r.url.endswith(".png")
                and broken.append(r.url))
        page.goto(f"{lab}/lab/tree/notebooks/02_iid.ipynb?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        # the kernel started and idle (the status bar says so), not just the page drawn
        page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=90_000)
        page.wait_for_function(
            "() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
            "?.getAttribute('data-status') === 'idle'", timeout=90_000)
        page.wait_for_timeout(1000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        # done when the last cell (the chapter preview) has its heading and no cell is busy
        page.wait_for_function(
            "() => { const cells = document.querySelectorAll('.jp-Notebook .jp-CodeCell');"
            " const last = cells[cells.length - 1];"
            " const busy = [...document.querySelectorAll('.jp-InputPrompt')]"
            "   .some(p => p.textContent.includes('*'));"
            " return !busy && last && last.querySelector('.jp-OutputArea-output h1'); }",
            timeout=240_000)
        images = page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => ("
            "{src: i.src.slice(0, 40), ok: i.complete && i.naturalWidth > 0}))")
        errors = page.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
        text = page.locator(".jp-Notebook").inner_text()
        browser.close()
    assert errors == 0
    assert len(images) >= 2, images  # the heatmap cell and the preview's figure(s)
    assert all(i["ok"] for i in images), images
    assert not broken, broken
    assert "{#fig-" not in text and "{#tbl-" not in text and ": caption" not in text
    assert "Gambar: Level indikator" in text  # the caption, as text under its figure
    assert "np.int64" not in text and "Kode inovasi" in text  # readable tables
