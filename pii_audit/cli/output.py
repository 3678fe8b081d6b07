"""Writing report files: created owner-only (0600), replaced atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: str | Path, content: str) -> None:
    write_private_bytes(path, content.encode("utf-8"))


def write_private_bytes(path: str | Path, content: bytes) -> None:
    target = Path(path)
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
