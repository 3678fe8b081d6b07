"""Baselines: what a gated run already knows about, so that CI fails only on what is new.

A baseline holds, per file path, the set of (entity_type, fingerprint) pairs of its findings and
the file's severity; never a value, a line or a cell, so editing a file elsewhere does not churn
it. Fingerprints are keyed HMACs: a baseline is only meaningful under the key that made it, so it
records an id of the key (an HMAC of a constant under the key; never the key) together with the
tool version and the rules hash that made it (detect-secrets' habit: a versioned baseline that
records its configuration).

A file is `known` when every finding in it is in the baseline for that path, else `new`; a file
that moves is new at its new path (a copy of a roster is a new exposure).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pii_audit import __version__
from pii_audit.errors import UsageError
from pii_audit.model import AuditRun, Finding, Status, severity_rank

VERSION = 1
FORMAT = "pii-audit-baseline"
_KEY_ID = b"pii-audit key id v1"
NEW, KNOWN = "new", "known"

Pair = tuple[str, str]  # (entity_type, fingerprint)


class BaselineError(UsageError):
    """A baseline cannot be read or does not fit this run (exit 2)."""


def key_id(key: bytes) -> str:
    """Which key made the fingerprints, without the key."""
    return hmac.new(key, _KEY_ID, hashlib.sha256).hexdigest()[:32]


def rules_hash() -> str:
    from pii_audit.detect.rules import rules_hash as patterns_hash

    return patterns_hash()


@dataclass(frozen=True)
class BaselineFile:
    severity: str
    findings: frozenset[Pair]


@dataclass(frozen=True)
class Baseline:
    key_id: str
    files: Mapping[str, BaselineFile]
    tool_version: str = __version__
    rules_hash: str = ""
    created: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    version: int = VERSION

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": self.version,
            "tool": {"name": "pii-audit", "version": self.tool_version},
            "created": self.created,
            "rules_hash": self.rules_hash,
            "key_id": self.key_id,
            "options": dict(self.options),
            "files": {
                path: {"severity": f.severity, "findings": [list(p) for p in sorted(f.findings)]}
                for path, f in sorted(self.files.items())
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> Baseline:
        try:
            data = json.loads(text)
        except ValueError:
            raise BaselineError(f"{where}: not a pii-audit baseline (not JSON)") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BaselineError(f"{where}: not a pii-audit baseline")
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise BaselineError(f"{where}: baseline version {version} is newer than this pii-audit reads ({VERSION})")
        try:
            files = {
                str(path): BaselineFile(
                    str(entry["severity"]), frozenset((str(t), str(fp)) for t, fp in entry["findings"])
                )
                for path, entry in data["files"].items()
            }
            return cls(
                key_id=str(data["key_id"]),
                files=files,
                tool_version=str(data.get("tool", {}).get("version", "")),
                rules_hash=str(data.get("rules_hash", "")),
                created=str(data.get("created", "")),
                options=dict(data.get("options") or {}),
                version=version,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError(f"{where}: malformed baseline") from None

    def check_key(self, key: bytes, where: str) -> None:
        if self.key_id != key_id(key):
            raise BaselineError(
                f"{where}: baseline was made with a different key; set PII_AUDIT_KEY to the key that made it "
                "(in CI: a secret), or make a new baseline with `pii-audit baseline`"
            )


def _pair(f: Finding) -> Pair:
    return (f.entity_type, f.fingerprint)


def from_run(run: AuditRun, key: bytes) -> Baseline:
    """The baseline of a run: scanned files with findings (allowed findings were taken out before)."""
    files = {
        e.result.ref.path: BaselineFile(e.severity, frozenset(_pair(f) for f in e.result.findings))
        for e in run.files
        if e.result.status is Status.SCANNED and e.result.findings
    }
    options = {k: v for k, v in run.options.items() if k not in ("reveal", "fail_on")}
    return Baseline(
        key_id=key_id(key),
        files=files,
        rules_hash=rules_hash(),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        options=options,
    )


def merge(old: Baseline, new: Baseline) -> Baseline:
    """`baseline --merge`: keep what the old baseline knew, add what this run found (same key)."""
    files = dict(old.files)
    for path, f in new.files.items():
        before = files.get(path)
        files[path] = f if before is None else BaselineFile(f.severity, before.findings | f.findings)
    return Baseline(new.key_id, files, new.tool_version, new.rules_hash, new.created, new.options)


@dataclass(frozen=True)
class Comparison:
    """A run against a baseline: which files and findings are new."""

    new: Mapping[str, frozenset[Pair]]  # path -> its findings not in the baseline (only files with some)

    def file_status(self, path: str) -> str:
        return NEW if path in self.new else KNOWN

    def finding_status(self, path: str, entity_type: str, fingerprint: str) -> str:
        return NEW if (entity_type, fingerprint) in self.new.get(path, frozenset()) else KNOWN


def compare(run: AuditRun, baseline: Baseline) -> Comparison:
    new: dict[str, frozenset[Pair]] = {}
    for e in run.files:
        known = baseline.files.get(e.result.ref.path)
        pairs = frozenset(_pair(f) for f in e.result.findings)
        fresh = pairs - (known.findings if known else frozenset())
        if fresh:
            new[e.result.ref.path] = fresh
    return Comparison(new)


def escalated(run: AuditRun, baseline: Baseline, comparison: Comparison) -> list[str]:
    """Known files (nothing new in them) whose severity rose since the baseline; they do not fail the gate."""
    return [
        e.result.ref.path
        for e in run.files
        if e.result.ref.path not in comparison.new
        and e.result.ref.path in baseline.files
        and severity_rank(e.severity) > severity_rank(baseline.files[e.result.ref.path].severity)
    ]


def annotate(report: dict[str, Any], comparison: Comparison) -> None:
    """Mark `baseline: new|known` on every file and finding of a JSON report (extra properties)."""
    for entry in report.get("files", []):
        path = entry.get("path", "")
        entry["baseline"] = comparison.file_status(path)
        for f in entry.get("findings", []):
            f["baseline"] = comparison.finding_status(path, f["entity_type"], f["fingerprint"])


def failing(run: AuditRun, fail_on: str, comparison: Comparison | None = None) -> list[str]:
    """Paths that fail the gate: at or above `fail_on`, and new when there is a baseline."""
    if fail_on == "never":
        return []
    floor = severity_rank(fail_on)
    return [
        e.result.ref.path
        for e in run.files
        if severity_rank(e.severity) >= floor and (comparison is None or e.result.ref.path in comparison.new)
    ]


EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE, EXIT_UNSCANNED = 0, 1, 2, 3


def exit_code(run: AuditRun, fail_on: str, comparison: Comparison | None = None, strict: bool = False) -> int:
    """0 nothing (new) at or above fail_on; 1 something is; 3 with strict, files not scanned and nothing else."""
    if failing(run, fail_on, comparison):
        return EXIT_FOUND
    if strict and any(e.result.status is not Status.SCANNED for e in run.files):
        return EXIT_UNSCANNED
    return EXIT_CLEAN


def unscanned(run: AuditRun) -> Iterable[str]:
    return (e.result.ref.path for e in run.files if e.result.status is not Status.SCANNED)
