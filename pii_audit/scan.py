"""scan_one: one file from bytes to FileResults, inside the worker.

Raw values exist only here: findings leave with a mask and a keyed fingerprint, and with the
raw text only when the run reveals. A bad file is a value (skipped/failed + reason), never an
exception out of this function. A container (archive, mail) yields a result for itself and one
for every member, as `outer!member`, down to `Limits.max_depth`.
"""

from __future__ import annotations

import io
import itertools
import logging
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace as _replace
from typing import TYPE_CHECKING, BinaryIO

from pii_audit.detect.sensitive import categories_in
from pii_audit.errors import ArchiveBomb, ExtractError
from pii_audit.extract.container import Budget, UnreadMember
from pii_audit.extract.delimited import Misaligned
from pii_audit.extract.empty import DOCUMENT_FORMATS, empty_file_note
from pii_audit.extract.registry import extract, sniff
from pii_audit.extract.stream import STREAM_BYTES, open_range, read_lines, segments, stream_lines
from pii_audit.fingerprint import fingerprint
from pii_audit.interrupt import DeadlineExceeded, run_with_deadline
from pii_audit.mask import mask
from pii_audit.model import (
    Extraction,
    FileRef,
    FileResult,
    Finding,
    Limits,
    Location,
    Segment,
    SegmentKind,
    Status,
)
from pii_audit.options import AuditOptions
from pii_audit.packed import RecordsBuilder
from pii_audit.paths import member_path_bytes
from pii_audit.records import KEYED_TYPES, Linked, link, row_record
from pii_audit.source.interface import TableStore
from pii_audit.source.registry import store_for
from pii_audit.split import Chunk, ChunkResult

if TYPE_CHECKING:  # the detector (Presidio, spaCy, Kiwi) is imported only where it is built
    from pii_audit.detect.engine import Detection, Detector

log = logging.getLogger(__name__)


def open_binary(ref: FileRef) -> AbstractContextManager[BinaryIO]:
    """The file open for reading, through its store; nothing about it changes (no lock, no atime)."""
    return store_for(ref.location).open(ref)


def read_bytes(ref: FileRef, limit: int) -> bytes:
    """Up to `limit + 1` bytes: one more than the limit tells a file that is too large."""
    return store_for(ref.location).read(ref, limit)


def _too_big(opts: AuditOptions) -> str:
    return f"larger than the size limit ({opts.max_file_bytes} bytes)"


def scan_one(ref: FileRef, opts: AuditOptions, detector: Detector) -> list[FileResult]:
    """Every result for one file seen by a source: the file itself, then its members if any."""
    if ref.skip_reason:
        return [FileResult(ref=ref, status=Status.SKIPPED, reason=ref.skip_reason)]
    started = time.perf_counter()
    try:
        return run_with_deadline(lambda: _read_and_scan(ref, opts, detector), opts.deadline_for(ref.size))
    except DeadlineExceeded as exc:
        reason = str(exc)
        seconds = round(time.perf_counter() - started, 4)
        partial = exc.partial if isinstance(exc.partial, FileResult) else None
        if partial is not None and partial.ref == ref:
            return [_replace(partial, status=Status.FAILED, reason=reason, seconds=seconds)]
        own = FileResult(ref=ref, status=Status.FAILED, reason=reason, seconds=seconds)
        return [own] + ([_replace(partial, status=Status.FAILED, reason=reason)] if partial else [])


