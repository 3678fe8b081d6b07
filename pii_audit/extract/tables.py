"""Shared judgement for tabular content: is a cell a label, is a row a header."""

from __future__ import annotations

from collections.abc import Sequence

# Common labels of Korean and English personal-data forms. Used only to tell a key:value form from
# a table whose first column holds data (names and labels look alike: short Hangul words).
FORM_LABEL_WORDS: tuple[str, ...] = (
    "성명", "이름", "성별", "생년월일", "생일", "나이", "연령", "주민", "등록번호", "외국인", "여권",
    "면허", "주소", "거주지", "주거", "본적", "고향", "출신", "연락처", "전화", "휴대", "핸드폰",
    "이메일", "메일", "직업", "직장", "소속", "직위", "국적", "입국", "학력", "가족", "보호자", "비고",
    "name", "birth", "dob", "address", "phone", "mobile", "email", "e-mail", "gender", "sex",
    "nationality", "passport", "occupation",
)  # fmt: skip


def is_label(value: object) -> bool:
    """A short piece of words without many digits, as column headers and form labels are."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or len(text) > 40 or "\n" in text:
        return False
    digits = sum(ch.isdigit() for ch in text)
    return digits <= len(text) * 0.3 and any(ch.isalpha() for ch in text)


def has_label_word(value: str) -> bool:
    lowered = value.strip().lower()
    return any(word in lowered for word in FORM_LABEL_WORDS)


def looks_like_header(cells: Sequence[object]) -> bool:
    """At least two non-empty cells, and most of them labels."""
    values = [c for c in cells if c is not None and str(c).strip()]
    if len(values) < 2:
        return False
    return sum(map(is_label, values)) >= len(values) * 0.8
