"""Where `scan_one` runs: in this process, in a local process pool, or on a Dask cluster.

Every executor takes the files still to scan and yields `(index, results)` as files finish, so
the caller advances its progress per file and puts results back in listing order (the report is
then identical whichever executor ran it). The worker side is the top-level, picklable
`scan_task`, which uses one Detector per worker process (spaCy and the compiled recognizers take
seconds to build; Kiwi runs in the scan's Kiwi server, detect/kiwi_server.py, or else loads
lazily, on a worker's first Korean text). Where processes fork, the
pool's Detector is built once in this process and the workers inherit it copy-on-write, so they
start in milliseconds (a pool restarted after a crash forks from the same Detector); where they
spawn, each worker builds its own in the pool's initializer; on Dask, `worker_detector` builds it
on first use. Each pool worker reports how long after the pool's start it was ready (debug log).

A file never stops the run: an exception becomes a failed FileResult in the worker; a worker
that dies (segfault, MemoryError, OOM kill) breaks the pool, which is restarted and the files
that were in flight are retried one at a time, so only the file that kills a worker again is
reported failed.

The local pool splits a large CSV, TSV or text file (and a large xlsx) into ranges that run as
tasks of their own on all its workers (pii_audit/split.py plans them and merges their results
into the one FileResult a single reader gives); a range is retried alone after a crash like a
file, and a range that fails makes its file failed with the other ranges' findings kept. Dask
runs every file whole.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pii_audit.errors import PiiAuditError
from pii_audit.execution import (
    SPLIT_BYTES,
    ExecutionOptions,
    ExecutorKind,
    default_detector,
    scanning_gc,
    scanning_gc_while,
)
from pii_audit.model import FileRef, FileResult, Status
from pii_audit.options import AuditOptions

if TYPE_CHECKING:  # the detector (Presidio, spaCy, Kiwi) is imported only where it is built
    from pii_audit.detect.engine import Detector
    from pii_audit.split import Chunk, ChunkResult, Fold

log = logging.getLogger(__name__)

__all__ = ["SPLIT_BYTES", "ExecutionOptions", "ExecutorKind", "default_detector"]  # with the pools below

DetectorFactory = Callable[[AuditOptions], "Detector"]
WORKER_CRASHED = "failed: the worker process scanning this file crashed"
# The worker's own deadline (SIGALRM, interrupt.run_with_deadline) cannot stop a C call that never
# returns; past the deadline plus this grace the parent kills the worker.
HARD_GRACE = 30.0


class ExecutorError(PiiAuditError):
    """The executor cannot run (e.g. no Dask cluster at the given address)."""


# --- worker side -------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


@dataclass(frozen=True)
class WorkerStart:
    """One pool worker's start-up: seconds from the pool's start to the worker ready for a file."""

    pid: int
    seconds: float
    inherited: bool  # forked with the parent's Detector (else it built its own)


def init_worker(
    opts: AuditOptions,
    factory: DetectorFactory,
    started: float = 0.0,
    ready: Any = None,
    inherited: Detector | None = None,
) -> None:
    """Pool initializer: this process's Detector, inherited from the parent (fork) or built here
    (spawn); then its start-up time on `ready` (a SimpleQueue). Ctrl-C is the parent's to handle; a
    forked worker must not inherit the parent's SIGTERM handler either (it would turn the parent's
    `terminate()` into an exception that the pool's worker loop catches, and live on)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    scanning_gc()
    _worker["opts"] = opts
    _worker["detector"] = inherited if inherited is not None else factory(opts)
    if ready is not None:
        ready.put(WorkerStart(os.getpid(), round(time.monotonic() - started, 4), inherited is not None))


def worker_detector(opts: AuditOptions, factory: DetectorFactory = default_detector) -> Detector:
    """This process's Detector for these options, built on first use (Dask workers)."""
    key = (opts.english_model, factory)
    if _worker.get("detector_key") != key:
        _worker["detector"] = factory(opts)
        _worker["detector_key"] = key
    return _worker["detector"]


def scan_guarded(ref: FileRef, opts: AuditOptions, detector: Detector) -> list[FileResult]:
    """`scan_one`, with a bug on one file turned into a failed result naming the exception type,
    and the findings encoded for the report where they were found (`finding_json.packed`)."""
    from pii_audit.finding_json import packed
    from pii_audit.scan import scan_one  # extractors and their libraries: only where files are read

    try:
        return [packed(r) for r in scan_one(ref, opts, detector)]
    except Exception as exc:  # noqa: BLE001 - a bad file is a value; the type names it, never the message (PII)
        log.warning("internal error on a file: %s", type(exc).__name__)
        return [FileResult(ref=ref, status=Status.FAILED, reason=f"internal error: {type(exc).__name__}")]


