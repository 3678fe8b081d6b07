"""Is a target still the file the report described, and ours to touch?

Refused, each with its reason: a file that is gone, a symbolic link (never followed, nor a path
through a linked directory), anything that is not a regular file, a path outside the scanned
root, and a file that changed since the report (another size, or modified after the scan began).
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from typing import Any

from pii_audit.remedy import share
from pii_audit.remedy.share import is_share
from pii_audit.remedy.targets import Target

# The report's start time is in whole seconds: a file written in that second may predate the scan.
STAMP_RESOLUTION = 1.0


@dataclass(frozen=True)
class Checked:
    """A target as it is now: `refused` says why it must be left alone, otherwise `st` is its stat."""

    target: Target
    refused: str | None = None
    st: Any = None  # os.stat_result, or smbclient's for a file on a share


def check(target: Target, started: float) -> Checked:
    if target.unreachable:
        return Checked(target, target.unreachable)
    if is_share(target.location):
        refused, st = share.check(target.rel, target.location)
        refused = refused or changed_since(st, target.size, started, target.modified)
        return Checked(target, refused, None if refused else st)
    refused = _where(target)
    if refused:
        return Checked(target, refused)
    try:
        st = os.lstat(target.location)
    except FileNotFoundError:
        return Checked(target, "no longer exists")
    except OSError as exc:
        return Checked(target, f"cannot stat: {exc.strerror or type(exc).__name__}")
    if stat.S_ISLNK(st.st_mode):
        return Checked(target, "a symbolic link (never followed)")
    if not stat.S_ISREG(st.st_mode):
        return Checked(target, "not a regular file")
    changed = changed_since(st, target.size, started, target.modified)
    if changed:
        return Checked(target, changed)
    return Checked(target, None, st)


def changed_since(st: Any, size: int | None, started: float, modified: float | None = None) -> str | None:
    """Why the file is not the one the report describes: another size, or another modification
    time than the report's `modified` (whole seconds), or without it, one after the scan began."""
    if size is not None and st.st_size != size:
        return f"changed since the report (size {size} -> {st.st_size} bytes)"
    if modified is not None:
        if math.floor(st.st_mtime) != math.floor(modified):
            return "changed since the report (modified since the scan)"
    elif st.st_mtime >= started + STAMP_RESOLUTION:
        return "changed since the report (modified since the scan)"
    return None


def _where(target: Target) -> str | None:
    """Inside the root, reached without a symbolic link below it."""
    root = os.path.abspath(target.root)
    location = os.path.abspath(target.location)
    rel = os.path.relpath(location, root)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return "outside the scanned root"
    parent = os.path.dirname(location)
    expected = os.path.join(os.path.realpath(root), os.path.relpath(parent, root))
    if os.path.realpath(parent) != os.path.normpath(expected):
        return "reached through a symbolic link (never followed)"
    return None


def inside(path: str, roots: list[str]) -> bool:
    """Whether `path` (resolved) is one of `roots` or below one."""
    real = os.path.realpath(path)
    for root in roots:
        r = os.path.realpath(root)
        if real == r or real.startswith(r.rstrip(os.sep) + os.sep):
            return True
    return False
