"""The `pii-audit` command (`cli.app.run`, also `python -m pii_audit`) leaves without tearing the
interpreter down once its command is done: the exit code, the report, the log and the exit
handlers are as before; a thread still running makes it exit as Python does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# An exit handler that leaves a mark, a thread that runs on for `wait` seconds, then the command
# line as the console script runs it.
PROBE = """
import atexit, sys, threading, time

mark, wait = sys.argv[1], float(sys.argv[2])
atexit.register(lambda: open(mark, "a").write("exit handlers ran\\n"))
atexit.register(lambda: open(mark + ".env", "w").write(__import__("os").environ.get("OPENBLAS_NUM_THREADS", "unset")))
if wait:
    threading.Thread(target=lambda: (time.sleep(wait), open(mark, "a").write("thread finished\\n"))).start()
sys.argv = ["pii-audit", *sys.argv[3:]]
from pii_audit.cli.app import run
run()
"""


def _run(
    tmp_path: Path, args: list[str], wait: float = 0.0, **extra_env: str
) -> tuple[subprocess.CompletedProcess[str], str]:
    mark = tmp_path / "mark.txt"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env.update(PII_AUDIT_KEY="ab" * 16, **extra_env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(mark), str(wait), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done, mark.read_text(encoding="utf-8") if mark.exists() else ""


def test_a_finished_scan_keeps_its_code_report_log_and_exit_handlers(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    rows = "".join(f"김민{c},19{80 + i}-03-0{i + 1},010-1234-56{i:02d}\n" for i, c in enumerate("준서우"))
    (root / "roster.csv").write_text("이름,생년월일,전화\n" + rows, encoding="utf-8")
    report, log = tmp_path / "report.json", tmp_path / "scan.log"
    args = ["scan", str(root), "--workers", "1", "--no-cache", "--format", "json", "--output", str(report)]
    done, mark = _run(tmp_path, [*args, "--log-file", str(log), "--log-level", "info", "--fail-on", "low"])

    assert done.returncode == 1, done.stderr  # the roster (low: no address) reaches --fail-on low
    assert [f["path"].endswith("roster.csv") for f in json.loads(report.read_text(encoding="utf-8"))["files"]] == [True]
    assert "scanning 1 files" in log.read_text(encoding="utf-8")  # logging's handlers were flushed
    assert mark == "exit handlers ran\n"


def test_a_usage_error_keeps_its_code_and_message(tmp_path: Path) -> None:
    done, mark = _run(tmp_path, ["scan", str(tmp_path / "missing")])

    assert done.returncode == 2
    assert "no such file or directory" in done.stderr
    assert mark == "exit handlers ran\n"


def test_a_thread_still_running_is_waited_for_as_python_does(tmp_path: Path) -> None:
    done, mark = _run(tmp_path, ["--help"], wait=1.0)

    assert done.returncode == 0 and "scan" in done.stdout
    assert mark == "thread finished\nexit handlers ran\n"  # joined first, then the exit handlers


def test_numpy_gets_one_blas_thread_unless_the_user_asks_for_more(tmp_path: Path) -> None:
    _run(tmp_path, ["--help"])
    assert (tmp_path / "mark.txt.env").read_text(encoding="utf-8") == "1"

    _run(tmp_path, ["--help"], OPENBLAS_NUM_THREADS="4")
    assert (tmp_path / "mark.txt.env").read_text(encoding="utf-8") == "4"
