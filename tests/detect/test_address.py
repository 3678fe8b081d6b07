"""AddressRecognizer: one table of valid addresses (exact spans), one of hard negatives.

Every value here is synthetic (made-up building numbers, units and people).
"""

from __future__ import annotations

import time

import pytest
import regex

from pii_audit.detect.korean.address import AddressRecognizer
from pii_audit.detect.korean.gazetteer import load_gazetteer, trie_pattern


@pytest.fixture(scope="module")
def recognizer() -> AddressRecognizer:
    return AddressRecognizer("ko")


def spans(recognizer: AddressRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["ADDRESS"])]


# (text, expected address span) — the span must be exact: no particles, commas or closing words.
VALID = [
    # road-name addresses, full and short 시·도 forms
    (
        "주소: 서울특별시 노원구 노원로 270, 107동 504호 (중계동, 대림아파트)",
        "서울특별시 노원구 노원로 270, 107동 504호 (중계동, 대림아파트)",
    ),
    (
        "전북특별자치도 전주시 완산구 서신로 941, 106동 2303호",
        "전북특별자치도 전주시 완산구 서신로 941, 106동 2303호",
    ),
    ("고정순,1992-05-13,서울 송파구 충민로 218-33,2023-03-25", "서울 송파구 충민로 218-33"),
    (
        "강원특별자치도 춘천시 영서로 550, 118동 201호 (석사동)",
        "강원특별자치도 춘천시 영서로 550, 118동 201호 (석사동)",
    ),
    ("현재 서울특별시 관악구 남부순환로 254에 거주 중이며", "서울특별시 관악구 남부순환로 254"),
    (
        "현재 경기 안산시 단원구 원곡로 246, 107동 1602호 (원곡동, 보금자리아파트)에 거주 중이며",
        "경기 안산시 단원구 원곡로 246, 107동 1602호 (원곡동, 보금자리아파트)",
    ),
    ("경기도 수원시 장안구 수성로 12번길 5 2층입니다", "경기도 수원시 장안구 수성로 12번길 5 2층"),
    ("경기도 고양시 일산동구 중앙로1275번길 38-10", "경기도 고양시 일산동구 중앙로1275번길 38-10"),
    ("서울특별시 종로구 세종대로 지하 172", "서울특별시 종로구 세종대로 지하 172"),
    ("세종특별자치시 한누리대로 2130이고", "세종특별자치시 한누리대로 2130"),
    ("경기도 화성시 봉담읍 발안로 307-13", "경기도 화성시 봉담읍 발안로 307-13"),
    ("서울 강남구 테헤란로 152 (역삼동) 101호", "서울 강남구 테헤란로 152 (역삼동) 101호"),
    (
        "경기도 성남시 분당구 판교역로 235, 에이치스퀘어 N동 8층",
        "경기도 성남시 분당구 판교역로 235, 에이치스퀘어 N동 8층",
    ),
    ("제주 제주시 노연로 5 B1", "제주 제주시 노연로 5 B1"),
    ("인천시 남동구 인주대로 84입니다.", "인천시 남동구 인주대로 84"),
    ("충청북도 충주시 중앙로 12-1, 2층 201호 입니다.", "충청북도 충주시 중앙로 12-1, 2층 201호"),
    # postal code before the address joins the span
    ("(06236) 서울특별시 강남구 테헤란로 152, 2층", "(06236) 서울특별시 강남구 테헤란로 152, 2층"),
    # lot-number (지번) addresses
    ("주거지는 서울특별시 노원구 상계동 869-17번지이고 휴대전화", "서울특별시 노원구 상계동 869-17번지"),
    (
        "경기 부천시 상동 516-27 보금자리아파트 101동 1904호",
        "경기 부천시 상동 516-27 보금자리아파트 101동 1904호",
    ),
    (
        "경기도 부천시 심곡동 233-34 한빛아파트 116동 2003호,010-0000-0000",
        "경기도 부천시 심곡동 233-34 한빛아파트 116동 2003호",
    ),
    ("경기 안성시 공도읍 406 벽산아파트 117동 1403호", "경기 안성시 공도읍 406 벽산아파트 117동 1403호"),
    ("경기도 양평군 양평읍 양근리 123-4에서", "경기도 양평군 양평읍 양근리 123-4"),
    ("제주특별자치도 서귀포시 안덕면 사계리 산 12-3", "제주특별자치도 서귀포시 안덕면 사계리 산 12-3"),
    ("서울 중구 명동2가 54-1", "서울 중구 명동2가 54-1"),
    ("서울 노원구 상계동 123 주공아파트 101-1203 입니다", "서울 노원구 상계동 123 주공아파트 101-1203"),
    # without the 시·도
    ("강남구 테헤란로 152", "강남구 테헤란로 152"),
    ("수원시 팔달구 인계동 1111", "수원시 팔달구 인계동 1111"),
    # coarse shapes
    ("서울 송파구 잠실동에 산다", "서울 송파구 잠실동"),
    ("거주지: 경기도 안산시", "경기도 안산시"),
    # Korean addresses in English
    ("123 Teheran-ro, Gangnam-gu, Seoul 06236", "123 Teheran-ro, Gangnam-gu, Seoul 06236"),
    ("Apt 101-1203, 45 Nowon-ro, Nowon-gu, Seoul", "Apt 101-1203, 45 Nowon-ro, Nowon-gu, Seoul"),
    ("12, Jungang-ro 12beon-gil, Suwon-si, Gyeonggi-do", "12, Jungang-ro 12beon-gil, Suwon-si, Gyeonggi-do"),
]

