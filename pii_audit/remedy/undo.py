"""Undoing what a journal records: quarantined files go back, protected files are decrypted.

Each `quarantine` or `protect` entry without a later `restore` entry of the same id is pending.
Undoing one writes the original back (the same bytes, checked by sha256, with its mode, owner
and times), journals a `restore` entry, and only then removes the quarantined copy or the
encrypted archive. Nothing is ever written over a file that is not the one the journal describes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pii_audit.errors import RemedyError
from pii_audit.remedy import protect, quarantine
from pii_audit.remedy.fileops import FileMeta
from pii_audit.remedy.journal import Journal, os_path, path_fields, read
from pii_audit.remedy.plan import Outcome
from pii_audit.remedy.share import ShareFile, is_share
from pii_audit.remedy.stopping import stop_between_files

UNDOABLE = ("quarantine", "protect")


@dataclass(frozen=True)
class Pending:
    """A recorded change not yet undone. `current` is what holds the bytes now (the quarantined
    copy, the encrypted file), `original` where they go back; both OS paths."""

    entry: dict[str, Any]
    current: str
    original: str
    meta: FileMeta
    refused: str | None = None

    @property
    def action(self) -> str:
        return str(self.entry["action"])

    @property
    def path(self) -> str:
        return str(self.entry.get("original", self.original))

    @property
    def needs_password(self) -> bool:
        return self.action == "protect" and self.refused is None


def pending(journal_path: str) -> list[Pending]:
    """The undoable changes in a journal, oldest first, each checked against the disk now."""
    entries = read(journal_path)
    done = {e.get("id") for e in entries if e["action"] == "restore"}
    out = []
    for number, e in enumerate(entries, 1):
        if e["action"] not in UNDOABLE or e.get("id") in done:
            continue
        try:
            meta = FileMeta.from_dict(e)
        except (KeyError, TypeError, ValueError):
            raise RemedyError(f"{journal_path}: entry {number} lacks the file's mode, owner or times") from None
        original = os_path(e, "original")
        if e["action"] == "quarantine":
            current = quarantine.stored_path(journal_path, e, number)
            refused = quarantine.refusal(e, current, original)
        else:
            current = os_path(e, "result")
            refused = protect.refusal(e, current, original)
        out.append(Pending(e, current, original, meta, refused))
    return out


def undo(items: Sequence[Pending], journal_path: str, password: str | None = None) -> list[Outcome]:
    journal = Journal(journal_path)
    outcomes: list[Outcome] = []
    with stop_between_files() as stop:
        for item in items:
            stop.check()
            outcomes.append(_undo_one(item, journal, journal_path, password))
        stop.check()
    return outcomes


def _undo_one(item: Pending, journal: Journal, journal_path: str, password: str | None) -> Outcome:
    if item.refused:
        return Outcome(item.path, "skip", False, item.refused)
    if item.action == "quarantine":
        why, notes = quarantine.put_back(item.entry, item.current, item.original, item.meta)
    elif password is None:
        why, notes = "no password given", []
    else:
        why, notes = protect.decrypt_back(item.entry, item.current, item.original, item.meta, password)
    if why:
        return Outcome(item.path, "skip", False, why)
    journal.append(
        {
            "action": "restore",
            "id": item.entry.get("id"),
            "undoes": item.action,
            **path_fields("original", item.original),
        }
    )
    if item.action == "quarantine":
        quarantine.drop(journal_path, item.current)
    elif item.current != item.original:  # a 7z archive beside the restored original
        if is_share(item.current):
            with contextlib.suppress(OSError):  # already gone (an interrupted protect)
                ShareFile.at(item.current).remove()
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(item.current)
    return Outcome(item.path, "restore", True, item.original, tuple(notes))