def _read_and_scan(ref: FileRef, opts: AuditOptions, detector: Detector) -> list[FileResult]:
    store = store_for(ref.location)
    if isinstance(store, TableStore):
        return _scan_table(ref, store, opts, detector)
    big = ref.size is not None and ref.size > min(STREAM_BYTES, opts.max_file_bytes)
    if big:  # CSV, TSV and text are read as a stream at any size; other formats must fit the limit
        try:
            with open_binary(ref) as fh:
                streamed = _scan_stream(ref, fh, opts, detector)
        except OSError as exc:
            return [
                FileResult(ref=ref, status=Status.FAILED, reason=f"cannot read: {exc.strerror or type(exc).__name__}")
            ]
        if streamed is not None:
            return [streamed]
        if ref.size is not None and ref.size > opts.max_file_bytes:
            return [FileResult(ref=ref, status=Status.SKIPPED, reason=_too_big(opts))]
    try:
        data = read_bytes(ref, opts.max_file_bytes)
    except OSError as exc:
        return [_cannot_read(ref, exc)]
    if len(data) > opts.max_file_bytes:
        return [FileResult(ref=ref, status=Status.SKIPPED, reason=_too_big(opts))]
    return scan_bytes(ref, data, opts, detector, depth=0)


def _scan_table(ref: FileRef, store: TableStore, opts: AuditOptions, detector: Detector) -> list[FileResult]:
    """A database table: its rows as a sheet's, then the documents in its binary columns as members."""
    started = time.perf_counter()
    try:
        extraction = store.table(ref, opts.db_sample)
    except OSError as exc:
        return [_cannot_read(ref, exc)]
    except ExtractError as exc:
        return [_unreadable(ref, exc, started)]
    results = [_analyse(ref, extraction, opts, detector, started)]
    try:
        for member in store.documents(ref, opts.db_sample):  # one at a time: each is its own file
            path = f"{ref.path}!{member.name}"
            child = FileRef(path=path, location=f"{ref.location}!{member.name}", size=len(member.data))
            results.extend(scan_bytes(child, member.data, opts, detector, depth=1))
    except OSError as exc:
        note = f"documents in binary columns not all read: {exc.strerror or type(exc).__name__}"
        results[0] = _with_note(results[0], note)
    return results


def _cannot_read(ref: FileRef, exc: OSError) -> FileResult:
    return FileResult(ref=ref, status=Status.FAILED, reason=f"cannot read: {exc.strerror or type(exc).__name__}")


def _scan_stream(ref: FileRef, fh: BinaryIO, opts: AuditOptions, detector: Detector) -> FileResult | None:
    """A large CSV, TSV or text file, analysed while it is read; None for other formats."""
    started = time.perf_counter()
    name = ref.path.rsplit("/", 1)[-1]
    try:
        extraction = stream_lines(fh, name)
    except ExtractError as exc:
        return _unreadable(ref, exc, started)
    if extraction is None:
        return None
    return _analyse(ref, extraction, opts, detector, started)


def _unreadable(ref: FileRef, exc: ExtractError, started: float) -> FileResult:
    reason = str(exc) or type(exc).__name__
    return FileResult(
        ref=ref,
        status=Status(exc.status),
        reason=reason,
        encrypted=reason.startswith("encrypted"),
        seconds=round(time.perf_counter() - started, 4),
    )


def inflation_limit(data: bytes, name: str, limits: Limits) -> str | None:
    """Why a zip-based document (xlsx, docx, …) would cost too much to open, or None.

    Its parts are inflated whole by the format libraries, so a bomb must be refused before
    extraction. Declared sizes bound what `zipfile` will inflate, so checking them suffices.
    Containers (plain zip archives) apply the limits member by member themselves.
    """
    if not data.startswith(b"PK\x03\x04") or sniff(data, name) == "zip":
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None  # the extractor reports the damage
    if len(infos) > limits.max_members:
        return f"limit: more than {limits.max_members} parts"
    if sum(i.file_size for i in infos) > limits.max_inflated_bytes:
        return f"limit: inflates to more than {limits.max_inflated_bytes} bytes (zip bomb?)"
    for info in infos:
        # Tiny parts compress at any ratio; only large ones can be bombs.
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            return f"limit: a part inflates more than {limits.max_ratio:g} times (zip bomb?)"
    return None


