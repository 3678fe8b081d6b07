"""Auditor.run: walk -> scan_one per file -> score -> rank -> AuditRun."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from pii_audit import __version__
from pii_audit.detect.engine import Detector
from pii_audit.model import AuditRun, FileRef, FileResult, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_one
from pii_audit.score import assess, folders, rank
from pii_audit.source.local import iter_files

log = logging.getLogger(__name__)


class Progress(Protocol):
    """What the core reports while it works; the CLI draws it, tests may record it."""

    def start(self, total: int) -> None: ...
    def advance(self, path: str) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    def start(self, total: int) -> None:
        return None

    def advance(self, path: str) -> None:
        return None

    def finish(self) -> None:
        return None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def collect(roots: Sequence[str], opts: AuditOptions) -> list[FileRef]:
    refs: list[FileRef] = []
    names = [Path(r).name or r for r in roots]
    for root, name in zip(roots, names, strict=True):
        prefix = name if len(roots) > 1 else ""
        refs.extend(iter_files(root, opts.include, opts.exclude, prefix))
    return refs


class Auditor:
    def __init__(self, opts: AuditOptions, detector_factory: Callable[[AuditOptions], Detector] | None = None):
        self.opts = opts
        self._factory = detector_factory or (lambda o: Detector(english_model=o.english_model))
        self._detector: Detector | None = None

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            self._detector = self._factory(self.opts)
        return self._detector

    def run(self, roots: Sequence[str], progress: Progress | None = None) -> AuditRun:
        progress = progress or NoProgress()
        started = _now()
        refs = collect(roots, self.opts)
        progress.start(len(refs))
        results: list[FileResult] = []
        for ref in refs:
            results.extend(self._scan(ref))
            progress.advance(ref.path)
        progress.finish()
        exposures = rank(assess(r) for r in results)
        return AuditRun(
            tool_version=__version__,
            roots=tuple(os.fspath(r) for r in roots),
            started=started,
            finished=_now(),
            options=self.opts.public(),
            files=exposures,
            folders=folders(exposures),
            notices=self.detector.notices if self._detector else (),
            distinct_exposed=_distinct_across(results, exposed_only=True),
            distinct_persons=_distinct_across(results, exposed_only=False),
        )

    def _scan(self, ref: FileRef) -> list[FileResult]:
        if ref.skip_reason:
            return [FileResult(ref=ref, status=Status.SKIPPED, reason=ref.skip_reason)]
        try:
            return scan_one(ref, self.opts, self.detector)
        except Exception as exc:  # a bug on one file must not stop the run; the type names it
            log.warning("internal error on a file: %s", type(exc).__name__)
            return [FileResult(ref=ref, status=Status.FAILED, reason=f"internal error: {type(exc).__name__}")]


def _distinct_across(results: Sequence[FileResult], exposed_only: bool) -> int:
    keys: set[str] = set()
    anonymous = 0
    for r in results:
        for rec in r.records:
            if exposed_only and not rec.exposed:
                continue
            if not exposed_only and not (rec.has_identity or rec.has_birth):
                continue
            if rec.key:
                keys.add(rec.key)
            else:
                anonymous += 1
    return len(keys) + anonymous
