"""Which files to fix: the outer files of a saved report, chosen by severity, path, owner and rank.

A report names files relative to the roots it scanned (`scan.roots`); with several roots, each
path starts with its root's name. A finding inside an archive (`outer.zip!inner.csv`) makes the
outer file the target: that is the file on disk that can be moved, encrypted or rewritten.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from pii_audit.errors import RemedyError
from pii_audit.model import severity_rank
from pii_audit.paths import from_os_name
from pii_audit.remedy.share import ShareFile, is_share
from pii_audit.report.owners import owner_of
from pii_audit.report.view import FileView, ReportView
from pii_audit.source.remote import is_url, redact


@dataclass(frozen=True)
class Target:
    """A file a report asks us to fix. `location` is how to open it (an OS path, surrogate escapes
    for bytes that are not UTF-8), `rel` its path under `root` in the same form. `unreachable`
    says why the file cannot be fixed from here (a store URL, a root that is gone)."""

    path: str  # as the report shows it
    key: str  # the same, as the file system names it (the exact bytes of `path_bytes`)
    location: str
    root: str
    rel: str
    severity: str
    risk_score: float
    reason: str  # why it was chosen: severity and the report's reasons (no raw values)
    size: int | None  # the size the report saw
    members: tuple[str, ...] = ()  # findings inside it, as `!member` paths
    unreachable: str | None = None
    modified: float | None = None  # its modification time as the report saw it (whole seconds)
    owner: str | None = None


def _epoch(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        stamp = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp()


def scan_started(view: ReportView) -> float:
    """The scan's start as a POSIX time; a file modified at or after it may differ from the report."""
    started = _epoch(view.started)
    return float("-inf") if started is None else started  # unknown: only the size can tell a change


def _os_path(f: FileView) -> str:
    """The report path as the file system names it (exact bytes from `path_bytes` when present)."""
    if f.path_bytes:
        return os.fsdecode(base64.b64decode(f.path_bytes))
    return f.path


def _matches(path: str, globs: Sequence[str]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def _root_for(full: str, roots: Sequence[str]) -> tuple[str, str] | None:
    """(root, path under it) for a report path; None when no root claims it."""
    if len(roots) == 1:
        return roots[0], full
    for root in roots:
        name = PurePosixPath(root.rstrip("/")).name or root
        if full.startswith(name + "/"):
            return root, full[len(name) + 1 :]
    return None


def _locate(full: str, roots: Sequence[str]) -> tuple[str, str, str, str | None]:
    """(root, rel, location, unreachable) for the outer file of a report path."""
    claimed = _root_for(full, roots)
    if claimed is None:
        return "", full, full, "no scanned root matches this path in the report"
    root, rel = claimed
    if is_url(root):
        location = f"{root.rstrip('/')}/{rel}"
        if is_share(root):
            return root, rel, location, None
        return root, rel, location, "on a store URL: only local paths and smb:// shares can be fixed"
    base = os.path.abspath(root)
    if os.path.isdir(base):
        return base, rel, os.path.join(base, *rel.split("/")), None
    if os.path.lexists(base) or os.path.basename(base) == rel:  # the root was this file
        return os.path.dirname(base), os.path.basename(base), base, None
    return base, rel, os.path.join(base, *rel.split("/")), "the scanned root no longer exists"


def _split(full: str, roots: Sequence[str]) -> tuple[str, str | None]:
    """The outer file and member of a report path. A real name may hold `!`: when the whole path
    is a file, it is the file."""
    if "!" in full:
        root, _, location, unreachable = _locate(full, roots)
        if unreachable is None and not is_share(location) and os.path.isfile(location):
            return full, None
        outer, member = full.split("!", 1)
        return outer, member
    return full, None


def select(
    view: ReportView,
    min_severity: str = "high",
    globs: Sequence[str] = (),
    top: int | None = None,
    owners: Sequence[str] = (),
) -> list[Target]:
    """The outer files at or above `min_severity` whose path matches one of `globs` (all when none)
    and whose owner (as the report names it; `(owner unknown)` when its store did not say) matches one of
    `owners` (all when none), worst first,
    at most `top` of them."""
    floor = severity_rank(min_severity)
    grouped: dict[str, list[tuple[FileView, str | None]]] = {}
    for f in view.files:
        outer, member = _split(_os_path(f), view.roots)
        grouped.setdefault(outer, []).append((f, member))
    targets: list[Target] = []
    for outer, entries in grouped.items():
        worst = max(entries, key=lambda e: (severity_rank(e[0].severity), e[0].risk_score))[0]
        if severity_rank(worst.severity) < floor:
            continue
        shown = worst.path.split("!", 1)[0] if outer != _os_path(worst) else worst.path
        if globs and not (_matches(shown, globs) or _matches(outer, globs)):
            continue
        own = next((f for f, m in entries if m is None), worst)  # members carry their container's owner
        if owners and not any(fnmatch.fnmatchcase(owner_of(own), o) for o in owners):
            continue
        root, rel, location, unreachable = _locate(outer, view.roots)
        members = tuple(sorted("!" + m for _, m in entries if m))
        why = f"{worst.severity} ({worst.risk_score:g})"
        if worst.reasons:
            why += ": " + "; ".join(worst.reasons)
        outer_sizes = [f.size for f, m in entries if m is None]
        targets.append(
            Target(
                path=shown,
                key=outer,
                location=location,
                root=root,
                rel=rel,
                severity=worst.severity,
                risk_score=worst.risk_score,
                reason=why,
                size=outer_sizes[0] if outer_sizes else None,
                members=members,
                unreachable=unreachable,
                modified=_epoch(own.modified),
                owner=own.owner,
            )
        )
    targets.sort(key=lambda t: (-severity_rank(t.severity), -t.risk_score, t.path))
    return targets[:top] if top else targets


def given(paths: Sequence[str]) -> list[Target]:
    """Targets named on the command line (files, or smb:// URLs of files), checked later against
    what they are now: their size and time are taken here, so a change between the plan and the
    change is still caught."""
    out = []
    for raw in paths:
        if is_share(raw):
            try:  # connecting with the URL as given remembers a password in it for this process
                st = ShareFile.at(raw).stat()
                size, mtime, unreachable = int(st.st_size), float(st.st_mtime), None
            except (OSError, RemedyError) as exc:
                size, mtime, unreachable = None, None, f"cannot stat: {getattr(exc, 'strerror', None) or exc}"
            raw = redact(raw)
            root, _, name = raw.rstrip("/").rpartition("/")
            location = raw
        elif is_url(raw):
            raw = redact(raw)
            root, name, location = raw, raw, raw
            size, mtime, unreachable = None, None, "on a store URL: only local paths and smb:// shares can be fixed"
        else:
            location = os.path.abspath(raw)
            root, name = os.path.dirname(location), os.path.basename(location)
            try:
                st = os.lstat(location)
                size, mtime, unreachable = st.st_size, st.st_mtime, None
            except OSError as exc:
                size, mtime, unreachable = None, None, f"cannot stat: {exc.strerror or type(exc).__name__}"
        shown, _ = from_os_name(raw)
        out.append(
            Target(
                path=shown,
                key=name,
                location=location,
                root=root,
                rel=name,
                severity="none",
                risk_score=0.0,
                reason="named on the command line",
                size=size,
                unreachable=unreachable,
                modified=mtime,
            )
        )
    return out
