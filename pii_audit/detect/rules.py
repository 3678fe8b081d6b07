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


def data_files() -> list[Path]:
    """The word lists and gazetteers (every file in a subdirectory of the packaged patterns): the
    code recognizers always read them from the package, whatever `$PII_AUDIT_PATTERNS_DIR` says."""
    return sorted(p for p in PATTERNS_ROOT.rglob("*") if p.is_file() and p.parent != PATTERNS_ROOT)


def rule_files() -> list[Path]:
    """Every file that decides results: the pattern files of `patterns_dir()` and everything under
    it (recursively), and the packaged word lists and gazetteers."""
    directory = patterns_dir()
    default_pattern_paths()  # raises when the directory is missing
    files = {p.resolve() for p in directory.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml")}
    files |= {p.resolve() for p in data_files()}
    return sorted(files)


def rules_hash(paths: Sequence[Path] | None = None) -> str:
    """sha256 over the rule files (path below `patterns/`, size and bytes, in a fixed order), for
    caches and baselines: a changed word list or gazetteer changes it as a changed pattern does."""
    digest = hashlib.sha256()
    chosen = rule_files() if paths is None else [Path(p) for p in paths]
    keyed = sorted((_key(p), p) for p in chosen)
    for key, path in keyed:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise DetectError(f"{path}: cannot read pattern file ({exc.strerror})") from None
        digest.update(f"{key}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _key(path: Path) -> str:
    """`wordlists/korean_names.yaml` for a file under a patterns directory, else the file name."""
    for root in (patterns_dir(), PATTERNS_ROOT):
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return path.name
