"""Gate tests: a fixed key, private cache and config dirs, one detector for the module, a real Samba share."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from pii_audit.cli.app import app
from pii_audit.detect.engine import Detector
from pii_audit.options import AuditOptions
from tests.servers.samba import samba_share  # noqa: F401

KEY = "gate-test-key-0123456789abcdef0123456789abcdef"
FAST = ["--no-english-model", "--workers", "1", "--no-cache"]
runner = CliRunner()

_detector: dict[str, Detector] = {}


def shared_detector(opts: AuditOptions) -> Detector:
    """One Korean-only detector for all gate tests (Kiwi and Presidio take seconds to build)."""
    if "d" not in _detector:
        _detector["d"] = Detector(english_model=None)
    return _detector["d"]


@pytest.fixture(autouse=True)
def gate_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PII_AUDIT_KEY", KEY)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("CI", "PII_AUDIT_CONFIG", "PII_AUDIT_FAIL_ON", "PII_AUDIT_BASELINE", "PII_AUDIT_STRICT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("pii_audit.audit.default_detector", shared_detector)
    yield


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env=env)


def scan_json(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    result = cli("scan", *args, "--format", "json", *FAST, env=env)
    assert result.exit_code in (0, 1, 3) and result.stdout, (result.exit_code, result.output, result.exception)
    return result.exit_code, json.loads(result.stdout)


def by_path(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in report["files"]}


def raw_values() -> list[str]:
    """Every generated value in tests/fixtures.py trees, as it appears in the files."""
    from tests.fixtures import PEOPLE, rrn

    out = []
    for i, (name, birth, address, phone) in enumerate(PEOPLE):
        out += [name, address, phone, rrn(birth, 1 + i % 2), birth.isoformat()]
    return out + ["홍정자", "정민호", "010-9876-5432", "010-4457-3000"]


def no_raw_values(*texts: str) -> None:
    for value in raw_values():
        for text in texts:
            assert value not in text, f"raw value {value[:1]}… leaked"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
