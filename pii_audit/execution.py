"""How a run is executed (in this process, a local pool, Dask) and the default Detector factory:
what the command line and the Auditor need before any file is scanned, without the pools'
imports (multiprocessing, concurrent.futures: pii_audit.executor), which a warm rescan never uses.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from pii_audit.options import AuditOptions

if TYPE_CHECKING:  # the detector (Presidio, spaCy, Kiwi) is imported only where it is built
    from pii_audit.detect.engine import Detector

SPLIT_BYTES = 32 * 1024 * 1024  # as split.SPLIT_BYTES, without importing the extractors here
# A local scan with at least this many bytes to read starts a Kiwi server (detect/kiwi_server.py)
# before it builds the Detector; a smaller one loads Kiwi where it is needed, if at all.
KIWI_SERVER_BYTES = 1024 * 1024
# The collector's thresholds while files are scanned. Scanning allocates millions of short-lived
# objects and keeps a growing list of findings (up to `--max-findings` per file); at Python's
# default (700, 10, 10) the collector ran every 700 allocations and walked those findings again
# and again: about a sixth of the CPU of a roster CSV. Reference counting still frees almost
# everything at once; only reference cycles wait a little longer.
SCAN_GC_THRESHOLD = (10_000, 20, 10)


class ExecutorKind(str, Enum):
    local = "local"  # serial with one worker, else a process pool on this machine
    dask = "dask"  # tasks on a Dask cluster (--scheduler) or on a LocalCluster started for the run


@dataclass(frozen=True)
class ExecutionOptions:
    """How a run is executed. Not part of AuditOptions: it never changes the results."""

    kind: ExecutorKind = ExecutorKind.local
    workers: int = 0  # 0: one per core
    scheduler: str | None = None  # tcp://host:8786 for an existing Dask cluster
    # A local pool cuts CSV/TSV/text files larger than this into ranges run on all its workers
    # (pii_audit/split.py); files below the stream threshold (32 MiB) are never cut.
    split_bytes: int = SPLIT_BYTES
    # The bytes to read from which the scan's Korean model loads in a process of its own, beside
    # the Detector's build, and serves every worker (detect/kiwi_server.py); -1: never.
    kiwi_server_bytes: int = KIWI_SERVER_BYTES

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


def default_detector(opts: AuditOptions) -> Detector:
    """The Detector, its regular expressions compiled from the programs a previous run kept
    (detect/compiled_patterns.py): imported and built inside `reused()`, so Presidio's patterns
    compiled at its import are kept too."""
    from pii_audit.detect.compiled_patterns import reused

    with reused():
        from pii_audit.detect.engine import Detector

        return Detector(english_model=opts.english_model)


def scanning_gc() -> None:
    """The collector's thresholds of a process that scans files (a pool's worker) for its life."""
    gc.set_threshold(*SCAN_GC_THRESHOLD)


@contextmanager
def scanning_gc_while() -> Iterator[None]:
    """`scanning_gc` for the time of a block, then the thresholds as they were (a serial scan in
    the caller's process)."""
    before = gc.get_threshold()
    scanning_gc()
    try:
        yield
    finally:
        gc.set_threshold(*before)
