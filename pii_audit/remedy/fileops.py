"""File operations that never leave a half-written file: write a temporary file in the target's
folder, sync it, then rename it into place (a rename within a folder is atomic).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

CHUNK = 1024 * 1024
TEMP_PREFIX = ".pii-audit-"


@dataclass(frozen=True)
class FileMeta:
    """What a move or rewrite keeps of a file besides its bytes."""

    mode: int
    uid: int
    gid: int
    atime_ns: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileMeta:
        return cls(st.st_mode & 0o7777, st.st_uid, st.st_gid, st.st_atime_ns, st.st_mtime_ns)

    def to_dict(self) -> dict[str, int]:
        return {
            "mode": self.mode,
            "uid": self.uid,
            "gid": self.gid,
            "atime_ns": self.atime_ns,
            "mtime_ns": self.mtime_ns,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FileMeta:
        return cls(int(d["mode"]), int(d["uid"]), int(d["gid"]), int(d["atime_ns"]), int(d["mtime_ns"]))


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def keep_meta(fd: int, meta: FileMeta, times: bool = True) -> list[str]:
    """Give an open file the mode, owner and (with `times`) times of `meta`. Returns what could not
    be kept (the owner, unless we run as root or own the file already)."""
    notes: list[str] = []
    if (meta.uid, meta.gid) != (os.fstat(fd).st_uid, os.fstat(fd).st_gid):
        try:
            os.fchown(fd, meta.uid, meta.gid)
        except PermissionError:
            notes.append(f"owner {meta.uid}:{meta.gid} not kept (not permitted)")
    os.fchmod(fd, meta.mode)  # after chown, which may clear set-id bits
    if times:
        os.utime(fd, ns=(meta.atime_ns, meta.mtime_ns))
    return notes


@contextlib.contextmanager
def temp_beside(target: str) -> Iterator[tuple[IO[bytes], str]]:
    """A new private file in `target`'s folder, removed unless the caller renamed it away."""
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=os.path.dirname(os.path.abspath(target)))
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w+b") as fh:
            yield fh, tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the rename is still atomic
        pass
    finally:
        os.close(fd)


def publish(tmp: str, target: str, replace: bool) -> None:
    """Rename `tmp` to `target`. Without `replace`, an existing `target` is never overwritten
    (a hard link refuses atomically; where links are not supported, a check then a rename)."""
    if replace:
        os.replace(tmp, target)
    else:
        try:
            os.link(tmp, target)
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                raise FileExistsError(errno.EEXIST, "exists", target) from None
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "exists", target) from None
            os.replace(tmp, target)
        else:
            os.unlink(tmp)
    fsync_dir(os.path.dirname(os.path.abspath(target)))


def copy_file(src: str, target: str, meta: FileMeta, replace: bool = False) -> tuple[str, list[str]]:
    """Copy `src` to `target` through a temporary file, keeping `meta`. Returns the sha256 of what
    was written (read back from the new file) and what of `meta` could not be kept."""
    with temp_beside(target) as (out, tmp):
        h = hashlib.sha256()
        with open(src, "rb") as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
                out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
        if sha256(tmp) != h.hexdigest():
            raise OSError(errno.EIO, "the copy does not read back as written")
        notes = keep_meta(out.fileno(), meta)
        out.close()
        publish(tmp, target, replace)
    return h.hexdigest(), notes


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def display_name(name: str) -> str:
    """A file name as text (bytes that are not UTF-8 as `\\xNN`)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_owner_and_mode(path: str, meta: FileMeta) -> list[str]:
    """The original's mode and owner on a rewritten file (its times are those of the rewrite)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return keep_meta(fd, meta, times=False)
    finally:
        os.close(fd)