def scan_task(ref: FileRef) -> tuple[list[FileResult], tuple[str, ...]]:
    """Pool task: the file's results and the worker's notices."""
    detector: Detector = _worker["detector"]
    return scan_guarded(ref, _worker["opts"], detector), detector.notices


def chunk_task(chunk: Chunk, limit: int | None) -> tuple[ChunkResult, tuple[str, ...]]:
    """Pool task: one byte range of a split file (pii_audit/split.py)."""
    from pii_audit.scan import scan_chunk
    from pii_audit.split import ChunkResult

    detector: Detector = _worker["detector"]
    try:
        result = scan_chunk(chunk, _worker["opts"], detector, limit)
    except Exception as exc:  # noqa: BLE001 - as scan_guarded: the type names it, never the message
        log.warning("internal error on a range of a file: %s", type(exc).__name__)
        result = ChunkResult(number=chunk.number, status=Status.FAILED, reason=f"internal error: {type(exc).__name__}")
    return result, detector.notices


def dask_task(
    ref: FileRef, opts: AuditOptions, factory: DetectorFactory = default_detector
) -> tuple[list[FileResult], tuple[str, ...]]:
    """Dask task: the worker opens the file itself (`ref.location` must be reachable from it)."""
    detector = worker_detector(opts, factory)
    with scanning_gc_while():  # a Dask worker is not ours: its thresholds come back after the task
        results = scan_guarded(ref, opts, detector)
    return results, detector.notices


# --- caller side -------------------------------------------------------------------------------


class Executor(Protocol):
    notices: set[str]

    def run(self, refs: Sequence[FileRef]) -> Iterator[tuple[int, list[FileResult]]]: ...


class SerialExecutor:
    def __init__(self, opts: AuditOptions, detector: Callable[[], Detector]) -> None:
        self.opts = opts
        self._detector = detector
        self.notices: set[str] = set()

    def run(self, refs: Sequence[FileRef]) -> Iterator[tuple[int, list[FileResult]]]:
        for index, ref in enumerate(refs):
            detector = self._detector()
            self.notices.update(detector.notices)
            with scanning_gc_while():  # not across the yield: the caller's own work keeps its thresholds
                results = scan_guarded(ref, self.opts, detector)
            yield index, results


def _context() -> Any:
    # fork: workers inherit the imported libraries and the parent's Detector (fast start). Forking
    # is safe here: the parent's other threads (a progress bar, an old pool's manager) hold no lock
    # a worker takes, OpenBLAS re-creates its threads after a fork, and Kiwi, whose thread pool
    # would not survive one, is never loaded in the parent before it forks: it runs in the scan's
    # Kiwi server (detect/kiwi_server.py), or loads in each worker (kiwi_tokenizer.kiwi()).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# A pool task: a whole file (range None), or one range of a split file.
Task = tuple[int, int | None]
Answer = tuple[Any, tuple[str, ...]]


