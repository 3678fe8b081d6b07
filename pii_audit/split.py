"""Large CSV, TSV and text files cut into byte ranges that run on all the pool's workers, and the
ranges' results merged back into the one FileResult a single reader would have given.

Planning runs in the parent, on a local file that the single reader would stream anyway
(`scan._read_and_scan`): the dialect (encoding, delimiter, header row) is decided once from the
file's start (`stream.dialect_of`), and one pass over the bytes finds the cuts and the line
number each range starts at. A CSV/TSV cut is a newline with an even number of quote bytes
before it (UTF-8 and CP949/EUC-KR trail bytes are never `\\n` or `"`; UTF-16/32 files are not
split); a quote that CSV reads as text (`5'10"` in an unquoted field) can make that count lie,
so every range but the last proves it ended on a record boundary (`RowStart.end_mark`) and the
file is read unsplit when one did not. A text cut follows an empty line, where the single
reader's blocks end anyway. Files with a line longer than the reader's piece (a MiB) are not
split: their line numbers would not add up.

`Fold` merges the ranges' results in order: findings concatenated and cut at `max_findings`,
records concatenated (a record never spans two segments, so never two ranges), counts summed,
context terms unioned, the notes the single reader writes.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from pii_audit.extract.delimited import RowStart, header_state
from pii_audit.extract.empty import DOCUMENT_FORMATS, empty_file_note
from pii_audit.extract.encoding import MIXED
from pii_audit.extract.stream import HEAD, MAX_LINE, STREAM_BYTES, Dialect, dialect_of, open_range, read_lines
from pii_audit.model import FileRef, FileResult, Finding, Limits, Status
from pii_audit.options import AuditOptions
from pii_audit.packed import KEY_BYTES, PackedRecords
from pii_audit.source.local import open_binary
from pii_audit.source.registry import is_url

# A file is split from this size. Below the stream threshold (32 MiB) a file is loaded whole and
# its dialect decided on all of it, so only streamed files are split (scan._read_and_scan).
SPLIT_BYTES = 32 * 1024 * 1024
MAX_CHUNK_BYTES = 64 * 1024 * 1024  # bounds a range's time and the findings it sends back
_BLOCK = 8 * 1024 * 1024
# Byte encodings where `\n`, `\r` and `"` are never part of another character.
_SAFE = frozenset({"utf-8", "utf-8-sig", MIXED, "cp949", "euc_kr", "ascii", "cp1252", "iso8859-1"})
END_MARK = "\x01pii-audit: end of range\x01"
_EMPTY_LINE = re.compile(rb"\n\r?\n")
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


@dataclass(frozen=True)
class Chunk:
    """Bytes `start` to `end` of a CSV/TSV/text file, read in `dialect` from line `start_at.line`;
    or, for a workbook (`rows` set), the whole file read and segments `rows[0]` to `rows[1]` of
    it analysed (None: to the end)."""

    ref: FileRef
    number: int
    count: int
    start: int
    end: int
    format: str
    dialect: Dialect | None = None
    start_at: RowStart = RowStart()
    rows: tuple[int, int | None] | None = None

    @property
    def size(self) -> int:
        """The bytes this range costs to read (a workbook range reads the file up to its rows)."""
        if self.rows is None:
            return self.end - self.start
        return (self.ref.size or 0) * (self.number + 1) // self.count

    @property
    def notes(self) -> tuple[str, ...]:
        return self.dialect.notes if self.dialect is not None else ()

    @property
    def last(self) -> bool:
        return self.number == self.count - 1


@dataclass(frozen=True)
class ChunkResult:
    """What a worker found in one range. `stopped`: the range broke (a malformed record) where the
    single reader stops reading the file; `unsplit`: the file must be read whole instead (a range did
    not end on a record boundary; a workbook that is not read as a stream of rows)."""

    number: int
    status: Status
    reason: str | None = None
    findings: tuple[Finding, ...] = ()
    records: PackedRecords | None = None
    counts: tuple[tuple[str, int], ...] = ()
    context: tuple[str, ...] = ()
    segments: int = 0
    seconds: float = 0.0
    stopped: bool = False
    unsplit: bool = False


def splittable(ref: FileRef, opts: AuditOptions, split_bytes: int) -> bool:
    """Whether `ref` is a local file large enough to split: a CSV/TSV/text file the single reader
    streams and larger than `split_bytes`, or one that may be a workbook larger than an eighth of it
    (rows compress about tenfold in xlsx) that the single reader loads."""
    size = ref.size or 0
    if is_url(ref.location) or ref.skip_reason or not split_bytes:  # a range is read with a seek
        return False
    streamed = size > min(STREAM_BYTES, opts.max_file_bytes) and size > split_bytes
    return streamed or split_bytes // 8 < size <= opts.max_file_bytes


def plan_file(ref: FileRef, opts: AuditOptions, split_bytes: int, workers: int) -> list[Chunk] | None:
    """The ranges of a file to split across `workers`, or None to read it whole."""
    if not splittable(ref, opts, split_bytes):
        return None
    size = ref.size or 0
    if size > min(STREAM_BYTES, opts.max_file_bytes):
        if size > split_bytes:
            return plan(ref, chunk_bytes(size, workers, split_bytes))
        return None
    return plan_sheets(ref, workers, opts.limits)


def chunk_bytes(size: int, workers: int, split_bytes: int) -> int:
    """About four ranges per worker, a multiple of the workers, so that the last ones balance the
    load (three equal ranges on two workers would leave one idle a third of the time); none larger
    than 64 MiB, none smaller than a MiB (or half the split threshold, when tests lower it)."""
    count = max(4 * workers, -(-size // MAX_CHUNK_BYTES))
    count = -(-count // workers) * workers
    floor = max(4096, min(split_bytes // 2, 1024 * 1024))
    return min(MAX_CHUNK_BYTES, max(floor, size // count + 1))


def plan(ref: FileRef, target: int) -> list[Chunk] | None:
    """The ranges of `ref` (each about `target` bytes), or None when it is not split: not
    CSV/TSV/text, an encoding whose bytes cannot be cut, no cut found, a line over a MiB."""
    name = ref.path.rsplit("/", 1)[-1]
    with open_binary(ref.location) as fh:
        dialect = dialect_of(fh.read(HEAD + 1), name)
        if dialect is None or dialect.encoding not in _SAFE:
            return None
        cuts = _cuts(fh, target, dialect.delimiter is not None)
        if not cuts:
            return None
        size = fh.seek(0, 2)
        first = RowStart()
        if dialect.delimiter is not None:
            first_range = read_lines(open_range(fh, 0, cuts[0][0]), dialect.encoding)
            decided = header_state(first_range, dialect.delimiter)
            if decided is None:
                return None  # no real row in the first range: where the header is stays unknown
            first = decided
    bounds = [(0, 0), *cuts, (size, 0)]
    count = len(bounds) - 1
    chunks = []
    mark = END_MARK if dialect.delimiter is not None else None
    for number in range(count):
        (start, lines), (end, _) = bounds[number], bounds[number + 1]
        at = RowStart() if number == 0 else RowStart(line=lines + 1, headers=first.headers, first=False)
        if number < count - 1:
            at = RowStart(line=at.line, headers=at.headers, first=at.first, end_mark=mark)
        chunks.append(Chunk(ref, number, count, start, end, dialect.format, dialect, at))
    return chunks


def plan_sheets(ref: FileRef, parts: int, limits: Limits) -> list[Chunk] | None:
    """`parts` ranges of a workbook's rows, each about as many rows (counted in its sheets' XML),
    or None when it is not an xlsx or has too few rows. The workers read the workbook to the end of
    their range and analyse its rows only, so splitting costs reading it again, not detecting."""
    rows = _sheet_rows(ref.location, limits)
    if rows is None or rows < parts * 64 or parts < 2:
        return None
    size = ref.size or 0
    bounds = [rows * k // parts for k in range(parts)]
    return [
        Chunk(ref, k, parts, 0, size, "xlsx", rows=(bounds[k], bounds[k + 1] if k + 1 < parts else None))
        for k in range(parts)
    ]


def _sheet_rows(location: str, limits: Limits) -> int | None:
    """The `<row>` elements in an xlsx file's worksheets (inflated as a stream), or None; None too
    for a workbook that inflates past the limits (the worker reports it, unsplit)."""
    with open_binary(location) as fh:
        if fh.read(4) != b"PK\x03\x04":
            return None
        fh.seek(0)
        try:
            with zipfile.ZipFile(fh) as archive:
                infos = [i for i in archive.infolist() if _WORKSHEET.match(i.filename)]
                if "xl/workbook.xml" not in archive.namelist() or not infos:
                    return None
                if sum(i.file_size for i in infos) > limits.max_inflated_bytes or any(
                    i.file_size > limits.max_ratio * max(i.compress_size, 1) for i in infos
                ):
                    return None
                names = [i.filename for i in infos]
                rows = 0
                for name in names:
                    with archive.open(name) as part:
                        tail = b""
                        while block := part.read(_BLOCK):
                            data = tail + block
                            rows += data.count(b"<row") + data.count(b":row ") - tail.count(b"<row")
                            rows -= tail.count(b":row ")
                            tail = data[-8:]
                return rows
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            return None


def _cuts(fh: BinaryIO, target: int, quoted: bool) -> list[tuple[int, int]] | None:
    """(offset, lines before it) of each cut, one pass over the file; None for a line over a MiB."""
    fh.seek(0)
    cuts: list[tuple[int, int]] = []
    pos = quotes = lines = 0
    run = 0  # bytes since the last `\n`
    last = b""
    want = target
    while block := fh.read(_BLOCK):
        pieces = block.split(b"\n")
        if run + len(pieces[0]) >= MAX_LINE or (len(pieces) > 2 and max(map(len, pieces[1:-1])) >= MAX_LINE):
            return None
        run = run + len(block) if len(pieces) == 1 else len(pieces[-1])
        end = pos + len(block)
        while want < end:
            cut = _find_cut(block, max(want, pos) - pos, quotes, quoted)
            if cut is None:
                break
            cuts.append((pos + cut, lines + _count_lines(block[:cut], last)))
            want = pos + cut + target
        quotes += block.count(b'"') if quoted else 0
        lines += _count_lines(block, last)
        last = block[-1:]
        pos = end
    if run >= MAX_LINE:
        return None
    if cuts and cuts[-1][0] >= pos:
        cuts.pop()  # a cut at the very end leaves nothing after it
    return cuts


def _find_cut(block: bytes, at: int, quotes_before: int, quoted: bool) -> int | None:
    """The offset just after the first record boundary at or after `at` in `block`."""
    if not quoted:
        found = _EMPTY_LINE.search(block, max(0, at - 1))
        return found.end() if found else None
    odd = (quotes_before + block.count(b'"', 0, at)) & 1
    k = at
    while (i := block.find(b"\n", k)) != -1:
        odd ^= block.count(b'"', k, i) & 1
        if not odd:
            return i + 1
        k = i + 1
    return None


def _count_lines(data: bytes, before: bytes) -> int:
    """Line ends in `data` as the reader counts them (`\\n`, `\\r\\n`, a lone `\\r`); `before` is the
    byte before `data` (a `\\r\\n` cut between two blocks is one line end)."""
    n = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return n - 1 if before == b"\r" and data[:1] == b"\n" else n


@dataclass
class Fold:
    """The ranges' results of one file, added in range order, as one FileResult."""

    ref: FileRef
    format: str
    notes: tuple[str, ...]
    count: int
    opts: AuditOptions
    findings: list[Finding] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    context: set[str] = field(default_factory=set)
    types: list[frozenset[str]] = field(default_factory=list)
    kinds: array[int] = field(default_factory=lambda: array("H"))
    keys: bytearray = field(default_factory=bytearray)
    segments: int = 0
    seconds: float = 0.0
    added: int = 0
    stopped: ChunkResult | None = None
    failed: list[tuple[ChunkResult, Chunk | None]] = field(default_factory=list)

    @property
    def room(self) -> int | None:
        """Findings still to list (None: no limit)."""
        cap = self.opts.max_findings
        return None if not cap else max(0, cap - len(self.findings))

    def add(self, result: ChunkResult, chunk: Chunk | None = None) -> None:
        self.added += 1
        if self.stopped is not None:
            return  # the single reader stopped before this range
        room = self.room
        self.findings.extend(result.findings if room is None else result.findings[:room])
        self.counts.update(dict(result.counts))
        self.context.update(result.context)
        self.segments += result.segments
        self.seconds += result.seconds
        if result.records is not None:
            self._records(result.records)
        if result.stopped:
            self.stopped = result
        elif result.status is not Status.SCANNED:
            self.failed.append((result, chunk))

    def _records(self, records: PackedRecords) -> None:
        index = {t: i for i, t in enumerate(self.types)}
        remap = []
        for types in records.types:
            if types not in index:
                index[types] = len(self.types)
                self.types.append(types)
            remap.append(index[types])
        if remap == list(range(len(remap))):
            self.kinds.extend(records.kinds)
        else:
            self.kinds.extend(remap[k] for k in records.kinds)
        self.keys += records.keys
        assert len(self.keys) == len(self.kinds) * KEY_BYTES

    @property
    def done(self) -> bool:
        return self.added == self.count

    def result(self) -> FileResult:
        notes = self.notes
        empty = not self.segments and not notes and not self.failed and self.stopped is None
        if empty and self.format in DOCUMENT_FORMATS:
            notes = (empty_file_note(self.format),)  # a workbook that gave nothing: say so
        listed = len(self.findings)
        total = sum(self.counts.values())
        if total > listed:
            notes = (*notes, f"{total - listed} findings beyond the first {listed} are counted, not listed")
        status, reason = Status.SCANNED, None
        if self.stopped is not None:  # as the single reader: it stops at the broken record
            status, reason = self.stopped.status, self.stopped.reason
            notes = (*notes, f"findings kept from the first {self.segments} segments")
        elif self.failed:
            first, chunk = self.failed[0]
            status, reason = Status.FAILED, first.reason
            where = f", bytes {chunk.start}-{chunk.end}" if chunk is not None else ""
            notes = (
                *notes,
                f"read in {self.count} ranges by several workers; {len(self.failed)} failed (the first:"
                f" range {first.number + 1}{where}): the findings of the others are kept",
            )
        return FileResult(
            ref=self.ref,
            status=status,
            format=self.format,
            reason=reason,
            findings=tuple(self.findings),
            records=PackedRecords(tuple(self.types), array("H", self.kinds), bytes(self.keys)),
            entity_counts=tuple(sorted(self.counts.items())),
            context_terms=tuple(sorted(self.context)),
            seconds=round(self.seconds, 4),
            notes=notes,
        )


def drain(waiting: dict[int, ChunkResult], fold: Fold, chunks: Sequence[Chunk]) -> None:
    """Add to `fold` the waiting results that follow the last one added (ranges finish out of
    order), then cut the findings of those still waiting to `room_before` them: every range
    lists up to `max_findings` (100,000 by default, about 64 MB in the parent), though on a
    roster only the first range's are ever listed."""
    while fold.added in waiting:
        number = fold.added
        fold.add(waiting.pop(number), chunks[number])
    for number in sorted(waiting):  # in order: each cut counts in the room of the ranges after it
        room = room_before(fold, waiting, number)
        result = waiting[number]
        if room is not None and len(result.findings) > room:
            waiting[number] = replace(result, findings=result.findings[:room])


def room_before(fold: Fold, waiting: dict[int, ChunkResult], number: int) -> int | None:
    """The findings range `number` can still have listed (None: no limit): the cap less those
    listed and those of the waiting ranges before it. The ranges before it that have not finished
    add findings, never remove them, so the fold would list none beyond these (and cutting them
    leaves the listing as it was)."""
    room = fold.room
    if room is None:
        return None
    before = sum(len(result.findings) for n, result in waiting.items() if n < number)
    return max(0, room - before)
