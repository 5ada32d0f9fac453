"""The command line's conventions (issue 15 item 4, issue 9 items 5 and 7): help, examples and
exit codes on every command, one exit-code table, ``--json`` on every failure of a command
that has it, grouped error lists, user mistakes as exit 1 without a traceback."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from conftest import INNOVATIONS, ROOT, write_csv
from evalkit import cli
from evalkit.cli import EXIT_CODES, build_parser, issue_lines, leaf_parsers, main
from evalkit.issues import Issue

LEAVES = leaf_parsers(build_parser())


def _json(out: str) -> dict:
    (line,) = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(line)


@pytest.mark.parametrize("parser", LEAVES, ids=[p.prog for p in LEAVES])
def test_every_command_has_help_examples_and_exit_codes(parser: argparse.ArgumentParser) -> None:
    assert parser.description and len(parser.description) > 40, parser.prog
    help_text = parser.format_help()
    assert "examples:\n  evalkit " in help_text, parser.prog
    assert "exit codes:" in help_text and "usage error" in help_text
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{parser.prog}: {'/'.join(action.option_strings) or action.dest}"
    options = {o for a in parser._actions for o in a.option_strings}
    assert {"--quiet", "--verbose"} <= options


def test_help_runs_for_every_command(capsys) -> None:
    assert main(["--help"]) == 0
    for parser in LEAVES:
        assert main([*parser.prog.split()[1:], "--help"]) == 0
    assert "evalkit" in capsys.readouterr().out


def test_one_exit_code_table_in_the_code_and_the_readme() -> None:
    assert (cli.EXIT_OK, cli.EXIT_INPUT, cli.EXIT_USAGE, cli.EXIT_INTERNAL) == (0, 1, 2, 3)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in re.findall(r"^  (\d+)\s", EXIT_CODES, flags=re.M):
        assert f"| {code} |" in readme, f"exit code {code} is not in the README's table"


def test_iid_mode_choices_follow_the_engine() -> None:
    from evalkit.cli.iid import MODES
    from evalkit.iid.engine import MODES as ENGINE_MODES

    assert tuple(MODES) == tuple(ENGINE_MODES)


def test_usage_errors_exit_2_with_json_when_asked(capsys) -> None:
    assert main(["run"]) == 2
    assert main(["nosuchcommand"]) == 2
    capsys.readouterr()
    assert main(["validate", "--json"]) == 2  # --params is missing
    captured = capsys.readouterr()
    assert "required" in captured.err
    assert _json(captured.out) == {"ok": False, "exit_code": 2, "error": captured.err.split(
        "error: ", 1)[1].strip(), "issues": []}
    assert main(["run", "--params", "x.yaml", "--to", "docx", "--json"]) == 2
    assert _json(capsys.readouterr().out)["exit_code"] == 2


def test_validate_json_when_the_params_file_is_missing(tmp_path: Path, capsys) -> None:
    assert main(["validate", "--params", str(tmp_path / "nope.yaml"), "--json"]) == 1
    captured = capsys.readouterr()
    data = _json(captured.out)
    assert data["ok"] is False and data["exit_code"] == 1
    assert data["issues"][0]["file"] == str(tmp_path / "nope.yaml")
    assert "params file not found" in data["issues"][0]["message"]
    assert "Traceback" not in captured.err


def test_relative_paths_are_made_absolute_before_the_command(tmp_path: Path,
                                                             monkeypatch) -> None:
    """papermill executes notebooks in their folder; the second of two relative params files
    must still be found (the `params/2024.yaml: params file not found` bug)."""
    monkeypatch.chdir(tmp_path)
    seen: list[list[Path]] = []

    def command(args: argparse.Namespace) -> int:
        seen.append(args.params)
        return 0

    parser = build_parser()
    args = parser.parse_args(["run", "--params", "params/2023.yaml", "params/2024.yaml"])
    cli._absolute_paths(args)
    command(args)
    monkeypatch.chdir(ROOT)  # what a notebook execution can leave behind
    assert seen == [[tmp_path / "params" / "2023.yaml", tmp_path / "params" / "2024.yaml"]]


def test_run_json_names_each_runs_outcome(mini_region, tmp_path: Path, capsys) -> None:
    bad = mini_region(params={"jury": {"resamples": 0}})
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text("version: 1\nthemes: []\n", encoding="utf-8")
    assert main(["run", "--params", str(taxonomy), str(bad), "--json", "--quiet"]) == 1
    captured = capsys.readouterr()
    data = _json(captured.out)
    assert data["ok"] is False and data["exit_code"] == 1
    (only,) = data["tasks"]  # the taxonomy was skipped, not run
    assert only["status"] == "failed" and only["kind"] == "input"
    assert only["params_file"] == str(bad)
    assert any("jury.resamples" in i["message"] for i in only["issues"])
    assert "skipping" not in captured.err  # --quiet


def test_run_names_skipped_files(tmp_path: Path, capsys) -> None:
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text("version: 1\nthemes: []\n", encoding="utf-8")
    assert main(["run", "--params", str(taxonomy)]) == 1
    err = capsys.readouterr().err
    assert f"skipping {taxonomy}: not a run params file" in err
    assert "none of the given files is a run params file" in err


def test_every_innovation_rejected(mini_region, tmp_path: Path, capsys) -> None:
    rejected = [{**row, "verification_status": "rejected"} for row in INNOVATIONS]
    params = mini_region(innovations=rejected)
    assert main(["iid", "score", "--params", str(params)]) == 1
    assert main(["run", "--params", str(params)]) == 1
    captured = capsys.readouterr()
    assert "none of the year's 2 innovation(s) counts for the IID" in captured.err
    assert "nothing to report for 2025: all 2 innovations are rejected" in captured.err
    assert "Traceback" not in captured.err
    assert main(["run", "--params", str(params), "--json"]) == 1
    (task,) = _json(capsys.readouterr().out)["tasks"]
    assert "all 2 innovations are rejected" in task["issues"][0]["message"]
    assert not (tmp_path / "reports").exists()  # nothing was created


def test_a_region_indicator_that_is_a_rubric_heading(mini_region, tmp_path: Path,
                                                    capsys) -> None:
    """Issue 9: a region indicator that is a heading row of the rubric ('2' of '2a', '2b')
    was exit 3 from inside the IID notebook, its message naming the rubric: now every command
    says exit 1 at once, naming the data file, row and the rows to give instead."""
    region = [{"indicator": i, "level": "2", "value": "", "evidence_ref": ""}
              for i in ("1", "2", "3")]
    params = mini_region(region_indicators=region)
    where = f"{tmp_path / 'data' / 'mini' / '2025' / 'region_indicators.csv'}, column " \
            "'indicator', row 3: indicator '2' is not a region (SPD) row of rubric iid-2025: " \
            "it is the heading of rows 2a, 2b"
    for argv in (["validate"], ["iid", "score"], ["run"]):
        assert main([*argv, "--params", str(params)]) == 1, argv
        err = capsys.readouterr().err
        assert where in err and "Traceback" not in err, argv
    assert not (tmp_path / "reports").exists()  # refused before any kernel started


def test_verify_missing_or_damaged_manifest(tmp_path: Path, capsys) -> None:
    assert main(["verify", str(tmp_path / "nope"), "--json"]) == 1
    assert "no such report folder" in _json(capsys.readouterr().out)["issues"][0]["message"]
    report = tmp_path / "2025"
    report.mkdir()
    assert main(["verify", str(report)]) == 1
    assert "manifest.json: not found" in capsys.readouterr().err
    (report / "manifest.json").write_text('{\n  "evalkit_manifest": 2,\n  "inputs": {\n    "a"',
                                          encoding="utf-8")
    assert main(["verify", str(report)]) == 1
    err = capsys.readouterr().err
    assert "damaged: not valid JSON at line 4, column 8" in err and "Traceback" not in err
    (report / "manifest.json").write_text('{"evalkit_manifest": 2, "inputs": {"a": "b"}}',
                                          encoding="utf-8")
    assert main(["verify", str(report)]) == 1
    assert "'inputs' must map each file to its SHA-256" in capsys.readouterr().err


def test_long_error_lists_are_grouped() -> None:
    issues = [Issue("error", f"'x{i}' is not a whole number", file="evidence.csv", row=i + 2,
                    column="verified_level", code="number") for i in range(19_600)]
    issues.append(Issue("error", "required column 'title' is missing", file="innovations.csv"))
    lines = issue_lines(issues)
    assert lines == [
        "error: evidence.csv, column 'verified_level', 19600 rows 2-19601: 'x0' is not a whole "
        "number (and 19599 more like it)",
        "error: innovations.csv: required column 'title' is missing"]
    assert len(issue_lines(issues, grouped=False)) == 19_601
    assert issue_lines(issues[:3], grouped=False) == [str(i) for i in issues[:3]]


def test_grouped_through_the_cli_and_ungrouped_with_verbose(mini_region, tmp_path: Path,
                                                            capsys) -> None:
    params = mini_region()
    year = tmp_path / "data" / "mini" / "2025"
    evidence = [{"innovation_id": "X-1", "indicator": str(16 + i % 20), "claimed_level": "x",
                 "verified_level": "2", "evidence_ref": "", "note": ""} for i in range(60)]
    write_csv(year / "evidence.csv", evidence)
    assert main(["validate", "--params", str(params)]) == 1
    grouped = capsys.readouterr().err
    assert "60 rows 2-61" in grouped
    assert len([line for line in grouped.splitlines() if "claimed_level" in line]) < 5
    assert main(["validate", "--params", str(params), "--verbose"]) == 1
    every = capsys.readouterr().err
    assert len([line for line in every.splitlines() if "claimed_level" in line]) >= 60
    assert "every issue ungrouped" in build_parser().format_help() or any(
        "every issue ungrouped" in leaf.format_help() for leaf in LEAVES)


def test_themes_assign_never_writes_over_its_input(tmp_path: Path, capsys) -> None:
    rows = write_csv(tmp_path / "in.csv", [{"innovation_id": "A", "title": "=HYPERLINK(1)"}])
    before = rows.read_bytes()
    assert main(["themes", "assign", "--input", str(rows), "--out", str(rows)]) == 1
    assert rows.read_bytes() == before
    assert "--out names an input file" in capsys.readouterr().err


def test_jury_sheets_out_naming_a_file(mini_region, tmp_path: Path, capsys) -> None:
    params = mini_region()
    target = tmp_path / "sheets.xlsx"
    target.write_bytes(b"mine")
    assert main(["jury", "sheets", "--params", str(params), "--out", str(target)]) == 1
    assert target.read_bytes() == b"mine"
    assert "--out names a file" in capsys.readouterr().err


def test_run_lanes_must_be_a_whole_number_of_at_least_one(capsys) -> None:
    for bad in ("0", "-1", "two"):
        assert main(["run", "--params", str(ROOT / "params" / "2025.yaml"), "--lanes", bad]) == 2
        assert "--lanes" in capsys.readouterr().err
    args = build_parser().parse_args(["run", "--params", "p.yaml", "--lanes", "2"])
    assert args.lanes == 2
