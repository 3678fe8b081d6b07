import io

import pytest
from pypdf import PdfReader, PdfWriter

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.pdf import NO_TEXT_LAYER, PdfExtractor
from pii_audit.extract.registry import extract

from .builders import PEOPLE
from .pdfgen import make_cells_pdf, make_pdf

PAGES = [
    ["교육 수료 대장", f"1. 성명: {PEOPLE[0][0]}  생년월일: 1983.10.04", f"   주소: {PEOPLE[0][1]}"],
    [f"2. 성명: {PEOPLE[1][0]}  연락처: {PEOPLE[1][2]}"],
]


def _encrypt(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_korean_text_per_page() -> None:
    result = PdfExtractor().extract(make_pdf(PAGES))
    assert [(s.location.page, s.location.line) for s in result.segments] == [(1, 1), (2, 1)]
    assert f"성명: {PEOPLE[0][0]}" in result.segments[0].text
    assert PEOPLE[0][1] in result.segments[0].text
    assert PEOPLE[1][2] in result.segments[1].text
    assert result.notes == ()


def test_owner_password_only_is_read() -> None:
    result = PdfExtractor().extract(_encrypt(make_pdf(PAGES), user="", owner="owner-secret"))
    assert PEOPLE[1][2] in result.segments[1].text


def test_user_password_is_encrypted() -> None:
    with pytest.raises(EncryptedFile, match="encrypted"):
        PdfExtractor().extract(_encrypt(make_pdf(PAGES), user="secret", owner="secret"))


def test_image_only_pdf_is_noted() -> None:
    result = PdfExtractor().extract(make_pdf([[], []]))
    assert result.segments == () and result.notes == (NO_TEXT_LAYER,)


def test_not_a_pdf_is_corrupt() -> None:
    with pytest.raises(CorruptFile):
        PdfExtractor().extract(b"%PDF-1.7\nthis is not a pdf body")


def test_aes_with_empty_user_password_is_read() -> None:
    pytest.importorskip("cryptography")
    data = make_pdf(PAGES)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    result = PdfExtractor().extract(out.getvalue())
    assert PEOPLE[0][1] in result.segments[0].text


def test_spreadsheet_cells_printed_apart_stay_apart() -> None:
    # A roster printed from a spreadsheet: each cell its own text object, a point between cells.
    rows = [["성명", "주민등록번호", "주소"], ["홍길동", "800101-1234567", "서울시 강남구"]]
    text = "\n".join(s.text for s in extract(make_cells_pdf(rows, gap=1.0), "명단.pdf").segments)
    assert text.split("\n") == ["성명 주민등록번호 주소", "홍길동 800101-1234567 서울시 강남구"]
