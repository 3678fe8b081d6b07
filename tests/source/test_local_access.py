"""Who owns a local file and who can read it: modes, group names, POSIX ACLs set with the real
`setfacl`, and folders that close a file off."""

from __future__ import annotations

import grp
import os
import pwd
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pii_audit.model import Access, Audience
from pii_audit.source.local import iter_files
from pii_audit.source.posix import parse_acl
from tests.fixtures import open_dir
from tests.system import require_debian_packages

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="changing owners and groups needs root")


@pytest.fixture
def open_tree() -> Iterator[Path]:
    with open_dir("pii-audit-access-") as root:
        yield root


def _access(root: Path) -> dict[str, Access]:
    return {ref.path: ref.access for ref in iter_files(str(root))}


def _file(root: Path, name: str, mode: int) -> Path:
    path = root / name
    path.write_text("x\n", encoding="utf-8")
    path.chmod(mode)
    return path


def test_modes_set_the_audience(open_tree: Path) -> None:
    _file(open_tree, "world.txt", 0o644)
    _file(open_tree, "mine.txt", 0o600)
    access = _access(open_tree)
    world, mine = access["world.txt"], access["mine.txt"]
    assert world.audience is Audience.EVERYONE and world.readers == ("every local account",)
    assert world.basis == "mode 0644" and not world.inherited
    assert mine.audience is Audience.OWNER_ONLY and mine.readers == ()
    assert mine.owner == pwd.getpwuid(os.geteuid()).pw_name


@ROOT_ONLY
def test_group_readable_names_the_group_but_not_a_private_one(open_tree: Path) -> None:
    shared = _file(open_tree, "shared.txt", 0o640)
    os.chown(shared, -1, grp.getgrnam("users").gr_gid)
    private = _file(open_tree, "private.txt", 0o640)
    os.chown(private, 0, 0)  # root:root, and group root has no other members: the owner's own group
    access = _access(open_tree)
    assert access["shared.txt"].audience is Audience.ORGANISATION
    assert access["shared.txt"].readers == ("group users",)
    assert access["private.txt"].audience is Audience.OWNER_ONLY


@ROOT_ONLY
def test_owner_is_the_user_name(open_tree: Path) -> None:
    path = _file(open_tree, "theirs.txt", 0o600)
    os.chown(path, 65534, 65534)  # nobody
    assert _access(open_tree)["theirs.txt"].owner == "nobody"


def test_a_closed_folder_makes_its_files_owner_only(open_tree: Path) -> None:
    closed = open_tree / "closed"
    closed.mkdir()
    _file(closed, "world.txt", 0o644)
    closed.chmod(0o700)
    access = _access(open_tree)["closed/world.txt"]
    assert access.audience is Audience.OWNER_ONLY and access.inherited
    assert "folder" in access.basis and "0700" in access.basis


def test_parse_acl_reads_the_kernel_layout() -> None:
    # version 2, then (tag, perm, id): user::rw-, user:1000:r--, group::---, mask::r--, other::---
    raw = struct.pack("<I", 2) + b"".join(
        struct.pack("<HHI", tag, perm, ident)
        for tag, perm, ident in [(1, 6, 0xFFFFFFFF), (2, 4, 1000), (4, 0, 0xFFFFFFFF), (16, 4, 0xFFFFFFFF), (32, 0, 0)]
    )
    entries = parse_acl(raw)
    assert [(e.tag, e.perm, e.id) for e in entries] == [
        (1, 6, None),
        (2, 4, 1000),
        (4, 0, None),
        (16, 4, None),
        (32, 0, None),
    ]
    with pytest.raises(ValueError):
        parse_acl(struct.pack("<I", 1) + raw[4:])
    with pytest.raises(ValueError):
        parse_acl(raw[:-3])


@pytest.fixture(scope="module")
def setfacl() -> str:
    return require_debian_packages(["acl"], binary="setfacl")


def test_a_posix_acl_opens_an_owner_only_mode(open_tree: Path, setfacl: str) -> None:
    shared = _file(open_tree, "acl.txt", 0o600)
    subprocess.run([setfacl, "-m", "u:nobody:r,g:users:r", str(shared)], check=True)
    masked = _file(open_tree, "masked.txt", 0o600)
    subprocess.run([setfacl, "-m", "u:nobody:r", str(masked)], check=True)
    subprocess.run([setfacl, "-m", "m::-", str(masked)], check=True)  # the mask takes the read away again
    access = _access(open_tree)
    acl = access["acl.txt"]
    assert acl.audience is Audience.ORGANISATION
    assert set(acl.readers) == {"user nobody", "group users"}
    assert acl.basis.startswith("POSIX ACL")
    assert access["masked.txt"].audience is Audience.OWNER_ONLY


def test_real_paths_are_resolved_once_per_folder_and_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk resolves a folder's real path once for all its files: the same paths as
    os.path.realpath, through linked folders, linked files, loops and dangling links."""
    from pii_audit.source.posix import LocalAccess

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "c").mkdir()
    for name in ("a/b/f", "a/g", "c/h"):
        (tmp_path / name).write_text("x")
    (tmp_path / "a" / "linked").symlink_to("../c")
    (tmp_path / "a" / "link").symlink_to("b/f")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    monkeypatch.chdir(tmp_path)
    access = LocalAccess()
    names = ["a/b/f", "a/g", "a/linked/h", "a/link", "loop1", "loop1/x", "dangling", "dangling/x", "a/../c/h"]
    names.append("a/missing")
    for name in [*names, *(str(tmp_path / n) for n in names), "f"]:
        assert access._realpath(name) == os.path.realpath(name), name
