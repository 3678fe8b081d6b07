"""Store credentials in the config file: only from an owner-only file, never shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pii_audit.config import ConfigError, render, resolve


def write(path: Path, mode: int) -> Path:
    path.write_text('[credentials]\nsmb-user = "audit"\nsmb-password = "s3cr3t-pw"\n', encoding="utf-8")
    path.chmod(mode)
    return path


def test_credentials_from_an_owner_only_file_reach_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Empty, not absent: monkeypatch then restores the original state after the test.
    monkeypatch.setenv("PII_AUDIT_SMB_PASSWORD", "")
    monkeypatch.setenv("PII_AUDIT_SMB_USER", "")
    config = write(tmp_path / ".pii-audit.toml", 0o600)
    settings = resolve(config=str(config))
    assert os.environ["PII_AUDIT_SMB_PASSWORD"] == "s3cr3t-pw"
    assert settings.credentials == ("smb-password", "smb-user")
    assert "s3cr3t-pw" not in render(settings)


def test_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PII_AUDIT_SMB_PASSWORD", "from-env")
    resolve(config=str(write(tmp_path / ".pii-audit.toml", 0o600)))
    assert os.environ["PII_AUDIT_SMB_PASSWORD"] == "from-env"


def test_a_readable_file_with_credentials_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="chmod 600"):
        resolve(config=str(write(tmp_path / ".pii-audit.toml", 0o644)))


def test_unknown_credential_keys_are_errors(tmp_path: Path) -> None:
    config = tmp_path / ".pii-audit.toml"
    config.write_text('[credentials]\nsmb-pasword = "x"\n', encoding="utf-8")
    config.chmod(0o600)
    with pytest.raises(ConfigError, match="credentials.smb-pasword"):
        resolve(config=str(config))
