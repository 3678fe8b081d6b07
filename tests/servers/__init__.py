"""Real servers for tests, started by the suite on 127.0.0.1 and torn down after it.

Use them from any test package by importing the fixtures into its `conftest.py`:

    from tests.servers.samba import samba_share  # noqa: F401
    from tests.servers.s3 import s3_store  # noqa: F401

Both are session-scoped: give each test a directory (or bucket) of its own with
`samba_share.subdir(name)` / `s3_store.bucket(name)`.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import time
from collections.abc import Iterator

import pytest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float, alive: object = None) -> None:
    """Until something accepts connections on 127.0.0.1:port; `alive()` False means it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(alive) and not alive():
            raise RuntimeError("the server exited before it listened")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


@contextlib.contextmanager
def visible(config: pytest.Config | None) -> Iterator[None]:
    """Let a session fixture print to the terminal past pytest's capture (for slow set-up steps)."""
    capture = config.pluginmanager.getplugin("capturemanager") if config else None
    if capture is None:
        yield
        return
    with capture.global_and_fixture_disabled():
        yield


def say(message: str) -> None:
    sys.stderr.write(f"\n[test servers] {message}\n")
    sys.stderr.flush()
