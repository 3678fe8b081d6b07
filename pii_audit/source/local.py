"""Local files and directories: a recursive walk that never leaves the root.

Symbolic links are followed only when their target stays inside the root; links out of the
root, link loops, FIFOs, sockets and devices are reported as skipped (never opened). Nothing is
modified: the walk only lists and stats.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from pii_audit.model import FileRef
from pii_audit.paths import from_os_name, path_bytes
from pii_audit.source.interface import Access, Store, StoreError
from pii_audit.source.matching import matches as _matches
from pii_audit.source.posix import LocalAccess


class LocalStore(Store):
    """Files and directories on this machine (absolute paths as locations)."""

    scheme = "local"

    def walk(
        self, root: str, include: Sequence[str] = (), exclude: Sequence[str] = (), prefix: str = ""
    ) -> Iterator[FileRef]:
        return iter_files(root, include, exclude, prefix)

    def open(self, ref: FileRef) -> AbstractContextManager[BinaryIO]:
        return open_binary(ref.location)

    def stat(self, ref: FileRef) -> FileRef:
        st = os.stat(ref.location)
        return replace(ref, size=st.st_size, mtime=st.st_mtime, access=LocalAccess().of(ref.location, st))

    def access(self, ref: FileRef) -> Access:
        return LocalAccess().of(ref.location, os.stat(ref.location))

    def label(self, root: str) -> str:
        return Path(root).name or root


@contextmanager
def open_binary(location: str) -> Iterator[BinaryIO]:
    """Open for reading without changing the file; O_NOATIME keeps the access time where the OS
    allows it."""
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0) | getattr(os, "O_NONBLOCK", 0)
    # The file may have been replaced since it was listed: never open a FIFO or a device (opening
    # one can block or have side effects), and check again on the open descriptor.
    if not stat.S_ISREG(os.stat(location).st_mode):
        raise OSError(0, "no longer a regular file")
    try:
        fd = os.open(location, flags)
    except PermissionError:
        fd = os.open(location, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # O_NOATIME needs ownership
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "no longer a regular file")
        yield fh


def _ref(rel: str, prefix: str, location: Path, **fields: Any) -> FileRef:
    """A FileRef for `rel` (as the file system named it: surrogate escapes for bytes that are not
    UTF-8). The path is the real name; such bytes appear as `\\xNN` with `path_bytes` (paths.py)."""
    full = f"{prefix}/{rel}" if prefix else rel
    path, undecodable = from_os_name(full)
    return FileRef(path=path, location=str(location), path_bytes=path_bytes(full) if undecodable else None, **fields)


def iter_files(
    root: str, include: Sequence[str] = (), exclude: Sequence[str] = (), prefix: str = ""
) -> Iterator[FileRef]:
    """Every file under `root` (or `root` itself when it is a file), in a stable order."""
    base = Path(root)
    if not base.exists() and not base.is_symlink():
        raise StoreError(f"no such file or directory: {root}")
    real_root = base.resolve()
    if base.is_file():
        yield from _entry(base, base.name, real_root.parent, include, exclude, prefix, LocalAccess())
        return
    if not base.is_dir():
        raise StoreError(f"not a file or directory: {root}")
    yield from _walk(base, "", real_root, include, exclude, prefix, {real_root}, LocalAccess())


def _walk(
    directory: Path,
    rel_dir: str,
    real_root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    prefix: str,
    visited: set[Path],
    access: LocalAccess,
) -> Iterator[FileRef]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        reason = f"directory not readable: {exc.strerror or type(exc).__name__}"
        yield _ref(rel_dir or ".", prefix, directory, skip_reason=reason)
        return
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        path = Path(entry.path)
        if exclude and _matches(rel, exclude):
            continue
        if entry.is_symlink():
            target = _inside(path, real_root)
            if target is None:
                if not include or _matches(rel, include):
                    yield _ref(rel, prefix, path, skip_reason="symbolic link out of the scanned root (not followed)")
                continue
            if target.is_dir():
                if target in visited:
                    yield _ref(rel, prefix, path, skip_reason="symbolic link loop (not followed)")
                    continue
                yield from _walk(path, rel, real_root, include, exclude, prefix, visited | {target}, access)
                continue
        if entry.is_dir(follow_symlinks=False) or (entry.is_symlink() and path.is_dir()):
            real = path.resolve()
            yield from _walk(path, rel, real_root, include, exclude, prefix, visited | {real}, access)
            continue
        yield from _entry(path, rel, real_root, include, exclude, prefix, access)


def _entry(
    path: Path,
    rel: str,
    real_root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    prefix: str,
    access: LocalAccess,
) -> Iterator[FileRef]:
    if exclude and _matches(rel, exclude):
        return
    if include and not _matches(rel, include):
        return
    try:
        st = path.stat()
    except OSError as exc:
        yield _ref(rel, prefix, path, skip_reason=f"cannot stat: {exc.strerror or type(exc).__name__}")
        return
    if not stat.S_ISREG(st.st_mode):
        kind = "named pipe" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "device"
        yield _ref(rel, prefix, path, skip_reason=f"not a regular file ({kind}; never opened)")
        return
    yield _ref(
        rel,
        prefix,
        path,
        size=st.st_size,
        mtime=st.st_mtime,
        access=access.of(path, st),
        created=_birth(st),
    )


def _birth(st: os.stat_result) -> float | None:
    """Creation time where the platform's stat has one (macOS, BSD, Windows); Linux's os.stat has not."""
    value = getattr(st, "st_birthtime", None)
    return float(value) if value is not None else None


def _inside(link: Path, real_root: Path) -> Path | None:
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return target if target == real_root or target.is_relative_to(real_root) else None
