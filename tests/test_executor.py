"""Process pool: same report as serial, deterministic order, a crashing worker fails only its file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pii_audit.audit import Auditor
from pii_audit.detect.engine import Detection, Detector
from pii_audit.executor import WORKER_CRASHED, ExecutionOptions, PoolExecutor, SerialExecutor, make_executor
from pii_audit.model import AuditRun, Status
from pii_audit.options import AuditOptions
from pii_audit.report import json as json_report
from tests.fixtures import write_tree

KEY = b"k" * 32


class FakeDetector:
    """No NLP: finds `RRN` tokens; kills its worker process on `CRASH` (a stand-in for a segfault)."""

    notices: tuple[str, ...] = ()

    def detect(self, text: str) -> list[Detection]:
        if "CRASH" in text:
            os._exit(70)
        return [Detection("KR_RRN", i, i + 3, 0.9) for i in range(len(text)) if text.startswith("RRN", i)]


def fake_factory(opts: AuditOptions) -> Detector:
    return FakeDetector()  # type: ignore[return-value]


class Recorder:
    def __init__(self) -> None:
        self.advanced: list[str] = []

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, path: str) -> None:
        self.advanced.append(path)

    def finish(self) -> None:
        return None


def comparable(run: AuditRun) -> str:
    import json

    data = json.loads(json_report.render(run))
    data["scan"].pop("started")
    data["scan"].pop("finished")
    for f in data["files"]:
        f.pop("seconds", None)
    return json.dumps(data, sort_keys=True)


def fake_tree(root: Path, crash: bool = False) -> Path:
    root.mkdir()
    for i in range(8):
        (root / f"f{i}.txt").write_text(f"RRN one\n\nRRN {i}\n", encoding="utf-8")
    if crash:
        (root / "f3.txt").write_text("CRASH here\n", encoding="utf-8")
    return root


def run(root: Path, workers: int, progress: Recorder | None = None) -> AuditRun:
    execution = ExecutionOptions(workers=workers)
    return Auditor(AuditOptions(key=KEY), fake_factory, execution).run([str(root)], progress=progress)


def test_pool_equals_serial_and_advances_per_file(tmp_path: Path) -> None:
    root = fake_tree(tmp_path / "t")
    progress = Recorder()
    pooled = run(root, 2, progress)
    assert comparable(pooled) == comparable(run(root, 1))
    assert sorted(progress.advanced) == sorted(f"f{i}.txt" for i in range(8))
    assert [f.result.ref.path for f in pooled.files][:2] == ["f0.txt", "f1.txt"]  # ties: by path


def test_worker_crash_fails_only_that_file(tmp_path: Path) -> None:
    root = fake_tree(tmp_path / "t", crash=True)
    result = run(root, 2)
    status = {f.result.ref.path: (f.result.status, f.result.reason) for f in result.files}
    assert status.pop("f3.txt") == (Status.FAILED, WORKER_CRASHED)
    assert all(s is Status.SCANNED for s, _ in status.values())
    assert len(status) == 7


def test_executor_choice() -> None:
    opts = AuditOptions(key=KEY)
    assert isinstance(make_executor(opts, ExecutionOptions(workers=1), fake_factory, FakeDetector, 9), SerialExecutor)
    assert isinstance(make_executor(opts, ExecutionOptions(workers=2), fake_factory, FakeDetector, 9), PoolExecutor)
    # one file to scan: no pool to start
    assert isinstance(make_executor(opts, ExecutionOptions(workers=2), fake_factory, FakeDetector, 1), SerialExecutor)
    assert ExecutionOptions(workers=0).worker_count == (os.cpu_count() or 1)


def test_real_detector_pool_equals_serial(tmp_path: Path, detector: Detector) -> None:
    root = write_tree(tmp_path / "tree")
    opts = AuditOptions(key=KEY)
    serial = Auditor(opts, lambda o: detector, ExecutionOptions(workers=1)).run([str(root)])
    pooled = Auditor(opts, execution=ExecutionOptions(workers=2)).run([str(root)])
    assert comparable(pooled) == comparable(serial)
    assert any(f.result.findings for f in pooled.files)


class HangingDetector(FakeDetector):
    """Stands in for a C call that never returns: SIGALRM (the worker's own deadline) is blocked."""

    def detect(self, text: str) -> list[Detection]:
        if "HANG" in text:
            import signal
            import time

            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)
        return super().detect(text)


def hanging_factory(opts: AuditOptions) -> Detector:
    return HangingDetector()  # type: ignore[return-value]


def test_a_worker_stuck_past_the_deadline_is_killed_and_only_its_file_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pii_audit.executor as executor

    monkeypatch.setattr(executor, "HARD_GRACE", 0.5)
    root = tmp_path / "tree"
    root.mkdir()
    for i in range(4):
        (root / f"ok{i}.txt").write_text(f"RRN {i}\n", encoding="utf-8")
    (root / "stuck.txt").write_text("HANG\n", encoding="utf-8")
    opts = AuditOptions(key=KEY, file_timeout=1.0)
    run = Auditor(opts, hanging_factory, ExecutionOptions(workers=2)).run([str(root)])
    status = {f.result.ref.path: (f.result.status, f.result.reason) for f in run.files}
    assert status["stuck.txt"][0] is Status.FAILED and "timed out" in (status["stuck.txt"][1] or "")
    assert all(status[f"ok{i}.txt"][0] is Status.SCANNED for i in range(4))
