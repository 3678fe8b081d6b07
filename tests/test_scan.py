"""scan_bytes on real files with the real detector: the per-file findings cap and streamed rows."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from pii_audit import scan as scan_mod
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
    assert (
        (a.exposed_persons, a.risk_score, a.reasons)
        == (b.exposed_persons, b.risk_score, b.reasons)
        == (
            40,
            a.risk_score,
            a.reasons,
        )
    )


def test_a_csv_roster_streams_every_row(detector: Detector, tmp_path: Path) -> None:
    lines = ["성명,생년월일,주소,연락처"] + [",".join(r) for r in roster_rows(600)]  # more rows than one group
    data = ("\n".join(lines) + "\n").encode("utf-8")
    result = scan(data, "export.csv", detector)
    assert result.counts["PERSON"] == 600 and assess(result).exposed_persons == 600
    assert result.findings[-1].location.line == 601


def scan_file(path: Path, detector: Detector, **options: object) -> FileResult:
    from pii_audit.scan import scan_one

    opts = AuditOptions(key=KEY, file_timeout=None, **options)  # type: ignore[arg-type]
    st = path.stat()
    ref = FileRef(path=path.name, location=str(path), size=st.st_size, mtime=st.st_mtime)
    (result,) = scan_one(ref, opts, detector)
    return result


def cp949_roster(path: Path, rows: int) -> Path:
    lines = ["성명,생년월일,주소,연락처"] + [",".join(r) for r in roster_rows(rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp949"))
    return path


def test_a_csv_over_the_size_limit_is_read_as_a_stream(
    detector: Detector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = cp949_roster(tmp_path / "export.csv", 300)
    loaded = scan_file(path, detector)
    monkeypatch.setattr(scan_mod, "STREAM_BYTES", 4096)
    streamed = scan_file(path, detector, max_file_bytes=4096)  # would be skipped if it had to be loaded
    assert streamed.status is Status.SCANNED and "read as a stream (too large to load whole)" in streamed.notes
    assert "encoding: cp949" in streamed.notes and streamed.format == "csv"
    assert tuple(streamed.findings) == tuple(loaded.findings) and streamed.records == loaded.records
    assert assess(streamed).exposed_persons == 300


def test_other_formats_over_the_size_limit_are_still_skipped(
    detector: Detector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_xlsx(300))
    monkeypatch.setattr(scan_mod, "STREAM_BYTES", 4096)
    result = scan_file(path, detector, max_file_bytes=4096)
    assert result.status is Status.SKIPPED and "size limit" in (result.reason or "")


def test_a_stream_that_breaks_keeps_what_was_read(
    detector: Detector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = cp949_roster(tmp_path / "export.csv", 300)
    with path.open("ab") as fh:  # a quoted field longer than the csv module's field limit
        fh.write(b'x,"' + b"y" * 200_000 + b'",z\r\n')
    monkeypatch.setattr(scan_mod, "STREAM_BYTES", 4096)
    result = scan_file(path, detector, max_file_bytes=4096)
    assert result.status is Status.FAILED and result.reason == "csv: malformed record"
    assert assess(result).exposed_persons == 300  # every row before the damage still counts
    assert "findings kept from the first 300 segments" in result.notes


def test_a_text_file_without_line_ends_streams_in_pieces(
    detector: Detector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text("가나다라 " * 700_000 + "연락처 010-2345-6789", encoding="utf-8")  # 3.5 M characters, no newline
    monkeypatch.setattr(scan_mod, "STREAM_BYTES", 4096)
    result = scan_file(path, detector, max_file_bytes=4096)
    assert result.status is Status.SCANNED and result.counts == {"PHONE_NUMBER": 1}


def test_the_deadline_grows_with_the_file() -> None:
    opts = AuditOptions(file_timeout=120.0)
    assert opts.deadline_for(None) == opts.deadline_for(1000) == 120.0
    assert opts.deadline_for(40 * 1024 * 1024) == 1200.0
    assert AuditOptions(file_timeout=None).deadline_for(10**9) is None
