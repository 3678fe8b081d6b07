"""scan_one against files that change under it, and the per-file deadline, in-process with a
stub detector (fast, and deterministic about where time goes)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from pii_audit.detect.engine import Detection
from pii_audit.interrupt import DeadlineExceeded, can_enforce, deadline_paused, run_with_deadline
from pii_audit.model import FileRef, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import read_bytes, scan_one

pytestmark = pytest.mark.skipif(not can_enforce(), reason="SIGALRM deadlines need the main thread of a POSIX process")


class StubDetector:
    """Finds "010-0000-0000" as a phone number; sleeps on text that contains "SLOW"."""

    def __init__(self) -> None:
        self.calls = 0

    def detect(self, text: str) -> list[Detection]:
        self.calls += 1
        if "SLOW" in text:
            time.sleep(30)
        at = text.find("010-0000-0000")
        return [Detection("PHONE_NUMBER", at, at + 13, 0.9)] if at >= 0 else []


def ref_for(path: Path) -> FileRef:
    st = path.stat()
    return FileRef(path=path.name, location=str(path), size=st.st_size, mtime=st.st_mtime)


def opts(**kw: object) -> AuditOptions:
    return AuditOptions(english_model=None, key=b"k" * 32, **kw)  # type: ignore[arg-type]


def test_a_file_that_vanished_after_listing_fails_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_text("연락처 010-0000-0000\n", encoding="utf-8")
    ref = ref_for(path)
    path.unlink()
    [result] = scan_one(ref, opts(), StubDetector())  # type: ignore[arg-type]
    assert result.status is Status.FAILED and result.reason and "cannot read" in result.reason


def test_a_file_replaced_by_a_fifo_is_never_opened(tmp_path: Path) -> None:
    path = tmp_path / "swap.txt"
    path.write_text("연락처 010-0000-0000\n", encoding="utf-8")
    ref = ref_for(path)
    path.unlink()
    os.mkfifo(path)  # opening it for reading would block until a writer came
    [result] = scan_one(ref, opts(file_timeout=None), StubDetector())  # type: ignore[arg-type]
    assert result.status is Status.FAILED and result.reason and "regular file" in result.reason


def test_a_file_that_grew_past_the_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "grows.txt"
    path.write_text("x", encoding="utf-8")
    ref = ref_for(path)
    path.write_text("x" * 5000, encoding="utf-8")
    [result] = scan_one(ref, opts(max_file_bytes=1000), StubDetector())  # type: ignore[arg-type]
    assert result.status is Status.SKIPPED and result.reason and "size limit" in result.reason


def test_a_slow_file_times_out_and_keeps_what_it_found(tmp_path: Path) -> None:
    path = tmp_path / "slow.txt"
    path.write_text("연락처 010-0000-0000\n\nSLOW\n", encoding="utf-8")  # two blocks: found, then stuck
    started = time.monotonic()
    [result] = scan_one(ref_for(path), opts(file_timeout=0.5), StubDetector())  # type: ignore[arg-type]
    assert time.monotonic() - started < 5
    assert result.status is Status.FAILED and result.reason == "timed out after 0.5 s"
    assert [f.entity_type for f in result.findings] == ["PHONE_NUMBER"]


def test_the_next_file_runs_normally_after_a_timeout(tmp_path: Path) -> None:
    slow, fine = tmp_path / "slow.txt", tmp_path / "fine.txt"
    slow.write_text("SLOW", encoding="utf-8")
    fine.write_text("연락처 010-0000-0000", encoding="utf-8")
    detector = StubDetector()
    scan_one(ref_for(slow), opts(file_timeout=0.3), detector)  # type: ignore[arg-type]
    [result] = scan_one(ref_for(fine), opts(file_timeout=0.3), detector)  # type: ignore[arg-type]
    assert result.status is Status.SCANNED and len(result.findings) == 1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_deadline_passes_through_except_exception() -> None:
    def swallowing() -> None:
        while True:
            with contextlib.suppress(Exception):  # what extractors do around library calls
                time.sleep(0.05)

    with pytest.raises(DeadlineExceeded):
        run_with_deadline(swallowing, 0.2)


def test_run_with_deadline_returns_and_restores() -> None:
    previous = signal.getsignal(signal.SIGALRM)
    assert run_with_deadline(lambda: 42, 5) == 42
    assert run_with_deadline(lambda: run_with_deadline(lambda: 7, 0.01), 5) == 7  # nested: outer deadline only
    assert run_with_deadline(lambda: 1, None) == 1
    assert signal.getsignal(signal.SIGALRM) is previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_paused_deadline_does_not_count_the_pause() -> None:
    """Loading models on first use runs with the deadline paused: the pause is not the file's time,
    and the clock goes on afterwards."""

    def loads_then_works(work: float) -> str:
        with deadline_paused():
            time.sleep(0.4)  # the loading: longer than the whole deadline
        time.sleep(work)
        return "done"

    assert run_with_deadline(lambda: loads_then_works(0.0), 0.25) == "done"
    with pytest.raises(DeadlineExceeded):
        run_with_deadline(lambda: loads_then_works(0.5), 0.25)
    with deadline_paused():  # outside a deadline: nothing to pause
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_read_bytes_keeps_the_access_time(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("내용", encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_mtime_ns - 10**11, st.st_mtime_ns))  # older than mtime: relatime would update it
    before = path.stat()
    assert read_bytes(ref_for(path), 100) == "내용".encode()
    after = path.stat()
    assert (after.st_atime_ns, after.st_mtime_ns) == (before.st_atime_ns, before.st_mtime_ns)
