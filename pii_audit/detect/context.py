"""Context words matched as substrings of the text just before (and just after) a match.

Presidio's own enhancer compares lemmas of whole tokens, which misses Korean words with
particles attached (`주민등록번호는`) and column headers. Here a recognizer's context words are
looked for, case-folded and without spaces, in the same line before the match (where a table
row puts the column header and a form puts its label) and a few characters after it.
A result whose recognizer marks it `requires_context` is dropped when no word is found.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.lines import before_on_line, line_bounds, squash

# Words that say an ID-shaped number is something else (a barcode, an order or invoice number): an
# ID-shaped match right after one, with none of its own context words, is dropped.
NOT_AN_ID = (
    "품번",
    "바코드",
    "barcode",
    "ean",
    "상품코드",
    "상품번호",
    "제품번호",
    "주문번호",
    "주문",
    "송장",
    "운송장",
    "invoice",
    "order",
    "tracking",
    "sku",
    "모델명",
    "serial",
    "시리얼",
    "일련번호",
    "계좌",
    "account",
    "승인번호",
    "거래번호",
    "관리번호",
    "접수번호",
    "문서번호",
)
ID_TYPES = frozenset({"KR_RRN", "KR_FRN", "KR_BRN", "KR_DRIVER_LICENSE", "KR_PASSPORT", "CREDIT_CARD"})
BOOST = 0.35
MIN_WITH_CONTEXT = 0.6
WINDOW_BEFORE = 40
WINDOW_AFTER = 12


def has_context(text: str, start: int, end: int, words: list[str]) -> bool:
    if not words:
        return False
    # After the match, up to WINDOW_AFTER characters of its line (none if the match runs past its
    # line's end); the line break is looked for only that far, not to the end of a long line.
    line_break = text.find("\n", start, end + WINDOW_AFTER)
    after = text[end : line_break if line_break >= 0 else end + WINDOW_AFTER]
    window = squash(before_on_line(text, start, WINDOW_BEFORE) + " " + after)
    if not window:
        # A value alone on its line: the previous line may be its label (a form laid out vertically).
        prev_end = text.rfind("\n", 0, start)
        if prev_end > 0:
            window = squash(before_on_line(text, prev_end, WINDOW_BEFORE))
    return any(w in window for w in _squashed(tuple(words)))


@lru_cache(maxsize=1024)  # a recognizer's context words are the same list for each of its results
def _squashed(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(squash(w) for w in words)


# What may stand beside a value "alone on its line": list marks, brackets, quotes, and before it a bare
# name (`윤하은 (930714-2876541)`) or a short label-less word.
_ALONE_BEFORE = regex.compile(
    r"^[\s\-*•·>#\d.)(\[\]\"'`|]*(?:[가-힣]{2,5}|[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})?[\s:=,(\[\"'`|]*$"
)
_ALONE_AFTER = regex.compile(r"^[\s)\].,;\"'`|]*$")
# Failed check digits: a lower score than a validated number, whatever the context says.
NOTED_MAX = 0.7
ALONE_SCORE = 0.55


def stands_alone(text: str, start: int, end: int) -> bool:
    """The value is alone on its line (an ID pasted on a line of its own, a list of numbers), or
    beside only a bare name: nothing on the line says it is something else."""
    line_start, line_end = line_bounds(text, start)
    return bool(_ALONE_BEFORE.match(text[line_start:start]) and _ALONE_AFTER.match(text[end:line_end]))


def _says_not_an_id(text: str, start: int) -> bool:
    before = squash(before_on_line(text, start, 25))
    return any(word in before for word in NOT_AN_ID)


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
            words = meta.get("context_words") or words_of.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY), [])
            if context:
                words = [*words, *context]
            found = has_context(text, result.start, result.end, words) if words else False
            if meta.get("requires_context") and not found:
                if not (meta.get("alone") and stands_alone(text, result.start, result.end)):
                    continue
                result.score = max(result.score, ALONE_SCORE)
            if result.entity_type in ID_TYPES and not found and _says_not_an_id(text, result.start):
                continue
            if found and result.score < 1.0:
                result.score = min(1.0, max(result.score + BOOST, MIN_WITH_CONTEXT))
                meta[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            if meta.get("note"):
                result.score = min(result.score, NOTED_MAX)
            kept.append(result)
        return kept
