"""smb:// against a real Samba server (tests/servers/samba.py) through the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pii_audit.source import remote
from tests.servers import free_port
from tests.servers.samba import SambaShare
from tests.source.helpers import EXPECTED_PATHS, assert_found_people, by_path, report, scan, store_files


@pytest.fixture(scope="module")
def tree(samba_share: SambaShare, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root, url = samba_share.subdir("tree")
    for rel, data in store_files(tmp_path_factory.mktemp("smb-src")).items():
        samba_share.add_file(f"tree/{rel}", data)
    samba_share.add_file("tree/hr/locked.txt", b"not for the share user", mode=0o000)
    return root, url


@pytest.fixture(autouse=True)
def fresh_sessions() -> Iterator[None]:
    """Every test logs in afresh: smbprotocol reuses a session per server and user in a process."""
    remote.forget_connections()
    yield
    remote.forget_connections()


def _snapshot(root: Path) -> dict[str, tuple[int, float]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime) for p in sorted(root.rglob("*"))}


def test_share_scan_finds_people_with_relative_paths(samba_share: SambaShare, tree: tuple[Path, str]) -> None:
    root, url = tree
    before = _snapshot(root)
    rep = report(scan([url], samba_share.env))
    files = by_path(rep)
    assert set(files) == EXPECTED_PATHS | {"hr/locked.txt"}
    assert_found_people(rep)
    locked = files["hr/locked.txt"]
    assert locked["status"] == "failed" and locked["reason"] == "cannot read: access denied"
    assert rep["scan"]["roots"] == [url]
    assert _snapshot(root) == before, "a scan never writes to the store"


def test_password_in_url_is_accepted_and_never_echoed(samba_share: SambaShare, tree: tuple[Path, str]) -> None:
    url = f"{samba_share.url_with_password}/tree"
    result = scan([url], {"PII_AUDIT_SMB_PASSWORD": "", "PII_AUDIT_SMB_USER": ""})
    rep = report(result)
    assert rep["scan"]["roots"] == [f"{samba_share.url}/tree"]
    assert samba_share.password not in result.output
    assert {f["path"] for f in rep["files"]} >= EXPECTED_PATHS


def test_share_next_to_a_local_directory(samba_share: SambaShare, tree: tuple[Path, str], tmp_path: Path) -> None:
    local = tmp_path / "local"
    local.mkdir()
    (local / "press.txt").write_text("보도자료\n", encoding="utf-8")
    rep = report(scan([str(local), tree[1]], samba_share.env))
    paths = {f["path"] for f in rep["files"]}
    assert "local/press.txt" in paths and "tree/hr/roster.xlsx" in paths and "tree/archive.zip!export.csv" in paths


def _one_line_error(result_output: str, password: str) -> str:
    assert "Traceback" not in result_output and password not in result_output
    lines = [line for line in result_output.splitlines() if line.strip()]
    assert len(lines) == 1, result_output
    assert lines[0].startswith("error:")
    return lines[0]


def test_wrong_password_exits_2_with_one_line(samba_share: SambaShare) -> None:
    wrong = "Wrong-Pw-123"
    result = scan([f"{samba_share.url}/tree"], {**samba_share.env, "PII_AUDIT_SMB_PASSWORD": wrong})
    assert result.exit_code == 2, result.output
    line = _one_line_error(result.output, wrong)
    assert "login failed" in line and samba_share.password not in line


def test_wrong_password_in_url_is_not_echoed(samba_share: SambaShare) -> None:
    wrong = "Url-Wrong-Pw-456"
    url = f"smb://{samba_share.user}:{wrong}@{samba_share.host}:{samba_share.port}/{samba_share.share}"
    result = scan([url], {"PII_AUDIT_SMB_PASSWORD": ""})
    assert result.exit_code == 2, result.output
    assert "login failed" in _one_line_error(result.output, wrong)


def test_missing_share_and_directory_exit_2(samba_share: SambaShare) -> None:
    base = f"smb://{samba_share.user}@{samba_share.host}:{samba_share.port}"
    result = scan([f"{base}/no-such-share"], samba_share.env)
    assert result.exit_code == 2, result.output
    assert "no such share" in _one_line_error(result.output, samba_share.password)
    result = scan([f"{samba_share.url}/no/such/dir"], samba_share.env)
    assert result.exit_code == 2, result.output
    assert "no such file or directory" in _one_line_error(result.output, samba_share.password)


def test_unreachable_server_exits_2(samba_share: SambaShare) -> None:
    url = f"smb://{samba_share.user}@127.0.0.1:{free_port()}/{samba_share.share}"
    result = scan([url], {**samba_share.env, "PII_AUDIT_REMOTE_TIMEOUT": "3"})
    assert result.exit_code == 2, result.output
    assert "cannot connect" in _one_line_error(result.output, samba_share.password)


def test_single_file_url(samba_share: SambaShare, tree: tuple[Path, str]) -> None:
    rep = report(scan([f"{tree[1]}/hr/roster.xlsx"], samba_share.env))
    assert [f["path"] for f in rep["files"]] == ["roster.xlsx"]


def test_a_rescan_of_an_unchanged_share_reads_metadata_only(
    samba_share: SambaShare, tree: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from pii_audit.cli.app import app

    _, url = tree
    env = {**samba_share.env, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PII_AUDIT_KEY": "k" * 64}
    args = ["scan", url, "--format", "json", "--no-english-model", "--workers", "1"]
    cold = CliRunner().invoke(app, args, env=env)
    opened: list[str] = []
    real_open = remote.open_binary
    monkeypatch.setattr(remote, "open_binary", lambda loc, *a: opened.append(loc) or real_open(loc, *a))
    warm = CliRunner().invoke(app, args, env=env)
    # Only the file that could not be read is tried again (failures are never cached).
    assert [loc.rsplit("/tree/", 1)[-1] for loc in opened] == ["hr/locked.txt"]
    assert "unchanged files not read again, 1 scanned" in warm.stderr  # hr/locked.txt failed: not cached
    strip = {"started", "finished"}
    cold_rep, warm_rep = report(cold), report(warm)
    for rep in (cold_rep, warm_rep):
        for key in strip:
            rep["scan"].pop(key)
        for f in rep["files"]:
            f.pop("seconds")
    assert warm_rep == cold_rep


def test_a_large_csv_on_a_share_is_read_as_a_stream(samba_share: SambaShare, monkeypatch: pytest.MonkeyPatch) -> None:
    from pii_audit import scan as scan_mod
    from tests.test_scan import roster_rows

    _, url = samba_share.subdir("big")
    lines = ["성명,생년월일,주소,연락처"] + [",".join(r) for r in roster_rows(300)]
    samba_share.add_file("big/export.csv", ("\r\n".join(lines) + "\r\n").encode("cp949"))
    monkeypatch.setattr(scan_mod, "STREAM_BYTES", 4096)  # in-process run (--workers 1): a small file streams
    rep = report(scan([f"{url}/export.csv", "--max-file-mb", "0.004"], samba_share.env))
    (export,) = rep["files"]
    assert export["status"] == "scanned" and "read as a stream (too large to load whole)" in export["notes"]
    assert export["exposed_persons"] == 300 and "encoding: cp949" in export["notes"]
