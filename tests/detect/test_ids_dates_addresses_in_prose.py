"""IDs, birth dates and addresses as other people write them (issue 12): failed check digits reported
with a note, IDs alone on a line, two-digit years, partial addresses. Values are made up."""

import pytest

from pii_audit.detect.engine import Detector


def found(detector: Detector, text: str) -> set[tuple[str, str]]:
    return {(d.entity_type, text[d.start : d.end]) for d in detector.detect(text)}


def test_failed_check_digit_with_a_real_date_is_reported_lower_with_a_note(detector: Detector) -> None:
    for text in ("주민등록번호 870423-1234567", "윤하은 (930714-2876541)"):
        (d,) = [d for d in detector.detect(text) if d.entity_type == "KR_RRN"]
        assert d.score <= 0.7 and d.note and "check digit" in d.note
    (valid,) = detector.detect("주민등록번호 850702-1008313")
    assert valid.score == 1.0 and valid.note is None


@pytest.mark.parametrize(
    "text",
    [
        "주민등록번호 870230-1234567",  # 30 February
        "주민등록번호 870423-5234567",  # a foreigner's century digit: not an RRN
        "주문번호 870423-1234567",  # says what it is
        "접수 완료 870423-1234567 처리",  # neither alone nor in context
    ],
)
def test_impossible_or_explained_rrn_shapes_stay_out(detector: Detector, text: str) -> None:
    assert not [d for d in detector.detect(text) if d.entity_type == "KR_RRN"]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("M70418352", "KR_PASSPORT", "M70418352"),
        ("- 11-12-408815-31", "KR_DRIVER_LICENSE", "11-12-408815-31"),
        ("서울 09-481726-55", "KR_DRIVER_LICENSE", "서울 09-481726-55"),
        ("8803152748525", "KR_RRN", "8803152748525"),
    ],
)
def test_ids_alone_on_their_line(detector: Detector, text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "송장번호 M70418352 배송 중",  # a context that says otherwise
        "품번 11-12-408815-31 재고 4",
        "M12345678",  # a sequential placeholder
        "114124088153",  # twelve plain digits alone
        "S20240611",  # a date-shaped build id alone
    ],
)
def test_id_shapes_that_are_not_ids(detector: Detector, text: str) -> None:
    assert not {k for k, _ in found(detector, text)} & {"KR_PASSPORT", "KR_DRIVER_LICENSE"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("서하나 (89년 3월 7일생) 8월 복직 희망", "89년 3월 7일"),
        ("내담자: 여수아 (여, 93년 11월 2일 출생)", "93년 11월 2일"),
        ("석주안 850702생", "850702"),
        ("   연번  성명    생년월일       주소\n   1    유지안   1998.04.17   마포구 망원동 412-9", "1998.04.17"),
        ("소유진\t1993-02-11\t010-4821-7730\t수원시 영통구 매탄동", "1993-02-11"),
        ("김준\n1993-02-11\n010-4821-7730", "1993-02-11"),
    ],
)
def test_birth_dates_people_write(detector: Detector, text: str, value: str) -> None:
    assert ("DATE_OF_BIRTH", value) in found(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "89년 3월 7일 회의록",  # a two-digit year without birth context
        "   연번  성명    입사일\n   1    유지안   2019.04.17",  # the header says another date
        "소유진\t2023-02-11\t010-4821-7730\t가입일",  # the row says another date
        "A-1021\t2023-02-11\t모니터\t12",  # no name, no phone
    ],
)
def test_dates_that_are_not_birth_dates(detector: Detector, text: str) -> None:
    assert not [d for d in detector.detect(text) if d.entity_type == "DATE_OF_BIRTH"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("현재 관악구 봉천동에서 혼자 거주 중이며", "관악구 봉천동"),
        ("시흥시 정왕동의 한 편의점에서", "시흥시 정왕동"),
        ("성남 분당구 정자동", "성남 분당구 정자동"),
        ("어머니는 전라북도 전주시에 거주", "전라북도 전주시"),
        ("주소: 역삼동 823-4 (역삼푸르지오아파트 105동 902호)", "역삼동 823-4 (역삼푸르지오아파트 105동 902호)"),
        ("센텀시티 1로 45, 파크타워 3동 1203호", "센텀시티 1로 45, 파크타워 3동 1203호"),
        ("서울특별시 중구 세종대로 110", "서울특별시 중구 세종대로 110"),
    ],
)
def test_partial_addresses(detector: Detector, text: str, value: str) -> None:
    assert ("ADDRESS", value) in found(detector, text)


@pytest.mark.parametrize(
    "text",
    ["강남구 활동 보고", "관악구 봉천동 일대 재개발", "지난 3동 1203호 회의", "강남구청에서 열린 설명회"],
)
def test_places_that_are_not_addresses(detector: Detector, text: str) -> None:
    assert not [d for d in detector.detect(text) if d.entity_type == "ADDRESS"]
