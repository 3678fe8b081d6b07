"""--min-confidence (option, config key, environment) and the finding `note` in the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from pii_audit.cli.app import app
from tests.conftest import REPORT_SCHEMA

runner = CliRunner()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("confidence")
    # A valid RRN (score 1.0) and one whose check digit fails (reported lower, with a note).
    (root / "ids.txt").write_text(
        "성명: 탁현우\n주민등록번호 920314-1525308\n\n담당자 기록: 주민등록번호 870423-1234567\n", encoding="utf-8"
    )
    return root


def _findings(args: list[str], env: dict[str, str] | None = None) -> list[dict]:
    result = runner.invoke(app, ["scan", *args, "--format", "json", "--no-cache"], env=env)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, REPORT_SCHEMA)
    return [f for file in report["files"] for f in file["findings"]]


def test_a_failed_check_digit_is_reported_with_a_note(tree: Path) -> None:
    rrns = [f for f in _findings([str(tree)]) if f["entity_type"] == "KR_RRN"]
    noted = [f for f in rrns if "note" in f]
    assert len(rrns) == 2 and len(noted) == 1
    assert "check digit" in noted[0]["note"] and noted[0]["score"] < 1.0
    assert noted[0]["masked"] != "870423-1234567"  # masked like any other finding


def test_min_confidence_drops_findings_below_it(tree: Path) -> None:
    kept = _findings([str(tree), "--min-confidence", "0.8"])
    assert kept and all(f["score"] >= 0.8 for f in kept)
    assert not any("note" in f for f in kept)


def test_min_confidence_from_environment_and_config(tree: Path, tmp_path: Path) -> None:
    by_env = _findings([str(tree)], env={"PII_AUDIT_MIN_CONFIDENCE": "0.8"})
    assert by_env and all(f["score"] >= 0.8 for f in by_env)
    config = tmp_path / "pii-audit.toml"
    config.write_text("min-confidence = 0.8\n", encoding="utf-8")
    by_file = _findings([str(tree), "--config", str(config)])
    assert by_file == by_env


def test_min_confidence_out_of_range_is_a_usage_error(tree: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["scan", str(tree), "--min-confidence", "1.5"]).exit_code == 2
    config = tmp_path / "pii-audit.toml"
    config.write_text("min-confidence = 2\n", encoding="utf-8")
    assert runner.invoke(app, ["scan", str(tree), "--config", str(config)]).exit_code == 2
