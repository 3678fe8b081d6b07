"""The NLP economy loses nothing: economy and full analysis give the same detections."""

from __future__ import annotations

import pytest

from pii_audit.detect.engine import Detector
from pii_audit.detect.prefilter import has_candidates, needs_english_ner

TEXTS = [
    "성명: 김영수\n주민등록번호: 710314-1234567\n주소: 서울특별시 노원구 노원로 270",
    "Case note: KIM Chol-su was born 2 July 1985 in Hoeryong, North Hamgyong Province.",
    "Contact John Smith at john.smith@example.org or (212) 555-0187.",
    "홍정자님은 1950년 3월 3일생으로 함경남도 함흥시에서 살다가 2008년 탈북하였다.",
    "Mr. Kim met officials in Seoul on 15 March 2024.",
    "plain lowercase words only",
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
