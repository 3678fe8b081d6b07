"""Deadlines and interruption: one file may not stall a run, and a stopped run still reports.

`run_with_deadline` is the soft per-file deadline: SIGALRM, armed with `setitimer`, raises
`DeadlineExceeded` inside the work. It works wherever the work runs on the main thread of its
process: the serial path and the workers of a process pool. Elsewhere (a thread) it runs the work
without a deadline, and the executor must enforce a hard one by killing the worker (a signal
cannot interrupt a single long C call either; it lands as soon as the call returns).

`DeadlineExceeded` and `Interrupted` derive from BaseException, like KeyboardInterrupt, so that
the `except Exception` blocks of extractors and libraries let them through instead of turning a
timeout into "corrupt file".
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

T = TypeVar("T")

EXIT_SIGINT = 128 + signal.SIGINT  # 130, the shell's convention for a run stopped by Ctrl-C
EXIT_SIGTERM = 128 + signal.SIGTERM  # 143

# After the deadline the alarm repeats, in case a library swallows the first exception.
_REPEAT = 1.0


class DeadlineExceeded(BaseException):
    """The work ran past its deadline. `partial` may hold what was done before it (a FileResult)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g} s")
        self.seconds = seconds
        self.partial: object | None = None


class Interrupted(KeyboardInterrupt):
    """The user or the system asked the run to stop (SIGINT, SIGTERM)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_state = threading.local()


def can_enforce() -> bool:
    """Whether `run_with_deadline` can interrupt work here (SIGALRM, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def run_with_deadline(fn: Callable[[], T], seconds: float | None) -> T:
    """`fn()`, or DeadlineExceeded once it has run `seconds` (None or 0: no deadline).

    A call nested in another runs under the outer deadline only.
    """
    if not seconds or seconds <= 0 or not can_enforce() or getattr(_state, "armed", False):
        return fn()

    def _alarm(signum: int, frame: FrameType | None) -> None:
        if getattr(_state, "armed", False):
            raise DeadlineExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, _alarm)
    _state.armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
    try:
        return fn()
    finally:
        _state.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def deadline_paused() -> Iterator[None]:
    """Within the block the armed deadline's clock stops (loading the detector's models on first use
    is not the file's time); outside an armed deadline, a no-op."""
    if not getattr(_state, "armed", False) or not can_enforce():
        yield
        return
    remaining, interval = signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining > 0 or interval > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining or interval, interval)


def exit_code(exc: BaseException) -> int:
    """The process exit code for a run stopped by `exc` (130 for Ctrl-C, 143 for SIGTERM)."""
    return exc.exit_code if isinstance(exc, Interrupted) else EXIT_SIGINT


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM (and SIGHUP) raise Interrupted like Ctrl-C does, so the run can
    stop and still write its partial report. Main thread only; elsewhere a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _stop(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.signal(s, _stop) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
