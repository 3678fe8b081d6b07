import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pii_audit.extract.encoding import decode_text

TEXT = "성명: 김철수\n주소: 서울특별시 강남구 테헤란로 123 (역삼동)\n연락처: 010-0000-0000\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp949"), "cp949"),
        (TEXT.encode("euc-kr"), "cp949"),  # CP949 is a superset of EUC-KR
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: NUL bytes give it away
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-32"), "utf-32-le"),
    ],
)
def test_decodes_korean_encodings(data: bytes, encoding: str) -> None:
    assert decode_text(data) == (TEXT, encoding)


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_six_byte_name_is_cp949(codec: str) -> None:
    # charset-normalizer answers big5 for these six bytes
    assert decode_text("김철수".encode(codec)) == ("김철수", "cp949")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_pure_hangul(codec: str) -> None:
    assert decode_text("김철수".encode(codec)) == ("김철수", codec)


def test_nul_bytes_are_stripped() -> None:
    assert decode_text(b"abc\x00def") == ("abcdef", "utf-8")


def test_partial_head_cut_mid_character() -> None:
    data = "홍길동 서울".encode()[:-1]
    text, encoding = decode_text(data, partial=True)
    assert (text, encoding) == ("홍길동 서", "utf-8")


def test_mixed_utf8_and_cp949_lines() -> None:
    data = "김철수 서울\n".encode() + "홍길동 부산\n".encode("cp949")
    assert decode_text(data) == ("김철수 서울\n홍길동 부산\n", "utf-8+cp949")


def test_damaged_cp949_keeps_the_rest() -> None:
    data = bytearray(TEXT.encode("cp949"))
    data[3] = 0xFF  # inside the first name
    text, encoding = decode_text(bytes(data))
    assert encoding == "cp949" and text.endswith("연락처: 010-0000-0000\n")


@given(st.binary(max_size=300))
def test_never_raises(data: bytes) -> None:
    text, encoding = decode_text(data)
    assert isinstance(text, str) and "\x00" not in text and encoding
