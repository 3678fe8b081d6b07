"""Report files: private and atomic for regular files; devices and pipes are written in place."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from pii_audit.cli.output import write_private


def test_a_new_report_file_is_owner_only_and_replaces_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o644)
    write_private(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_a_named_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    """`--output /dev/null` or a pipe: replacing it would leave a regular file where the device was."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_private(fifo, "report")
    reader.join(10)
    assert received == [b"report"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]
