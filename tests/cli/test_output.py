"""Report files: private and atomic for regular files; devices and pipes are written in place."""

from __future__ import annotations

import io
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from pii_audit.cli.output import write_private, write_private_parts, write_stdout_parts


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


def test_report_parts_are_written_in_order_to_files_and_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON report is written part by part (cached findings as views of their cache rows): the
    file holds the parts in order, and stdout gets the same bytes after what it was given before."""
    payload = "[결과]".encode()
    parts = [b'{"a":', memoryview(b"xx" + payload + b"yy")[2:-2], b"}\n"]
    target = tmp_path / "r.json"
    write_private_parts(target, parts)
    assert target.read_bytes() == b'{"a":' + payload + b"}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8"))
    sys.stdout.write("first ")
    write_stdout_parts(parts)
    assert out.getvalue() == b'first {"a":' + payload + b"}\n"
    # Where stdout does not write UTF-8, the text goes through its own encoding.
    latin = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(latin, encoding="utf-16"))
    write_stdout_parts(parts)
    sys.stdout.flush()
    assert latin.getvalue().decode("utf-16") == '{"a":[결과]}\n'
