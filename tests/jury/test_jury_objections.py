"""Masa sanggah: the provisional ranking published with a date, objections recorded with
their decisions, and a decision that changes a score is an audited change in the store and
in the final report."""

from __future__ import annotations

import json
import re

import pytest
from test_jury_signing import snapshot
from test_jury_support import CRITERIA, make_region

from evalkit.artifacts import read_table
from evalkit.cli import main
from evalkit.config import load_params
from evalkit.jury.objections import ObjectionError, load
from evalkit.jury.workflow import (
    ScoreChange,
    compute,
    decide_objection,
    file_objection,
    load_jury,
    publish_provisional,
    write_artifacts,
)
from evalkit.report.blocks import ReportContext, to_markdown
from evalkit.report.chapters import build_chapter


def jury_for(tmp_path):
    return load_jury(load_params(make_region(tmp_path)))


def test_a_decision_that_changes_scores_is_in_the_log_and_in_the_report(tmp_path):
    jury = jury_for(tmp_path)
    before = compute(jury).ranking.set_index("innovation_id")
    assert before.loc["E6", "rank"] == 1
    publish_provisional(jury, "2025-05-20", "2025-05-27")
    filed = file_objection(jury, "E6", "Data penerima manfaat E6 tidak sesuai lapangan.",
                           "2025-05-22", filed_by="Dinas Perhubungan")
    file_objection(jury, "E4", "Nilai E4 terlalu rendah.", "2025-05-23")
    raw = jury.raw_scores
    old = raw[(raw["juror_id"] == "JB") & (raw["innovation_id"] == "E6")].set_index(
        "criterion")["score"]
    changes = [ScoreChange("JB", "E6", "utama", c, 1) for c in CRITERIA]
    decided = decide_objection(jury, filed.number, "accepted",
                               "Verifikasi lapangan: manfaat belum terbukti.", "2025-05-30",
                               changes)
    decide_objection(jury, 2, "rejected", "Nilai sesuai panduan level.", "2025-05-30")
    assert decided.decision == "accepted" and len(decided.changes) == 5
    assert {(c["criterion"], c["old"], c["new"]) for c in decided.changes} == {
        (c, float(old[c]), 1.0) for c in CRITERIA}
    # The store's log holds the change, score by score, with the objection's number.
    log = jury.store.log()
    entry = log[log["via"] == "objection"].iloc[-1]
    assert entry["juror_id"] == "JB" and entry["source"] == "sanggah 1"
    assert entry["objection"] == 1 and entry["n_changed"] == 5
    assert {(c["innovation_id"], c["criterion"], c["new"]) for c in entry["changes"]} == {
        ("E6", c, 1.0) for c in CRITERIA}
    # JB's other scores are as they were (taken over from the raw data into the store).
    stored = jury.store.scores()
    jb = stored[stored["juror_id"] == "JB"]
    assert len(jb) == len(raw[raw["juror_id"] == "JB"])
    after = compute(jury)
    board = after.ranking.set_index("innovation_id")
    assert board.loc["E6", "rank"] > 1 and board.loc["E6", "provisional_rank"] == 1
    # The final report shows the period, the objections and decisions, every changed score
    # (juror by code) and how the ranking moved from the provisional one.
    out = tmp_path / "out"
    write_artifacts(after, out)
    assert "filed_by" not in read_table(out, "jury_objections").columns  # stays with them
    text = to_markdown(build_chapter("jury", ReportContext.create(jury.params, out)))
    assert "## Masa sanggah" in text
    assert "Peringkat sementara diumumkan pada 20 Mei 2025; sanggahan diterima sampai " \
           "27 Mei 2025. Tercatat 2 sanggahan." in text
    assert "Data penerima manfaat E6 tidak sesuai lapangan." in text
    assert "| diterima " in text and "| ditolak " in text
    assert "Verifikasi lapangan: manfaat belum terbukti." in text
    assert "{#tbl-jury-changes}" in text
    code = after.codes["JB"]
    changed = [line for line in text.splitlines()
               if re.match(rf"^\|\s+1 \| {code}\s+\|", line)]
    assert len(changed) == 5 and all(line.rstrip().endswith("1,0 |") for line in changed)
    assert f"dari peringkat 1 ke {int(board.loc['E6', 'rank'])}" in text
    assert "JB" not in text.replace("JB ", "")  # juror ids never reach the report


