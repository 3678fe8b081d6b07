"""Frozen data that flows between stages. Only plain, picklable values live here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum


class Audience(str, Enum):
    """Who can read a file, widest first. `unknown`: the source could not tell (it neither raises
    nor lowers a score)."""

    EVERYONE = "everyone"  # anyone with an account, or the public (o+r, Everyone, public-read)
    ORGANISATION = "organisation"  # a group, named accounts, authenticated or domain users
    OWNER_ONLY = "owner-only"
    UNKNOWN = "unknown"

    @property
    def order(self) -> int:
        """Position in AUDIENCES (everyone=0 … unknown=3): sorts files by how wide their audience is."""
        return AUDIENCES.index(self)


AUDIENCES: tuple[Audience, ...] = tuple(Audience)


@dataclass(frozen=True)
class Access:
    """Who owns a file and who can read it, as its source reports. `readers` names who besides the
    owner can read it (`Everyone`, `group staff`, `BUILTIN\\Users`), `basis` says from what
    (`mode 0640`, `POSIX ACL`, `DACL`, `bucket policy`), and `inherited` is true when the audience
    comes from where the file is (a folder or bucket) rather than the file itself, so moving the
    file is what fixes it."""

    owner: str | None = None
    audience: Audience = Audience.UNKNOWN
    readers: tuple[str, ...] = ()
    basis: str | None = None
    inherited: bool = False


UNKNOWN_ACCESS = Access()


class Status(str, Enum):
    SCANNED = "scanned"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class FileRef:
    """A file to scan. `path` is what reports show (relative, `/`, `!` for members);
    `location` is how to open it: an absolute local path, or a store's URL without a password
    (source/registry.py picks the store that opens it)."""

    path: str
    location: str
    size: int | None = None
    mtime: float | None = None
    access: Access = UNKNOWN_ACCESS  # owner and audience; archive and mail members inherit their container's
    created: float | None = None  # creation time where the store records one (SMB), epoch seconds
    skip_reason: str | None = None  # set by the source for files it will not open (FIFOs, links out of the root…)
    path_bytes: str | None = None  # base64 of the path's bytes when they are not UTF-8 (see paths.py)
    etag: str | None = None  # a remote store's version tag (S3, WebDAV): the cache trusts it over mtime

    @property
    def world_readable(self) -> bool:
        return self.access.audience is Audience.EVERYONE


@dataclass(frozen=True)
class Location:
    """Where in a file. `start`/`end` are offsets in the cell value when there is a cell,
    otherwise in the extracted segment."""

    line: int | None = None
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "page": self.page,
            "sheet": self.sheet,
            "cell": self.cell,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Field:
    """A labelled value inside a segment: a table cell under its column header, or the value
    of a `key: value` pair. `start`/`end` delimit the value in `Segment.text`."""

    label: str | None
    start: int
    end: int
    cell: str | None = None


class SegmentKind(str, Enum):
    ROW = "row"  # one table row: one record
    PROSE = "prose"  # a paragraph or block of lines: records by proximity


@dataclass(frozen=True)
class Segment:
    """A unit of extracted text. A table row is rendered as `header: value` lines with a
    Field per cell, so a column header gives context to its cell and a row stays one record.
    `location.line` is the line of the segment's first character (for text formats)."""

    text: str
    location: Location
    kind: SegmentKind = SegmentKind.PROSE
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Member:
    """A file inside a container (archive member, mail attachment): scanned as a file of its own,
    reported as `outer!name`."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may cost. A limit hit is reported on the file, never fatal."""

    max_depth: int = 5  # containers inside containers
    max_members: int = 10_000  # members per container
    max_inflated_bytes: int = 1024 * 1024 * 1024  # total bytes unpacked from one top-level file
    max_ratio: float = 200.0  # inflated / compressed size of one member


@dataclass(frozen=True)
class Extraction:
    """`segments` is a tuple from `extract`, or an iterator to consume once from a streaming read
    (`stream`: rows are read as they are analysed, so a huge sheet or CSV is never held whole)."""

    format: str
    segments: Iterable[Segment]
    notes: tuple[str, ...] = ()
    members: tuple[Member, ...] = ()  # containers: what to scan next, one level down


@dataclass(frozen=True)
class Finding:
    """One detected value. `text` is the raw value and is only filled when the run reveals;
    `fingerprint` is a keyed HMAC of the normalised value (identity without the value)."""

    entity_type: str
    score: float
    location: Location
    masked: str
    fingerprint: str
    text: str | None = None
    north_korean: bool = False
    note: str | None = None  # e.g. an RRN whose check digit does not match (reported, with a lower score)


