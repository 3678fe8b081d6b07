"""Quarantine: move files into a folder only its owner can read, with a manifest to put them back.

The folder holds `files/` (the moved files, under their report paths) and `manifest.jsonl`, a
journal with one entry per move: the original path, mode, owner, times, sha256, size and the
reason. A move copies first (verified by hash), records the entry, and only then removes the
original: an interruption leaves the original in place, at worst beside a finished copy.
`restore` reverses the moves recorded in a manifest: the same bytes, mode, owner and times.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pii_audit.errors import RemedyError
from pii_audit.remedy import fileops, share
from pii_audit.remedy.guard import changed_since, check, inside
from pii_audit.remedy.journal import Journal, os_path, path_fields
from pii_audit.remedy.plan import Outcome, Step, run_steps
from pii_audit.remedy.share import ShareFile, is_share
from pii_audit.remedy.targets import Target

MANIFEST = "manifest.jsonl"
FILES = "files"


def check_destination(dest: str, roots: Sequence[str]) -> None:
    """The quarantine folder must not be inside a scanned root (a rescan would find the files
    again, and they would still sit on the share) and, when it exists, must be a folder."""
    if os.path.lexists(dest) and not os.path.isdir(dest):
        raise RemedyError(f"{dest}: exists and is not a folder")
    local = [r for r in roots if "://" not in r]
    if inside(dest, local):
        raise RemedyError(f"{dest}: inside a scanned root; choose a quarantine folder outside what was scanned")


def _stored(dest: str, target: Target, taken: set[str]) -> str:
    """Where the file goes under `dest/files`: its report path, with `~N` before the extension
    when that name is already used."""
    files = os.path.join(dest, FILES)
    base = os.path.normpath(os.path.join(files, *target.key.split("/")))
    if not base.startswith(files + os.sep):  # a report path with `..` in it: keep the name only
        base = os.path.join(files, os.path.basename(target.location))
    stem, ext = os.path.splitext(base)
    candidate, n = base, 1
    while candidate in taken or os.path.lexists(candidate):
        n += 1
        candidate = f"{stem}~{n}{ext}"
    taken.add(candidate)
    return candidate


def plan(targets: Sequence[Target], dest: str, started: float) -> list[Step]:
    dest = os.path.abspath(dest)
    taken: set[str] = set()
    steps = []
    for target in targets:
        checked = check(target, started)
        if checked.refused:
            steps.append(Step(checked, "skip", checked.refused))
        else:
            steps.append(Step(checked, "quarantine", _stored(dest, target, taken)))
    return steps


def _private_dirs(top: str, path: str) -> None:
    """`path` and every folder between it and `top` (included), created owner-only."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    rel = os.path.relpath(path, top)
    parts = [] if rel == os.curdir else rel.split(os.sep)
    for i in range(len(parts) + 1):
        os.chmod(os.path.join(top, *parts[:i]), 0o700)


def _prune(top: str, path: str) -> None:
    """Remove the folders left empty between `path` and `top` (excluded)."""
    while os.path.abspath(path) != os.path.abspath(top) and path.startswith(top + os.sep):
        try:
            os.rmdir(path)
        except OSError:
            return
        path = os.path.dirname(path)


def apply(steps: Sequence[Step], dest: str, started: float, source: str = "") -> list[Outcome]:
    """Move every planned file. `source` names the report the plan came from (for the manifest)."""
    dest = os.path.abspath(dest)
    _private_dirs(dest, dest)
    journal = Journal(os.path.join(dest, MANIFEST))
    return run_steps(steps, lambda step: _move(step, dest, journal, started, source))


def _move(step: Step, dest: str, journal: Journal, started: float, source: str) -> Outcome:
    target = step.checked.target
    if is_share(target.location):
        return _move_from_share(step, dest, journal, started, source)
    again = check(target, started)  # the plan may be old: look again just before touching it
    if again.refused or again.st is None:
        return Outcome(step.path, "skip", False, again.refused or "cannot stat")
    stored = step.detail
    meta = fileops.FileMeta.of(again.st)
    _private_dirs(dest, os.path.dirname(stored))
    try:
        digest, notes = fileops.copy_file(target.location, stored, meta)
    except FileExistsError:
        return Outcome(step.path, "skip", False, "the quarantine name is taken (plan again)")
    except OSError as exc:
        return Outcome(step.path, "skip", False, f"cannot copy: {exc.strerror or type(exc).__name__}")
    after = os.lstat(target.location)
    if (after.st_size, after.st_mtime_ns) != (again.st.st_size, again.st.st_mtime_ns) or changed_since(
        after, target.size, started, target.modified
    ):
        os.unlink(stored)
        return Outcome(step.path, "skip", False, "changed while it was being copied")
    journal.append(
        {
            "action": "quarantine",
            "id": uuid.uuid4().hex,
            **path_fields("original", os.path.abspath(target.location)),
            **path_fields("stored", os.path.relpath(stored, dest)),
            "path": target.path,
            "sha256": digest,
            "size": again.st.st_size,
            **meta.to_dict(),
            "reason": target.reason,
            "report": source,
        }
    )
    os.unlink(target.location)
    fileops.fsync_dir(os.path.dirname(os.path.abspath(target.location)))
    return Outcome(step.path, "quarantine", True, stored, tuple(notes))


