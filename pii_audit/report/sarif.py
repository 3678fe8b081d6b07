"""The SARIF 2.1.0 report: a rule per entity type, a result per finding, for code-scanning dashboards.

Messages carry the masked value (the raw one only in a revealed view). The level follows the
file's severity, since a phone number in a defector roster matters more than one in a phone list.
A member of an archive points at the archive on disk and names the member as a logical location.
"""

from __future__ import annotations

import base64
import json
from importlib import metadata
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from pii_audit.i18n import DEFAULT, Translator
from pii_audit.i18n import terms as T
from pii_audit.i18n.status_reasons import say
from pii_audit.report.view import FileView, FindingView, ReportView

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "none": "none"}
ROOT_BASE = "SCANROOT"

DESCRIPTIONS = {
    "PERSON": "Person name",
    "DATE_OF_BIRTH": "Date of birth",
    "ADDRESS": "Residential address",
    "KR_RRN": "Korean resident registration number",
    "KR_FRN": "Korean foreigner registration number",
    "KR_PASSPORT": "Korean passport number",
    "KR_DRIVER_LICENSE": "Korean driver licence number",
    "KR_BRN": "Korean business registration number",
    "PHONE_NUMBER": "Phone number",
    "EMAIL_ADDRESS": "E-mail address",
    "CREDIT_CARD": "Credit card number",
    "NK_HOMETOWN": "North Korean hometown",
}


def information_uri() -> str | None:
    """The project's home page from the installed package metadata, when it declares one."""
    try:
        meta = metadata.metadata("pii-audit")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository") and url.strip():
            return url.strip()
    return meta["Home-page"] or None if "Home-page" in meta else None


def _utc(stamp: str) -> str:
    # SARIF's examples and most consumers use the Z form of UTC
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp


def _uri(f: FileView) -> str:
    # Relative URI reference: percent-encode everything but the separators (Korean names, spaces, #,
    # ?, a newline). A name that is not UTF-8 is encoded from its exact bytes: %FF, reversibly.
    if f.path_bytes:
        raw = base64.b64decode(f.path_bytes)
        return quote(raw.split(b"!", 1)[0] if f.member else raw, safe="/")
    return quote(f.outer, safe="/")


def _rule(entity_type: str, tr: Translator) -> dict[str, Any]:
    if tr.lang == DEFAULT:
        words = DESCRIPTIONS.get(entity_type, entity_type.replace("_", " ").capitalize())
        short, full = f"{words} found", f"A {words.lower()} ({entity_type}) was detected in a file."
    else:
        words = T.entity(tr, entity_type)
        short = tr.gettext("{entity} found").format(entity=words)
        full = tr.gettext("A {entity} ({type}) was detected in a file.").format(entity=words, type=entity_type)
    name = "".join(w.capitalize() for w in entity_type.split("_"))
    return {
        "id": entity_type,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["privacy", "pii"]},
    }


def _location(f: FileView, x: FindingView | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(f), "uriBaseId": ROOT_BASE}}
    loc: dict[str, Any] = {"physicalLocation": physical}
    if x is not None and x.location.line and not f.member:
        physical["region"] = {"startLine": x.location.line}
    logical = []
    if f.member:
        logical.append({"name": f.member.rsplit("!", 1)[-1], "fullyQualifiedName": f.path, "kind": "member"})
    if x is not None and x.location.sheet:
        cell = f"!{x.location.cell}" if x.location.cell else ""
        logical.append({"name": f"{x.location.sheet}{cell}", "kind": "sheet"})
    if logical:
        loc["logicalLocations"] = logical
    return loc


def _message(f: FileView, x: FindingView, tr: Translator) -> str:
    shown = x.masked
    if x.text is not None:
        shown = tr.gettext("{masked} (raw: {text})").format(masked=x.masked, text=x.text)
    text = tr.gettext("{entity} {value} in {path} — file severity {severity}, rank {rank}").format(
        entity=T.entity(tr, x.entity_type),
        value=shown,
        path=f.path,
        severity=T.severity(tr, f.severity),
        rank=f.rank,
    )
    why = "; ".join(f.reasons[:3])
    return f"{text}: {why}" if why else text


def to_dict(view: ReportView) -> dict[str, Any]:
    tr = view.tr
    types = sorted({x.entity_type for f in view.files for x in f.findings})
    index = {t: i for i, t in enumerate(types)}
    results = []
    for f in view.files:
        for x in f.findings:
            props: dict[str, Any] = {
                "severity": f.severity,
                "riskScore": f.risk_score,
                "fileRank": f.rank,
                "confidence": x.score,
                "legalCategory": x.legal_category,
                "location": {k: v for k, v in x.location.to_dict().items() if v is not None},
            }
            if f.member:
                props["archiveMember"] = f.member
            result: dict[str, Any] = {
                "ruleId": x.entity_type,
                "ruleIndex": index[x.entity_type],
                "level": LEVELS.get(f.severity, "warning"),
                "message": {"text": _message(f, x, tr)},
                "locations": [_location(f, x)],
                "rank": max(0.0, min(100.0, f.risk_score)),
                "properties": props,
            }
            if x.fingerprint:
                result["partialFingerprints"] = {"piiAuditValueHmac/v1": x.fingerprint}
            results.append(result)
    notifications = [
        {
            "level": "warning" if f.status == "failed" else "note",
            "message": {
                "text": tr.gettext("{status}: {path}: {reason}").format(
                    status=T.status(tr, f.status),
                    path=f.path,
                    reason=say(f.reason, tr) or tr.gettext("no reason given"),
                )
            },
            "locations": [_location(f, None)],
        }
        for f in view.not_scanned
    ] + [{"level": "note", "message": {"text": n}} for n in view.notices]
    driver: dict[str, Any] = {"name": "pii-audit", "version": view.tool_version, "semanticVersion": view.tool_version}
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = [_rule(t, tr) for t in types]
    invocation: dict[str, Any] = {
        "executionSuccessful": True,
        "startTimeUtc": _utc(view.started),
        "endTimeUtc": _utc(view.finished),
        "toolExecutionNotifications": notifications,
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "filesSeen": view.files_seen,
            "filesScanned": view.files_scanned,
            "filesSkipped": view.files_skipped,
            "filesFailed": view.files_failed,
            "distinctExposedPersons": view.distinct_exposed,
            "distinctPersons": view.distinct_persons,
            "revealed": view.revealed,
            "lang": tr.lang,
        },
    }
    if len(view.roots) == 1:
        base: dict[str, Any] = {"description": {"text": tr.gettext("scanned root: {root}").format(root=view.roots[0])}}
        root = PurePosixPath(view.roots[0])
        if root.is_absolute():
            base["uri"] = "file://" + quote(str(root).rstrip("/") + "/", safe="/")
        run["originalUriBaseIds"] = {ROOT_BASE: base}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(view: ReportView) -> str:
    return json.dumps(to_dict(view), ensure_ascii=False, indent=2) + "\n"
