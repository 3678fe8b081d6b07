"""Allowlists: by fingerprint, path glob and entity type, each with a reason; allowed findings are not
scored, are listed masked in JSON, and stay allowed across rescans under the same key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fixtures import write_tree
from tests.gate.conftest import by_path, cli, no_raw_values, scan_json


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "tree")


def test_allow_by_fingerprint_survives_rescans(tree: Path, tmp_path: Path) -> None:
    _, report = scan_json(str(tree))
    staff = by_path(report)["staff.txt"]
    name = next(f for f in staff["findings"] if f["entity_type"] == "PERSON")
    allow = tmp_path / "allow.toml"
    result = cli("allow", name["fingerprint"], "--reason", "on-call list, reviewed by the DPO", "--file", str(allow))
    assert result.exit_code == 0, result.output
    assert oct(os.stat(allow).st_mode & 0o777) == "0o600"
    for _ in range(2):  # a rescan finds the same fingerprint: still allowed
        _, report = scan_json(str(tree), "--allowlist", str(allow))
        staff = by_path(report)["staff.txt"]
        assert name["fingerprint"] not in {f["fingerprint"] for f in staff["findings"]}
        (allowed,) = staff["allowed"]
        assert allowed["masked"] == name["masked"] and "text" not in allowed
        assert allowed["allowed_by"]["reason"] == "on-call list, reviewed by the DPO"
        assert staff["severity"] == "none" and report["gate"]["allowed_findings"] == 1
    no_raw_values(allow.read_text(encoding="utf-8"))


def test_allow_by_path_and_entity_type_in_config(tree: Path) -> None:
    conf = tree / ".pii-audit.toml"
    assert cli("allow", "--path", "export.*", "--reason", "synthetic export", "--file", str(conf)).exit_code == 0
    assert cli("allow", "--entity-type", "phone_number", "--reason", "switchboard", "--file", str(conf)).exit_code == 0
    code, report = scan_json(str(tree))
    files = by_path(report)
    assert files["export.csv"]["findings"] == [] and files["export.csv"]["severity"] == "none"
    assert all(f["allowed_by"]["path"] == "export.*" for f in files["export.csv"]["allowed"])
    assert not any(f["entity_type"] == "PHONE_NUMBER" for e in report["files"] for f in e["findings"])
    assert "export.csv" not in report["gate"]["failing"] and code == 1  # the roster still fails


def test_allow_refuses_raw_values_and_missing_reason(tmp_path: Path) -> None:
    allow = tmp_path / "allow.toml"
    bad = cli("allow", "900101-1234567", "--reason", "x", "--file", str(allow))
    assert bad.exit_code == 2 and "900101" not in bad.output and not allow.exists()
    assert cli("allow", "--path", "x", "--file", str(allow)).exit_code == 2
    assert cli("allow", "--reason", "why", "--file", str(allow)).exit_code == 2


def test_allow_into_pyproject_keeps_it_valid(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.pii-audit]\nfail-on = "medium"\n', encoding="utf-8")
    pyproject.chmod(0o644)
    assert cli("allow", "--path", "fixtures/*", "--reason", "generated", "--file", str(pyproject)).exit_code == 0
    assert oct(os.stat(pyproject).st_mode & 0o777) == "0o644"
    shown = cli("config", "show", "--config", str(pyproject))
    assert shown.exit_code == 0 and "fixtures/*" in shown.stdout and 'fail-on = "medium"' in shown.stdout
