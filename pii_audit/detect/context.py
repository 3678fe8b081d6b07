"""Context words matched as substrings of the text just before (and just after) a match.

Presidio's own enhancer compares lemmas of whole tokens, which misses Korean words with
particles attached (`주민등록번호는`) and column headers. Here a recognizer's context words are
looked for, case-folded and without spaces, in the same line before the match (where a table
row puts the column header and a form puts its label) and a few characters after it.
A result whose recognizer marks it `requires_context` is dropped when no word is found.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.lines import before_on_line, line_bounds, squash

BOOST = 0.35
MIN_WITH_CONTEXT = 0.6
WINDOW_BEFORE = 40
WINDOW_AFTER = 12


def has_context(text: str, start: int, end: int, words: list[str]) -> bool:
    if not words:
        return False
    _, line_end = line_bounds(text, start)
    window = squash(before_on_line(text, start, WINDOW_BEFORE) + " " + text[end : min(line_end, end + WINDOW_AFTER)])
    if not window:
        # A value alone on its line: the previous line may be its label (a form laid out vertically).
        prev_end = text.rfind("\n", 0, start)
        if prev_end > 0:
            window = squash(before_on_line(text, prev_end, WINDOW_BEFORE))
    return any(squash(w) in window for w in words)


class SubstringContextEnhancer(ContextAwareEnhancer):
    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=BOOST,
            min_score_with_context_similarity=MIN_WITH_CONTEXT,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        words_of = {r.id: list(getattr(r, "context", None) or []) for r in recognizers}
        kept: list[RecognizerResult] = []
        for result in raw_results:
            meta = result.recognition_metadata or {}
            words = list(
                meta.get("context_words") or words_of.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY), [])
            )
            words += context or []
            found = has_context(text, result.start, result.end, words)
            if meta.get("requires_context") and not found:
                continue
            if found and result.score < 1.0:
                result.score = min(1.0, max(result.score + BOOST, MIN_WITH_CONTEXT))
                meta[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            kept.append(result)
        return kept
