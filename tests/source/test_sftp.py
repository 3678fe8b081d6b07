"""sftp:// against a real SFTP server (asyncssh, tests/servers/sftp.py) through the CLI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pii_audit.source import remote
from tests.servers.sftp import SftpServer
from tests.source.helpers import EXPECTED_PATHS, assert_found_people, by_path, report, scan, store_files


@pytest.fixture(autouse=True)
def fresh_sessions() -> Iterator[None]:
    remote.forget_connections()
    yield
    remote.forget_connections()


@pytest.fixture(scope="module")
def tree(sftp_server: SftpServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    for rel, data in store_files(tmp_path_factory.mktemp("sftp-src")).items():
        path = sftp_server.root / "tree" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return f"{sftp_server.url}tree"


def test_sftp_scan_finds_people_with_relative_paths(sftp_server: SftpServer, tree: str) -> None:
    rep = report(scan([tree], sftp_server.env))
    assert set(by_path(rep)) == EXPECTED_PATHS
    assert_found_people(rep)
    assert rep["scan"]["roots"] == [tree]


def test_wrong_password_exits_2_with_one_line(sftp_server: SftpServer, tree: str) -> None:
    result = scan([tree], {**sftp_server.env, "PII_AUDIT_SFTP_PASSWORD": "Wrong-Pw-789"})
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "login failed" in lines[0], result.output
    assert "Wrong-Pw-789" not in result.output and sftp_server.password not in result.output


def test_unknown_host_key_is_refused(sftp_server: SftpServer, tree: str, tmp_path: object) -> None:
    env = {**sftp_server.env, "PII_AUDIT_SFTP_KNOWN_HOSTS": "/nonexistent/known_hosts"}
    result = scan([tree], env)
    assert result.exit_code == 2, result.output
    assert "not in /nonexistent/known_hosts" in result.output
