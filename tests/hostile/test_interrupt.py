"""SIGTERM and Ctrl-C stop a scan within seconds, and the partial report is still written, valid,
and honest: every file listed, the ones not reached skipped with a reason, and a notice."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from pii_audit.audit import NOT_REACHED
from tests.conftest import REPORT_SCHEMA
from tests.hostile.test_hostile import cli_env

SCHEMA = REPORT_SCHEMA
FILES = 40


def slow_tree(root: Path) -> Path:
    """Files that take about a second each (a Hangul run the tokenizer chews on)."""
    root.mkdir()
    for i in range(FILES):
        (root / f"f{i:02d}.txt").write_text(f"기록 {i}\n" + "가나다라마바사아자차" * 2000, encoding="utf-8")
    return root


def wait_for(proc: subprocess.Popen[str], path: Path, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(encoding="utf-8", errors="replace"):
            return
        if proc.poll() is not None:
            _, stderr = proc.communicate()
            raise AssertionError(f"the scan ended early ({proc.returncode}): {stderr[-2000:]}")
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared in {path}")


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_scan_and_writes_the_partial_report(tmp_path: Path, signum: int, code: int) -> None:
    tree = slow_tree(tmp_path / "tree")
    report, log = tmp_path / "report.json", tmp_path / "scan.log"
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pii_audit",
            "scan",
            str(tree),
            "--format",
            "json",
            "--output",
            str(report),
            "--no-english-model",
            "--no-cache",
            "--log-level",
            "debug",
            "--log-file",
            str(log),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(home),
    )
    try:
        wait_for(proc, log, "done: 2 of", 90)  # some files scanned, most not yet
        proc.send_signal(signum)
        sent = time.monotonic()
        _, stderr = proc.communicate(timeout=30)
        stopped_after = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, stderr[-2000:]
    assert stopped_after < 15
    assert "Traceback" not in stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert len(data["files"]) == FILES  # every file listed, reached or not
    not_reached = [f for f in data["files"] if f["reason"] == NOT_REACHED]
    assert 0 < len(not_reached) < FILES
    notices = data["scan"].get("notices", [])
    assert any(n.startswith("interrupted: ") for n in notices), notices
