"""The NLP economy loses nothing: economy and full analysis give the same detections."""

from __future__ import annotations

import pytest

from pii_audit.detect.engine import Detector
from pii_audit.detect.english_people import ner_lines
from pii_audit.detect.prefilter import has_candidates, needs_english_ner

TEXTS = [
    "성명: 김영수\n주민등록번호: 710314-1234567\n주소: 서울특별시 노원구 노원로 270",
    "Case note: KIM Chol-su was born 2 July 1985 in Hoeryong, North Hamgyong Province.",
    "Contact John Smith at john.smith@example.org or (212) 555-0187.",
    "홍정자님은 1950년 3월 3일생으로 함경남도 함흥시에서 살다가 2008년 탈북하였다.",
    "Mr. Kim met officials in Seoul on 15 March 2024.",
    "plain lowercase words only",
    # spaCy alone finds the name (no word-list evidence): the English pipeline must still run.
    "The report was written by Thelonius Brackwater and reviewed last week.",
    "We thanked Dorian Pembleton for his help with the move.",
    "LG Display와 SK Hynix는 3분기 실적을 발표했다. 매출은 전년 대비 12% 늘었다.",
    "The Annual Report covers the Sales Department and the Finance Committee of Acme Holdings.",
    "----- *** -----",
]


@pytest.fixture(scope="module")
def full() -> Detector:
    return Detector(economy=False)


@pytest.mark.parametrize("text", TEXTS)
def test_economy_is_exact(text: str, detector: Detector, full: Detector) -> None:
    assert detector.detect(text) == full.detect(text)


def test_prefilter_rules() -> None:
    assert not has_candidates("----- *** -----\n\n")
    assert has_candidates("a@b") and has_candidates("김") and has_candidates("7")
    assert needs_english_ner("met John Smith")
    assert not needs_english_ner("Seoul is big")  # one capitalised word: never a kept PERSON
    assert not needs_english_ner("성명: 김영수")


def test_spacy_runs_only_where_its_person_could_become_a_finding() -> None:
    # An unknown name in a sentence: only NER can find it.
    assert ner_lines("The report was written by Thelonius Brackwater and reviewed last week.")
    # Inside a hyphenated word: spaCy splits `Smith-Quorin`, so a span may start after the hyphen.
    assert ner_lines("the file of Smith-Quorin Tallowbrook was closed")
    # Capitalised runs that no NER PERSON could survive: a company in capitals, organisation and
    # function words, a name the word list already found.
    assert not ner_lines("LG Display와 SK Hynix는 3분기 실적을 발표했다.")
    assert not ner_lines("The Sales Department met in March.")
    assert not ner_lines("The Procurement lead and Quality Assurance signed off; Supply Chain follows.")
    assert not ner_lines("Contact John Smith at john.smith@example.org.")


FILLER = "the quarterly numbers were reviewed and the budget was approved without changes.\n" * 40


