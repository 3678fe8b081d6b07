"""The journal: one JSON object per line, created owner-only (0600), appended and synced one
change at a time, so an interruption loses at most the change in progress.

An entry holds what was done to which file, hashes, sizes, modes and times: never a detected
value (the reasons are the report's, which name types and counts, not values). Paths that are not
UTF-8 keep their exact bytes beside the readable form (`<key>_bytes`, base64), as reports do.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pii_audit.errors import RemedyError
from pii_audit.paths import from_os_name, path_bytes

VERSION = 1


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def path_fields(key: str, os_path: str) -> dict[str, str]:
    """`{key: readable}` plus `{key_bytes: base64}` when the name is not UTF-8."""
    shown, undecodable = from_os_name(os_path)
    return {key: shown, f"{key}_bytes": path_bytes(os_path)} if undecodable else {key: shown}


def os_path(entry: Mapping[str, Any], key: str) -> str:
    """The OS path `path_fields` recorded under `key`."""
    raw = entry.get(f"{key}_bytes")
    if isinstance(raw, str):
        return os.fsdecode(base64.b64decode(raw))
    value = entry.get(key)
    if not isinstance(value, str):
        raise RemedyError(f"journal entry without {key}")
    return value


class Journal:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def append(self, entry: Mapping[str, Any]) -> None:
        line = json.dumps({"v": VERSION, "time": now(), **entry}, ensure_ascii=False, sort_keys=True) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def entries(self) -> list[dict[str, Any]]:
        return read(self.path)


def read(path: str | Path) -> list[dict[str, Any]]:
    """Every entry, in order. A last line cut short by a crash is ignored; any other bad line is an error."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RemedyError(f"{p}: cannot read ({exc.strerror or type(exc).__name__})") from None
    except UnicodeDecodeError:
        raise RemedyError(f"{p}: not a pii-audit journal (not UTF-8)") from None
    lines = text.split("\n")
    out: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):  # no newline after it: the write was interrupted
                break
            raise RemedyError(f"{p}: line {number} is not JSON: not a pii-audit journal") from None
        if not isinstance(entry, dict) or entry.get("v") != VERSION or not isinstance(entry.get("action"), str):
            raise RemedyError(f"{p}: line {number} is not a pii-audit journal entry")
        out.append(entry)
    return out
