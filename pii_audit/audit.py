"""Auditor.run: walk -> scan_one per file -> score -> rank -> AuditRun."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Protocol

from pii_audit import __version__
from pii_audit.cache import ResultCache
from pii_audit.execution import ExecutionOptions, ExecutorKind, default_detector
from pii_audit.model import AuditRun, FileRef, FileResult, Status
from pii_audit.options import AuditOptions
from pii_audit.score import Weights, assess_run, folders, rank
from pii_audit.source.registry import redact, store_for

if TYPE_CHECKING:  # the detector (Presidio, spaCy, Kiwi) is imported only where it is built
    from pii_audit.detect.engine import Detector

log = logging.getLogger(__name__)

NOT_REACHED = "not scanned: the run was interrupted"


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
    stores = [store_for(r) for r in roots]  # an unknown scheme fails before anything is listed
    for root, store in zip(roots, stores, strict=True):
        prefix = store.label(root) if len(roots) > 1 else ""
        refs.extend(store.walk(root, opts.include, opts.exclude, prefix))
    return refs


class Auditor:
    def __init__(
        self,
        opts: AuditOptions,
        detector_factory: Callable[[AuditOptions], Detector] | None = None,
        execution: ExecutionOptions | None = None,
        cache: ResultCache | None = None,
        review: Callable[[FileResult], FileResult] | None = None,
        weights: Weights | None = None,
    ):
        """`detector_factory` must be a top-level function for a process pool or Dask (it is pickled).
        `execution` defaults to serial in this process; `cache` to none. `review` rewrites each result
        before scoring, in this process, after the cache (allowlists: pii_audit.allowlist.AllowReview);
        `weights` are the exposure model's (config `[weights]`)."""
        self.review = review
        self.weights = weights or Weights()
        self.opts = opts
        self._factory = detector_factory or default_detector
        self._detector: Detector | None = None
        self.execution = execution or ExecutionOptions(workers=1)
        self.cache = cache
        self._notices: set[str] = set()
        self._cache_failed = False

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            self._detector = self._factory(self.opts)
        return self._detector

    def run(self, roots: Sequence[str], progress: Progress | None = None) -> AuditRun:
        """Scan `roots`. Ctrl-C (or SIGTERM, under `interrupt.stop_on_signals`) stops the scan and
        still returns a run: the files not reached are listed as skipped, a notice says how far it
        got, and `self.interrupted` holds the interruption for the caller's exit code."""
        progress = progress or NoProgress()
        started, clock = _now(), time.time()
        self.interrupted: KeyboardInterrupt | None = None
        refs: list[FileRef] = []
        results: list[FileResult] = []
        reached = 0
        by_index: dict[int, list[FileResult]] = {}
        try:
            refs = collect(roots, self.opts)
            log.info("scanning %d files", len(refs))
            progress.start(len(refs))
            self._dispatch(refs, by_index, progress)
            results = _in_order(by_index)
        except KeyboardInterrupt as exc:
            self.interrupted = exc
            results = _in_order(by_index)
            done = {r.ref for r in results}
            reached = sum(1 for r in refs if r in done)
            log.warning("interrupted (%s) after %d of %d files", exc or "SIGINT", reached, len(refs))
            results.extend(FileResult(ref=r, status=Status.SKIPPED, reason=NOT_REACHED) for r in refs if r not in done)
        finally:
            progress.finish()
        notices = tuple(sorted(self._notices | set(self._detector.notices if self._detector else ())))
        if self.interrupted is not None:
            notices = (*notices, f"interrupted: {reached} of {len(refs)} files scanned; the report is partial")
        if self.review is not None:
            results = [self.review(r) for r in results]
        assessed, (persons, exposed) = assess_run(results, self.weights, now=clock)
        exposures = rank(assessed)
        return AuditRun(
            tool_version=__version__,
            roots=tuple(redact(os.fspath(r)) for r in roots),  # never a password from a URL
            started=started,
            finished=_now(),
            options=self.opts.public(),
            files=exposures,
            folders=folders(exposures),
            notices=notices,
            distinct_exposed=exposed,
            distinct_persons=persons,
        )

    def _dispatch(self, refs: Sequence[FileRef], by_index: dict[int, list[FileResult]], progress: Progress) -> None:
        """Skipped files and cache hits here; the rest through the executor, results by listing index."""
        todo: list[int] = []
        for index, ref in enumerate(refs):
            cached = None
            if ref.skip_reason:
                cached = [FileResult(ref=ref, status=Status.SKIPPED, reason=ref.skip_reason)]
            elif self.cache is not None and not self.opts.reveal:  # --reveal wants raw values: never cached
                cached = self._cached(ref)
            if cached is None:
                todo.append(index)
                continue
            by_index[index] = cached
            progress.advance(ref.path)
        if not todo:
            return
        # Largest first: a big file started last would leave the other workers idle at the end.
        todo.sort(key=lambda i: -(refs[i].size or 0))
        largest = refs[todo[0]].size or 0
        from pii_audit.executor import make_executor  # process pools: only when a file is to be read

        with self._kiwi_server(sum(refs[i].size or 0 for i in todo)):
            executor = make_executor(
                self.opts, self.execution, self._factory, lambda: self.detector, len(todo), largest
            )
            try:
                for position, results in executor.run([refs[i] for i in todo]):
                    index = todo[position]
                    by_index[index] = results
                    log.debug("done: %d of %d files to scan", len(by_index), len(refs))
                    if self.cache is not None:
                        self._store(refs[index], results)
                    progress.advance(refs[index].path)
            finally:
                self._notices |= executor.notices

    def _kiwi_server(self, size: int) -> AbstractContextManager[object]:
        """A Kiwi server for a local scan of `size` bytes or more (detect/kiwi_server.py): started
        before the Detector is built, so the model loads on another core meanwhile."""
        threshold = self.execution.kiwi_server_bytes
        if self.execution.kind is not ExecutorKind.local or threshold < 0 or size < threshold:
            return nullcontext()
        from pii_audit.detect.kiwi_server import serving

        return serving()

    # A cache problem with one file (an odd name, a locked database) costs a rescan, never the run.
    def _cached(self, ref: FileRef) -> list[FileResult] | None:
        assert self.cache is not None
        try:
            return self.cache.lookup(ref)
        except Exception as exc:
            if not self._cache_failed:  # once per run: one bad entry is usually all of them
                log.warning("cache lookup failed (%s): files are rescanned", type(exc).__name__)
            self._cache_failed = True
            return None

    def _store(self, ref: FileRef, results: list[FileResult]) -> None:
        assert self.cache is not None
        try:
            self.cache.store(ref, results)
        except Exception as exc:
            log.warning("cache store failed for a file: %s", type(exc).__name__)


def _in_order(by_index: dict[int, list[FileResult]]) -> list[FileResult]:
    return [r for i in sorted(by_index) for r in by_index[i]]
