"""Include/exclude globs, the same for every store: a pattern matches the path relative to the root
(`hr/*.xlsx`) or the entry's last component (`*.xlsx`). fnmatch semantics, case-sensitive."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence


def matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def selected(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether an entry is listed: not excluded, and included when there are includes."""
    if exclude and matches(rel, exclude):
        return False
    return not include or matches(rel, include)


def under_prefix(rel: str, prefix: str) -> str:
    """The path reports show: behind the root's label when several roots are scanned together."""
    return f"{prefix}/{rel}" if prefix else rel