def scan_bytes(
    ref: FileRef, data: bytes, opts: AuditOptions, detector: Detector, depth: int, budget: Budget | None = None
) -> list[FileResult]:
    """`budget`: inflated bytes and members left for the top-level file, shared by every container
    inside it. Members multiplied by nesting past `max_members` (ArchiveBomb) make the top-level
    file one failed entry: what its members yielded before is dropped with them, and the report
    stays one line long instead of listing a 42.zip's million leaves."""
    started = time.perf_counter()
    try:
        return _scan_bytes(ref, data, opts, detector, depth, budget or Budget(opts.limits.max_inflated_bytes))
    except ArchiveBomb as exc:
        return [_unreadable(ref, exc, started)]


def _scan_bytes(
    ref: FileRef, data: bytes, opts: AuditOptions, detector: Detector, depth: int, budget: Budget
) -> list[FileResult]:
    started = time.perf_counter()
    name = ref.path.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    limit = inflation_limit(data, name, opts.limits)
    if limit:
        seconds = round(time.perf_counter() - started, 4)
        return [FileResult(ref=ref, status=Status.SKIPPED, reason=limit, seconds=seconds)]
    try:
        extraction = extract(data, name, opts.limits, budget, ocr=opts.ocr, stream=True)
    except ExtractError as exc:  # an overlapping-entries bomb too: it fails alone, as any damaged member
        return [_unreadable(ref, exc, started)]
    if extraction.members:
        budget.admit_members(len(extraction.members), opts.limits.max_members)
    own = _analyse(ref, extraction, opts, detector, started)
    results = [own]
    if extraction.members:
        too_deep = depth + 1 > opts.limits.max_depth
        if too_deep:
            results[0] = _with_note(own, f"members not scanned: nesting deeper than {opts.limits.max_depth}")
        for member in extraction.members:
            child = FileRef(
                path=f"{ref.path}!{member.name}",
                location=f"{ref.location}!{member.name}",
                size=len(member.data),
                mtime=ref.mtime,
                access=ref.access,  # a member is as exposed as its container, and has the same owner
                created=ref.created,
                path_bytes=member_path_bytes(ref.path_bytes, f"!{member.name}"),
            )
            # Members not read (links, encrypted, bombs, limits) are reported, never dropped.
            if too_deep:
                reason = f"not scanned: nesting deeper than {opts.limits.max_depth}"
                results.append(FileResult(ref=child, status=Status.SKIPPED, reason=reason))
            elif isinstance(member, UnreadMember):
                results.append(
                    FileResult(
                        ref=_replace(child, size=None),
                        status=Status(member.status),
                        reason=member.reason,
                        encrypted=member.reason.startswith("encrypted"),
                    )
                )
            else:
                results.extend(_scan_bytes(child, member.data, opts, detector, depth + 1, budget))
    return results


def _with_note(result: FileResult, note: str) -> FileResult:
    return _replace(result, notes=(*result.notes, note))


_GROUP = 256  # segments handed to the detector at once; findings are kept group by group under a deadline


def _detections(detector: Detector, texts: list[str]) -> Iterator[list[Detection]]:
    """Many short segments (table rows) go to the detector together: far fewer Presidio calls.
    A detector without `detect_many` is asked one segment at a time."""
    many = getattr(detector, "detect_many", None)
    if many is None:
        for text in texts:
            yield detector.detect(text)
    else:
        yield from many(texts)


def _groups(segments: Iterable[Segment]) -> Iterator[list[Segment]]:
    """Segments in groups of `_GROUP`, read as they come: a streamed sheet is never held whole."""
    it = iter(segments)
    while True:
        group: list[Segment] = []
        try:
            for segment in it:
                group.append(segment)
                if len(group) == _GROUP:
                    break
        except ExtractError:  # a stream that breaks: the rows read before the damage are analysed first
            if group:
                yield group
            raise
        if not group:
            return
        yield group


