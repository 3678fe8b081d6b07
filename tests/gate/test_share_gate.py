"""The CI gate end to end over a real Samba share (tests/servers/samba.py) through smb:// URLs:
baseline -> rescan passes -> a roster appears -> only it is new and the run fails -> re-baseline -> passes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pii_audit.source import remote
from tests.fixtures import write_roster
from tests.gate.conftest import FAST, by_path, cli, no_raw_values, scan_json
from tests.servers.samba import SambaShare
from tests.source.helpers import store_files


@pytest.fixture(autouse=True)
def fresh_sessions() -> Iterator[None]:
    remote.forget_connections()
    yield
    remote.forget_connections()


def test_share_gate_baseline_new_roster_rebaseline(samba_share: SambaShare, tmp_path: Path) -> None:
    _, url = samba_share.subdir("gate")
    (tmp_path / "src").mkdir()
    for rel, data in store_files(tmp_path / "src").items():
        samba_share.add_file(f"gate/{rel}", data)
    env = samba_share.env
    base = tmp_path / "baseline.json"

    made = cli("baseline", url, "-o", str(base), *FAST, env=env)
    assert made.exit_code == 0, (made.output, made.exception)
    assert oct(os.stat(base).st_mode & 0o777) == "0o600"
    known = json.loads(base.read_text(encoding="utf-8"))["files"]
    assert {"hr/roster.xlsx", "archive.zip!export.csv"} <= set(known)

    code, report = scan_json(url, "--baseline", str(base), env=env)
    assert code == 0 and report["gate"]["new_files"] == []
    assert report["scan"]["roots"] == [url]

    samba_share.add_file("gate/hr/2024/new_roster.xlsx", write_roster(tmp_path / "new.xlsx").read_bytes())
    code, report = scan_json(url, "--baseline", str(base), env=env)
    assert code == 1
    assert report["gate"]["new_files"] == ["hr/2024/new_roster.xlsx"] == report["gate"]["failing"]
    files = by_path(report)
    assert files["hr/2024/new_roster.xlsx"]["baseline"] == "new"
    assert files["hr/roster.xlsx"]["baseline"] == "known"  # the same people, but a new file at a new path
    terminal = cli("scan", url, "--baseline", str(base), *FAST, env={**env, "COLUMNS": "200"})
    assert terminal.exit_code == 1 and "New since the baseline" in terminal.stdout
    assert "hr/2024/new_roster.xlsx" in terminal.stdout
    assert "archive.zip" not in terminal.stdout

    assert cli("baseline", url, "-o", str(base), *FAST, env=env).exit_code == 0
    code, report = scan_json(url, "--baseline", str(base), env=env)
    assert code == 0 and report["gate"]["new_files"] == []
    no_raw_values(base.read_text(encoding="utf-8"), json.dumps(report, ensure_ascii=False))
    assert samba_share.password not in base.read_text(encoding="utf-8") + terminal.output
