"""Korean names beyond cue words (issue 12): where people write names without a label, and the
common words and organisations that only look like names. Sentences are made up in the shapes the
issue describes; none is copied from a labelled set."""

import pytest

from pii_audit.detect.korean.foreign_names import foreign_names
from pii_audit.detect.korean.name_shape import known_common, not_a_name, organisation
from pii_audit.detect.korean.names import KoreanNameRecognizer

REC = KoreanNameRecognizer()


def names(text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in REC.analyze(text, ["PERSON"]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # role words before the name, also aligned with spaces or ending a longer word
        ("원고 모지환 외 2명", ["모지환"]),
        ("판사 길도하", ["길도하"]),
        ("대표이사 탁민서", ["탁민서"]),
        ("피  고  인  옥재훈 (회사원)", ["옥재훈"]),
        ("현장소장 남궁혁은 누수를 알리지 않았다", ["남궁혁"]),
        ("작성: 총무팀 선하율 / 2024.06.03", ["선하율"]),
        ("팀장인 봉지석에게 보고하였다", ["봉지석"]),
        # a title after it
        ("탁재경 구청장이 참석했다", ["탁재경"]),
        ("수신: 변하온 귀하", ["변하온"]),
        # chat exports, PC and mobile
        ("[표다온] [오후 3:07] 자료 확인 부탁드립니다", ["표다온"]),
        ("[김결] [오전 9:12] 넵", ["김결"]),
        ("2024년 3월 2일 오후 8:15, 용하진 : 응 먹었어", ["용하진"]),
        # particles, including the bracketed forms of templates
        ("어제 채도율이(가) 데이터를 정리해서", ["채도율"]),
        ("시약 주문은 설지안에게 부탁드렸어요", ["설지안"]),
        # author lists
        ("채민결, 엄서담, 태도율 et al. (2021). 도시 열섬", ["엄서담", "채민결", "태도율"]),
        ("반지호¹, 인수아², 옥하진¹*", ["반지호", "옥하진", "인수아"]),
        ("기하윤·용태식·명지수 (2022). 지역 소멸", ["기하윤", "명지수", "용태식"]),
        # Hanja in brackets
        ("봉소영 (奉昭英) 연구원", ["봉소영"]),
        # a headerless roster row (cells rendered one per line) and a comma-separated line
        ("오세리\n880921-2982081\n인천 남동구 구월동 1138", ["오세리"]),
        ("박진,010-9012-3345,부산", ["박진"]),
        # key=value in logs and configs
        ("login ok user_id=48211 name=하도윤 ip=10.2.33.18", ["하도윤"]),
    ],
)
def test_names_found_by_their_slot(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the false names, each in a slot that would otherwise make it a name
        "부서, 감사실, 인사과, 홍보과 순으로 보고",
        "내담자 정보는 상담 목적 외에 쓰지 않는다",
        "문서는 다음 주까지 회람",
        "명의로 된 계약서 사본",
        "배송지 누락 order_id=20240611-000481",
        "원고 주장은 이유 없다",
        "[운영팀] [오전 11:01] 신임 팀장 환영회는 다음주에 합니다",
        "2. 신입사원 교육 일정 안내",
        "차량 이야기는 사기 사건과 무관하다",
        "전력 수요가 늘었다",
        "방과후 프로그램 예산",
        "고려대, 연세대, 서강대 학생 312명",
        "마포갑 보궐선거",
        "신한, 국민, 우리 은행 창구",
        "과장 모친상 (6/1) 경조금 지급",
        "함경남도, 황해남도 출신 입국자 수",
        "연번\n성명\n생년월일\n1998.04.17",
        "[공지봇] [오전 10:05] 빌드 #4821 성공 (v2.14.3)",
    ],
)
def test_common_words_and_organisations_are_not_names(text: str) -> None:
    assert names(text) == []


def test_name_shape_word_tests() -> None:
    assert known_common("부서") and known_common("정보는") and not known_common("정하람")
    assert organisation("감사실") and organisation("고려대") and organisation("신한") and organisation("마포갑")
    assert not organisation("박지원") and not not_a_name("엄지후")
    assert not_a_name("모친상", strict=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("보호자: 모 응우옌 티 란", ["응우옌 티 란"]),
        ("응우옌 티 란, 안나 코발스카 (2020). 이주 여성", ["안나 코발스카", "응우옌 티 란"]),
        ("이바노바 올가 님께 전달", ["이바노바 올가"]),
        ("장 민 씨가 왔다", []),  # one-syllable words read as Korean
    ],
)
def test_foreign_names_in_hangul(text: str, expected: list[str]) -> None:
    assert sorted(text[a:b] for a, b in foreign_names(text)) == expected
    assert names(text) == expected


def test_a_foreign_given_name_alone_is_left_to_the_korean_rules() -> None:
    assert foreign_names("마리아 님") == []
    assert names("마리아 님") == ["마리아"]  # an honorific makes it a name


def test_foreign_names_are_the_sequence_matches_at_every_start() -> None:
    """`foreign_names` tries `_SEQUENCE` only where `_FIRST_WORD` finds a listed word standing as a
    whole run: the same names as filtering every match of `_SEQUENCE.finditer` on the whole text."""
    import random

    from pii_audit.detect.korean import foreign_names as fn

    def full(text: str) -> list[tuple[int, int]]:
        return [
            m.span()
            for m in fn._SEQUENCE.finditer(text)
            if any(w in fn.FAMILY for w in m.group().split()) and any(len(w) >= 2 for w in m.group().split())
        ]

    rng = random.Random(11)
    words = sorted(fn._ALL)
    glue = [" ", "\t", "  ", "\n", "", "(", ", ", "씨 ", "님은 ", "는 ", "가 "]
    other = ["회의", "담당", "김", "정", "응", "A", "3", "팀장", "서울"]
    found = 0
    for _ in range(3000):
        pieces = [rng.choice(words) if rng.random() < 0.7 else rng.choice(other) for _ in range(rng.randint(1, 8))]
        text = "".join(p + rng.choice(glue) for p in pieces)
        expected = full(text)
        assert fn.foreign_names(text) == expected, repr(text)
        found += len(expected)
    assert found > 500
