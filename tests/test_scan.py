"""scan_bytes on real files with the real detector: the per-file findings cap and streamed rows."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook

from pii_audit.detect.engine import Detector
from pii_audit.model import FileRef, FileResult, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_bytes
from pii_audit.score import assess

KEY = b"k" * 32
SURNAMES = "김이박최정"
GIVEN = ("영수", "순희", "철민", "은정", "민호", "지영")


def roster_rows(n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        name = SURNAMES[i % 5] + GIVEN[(i // 5) % 6]
        birth = dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28).isoformat()
        rows.append([name, birth, f"서울특별시 노원구 노원로 {100 + i}", f"010-{2000 + i:04d}-{5000 + i:04d}"])
    return rows


def roster_xlsx(n: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("명단")
    ws.append(["성명", "생년월일", "주소", "연락처"])
    for row in roster_rows(n):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def scan(data: bytes, name: str, detector: Detector, **options: object) -> FileResult:
    opts = AuditOptions(key=KEY, file_timeout=None, **options)  # type: ignore[arg-type]
    ref = FileRef(path=name, location=name, size=len(data))
    (result,) = scan_bytes(ref, data, opts, detector, depth=0)
    return result


def test_findings_beyond_the_cap_are_counted_but_not_listed(detector: Detector) -> None:
    data = roster_xlsx(40)
    full = scan(data, "roster.xlsx", detector, max_findings=0)
    capped = scan(data, "roster.xlsx", detector, max_findings=25)
    assert full.status is Status.SCANNED and len(full.findings) == 160  # 4 values in each of 40 rows
    assert tuple(capped.findings) == tuple(full.findings[:25])
    assert capped.counts == full.counts == {"ADDRESS": 40, "DATE_OF_BIRTH": 40, "PERSON": 40, "PHONE_NUMBER": 40}
    assert capped.unlisted == 135 and full.unlisted == 0
    assert capped.records == full.records
    assert any("135 findings beyond the first 25" in n for n in capped.notes)
    a, b = assess(full), assess(capped)
    assert (a.exposed_persons, a.risk_score, a.reasons) == (b.exposed_persons, b.risk_score, b.reasons) == (
        40,
        a.risk_score,
        a.reasons,
    )


def test_a_csv_roster_streams_every_row(detector: Detector, tmp_path: Path) -> None:
    lines = ["성명,생년월일,주소,연락처"] + [",".join(r) for r in roster_rows(600)]  # more rows than one group
    data = ("\n".join(lines) + "\n").encode("utf-8")
    result = scan(data, "export.csv", detector)
    assert result.counts["PERSON"] == 600 and assess(result).exposed_persons == 600
    assert result.findings[-1].location.line == 601
