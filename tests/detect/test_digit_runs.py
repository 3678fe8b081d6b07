"""The digit-run bound of a pattern is a guarantee: every match holds that many digits in a row, so
skipping a pattern on text without such a run changes no result."""

from __future__ import annotations

import re

import pytest
import regex
from presidio_analyzer import RecognizerResult

from pii_audit.detect import loader
from pii_audit.detect.digit_runs import longest_run, min_digit_run

FLAGS = re.MULTILINE | re.DOTALL

# IDs, phones and cards of every shape the pattern files know, and text around them.
SAMPLE = (
    "주민번호 900101-1234567, 9001011234567, 외국인 900101-5234567 / 9001015234567\n"
    "사업자 123-45-67890 1234567890 운전면허 11-22-123456-78 112212345678 서울 12-123456-78\n"
    "여권 M12345678 M123A4567 카드 4111 1111 1111 1111 4111-111111-11111 4111111111111111\n"
    "전화 010-1234-5678 02-123-4567 1588-1234 +82 10-1234-5678 (212) 555-0100 020 7946 0958\n"
    "a@b.kr 1940-01-01 노원로 12 ٩٠٠١٠١١٢٣٤٥٦٧"
)


@pytest.mark.parametrize(
    ("pattern", "bound"),
    [
        (r"\d{2}-?\d{2}", 2),
        (r"(?<!\d)\d{13}(?!\d)", 13),
        (r"a|\d{5}", 0),
        (r"\d{3}(\d{2})?\d", 4),
        (r"\d{3}([-]?)\d{2}", 3),
        (r"(?:1[1-9]|2[0-6]|28)\d{10}", 12),
        (r"(\d)\1{8}", 1),  # a back-reference: nothing certain about it
        (r"\d*", 0),
        (r"x(?:\d\d|\d{3})+", 2),
        (r"[0-9a]{8}", 0),
        (r"\p{L}\d{9}", 0),  # syntax only `regex` knows: no bound
    ],
)
def test_bound(pattern: str, bound: int) -> None:
    assert min_digit_run(pattern, FLAGS) == bound


def test_other_flags_give_no_bound() -> None:
    assert min_digit_run(r"\d{9}", FLAGS | re.VERBOSE) == 0


def test_every_match_of_every_pattern_holds_its_bound() -> None:
    checked = 0
    for spec in loader.load_specs():
        for pattern in spec.patterns:
            bound = min_digit_run(pattern.regex, spec.flags)
            for m in regex.compile(pattern.regex, spec.flags).finditer(SAMPLE):
                runs = [len(r) for r in regex.findall(r"\d+", m.group())]
                assert max(runs, default=0) >= bound, (spec.name, pattern.name, m.group())
                checked += 1
    assert checked > 20


def test_longest_run() -> None:
    assert longest_run("010-1234-5678 1940-01-01") == 0  # shorter than the gate's minimum
    assert longest_run("a 123456 b 9001011234567") == 13
    assert longest_run("٩٠٠١٠١") == 6  # any decimal digits, as `\d` in the patterns


def test_gated_recognizers_find_what_ungated_ones_do(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [SAMPLE, "성명: 김민민\n연락처: 010-0000-0000", "no digits at all", "12345 1234567 123456789012"]
    gated = [[(r.entity_type, r.start, r.end, r.score) for r in _analyse(t)] for t in texts]
    monkeypatch.setattr(loader, "MIN_GATED", 10**9)
    plain = [[(r.entity_type, r.start, r.end, r.score) for r in _analyse(t)] for t in texts]
    assert gated == plain
    assert any(gated)


def _analyse(text: str) -> list[RecognizerResult]:
    out: list[RecognizerResult] = []
    for recognizer in loader.load_recognizers():
        out += recognizer.analyze(text, [])
    return sorted(out, key=lambda r: (r.entity_type, r.start, r.end, r.score))