_TYPE_SETS: dict[frozenset[str], frozenset[str]] = {}


def type_set(types: Iterable[str]) -> frozenset[str]:
    """One shared frozenset per combination of entity types: a million-row roster has a handful
    of combinations, so its records share them instead of holding a million sets."""
    key = frozenset(types)
    return _TYPE_SETS.setdefault(key, key)


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """Findings that describe one person: a table row, or a name and what follows it.
    Build it with `type_set(...)` for `entity_types` (records are many; their type sets are few)."""

    entity_types: frozenset[str]
    key: str | None  # keyed fingerprint of what identifies the person (ID, or name + birth date)

    @property
    def has_identity(self) -> bool:
        return bool(self.entity_types & {"PERSON", "KR_RRN", "KR_FRN", "KR_PASSPORT", "KR_DRIVER_LICENSE"})

    @property
    def has_birth(self) -> bool:
        return bool(self.entity_types & {"DATE_OF_BIRTH", "KR_RRN", "KR_FRN"})

    @property
    def has_address(self) -> bool:
        return "ADDRESS" in self.entity_types

    @property
    def exposed(self) -> bool:
        """A name, birth date or ID tied to where the person lives."""
        return self.has_address and (self.has_identity or self.has_birth)

    @property
    def identity_complete(self) -> bool:
        return self.has_address and self.has_identity and self.has_birth


@dataclass(frozen=True)
class FileResult:
    """`findings` lists at most `AuditOptions.max_findings` values (the first ones, in reading
    order); `entity_counts` counts every value found, listed or not, and `records` holds every
    person record. An empty `entity_counts` means "count the listed findings" (results built by
    hand, or files that found nothing). `findings` is a tuple, or an `EncodedFindings` sequence
    read back from the cache and decoded on first use."""

    ref: FileRef
    status: Status
    format: str | None = None
    reason: str | None = None
    findings: Sequence[Finding] = ()
    records: Sequence[PersonRecord] = ()  # a tuple, or `packed.PackedRecords` from a scan
    entity_counts: tuple[tuple[str, int], ...] = ()
    context_terms: tuple[str, ...] = ()  # sensitive-context categories seen (e.g. "defector")
    encrypted: bool = False
    seconds: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """Values found per entity type, listed or not, sorted by type."""
        if self.entity_counts:
            return dict(self.entity_counts)
        return dict(sorted(Counter(f.entity_type for f in self.findings).items()))

    @property
    def unlisted(self) -> int:
        """Values found but not listed in `findings` (beyond the per-file cap)."""
        return max(0, sum(n for _, n in self.entity_counts) - len(self.findings)) if self.entity_counts else 0


@dataclass(frozen=True)
class Reason:
    """Why a file scores as it does, as a code and its parameters (counts, an entity type, a context
    category): rendered in the report's language by `pii_audit.reasons`, read by machines as is."""

    code: str
    params: tuple[tuple[str, int | str], ...] = ()

    def get(self, name: str, default: int | str | None = None) -> int | str | None:
        return dict(self.params).get(name, default)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class FileExposure:
    result: FileResult
    risk_score: float
    severity: str
    persons: int
    exposed_persons: int
    complete_persons: int
    reasons: tuple[Reason, ...] = ()
    rank: int = 0
    actions: tuple[str, ...] = ()  # what the owner should do, most urgent first (see ACTIONS in score.py)
    stale: bool = False  # not modified for longer than the stale threshold


@dataclass(frozen=True)
class FolderExposure:
    path: str
    risk_score: float
    severity: str
    persons: int
    files: int


@dataclass(frozen=True)
class AuditRun:
    tool_version: str
    roots: tuple[str, ...]
    started: str
    finished: str
    options: dict[str, object]
    files: tuple[FileExposure, ...]
    folders: tuple[FolderExposure, ...] = ()
    notices: tuple[str, ...] = ()
    distinct_exposed: int = 0
    distinct_persons: int = 0

    @property
    def counts(self) -> dict[str, int]:
        c = {s.value: 0 for s in Status}
        for f in self.files:
            c[f.result.status.value] += 1
        return c


SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high", "critical")


def severity_rank(name: str) -> int:
    """Position of a severity name in SEVERITIES (none=0 … critical=4)."""
    return SEVERITIES.index(name)
