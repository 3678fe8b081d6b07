"""Allowlists: reviewed exceptions, each with the reason someone accepted it.

A rule matches findings by keyed fingerprint, by path glob, by entity type, or by a combination
(all given parts must match). Allowed findings are taken out of the file before it is scored and
listed as allowed (masked) in the JSON report. Fingerprints are HMACs under the run key, so a
reviewed false positive stays allowed across rescans made with the same key, and an allowlist
never holds a raw value: a rule's fingerprint must look like one (hex), anything else is refused.

Records (who is exposed) are built in the worker from findings we no longer have positions for,
so they are adjusted conservatively: an entity type is taken out of the records only when every
finding of that type in the file is allowed, and a record whose person key is an allowed
fingerprint is dropped. A partly allowed file never looks safer than its remaining findings.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pii_audit.errors import UsageError
from pii_audit.model import FileResult, Finding, type_set

FINGERPRINT = re.compile(r"^[0-9a-f]{16,64}$")
RULE_KEYS = ("fingerprint", "path", "entity-type", "reason")


class AllowlistError(UsageError):
    """An allowlist entry is malformed (exit 2)."""


@dataclass(frozen=True)
class AllowRule:
    reason: str
    fingerprint: str | None = None
    path: str | None = None  # a glob on the report path, its outer file (`a.zip` of `a.zip!b`) or its name
    entity_type: str | None = None
    source: str = ""  # the file the rule came from

    def matches(self, path: str, finding: Finding) -> bool:
        if self.fingerprint is not None and finding.fingerprint != self.fingerprint:
            return False
        if self.entity_type is not None and finding.entity_type != self.entity_type:
            return False
        return self.path is None or path_matches(path, self.path)

    def describe(self) -> dict[str, str]:
        out = {"reason": self.reason, "source": self.source}
        for name in ("fingerprint", "path", "entity_type"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


def path_matches(path: str, pattern: str) -> bool:
    outer = path.split("!", 1)[0]
    candidates = {path, outer, outer.rsplit("/", 1)[-1], path.rsplit("/", 1)[-1]}
    return any(fnmatch.fnmatchcase(c, pattern) for c in candidates)


def check_fingerprint(value: str, where: str) -> str:
    value = value.strip().lower()
    if not FINGERPRINT.match(value):
        raise AllowlistError(
            f"{where}: not a fingerprint (hex, from the `fingerprint` of a finding in the JSON report); "
            "an allowlist never holds a raw value"
        )
    return value


def parse_rules(items: object, where: str) -> tuple[AllowRule, ...]:
    """`[[allow]]` tables -> rules. `where` names the file for error messages."""
    if not isinstance(items, list):
        raise AllowlistError(f"{where}: `allow` must be an array of tables ([[allow]])")
    rules = []
    for n, item in enumerate(items, start=1):
        at = f"{where}: allow entry {n}"
        if not isinstance(item, Mapping):
            raise AllowlistError(f"{at} must be a table")
        for name in item:
            if name not in RULE_KEYS:
                raise AllowlistError(f"{at}: unknown key {name!r} (known: {', '.join(RULE_KEYS)})")
        values: dict[str, Any] = {}
        for name in RULE_KEYS:
            value = item.get(name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise AllowlistError(f"{at}: {name} must be a non-empty string")
            values[name] = value
        if not values["reason"]:
            raise AllowlistError(f"{at}: a reason is required (who reviewed it, and why it is acceptable)")
        if not any(values[k] for k in ("fingerprint", "path", "entity-type")):
            raise AllowlistError(f"{at}: give a fingerprint, a path or an entity-type")
        fp = check_fingerprint(values["fingerprint"], at) if values["fingerprint"] else None
        entity = values["entity-type"].strip().upper() if values["entity-type"] else None
        rules.append(AllowRule(values["reason"].strip(), fp, values["path"], entity, where))
    return tuple(rules)


@dataclass(frozen=True)
class Allowed:
    """A finding taken out of scoring by a rule (never with its raw value)."""

    finding: Finding
    rule: AllowRule


@dataclass
class AllowReview:
    """The callable the Auditor applies to every FileResult before scoring; remembers what it took out."""

    rules: Sequence[AllowRule]
    allowed: dict[str, list[Allowed]] = field(default_factory=dict)

    def __call__(self, result: FileResult) -> FileResult:
        if not self.rules or not result.findings:
            return result
        path = result.ref.path
        kept: list[Finding] = []
        taken: list[Allowed] = []
        for f in result.findings:
            rule = next((r for r in self.rules if r.matches(path, f)), None)
            if rule is None:
                kept.append(f)
            else:
                taken.append(Allowed(dataclasses.replace(f, text=None), rule))
        if not taken:
            return result
        self.allowed[path] = taken
        counts = Counter(result.counts)
        counts.subtract(a.finding.entity_type for a in taken)
        return dataclasses.replace(
            result,
            findings=tuple(kept),
            records=_records(result, kept, taken, {t for t, n in counts.items() if n > 0}),
            entity_counts=tuple((t, n) for t, n in sorted(counts.items()) if n > 0),
        )


def _records(
    result: FileResult, kept: Sequence[Finding], taken: Sequence[Allowed], remaining: set[str]
) -> tuple[Any, ...]:
    """`remaining`: the entity types still found in the file, listed or beyond the listing cap."""
    if not remaining:
        return ()
    gone = {a.finding.entity_type for a in taken} - remaining
    if not any(f.entity_type == "ADDRESS" and f.north_korean for f in kept):
        gone.add("NK_HOMETOWN")
    allowed_keys = {a.finding.fingerprint for a in taken}
    out = []
    for rec in result.records:
        if rec.key is not None and rec.key in allowed_keys:
            continue
        types = rec.entity_types - gone
        if types:
            out.append(dataclasses.replace(rec, entity_types=type_set(types)))
    return tuple(out)


def annotate(report: dict[str, Any], allowed: Mapping[str, Iterable[Allowed]]) -> None:
    """Add `allowed: [...]` (masked findings with the rule that allowed them) to files of a JSON report."""
    for entry in report.get("files", []):
        items = allowed.get(entry.get("path", ""))
        if not items:
            continue
        entry["allowed"] = [
            {
                "entity_type": a.finding.entity_type,
                "location": a.finding.location.to_dict(),
                "masked": a.finding.masked,
                "fingerprint": a.finding.fingerprint,
                "allowed_by": a.rule.describe(),
            }
            for a in items
        ]


def toml_block(rule: AllowRule, table: str) -> str:
    """One `[[allow]]` block as TOML text (JSON string escapes are valid TOML basic strings)."""
    import json

    lines = [f"[[{table}]]"]
    for key, value in (("fingerprint", rule.fingerprint), ("path", rule.path), ("entity-type", rule.entity_type)):
        if value is not None:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    lines.append(f"reason = {json.dumps(rule.reason, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
