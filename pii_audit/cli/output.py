"""Writing report files: created owner-only (0600), replaced atomically.

A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
written to in place: replacing it would put a regular file where the device or pipe was (as
root, `--output /dev/null` would replace the system's /dev/null).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_private(path: str | Path, content: str) -> None:
    write_private_bytes(path, content.encode("utf-8"))


def write_private_bytes(path: str | Path, content: bytes) -> None:
    target = Path(path)
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:  # not there yet (or a dangling link): a new private file
        special = False
    if special:
        with open(target, "wb") as fh:
            fh.write(content)
        return
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".pii-audit-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
