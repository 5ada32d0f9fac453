"""The rendered HTML report in a real browser: headless Debian Chromium driven by Playwright.

No browser is downloaded: Playwright starts /usr/bin/chromium (or $CHROMIUM_PATH). The tests
skip when it is not installed; CI installs it (apt-get install chromium).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_render import executed_report

from evalkit.report.render import render_report

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    notebook = executed_report(tmp_path_factory.mktemp("browser"))
    return render_report(notebook, formats=["html"], renderer="pandoc").outputs["html"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, report_html: Path) -> Iterator[Any]:
    """The report opened from disk; console errors, page errors and requests recorded."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.problems = []  # type: ignore[attr-defined]
    opened.requests = []  # type: ignore[attr-defined]
    opened.on("console", lambda m: m.type == "error" and opened.problems.append(m.text))
    opened.on("pageerror", lambda e: opened.problems.append(str(e)))
    opened.on("requestfailed", lambda r: opened.problems.append(f"failed: {r.url}"))
    opened.on("request", lambda r: opened.requests.append(r.url))
    opened.goto(report_html.as_uri(), wait_until="load")
    yield opened
    context.close()


def test_title_table_and_no_console_errors(page: Any) -> None:
    assert page.title() == "Laporan Uji Inovasi"
    assert page.locator("h1.title").inner_text() == "Laporan Uji Inovasi"
    table = page.locator("#tbl-opd")
    assert table.locator(".table-caption").inner_text().replace("\u00a0", " ") == (
        "Tabel 1: Jumlah inovasi per OPD"
    )
    assert table.locator("thead th").all_inner_texts() == ["OPD", "Jumlah"]
    rows = [r.split("\t") for r in table.locator("tbody tr").all_inner_texts()]
    assert rows == [["Dinas Kesehatan", "3"], ["Dinas Sosial", "5"]]
    assert page.locator("#tbl-skor tbody tr").count() == 2  # the DataFrame, a real table
    assert page.problems == []


def test_content_is_visible_and_images_loaded(page: Any) -> None:
    for selector in (
        "h1.title",
        "nav#TOC",
        "h2#ringkasan-umum",
        "#tbl-opd table",
        "figure#fig-bar img",
        "figure#fig-tren img",
    ):
        assert page.locator(selector).first.is_visible(), selector
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete, e.naturalWidth, e.clientWidth])"
    )
    assert len(images) == 2
    assert all(done and natural > 0 and 0 < shown <= 900 for done, natural, shown in images)
    # self-contained: nothing but the file itself (and its data: URIs) is ever requested
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests


def test_toc_and_cross_references_lead_somewhere(page: Any) -> None:
    toc_targets = page.eval_on_selector_all("nav#TOC a", "els => els.map(e => e.hash)")
    assert toc_targets[:2] == ["#ringkasan-umum", "#penutup"]
    for target in toc_targets:
        assert page.locator(target).count() == 1, target
    page.locator("a.quarto-xref", has_text="Gambar").first.click()
    assert page.evaluate("location.hash") == "#fig-bar"
    assert page.locator("figure#fig-bar").is_visible()


def test_prints_on_a4(page: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    first = PdfReader(pdf).pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)


def test_phone_keeps_captions_outside_the_scrolling_box_and_opens_figures(
        browser: Any, report_html: Path) -> None:
    """On a phone a wide table scrolls in its own box while its caption stays in place, and
    a tap on a figure shows it at its full pixel size (CSS :target, no script)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(report_html.as_uri(), wait_until="load")
    phone.add_style_tag(content="#tbl-skor table { min-width: 900px; }")  # wider than a phone
    box = phone.locator("#tbl-skor .table-scroll")
    caption = phone.locator("#tbl-skor .table-caption")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # it does scroll
    assert caption.evaluate("e => !e.closest('.table-scroll')")
    before = caption.bounding_box()
    box.evaluate("e => { e.scrollLeft = 400; }")
    assert caption.bounding_box() == before  # the caption did not move with the table
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no page sideways
    image = phone.locator("figure#fig-bar img")
    shown = image.evaluate("e => e.getBoundingClientRect().width")
    natural = image.evaluate("e => e.naturalWidth")
    assert shown <= 360 < natural  # shrunk to the screen
    image.click()
    assert phone.evaluate("location.hash") == "#zoom-fig-bar"
    assert image.evaluate("e => e.getBoundingClientRect().width") == natural  # full size
    phone.locator("#zoom-fig-bar a.zoom-close").click()
    assert phone.evaluate("location.hash") == "#fig-bar"
    assert image.evaluate("e => e.getBoundingClientRect().width") == shown
    context.close()
