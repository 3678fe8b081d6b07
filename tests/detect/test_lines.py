"""Helpers for the text around a match (detect/lines.py)."""

from __future__ import annotations

import random
import re

from pii_audit.detect.context import WINDOW_AFTER, WINDOW_BEFORE, has_context
from pii_audit.detect.lines import before_on_line, line_bounds, sentence_bounds, squash


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


def test_sentence_bounds_is_the_sentence_with_its_neighbours_on_its_line() -> None:
    line = "가나다. 라마바 김철수 사아. 자차카. 타파하."
    start = line.index("김철수")
    assert sentence_bounds(line, start, start + 3) == (0, line.index(" 타파하"))
    start = line.index("자차카")
    first, last = sentence_bounds(line, start, start + 3)
    assert line[first:last] == "라마바 김철수 사아. 자차카. 타파하."
    # A date's dots end no sentence; the window never leaves the candidate's line.
    text = "머리말\n회의는 2025. 4. 6. 열렸다. 이름 주지아 참석. 끝\n다음 줄"
    start = text.index("주지아")
    first, last = sentence_bounds(text, start, start + 3)
    assert text[first:last] == "회의는 2025. 4. 6. 열렸다. 이름 주지아 참석. 끝"


def test_sentence_bounds_holds_the_span_and_stays_on_its_line() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(["가", "a", "1", ".", " ", "! ", "\n", ". "]) for _ in range(rng.randint(1, 60)))
        start = rng.randint(0, len(text) - 1)
        end = rng.randint(start, len(text))
        line_start, line_end = line_bounds(text, start)
        if end > line_end:
            continue
        first, last = sentence_bounds(text, start, end)
        assert line_start <= first <= start and end <= last <= line_end, (text, start, end)


def test_squash_drops_every_white_space_that_a_regex_would() -> None:
    """`squash` splits on `str.isspace`; labels were matched with `\\s` removed: the same characters."""
    everything = "".join(map(chr, range(0x110000)))
    assert squash(everything) == re.sub(r"\s+", "", everything).casefold()
    assert squash("성 명 Date\u3000of\u00a0Birth\t:\n") == "성명dateofbirth:"
