"""The Presidio engine as a whole: routing by script, context, the English-model fallback."""

import pytest

from pii_audit.detect.engine import Detector


def kinds(detector: Detector, text: str) -> set[tuple[str, str]]:
    return {(d.entity_type, text[d.start : d.end]) for d in detector.detect(text)}


def test_korean_row_with_header_context(detector: Detector) -> None:
    text = "성명: 정은숙\n주민등록번호: 920222-2347891\n주소: 서울특별시 강서구 공항대로 922, 107동 804호"
    found = kinds(detector, text)
    assert ("PERSON", "정은숙") in found
    assert ("KR_RRN", "920222-2347891") in found
    assert ("ADDRESS", "서울특별시 강서구 공항대로 922, 107동 804호") in found


def test_mixed_script_text_runs_both_languages(detector: Detector) -> None:
    text = "KIM Chol-su (김철수 씨) 연락처 010-1234-5678, email chol@example.org"
    found = kinds(detector, text)
    assert ("PERSON", "KIM Chol-su") in found and ("PERSON", "김철수") in found
    assert ("EMAIL_ADDRESS", "chol@example.org") in found


def test_english_ner_never_tags_hangul(detector: Detector) -> None:
    text = "내담자 한서윤 씨는 자녀의 학교 적응 문제로 상담을 요청하였다. Follow-up in March."
    assert all(
        not any("가" <= c <= "힣" for c in v) or t != "PERSON" or v == "한서윤" for t, v in kinds(detector, text)
    )


def test_missing_english_model_gives_a_notice_and_still_runs() -> None:
    detector = Detector(english_model="no_such_spacy_model_for_tests")
    assert detector.notices and "not installed" in detector.notices[0]
    assert ("PERSON", "홍길동") in kinds(detector, "성명: 홍길동")


def test_long_text_is_chunked_with_offsets_kept(detector: Detector) -> None:
    filler = ("가나다라마바사 아자차카타파하. " * 20 + "\n") * 60
    text = filler + "성명: 홍길동\n"
    (d,) = [d for d in detector.detect(text) if d.entity_type == "PERSON"]
    assert text[d.start : d.end] == "홍길동" and len(text) > 10_000


def test_a_name_is_reported_alone_when_its_slot_says_so(detector: Detector) -> None:
    # A name is personal data on its own (issue 12): a title after it is evidence enough.
    assert kinds(detector, "김정은 위원장이 평양에서 연설하였다.") == {("PERSON", "김정은")}
    assert kinds(detector, "통일부는 서울에서 설명회를 열었다.") == set()
    found = kinds(detector, "김철수에게 010-2345-6789로 안내문을 발송하였다.")
    assert ("PERSON", "김철수") in found


def test_titles_and_phone_prefixes_are_not_names_or_dates(detector: Detector) -> None:
    found = kinds(detector, "정착지원팀 담당 윤서연 주무관 (031-123-4567)")
    assert ("PERSON", "윤서연") in found and ("PERSON", "주무관") not in found


def test_birth_date_label_with_the_word_date(detector: Detector) -> None:
    assert ("DATE_OF_BIRTH", "1985-07-02") in kinds(detector, "birth date: 1985-07-02, name: Lee Young-hee")


def test_id_shaped_product_codes_are_not_ids(detector: Detector) -> None:
    assert kinds(detector, "모니터 27인치\t1\t160,000\t품번 8804295558909") == set()
    assert ("KR_FRN", "880429-5558909") in kinds(detector, "외국인등록번호: 880429-5558909")


def test_batched_detection_equals_one_by_one(detector: Detector) -> None:
    texts = [
        "성명: 정은숙\n주민등록번호: 920222-2347891\n주소: 서울특별시 강서구 공항대로 922",
        "Name: Amy Davila\nDate of Birth: 07/19/1964\nPhone: 971-895-6645",
        "보도자료: 통일부는 서울에서 설명회를 열었다.",
        "김정은 위원장이 평양에서 연설하였다.",  # a weak name stays unsupported inside a batch
        "홍정자님은 1950년 3월 3일생으로 함경남도 함흥시에서 살다가",
    ] * 40
    one = [[(d.entity_type, d.start, d.end) for d in detector.detect(t)] for t in texts]
    many = [[(d.entity_type, d.start, d.end) for d in ds] for ds in detector.detect_many(texts)]
    assert many == one


ENGLISH_LINES = [
    "Attendees: Daniel Okafor, Priya Raman and Tomasz Nowak reviewed the quarterly figures.",
    "The Harbour View project was approved by Margaret Ellison on Tuesday.",
    "Invoice 4471 for Blue Ridge Supplies is overdue; contact Hannah Schmidt (555) 201-3344.",
    "No names here, only the Q3 budget of 12,400 and the Oslo office.",
]


def test_spacy_reads_the_chunks_of_a_batch_at_once_with_the_same_findings(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """detect_many hands spaCy the English lines of many chunks in one call (`_ner_ahead`); the
    findings are those of each text analysed alone, where spaCy reads one chunk at a time."""
    if not detector._pipelines.has_english_ner:
        pytest.skip("no English NER model")
    filler = "\nFiller sentence about logistics." * 120
    texts = [f"{line} Ref {i}.{filler}" for i, line in enumerate(ENGLISH_LINES * 6)]
    calls: list[int] = []
    entities = detector._pipelines.english_entities

    def counting(wanted):  # type: ignore[no-untyped-def]
        calls.append(len(wanted))
        return entities(wanted)

    monkeypatch.setattr(detector._pipelines, "english_entities", counting)
    one = [[(d.entity_type, d.start, d.end) for d in detector.detect(t)] for t in texts]
    alone = list(calls)
    calls.clear()
    many = [[(d.entity_type, d.start, d.end) for d in ds] for ds in detector.detect_many(texts)]
    assert many == one
    assert any(("PERSON" in {k for k, _, _ in found}) for found in many)
    assert max(alone) == 1 and max(calls) > 1  # several chunks per spaCy call, fewer calls
    assert len(calls) < len(alone)


def test_resolve_keeps_what_the_full_contest_keeps() -> None:
    """`engine._resolve` returns disjoint spans at once, in order; any overlap (or two empty spans
    at one place) goes through the contest. Both must give what the contest alone gives."""
    import random

    from pii_audit.detect import engine

    def contest(found: list[engine.Detection]) -> list[engine.Detection]:
        found = sorted(found, key=lambda d: (-d.score, -(d.end - d.start), d.start))
        kept: list[engine.Detection] = []
        for d in found:
            if not any(d.start < k.end and k.start < d.end for k in kept):
                kept.append(d)
        return sorted(kept, key=lambda d: (d.start, d.end))

    rng = random.Random(5)
    disjoint = 0
    for _ in range(3000):
        found = []
        pos = 0
        for _ in range(rng.randint(0, 6)):
            pos += rng.randint(-4, 6) if rng.random() < 0.3 else rng.randint(0, 6)
            start = max(0, pos)
            end = start + rng.choice([0, 1, 2, 3, 5, 8])
            kind = rng.choice(["PERSON", "ADDRESS", "KR_PHONE"])
            found.append(engine.Detection(kind, start, end, rng.choice([0.6, 0.8, 0.85, 0.9]), weak=rng.random() < 0.2))
            pos = end
        expected = contest(list(found))
        assert engine._resolve(list(found)) == expected, found
        disjoint += all(a.end <= b.start for a, b in zip(expected, expected[1:], strict=False)) and len(expected) > 1
    assert disjoint > 300