def test_a_skipped_english_pass_changes_nothing(detector: Detector, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same detections with spaCy over every whole chunk; and the gate matters: with spaCy
    never run, the NER-only names are lost."""
    from pii_audit.detect import engine

    texts = [
        *TEXTS,
        "Quorin Tallowbrook, 14 Elm Road, Leeds LS6 2AB, born 3 May 1961",
        "Mary Smith-Jones and Tom Okafor",
        # One name line among many: spaCy reads that line and its neighbours only.
        FILLER + "The report was written by Thelonius Brackwater and reviewed last week.\n" + FILLER,
    ]
    gated = [detector.detect(t) for t in texts]
    assert any(d.score == 0.6 for d in gated[-1])  # the NER-only name in the long text is found
    monkeypatch.setattr(engine, "_NER_SHARE", -1.0)  # spaCy over the whole chunk whenever it runs
    monkeypatch.setattr(engine, "ner_lines", lambda text: [(0, len(text))])
    assert [detector.detect(t) for t in texts] == gated
    monkeypatch.setattr(engine, "ner_lines", lambda text: [])
    assert [detector.detect(t) for t in texts] != gated


MIXED = [
    "성명: 김영수, e-mail kim.ys@example.org, 주소: 서울특별시 노원구 노원로 270, Tel +1 212 555 0187",
    "담당자 John Smith (john.smith@example.org), 생년월일 1985-07-02, 주민등록번호 850702-1234561",
    "Lot 5 Elm Road, Leeds LS6 2AB 거주 박지훈 씨, IBAN GB82 WEST 1234 5698 7654 32, IP 192.168.10.4",
]


def test_the_english_pass_of_a_mixed_chunk_skips_korean_twins(detector: Detector) -> None:
    """Both passes with every recognizer give the same detections as the shortened English pass."""
    english_only = {r.name for r in detector._english_after_korean.registry.recognizers}
    assert "EnglishPersonRecognizer" in english_only and "KrRrnRecognizer" not in english_only
    shortened = [detector.detect(t) for t in MIXED]
    assert all(shortened)
    short = detector._english_after_korean
    try:
        detector._english_after_korean = detector.analyzer
        assert [detector.detect(t) for t in MIXED] == shortened
    finally:
        detector._english_after_korean = short


POS_TEXTS = [
    # A name on POS evidence beside other personal data: kept (Kiwi is asked).
    "신청인 명단: 정하람은 2001.07.24생, 연락처 010-2345-6789",
    "어제 황보민규와 점심을 먹었다. 전화 010-1111-2222",
    # Business prose with name-shaped words and nothing else personal: weak names are dropped.
    "해외영업팀에 따르면 8월 영업이익률은 56.7% 수준으로 안정세를 보이고 있다. 지난주 방문한 고객은 만족했다.",
    "2024년 예산 중 도서인쇄비 항목은 454,233,942원으로 편성되었으며 집행률은 52.0%이다.",
]


def test_pos_names_are_confirmed_only_where_they_can_matter(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deferred POS test gives what the recognizer's own test gave, and prose with nothing
    else personal in it costs no Kiwi pass over its lines."""
    from pii_audit.detect import engine

    deferred = [detector.detect(t) for t in POS_TEXTS] + detector.detect_many(POS_TEXTS)
    names = next(r for r in detector.analyzer.registry.recognizers if type(r).__name__ == "KoreanNameRecognizer")
    assert names.defer_pos
    monkeypatch.setattr(names, "defer_pos", False)
    assert [detector.detect(t) for t in POS_TEXTS] + detector.detect_many(POS_TEXTS) == deferred
    monkeypatch.setattr(names, "defer_pos", True)
    asked: list[str] = []
    real = engine.pos_confirmed
    monkeypatch.setattr(engine, "pos_confirmed", lambda text, s, e: asked.append(text[s:e]) or real(text, s, e))
    detector.detect(POS_TEXTS[2] + " 감사합니다.")
    assert asked == []
    detector.detect(POS_TEXTS[1] + " 감사합니다.")
    assert "황보민규" in asked  # beside a phone number the POS evidence counts, so Kiwi is asked


def test_a_business_registration_number_does_not_keep_weak_names(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports and invoices quote firms' registration numbers: beside one alone, names on POS
    evidence are dropped (and Kiwi is not asked); beside a phone number they are kept."""
    from pii_audit.detect import engine

    asked: list[str] = []
    real = engine.pos_confirmed
    monkeypatch.setattr(engine, "pos_confirmed", lambda text, s, e: asked.append(text[s:e]) or real(text, s, e))
    firm = "어제 황보민규와 점심을 먹었다. 사업자등록번호 220-81-05122인 (주)예시상사와 계약하였다."
    found = {(d.entity_type, firm[d.start : d.end]) for d in detector.detect(firm)}
    assert ("KR_BRN", "220-81-05122") in found
    assert not any(kind == "PERSON" for kind, _ in found) and asked == []
    person = firm + " 연락처 010-1111-2222"
    assert ("PERSON", "황보민규") in {(d.entity_type, person[d.start : d.end]) for d in detector.detect(person)}
