"""The Detector's analyzers (`engine._Analyzer.analyze`) return what Presidio's own `analyze` returns
for the same call: the same results, scores, metadata and order, on Korean, English and mixed text."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, RecognizerResult

from pii_audit.detect.engine import Detector

TEXTS = [
    "성명: 김민민\n생년월일: 1940-01-01\n주소: 서울특별시 노원구 노원로 1\n연락처: 010-0000-0000",
    "상담자 강현주 씨는 1993-10-05 생으로 함경북도 회령시 출신이며 현재 서울 송파구 충민로 218-33에 거주한다.",
    "Contact Amy Davila at amy.davila@example.com or (212) 555-0100; born 2 July 1985, 12 Main Street, Boston.",
    "주민번호 900101-1234567, 카드 4111 1111 1111 1111, 여권 M12345678, IBAN DE89 3704 0044 0532 0130 00, IP 10.0.0.1",
    "김철수 010-1234-5678 kim.cs@example.co.kr\n\n이영희(54.02.15) 씨 1588-1234",
]


def _view(results: list[RecognizerResult]) -> list[tuple[object, ...]]:
    return [
        (r.entity_type, r.start, r.end, r.score, sorted((k, repr(v)) for k, v in r.recognition_metadata.items()))
        for r in results
    ]


def test_override_returns_what_presidio_returns(detector: Detector) -> None:
    checked = 0
    for analyzer in (detector.analyzer, detector._english_after_korean):
        for text in TEXTS:
            for language in analyzer.supported_languages:
                artifacts = detector._empty[language]
                ours = analyzer.analyze(text, language=language, nlp_artifacts=artifacts)
                theirs = AnalyzerEngine.analyze(analyzer, text, language=language, nlp_artifacts=artifacts)
                assert _view(ours) == _view(theirs), (language, text)
                checked += len(ours)
    assert checked > 30


def test_low_scores_removed_as_presidio_removes_them(detector: Detector) -> None:
    """`_remove_low_scores` keeps what Presidio's `__remove_low_scores` keeps: a recognizer's threshold
    for the entity type, else its default, else the engine's, for results of known, unknown and
    missing recognizer ids, scores on both sides of each threshold."""
    analyzer = detector.analyzer
    recognizers = analyzer.registry.get_recognizers(language="ko", entities=None, all_fields=True)
    strict, loose, plain = recognizers[0], recognizers[1], recognizers[2]
    saved = strict.score_thresholds, loose.score_thresholds
    try:
        strict.score_thresholds = {"PERSON": 0.9, "default": 0.7}
        loose.score_thresholds = {"ADDRESS": 0.3}
        results = []
        for owner in (strict.id, loose.id, plain.id, "no such recognizer", None):
            for entity in ("PERSON", "ADDRESS", "KR_PHONE"):
                for score in (0.2, 0.3, 0.45, 0.5, 0.69, 0.7, 0.85, 0.9, 1.0):
                    meta = {} if owner is None else {RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: owner}
                    results.append(RecognizerResult(entity, 0, 3, score, recognition_metadata=meta))
        ours = analyzer._remove_low_scores(list(results), recognizers)
        theirs = analyzer._AnalyzerEngine__remove_low_scores(list(results), None, recognizers)  # type: ignore[attr-defined]
        assert [id(r) for r in ours] == [id(r) for r in theirs]
        assert 0 < len(ours) < len(results)
    finally:
        strict.score_thresholds, loose.score_thresholds = saved