class _Tally:
    """What one file's findings add up to, kept as they stream past: every person record and the
    count of every entity type, but only the first `max_findings` findings themselves (memory stays bounded
    on a million-row sheet; counts, records and people stay exact)."""

    def __init__(self, opts: AuditOptions, limit: int | None = None) -> None:
        self.opts = opts
        self.limit = (opts.max_findings or None) if limit is None else limit  # None: list every finding
        self.findings: list[Finding] = []
        self.records = RecordsBuilder()  # packed: a million rows make a million records
        self.counts: Counter[str] = Counter()
        self.context: set[str] = set()
        self.segments = 0

    def add(self, segment: Segment, detections: list[Detection]) -> None:
        opts = self.opts
        self.segments += 1
        self.context |= categories_in(segment.text)
        if opts.min_confidence:
            detections = [d for d in detections if d.score >= opts.min_confidence]
        if not detections:
            return
        row = segment.kind is SegmentKind.ROW
        linked: list[Linked] = []
        for det in detections:
            self.counts[det.entity_type] += 1
            listed = self.limit is None or len(self.findings) < self.limit
            if listed or det.entity_type in KEYED_TYPES:
                raw = segment.text[det.start : det.end]
                keyed = fingerprint(opts.key, det.entity_type, raw)
                if listed:
                    self.findings.append(_finding(segment, det, raw, keyed, opts))
            else:  # counted, not listed, and no record reads it: no HMAC (half the values of a roster row)
                keyed = ""
            # block 0: one segment at a time (positional: a million-row sheet makes millions of these)
            linked.append(Linked(0, row, det.start, det.entity_type, keyed, det.north_korean))
        if row:  # a row is one record
            record = row_record(opts.key, linked)
            if record is not None:
                self.records.append(record)
            return
        for record in link(opts.key, linked):  # a segment is a block: records never span two
            self.records.append(record)

    def result(self, ref: FileRef, extraction: Extraction, status: Status, seconds: float) -> FileResult:
        notes = extraction.notes
        if not self.segments and not notes and status is Status.SCANNED and extraction.format in DOCUMENT_FORMATS:
            notes = (empty_file_note(extraction.format),)  # a streamed document that gave nothing: say so
        listed = len(self.findings)
        total = sum(self.counts.values())
        if total > listed:
            notes = (*notes, f"{total - listed} findings beyond the first {listed} are counted, not listed")
        return FileResult(
            ref=ref,
            status=status,
            format=extraction.format,
            findings=tuple(self.findings),
            records=self.records.build(),
            entity_counts=tuple(sorted(self.counts.items())),
            context_terms=tuple(sorted(self.context)),
            seconds=seconds,
            notes=notes,
        )


def _analyse(
    ref: FileRef, extraction: Extraction, opts: AuditOptions, detector: Detector, started: float
) -> FileResult:
    tally = _Tally(opts)
    try:
        _feed(tally, extraction.segments, detector)
    except DeadlineExceeded as exc:
        # Keep what was found before the deadline: a half-scanned roster still exposes people.
        partial = tally.result(ref, extraction, Status.FAILED, 0.0)
        note = f"findings kept from the first {tally.segments} segments"
        exc.partial = _replace(partial, reason=str(exc), notes=(*partial.notes, note))
        raise
    except ExtractError as exc:  # a streamed file that breaks part-way: what was read still counts
        partial = tally.result(ref, extraction, Status(exc.status), round(time.perf_counter() - started, 4))
        note = f"findings kept from the first {tally.segments} segments"
        return _replace(partial, reason=str(exc) or type(exc).__name__, notes=(*partial.notes, note))
    return tally.result(ref, extraction, Status.SCANNED, round(time.perf_counter() - started, 4))


def _feed(tally: _Tally, segments: Iterable[Segment], detector: Detector) -> None:
    for group in _groups(segments):
        for segment, detections in zip(group, _detections(detector, [s.text for s in group]), strict=True):
            tally.add(segment, detections)


