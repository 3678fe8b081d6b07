"""Owner and audience over SFTP (a real asyncssh server): the mode and owner the server reports."""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from pathlib import Path

import pytest

from pii_audit.source import remote
from tests.fixtures import PEOPLE, write_roster
from tests.servers.sftp import SftpServer
from tests.source.helpers import by_path, report, scan


@pytest.fixture(autouse=True)
def fresh_sessions() -> Iterator[None]:
    remote.forget_connections()
    yield
    remote.forget_connections()


def test_modes_and_owner_over_sftp(sftp_server: SftpServer, tmp_path: Path) -> None:
    folder = sftp_server.root / "modes"
    folder.mkdir()
    data = write_roster(tmp_path / "r.xlsx").read_bytes()
    for name, mode in (("a-private.xlsx", 0o600), ("open.xlsx", 0o644)):
        (folder / name).write_bytes(data)
        (folder / name).chmod(mode)
    files = by_path(report(scan([f"{sftp_server.url}modes"], sftp_server.env)))
    opened, private = files["open.xlsx"], files["a-private.xlsx"]
    assert opened["exposed_persons"] == private["exposed_persons"] == len(PEOPLE)
    assert opened["audience"] == "everyone" and private["audience"] == "owner-only"
    assert (
        f"readable by every account on {sftp_server.host} (mode 0644 on sftp://{sftp_server.host})" in opened["reasons"]
    )
    assert opened["rank"] < private["rank"]
    me = pwd.getpwuid(os.geteuid())
    assert private["owner"] == me.pw_name, private["owner"]  # from the long listing
