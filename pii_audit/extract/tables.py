"""Shared judgement for tabular content: is a cell a label, is a row a header."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pii_audit.extract.base import row_segment
from pii_audit.model import Location, Segment

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


Cells = list[tuple[int, str]]  # (1-based grid column, text) of the distinct cells of a row


def table_segments(
    rows: Sequence[tuple[int, Cells]], ref: Callable[[int, int], str], location: Location
) -> list[Segment]:
    """Segments of one document table (not a sheet): rows are (1-based row number, cells).

    A key:value form (`성명 | 홍길동`, also alternating `성명 | 홍길동 | 생년월일 | 1980-01-01`) gives one
    ROW segment for the whole table, so a person's form stays one record; a table whose first row is
    a header row gives one ROW segment per following row, labelled; any other table gives unlabelled
    rows. `ref(row, column)` names a cell (e.g. `T1R2C3`).
    """
    numbered = [(r, cells) for r, cells in rows if any(text for _, text in cells)]
    out: list[Segment | None] = []
    if is_form([cells for _, cells in numbered]):
        out.append(_form(numbered, ref, location))
    elif len(numbered) >= 2 and looks_like_header([text for _, text in numbered[0][1]]):
        header = header_map(numbered[0][1])
        for r, cells in numbered[1:]:
            out.append(_row(r, cells, [header.get(c) for c, _ in cells], ref, location))
    else:
        for r, cells in numbered:
            out.append(_row(r, cells, [], ref, location))
    return [s for s in out if s is not None]


def _row(
    r: int, cells: Cells, headers: list[str | None], ref: Callable[[int, int], str], location: Location
) -> Segment | None:
    return row_segment(headers, [text for _, text in cells], location, [ref(r, c) for c, _ in cells])


def _form(rows: list[tuple[int, Cells]], ref: Callable[[int, int], str], location: Location) -> Segment | None:
    labels: list[str | None] = []
    values: list[str] = []
    refs: list[str | None] = []
    for r, cells in rows:
        for i in range(0, len(cells), 2):
            pair = cells[i : i + 2]
            if len(pair) == 1:  # a lone cell (a section title across the form): unlabelled
                labels.append(None)
                column, value = pair[0]
            else:
                labels.append(pair[0][1])
                column, value = pair[1]
            values.append(value)
            refs.append(ref(r, column))
    return row_segment(labels, values, location, refs)


def header_map(cells: Cells) -> dict[int, str]:
    """Grid column → header text; a merged header cell labels every column it spans."""
    out: dict[int, str] = {}
    for i, (column, text) in enumerate(cells):
        end = cells[i + 1][0] if i + 1 < len(cells) else column + 1
        for c in range(column, end):
            out[c] = text
    return out


def is_form(rows: list[Cells]) -> bool:
    """Labels (known form words) in the even positions, values in the odd ones.

    Names and labels are both short Hangul words, so the label vocabulary is what tells a form
    (`성명 | 홍길동`) from a two-column list of people (`홍길동 | 010-…`); values rarely are labels,
    which tells a form from a header row (`성명 | 생년월일`).
    """
    keys = [cells[i][1] for cells in rows for i in range(0, len(cells) - 1, 2) if cells[i][1]]
    values = [cells[i][1] for cells in rows for i in range(1, len(cells), 2) if cells[i][1]]
    if not keys:
        return False
    labelled = [k for k in keys if is_label(k) and has_label_word(k)]
    value_labels = [v for v in values if is_label(v) and has_label_word(v)]
    return len(labelled) >= len(keys) * 0.5 and len(value_labels) < max(len(values), 1) * 0.25
