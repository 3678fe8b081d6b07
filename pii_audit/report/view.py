"""The report view: what every file report renders, built from an AuditRun or from a saved JSON report.

Both roads go through the JSON contract (DESIGN.md), so re-rendering a saved `--format json` report
gives the same CSV/XLSX/HTML/SARIF as rendering the run that wrote it. Raw values (`text`) survive
only when the caller reveals; a view built without `reveal` holds masked values only.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pii_audit import legal
from pii_audit.errors import PiiAuditError
from pii_audit.i18n import DEFAULT, Translator, translator
from pii_audit.model import AUDIENCES, SEVERITIES, Audience, AuditRun, Location, Reason
from pii_audit.reasons import from_dict as reason_from_dict
from pii_audit.reasons import render_all
from pii_audit.report import json as json_report

STATUSES = ("scanned", "skipped", "failed")
LOCATION_KEYS = ("line", "page", "sheet", "cell", "start", "end")


class NotAReport(PiiAuditError):
    """The input is not a pii-audit JSON report (or not one this version can read)."""


@dataclass(frozen=True)
class FindingView:
    entity_type: str
    score: float
    masked: str
    location: Location
    fingerprint: str | None = None
    text: str | None = None  # raw value: only in a revealed view
    north_korean: bool = False
    legal_category: str = legal.PERSONAL


@dataclass(frozen=True)
class FileView:
    path: str
    status: str
    rank: int
    risk_score: float
    severity: str
    format: str | None = None
    size: int | None = None
    reason: str | None = None
    persons: int = 0
    exposed_persons: int = 0
    complete_persons: int = 0
    records: int = 0
    reasons: tuple[str, ...] = ()  # in the view's language (from `reason_codes` when the report has them)
    entity_counts: Mapping[str, int] = field(default_factory=dict)
    findings: tuple[FindingView, ...] = ()
    path_bytes: str | None = None  # base64 of the exact bytes of a path that is not UTF-8 (paths.py)
    reason_codes: tuple[Reason, ...] = ()
    contexts: tuple[str, ...] = ()  # sensitive-context categories (defector, health…)
    legal_categories: tuple[str, ...] = ()  # PIPA categories the file holds, strictest first
    owner: str | None = None
    audience: str = Audience.UNKNOWN.value
    readers: tuple[str, ...] = ()
    access_basis: str | None = None
    access_inherited: bool = False
    modified: str | None = None  # ISO 8601 UTC
    created: str | None = None
    stale: bool = False
    actions: tuple[str, ...] = ()

    @property
    def outer(self) -> str:
        """The file on disk or share: `outer.zip` for `outer.zip!inner/file.csv`."""
        return self.path.split("!", 1)[0]

    @property
    def member(self) -> str | None:
        """The path inside the container (`inner/file.csv`, nesting kept with `!`), if any."""
        parts = self.path.split("!", 1)
        return parts[1] if len(parts) == 2 else None


@dataclass(frozen=True)
class FolderView:
    path: str
    risk_score: float
    severity: str
    persons: int = 0
    files: int = 0


@dataclass(frozen=True)
class ReportView:
    tool_version: str
    roots: tuple[str, ...]
    started: str
    finished: str
    files_seen: int
    files_scanned: int
    files_skipped: int
    files_failed: int
    bytes_scanned: int
    files: tuple[FileView, ...]
    folders: tuple[FolderView, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    distinct_persons: int = 0
    distinct_exposed: int = 0
    notices: tuple[str, ...] = ()
    revealed: bool = False
    lang: str = DEFAULT  # the language renderers write for people

    @property
    def tr(self) -> Translator:
        return translator(self.lang)

    @property
    def scanned(self) -> tuple[FileView, ...]:
        return tuple(f for f in self.files if f.status == "scanned")

    @property
    def not_scanned(self) -> tuple[FileView, ...]:
        return tuple(f for f in self.files if f.status != "scanned")

    @property
    def files_at_risk(self) -> int:
        return sum(1 for f in self.files if f.exposed_persons)

    def severity_counts(self) -> dict[str, int]:
        """Scanned files per severity, worst first."""
        c = Counter(f.severity for f in self.scanned)
        return {s: c.get(s, 0) for s in reversed(SEVERITIES)}

    def entity_types(self) -> tuple[str, ...]:
        return tuple(sorted({t for f in self.files for t in f.entity_counts}))

    def category_counts(self) -> dict[str, int]:
        """Scanned files holding each PIPA category, strictest first."""
        c = Counter(x for f in self.scanned for x in f.legal_categories)
        return {k: c.get(k, 0) for k in legal.CATEGORIES}

    def top_folders(self, n: int = 10) -> tuple[FolderView, ...]:
        """Folders with exposed people, most people first; the root only when it is the only folder."""
        exposed = [f for f in self.folders if f.persons > 0]
        below_root = [f for f in exposed if f.path != "."]
        chosen = below_root or exposed
        return tuple(sorted(chosen, key=lambda f: (-f.persons, -f.risk_score, f.path))[:n])


def from_run(run: AuditRun, findings: bool = True, lang: str = DEFAULT) -> ReportView:
    """The view of a run in a language. `findings=False` leaves the findings out (the terminal shows
    none): a warm run then never decodes the cached findings."""
    reveal = run.options.get("reveal") is True
    if findings:
        return from_dict(json_report.to_dict(run, lang=lang), reveal=reveal, lang=lang)
    data = json_report.to_dict(run, lazy=True, lang=lang)
    for entry in data["files"]:
        entry["findings"] = []
    revealed = reveal and any(x.text is not None for e in run.files for x in e.result.findings)
    return dataclasses.replace(from_dict(data, reveal=reveal, lang=lang), revealed=revealed)


# ---- reading the JSON contract back -------------------------------------------------------------


def _get(obj: Mapping[str, Any], key: str, where: str, kinds: tuple[type, ...], required: bool = True) -> Any:
    if key not in obj or obj[key] is None:
        if required:
            raise NotAReport(f"{where}.{key} is missing")
        return None
    value = obj[key]
    # bool is an int in Python; a JSON true where a count belongs is still wrong
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise NotAReport(f"{where}.{key} should be {'/'.join(k.__name__ for k in kinds)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise NotAReport(f"{where}.{key} is not a finite number")
    return value


def _obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise NotAReport(f"{where} should be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise NotAReport(f"{where} should be a list")
    return value


def _count(obj: Mapping[str, Any], key: str, where: str, required: bool = False) -> int:
    value = _get(obj, key, where, (int,), required)
    if value is not None and value < 0:
        raise NotAReport(f"{where}.{key} is negative")
    return value or 0


def _severity(obj: Mapping[str, Any], where: str) -> str:
    value = _get(obj, "severity", where, (str,))
    if value not in SEVERITIES:
        raise NotAReport(f"{where}.severity is not one of {', '.join(SEVERITIES)}")
    return str(value)


def _location(obj: Mapping[str, Any], where: str) -> Location:
    loc = _obj(obj.get("location") or {}, f"{where}.location")
    parts: dict[str, Any] = {}
    for key in LOCATION_KEYS:
        kinds: tuple[type, ...] = (str,) if key in ("sheet", "cell") else (int,)
        parts[key] = _get(loc, key, f"{where}.location", kinds, required=False)
    return Location(**parts)


def _finding(obj: Any, where: str, reveal: bool, sensitive_file: bool) -> FindingView:
    f = _obj(obj, where)
    text = _get(f, "text", where, (str,), required=False)
    entity_type = _get(f, "entity_type", where, (str,))
    category = f.get("legal_category")
    if category not in legal.CATEGORIES:  # a report from before the categories, or a wrong value
        category = legal.finding_category(entity_type, sensitive_file)
    return FindingView(
        entity_type=entity_type,
        score=float(_get(f, "score", where, (int, float))),
        masked=_get(f, "masked", where, (str,)),
        location=_location(f, where),
        fingerprint=_get(f, "fingerprint", where, (str,), required=False),
        text=text if reveal else None,
        north_korean=f.get("north_korean") is True,
        legal_category=category,
    )


def _strings(f: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _list(f.get(key) or [], f"{where}.{key}")
    if not all(isinstance(v, str) for v in values):
        raise NotAReport(f"{where}.{key} should hold strings")
    return tuple(values)


def _file(obj: Any, where: str, reveal: bool, tr: Translator) -> FileView:
    f = _obj(obj, where)
    status = _get(f, "status", where, (str,))
    if status not in STATUSES:
        raise NotAReport(f"{where}.status is not one of {', '.join(STATUSES)}")
    counts = _obj(f.get("entity_counts") or {}, f"{where}.entity_counts")
    reasons = _strings(f, "reasons", where)
    codes = tuple(reason_from_dict(x) for x in _list(f.get("reason_codes") or [], f"{where}.reason_codes"))
    if any(c is None for c in codes):
        raise NotAReport(f"{where}.reason_codes should hold objects with a code and params")
    reason_codes = tuple(c for c in codes if c is not None)
    if reason_codes:  # words in the view's language; a report without codes keeps its own words
        reasons = render_all(reason_codes, tr)
    contexts = _strings(f, "contexts", where)
    sensitive = legal.is_sensitive_context(contexts)
    findings = tuple(
        _finding(x, f"{where}.findings[{i}]", reveal, sensitive)
        for i, x in enumerate(_list(f.get("findings"), f"{where}.findings"))
    )
    entity_counts = {str(k): _count(counts, k, f"{where}.entity_counts") for k in counts}
    categories = tuple(c for c in _strings(f, "legal_categories", where) if c in legal.CATEGORIES)
    if "legal_categories" not in f:
        categories = legal.file_categories([t for t, n in entity_counts.items() if n], contexts)
    audience = _get(f, "audience", where, (str,), required=False) or Audience.UNKNOWN.value
    if audience not in {a.value for a in AUDIENCES}:
        raise NotAReport(f"{where}.audience is not one of {', '.join(a.value for a in AUDIENCES)}")
    return FileView(
        path=_get(f, "path", where, (str,)),
        status=status,
        rank=_count(f, "rank", where, required=True),
        risk_score=float(_get(f, "risk_score", where, (int, float))),
        severity=_severity(f, where),
        format=_get(f, "format", where, (str,), required=False),
        size=_get(f, "size", where, (int,), required=False),
        reason=_get(f, "reason", where, (str,), required=False),
        persons=_count(f, "persons", where),
        exposed_persons=_count(f, "exposed_persons", where),
        complete_persons=_count(f, "identity_complete_persons", where),
        records=_count(f, "records", where),
        reasons=reasons,
        entity_counts=entity_counts,
        findings=findings,
        path_bytes=_get(f, "path_bytes", where, (str,), required=False),
        reason_codes=reason_codes,
        contexts=contexts,
        legal_categories=categories,
        owner=_get(f, "owner", where, (str,), required=False),
        audience=audience,
        readers=_strings(f, "readers", where),
        access_basis=_get(f, "access_basis", where, (str,), required=False),
        access_inherited=f.get("access_inherited") is True,
        modified=_get(f, "modified", where, (str,), required=False),
        created=_get(f, "created", where, (str,), required=False),
        stale=f.get("stale") is True,
        actions=_strings(f, "actions", where),
    )


def _folder(obj: Any, where: str) -> FolderView:
    f = _obj(obj, where)
    return FolderView(
        path=_get(f, "path", where, (str,)),
        risk_score=float(_get(f, "risk_score", where, (int, float))),
        severity=_severity(f, where),
        persons=_count(f, "persons", where),
        files=_count(f, "files", where),
    )


def from_dict(data: Any, reveal: bool = False, lang: str = DEFAULT) -> ReportView:
    """A view of a JSON report, in a language. Raises NotAReport, naming the first field that does
    not fit. Raw values in the JSON are dropped unless `reveal`."""
    root = _obj(data, "report")
    tool = _obj(root.get("tool"), "tool")
    if tool.get("name") != "pii-audit":
        raise NotAReport("tool.name is not pii-audit")
    scan = _obj(root.get("scan"), "scan")
    roots = _list(scan.get("roots"), "scan.roots")
    notices = _list(scan.get("notices") or [], "scan.notices")
    tr = translator(lang)
    files = tuple(_file(x, f"files[{i}]", reveal, tr) for i, x in enumerate(_list(root.get("files"), "files")))
    return ReportView(
        tool_version=str(_get(tool, "version", "tool", (str,))),
        roots=tuple(str(r) for r in roots),
        started=_get(scan, "started", "scan", (str,)),
        finished=_get(scan, "finished", "scan", (str,)),
        files_seen=_count(scan, "files_seen", "scan", required=True),
        files_scanned=_count(scan, "files_scanned", "scan", required=True),
        files_skipped=_count(scan, "files_skipped", "scan", required=True),
        files_failed=_count(scan, "files_failed", "scan", required=True),
        bytes_scanned=_count(scan, "bytes_scanned", "scan", required=True),
        files=files,
        folders=tuple(_folder(x, f"folders[{i}]") for i, x in enumerate(_list(root.get("folders") or [], "folders"))),
        options=dict(_obj(scan.get("options") or {}, "scan.options")),
        distinct_persons=_count(scan, "distinct_persons", "scan"),
        distinct_exposed=_count(scan, "distinct_exposed_persons", "scan"),
        notices=tuple(str(n) for n in notices),
        revealed=reveal and any(x.text is not None for f in files for x in f.findings),
        lang=tr.lang,
    )
