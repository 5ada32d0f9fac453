"""The appendix and attachments: long tables shortened with their full copy beside the
report, byte-identical files, the appendix at the end, the summary's links and dates."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from evalkit.config import load_params
from evalkit.report.appendix import Appendix, Attachment, split_appendix, write_attachment
from evalkit.report.blocks import Markdown, ReportContext, Table, long_table, to_markdown
from evalkit.report.chapters import _anchored, _demoted
from evalkit.report.dates import clock_time, long_date, long_date_time
from evalkit.report.render import embed_attachments, toc_after_summary


@pytest.fixture
def ctx(mini_region, tmp_path: Path) -> ReportContext:
    return ReportContext.create(load_params(mini_region()), tmp_path / "out")


def test_dates_and_times_as_readers_write_them() -> None:
    moment = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
    assert long_date(moment.date()) == "1 Desember 2026"
    assert long_date(moment.date(), "en") == "1 December 2026"
    assert clock_time(moment, "WIB") == "09.30 WIB"
    assert clock_time(moment, "WITA", "en") == "10:30 WITA"
    assert long_date_time(datetime(2026, 12, 31, 16, 0, tzinfo=UTC), "WIT") == (
        "1 Januari 2027, 01.00 WIT")  # the zone's date, not UTC's
    assert clock_time(moment.astimezone(UTC)) == "02.30 UTC+00:00"  # no zone: offset


def test_short_table_stays_whole(ctx: ReportContext) -> None:
    frame = pd.DataFrame({"Unit": [f"U{i}" for i in range(40)]})
    blocks = long_table(ctx, frame, "Daftar", "daftar", "Daftar")
    assert len(blocks) == 1 and isinstance(blocks[0], Table) and len(blocks[0].frame) == 40
    assert not (ctx.out_dir / "attachments").exists()


def test_long_table_shows_top_and_bottom_and_attaches_every_row(ctx: ReportContext) -> None:
    frame = pd.DataFrame({"Peringkat": range(1, 702), "Judul": [f"J{i}" for i in range(701)]})
    blocks = long_table(ctx, frame, "Peringkat", "ranking", "Peringkat lomba", top=15,
                        bottom=5)
    table, note, appendix = blocks
    assert isinstance(table, Table) and list(table.frame["Peringkat"]) == [
        *range(1, 16), *range(697, 702)]
    assert "15 baris teratas dan 5 terbawah dari 701" in note.to_markdown()
    assert isinstance(appendix, Appendix)
    attachment = appendix.blocks[0]
    assert isinstance(attachment, Attachment) and attachment.rows == 701
    csv = (ctx.out_dir / "attachments" / "ranking.csv").read_text(encoding="utf-8-sig")
    assert len(csv.splitlines()) == 702
    assert attachment.to_markdown() == (
        "- Peringkat lomba (701 baris): [ranking.csv](attachments/ranking.csv) · "
        "[ranking.xlsx](attachments/ranking.xlsx)")


def test_attachments_are_byte_identical(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": [0.5, float("nan")]})
    write_attachment(frame, tmp_path / "one", "t", "T")
    write_attachment(frame, tmp_path / "two", "t", "T")
    for suffix in ("csv", "xlsx"):
        first = (tmp_path / "one" / "attachments" / f"t.{suffix}").read_bytes()
        assert first == (tmp_path / "two" / "attachments" / f"t.{suffix}").read_bytes()
    with zipfile.ZipFile(tmp_path / "one" / "attachments" / "t.xlsx") as book:
        assert {i.date_time for i in book.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    with pytest.raises(ValueError, match="attachment names"):
        write_attachment(frame, tmp_path, "../x", "T")


def test_appendix_blocks_are_taken_out_in_order() -> None:
    inner = Appendix((Markdown("## Catatan metode"), Appendix((Markdown("deep"),))))
    main, extra = split_appendix([Markdown("# Bab"), inner, Markdown("teks")])
    assert [b.text for b in main] == ["# Bab", "teks"]
    assert [b.text for b in extra] == ["## Catatan metode", "deep"]
    assert _demoted(Markdown("## Catatan metode")).text == "### Catatan metode"


def test_chapter_headings_get_a_stable_id() -> None:
    blocks = _anchored([Markdown("# Mutu Data\n\nTeks.")], "quality")
    assert blocks[0].text == "# Mutu Data {#sec-quality}\n\nTeks."
    assert _anchored([Markdown("# A {#own}")], "x")[0].text == "# A {#own}"


def test_html_toc_moves_after_the_summary_and_attachments_are_embedded(tmp_path: Path) -> None:
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    html = ('<body><nav id="TOC" role="doc-toc"><ul><li>x</li></ul></nav>\n'
            '<div id="summary" class="summary"><p>S</p></div>\n<div id="summary-end">\n\n</div>'
            '<p><a href="attachments/t.csv">t.csv</a> <a href="attachments/gone.csv">g</a></p>')
    out = embed_attachments(toc_after_summary(html), tmp_path)
    assert out.index('id="summary"') < out.index('id="TOC"') < out.index("t.csv")
    assert 'href="data:text/csv;base64,YQoxCg==" download="t.csv"' in out
    assert 'href="attachments/gone.csv"' in out  # a missing file stays a plain link
    assert toc_after_summary("<nav id=\"TOC\" role=\"doc-toc\"></nav><p>x</p>").startswith("<nav")


def test_english_appendix_words(ctx: ReportContext) -> None:
    en = dataclasses.replace(ctx, t=type(ctx.t)("en"))
    frame = pd.DataFrame({"n": range(50)})
    text = to_markdown(long_table(en, frame, "N", "n-table", "Numbers"))
    assert "The table shows 10 of 50 rows" in text and "Numbers (50 rows)" in text


def test_jury_store_time_in_the_regions_zone(ctx: ReportContext) -> None:
    from evalkit.jury.chapter import _moment

    wita = dataclasses.replace(ctx, params=dataclasses.replace(
        ctx.params, report=dataclasses.replace(ctx.params.report, timezone="WITA")))
    assert _moment(wita, "2026-12-01T02:30:00+00:00") == "1 Desember 2026, 10.30 WITA"
    assert _moment(ctx, "") == ""


def test_attachments_never_run_user_text_as_a_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    frame = pd.DataFrame({"=Judul": ['=HYPERLINK("http://x","klik")', "SIPANDU\x07", "-5"],
                          "n": [1, 2, 3]})
    write_attachment(frame, tmp_path, "hostile", "T")
    csv = (tmp_path / "attachments" / "hostile.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0] == "'=Judul,n"
    assert "'=HYPERLINK" in csv and "\n-5," in csv  # a plain number stays a number
    sheet = load_workbook(tmp_path / "attachments" / "hostile.xlsx").active
    cell = sheet["A2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix
    assert sheet["A3"].value == "SIPANDU"  # a control character a workbook cannot hold