class PoolExecutor:
    def __init__(
        self,
        opts: AuditOptions,
        workers: int,
        factory: DetectorFactory = default_detector,
        split_bytes: int = 0,
        parent_detector: Callable[[], Detector] | None = None,
    ) -> None:
        """`parent_detector`: this process's Detector, built on first call and kept (the Auditor's),
        which forked workers inherit; by default one built from `factory` on the first fork."""
        self.opts = opts
        self.workers = max(1, workers)
        self.factory = factory
        self.split_bytes = split_bytes  # 0: never split
        self.notices: set[str] = set()
        self.startups: list[WorkerStart] = []
        self._pool: ProcessPoolExecutor | None = None
        self._chunks: dict[int, list[Chunk]] = {}
        self._folds: dict[int, Fold] = {}
        self._waiting: dict[int, dict[int, ChunkResult]] = {}
        self._parent_detector = parent_detector
        self._inherited: Detector | None = None
        self._ready: Any = None

    def _shared_detector(self) -> Detector:
        """The Detector forked workers inherit: built once, whatever the restarts."""
        if self._inherited is None:
            started = time.monotonic()
            self._inherited = self._parent_detector() if self._parent_detector else self.factory(self.opts)
            log.debug("detector ready in the parent in %.3f s; workers fork from it", time.monotonic() - started)
        return self._inherited

    def _start(self) -> ProcessPoolExecutor:
        context = _context()
        forks = context.get_start_method() == "fork"
        inherited = self._shared_detector() if forks else None  # before the clock: the parent's cost is logged
        if forks:
            _preload_scanning()
        self._ready = context.SimpleQueue()
        started = time.monotonic()
        initargs = (self.opts, self.factory, started, self._ready, inherited)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=init_worker, initargs=initargs
        )
        if forks:
            # Forked workers fork on the first submission: make it now, with the heap frozen, so the
            # collector in a worker never writes to (and so copies) the pages of the inherited Detector.
            gc.freeze()
            try:
                self._pool.submit(int)
            finally:
                gc.unfreeze()
        return self._pool

    def _drain_startups(self) -> None:
        ready = self._ready
        while ready is not None and not ready.empty():
            start: WorkerStart = ready.get()
            self.startups.append(start)
            how = "inherited" if start.inherited else "built"
            log.debug("worker %d ready %.3f s after the pool started (detector %s)", start.pid, start.seconds, how)

    def _restart(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._drain_startups()
        return self._start()

    def _plan(self, index: int, ref: FileRef) -> list[Task]:
        """The tasks of file `index`: its ranges when it is split, else the whole file."""
        if not self.split_bytes or self.workers < 2:
            return [(index, None)]
        from pii_audit.split import Fold, plan_file

        try:
            chunks = plan_file(ref, self.opts, self.split_bytes, self.workers)
        except OSError:
            chunks = None  # the worker reports why it cannot be read
        if not chunks or len(chunks) < 2:
            return [(index, None)]
        self._chunks[index] = chunks
        first = chunks[0]
        self._folds[index] = Fold(ref=ref, format=first.format, notes=first.notes, count=len(chunks), opts=self.opts)
        self._waiting[index] = {}
        log.info("a file of %d bytes is read in %d ranges", ref.size or 0, len(chunks))
        return [(index, c.number) for c in chunks]

    def _submit(self, pool: ProcessPoolExecutor, refs: Sequence[FileRef], task: Task) -> Future[Answer]:
        index, number = task
        if number is None:
            return pool.submit(scan_task, refs[index])
        from pii_audit.split import room_before

        limit = room_before(self._folds[index], self._waiting[index], number)
        return pool.submit(chunk_task, self._chunks[index][number], limit)

    def _finish(
        self, refs: Sequence[FileRef], task: Task, answer: Answer, queue: list[Task]
    ) -> Iterator[tuple[int, list[FileResult]]]:
        """A task's answer: a file's results, or a range's added to its file (yielded when complete)."""
        index, number = task
        results, notices = answer
        self.notices.update(notices)
        if number is None:
            yield index, results
            return
        fold = self._folds.get(index)
        if fold is None:
            return  # the file is being read whole instead
        if results.unsplit:
            # A quote that CSV reads as text (the cuts may split records), a workbook not read as
            # rows: the file is read whole.
            log.info("a file could not be read in ranges; read whole by one worker")
            self._drop(index, queue)
            queue.append((index, None))
            return
        waiting = self._waiting[index]
        waiting[number] = results
        from pii_audit.split import drain

        drain(waiting, fold, self._chunks[index])
        if fold.done:
            result = fold.result()
            self._drop(index, queue)
            yield index, [result]

    def _drop(self, index: int, queue: list[Task]) -> None:
        self._folds.pop(index, None)
        self._chunks.pop(index, None)
        self._waiting.pop(index, None)
        queue[:] = [t for t in queue if t[0] != index or t[1] is None]

    def _failed(self, refs: Sequence[FileRef], task: Task, reason: str) -> Answer:
        """The answer of a task whose worker crashed or hung."""
        index, number = task
        if number is None:
            return [FileResult(ref=refs[index], status=Status.FAILED, reason=reason)], ()
        from pii_audit.split import ChunkResult

        return ChunkResult(number=number, status=Status.FAILED, reason=reason), ()

    def _soft_limit(self, refs: Sequence[FileRef], task: Task) -> float:
        index, number = task
        chunks = self._chunks.get(index)
        size = refs[index].size if number is None or chunks is None else chunks[number].size
        return self.opts.deadline_for(size) or 0.0

    def run(self, refs: Sequence[FileRef]) -> Iterator[tuple[int, list[FileResult]]]:
        pool = self._start()
        queue: list[Task] = [(i, None) for i in range(len(refs))]
        queue.reverse()  # pop() from the end: listing order
        planned: set[int] = set()
        suspects: list[Task] = []
        in_flight: dict[Future[Answer], Task] = {}
        window = self.workers * 2  # bounded: results stream back, and a crash touches few files
        hard = bool(self.opts.file_timeout)

        def limit(task: Task) -> float:
            """The hard limit of one task: its soft deadline (in proportion to its size) and a grace."""
            return self._soft_limit(refs, task) + HARD_GRACE

        submitted: dict[Future[Answer], float] = {}
        completed = False
        try:
            while queue or in_flight or suspects:
                if suspects and not in_flight:
                    # After a crash: each task that was in flight runs alone, so the culprit is known.
                    task = suspects.pop(0)
                    if task[1] is not None and task[0] not in self._folds:
                        continue  # a range of a file now read whole
                    try:
                        timeout = limit(task) if hard else None
                        answer = self._submit(pool, refs, task).result(timeout=timeout)
                    except FutureTimeout:
                        log.warning("a worker hung past the file timeout; killed, file marked failed")
                        _terminate_workers(pool)
                        reason = f"timed out after {limit(task) - HARD_GRACE:g} s (the worker was killed)"
                        answer = self._failed(refs, task, reason)
                        pool = self._restart()
                    except BrokenProcessPool:
                        log.warning("a worker crashed on a file; marked failed")
                        answer = self._failed(refs, task, WORKER_CRASHED)
                        pool = self._restart()
                    yield from self._finish(refs, task, answer, queue)
                    continue
                while queue and not suspects and len(in_flight) < window:
                    task = queue.pop()
                    if task[1] is None and task[0] not in planned:
                        planned.add(task[0])
                        tasks = self._plan(task[0], refs[task[0]])
                        queue.extend(reversed(tasks))
                        task = queue.pop()
                    future = self._submit(pool, refs, task)
                    in_flight[future] = task
                    submitted[future] = time.monotonic()
                done, _ = wait(in_flight, timeout=1.0 if hard else None, return_when=FIRST_COMPLETED)
                if not done and hard:
                    # A task waits behind at most one other in the window, so its own hard limit
                    # plus the longest one in flight means a hung worker: kill them all; the tasks
                    # in flight are retried one by one, and the one that hangs alone is reported.
                    now = time.monotonic()
                    longest = max(limit(t) for t in in_flight.values())
                    if any(now - submitted[f] > limit(t) + longest for f, t in in_flight.items()):
                        log.warning("a worker hung past the file timeout; restarting the pool")
                        _terminate_workers(pool)
                    continue
                self._drain_startups()
                broken = False
                for future in done:
                    task = in_flight.pop(future)
                    submitted.pop(future, None)
                    try:
                        answer = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        broken = True
                        continue
                    yield from self._finish(refs, task, answer, queue)
                if broken:
                    suspects.extend(in_flight.values())
                    suspects.sort(key=lambda t: (t[0], -1 if t[1] is None else t[1]))
                    in_flight.clear()
                    pool = self._restart()
            completed = True
        finally:
            if not completed:
                # Interrupted (Ctrl-C, SIGTERM, the caller stopped): do not wait for files in flight.
                _terminate_workers(pool)
            pool.shutdown(wait=completed, cancel_futures=True)
            self._pool = None
            self._drain_startups()


def _preload_scanning() -> None:
    """What a worker imports for its first file (the extractors and their libraries, the findings'
    encoder), imported once here before the fork instead of once in each worker after it."""
    import pii_audit.finding_json  # noqa: F401
    import pii_audit.scan  # noqa: F401


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.kill()


class DaskExecutor:
    """Files as tasks on a Dask cluster: an existing one (`scheduler`), or a LocalCluster of
    `workers` processes on 127.0.0.1 started for this run (no dashboard)."""

    def __init__(self, opts: AuditOptions, execution: ExecutionOptions, factory: DetectorFactory = default_detector):
        self.opts = opts
        self.execution = execution
        self.factory = factory
        self.notices: set[str] = set()

    def run(self, refs: Sequence[FileRef]) -> Iterator[tuple[int, list[FileResult]]]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise ExecutorError("--executor dask needs dask[distributed]: pip install 'dask[distributed]'") from None
        cluster = None
        try:
            if self.execution.scheduler:
                client = Client(self.execution.scheduler, timeout="20s")
            else:
                cluster = LocalCluster(
                    n_workers=self.execution.worker_count,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
                client = Client(cluster)
        except OSError as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler: {type(exc).__name__}") from None
        try:
            futures = {
                client.submit(dask_task, ref, self.opts, self.factory, pure=False, key=f"pii-audit-{i}"): i
                for i, ref in enumerate(refs)
            }
            for future in as_completed(futures):
                index = futures[future]
                try:
                    results, notices = future.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker and the like: the file failed
                    log.warning("a Dask task failed: %s", type(exc).__name__)
                    results = [FileResult(ref=refs[index], status=Status.FAILED, reason=WORKER_CRASHED)]
                    notices = ()
                self.notices.update(notices)
                future.release()
                yield index, results
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def make_executor(
    opts: AuditOptions,
    execution: ExecutionOptions,
    factory: DetectorFactory,
    local_detector: Callable[[], Detector],
    files: int,
    largest: int = 0,
) -> Executor:
    """`largest`: the size of the largest file, which a pool may split across its workers."""
    if execution.kind is ExecutorKind.dask:
        return DaskExecutor(opts, execution, factory)  # files are never split on Dask
    workers = execution.worker_count
    if largest <= execution.split_bytes // 8:  # no file the pool could split (split.splittable)
        workers = min(workers, files)  # a pool larger than the work only costs start-up
    if workers <= 1:
        return SerialExecutor(opts, local_detector)
    return PoolExecutor(opts, workers, factory, execution.split_bytes, parent_detector=local_detector)
