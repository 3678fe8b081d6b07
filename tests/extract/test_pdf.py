import io

import pytest
from pypdf import PdfReader, PdfWriter

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.pdf import NO_TEXT_LAYER, PdfExtractor

from .builders import PEOPLE
from .pdfgen import make_pdf

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
