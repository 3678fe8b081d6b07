"""Every example in patterns/*.yaml, run through its own recognizer (validator included)."""

from __future__ import annotations

import random

import pytest
import regex
from presidio_analyzer import RecognizerResult

from pii_audit.detect.loader import (
    CONTEXT_WORDS_KEY,
    REQUIRES_CONTEXT_KEY,
    YamlPatternRecognizer,
    load_recognizers,
)
from pii_audit.detect.patterns_schema import Example

RECOGNIZERS = [r for r in load_recognizers() if isinstance(r, YamlPatternRecognizer)]
# Examples do not depend on the language; run each through one instance per recognizer.
_ONE_PER_NAME = list({r.name: r for r in RECOGNIZERS}.values())


def _squash(text: str) -> str:
    return "".join(text.casefold().split())


def _mentions_context(recognizer: YamlPatternRecognizer, text: str) -> bool:
    # Looser than the engine's enhancer (anywhere in the text, not a window): fine for short examples.
    return any(_squash(word) in _squash(text) for word in recognizer.spec.context)


def _cases(kind: str) -> list[tuple[YamlPatternRecognizer, Example]]:
    return [(r, ex) for r in _ONE_PER_NAME for ex in getattr(r.spec, kind)]


def _analyze(recognizer: YamlPatternRecognizer, text: str) -> list[RecognizerResult]:
    return recognizer.analyze(text, [recognizer.spec.entity])


def _id(case: tuple[YamlPatternRecognizer, Example]) -> str:
    return f"{case[0].name}:{case[1].text}"


@pytest.mark.parametrize("case", _cases("match"), ids=_id)
def test_match_examples(case: tuple[YamlPatternRecognizer, Example]) -> None:
    recognizer, example = case
    results = _analyze(recognizer, example.text)
    assert results, f"{recognizer.name} found nothing in {example.text!r}"
    if example.expect is not None:
        spans = [example.text[r.start : r.end] for r in results]
        assert example.expect in spans
    for result in results:
        assert result.entity_type == recognizer.spec.entity
        meta = result.recognition_metadata
        assert meta[CONTEXT_WORDS_KEY] == list(recognizer.spec.context)
        if meta[REQUIRES_CONTEXT_KEY]:
            assert _mentions_context(recognizer, example.text), "a match that needs context must show it"


@pytest.mark.parametrize("case", _cases("no_match"), ids=_id)
def test_no_match_examples(case: tuple[YamlPatternRecognizer, Example]) -> None:
    recognizer, example = case
    for result in _analyze(recognizer, example.text):
        span = example.text[result.start : result.end]
        assert result.recognition_metadata[REQUIRES_CONTEXT_KEY], f"{span!r} matched without needing context"
        assert not _mentions_context(recognizer, example.text), f"{span!r} needs context and has it"


def test_every_recognizer_has_both_kinds_of_examples() -> None:
    assert _ONE_PER_NAME
    for r in _ONE_PER_NAME:
        assert r.spec.match and r.spec.no_match, r.name


def test_expected_entities_are_covered() -> None:
    entities = {r.spec.entity for r in RECOGNIZERS}
    assert {
        "KR_RRN",
        "KR_FRN",
        "KR_PASSPORT",
        "KR_DRIVER_LICENSE",
        "KR_BRN",
        "CREDIT_CARD",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
    } <= entities


def test_each_recognizer_exists_for_korean_and_english() -> None:
    for name in {r.name for r in RECOGNIZERS}:
        assert {r.supported_language for r in RECOGNIZERS if r.name == name} == {"ko", "en"}


def test_context_words_are_korean_and_english() -> None:
    for r in _ONE_PER_NAME:
        words = r.spec.context
        assert any(any("\uac00" <= ch <= "\ud7a3" for ch in w) for w in words), r.name
        assert any(w.isascii() for w in words), r.name


@pytest.mark.parametrize(
    "text",
    [
        "1-" * 50_000,
        "1" * 100_000,
        "0." * 50_000,
        "a@" * 50_000,
        "a." * 50_000 + "@",
        "+1 " * 33_334,
        "9001011234568-" * 7_000,
        "서울 " * 33_000,
        "(" * 50_000 + "0",
        "M1" * 50_000,
    ],
    ids=lambda t: repr(t[:8]),
)
def test_adversarial_text_completes(text: str) -> None:
    # Not timed: just proves every pattern returns on 100k characters of pathological input.
    for recognizer in _ONE_PER_NAME:
        assert isinstance(_analyze(recognizer, text), list)


def test_many_values_in_one_text_keep_their_offsets() -> None:
    rrn = next(r for r in _ONE_PER_NAME if r.spec.entity == "KR_RRN")
    text = "\n".join(f"{i:04d} 홍길동 900101-1234568 서울" for i in range(500))
    results = _analyze(rrn, text)
    assert len(results) == 500
    assert all(text[r.start : r.end] == "900101-1234568" for r in results)


_GATED = [(r, i, p) for r in _ONE_PER_NAME for i, p in enumerate(r.spec.patterns) if p.needs is not None]  # fmt: skip


@pytest.mark.parametrize(("recognizer", "index"), [(r, i) for r, i, _ in _GATED], ids=[p.name for *_, p in _GATED])
def test_every_match_holds_what_its_pattern_needs(recognizer: YamlPatternRecognizer, index: int) -> None:
    """A pattern's `needs` gate skips texts without it: sound only if every match holds it. Random
    phone-like texts: 3, 3 and 4 digits or other groups of 1 to 5 (some in brackets), joined by
    each kind of separator or none, a country prefix or an extension, text around them."""
    spec = recognizer.spec.patterns[index]
    compiled, needs = regex.compile(spec.regex, recognizer.spec.flags), regex.compile(spec.needs or "")
    rng = random.Random(index)
    seps = ["-", "-", ".", ".", " ", "\u2013", "", "  ", ". ", ") "]

    def group(length: int) -> str:
        digits = "".join(rng.choice("0123456789") for _ in range(length))
        return f"({digits})" if rng.random() < 0.15 else digits

    found = 0
    for _ in range(20000):
        parts = [rng.choice(["", "+1 ", "1-", "001-", "tel ", "a", "5"])]
        shape = (3, 3, 4) if rng.random() < 0.5 else [rng.randint(1, 5) for _ in range(rng.randint(2, 5))]
        for k, length in enumerate(shape):
            parts.append((rng.choice(seps) if k else "") + group(length))
        parts.append(rng.choice(["", " x204", "ext. 12", ".", "-", "5", " call"]))
        text = "".join(parts)
        for m in compiled.finditer(text):
            assert needs.search(m.group()), (text, m.group())
            found += 1
    assert found > 100  # the texts hold matches: the check is not vacuous
