"""Files grouped by whom to send them to: the owner's worklist (the files with personal data they
own, worst first, with what to do about each), and the same grouping by folder."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pii_audit.i18n import N_, Translator
from pii_audit.reach import ACTIONS, action_word
from pii_audit.report.view import FileView, ReportView

UNKNOWN_OWNER = N_("(owner unknown)")


@dataclass(frozen=True)
class Group:
    """Files of one owner (or folder) that hold personal data, in rank order (worst first)."""

    name: str
    files: tuple[FileView, ...]

    @property
    def exposed_people(self) -> int:
        """Exposed people summed over the files (one person in two files counts twice)."""
        return sum(f.exposed_persons for f in self.files)

    @property
    def worst(self) -> FileView:
        return self.files[0]

    def action_counts(self) -> dict[str, int]:
        """Files per action, in the order of ACTIONS."""
        counts = Counter(a for f in self.files for a in f.actions)
        return {a: counts[a] for a in ACTIONS if counts[a]}

    def actions_in_words(self, tr: Translator | None = None) -> str:
        return "; ".join(f"{action_word(a, tr)} ({n})" for a, n in self.action_counts().items())


def owner_name(name: str, tr: Translator) -> str:
    """An owner as people read it: `(owner unknown)` in the report's language."""
    return tr.gettext(UNKNOWN_OWNER) if name == UNKNOWN_OWNER else name


def owner_of(f: FileView) -> str:
    return f.owner or UNKNOWN_OWNER


def folder_of(f: FileView) -> str:
    """The folder of the file on disk or share (a member is filed under its container's folder)."""
    outer = f.outer
    return outer.rsplit("/", 1)[0] if "/" in outer else "."


def groups(view: ReportView, key: Callable[[FileView], str]) -> tuple[Group, ...]:
    """Scanned files with a score, grouped by `key`; the group holding the worst file first."""
    by: dict[str, list[FileView]] = {}
    for f in _at_risk(view.files):
        by.setdefault(key(f), []).append(f)
    out = [Group(name, tuple(sorted(files, key=lambda f: f.rank))) for name, files in by.items()]
    out.sort(key=lambda g: (g.worst.rank, g.name))
    return tuple(out)


def by_owner(view: ReportView) -> tuple[Group, ...]:
    return groups(view, owner_of)


def by_folder(view: ReportView) -> tuple[Group, ...]:
    return groups(view, folder_of)


def _at_risk(files: Iterable[FileView]) -> Iterable[FileView]:
    return (f for f in files if f.status == "scanned" and f.risk_score > 0)


_UNSAFE = re.compile(r"[^\w.@-]+")


def file_name(owner: str, taken: set[str]) -> str:
    """A worklist file name for an owner (`alice.xlsx`, `DOMAIN_bob.xlsx`, `owner-unknown.xlsx`),
    distinct from those in `taken` (which it joins)."""
    stem = "owner-unknown" if owner == UNKNOWN_OWNER else _UNSAFE.sub("_", owner).strip("._") or "owner"
    stem = stem[:80]
    name, n = f"{stem}.xlsx", 2
    while name.lower() in taken:
        name, n = f"{stem}-{n}.xlsx", n + 1
    taken.add(name.lower())
    return name
