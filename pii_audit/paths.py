"""Report paths: the real name in machine-read reports, an escaped one where people read lines.

A file name may hold a newline, a tab or bytes that are not UTF-8. JSON, CSV and SARIF carry the
real name, so a consumer can tell `line\\nbreak.csv` from a file really named `line\\x0abreak.csv`.
Bytes that are not valid UTF-8 cannot be text: in `path` they appear as `\\xNN`, and the report adds
`path_bytes`, the base64 of the path's exact bytes (UTF-8 for the rest), so the name is
recoverable. The terminal, logs, HTML and XLSX show `display_path`: control characters as `\\xNN`,
so a name can never forge a line of a report a person reads.
"""

from __future__ import annotations

import base64
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # how Python names a byte that is not UTF-8


def from_os_name(name: str) -> tuple[str, bool]:
    """A name from the file system (undecodable bytes as surrogate escapes) as report text, and
    whether it had such bytes (then its exact bytes must travel as `path_bytes`)."""
    if name.isascii() or not _ESCAPED_BYTE.search(name):
        return name, False
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"), True


def path_bytes(os_path: str) -> str:
    """The base64 of a path's exact bytes (a path from the file system, surrogate escapes kept)."""
    return base64.b64encode(os_path.encode("utf-8", "surrogateescape")).decode("ascii")


def display_path(path: str) -> str:
    """A path for a terminal, a log, HTML or a spreadsheet: control characters as `\\xNN`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path)


def member_path_bytes(container: str | None, suffix: str) -> str | None:
    """`path_bytes` of a member (`suffix` is `!name`) of a container whose path has them."""
    if container is None:
        return None
    return base64.b64encode(base64.b64decode(container) + suffix.encode("utf-8")).decode("ascii")
