"""Who owns a local file and who can read it: the owner and group names, the POSIX mode, the POSIX
access ACL (read from the `system.posix_acl_access` extended attribute, no `getfacl` needed), and
the folders above it.

Audience (model.Audience):
- `everyone`: others may read it (`o+r`, or the ACL's `other` entry): every local account;
- `organisation`: a group or named accounts may read it (`g+r` with a group other than the owner's
  private group, or named `user:`/`group:` ACL entries, as limited by the ACL mask);
- `owner-only`: nobody else.
A file is no wider than the folders above it: reading it needs search (`x`) permission on each of
them, so `0644` inside a `0700` folder is owner-only, and inside a `0750` folder the folder's group.
The superuser can read everything and is not counted.
"""

from __future__ import annotations

import errno
import grp
import os
import pwd
import stat
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pii_audit.model import Access, Audience

ACL_XATTR = "system.posix_acl_access"
_USER_OBJ, _USER, _GROUP_OBJ, _GROUP, _MASK, _OTHER = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
_READ, _SEARCH = 4, 1
EVERY_ACCOUNT = "every local account"


@cache
def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


@cache
def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid {gid}"


@cache
def _private_group(gid: int, uid: int) -> bool:
    """The owner's own group (user-private groups): named as the user, with no other members."""
    try:
        group = grp.getgrgid(gid)
    except KeyError:
        return False
    return group.gr_name == user_name(uid) and not [m for m in group.gr_mem if m != group.gr_name]


@dataclass(frozen=True)
class AclEntry:
    tag: int
    perm: int
    id: int | None


def parse_acl(raw: bytes) -> tuple[AclEntry, ...]:
    """The entries of a Linux `system.posix_acl_access` value: a little-endian u32 version (2), then
    8-byte entries (u16 tag, u16 permissions, u32 id). Raises ValueError on anything else."""
    if len(raw) < 4 or (len(raw) - 4) % 8 or struct.unpack_from("<I", raw)[0] != 2:
        raise ValueError("not a POSIX ACL (version 2)")
    entries = []
    for offset in range(4, len(raw), 8):
        tag, perm, ident = struct.unpack_from("<HHI", raw, offset)
        entries.append(AclEntry(tag, perm, ident if tag in (_USER, _GROUP) else None))
    return tuple(entries)


def read_acl(path: str) -> tuple[AclEntry, ...] | None:
    """The file's access ACL when it has one beyond its mode; None otherwise (or unreadable)."""
    try:
        raw = os.getxattr(path, ACL_XATTR, follow_symlinks=True)
    except OSError as exc:
        if exc.errno not in (errno.ENODATA, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES, errno.EPERM):
            raise
        return None
    try:
        entries = parse_acl(raw)
    except ValueError:
        return None
    return entries if any(e.tag in (_USER, _GROUP, _MASK) for e in entries) else None


def _readers(st: os.stat_result, acl: tuple[AclEntry, ...] | None, bit: int) -> tuple[Audience, tuple[str, ...]]:
    """Who besides the owner has `bit` (read, or search for a folder): the audience and their names."""
    if acl is None:
        others = bool(st.st_mode & bit)
        group = bool(st.st_mode & (bit << 3)) and not _private_group(st.st_gid, st.st_uid)
        named = [f"group {group_name(st.st_gid)}"] if group else []
    else:
        mask = next((e.perm for e in acl if e.tag == _MASK), 7)
        others = any(e.tag == _OTHER and e.perm & bit for e in acl)
        named = []
        for e in acl:
            if not e.perm & mask & bit:
                continue
            if e.tag == _USER and e.id is not None and e.id != st.st_uid:
                named.append(f"user {user_name(e.id)}")
            elif e.tag == _GROUP and e.id is not None:
                named.append(f"group {group_name(e.id)}")
            elif e.tag == _GROUP_OBJ and not _private_group(st.st_gid, st.st_uid):
                named.append(f"group {group_name(st.st_gid)}")
    if others:
        return Audience.EVERYONE, (EVERY_ACCOUNT,)
    if named:
        return Audience.ORGANISATION, tuple(dict.fromkeys(named))
    return Audience.OWNER_ONLY, ()


class LocalAccess:
    """Access of local files; remembers the folders it has looked at (one instance per walk)."""

    def __init__(self) -> None:
        self._folders: dict[str, tuple[Audience, tuple[str, ...], str] | None] = {}
        self._real_dirs: dict[str, str] = {}

    def of(self, path: str | Path, st: os.stat_result) -> Access:
        real = self._realpath(os.fspath(path))
        acl = read_acl(real)
        audience, readers = _readers(st, acl, _READ)
        mode = f"mode {stat.S_IMODE(st.st_mode):04o}"
        basis = f"POSIX ACL, {mode}" if acl is not None else mode
        narrowest = self._folder_limit(os.path.dirname(real))
        inherited = False
        if narrowest is not None and narrowest[0].order > audience.order:
            audience, readers = narrowest[0], narrowest[1]
            basis = f"{basis}; folder {narrowest[2]}"
            inherited = True
        return Access(owner=user_name(st.st_uid), audience=audience, readers=readers, basis=basis, inherited=inherited)

    def _realpath(self, path: str) -> str:
        """`os.path.realpath(path)`, resolving each folder once per walk: a path whose last part is
        not a symbolic link is its folder's real path joined with its name."""
        folder, name = os.path.split(path)
        if not name or name in (".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        real = self._real_dirs.get(folder)
        if real is None:
            real = self._real_dirs[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

    def _folder_limit(self, folder: str) -> tuple[Audience, tuple[str, ...], str] | None:
        """The narrowest search audience of `folder` and the folders above it, with the folder that sets it."""
        if folder in self._folders:
            return self._folders[folder]
        parent = os.path.dirname(folder)
        above = self._folder_limit(parent) if parent != folder else None
        mine: tuple[Audience, tuple[str, ...], str] | None = None
        try:
            st = os.stat(folder)
        except OSError:
            st = None
        if st is not None:
            audience, readers = _readers(st, read_acl(folder), _SEARCH)
            mine = (audience, readers, f"{folder} ({stat.S_IMODE(st.st_mode):04o})")
        result = mine
        if above is not None and (mine is None or above[0].order > mine[0].order):
            result = above
        self._folders[folder] = result
        return result
