"""Pool workers start warm: where processes fork, the Detector is built once, in the parent, and
every worker (also those of a pool restarted after a crash) inherits it; where they spawn, each
worker builds its own. Each worker reports how long it took to be ready."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import pii_audit.executor as executor
from pii_audit.audit import collect
from pii_audit.execution import SCAN_GC_THRESHOLD
from pii_audit.executor import WORKER_CRASHED, PoolExecutor, SerialExecutor
from pii_audit.model import FileResult, Status
from pii_audit.options import AuditOptions

if TYPE_CHECKING:
    from pii_audit.detect.engine import Detection, Detector

KEY = b"k" * 32
FORK = "fork" in multiprocessing.get_all_start_methods()


class QuietDetector:
    """Finds nothing; kills its worker on `CRASH` (a stand-in for a segfault). Light to import, so a
    spawned worker starts without Presidio."""

    notices: tuple[str, ...] = ()

    def detect(self, text: str) -> list[Detection]:
        if "CRASH" in text:
            os._exit(70)
        return []


class CountingFactory:
    """Picklable: appends the pid of each process that builds a Detector to a file."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def __call__(self, opts: AuditOptions) -> Detector:
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return QuietDetector()  # type: ignore[return-value]

    def builders(self) -> list[int]:
        return [int(line) for line in self.log.read_text(encoding="utf-8").split()] if self.log.exists() else []


def tree(root: Path, crash: bool = False) -> Path:
    root.mkdir()
    for i in range(6):
        (root / f"f{i}.txt").write_text(f"line {i}\n", encoding="utf-8")
    if crash:
        (root / "f3.txt").write_text("CRASH here\n", encoding="utf-8")
    return root


def scan(pool: PoolExecutor, root: Path) -> dict[str, FileResult]:
    refs = collect([str(root)], pool.opts)
    return {r.ref.path: r for _, results in pool.run(refs) for r in results}


@pytest.mark.skipif(not FORK, reason="fork is not available on this platform")
def test_forked_workers_inherit_the_parents_detector_and_start_at_once(tmp_path: Path) -> None:
    factory = CountingFactory(tmp_path / "built")
    pool = PoolExecutor(AuditOptions(key=KEY), 2, factory)
    results = scan(pool, tree(tmp_path / "t"))
    assert {p: r.status for p, r in results.items()} == {f"f{i}.txt": Status.SCANNED for i in range(6)}
    assert factory.builders() == [os.getpid()]  # built once, here; no worker built one
    assert len(pool.startups) == 2
    assert all(s.inherited and s.pid != os.getpid() for s in pool.startups)
    assert all(0 <= s.seconds < 5 for s in pool.startups)  # milliseconds unloaded; bounded for a busy machine


PRELOAD = """
import json, os, sys
sys.path.insert(0, sys.argv[2])
import pii_audit.executor as ex
from pii_audit.audit import collect
from pii_audit.options import AuditOptions
from tests.test_warm_workers import CountingFactory

start = ex.init_worker

def init(*args, **kwargs):
    print("worker " + json.dumps("pii_audit.scan" in sys.modules), file=sys.stderr, flush=True)
    start(*args, **kwargs)

ex.init_worker = init
opts = AuditOptions(key=b"k" * 32)
refs = collect([sys.argv[1]], opts)
print("parent " + json.dumps("pii_audit.scan" in sys.modules), file=sys.stderr, flush=True)
pool = ex.PoolExecutor(opts, 2, CountingFactory(__import__("pathlib").Path(sys.argv[1]) / "built"))
print(json.dumps(sorted(r.status.value for _, results in pool.run(refs) for r in results)), flush=True)
"""


@pytest.mark.skipif(not FORK, reason="fork is not available on this platform")
def test_forked_workers_inherit_the_scanning_code_imported_once(tmp_path: Path) -> None:
    """The extractors and their libraries are imported in the parent before the fork, not in each
    worker on its first file. In a fresh process: this one has imported them already."""
    import subprocess
    import sys

    root = tree(tmp_path / "t")
    repo = str(Path(__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, "-c", PRELOAD, str(root), repo], capture_output=True, text=True, check=True, timeout=300
    )
    said = [line for line in done.stderr.splitlines() if line.startswith(("parent ", "worker "))]
    assert said[0] == "parent false"  # listing the files does not import them
    assert said[1:] == ["worker true", "worker true"]
    assert json.loads(done.stdout.splitlines()[-1]) == ["scanned"] * 6


@pytest.mark.skipif(not FORK, reason="fork is not available on this platform")
def test_a_pool_restarted_after_a_crash_does_not_build_again(tmp_path: Path) -> None:
    factory = CountingFactory(tmp_path / "built")
    pool = PoolExecutor(AuditOptions(key=KEY), 2, factory)
    results = scan(pool, tree(tmp_path / "t", crash=True))
    assert (results["f3.txt"].status, results["f3.txt"].reason) == (Status.FAILED, WORKER_CRASHED)
    assert all(r.status is Status.SCANNED for p, r in results.items() if p != "f3.txt")
    assert factory.builders() == [os.getpid()]
    assert len(pool.startups) > 2 and all(s.inherited for s in pool.startups)  # the restarted pools' too


def test_spawned_workers_build_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executor, "_context", lambda: multiprocessing.get_context("spawn"))
    factory = CountingFactory(tmp_path / "built")
    pool = PoolExecutor(AuditOptions(key=KEY), 2, factory)
    results = scan(pool, tree(tmp_path / "t"))
    assert {p: r.status for p, r in results.items()} == {f"f{i}.txt": Status.SCANNED for i in range(6)}
    builders = factory.builders()
    assert len(builders) == 2 and os.getpid() not in builders  # never built in the parent
    assert sorted(s.pid for s in pool.startups) == sorted(builders)
    assert not any(s.inherited for s in pool.startups)


class GcRecordingDetector(QuietDetector):
    """Writes the collector's thresholds, as the process reading a file sees them, to a file."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def detect(self, text: str) -> list[Detection]:
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {' '.join(map(str, gc.get_threshold()))}\n")
        return []


class GcRecordingFactory:
    def __init__(self, log: Path) -> None:
        self.log = log

    def __call__(self, opts: AuditOptions) -> Detector:
        return GcRecordingDetector(self.log)  # type: ignore[return-value]


def seen(log: Path) -> list[tuple[int, tuple[int, ...]]]:
    rows = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    return [(int(pid), tuple(int(x) for x in rest)) for pid, *rest in rows]


def test_files_are_read_with_the_scanning_gc_thresholds_in_workers(tmp_path: Path) -> None:
    log = tmp_path / "gc"
    pool = PoolExecutor(AuditOptions(key=KEY), 2, GcRecordingFactory(log))
    scan(pool, tree(tmp_path / "t"))
    readings = seen(log)
    assert len(readings) >= 6 and all(pid != os.getpid() for pid, _ in readings)
    assert {t for _, t in readings} == {SCAN_GC_THRESHOLD}


def test_a_serial_scan_sets_them_while_it_reads_and_restores_them(tmp_path: Path) -> None:
    log = tmp_path / "gc"
    opts = AuditOptions(key=KEY)
    before = gc.get_threshold()
    assert before != SCAN_GC_THRESHOLD
    detector = GcRecordingDetector(log)
    refs = collect([str(tree(tmp_path / "t"))], opts)
    for _ in SerialExecutor(opts, lambda: detector).run(refs):  # type: ignore[arg-type, return-value]
        assert gc.get_threshold() == before  # between files, the caller's own
    assert {t for _, t in seen(log)} == {SCAN_GC_THRESHOLD}
    assert gc.get_threshold() == before