# North Korean hometowns: (text, expected span); all must carry north_korean=True.
NORTH = [
    ("출신지: 양강도 혜산시 혜화동", "양강도 혜산시 혜화동"),
    ("내담자는 함경북도 회령시 출신으로 입국하였다", "함경북도 회령시"),
    ("대상자: 노순희 / 출신: 함경남도 단천시 신단천동", "함경남도 단천시 신단천동"),
    ("고향은 함경북도 김책시 성평동이며, 하나원을 수료", "함경북도 김책시 성평동"),
    ("평양시 중구역 동흥동 출신으로", "평양시 중구역 동흥동"),
    ("남포시 항구구역", "남포시 항구구역"),
    ("출신지: 강원도 원산시 해안동", "강원도 원산시 해안동"),
    ("함경남도 함흥시에서 살다가 탈북하였다", "함경남도 함흥시"),
    ("함경북도 회령 출신으로", "함경북도 회령"),
    ("출신지: 함경북도", "함경북도"),
    ("고향: 청진", "청진"),
    ("양강도 혜산시 혜화동 12인민반 거주", "양강도 혜산시 혜화동 12인민반"),
    ("Hoeryong, North Hamgyong Province", "Hoeryong, North Hamgyong Province"),
    ("He was born in Hyesan, Ryanggang Province in 1990.", "Hyesan, Ryanggang Province"),
    ("Chongjin, North Hamgyong", "Chongjin, North Hamgyong"),
    ("Musan County, North Hamgyeong Province", "Musan County, North Hamgyeong Province"),
    ("Wonsan, Kangwon Province", "Wonsan, Kangwon Province"),
    ("hometown: North Hamgyong Province", "North Hamgyong Province"),
]

NEGATIVE = [
    "서울",
    "Seoul",
    "경기도 지역",
    "서울 소재 기관",
    "부산에서 열린 행사",
    "서울특별시청",
    "강남구청에서 민원을 처리했다",
    "하나센터",
    "세종대로 일대에서 집회가 열렸다",
    "서울,1234,5678",
    "서울특별시,1234,5678",
    "2023년 서울 강남구 3곳",
    "서울특별시 강남구 1,234명",
    "경기도 31개 시군 중 수원시 12곳",
    "서울 2호선 강남역 3번 출구",
    "통일부는 서울 종로구에 있다",
    "서울 강남구 역삼동 일대 3개 단지",
    "경기 수원시 권선구 권선로 31번 버스",
    "서울시 노원구 상계로 5길",
    "대구 달서구 2023년 3월 1일",
    "경북 안동시 풍천면 인구 1,234명",
    "제주 1시간 30분",
    "함경북도 출신 주민",
    "함경북도와 양강도 출신이 80%를 차지",
    "회령시는 두만강에 접한 도시다",
    "평양에서 열린 열병식",
    "강원도 춘천시",
    "Gangnam-gu, Seoul",
    "In 2023 Seoul hosted the summit",
    "North Hamgyong Province accounts for 60% of defectors",
    "Meanwhile, North Hamgyong Province reported floods",
    "Chuncheon, Gangwon Province",
    "연도,남,여,합계\n2015,251,1024,1275",
    "2024. 3. 15. 예산 1,012억원 편성",
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_address_span(recognizer: AddressRecognizer, text: str, expected: str) -> None:
    assert spans(recognizer, text) == [expected]


@pytest.mark.parametrize(("text", "expected"), NORTH)
def test_north_korean_hometown(recognizer: AddressRecognizer, text: str, expected: str) -> None:
    results = recognizer.analyze(text, ["ADDRESS"])
    assert [text[r.start : r.end] for r in results] == [expected]
    assert results[0].recognition_metadata["north_korean"] is True


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_an_address(recognizer: AddressRecognizer, text: str) -> None:
    assert spans(recognizer, text) == []


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("서울특별시 노원구 노원로 270, 107동 504호", 0.85, 1.0),
        ("강남구 테헤란로 152", 0.6, 0.8),
        ("서울 송파구 잠실동", 0.4, 0.55),
        ("주소: 서울 송파구 잠실동", 0.6, 0.7),
        ("출신지: 함경북도", 0.6, 0.6),
        # an organisation's or a venue's address is kept but demoted
        ("서울특별시 중구 세종대로 110 서울시청에서 열린 회의", 0.4, 0.45),
        ("센터 주소: 서울 종로구 세종대로 209", 0.4, 0.45),
    ],
)
def test_scores(recognizer: AddressRecognizer, text: str, low: float, high: float) -> None:
    (result,) = recognizer.analyze(text, ["ADDRESS"])
    assert low <= result.score <= high


