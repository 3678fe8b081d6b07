"""scan_one: one file from bytes to FileResults, inside the worker.

Raw values exist only here: findings leave with a mask and a keyed fingerprint, and with the
raw text only when the run reveals. A bad file is a value (skipped/failed + reason), never an
exception out of this function. A container (archive, mail) yields a result for itself and one
for every member, as `outer!member`, down to `Limits.max_depth`.
"""

from __future__ import annotations

import logging
import os
import time

from pii_audit.detect.engine import Detection, Detector
from pii_audit.detect.sensitive import categories_in
from pii_audit.errors import ExtractError
from pii_audit.extract.registry import extract
from pii_audit.fingerprint import fingerprint
from pii_audit.mask import mask
from pii_audit.model import Extraction, FileRef, FileResult, Finding, Location, Segment, SegmentKind, Status
from pii_audit.options import AuditOptions
from pii_audit.records import Linked, link

log = logging.getLogger(__name__)


def read_bytes(ref: FileRef, limit: int) -> bytes:
    """Read without changing the file; O_NOATIME keeps the access time where the OS allows it."""
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(ref.location, flags)
    except PermissionError:
        fd = os.open(ref.location, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # O_NOATIME needs ownership
    with os.fdopen(fd, "rb") as fh:
        return fh.read(limit + 1)


def _too_big(opts: AuditOptions) -> str:
    return f"larger than the size limit ({opts.max_file_bytes} bytes)"


def scan_one(ref: FileRef, opts: AuditOptions, detector: Detector) -> list[FileResult]:
    """Every result for one file seen by a source: the file itself, then its members if any."""
    if ref.skip_reason:
        return [FileResult(ref=ref, status=Status.SKIPPED, reason=ref.skip_reason)]
    if ref.size is not None and ref.size > opts.max_file_bytes:
        return [FileResult(ref=ref, status=Status.SKIPPED, reason=_too_big(opts))]
    try:
        data = read_bytes(ref, opts.max_file_bytes)
    except OSError as exc:
        return [FileResult(ref=ref, status=Status.FAILED, reason=f"cannot read: {exc.strerror or type(exc).__name__}")]
    if len(data) > opts.max_file_bytes:
        return [FileResult(ref=ref, status=Status.SKIPPED, reason=_too_big(opts))]
    return scan_bytes(ref, data, opts, detector, depth=0)


def scan_bytes(ref: FileRef, data: bytes, opts: AuditOptions, detector: Detector, depth: int) -> list[FileResult]:
    started = time.perf_counter()
    name = ref.path.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    try:
        extraction = extract(data, name, opts.limits)
    except ExtractError as exc:
        reason = str(exc) or type(exc).__name__
        return [
            FileResult(
                ref=ref,
                status=Status(exc.status),
                reason=reason,
                encrypted=reason.startswith("encrypted"),
                seconds=round(time.perf_counter() - started, 4),
            )
        ]
    own = _analyse(ref, extraction, opts, detector, started)
    results = [own]
    if extraction.members:
        if depth + 1 > opts.limits.max_depth:
            results[0] = _with_note(own, f"members not scanned: nesting deeper than {opts.limits.max_depth}")
            return results
        for member in extraction.members:
            child = FileRef(
                path=f"{ref.path}!{member.name}",
                location=f"{ref.location}!{member.name}",
                size=len(member.data),
                mtime=ref.mtime,
                world_readable=ref.world_readable,
            )
            results.extend(scan_bytes(child, member.data, opts, detector, depth + 1))
    return results


def _with_note(result: FileResult, note: str) -> FileResult:
    from dataclasses import replace

    return replace(result, notes=(*result.notes, note))


def _analyse(
    ref: FileRef, extraction: Extraction, opts: AuditOptions, detector: Detector, started: float
) -> FileResult:
    findings: list[Finding] = []
    linked: list[Linked] = []
    context: set[str] = set()
    for block, segment in enumerate(extraction.segments):
        context |= categories_in(segment.text)
        for det in detector.detect(segment.text):
            finding = _finding(segment, det, opts)
            findings.append(finding)
            linked.append(
                Linked(
                    block=block,
                    row=segment.kind is SegmentKind.ROW,
                    start=det.start,
                    entity_type=det.entity_type,
                    fingerprint=finding.fingerprint,
                    north_korean=det.north_korean,
                )
            )
    return FileResult(
        ref=ref,
        status=Status.SCANNED,
        format=extraction.format,
        findings=tuple(findings),
        records=link(opts.key, linked),
        context_terms=tuple(sorted(context)),
        seconds=round(time.perf_counter() - started, 4),
        notes=extraction.notes,
    )


def _finding(segment: Segment, det: Detection, opts: AuditOptions) -> Finding:
    raw = segment.text[det.start : det.end]
    return Finding(
        entity_type=det.entity_type,
        score=det.score,
        location=locate(segment, det.start, det.end),
        masked=mask(det.entity_type, raw),
        fingerprint=fingerprint(opts.key, det.entity_type, raw),
        text=raw if opts.reveal else None,
        north_korean=det.north_korean,
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
