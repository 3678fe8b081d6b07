import pytest

from pii_audit.errors import CorruptFile, EncryptedFile, ExtractError, UnsupportedFormat
from pii_audit.extract.registry import extract, sniff

from .builders import csv_text, docx_bytes, xlsx_bytes
from .pdfgen import make_pdf

OLE = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)


def _ole(*streams: str) -> bytes:
    return OLE + b"".join(s.encode("utf-16-le") + bytes(64) for s in streams)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (xlsx_bytes(), "명단.txt", "xlsx"),
        (docx_bytes(), "report.pdf", "docx"),
        (make_pdf([["hello"]]), "scan.docx", "pdf"),
        (csv_text().encode("cp949"), "export.dat", "csv"),
        (csv_text().replace(",", "\t").encode(), "export", "tsv"),
        (csv_text().encode(), "표.txt", "csv"),  # clearly tabular, whatever the name says
        ("이중수 씨는 21세 남성이며, 2021년 하나원을 수료하였다.\n".encode(), "notes.txt", "text"),
        (b"1,2\n3,4\n", "short.txt", "text"),  # unsure: text
        (b"1,2\n3,4\n", "short.csv", "text"),  # names never decide: the same bytes, the same answer
        ("가,나\n1,2\n".encode(), "short.txt", "csv"),  # a header of labels and a row: a table
        ("이름\t전화\n김민준\t010-1111-2222\n이서연\t010-3333-4444\n".encode("utf-16"), "export.txt", "tsv"),
        (b'{"name": "a", "x": 1}\n{"name": "b", "x": 2}\n{"name": "c", "x": 3}\n', "log.csv", "json"),  # JSON Lines
        (b"", "empty.xlsx", "text"),
        (_ole("EncryptionInfo", "EncryptedPackage"), "secret.xlsx", "ooxml-encrypted"),
        (_ole("Root Entry", "WordDocument"), "old.doc", "doc"),
        (_ole("Root Entry"), "thing.xlsx", "ole"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "photo.csv", "png"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "photo.txt", "jpeg"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "tool", "elf executable"),
        (b"MZ\x90\x00\x03" + bytes(100), "setup.txt", "windows executable"),
        (bytes(range(256)) * 4, "blob.txt", "binary"),
    ],
)
def test_sniff_by_content(data: bytes, name: str, kind: str) -> None:
    assert sniff(data, name) == kind


def test_extract_dispatches() -> None:
    assert extract(xlsx_bytes(), "x.txt").format == "xlsx"
    assert extract(csv_text().encode("cp949"), "x.dat").format == "csv"
    assert extract(b"", "empty.txt").segments == ()


def test_encrypted_ooxml() -> None:
    with pytest.raises(EncryptedFile) as info:
        extract(_ole("EncryptionInfo", "EncryptedPackage"), "secret.xlsx")
    assert info.value.status == "skipped" and str(info.value) == "encrypted"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), r"image \(OCR not enabled: --ocr\)"),  # tests/extract/test_ocr.py
        (b"\x7fELF\x02\x01\x01" + bytes(100), "unsupported format: elf executable"),
        (_ole("Root Entry"), "unsupported format: ole"),
        (bytes(range(256)) * 4, "unsupported format: binary"),
    ],
)
def test_unsupported(data: bytes, reason: str) -> None:
    with pytest.raises(UnsupportedFormat, match=reason):
        extract(data, "file.xlsx")


def test_garbage_named_xlsx_is_not_a_crash() -> None:
    with pytest.raises((CorruptFile, UnsupportedFormat)):
        extract(b"PK\x03\x04" + bytes(range(256)) * 8, "roster.xlsx")


@pytest.mark.parametrize("build", [xlsx_bytes, docx_bytes, lambda: make_pdf([["성명: 홍길동"]] * 3)])
@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_input_raises_only_extract_errors(build, fraction: float) -> None:
    data = build()
    cut = data[: int(len(data) * fraction)]
    try:
        extract(cut, "file")
    except ExtractError as exc:
        assert exc.status in ("failed", "skipped")


def test_library_errors_carry_no_content() -> None:
    data = xlsx_bytes()
    with pytest.raises(CorruptFile) as info:
        extract(data[: len(data) // 2], "x.xlsx")
    assert str(info.value).startswith("xlsx: ")
