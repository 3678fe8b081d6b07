"""Config: defaults < config file < PII_AUDIT_* < command line; unknown keys name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pii_audit.config import resolve
from tests.fixtures import write_tree
from tests.gate.conftest import FAST, cli, scan_json, write


def test_precedence_and_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = write(tmp_path / ".pii-audit.toml", 'fail-on = "critical"\nexclude = ["a*"]\n[limits]\nmax-depth = 2\n')
    settings = resolve([str(tmp_path)], env={})
    assert settings.fail_on == "critical" and settings.sources["fail-on"] == str(conf)
    assert settings.limit("max-depth") == 2 and settings.limit("max-members") == 10_000
    assert settings.sources["limits.max-members"] == "default"
    settings = resolve([str(tmp_path)], env={"PII_AUDIT_FAIL_ON": "medium", "PII_AUDIT_EXCLUDE": "x*,y*"})
    assert settings.fail_on == "medium" and settings.exclude == ("x*", "y*")
    assert settings.sources["fail-on"] == "env PII_AUDIT_FAIL_ON"
    settings = resolve([str(tmp_path)], cli={"fail-on": "low"}, env={"PII_AUDIT_FAIL_ON": "medium"})
    assert settings.fail_on == "low" and settings.sources["fail-on"] == "command line"


def test_pyproject_table_and_relative_paths(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.pii-audit]\nbaseline = "ci/base.json"\n'
        "[tool.pii-audit.weights]\nworld-readable = 0\n",
    )
    settings = resolve([], cwd=tmp_path, env={})
    assert settings.baseline == str(tmp_path / "ci" / "base.json")
    assert settings.weights.world_readable == 0.0
    write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "y"\n')  # no table: not a config
    assert resolve([], cwd=tmp_path / "other", env={}).config_file is None


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("bogus = 1\n", "'bogus'"),
        ("[limits]\nmax-dept = 3\n", "'limits.max-dept'"),
        ('fail-on = "sometimes"\n', "fail-on"),
        ("strict = 3\n", "strict"),
        ("[[allow]]\npath = 'x'\n", "reason"),
        ("[[allow]]\nfingerprint = '900101-1234567'\nreason = 'r'\n", "not a fingerprint"),
        ("not toml ===", "not valid TOML"),
    ],
)
def test_config_errors_exit_2_naming_file_and_key(tmp_path: Path, content: str, named: str) -> None:
    conf = write(tmp_path / ".pii-audit.toml", content)
    for args in (["config", "show", str(tmp_path)], ["scan", str(tmp_path), *FAST]):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert str(conf) in result.stderr and named in result.stderr
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_config_show_prints_values_and_sources(tmp_path: Path) -> None:
    write(tmp_path / ".pii-audit.toml", 'strict = true\n[[allow]]\nentity-type = "EMAIL_ADDRESS"\nreason = "ok"\n')
    result = cli("config", "show", str(tmp_path), env={"PII_AUDIT_MAX_FILE_MB": "5"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"strict = true  # {tmp_path / '.pii-audit.toml'}" in out
    assert "max-file-mb = 5.0  # env PII_AUDIT_MAX_FILE_MB" in out
    assert 'fail-on = "high"  # default' in out and "EMAIL_ADDRESS" in out
    assert cli("config", "show", str(tmp_path), "--config", str(tmp_path / "nope.toml")).exit_code == 2


def test_scan_uses_config_and_cli_wins(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree")
    write(tree / ".pii-audit.toml", 'fail-on = "never"\nexclude = ["export.csv"]\n')
    code, report = scan_json(str(tree))
    assert code == 0 and "export.csv" not in {f["path"] for f in report["files"]}
    assert report["gate"]["fail_on"] == "never"
    code, report = scan_json(str(tree), "--fail-on", "high")
    assert code == 1 and report["gate"]["fail_on"] == "high"
