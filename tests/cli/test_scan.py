"""The `scan` command end to end, through Typer's CliRunner, on generated files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from pii_audit.cli.app import app
from tests.conftest import REPORT_SCHEMA
from tests.fixtures import PEOPLE, write_tree

runner = CliRunner()
SCHEMA = REPORT_SCHEMA


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("tree"))


@pytest.fixture(scope="module")
def report(tree: Path) -> dict:
    result = runner.invoke(app, ["scan", str(tree), "--format", "json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_json_report_follows_the_contract(report: dict) -> None:
    jsonschema.validate(report, SCHEMA)
    assert report["scan"]["files_seen"] == 5
    assert {f["path"] for f in report["files"]} == {"roster.xlsx", "export.csv", "note.txt", "staff.txt", "press.txt"}


def test_roster_ranks_first_and_negative_last(report: dict) -> None:
    files = report["files"]
    assert files[0]["path"] in ("roster.xlsx", "export.csv")
    assert files[0]["severity"] in ("critical", "high")
    assert files[0]["reasons"], "every rank carries reasons"
    press = next(f for f in files if f["path"] == "press.txt")
    assert press["findings"] == [] and press["severity"] == "none"
    staff = next(f for f in files if f["path"] == "staff.txt")
    assert staff["severity"] not in ("high", "critical")


def test_xlsx_findings_have_sheet_and_cell(report: dict) -> None:
    roster = next(f for f in report["files"] if f["path"] == "roster.xlsx")
    dob = [f for f in roster["findings"] if f["entity_type"] == "DATE_OF_BIRTH"]
    assert len(dob) == len(PEOPLE)  # entry dates (입국일) are not birth dates
    assert dob[0]["location"]["sheet"] == "명단" and dob[0]["location"]["cell"] == "B2"
    assert roster["identity_complete_persons"] == len(PEOPLE)


def test_no_raw_value_without_reveal(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["scan", str(tree), "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    blob = out.read_text(encoding="utf-8") + result.output
    for name, _, address, phone in PEOPLE:
        assert name not in blob and phone not in blob and address not in blob
    assert "홍정자" not in blob
    assert all("text" not in f for file in json.loads(out.read_text())["files"] for f in file["findings"])


def test_reveal_includes_raw_values_and_warns(tree: Path) -> None:
    result = runner.invoke(app, ["scan", str(tree), "--format", "json", "--reveal"])
    assert result.exit_code == 1
    texts = {f.get("text") for file in json.loads(result.stdout)["files"] for f in file["findings"]}
    assert "김영수" in texts
    assert "--reveal" in result.stderr


def test_terminal_report_and_fail_on(tree: Path) -> None:
    result = runner.invoke(app, ["scan", str(tree), "--fail-on", "never"])
    assert result.exit_code == 0
    assert "distinct people exposed" in result.stdout and "roster.xlsx" in result.stdout
    assert "김영수" not in result.stdout


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert runner.invoke(app, ["scan", str(tmp_path), "--fail-on", "bogus"]).exit_code == 2


def test_include_exclude(tree: Path) -> None:
    result = runner.invoke(app, ["scan", str(tree), "--format", "json", "--include", "*.txt", "--exclude", "press*"])
    paths = {f["path"] for f in json.loads(result.stdout)["files"]}
    assert paths == {"note.txt", "staff.txt"}


def test_max_findings_lists_fewer_and_counts_all(tree: Path, report: dict) -> None:
    result = runner.invoke(app, ["scan", str(tree), "--format", "json", "--max-findings", "3"])
    capped = json.loads(result.stdout)
    jsonschema.validate(capped, REPORT_SCHEMA)
    full = {f["path"]: f for f in report["files"]}
    roster = next(f for f in capped["files"] if f["path"] == "roster.xlsx")
    assert len(roster["findings"]) == 3 and roster["findings"] == full["roster.xlsx"]["findings"][:3]
    assert roster["entity_counts"] == full["roster.xlsx"]["entity_counts"]
    assert roster["unlisted_findings"] == sum(roster["entity_counts"].values()) - 3 > 0
    assert [(f["path"], f["rank"], f["exposed_persons"]) for f in capped["files"]] == [
        (f["path"], f["rank"], f["exposed_persons"]) for f in report["files"]
    ]
