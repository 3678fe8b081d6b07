"""The JSON report: the DESIGN.md contract (schema/report.schema.json)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pii_audit import legal
from pii_audit.finding_json import Utf8, encode_utf8, finding_to_dict
from pii_audit.i18n import DEFAULT, translator
from pii_audit.model import AuditRun, FileExposure, Status
from pii_audit.reasons import render_all

# 2: per-file owner, audience, readers, access_basis, access_inherited, modified, created, stale and
# actions. A report without `report_version` is version 1 and reads as audience `unknown`.
# 3: `lang` (the language of `reasons`), per-file `reason_codes`, `contexts`, `legal_categories`,
# and each finding's `legal_category`. Fields are only ever added.
REPORT_VERSION = 3


def timestamp(seconds: float | None) -> str | None:
    """Epoch seconds as an ISO 8601 UTC time (`2023-04-01T09:30:00+00:00`)."""
    if seconds is None:
        return None
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):  # a hostile or broken mtime is no reason to fail a report
        return None


class RawJSON:
    """JSON text in UTF-8 that `dumps_parts` passes on as it is (a file's findings, already
    encoded): it holds the bytes it is given (megabytes of cached findings are never copied)."""

    __slots__ = ("utf8",)

    def __init__(self, utf8: Utf8) -> None:
        self.utf8 = utf8


def _file(e: FileExposure, lazy: bool, lang: str) -> dict[str, Any]:
    r = e.result
    sensitive = legal.is_sensitive_context(r.context_terms)
    counts = r.counts
    return {
        "path": r.ref.path,
        **({"path_bytes": r.ref.path_bytes} if r.ref.path_bytes else {}),  # a name that is not UTF-8
        "format": r.format,
        "size": r.ref.size,
        "status": r.status.value,
        "reason": r.reason,
        "rank": e.rank,
        "risk_score": e.risk_score,
        "severity": e.severity,
        "persons": e.persons,
        "exposed_persons": e.exposed_persons,
        "identity_complete_persons": e.complete_persons,
        "records": len(r.records),
        "reasons": list(render_all(e.reasons, translator(lang))),
        "reason_codes": [x.to_dict() for x in e.reasons],
        "contexts": list(r.context_terms),
        "legal_categories": list(legal.file_categories([t for t, n in counts.items() if n], r.context_terms)),
        "owner": r.ref.access.owner,
        "audience": r.ref.access.audience.value,
        "readers": list(r.ref.access.readers),
        "access_basis": r.ref.access.basis,
        "access_inherited": r.ref.access.inherited,
        "modified": timestamp(r.ref.mtime),
        "created": timestamp(r.ref.created),
        "stale": e.stale,
        "actions": list(e.actions),
        "entity_counts": counts,
        "unlisted_findings": r.unlisted,
        "seconds": r.seconds,
        "notes": list(r.notes),
        "findings": (
            RawJSON(encode_utf8(r.findings, sensitive))  # cached findings carry their categories already
            if lazy
            else [finding_to_dict(f, sensitive) for f in r.findings]
        ),
    }


def to_dict(run: AuditRun, lazy: bool = False, lang: str = DEFAULT) -> dict[str, Any]:
    """The report as plain data. `lazy`: each file's findings as `RawJSON` text for `dumps` (a warm
    run copies the cached text instead of building and encoding every finding again). `lang` is the
    language of the text for people (`reasons`); keys, codes and enum values never change."""
    counts = run.counts
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "pii-audit", "version": run.tool_version},
        "lang": lang,
        "scan": {
            "roots": list(run.roots),
            "started": run.started,
            "finished": run.finished,
            "options": run.options,
            "files_seen": len(run.files),
            "files_scanned": counts[Status.SCANNED.value],
            "files_skipped": counts[Status.SKIPPED.value],
            "files_failed": counts[Status.FAILED.value],
            "bytes_scanned": sum(e.result.ref.size or 0 for e in run.files if e.result.status is Status.SCANNED),
            "distinct_persons": run.distinct_persons,
            "distinct_exposed_persons": run.distinct_exposed,
            "notices": list(run.notices),
        },
        "files": [_file(e, lazy, lang) for e in run.files],
        "folders": [
            {"path": f.path, "risk_score": f.risk_score, "severity": f.severity, "persons": f.persons, "files": f.files}
            for f in run.folders
        ],
    }


# What `json.dumps(value, ensure_ascii=False, separators=(",", ":"))` builds for each call, made once:
# the report encodes each file's entry apart from its findings.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)


def _file_parts(entry: dict[str, Any], out: list[Utf8]) -> None:
    findings = entry.get("findings")
    if not isinstance(findings, RawJSON):
        out.append(_compact(entry).encode("utf-8"))
        return
    rest = _compact({k: v for k, v in entry.items() if k != "findings"})
    out += ((rest[:-1] + ("," if len(rest) > 2 else "") + '"findings":').encode("utf-8"), findings.utf8, b"}")


def dumps_parts(data: dict[str, Any]) -> list[Utf8]:
    """Compact JSON in UTF-8, one line, as the parts that make it up (to be written one after the
    other): the C encoder (an indented dump of 100,000 findings takes seconds in the pure-Python
    one). `jq .` pretty-prints it. `RawJSON` findings are parts as they are: a warm run's cached
    findings go from the cache row to the report file without being decoded, encoded or copied."""
    files = data.get("files")
    if not isinstance(files, list):
        return [(_compact(data) + "\n").encode("utf-8")]
    head = _compact({k: v for k, v in data.items() if k != "files"})
    parts: list[Utf8] = [(head[:-1] + ("," if len(head) > 2 else "") + '"files":[').encode("utf-8")]
    for i, entry in enumerate(files):
        if i:
            parts.append(b",")
        _file_parts(entry, parts)
    parts.append(b"]}\n")
    return parts


def dumps_utf8(data: dict[str, Any]) -> bytes:
    """`dumps_parts` joined."""
    return b"".join(dumps_parts(data))


def dumps(data: dict[str, Any]) -> str:
    """`dumps_utf8` as text."""
    return dumps_utf8(data).decode("utf-8")


def render_utf8(run: AuditRun, lang: str = DEFAULT) -> bytes:
    return dumps_utf8(to_dict(run, lazy=True, lang=lang))


def render(run: AuditRun, lang: str = DEFAULT) -> str:
    return render_utf8(run, lang).decode("utf-8")