def test_objection_rules_refuse_and_change_nothing(tmp_path):
    jury = jury_for(tmp_path)

    def refused(call, key):
        before = snapshot(jury.store.root)
        with pytest.raises(ObjectionError) as info:
            call()
        assert info.value.key == key
        assert snapshot(jury.store.root) == before

    refused(lambda: file_objection(jury, "E1", "x", "2025-05-21"), "not_published")
    refused(lambda: publish_provisional(jury, "2025-05-27", "2025-05-20"), "period_reversed")
    refused(lambda: publish_provisional(jury, "20/05/2025", "2025-05-27"), "bad_date")
    publish_provisional(jury, "2025-05-20", "2025-05-27")
    refused(lambda: file_objection(jury, "E1", "x", "2025-05-28"), "outside_period")
    refused(lambda: file_objection(jury, "E99", "x", "2025-05-21"), "not_entry")
    refused(lambda: file_objection(jury, "E1", "  ", "2025-05-21"), "no_reason")
    file_objection(jury, "E1", "keberatan", "2025-05-21")
    refused(lambda: decide_objection(jury, 1, "accepted", "ok", "2025-05-20"),
            "decided_before_filed")
    refused(lambda: decide_objection(jury, 2, "accepted", "ok", "2025-05-29"), "unknown")
    refused(lambda: decide_objection(jury, 1, "rejected", "no", "2025-05-29",
                                     [ScoreChange("JB", "E1", "utama", "kebaruan", 50)]),
            "rejected_with_changes")
    # JA may not score E1 (own unit): a decision cannot give JA a score there.
    refused(lambda: decide_objection(jury, 1, "accepted", "ok", "2025-05-29",
                                     [ScoreChange("JA", "E1", "utama", "kebaruan", 50)]),
            "change_entry")
    refused(lambda: decide_objection(jury, 1, "accepted", "ok", "2025-05-29",
                                     [ScoreChange("JB", "E1", "utama", "kebaruan", 500)]),
            "change_score")
    refused(lambda: decide_objection(jury, 1, "accepted", "ok", "2025-05-29",
                                     [ScoreChange("JB", "E1", "utama", "orisinalitas", 50)]),
            "change_criterion")
    decide_objection(jury, 1, "rejected", "sesuai panduan", "2025-05-29")
    refused(lambda: decide_objection(jury, 1, "accepted", "lagi", "2025-05-30"), "decided")
    assert load(jury.store).objections[0].decision == "rejected"


def test_the_masa_sanggah_from_the_command_line(tmp_path, capsys):
    params = str(make_region(tmp_path))
    assert main(["jury", "objection", "--params", params, "--entry", "E2", "--reason", "x",
                 "--date", "2025-05-21"]) == 1
    assert "peringkat sementara belum diumumkan" in capsys.readouterr().err
    assert main(["jury", "publish", "--params", params, "--date", "2025-05-20",
                 "--until", "2025-05-27"]) == 0
    assert "Peringkat sementara diumumkan 2025-05-20; masa sanggah sampai 2025-05-27." in (
        capsys.readouterr().out)
    assert main(["jury", "objection", "--params", params, "--entry", "E2", "--reason",
                 "Nilai kebaruan JD keliru.", "--date", "2025-05-21"]) == 0
    assert "Sanggahan nomor 1 untuk E2 dicatat (2025-05-21)." in capsys.readouterr().out
    assert main(["jury", "decide", "--params", params, "--objection", "1", "--decision",
                 "accepted", "--reason", "Salah ketik.", "--date", "2025-05-28",
                 "--set", "JD:E2:kebaruan=77", "--set", "JD:E2:utama.efektivitas=66,5"]) == 0
    assert "Sanggahan nomor 1: diterima; 2 nilai diubah" in capsys.readouterr().out
    assert main(["jury", "decide", "--params", params, "--objection", "1", "--decision",
                 "rejected", "--reason", "x", "--date", "2025-05-28"]) == 1
    assert "sudah diputus (accepted)" in capsys.readouterr().err
    assert main(["jury", "decide", "--params", params, "--objection", "1", "--decision",
                 "accepted", "--reason", "x", "--set", "JD-E2-kebaruan"]) == 1
    assert "tidak dikenali" in capsys.readouterr().err
    assert main(["jury", "results", "--params", params, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["published_on"] == "2025-05-20" and data["objections"][0]["n_changes"] == 2
