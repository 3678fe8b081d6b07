"""Local files and directories: a recursive walk that never leaves the root.

Symbolic links are followed only when their target stays inside the root; links out of the
root, link loops, FIFOs, sockets and devices are reported as skipped (never opened). Nothing is
modified: the walk only lists and stats.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from pii_audit.errors import SourceError
from pii_audit.model import FileRef


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def _display(rel: str, prefix: str) -> str:
    return f"{prefix}/{rel}" if prefix else rel


def iter_files(
    root: str, include: Sequence[str] = (), exclude: Sequence[str] = (), prefix: str = ""
) -> Iterator[FileRef]:
    """Every file under `root` (or `root` itself when it is a file), in a stable order."""
    base = Path(root)
    if not base.exists() and not base.is_symlink():
        raise SourceError(f"no such file or directory: {root}")
    real_root = base.resolve()
    if base.is_file():
        yield from _entry(base, base.name, real_root.parent, include, exclude, prefix)
        return
    if not base.is_dir():
        raise SourceError(f"not a file or directory: {root}")
    yield from _walk(base, "", real_root, include, exclude, prefix, {real_root})


def _walk(
    directory: Path,
    rel_dir: str,
    real_root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    prefix: str,
    visited: set[Path],
) -> Iterator[FileRef]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield FileRef(
            path=_display(rel_dir or ".", prefix),
            location=str(directory),
            skip_reason=f"directory not readable: {exc.strerror or type(exc).__name__}",
        )
        return
    for entry in entries:
        name = _safe_name(entry.name)
        rel = f"{rel_dir}/{name}" if rel_dir else name
        path = Path(entry.path)
        if exclude and _matches(rel, exclude):
            continue
        if entry.is_symlink():
            target = _inside(path, real_root)
            if target is None:
                if not include or _matches(rel, include):
                    yield FileRef(
                        path=_display(rel, prefix),
                        location=str(path),
                        skip_reason="symbolic link out of the scanned root (not followed)",
                    )
                continue
            if target.is_dir():
                if target in visited:
                    yield FileRef(
                        path=_display(rel, prefix), location=str(path), skip_reason="symbolic link loop (not followed)"
                    )
                    continue
                yield from _walk(path, rel, real_root, include, exclude, prefix, visited | {target})
                continue
        if entry.is_dir(follow_symlinks=False) or (entry.is_symlink() and path.is_dir()):
            real = path.resolve()
            yield from _walk(path, rel, real_root, include, exclude, prefix, visited | {real})
            continue
        yield from _entry(path, rel, real_root, include, exclude, prefix)


def _entry(
    path: Path, rel: str, real_root: Path, include: Sequence[str], exclude: Sequence[str], prefix: str
) -> Iterator[FileRef]:
    if exclude and _matches(rel, exclude):
        return
    if include and not _matches(rel, include):
        return
    try:
        st = path.stat()
    except OSError as exc:
        yield FileRef(
            path=_display(rel, prefix),
            location=str(path),
            skip_reason=f"cannot stat: {exc.strerror or type(exc).__name__}",
        )
        return
    if not stat.S_ISREG(st.st_mode):
        kind = "named pipe" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "device"
        yield FileRef(
            path=_display(rel, prefix),
            location=str(path),
            size=None,
            skip_reason=f"not a regular file ({kind}; never opened)",
        )
        return
    yield FileRef(
        path=_display(rel, prefix),
        location=str(path),
        size=st.st_size,
        mtime=st.st_mtime,
        world_readable=bool(st.st_mode & stat.S_IROTH),
    )


def _inside(link: Path, real_root: Path) -> Path | None:
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return target if target == real_root or target.is_relative_to(real_root) else None


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _safe_name(name: str) -> str:
    """File names that are not valid UTF-8 arrive with surrogate escapes; show them as `\\xNN`,
    and control characters too (a newline in a name would forge a line in a text report)."""
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", shown)
