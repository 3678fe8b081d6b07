"""webdav:// and webdavs:// against a real WsgiDAV server (tests/servers/webdav.py) through the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pii_audit.cli.app import app
from pii_audit.source import remote
from tests.servers import free_port
from tests.servers.webdav import WebdavServer
from tests.source.helpers import EXPECTED_PATHS, assert_found_people, by_path, report, scan, store_files


@pytest.fixture(autouse=True)
def fresh_sessions() -> Iterator[None]:
    remote.forget_connections()
    yield
    remote.forget_connections()


@pytest.fixture(scope="module")
def tree(webdav_server: WebdavServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root, url = webdav_server.subdir("tree")
    for rel, data in store_files(tmp_path_factory.mktemp("dav-src")).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root, url


def _snapshot(root: Path) -> dict[str, tuple[int, float]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime) for p in sorted(root.rglob("*"))}


def _findings(rep: dict[str, Any]) -> dict[str, Any]:
    """What a file yields, without what depends on where it was read from (severity counts who can
    read a file: a local 0644 file is world-readable, a library's audience is unknown)."""
    keep = ("status", "format", "entity_counts", "exposed_persons", "identity_complete_persons")
    return {
        path: (
            {k: f.get(k) for k in keep},
            sorted((x["fingerprint"], x["masked"], str(x["location"])) for x in f["findings"]),
        )
        for path, f in by_path(rep).items()
    }


def test_library_scan_finds_the_same_as_the_local_copy(webdav_server: WebdavServer, tree: tuple[Path, str]) -> None:
    root, url = tree
    before = _snapshot(root)
    rep = report(scan([url], webdav_server.env))
    assert set(by_path(rep)) == EXPECTED_PATHS
    assert_found_people(rep)
    assert rep["scan"]["roots"] == [url]
    local = report(scan([str(root)], {}))
    assert _findings(rep) == _findings(local)
    assert _snapshot(root) == before, "a scan never writes to the store"


def _one_line_error(output: str, password: str) -> str:
    assert "Traceback" not in output and password not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), output
    return lines[0]


def test_password_in_url_is_accepted_and_never_echoed(webdav_server: WebdavServer, tree: tuple[Path, str]) -> None:
    s = webdav_server
    result = scan([f"webdav://{s.user}:{s.password}@127.0.0.1:{s.port}/tree"], {})
    rep = report(result)
    assert rep["scan"]["roots"] == [f"{s.url}/tree"]
    assert s.password not in result.output
    assert {f["path"] for f in rep["files"]} == EXPECTED_PATHS


def test_wrong_password_exits_2_with_one_line(webdav_server: WebdavServer, tree: tuple[Path, str]) -> None:
    wrong = "Wrong-Pw-123"
    result = scan([tree[1]], {**webdav_server.env, "PII_AUDIT_WEBDAV_PASSWORD": wrong})
    assert result.exit_code == 2, result.output
    assert "login failed" in _one_line_error(result.output, wrong)


def test_missing_collection_and_unreachable_server_exit_2(webdav_server: WebdavServer) -> None:
    result = scan([f"{webdav_server.url}/no-such-dir"], webdav_server.env)
    assert result.exit_code == 2, result.output
    assert "no such file or directory" in _one_line_error(result.output, webdav_server.password)
    closed = f"webdav://{webdav_server.user}@127.0.0.1:{free_port()}/tree"
    result = scan([closed], {**webdav_server.env, "PII_AUDIT_REMOTE_TIMEOUT": "3"})
    assert result.exit_code == 2, result.output
    assert "cannot connect" in _one_line_error(result.output, webdav_server.password)


def test_a_rescan_of_an_unchanged_library_reads_metadata_only(
    webdav_server: WebdavServer, tree: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, url = tree
    env = {**webdav_server.env, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PII_AUDIT_KEY": "k" * 64}
    args = ["scan", url, "--format", "json", "--no-english-model", "--workers", "1"]
    cold = CliRunner().invoke(app, args, env=env)
    opened: list[str] = []
    real_open = remote.open_binary
    monkeypatch.setattr(remote, "open_binary", lambda loc, *a: opened.append(loc) or real_open(loc, *a))
    warm = CliRunner().invoke(app, args, env=env)
    assert opened == [] and "unchanged files not read again" in warm.stderr
    assert [f["path"] for f in report(warm)["files"]] == [f["path"] for f in report(cold)["files"]]
    assert _findings(report(warm)) == _findings(report(cold))
    press = (root / "press.txt").read_bytes()
    (root / "press.txt").write_bytes("보도자료\n연락처 010-2345-6789\n".encode())  # a new ETag
    try:
        again = report(CliRunner().invoke(app, args, env=env))
    finally:
        (root / "press.txt").write_bytes(press)  # the tree is shared by the module's tests
    assert [loc.rsplit("/tree/", 1)[-1] for loc in opened] == ["press.txt"]
    assert "PHONE_NUMBER" in by_path(again)["press.txt"]["entity_counts"]


def test_https_with_a_private_ca(webdavs_server: WebdavServer, tmp_path: Path) -> None:
    root, url = webdavs_server.subdir("tls")
    for rel, data in store_files(tmp_path).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    assert url.startswith("webdavs://")
    assert_found_people(report(scan([url], webdavs_server.env)))
    remote.forget_connections()  # the connection that trusted the CA is reused within a process
    untrusted = {k: v for k, v in webdavs_server.env.items() if k != "PII_AUDIT_WEBDAV_CA"}
    result = scan([url], untrusted)
    assert result.exit_code == 2, result.output
    assert "TLS certificate not trusted" in _one_line_error(result.output, webdavs_server.password)


def test_a_moved_library_is_followed(webdav_server: WebdavServer, tree: tuple[Path, str]) -> None:
    moved = tree[1].replace("/tree", "/moved/tree")
    rep = report(scan([moved], webdav_server.env))
    assert set(by_path(rep)) == EXPECTED_PATHS
    assert_found_people(rep)
