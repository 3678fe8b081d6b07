"""Writing report files: created owner-only (0600), replaced atomically.

A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
written to in place: replacing it would put a regular file where the device or pipe was (as
root, `--output /dev/null` would replace the system's /dev/null).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pii_audit.finding_json import Utf8


def write_private(path: str | Path, content: str) -> None:
    write_private_bytes(path, content.encode("utf-8"))


def write_private_bytes(path: str | Path, content: bytes) -> None:
    write_private_parts(path, (content,))


def write_private_parts(path: str | Path, parts: Iterable[Utf8]) -> None:
    """The concatenation of `parts` (UTF-8 bytes, or views of them) to `path`, written part after
    part: a report of many megabytes is never joined in memory first."""
    target = Path(path)
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:  # not there yet (or a dangling link): a new private file
        special = False
    if special:
        with open(target, "wb") as fh:
            fh.writelines(parts)
        return
    import tempfile

    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".pii-audit-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.writelines(parts)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_stdout_parts(parts: Sequence[Utf8]) -> None:
    """The concatenation of `parts` (UTF-8) to stdout: as bytes when stdout writes UTF-8 (no
    decoding and encoding a report of many megabytes again), else as text in stdout's encoding."""
    import codecs

    buffer = getattr(sys.stdout, "buffer", None)
    encoding = getattr(sys.stdout, "encoding", None) or ""
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    if buffer is None or not utf8:
        sys.stdout.write(b"".join(parts).decode("utf-8"))
        return
    sys.stdout.flush()  # what was written as text before goes first
    buffer.writelines(parts)
    buffer.flush()
