"""The CSV report: a row per file (rank order), or with `findings` a row per finding.

The header row is machine names in every language (`rank`, `severity`, `legal_categories`…) and so
are enum cells (`critical`, `everyone`, `unique_identifier`): scripts read CSV by those names. Only
`reasons` is text for people, in the report's language.

Written as UTF-8 with a byte-order mark so spreadsheet programs read Korean file names right. A cell
that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
apostrophe: file names and detected values are attacker-controlled.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pii_audit.report.view import LOCATION_KEYS, ReportView

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FILE_COLUMNS = (
    "rank",
    "path",
    "status",
    "reason",
    "severity",
    "risk_score",
    "persons",
    "exposed",
    "complete",
    "records",
    "reasons",
    "owner",
    "audience",
    "readers",
    "modified",
    "created",
    "stale",
    "actions",
    "legal_categories",
)


def defuse(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells; numbers and empty cells pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def file_rows(view: ReportView) -> Iterable[list[object]]:
    types = view.entity_types()
    yield [*FILE_COLUMNS, *types]
    for f in view.files:
        yield [
            f.rank,
            f.path,
            f.status,
            f.reason or "",
            f.severity,
            f.risk_score,
            f.persons,
            f.exposed_persons,
            f.complete_persons,
            f.records,
            "; ".join(f.reasons),
            f.owner or "",
            f.audience,
            "; ".join(f.readers),
            f.modified or "",
            f.created or "",
            "yes" if f.stale else "",
            " ".join(f.actions),
            " ".join(f.legal_categories),
            *(f.entity_counts.get(t, 0) for t in types),
        ]


def finding_rows(view: ReportView) -> Iterable[list[object]]:
    reveal = view.revealed
    head = ["rank", "path", "entity_type", "score", "masked", *LOCATION_KEYS, "legal_category"]
    yield [*head, *(["text"] if reveal else [])]
    for f in view.files:
        for x in f.findings:
            loc = x.location.to_dict()
            row: list[object] = [f.rank, f.path, x.entity_type, x.score, x.masked]
            row += ["" if loc[k] is None else loc[k] for k in LOCATION_KEYS]
            row.append(x.legal_category)
            if reveal:
                row.append(x.text or "")
            yield row


def render(view: ReportView, findings: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in finding_rows(view) if findings else file_rows(view):
        writer.writerow([defuse(v) for v in row])
    return "\ufeff" + out.getvalue()
