"""XLS, PPTX, ODT/ODS and the DOCX parts beside the body."""

import pytest

from pii_audit.errors import EncryptedFile
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import SegmentKind

from .formats import (
    P0,
    P1,
    P2,
    P3,
    PEOPLE,
    docx_extras_bytes,
    encrypted_xls_bytes,
    ods_bytes,
    odt_bytes,
    pptx_bytes,
    xls_bytes,
)


def test_xls_rows_dates_and_cells() -> None:
    result = extract(xls_bytes(), "명단.csv")
    assert result.format == "xls"
    roster = [s for s in result.segments if s.location.sheet == "명단"]
    assert roster[0].text == "2024년 명단" and roster[0].fields[0].cell == "A1"
    first = roster[1]
    assert first.text == (f"성명: {P0.name}\n생년월일: {P0.birth.isoformat()}\n주소: {P0.address}\n"
                          f"주민등록번호: {P0.rrn}\n번호: 9001011234570")  # fmt: skip
    assert [f.cell for f in first.fields] == ["A3", "B3", "C3", "D3", "E3"]
    assert len(roster) == 1 + len(PEOPLE)
    stats = [s for s in result.segments if s.location.sheet == "통계"]
    assert [s.text for s in stats] == ["2019\n1047"]


def test_encrypted_xls() -> None:
    data = encrypted_xls_bytes()
    assert sniff(data, "x") == "xls"
    with pytest.raises(EncryptedFile, match="encrypted: password-protected XLS"):
        extract(data, "x.xls")


def test_pptx_slides_tables_notes() -> None:
    result = extract(pptx_bytes(), "deck.zip")
    assert result.format == "pptx"
    by_page = [(s.location.page, s.kind, s.text) for s in result.segments]
    assert by_page[0] == (1, SegmentKind.PROSE, "정착 지원 대상자")
    assert by_page[1] == (1, SegmentKind.ROW, f"성명: {P0.name}\n주소: {P0.address}\n주민등록번호: {P0.rrn}")
    assert result.segments[2].fields[0].cell == "T1R3C1"
    assert (1, SegmentKind.PROSE, f"메모: {P2.name} {P2.phone}") in by_page  # speaker notes
    assert (2, SegmentKind.PROSE, f"{P3.name}, {P3.address}") in by_page  # inside a group


def test_odt_paragraphs_notes_tables() -> None:
    result = extract(odt_bytes(), "x")
    assert result.format == "odt"
    prose = [(s.location.line, s.text) for s in result.segments if s.kind is SegmentKind.PROSE]
    assert prose[0] == (1, f"교육생 명단\n신청인 {P2.name}  {P2.rrn}\n{P2.address}")  # text:s c=2
    assert (2, f"각주: {P3.name}") in prose  # the note, once, not inside its paragraph
    rows = [s for s in result.segments if s.kind is SegmentKind.ROW]
    assert [s.text for s in rows] == [f"성명: {p.name}\n주소: {p.address}\n주민등록번호: {p.rrn}" for p in (P0, P1)]
    assert rows[0].fields[0].cell == "T1R2C1"
    assert prose[-1] == (3, "목록 항목")  # tables do not count as paragraphs
    assert "\n".join(s.text for s in result.segments).count(P0.name) == 1


def test_encrypted_odt() -> None:
    with pytest.raises(EncryptedFile, match="encrypted: password-protected ODF"):
        extract(odt_bytes(encrypted=True), "x.odt")


def test_ods_sheets_values_and_repeats() -> None:
    result = extract(ods_bytes(), "x")
    assert result.format == "ods"
    roster = [s for s in result.segments if s.location.sheet == "명단"]
    assert len(roster) == 3
    expected = f"성명: {P0.name}\n생년월일: {P0.birth.isoformat()}\n주소: {P0.address}\n번호: 9001011234568"
    assert roster[0].text == expected
    assert [f.cell for f in roster[2].fields] == ["A4", "B4", "C4", "D4"]
    repeated = [s for s in result.segments if s.location.sheet == "반복"]
    assert len(repeated) == 100  # a repeated row is read a bounded number of times
    assert repeated[-1].fields[0].cell == "A100"


def test_docx_comments_tracked_changes_notes_and_text_boxes() -> None:
    result = extract(docx_extras_bytes(), "x")
    texts = [s.text for s in result.segments]
    assert texts[0] == f"정착지원 신청서\n신청인 {P1.name}\n{P0.name}\n본문 끝"  # inserted text in line; deleted after
    assert texts.count(f"글상자 {P3.name}") == 1  # the VML fallback copy is not read again
    assert f"각주: 주민번호 {P0.rrn}" in texts
    assert f"메모: 주소 {P0.address}" in texts
    assert "\n".join(texts).count(P0.rrn) == 1
