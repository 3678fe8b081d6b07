"""Logging for the command line. The library only calls `logging.getLogger(__name__)`; this module
decides where records go, and keeps raw personal data out of them.

- Our own records (`pii_audit.*`) never carry a detected value (a rule of the code base).
- Third-party records (Presidio, spaCy, pypdf, openpyxl, Python warnings…) may quote the text
  they were given. Below WARNING they are dropped; at WARNING and above the message is reduced to
  its format string with every argument withheld, or withheld entirely when it was pre-formatted
  (an f-string). `--reveal` lets third-party messages through whole.
- Tracebacks show frames and the exception type, never the exception message (it may quote
  content) and never locals.
- The log file is created owner-only (0600), like reports.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import TracebackType

OURS = "pii_audit"
WITHHELD = "<withheld>"
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class LogLevel(str, Enum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


def _ours(name: str) -> bool:
    return name == OURS or name.startswith(OURS + ".")


class PrivacyFilter(logging.Filter):
    """Drops or reduces third-party records that might quote file content (see the module doc)."""

    def __init__(self, reveal: bool = False) -> None:
        super().__init__()
        self.reveal = reveal

    def filter(self, record: logging.LogRecord) -> bool:
        if _ours(record.name) or self.reveal:
            return True
        if record.levelno < logging.WARNING:
            return False
        if record.args and isinstance(record.msg, str):
            record.msg = _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else WITHHELD, record.msg)
        else:
            record.msg = f"message withheld ({type(record.msg).__name__}; it may quote file content)"
        record.args = None
        return True


class SafeFormatter(logging.Formatter):
    """Tracebacks without exception messages: `KeyError: '김영수'` would put a value in the log."""

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have formatted the record first and cached the full traceback in
        # `exc_text`, message included: never reuse it.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        return safe_traceback(ei[0], ei[2])

    def formatStack(self, stack_info: str) -> str:
        return stack_info


def safe_traceback(exc_type: type[BaseException] | None, tb: TracebackType | None) -> str:
    frames = "".join(traceback.format_tb(tb)) if tb else ""
    name = exc_type.__name__ if exc_type else "Exception"
    return f"Traceback (most recent call last):\n{frames}{name} (message withheld)"


def open_private(path: Path) -> int:
    """A file descriptor for appending to `path`, which is created (or narrowed to) mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), 0o600)
    os.fchmod(fd, 0o600)
    return fd


_installed: list[Callable[[], None]] = []
_to_file: list[bool] = []


def logging_to_file() -> bool:
    """Whether `configure` sent the log to a file (where a traceback may go; the terminal gets one line)."""
    return bool(_to_file) and _to_file[-1]


class _StderrHandler(logging.StreamHandler):
    """Writes to `sys.stderr` as it is at each record, not as it was when configured: an
    in-process caller (tests, CliRunner) may swap and close stderr between commands."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        return None


def configure(level: LogLevel, log_file: Path | None, reveal: bool = False) -> Callable[[], None]:
    """Route every logger through one privacy-filtered handler: the log file when given, else
    stderr. A second call replaces the first (tests invoke the CLI in-process). Returns a function
    that removes the handler; the handler otherwise stays until exit, so that an unexpected error
    after the command can still be logged."""
    while _installed:
        _installed.pop()()
    numeric = getattr(logging, level.value.upper())
    if log_file is not None:
        stream = os.fdopen(open_private(log_file), "a", encoding="utf-8")
        handler: logging.Handler = logging.StreamHandler(stream)
    else:
        handler = _StderrHandler()  # stderr: diagnostics never go to stdout, where reports go
    handler.setLevel(numeric)
    handler.addFilter(PrivacyFilter(reveal))
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root, ours = logging.getLogger(), logging.getLogger(OURS)
    previous = root.level, ours.level
    root.addHandler(handler)
    # Third-party debug records would only be dropped by the filter: do not build them at all.
    root.setLevel(numeric if reveal else max(numeric, logging.WARNING))
    ours.setLevel(numeric)
    logging.captureWarnings(True)  # warnings go through the filter too, not straight to stderr

    def close() -> None:
        if close in _installed:
            _installed.remove(close)
            _to_file.clear()
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(previous[0])
        ours.setLevel(previous[1])
        with contextlib.suppress(ValueError, OSError):  # the stream was closed under us
            handler.flush()
        if log_file is not None:
            handler.close()
            stream.close()

    _installed.append(close)
    _to_file[:] = [log_file is not None]
    return close
