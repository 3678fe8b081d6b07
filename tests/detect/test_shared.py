"""The `ko` and `en` passes over a mixed-script chunk share what language-independent recognizers
found (detect/shared.py), and the English pipeline runs NER only: same results, less work."""

from __future__ import annotations

from presidio_analyzer import RecognizerResult

from pii_audit.detect.engine import Detector
from pii_audit.detect.korean.address import AddressRecognizer
from pii_audit.detect.korean.birth_dates import BirthDateRecognizer
from pii_audit.detect.loader import load_recognizers
from pii_audit.detect.shared import LastText, RecentTexts

MIXED = (
    "성명: 김영수, Name: KIM Yong-su, 주민등록번호 710314-1234567, born 2 July 1985, 서울특별시 노원구 노원로 270\n"
    "연락처 010-2345-6789, e-mail kim@example.org"
)


def test_last_text_recomputes_for_another_key_or_text() -> None:
    cache: LastText[tuple[int, ...]] = LastText()
    calls: list[str] = []

    def compute(text: str) -> tuple[int, ...]:
        calls.append(text)
        return (len(text),)

    assert cache.get("k", "abc", lambda: compute("abc")) == (3,)
    assert cache.get("k", "abc", lambda: compute("abc")) == (3,)
    assert cache.get("other", "abc", lambda: compute("abc")) == (3,)
    assert cache.get("other", "abcd", lambda: compute("abcd")) == (4,)
    assert calls == ["abc", "abc", "abcd"]


def test_recent_texts_keep_the_last_entries_and_drop_the_oldest() -> None:
    cache: RecentTexts[int] = RecentTexts(2)
    calls: list[str] = []

    def compute(text: str) -> int:
        calls.append(text)
        return len(text)

    for text in ("a", "bb", "a", "bb"):
        assert cache.get(None, text, lambda t=text: compute(t)) == len(text)  # type: ignore[misc]
    assert calls == ["a", "bb"]  # both kept
    cache.get(None, "ccc", lambda: compute("ccc"))  # drops "a", the oldest
    cache.get(None, "bb", lambda: compute("bb"))
    cache.get(None, "a", lambda: compute("a"))
    assert calls == ["a", "bb", "ccc", "a"]
    assert cache.get("other key", "a", lambda: compute("a")) == 1
    assert calls[-1] == "a" and len(calls) == 5


def _plain(results: list[RecognizerResult]) -> list[tuple[str, int, int, float]]:
    return sorted((r.entity_type, r.start, r.end, r.score) for r in results)


def test_language_twins_find_the_same_with_their_own_identity() -> None:
    recognizers = load_recognizers()
    total = 0
    for ko in (r for r in recognizers if r.supported_language == "ko"):
        (en,) = [r for r in recognizers if r.name == ko.name and r.supported_language == "en"]
        found_ko, found_en = ko.analyze(MIXED, []), en.analyze(MIXED, [])
        assert _plain(found_ko) == _plain(found_en)
        total += len(found_en)
        assert all(r.recognition_metadata[RecognizerResult.RECOGNIZER_IDENTIFIER_KEY] == en.id for r in found_en)
        assert not set(map(id, found_ko)) & set(map(id, found_en))  # Presidio mutates results: never shared
    assert total >= 3  # the ID, the phone number, the e-mail address: the comparison is not vacuous
    for cls in (AddressRecognizer, BirthDateRecognizer):
        found = cls("ko").analyze(MIXED, [])
        assert found and _plain(found) == _plain(cls("en").analyze(MIXED, []))


def test_english_pipeline_runs_ner_only(detector: Detector) -> None:
    if not detector._pipelines.has_english_ner:
        return
    english = detector._pipelines.nlp["en"]
    assert english.pipe_names == ["ner"]
    assert detector.detect("Contact John Smith, phone (212) 555-0187.")
