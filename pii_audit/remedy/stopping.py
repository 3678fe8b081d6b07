"""Stopping between files: Ctrl-C or SIGTERM during a fix raises `Interrupted` at once, and is
remembered, so that a library which swallows the exception (py7zr's worker threads, a broad
`except`) still cannot make the run go on: the loop stops before the next file."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from pii_audit.interrupt import Interrupted


@dataclass
class Stop:
    signum: int | None = None

    def check(self) -> None:
        """Raise `Interrupted` if a signal came (call it between files)."""
        if self.signum is not None:
            raise Interrupted(self.signum)


@contextmanager
def stop_between_files() -> Iterator[Stop]:
    stop = Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.signum = signum
        raise Interrupted(signum)

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
