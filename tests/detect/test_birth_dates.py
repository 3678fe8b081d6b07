import random
import re

import pytest

from pii_audit.detect.korean import birth_dates
from pii_audit.detect.korean.birth_dates import BirthDateRecognizer

REC = BirthDateRecognizer()


def dates(text: str) -> list[str]:
    return [text[r.start : r.end] for r in REC.analyze(text, ["DATE_OF_BIRTH"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("홍정자님은 1950년 3월 3일생으로", ["1950년 3월 3일"]),
        ("생년월일: 1961-10-01 / 출신: 함경북도", ["1961-10-01"]),
        ("생년월일: 1985. 7. 2.", ["1985. 7. 2."]),
        ("85.07.02생", ["85.07.02"]),
        ("85년생 남성", ["85년"]),
        ("born 2 July 1985 in Hyesan", ["2 July 1985"]),
        ("DOB: 07/02/1985", ["07/02/1985"]),
        ("Date of birth: July 2, 1985", ["July 2, 1985"]),
        ("생년월일: 850702", ["850702"]),
        ("생년월일: 1972-05-05\n가입일: 2023-08-18", ["1972-05-05"]),
    ],
)
def test_birth_dates(text: str, expected: list[str]) -> None:
    assert dates(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "입국일: 2023-11-26",
        "작성일: 2023-07-22",
        "■ 2023년 1월 10일 정기상담",
        "21세 남성으로",
        "생년월일: 1985-02-30",  # impossible date
        "생년월일: 2999-01-01",  # in the future
        "상담일 1985-07-02",
        "2008년 탈북하였다",
    ],
)
def test_not_birth_dates(text: str) -> None:
    assert dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("내담자 이정옥 씨(54.02.15)는 함흥시 출신으로", ["54.02.15"]),
        ("양향(1993-10-05, 강원도 원산시 출신) 씨가", ["1993-10-05"]),
        ("하서영(1973. 2. 5, 양강도 출신) 씨가", ["1973. 2. 5"]),
    ],
)
def test_a_date_in_brackets_after_a_name_is_a_birth_date(text: str, expected: list[str]) -> None:
    assert dates(text) == expected


def test_a_bracketed_date_after_an_event_is_not() -> None:
    assert dates("정기상담(2023-03-02) 결과 보고") == []


def test_a_bracketed_date_after_a_common_word_is_not() -> None:
    assert dates("설립일(2001년 6월 11일) 기념행사") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주결(92년, 함경북도 무산군 출신) 씨가", ["92년"]),
        ("강정순(1967. 2. 5, 강원도 문천시 출신) 씨가", ["1967. 2. 5"]),
        ("상담 대상 장민재의 생년월일은 87년, 출신지는 함경남도", ["87년"]),
    ],
)
def test_bare_years_and_bracketed_dates(text: str, expected: list[str]) -> None:
    assert dates(text) == expected


def test_a_bare_year_without_a_birth_cue_is_not_a_birth_date() -> None:
    assert dates("2008년 탈북하였다. 2015년, 하나원 수료") == []


def _nearest_cue_by_rfind(before: str) -> bool | None:
    """The plain definition: the cue found last wins, a birth cue on a tie."""
    from pii_audit.detect.korean.birth_dates import BIRTH_CUES, OTHER_DATE_CUES
    from pii_audit.detect.lines import squash

    low = squash(before)
    best_pos, best = -1, None
    for cues, kind in ((BIRTH_CUES, True), (OTHER_DATE_CUES, False)):
        for cue in cues:
            pos = low.rfind(cue)
            if pos > best_pos:
                best_pos, best = pos, kind
    return best


def test_birth_cue_is_the_nearest_cue() -> None:
    import random

    from pii_audit.detect.korean.birth_dates import BIRTH_CUES, OTHER_DATE_CUES, birth_cue

    pieces = [*BIRTH_CUES, *OTHER_DATE_CUES, "가", " ", ":", "1", "b", "생", "일"]
    rng = random.Random(7)
    for _ in range(5000):
        before = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert birth_cue(before) is _nearest_cue_by_rfind(before), before
    assert birth_cue("입국일 생년월일: ") is True and birth_cue("생년월일 입국일: ") is False
    assert birth_cue("성명: ") is None


def test_dates_are_read_from_their_groups_as_parse_date_reads_them() -> None:
    """`_find` reads each match's date from one `group` call (`_date_of`, `_compact_date`): the same
    date (or None) as `parse_date`, on every form, valid or not, and the same birth-year-only test."""
    import itertools
    import random

    from pii_audit.detect.korean import birth_dates as bd

    rng = random.Random(7)
    numbers = ["0", "00", "07", "12", "13", "29", "31", "32", "85", "99", "1900", "1985", "2024", "2099", "１９８５"]
    shapes = [
        "{0}년 {1}월 {2}일",
        "{0}-{1}-{2}",
        "{0}. {1}. {2}.",
        "{2} July {0}",
        "{2}nd of Sept. {0}",
        "Feb {2}, {0}",
        "{1}/{2}/{0}",
        "{1}.{2}.{0}",
        "{0}.{1}.{2}",
        "{0}년생",
        "({0}년)",
        "{0}{1}{2}",
    ]
    seen = 0
    for shape in shapes:
        for parts in itertools.product(numbers, repeat=3):
            if rng.random() > 0.2:
                continue
            text = "생년월일: " + shape.format(*parts) + " 생"
            for m in bd._DATE.finditer(text):
                groups = m.group(*bd._GROUPS)
                assert bd._date_of(*groups) == bd.parse_date(m), text
                year_only = {k for k, v in m.groupdict().items() if v} == {"y"}
                assert (not any(groups[1:])) == year_only, text
                seen += 1
            for m in bd._COMPACT.finditer(text):
                assert bd._compact_date(m.group("c")) == bd.parse_date(m), text
                seen += 1
    assert seen > 1000


def test_dates_without_a_month_name_are_found_by_the_numeric_pattern_alone() -> None:
    """In a text whose lower-cased form holds no month name's letters (and no `ſ`), `_find` scans
    with `_DATE_NUMERIC`: it finds exactly the dates `_DATE` finds there."""
    rng = random.Random(3)
    pieces = ["1985-07-02", "85.07.02", "1985년 7월 2일", "02/07/1985", "85년생", "3", "12", "-", ".", "/", " "]
    pieces += ["년", "생", "생년월일: ", "\n", "\t", "매출", "Total", "Q3", "Ju", "ly"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    numeric = [t for t in texts if "ſ" not in t and not birth_dates._MONTH_HINT.search(t.lower())]
    found = 0
    for text in numeric:
        expected = [m.span() for m in birth_dates._DATE.finditer(text)]
        assert [m.span() for m in birth_dates._DATE_NUMERIC.finditer(text)] == expected, repr(text)
        found += len(expected)
    assert found > 1000 and len(numeric) < len(texts)  # dates found; some texts held a month name


def test_compact_dates_written_from_the_first_digit_match_as_the_plain_pattern() -> None:
    plain = re.compile(r"(?<![\d\-])(?P<c>\d{8}|\d{6})(?![\d\-])")
    rng = random.Random(4)
    pieces = ["850702", "19850702", "1", "12", "-", " ", "생", ":", "a", "\n"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    found = 0
    for text in texts:
        expected = [m.span("c") for m in plain.finditer(text)]
        assert [m.span("c") for m in birth_dates._COMPACT.finditer(text)] == expected, repr(text)
        found += len(expected)
    assert found > 500
