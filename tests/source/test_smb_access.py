"""Owner and audience on an SMB share: the security descriptor as a real Samba (`vfs objects =
acl_xattr`) reports it for files whose permissions were set on disk with chmod, chown and setfacl;
and the descriptor parser on hand-built bytes laid out as [MS-DTYP] 2.4.6 says."""

from __future__ import annotations

import json
import os
import pwd
import struct
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pii_audit.cli.app import app
from pii_audit.source.smb_access import access_of, parse_descriptor, sid_name
from tests.fixtures import PEOPLE, write_roster
from tests.servers.samba import SambaShare
from tests.system import require_debian_packages

runner = CliRunner()


def _sid(text: str) -> bytes:
    parts = text.split("-")
    subs = [int(p) for p in parts[3:]]
    return bytes([int(parts[1]), len(subs)]) + int(parts[2]).to_bytes(6, "big") + struct.pack(f"<{len(subs)}I", *subs)


def _ace(kind: int, flags: int, mask: int, sid: str) -> bytes:
    body = struct.pack("<I", mask) + _sid(sid)
    return struct.pack("<BBH", kind, flags, 4 + len(body)) + body


def _descriptor(owner: str, aces: list[bytes] | None) -> bytes:
    """Self-relative: 20-byte header, owner SID, then the DACL (8-byte header + ACEs)."""
    owner_bytes = _sid(owner)
    dacl = b""
    control = 0x8000  # SE_SELF_RELATIVE
    if aces is not None:
        body = b"".join(aces)
        dacl = struct.pack("<BBHHH", 2, 0, 8 + len(body), len(aces), 0) + body
        control |= 0x0004  # SE_DACL_PRESENT
    dacl_at = 20 + len(owner_bytes) if aces is not None else 0
    return struct.pack("<BBHIIII", 1, 0, control, 20, 0, 0, dacl_at) + owner_bytes + dacl


OWNER = "S-1-5-21-1111-2222-3333-1001"
READ = 0x00120089  # FILE_GENERIC_READ
WHERE = "\\\\files\\shared"


def test_everyone_with_read_is_everyone() -> None:
    sd = parse_descriptor(_descriptor(OWNER, [_ace(0, 0, 0x001F01FF, OWNER), _ace(0, 0x10, READ, "S-1-1-0")]))
    assert sd.owner == OWNER
    access = access_of(sd, WHERE)
    assert access.audience.value == "everyone" and access.readers == ("Everyone",)
    assert access.inherited and access.basis == "DACL on \\\\files\\shared"


def test_domain_users_is_the_organisation_and_admins_do_not_count() -> None:
    aces = [
        _ace(0, 0, 0x001F01FF, "S-1-5-32-544"),
        _ace(0, 0, 0x001F01FF, "S-1-5-18"),
        _ace(0, 0, READ, "S-1-5-21-1111-2222-3333-513"),
    ]
    access = access_of(parse_descriptor(_descriptor(OWNER, aces)), WHERE)
    assert access.audience.value == "organisation" and access.readers == ("Domain Users",)
    assert access.owner == OWNER and not access.inherited


def test_owner_only_deny_first_inherit_only_and_no_dacl() -> None:
    aces = [
        _ace(1, 0, READ, "S-1-1-0"),  # deny Everyone reading, before the allow
        _ace(0, 0, READ, "S-1-1-0"),
        _ace(0, 0x08 | 0x01, READ, "S-1-5-11"),  # inherit-only: for new files, not this one
        _ace(0, 0, 0x001F01FF, OWNER),
        _ace(0, 0, 0x00000080, "S-1-5-32-545"),  # read attributes only: not the content
    ]
    assert access_of(parse_descriptor(_descriptor(OWNER, aces)), WHERE).audience.value == "owner-only"
    naked = access_of(parse_descriptor(_descriptor(OWNER, None)), WHERE)
    assert naked.audience.value == "everyone" and naked.basis == "no DACL on \\\\files\\shared"


def test_malformed_descriptors_are_refused() -> None:
    good = _descriptor(OWNER, [_ace(0, 0, READ, "S-1-1-0")])
    for bad in (good[:10], good[:-6], good[:20] + b"\xff" * 4):
        with pytest.raises(ValueError):
            parse_descriptor(bad)


@pytest.mark.parametrize(
    ("sid", "name"),
    [
        ("S-1-1-0", "Everyone"),
        ("S-1-5-11", "Authenticated Users"),
        ("S-1-5-32-545", "BUILTIN\\Users"),
        ("S-1-5-21-1-2-3-513", "Domain Users"),
        ("S-1-22-2-100", "Unix Group\\100"),
        ("S-1-5-21-1-2-3-1105", "S-1-5-21-1-2-3-1105"),
    ],
)
def test_sid_names(sid: str, name: str) -> None:
    assert sid_name(sid) == name


def test_samba_share_with_acls_end_to_end(samba_share: SambaShare, tmp_path: Path) -> None:
    """Two byte-identical rosters: one readable by Everyone, one only by its owner (the share user);
    a third opened to a group with a POSIX ACL."""
    setfacl = require_debian_packages(["acl"], binary="setfacl")
    root, url = samba_share.subdir("acl")
    data = write_roster(tmp_path / "roster.xlsx").read_bytes()
    samba_share.add_file("acl/open.xlsx", data, mode=0o644)  # owner root: o+r is Everyone
    private = samba_share.add_file("acl/a-private.xlsx", data, mode=0o600)
    share_user = pwd.getpwnam(samba_share.user)
    os.chown(private, share_user.pw_uid, share_user.pw_gid)
    team = samba_share.add_file("acl/team.xlsx", data, mode=0o600)
    os.chown(team, share_user.pw_uid, share_user.pw_gid)
    subprocess.run([setfacl, "-m", "g:users:r", str(team)], check=True)
    result = runner.invoke(app, ["scan", url, "--no-cache", "-j", "1", "--format", "json"], env=samba_share.env)
    assert result.exit_code == 1, result.output
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    where = f"\\\\{samba_share.host}\\{samba_share.share}"
    opened, closed, group = files["open.xlsx"], files["a-private.xlsx"], files["team.xlsx"]
    assert opened["exposed_persons"] == closed["exposed_persons"] == len(PEOPLE)
    assert opened["audience"] == "everyone" and "Everyone" in opened["readers"]
    assert f"readable by Everyone (DACL on {where})" in opened["reasons"]
    assert closed["audience"] == "owner-only" and f"owner-only (DACL on {where})" in closed["reasons"]
    assert group["audience"] == "organisation" and group["readers"] == ["Unix Group\\100"]
    assert opened["rank"] < group["rank"] < closed["rank"]
    assert opened["risk_score"] > group["risk_score"] > closed["risk_score"]
    assert opened["owner"] == "Unix User\\0"  # root is not a Samba account: Samba's S-1-22-1 mapping
    assert closed["owner"] == group["owner"] and closed["owner"].startswith("S-1-5-21-")
    assert closed["created"] and closed["modified"]