def test_postal_code_alone_only_after_cue(recognizer: AddressRecognizer) -> None:
    (result,) = recognizer.analyze("우편번호: 06236", ["ADDRESS"])
    assert result.score == pytest.approx(0.4)
    assert recognizer.analyze("접수번호 06236", ["ADDRESS"]) == []


def test_metadata_and_south_flag(recognizer: AddressRecognizer) -> None:
    (result,) = recognizer.analyze("서울 송파구 충민로 218-33", None)
    assert result.entity_type == "ADDRESS"
    assert result.recognition_metadata["recognizer_name"] == recognizer.name
    assert result.recognition_metadata["north_korean"] is False


def test_other_entities_requested(recognizer: AddressRecognizer) -> None:
    assert recognizer.analyze("서울 송파구 충민로 218-33", ["PERSON"]) == []


def test_languages() -> None:
    en = AddressRecognizer("en")
    assert en.supported_language == "en"
    assert en.supported_entities == ["ADDRESS"]
    assert [r.score > 0.8 for r in en.analyze("123 Teheran-ro, Gangnam-gu, Seoul 06236", ["ADDRESS"])] == [True]


def test_several_addresses_in_a_table(recognizer: AddressRecognizer) -> None:
    text = (
        "연번,성명,주소,출신지\n"
        '1,가나다,"강원특별자치도 춘천시 영서로 1, 118동 201호 (석사동, 래미안아파트)",황해북도 사리원시\n'
        "2,라마바,경기도 부천시 심곡동 2-3 한빛아파트 116동 2003호,평안남도 평성시\n"
    )
    results = recognizer.analyze(text, ["ADDRESS"])
    assert [(text[r.start : r.end], r.recognition_metadata["north_korean"]) for r in results] == [
        ("강원특별자치도 춘천시 영서로 1, 118동 201호 (석사동, 래미안아파트)", False),
        ("황해북도 사리원시", True),
        ("경기도 부천시 심곡동 2-3 한빛아파트 116동 2003호", False),
        ("평안남도 평성시", True),
    ]


ADVERSARIAL = [
    "가" * 100_000,
    "1-" * 50_000,
    "서울특별시 강남구 " * 10_000,
    "서울 강남구 테헤란로 1" + ", 101동" * 15_000,
    "서울 강남구 역삼동 1 " + "래미안 " * 15_000,
    "서울 강남구 테헤란로 1 (" + "역삼동, " * 15_000,
    "12 " + "Main " * 20_000,
    "12 Main Street" + ", Boston" * 12_000,
    "12 " + "Nowon-" * 16_000,
    "함경북도 회령시 " * 10_000,
    "출신: " * 20_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_input_returns_quickly(recognizer: AddressRecognizer, text: str) -> None:
    text = text[:100_000]
    started = time.perf_counter()
    recognizer.analyze(text, ["ADDRESS"])
    assert time.perf_counter() - started < 5.0


def test_gazetteer_covers_all_divisions() -> None:
    gz = load_gazetteer()
    assert len(gz.south) == 17
    assert {"서울", "세종", "강원도", "전라북도", "제주도"} <= gz.south_aliases()
    assert "수원시 장안구" in gz.south_districts()
    assert {"함경북도", "양강도", "평양시", "강원도"} <= gz.north_aliases()
    assert {"회령시", "혜산시", "중구역"} <= gz.north_districts()


@pytest.mark.parametrize("words", [["수원시", "수원시 장안구", "수성구"], ["a", "ab", "abc", "b"]])
def test_trie_pattern_matches_each_word_longest_first(words: list[str]) -> None:
    pattern = regex.compile(trie_pattern(words))
    for word in words:
        assert pattern.fullmatch(word)
    assert pattern.match(max(words, key=len)).group() == max(words, key=len)  # type: ignore[union-attr]
    assert not pattern.fullmatch("zzz")


def test_kaesong_under_north_hwanghae() -> None:
    from pii_audit.detect.korean.address import AddressRecognizer

    text = "출신지: 황해북도 개성시 자남동"
    (r,) = AddressRecognizer().analyze(text, ["ADDRESS"])
    assert text[r.start : r.end] == "황해북도 개성시 자남동" and r.recognition_metadata["north_korean"]
