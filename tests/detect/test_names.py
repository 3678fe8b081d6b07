import pytest

from pii_audit.detect.korean.names import KoreanNameRecognizer

REC = KoreanNameRecognizer()


def names(text: str) -> list[str]:
    return [text[r.start : r.end] for r in REC.analyze(text, ["PERSON"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("홍정자님은 1950년 3월 3일생으로", ["홍정자"]),
        ("대상자: 김보람 / 생년월일: 1961-10-01", ["김보람"]),
        ("이중수 씨는 21세 남성으로", ["이중수"]),
        ("비상 연락처는 사촌 동생 이정숙 (010-7018-8451)", ["이정숙"]),
        ("비상연락처: 최해연 (어머니) 010-2278-4027", ["최해연"]),
        ("성명: 김준", ["김준"]),
        ("이 름: 서보람", ["서보람"]),
        ("남궁민수 선생님께서 오셨다", ["남궁민수"]),
        ("황보영희 과장에게 전달", ["황보영희"]),
        ("(상담자: 강현주)", ["강현주"]),
        ("신청서를 제출한 김철수는 이번에", ["김철수"]),
    ],
)
def test_finds_names_without_particles_or_honorifics(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "김 씨는 오늘 오지 않았다",  # a surname alone
        "한국의 정부는 정착 지원을 늘렸다",  # common nouns starting with a surname syllable
        "서울특별시청에서 열린 행사",
        "이번 조사의 결과",
        "고향은 양강도 혜산시이며",
        "전화 문의는 하나센터로",
    ],
)
def test_not_names(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("양향(1993-10-05, 강원도 원산시 출신) 씨가 센터를 방문하였다.", ["양향"]),
        ("내담자 이정옥 씨(54.02.15)는 함흥시 출신으로", ["이정옥"]),
        ("하서영(1973. 2. 5, 양강도 출신) 씨가", ["하서영"]),
    ],
)
def test_names_before_a_bracket(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_labelled_name_that_starts_like_a_word_is_still_a_name() -> None:
    assert names("성명: 고지원") == ["고지원"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("작업: 콜센터 통합 | 담당 부서: 인사팀 | 시작일: 2026-02-11", []),
        ("담당: 구매팀", []),
        ("담당자: 허민실, 성명: 이은실", ["허민실", "이은실"]),  # given names may end like an office (실)
        ("담당자: 김민수 (인사팀)", ["김민수"]),
    ],
)
def test_a_team_in_a_name_field_is_not_a_name(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("상담 대상 주지아의 생년월일은 1961년 5월 6일", ["주지아"]),
        ("설립일(2001년 6월 11일) 기념행사", []),
        ("담임 선생님과 면담", []),
        ("제갈 선생님께", []),
        ("정기상담(2023-03-02) 결과", []),
        # After a role word a word Kiwi knows is part of a phrase, unless a person's marks follow it.
        ("고객 포털 개편의 총 사업비는", []),
        ("내담자 한결 씨는 상담에 응했다", ["한결"]),
        ("회원 이슬 (010-1234-5678)", ["이슬"]),
        ("학생 조은 결석", ["조은"]),
        ("언니 이별 (010-1234-5678)", ["이별"]),
    ],
)
def test_role_words_and_common_compounds(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_name_followed_by_a_birth_date() -> None:
    assert names("김수빈이 2001.07.24생으로, 강원도 문천시에서") == ["김수빈"]
    assert names("정기상담 2023.03.02 결과") == []


def test_a_heading_followed_by_a_date_is_not_a_name() -> None:
    assert names("2023년 언론보도 모음\n2023. 1. 9. 하나원 수료식") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주결(92년, 함경북도 무산군 출신) 씨가 센터를 방문하였다.", ["주결"]),
        ("강정순(1967. 2. 5, 강원도 문천시 출신) 씨가 센터를 방문하였다.", ["강정순"]),
        ("한승현은 40세 남성으로 고향은 함경북도 김책시이며", ["한승현"]),
        ("양숙자는 06년생으로, 남포시 항구구역에서 살다가", ["양숙자"]),
    ],
)
def test_more_prose_phrasings(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_spaced_surname_after_a_verb_is_not_an_honorific() -> None:
    assert names("같은 단지에 사는 양 씨와 교류가 있으며") == []
    assert names("김영희양이 참석하였다") == ["김영희"]


def test_an_age_after_a_word_without_a_particle_is_not_a_name() -> None:
    assert names("참여자 평균 연령은 40세, 최연소 19세.") == []


def test_kiwi_on_the_sentence_and_its_neighbours_answers_as_on_the_whole_line() -> None:
    """`pos_confirmed` reads a candidate's sentence with the sentences either side of it instead of
    its whole line: on every POS candidate of the hand-written documents (as written, with their
    marks, and rendered), the same answer. (The sentence alone gave another answer on one of them.)"""
    from benchmarks.genres import DOCUMENTS, load
    from pii_audit.detect.korean import names as module
    from pii_audit.detect.korean.name_shape import not_a_name
    from pii_audit.detect.lines import line_bounds

    checked = confirmed = 0
    marked = [path.read_text(encoding="utf-8") for path in sorted(DOCUMENTS.glob("*_*/*")) if path.is_file()]
    for text in [doc.text for doc in load()] + marked:
        for m in module._CANDIDATE.finditer(text):
            length = module._pos_shape(text, m.start(), m.group("name"))
            if length is None:
                continue
            start, end = m.start(), m.start() + length
            if module.is_common_compound(text[start:end]) or not_a_name(text[start:end], strict=True):
                continue
            line_start, line_end = line_bounds(text, start)
            whole_line = (start - line_start, end - line_start) in module._proper_nouns(text[line_start:line_end])
            assert module.pos_confirmed(text, start, end) == whole_line, text[line_start:line_end]
            checked += 1
            confirmed += whole_line
    assert checked > 200 and confirmed > 100, (checked, confirmed)
