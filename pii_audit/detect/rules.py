"""Where the pattern files are and a hash of them: the light half of the loader, importable without
Presidio (caches and baselines need the hash on runs that never build a detector)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from pii_audit.errors import DetectError
from pii_audit.resources import PATTERNS_ROOT

PATTERNS_DIR_ENV = "PII_AUDIT_PATTERNS_DIR"


def patterns_dir() -> Path:
    """The pattern directory: `$PII_AUDIT_PATTERNS_DIR`, else the repository's `patterns/`."""
    override = os.environ.get(PATTERNS_DIR_ENV)
    return Path(override) if override else PATTERNS_ROOT


def default_pattern_paths() -> list[Path]:
    """Every `*.yaml` in `patterns_dir()`, sorted by name."""
    directory = patterns_dir()
    if not directory.is_dir():
        raise DetectError(f"{directory}: pattern directory not found (set {PATTERNS_DIR_ENV})")
    return sorted(directory.glob("*.yaml"))


def rules_hash(paths: Sequence[Path] | None = None) -> str:
    """sha256 over the pattern files (name and bytes, sorted by name), for caches and baselines."""
    digest = hashlib.sha256()
    chosen = default_pattern_paths() if paths is None else [Path(p) for p in paths]
    for path in sorted(chosen, key=lambda p: (p.name, str(p))):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise DetectError(f"{path}: cannot read pattern file ({exc.strerror})") from None
        digest.update(f"{path.name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()
