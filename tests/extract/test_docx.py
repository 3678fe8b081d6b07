import io
import zipfile

from pii_audit.extract.docx import DocxExtractor
from pii_audit.model import SegmentKind

from .builders import PEOPLE, docx_bytes


def _segments() -> list:
    return list(DocxExtractor().extract(docx_bytes()).segments)


def test_prose_blocks_in_order_with_paragraph_numbers() -> None:
    segments = _segments()
    prose = [(s.location.line, s.text) for s in segments if s.kind is SegmentKind.PROSE]
    assert prose[0] == (1, f"정착지원 신청서\n신청인 {PEOPLE[0][0]}은 면담을 요청하였다.")
    assert prose[1] == (4, "아래 명단을 확인한다.")
    assert segments[2].kind is SegmentKind.ROW  # the table follows its paragraph
    assert (None, "대외비 - 정착지원팀") in prose and (None, "담당: 홍길동 010-9999-0000") in prose


def test_header_table_gives_one_row_per_person() -> None:
    rows = [s for s in _segments() if s.fields and s.fields[0].cell and s.fields[0].cell.startswith("T1")]
    assert [s.text for s in rows] == [f"성명: {n}\n주소: {a}\n연락처: {p}" for n, a, p in PEOPLE[:2]]
    assert [f.cell for f in rows[0].fields] == ["T1R2C1", "T1R2C2", "T1R2C3"]


def test_two_column_form_is_one_record() -> None:
    (form,) = [s for s in _segments() if s.fields and s.fields[0].cell == "T2R1C2"]
    name, address, phone = PEOPLE[2]
    assert form.text == f"성명: {name}\n주소: {address}\n연락처: {phone}"


def test_alternating_form_is_one_record() -> None:
    (form,) = [s for s in _segments() if s.fields and s.fields[0].cell == "T3R1C2"]
    name, address, phone = PEOPLE[3]
    assert form.text == f"성명: {name}\n생년월일: 1980-01-01\n주소: {address}\n연락처: {phone}"
    assert [f.cell for f in form.fields] == ["T3R1C2", "T3R1C4", "T3R2C2", "T3R2C4"]


def test_merged_header_cell_is_not_repeated() -> None:
    (row,) = [s for s in _segments() if s.fields and s.fields[0].cell == "T4R2C1"]
    name, _, phone = PEOPLE[4]
    assert row.text == f"인적사항: {name}\n인적사항: {phone}\n비고: 없음"


def test_template_is_read_like_a_document() -> None:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, body)
    result = DocxExtractor().extract(out.getvalue())
    assert result.segments[0].text.startswith("정착지원 신청서")
