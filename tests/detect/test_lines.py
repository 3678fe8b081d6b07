"""Helpers for the text around a match (detect/lines.py)."""

from __future__ import annotations

import random

from pii_audit.detect.context import WINDOW_AFTER, WINDOW_BEFORE, has_context
from pii_audit.detect.lines import before_on_line, line_bounds, squash


def test_before_on_line_is_the_line_clipped_to_the_limit() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice("ab \n가") for _ in range(rng.randint(0, 90)))
        start = rng.randint(0, len(text))
        limit = rng.choice([0, 1, 5, 15, 40, 60, 200])
        line_start, _ = line_bounds(text, start)
        assert before_on_line(text, start, limit) == text[max(line_start, start - limit) : start]
    assert before_on_line("성명: 홍길동\n주소: 서울", 12) == "주소: "
    assert before_on_line("a long line of text", 19, 4) == "text"


def test_context_window_ends_at_the_line_break() -> None:
    """The context after a match is read up to its line's end only, as the whole line would give."""
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(["a", " ", "\n", "번호", "tel"]) for _ in range(rng.randint(1, 40)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        _, line_end = line_bounds(text, start)
        after = text[end : min(line_end, end + WINDOW_AFTER)]
        expected = any(squash(w) in squash(before_on_line(text, start, WINDOW_BEFORE) + " " + after) for w in ["tel"])
        if squash(before_on_line(text, start, WINDOW_BEFORE) + " " + after):
            assert has_context(text, start, end, ["tel"]) == expected, (text, start, end)
