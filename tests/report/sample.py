"""A hand-made JSON report (the DESIGN.md contract) with hostile names: markup, formulas, an archive
member, every status. Raw values are recognisable strings so tests can grep for them."""

from __future__ import annotations

from typing import Any

RAW = ("RAWNAME홍길동", "RAW-900101-1234567", "=RAW(1)+2")
HOSTILE = '<img src=x onerror=alert(1)>=HYPERLINK("http://evil")'


def _finding(entity: str, masked: str, raw: str, **location: Any) -> dict[str, Any]:
    loc = {"line": None, "page": None, "sheet": None, "cell": None, "start": None, "end": None, **location}
    return {"entity_type": entity, "score": 0.85, "location": loc, "masked": masked, "fingerprint": "ab12", "text": raw}


def sample_report() -> dict[str, Any]:
    files = [
        {
            "path": "hr/roster.xlsx",
            "format": "xlsx",
            "size": 1000,
            "status": "scanned",
            "reason": None,
            "rank": 1,
            "risk_score": 80.0,
            "severity": "critical",
            "persons": 2,
            "exposed_persons": 2,
            "identity_complete_persons": 2,
            "records": 2,
            "reasons": ["2 people with name or ID + birth date + address", "defector context"],
            "entity_counts": {"PERSON": 1, "KR_RRN": 1},
            "findings": [
                _finding("PERSON", "홍*동", RAW[0], sheet="명단", cell="A2", start=0, end=3),
                _finding("KR_RRN", "900101-1******", RAW[1], sheet="명단", cell="B2"),
            ],
        },
        {
            "path": f"hr/old.zip!{HOSTILE}/list.csv",
            "format": "csv",
            "size": 10,
            "status": "scanned",
            "reason": None,
            "rank": 2,
            "risk_score": 40.0,
            "severity": "medium",
            "persons": 1,
            "exposed_persons": 1,
            "identity_complete_persons": 0,
            "records": 1,
            "reasons": [f"reason with {HOSTILE}"],
            "entity_counts": {"PHONE_NUMBER": 1},
            "findings": [_finding("PHONE_NUMBER", "-010-****-**78", RAW[2], line=3)],
        },
        {
            "path": f"{HOSTILE}.txt",
            "format": "text",
            "size": 5,
            "status": "scanned",
            "reason": None,
            "rank": 3,
            "risk_score": 10.0,
            "severity": "low",
            "persons": 1,
            "records": 1,
            "reasons": [],
            "entity_counts": {"EMAIL_ADDRESS": 1},
            "findings": [_finding("EMAIL_ADDRESS", "@a***@example.org", "a@example.org", line=1)],
        },
        {
            "path": "blob.bin",
            "status": "skipped",
            "reason": "unsupported: data",
            "rank": 4,
            "risk_score": 0,
            "severity": "none",
            "findings": [],
        },
        {
            "path": "+broken.pdf",
            "status": "failed",
            "reason": "corrupt: <xref>",
            "rank": 5,
            "risk_score": 0,
            "severity": "none",
            "findings": [],
        },
    ]
    return {
        "tool": {"name": "pii-audit", "version": "0.1.0"},
        "scan": {
            "roots": ["/srv/share"],
            "started": "2024-05-01T10:00:00+00:00",
            "finished": "2024-05-01T10:01:00+00:00",
            "options": {"reveal": True},
            "files_seen": 5,
            "files_scanned": 3,
            "files_skipped": 1,
            "files_failed": 1,
            "bytes_scanned": 1015,
            "distinct_persons": 4,
            "distinct_exposed_persons": 3,
            "notices": [],
        },
        "files": files,
        "folders": [
            {"path": ".", "risk_score": 80.0, "severity": "critical", "persons": 3, "files": 5},
            {"path": "hr", "risk_score": 80.0, "severity": "critical", "persons": 3, "files": 2},
        ],
    }