def _move_from_share(step: Step, dest: str, journal: Journal, started: float, source: str) -> Outcome:
    """The same move for a file on a share: its bytes come to the local quarantine folder (with the
    share's times), the entry is journalled, then the file is removed from the share."""
    target = step.checked.target
    again = check(target, started)
    if again.refused or again.st is None:
        return Outcome(step.path, "skip", False, again.refused or "cannot stat")
    stored = step.detail
    _private_dirs(dest, os.path.dirname(stored))
    remote = ShareFile.at(target.location)
    meta = share.meta_of(again.st)
    try:
        data = remote.read()
        with fileops.temp_beside(stored) as (out, tmp):
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            notes = fileops.keep_meta(out.fileno(), meta)
            out.close()
            if fileops.sha256(tmp) != fileops.sha256_bytes(data):
                return Outcome(step.path, "skip", False, "the copy does not read back as written")
            fileops.publish(tmp, stored, replace=False)
        after = remote.stat()
    except FileExistsError:
        return Outcome(step.path, "skip", False, "the quarantine name is taken (plan again)")
    except OSError as exc:
        return Outcome(step.path, "skip", False, f"cannot copy: {exc.strerror or type(exc).__name__}")
    if (after.st_size, after.st_mtime_ns) != (again.st.st_size, again.st.st_mtime_ns):
        os.unlink(stored)
        return Outcome(step.path, "skip", False, "changed while it was being copied")
    journal.append(
        {
            "action": "quarantine",
            "id": uuid.uuid4().hex,
            "store": "smb",
            "original": remote.location,
            **path_fields("stored", os.path.relpath(stored, dest)),
            "path": target.path,
            "sha256": fileops.sha256_bytes(data),
            "size": len(data),
            **meta.to_dict(),
            "reason": target.reason,
            "report": source,
        }
    )
    try:
        remote.remove()
    except OSError as exc:  # the copy is safe and journalled: restore will only drop it
        return Outcome(step.path, "skip", False, f"copied, but not removed from the share: {exc.strerror or exc}")
    return Outcome(step.path, "quarantine", True, stored, tuple(notes))


# ---- undoing a move (see undo.py) ---------------------------------------------------------------


def stored_path(journal_path: str, entry: dict[str, Any], number: int) -> str:
    """The quarantined copy of `entry`, which must lie inside the quarantine folder."""
    rel = os_path(entry, "stored")
    if os.path.isabs(rel) or os.pardir in Path(rel).parts:
        raise RemedyError(f"{journal_path}: entry {number} points outside the quarantine folder")
    return os.path.join(os.path.dirname(os.path.abspath(journal_path)), rel)


def refusal(entry: dict[str, Any], stored: str, original: str) -> str | None:
    if not os.path.isfile(stored) or os.path.islink(stored):
        return "the quarantined copy is missing"
    if is_share(original):
        there = ShareFile.at(original)
        if there.exists() and share.sha_of(there) != entry.get("sha256"):
            return "a different file now exists at the original path"
        return None
    if os.path.lexists(original):
        if (
            os.path.isfile(original)
            and not os.path.islink(original)
            and fileops.sha256(original) == entry.get("sha256")
        ):
            return None  # a move interrupted before the original was removed: only the copy goes
        return "a different file now exists at the original path"
    return None


def put_back(entry: dict[str, Any], stored: str, original: str, meta: fileops.FileMeta) -> tuple[str | None, list[str]]:
    """Copy `stored` back to `original` (never over another file). Returns why not, or the notes.
    The caller journals the restore, then calls `drop`."""
    if fileops.sha256(stored) != entry.get("sha256"):
        return "the quarantined copy no longer matches its hash", []
    if is_share(original):
        return _put_back_on_share(stored, original, meta)
    if os.path.lexists(original):
        return None, []  # the original was never removed (checked by `refusal`)
    os.makedirs(os.path.dirname(original), exist_ok=True)
    try:
        _, notes = fileops.copy_file(stored, original, meta)
    except FileExistsError:
        return "a file appeared at the original path", []
    except OSError as exc:
        return f"cannot write: {exc.strerror or type(exc).__name__}", []
    return None, notes


def _put_back_on_share(stored: str, original: str, meta: fileops.FileMeta) -> tuple[str | None, list[str]]:
    there = ShareFile.at(original)
    if there.exists():
        return None, []  # the original was never removed (checked by `refusal`)
    try:
        with open(stored, "rb") as fh:
            there.write(fh.read(), replace=False)
        there.set_times(meta.atime_ns, meta.mtime_ns)
    except FileExistsError:
        return "a file appeared at the original path", []
    except OSError as exc:
        return f"cannot write to the share: {exc.strerror or type(exc).__name__}", []
    return None, []


def drop(journal_path: str, stored: str) -> None:
    """Remove the quarantined copy once its restore is journalled, and the folders it leaves empty."""
    os.unlink(stored)
    _prune(os.path.join(os.path.dirname(os.path.abspath(journal_path)), FILES), os.path.dirname(stored))
