"""The required characters of a pattern are a guarantee: every match holds each of them, so skipping
a pattern on text that lacks one changes no result."""

from __future__ import annotations

import re

import pytest
import regex
from presidio_analyzer import RecognizerResult

from pii_audit.detect import loader
from pii_audit.detect.required_chars import lacks_any, required_chars

FLAGS = re.MULTILINE | re.DOTALL

# E-mails, phones and IDs of every shape the pattern files know, and text around them.
SAMPLE = (
    "메일 kim.minsu@example.co.kr, a_b+c@mail-1.example.com, 웹 https://u:p@host.kr/x, bad@nodot\n"
    "전화 010-1234-5678 02-123-4567 1588-1234 +82 10-1234-5678 0082-2-123-4567 (212) 555-0100\n"
    "+1 212-555-0100 +44 20 7946 0958 020 7946 0958 +33 1 23 45 67 89 +86 138 0013 8000\n"
    "주민번호 900101-1234567 9001011234567 카드 4111 1111 1111 1111 여권 M12345678 1940-01-01"
)


@pytest.mark.parametrize(
    ("pattern", "flags", "chars"),
    [
        (r"[a-z]+@[a-z]+\.[a-z]{2,}", FLAGS, {"@", "."}),
        (r"a(?:b|cb)d", FLAGS, {"a", "b", "d"}),  # `b` is in every branch, `c` is not
        (r"x(?:-y)?", FLAGS, {"x"}),
        (r"(?:\+|00)82", FLAGS, {"8", "2"}),
        (r"(?<=@)x(?!#)", FLAGS, {"x"}),  # lookarounds consume nothing
        (r"(k)\1", FLAGS, {"k"}),
        (r"(?:ab){2,}", FLAGS, {"a", "b"}),
        (r"(?:ab)*c", FLAGS, {"c"}),
        (r"ID:\d+", FLAGS | re.IGNORECASE, {":"}),  # letters match either case
        (r"\p{L}@", FLAGS, set()),  # syntax only `regex` knows: no gate
        (r"a@", FLAGS | re.VERBOSE, set()),  # other flags: no gate
    ],
)
def test_required(pattern: str, flags: int, chars: set[str]) -> None:
    assert required_chars(pattern, flags) == chars


def test_every_match_of_every_pattern_holds_its_characters() -> None:
    checked = 0
    for spec in loader.load_specs():
        for pattern in spec.patterns:
            chars = required_chars(pattern.regex, spec.flags)
            for m in regex.compile(pattern.regex, spec.flags).finditer(SAMPLE):
                assert not lacks_any(m.group(), chars), (spec.name, pattern.name, m.group())
                checked += 1
    assert checked > 15
    email = next(s for s in loader.load_specs() if s.name == "EmailRecognizer")
    assert "@" in required_chars(email.patterns[0].regex, email.flags)  # the gate this exists for


def test_gated_recognizers_find_what_ungated_ones_do(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        SAMPLE,
        "성명: 김민민\n연락처: 010-0000-0000",
        "no at sign: kim.minsu example.co.kr, +82 10 1234 5678",
        "kim@example",
        "",
    ]
    gated = [[(r.entity_type, r.start, r.end, r.score) for r in _analyse(t)] for t in texts]
    monkeypatch.setattr(loader, "required_chars", lambda source, flags: frozenset())
    plain = [[(r.entity_type, r.start, r.end, r.score) for r in _analyse(t)] for t in texts]
    assert gated == plain
    assert any(r[0] == "EMAIL_ADDRESS" for r in gated[0])


def _analyse(text: str) -> list[RecognizerResult]:
    out: list[RecognizerResult] = []
    for recognizer in loader.load_recognizers():
        out += recognizer.analyze(text, [])
    return sorted(out, key=lambda r: (r.entity_type, r.start, r.end, r.score))
