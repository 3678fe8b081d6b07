"""What every container extractor (archive, compressed file, mail) shares: the budget of inflated
bytes, safe member names, and the bookkeeping that keeps every member accounted for.

Nothing is ever written to disk: members are bytes in memory, named for the report only.

Limits (model.Limits) and how they surface:
- `max_members`: entries (files, links, encrypted members…) considered per container; the rest is
  one note on the container. The same number bounds the members of one top-level file across
  every level of nesting (`Budget.admit_members`): a 42.zip-style bomb multiplies a few members per
  level into millions, and is cut short as one failed entry (`ArchiveBomb`).
- `max_inflated_bytes`: one `Budget` per top-level file, threaded through scan.scan_bytes into
  every nested container, charged with every byte a container inflates; a member that does not
  fit is an unread member ("inflated size limit reached").
- `max_ratio`: inflated / compressed size of one member (or of a whole compressed stream when the
  format has no per-member sizes); checked only above `RATIO_FLOOR` bytes, because small, very
  repetitive files (an empty-column CSV) legitimately compress hundreds of times.
A member that is skipped or unreadable is an `UnreadMember`: scan.py reports it as a skipped or
failed file of its own (`outer!name` + reason), so the report accounts for it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pii_audit.errors import ArchiveBomb
from pii_audit.model import Extraction, Limits, Member, Segment

RATIO_FLOOR = 1024 * 1024  # below this many inflated bytes, no ratio can make a bomb
NOTE_CAP = 20  # notes per container, then one summary line
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class Budget:
    """Inflated bytes left for one top-level file, across every level of nesting. Mutable on
    purpose and local to the worker that scans the file: it never crosses a process boundary."""

    limit: int
    used: int = 0
    members: int = 0

    def admit_members(self, count: int, limit: int) -> None:
        """Count the members a nested container yielded; ArchiveBomb past `limit` in all."""
        self.members += count
        if self.members > limit:
            raise ArchiveBomb(f"zip bomb: member limit across nesting (more than {limit} members in one file)")

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def charge(self, size: int) -> None:
        self.used += size


@dataclass(frozen=True)
class UnreadMember(Member):
    """A member that was seen but not read (a link, an encrypted member, a bomb, over budget) or
    could not be read (damaged). `status` is "skipped" or "failed", as for a file."""

    reason: str = ""
    status: str = "skipped"


class ContainerExtractor(Protocol):
    """A format whose extraction yields members. Unlike `Extractor` it needs the member's name
    (a gzip member is named after it), the limits and the running budget."""

    format: str

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction: ...


def safe_name(raw: str) -> str:
    """A member name that cannot climb out of its container or spoof a report line: `/`
    separators, no drive letter, no absolute root, no `.`/`..` components, no control characters.
    Returns "" when nothing is left (the caller names the member by position)."""
    name = _CONTROL.sub("_", raw.replace("\\", "/"))
    name = _DRIVE.sub("", name)
    parts = [p for p in name.split("/") if p not in ("", ".", "..")]
    return "/".join(parts)


def fix_surrogates(text: str) -> str:
    """Names decoded with `surrogateescape` (tar, mail headers in raw 8-bit) keep undecodable
    bytes as lone surrogates: decode those bytes as UTF-8, else CP949 (Korean Windows tools)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    for codec in ("utf-8", "cp949"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


@dataclass
class Members:
    """Collects one container's members under safe, unique names, within `max_members`."""

    limits: Limits
    budget: Budget
    members: list[Member] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped: int = 0
    _names: set[str] = field(default_factory=set)
    _extra_notes: int = 0

    def admit(self) -> bool:
        """Count one entry against `max_members`; False (and counted as dropped) past it."""
        if len(self.members) >= self.limits.max_members:
            self.dropped += 1
            return False
        return True

    def name(self, raw: str, fallback: str) -> str:
        """A safe, unique report name for the raw member name."""
        name = safe_name(raw) or fallback
        if name != raw and raw:
            self.note(f"member name made safe: {raw!r} -> {name!r}")
        if name in self._names:
            stem, ext = posixpath.splitext(name)
            n = 2
            while f"{stem}~{n}{ext}" in self._names:
                n += 1
            name = f"{stem}~{n}{ext}"
        self._names.add(name)
        return name

    def add(self, name: str, data: bytes) -> None:
        self.members.append(Member(name=name, data=data))

    def skip(self, name: str, reason: str, status: str = "skipped") -> None:
        self.members.append(UnreadMember(name=name, data=b"", reason=reason, status=status))

    def cap(self, size: int, compressed: int | None) -> tuple[int, str]:
        """How many bytes a member may inflate to, and the reason to give when it inflates to
        more: the budget left, or the ratio limit times its compressed size."""
        cap, reason = self.budget.remaining, self.over_budget()
        if compressed is not None:
            by_ratio = max(RATIO_FLOOR, int(compressed * self.limits.max_ratio))
            if by_ratio < cap:
                cap, reason = by_ratio, f"compression bomb suspected: ratio over {self.limits.max_ratio:g}"
        return cap, reason

    def over_budget(self) -> str:
        return f"inflated size limit reached ({self.limits.max_inflated_bytes} bytes per top-level file)"

    def note(self, text: str) -> None:
        if len(self.notes) < NOTE_CAP:
            self.notes.append(text)
        else:
            self._extra_notes += 1

    def extraction(self, format: str, segments: Sequence[Segment] = (), notes: Sequence[str] = ()) -> Extraction:
        all_notes = [*notes, *self.notes]
        if self._extra_notes:
            all_notes.append(f"{self._extra_notes} more notes not shown")
        if self.dropped:
            all_notes.append(f"member limit reached: members past the first {self.limits.max_members} not scanned")
        return Extraction(format=format, segments=tuple(segments), notes=tuple(all_notes), members=tuple(self.members))