def scan_chunk(chunk: Chunk, opts: AuditOptions, detector: Detector, limit: int | None = None) -> ChunkResult:
    """One range of a split file (pii_audit/split.py), read as the single reader reads it there.
    `limit`: findings to list at most (the file's first ranges may have listed them all already)."""
    started = time.perf_counter()
    tally = _Tally(opts, limit)
    status, reason, stopped = Status.SCANNED, None, False
    try:
        run_with_deadline(lambda: _feed(tally, _chunk_segments(chunk, opts), detector), opts.deadline_for(chunk.size))
    except Unsplit:
        return ChunkResult(number=chunk.number, status=Status.FAILED, unsplit=True)
    except DeadlineExceeded as exc:
        status, reason = Status.FAILED, str(exc)
    except ExtractError as exc:  # where the single reader stops too
        status, reason, stopped = Status(exc.status), str(exc) or type(exc).__name__, True
    except OSError as exc:
        status, reason = Status.FAILED, f"cannot read: {exc.strerror or type(exc).__name__}"
    return ChunkResult(
        number=chunk.number,
        status=status,
        reason=reason,
        findings=tuple(tally.findings),
        records=tally.records.build(),
        counts=tuple(sorted(tally.counts.items())),
        context=tuple(sorted(tally.context)),
        segments=tally.segments,
        seconds=round(time.perf_counter() - started, 4),
        stopped=stopped,
    )


class Unsplit(Exception):
    """The file cannot be read in ranges as the single reader reads it: read it whole."""


def _chunk_segments(chunk: Chunk, opts: AuditOptions) -> Iterator[Segment]:
    if chunk.rows is not None:
        yield from _sheet_segments(chunk, opts)
        return
    assert chunk.dialect is not None
    with open_binary(chunk.ref) as fh:
        lines = read_lines(open_range(fh, chunk.start, chunk.end), chunk.dialect.encoding, first=chunk.number == 0)
        if chunk.start_at.end_mark is not None:
            lines = itertools.chain(lines, (chunk.start_at.end_mark + "\n",))
        try:
            yield from segments(lines, chunk.dialect, chunk.start_at)
        except Misaligned:
            raise Unsplit() from None


def _sheet_segments(chunk: Chunk, opts: AuditOptions) -> Iterator[Segment]:
    """The segments of a workbook's range of rows: the workbook is read as `_scan_bytes` reads it,
    up to the end of the range. Anything else than a workbook read as rows is read whole."""
    assert chunk.rows is not None
    data = read_bytes(chunk.ref, opts.max_file_bytes)
    name = chunk.ref.path.rsplit("/", 1)[-1]
    if len(data) > opts.max_file_bytes or inflation_limit(data, name, opts.limits):
        raise Unsplit()
    try:
        extraction = extract(data, name, opts.limits, Budget(opts.limits.max_inflated_bytes), ocr=opts.ocr, stream=True)
    except ExtractError:
        raise Unsplit() from None
    if extraction.format != chunk.format or extraction.members or extraction.notes:
        raise Unsplit()
    del data
    first, end = chunk.rows
    yield from itertools.islice(extraction.segments, first, end)


def _finding(segment: Segment, det: Detection, raw: str, keyed: str, opts: AuditOptions) -> Finding:
    return Finding(
        entity_type=det.entity_type,
        score=det.score,
        location=locate(segment, det.start, det.end),
        masked=mask(det.entity_type, raw),
        fingerprint=keyed,
        text=raw if opts.reveal else None,
        north_korean=det.north_korean,
        note=det.note,
    )


def locate(segment: Segment, start: int, end: int) -> Location:
    """The finding's location: its cell (offsets within the cell value) or its line."""
    base = segment.location
    for field in segment.fields:
        if field.start <= start < field.end or (start < field.end and end > field.start):
            return Location(
                line=base.line,
                page=base.page,
                sheet=base.sheet,
                cell=field.cell,
                start=max(0, start - field.start),
                end=min(field.end, end) - field.start,
            )
    line = base.line + segment.text.count("\n", 0, start) if base.line is not None else None
    return Location(line=line, page=base.page, sheet=base.sheet, cell=base.cell, start=start, end=end)
