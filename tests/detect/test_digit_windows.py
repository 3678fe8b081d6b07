"""Searching a pattern only in windows around runs of digits finds exactly what one search of the whole
text finds: for every shipped pattern, on generated texts dense with IDs, phones, cards and other
numbers, near and far from each other, at the text's edges, in other scripts' digits."""

from __future__ import annotations

import random
import re

import pytest
import regex

from pii_audit.detect import loader
from pii_audit.detect.digit_runs import MIN_GATED, min_digit_run
from pii_audit.detect.digit_windows import (
    Bounds,
    DigitRuns,
    digit_runs,
    find_in_windows,
    match_bounds,
    windows,
    worth_it,
)

FLAGS = re.MULTILINE | re.DOTALL


@pytest.mark.parametrize(
    ("pattern", "width", "reach"),
    [
        (r"\d{3}-\d{4}", 8, 8),
        (r"(?<![\d-])\d{13}(?![\d-])", 13, 14),  # the lookahead reads one character past the match
        (r"\b\d{5}\b", 5, 6),
        (r"(?=\d{20})\d{5}", 5, 20),  # a lookahead may read further than the match goes
        (r"\d{13,19}(?!\.\d)", 19, 21),
        (r"\d{2,4}?x", 5, 5),
        (r"a|\d{7}", 7, 7),
        (r"(?:\d{3}[- ]?){3}", 12, 12),
        (r"(\d)-\1", 3, 3),  # a back-reference is as wide as its group
        (r"(?P<sep>[-.])\d{5}(?P=sep)", 7, 7),
        (r"(?<!//[^\s/@]{0,64}:)\d{5}", 5, 5),  # a lookbehind reads only before the position
        (r"(?>\d{5})x", 6, 6),
    ],
)
def test_bounded_width_and_reach(pattern: str, width: int, reach: int) -> None:
    assert match_bounds(pattern, FLAGS) == Bounds(width, reach)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\d+",  # unbounded
        r"\d{5,}",
        r"x*\d{5}",
        r"^\d{5}",  # anchors other than \b: `pos` and `endpos` change what they mean
        r"\d{5}$",
        r"\A\d{5}",
        r"\d{5}\Z",
        r"(?<=(?=\d{9})\d)\d{5}",  # a lookahead inside a lookbehind reads forward
        r"(?<=\b\d)\d{5}",
        r"(a)?(?(1)\d{5}|\d{6})",  # a conditional
        r"\d\1(\d)",  # a reference to a group not closed yet
        r"(?i:x)\d{5}",  # inline flags
        r"\p{Nd}{5}",  # syntax only `regex` knows
    ],
)
def test_unbounded_or_unknown_patterns_have_no_bounds(pattern: str) -> None:
    assert match_bounds(pattern, FLAGS) is None


def test_back_references_under_ignore_case_and_other_flags_have_no_bounds() -> None:
    assert match_bounds(r"(\d)-\1", FLAGS | re.IGNORECASE) is None
    assert match_bounds(r"\d{5}", FLAGS | re.IGNORECASE) == Bounds(5, 5)
    assert match_bounds(r"\d{5}", FLAGS | re.VERBOSE) is None


def test_windows_surround_runs_and_merge_when_they_touch() -> None:
    runs = digit_runs("ab 123456 cd 9001011234567 ef 12345 gh" + " " * 40 + "1234567890")
    assert runs.longest == 13
    # width 14, at least 7 digits: a match reaches 7 characters past either end of a run.
    assert windows(runs, 7, Bounds(14, 15), 88) == [(6, 33), (71, 88)]
    # Runs shorter than the pattern's need make no window; windows that touch merge.
    touching = DigitRuns(starts=(10, 30), ends=(15, 35), longest=5)
    assert windows(touching, 5, Bounds(15, 16), 100) == [(0, 45)]
    assert windows(touching, 6, Bounds(15, 16), 100) == []
    apart = DigitRuns(starts=(10, 31), ends=(15, 36), longest=5)
    assert windows(apart, 5, Bounds(10, 11), 100) == [(5, 20), (26, 41)]
    just_touching = DigitRuns(starts=(10, 25), ends=(15, 30), longest=5)
    assert windows(just_touching, 5, Bounds(10, 11), 100) == [(5, 35)]
    # Windows closer than `gap` merge too: one search instead of two.
    assert windows(apart, 5, Bounds(10, 11), 100, gap=6) == [(5, 41)]
    assert windows(apart, 5, Bounds(10, 11), 100, gap=5) == [(5, 20), (26, 41)]


def test_windows_are_searched_only_when_cheaper_than_one_pass() -> None:
    assert worth_it([(100, 160)], 10_000)
    assert not worth_it([(0, 60)], 100)  # a short text: the call costs more than the pass
    assert not worth_it([(i * 300, i * 300 + 60) for i in range(30)], 9_000)  # a table: runs everywhere
    assert worth_it([], 0)


def test_digit_runs_count_every_decimal_digit() -> None:
    runs = digit_runs("x ٩٠٠١٠١ y １２３４５６７ z 1234")
    assert (runs.starts, runs.ends, runs.longest) == ((2, 11), (8, 18), 7)
    assert digit_runs("1234 56789", minimum=1).starts == (0, 5)


# --- windowed search == whole-text search, for every shipped pattern ---------------------------

_SHAPES = [
    "900101-1234567", "9001011234567", "900101 5234567", "9001015234567", "900101\u20131234567",
    "123-45-67890", "123 45 67890", "1234567890", "11-22-123456-78", "112212345678", "서울 12-123456-78",
    "부산12123456 78", "M12345678", "M123A4567", "S98765432",
    "4111 1111 1111 1111", "4111-1111-1111-1111-123", "4111-111111-11111", "4111111111111111",
    "5500000000000004", "4111111111111111111",
    "010-1234-5678", "010.1234.5678", "02-123-4567", "(02)123-4567", "1588-1234", "+82 10-1234-5678",
    "0082-(0)2-123-4567", "(212) 555-0100", "212-555-0100", "212.555.0100", "+1 212 555 0100 ext. 12",
    "1-212-555-0100", "001 212-555-0100 x7", "020 7946 0958", "(0161) 496 0000", "+44 20 7946 0958",
    "+49 30 1234567", "a@b.kr",
]  # fmt: skip
_WORDS = ["합계", "amount", "order", "no.", "2024", "12.5", "1,234,567", "Q3", "tel", "-", ".", ",", "(", ")", "+", "x"]
_SEPARATORS = ["", "", " ", "  ", "\n", "\t", "-", ".", ",", "/", ":", "\u2010", "x", "ext"]
_SCRIPTS = ["0123456789", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९"]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _in_script(rng: random.Random, item: str) -> str:
    if rng.random() < 0.9:
        return item
    script = rng.choice(_SCRIPTS[1:])
    return "".join(script[int(c)] if c in "0123456789" else c for c in item)


def _mutated(rng: random.Random, item: str) -> str:
    """A shape with one character changed, dropped or doubled: near misses."""
    if not item or rng.random() < 0.6:
        return item
    i = rng.randrange(len(item))
    return item[:i] + rng.choice(["", _digits(rng, 1), item[i] * 2, "-", " "]) + item[i + 1 :]


def _token(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return _in_script(rng, _mutated(rng, rng.choice(_SHAPES)))
    if kind < 0.75:
        return _digits(rng, rng.randint(1, 22))
    if kind < 0.85:  # a row of a numeric table: runs close to each other
        return rng.choice(["\t", " ", ",", "|"]).join(_digits(rng, rng.randint(3, 14)) for _ in range(6))
    return rng.choice(_WORDS)


def _text(rng: random.Random) -> str:
    """Tokens glued by separators (none: adjacent runs), now and then far apart, at either edge."""
    out = [] if rng.random() < 0.5 else [rng.choice(_SEPARATORS)]
    for _ in range(rng.randint(1, 12)):
        out.append(_token(rng))
        out.append(rng.choice(_SEPARATORS) + (" lorem ipsum" * rng.randint(1, 6) if rng.random() < 0.2 else ""))
    return "".join(out[:-1] if rng.random() < 0.5 else out)


TEXTS = [_text(random.Random(seed)) for seed in range(1500)]
PATTERNS = [
    (f"{spec.name}.{pattern.name}", pattern.regex, spec.flags)
    for spec in loader.load_specs()
    for pattern in spec.patterns
]


def _whole(compiled: regex.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in compiled.finditer(text)]


def _windowed(
    compiled: regex.Pattern[str], text: str, digits: int, bounds: Bounds, gap: int = 0
) -> list[tuple[int, int]]:
    spans = windows(digit_runs(text, minimum=digits), digits, bounds, len(text), gap)
    return [m.span() for m in find_in_windows(compiled, text, spans, bounds.reach, timeout=10.0)]


@pytest.mark.parametrize(("name", "source", "flags"), PATTERNS, ids=[name for name, _, _ in PATTERNS])
def test_windowed_matches_are_the_whole_texts(name: str, source: str, flags: int) -> None:
    digits, bounds = min_digit_run(source, flags), match_bounds(source, flags)
    if digits < 1 or bounds is None:
        pytest.skip(f"{name}: no digits in a row guaranteed or no bound, so it is always scanned whole")
    compiled = regex.compile(source, flags)
    found = 0
    for text in TEXTS:
        whole = _whole(compiled, text)
        assert _windowed(compiled, text, digits, bounds) == whole, (name, text)
        assert _windowed(compiled, text, digits, bounds, gap=7) == whole, (name, text)
        found += len(whole)
    assert found >= 20, f"{name}: the generated texts hold too few matches to test anything ({found})"


def test_every_id_pattern_is_searched_in_windows() -> None:
    """The patterns gated by their digit runs all have bounds: none silently falls back."""
    gated = {name for name, source, flags in PATTERNS if min_digit_run(source, flags) >= MIN_GATED}
    assert {"KrRrnRecognizer.rrn_plain", "CreditCardRecognizer.card_plain", "KrBrnRecognizer.brn_plain"} <= gated
    assert all(match_bounds(source, flags) is not None for name, source, flags in PATTERNS if name in gated)


def test_bounds_one_short_are_caught() -> None:
    """The comparison above can fail: a width one short loses a match at a window's edge, and an
    `endpos` cut where the lookahead reads fakes a match."""
    source = r"(?<![\d-])\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[-\u2010-\u2015 ][0-49]\d{6}(?![\d-])"
    compiled, digits, bounds = regex.compile(source, FLAGS), min_digit_run(source, FLAGS), match_bounds(source, FLAGS)
    assert bounds is not None and digits == 7
    text = "ref 900101-1234567 and 900101-12345678"
    assert _windowed(compiled, text, digits, bounds) == _whole(compiled, text) == [(4, 18)]
    assert _windowed(compiled, text, digits, Bounds(bounds.width - 1, bounds.reach)) == []

    greedy = regex.compile(r"\d{5}x{0,3}(?!y)", FLAGS)
    assert match_bounds(greedy.pattern, FLAGS) == Bounds(8, 9)
    assert _whole(greedy, "12345xxxy") == _windowed(greedy, "12345xxxy", 5, Bounds(8, 9)) == [(0, 7)]
    assert _windowed(greedy, "12345xxxy", 5, Bounds(8, 0)) == [(0, 8)]  # the cut hid the `y`


def test_matches_at_the_edges_and_in_touching_windows() -> None:
    source = r"(?<![\d-])\d{10}(?![\d-])"
    compiled, bounds = regex.compile(source, FLAGS), match_bounds(source, FLAGS)
    assert bounds is not None
    for text in ["1234567890", "1234567890 1234567890", "1234567890-1234567890 x", "١٢٣٤٥٦٧٨٩٠ 1234567890"]:
        assert _windowed(compiled, text, 10, bounds) == _whole(compiled, text)
    assert _whole(compiled, "1234567890 1234567890") == [(0, 10), (11, 21)]


def test_the_timeout_bounds_all_windows_together() -> None:
    compiled = regex.compile(r"\d{5}")
    text = "12345 " * 10
    with pytest.raises(TimeoutError):
        list(find_in_windows(compiled, text, [(0, 5), (6, 11)], 5, timeout=0.0))


def test_the_recognizer_finds_the_same_in_windows_and_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the recognizers' own search: windows always (a cover limit no cost reaches) or never (-1)."""
    recognizers = [r for r in loader.load_recognizers() if isinstance(r, loader.YamlPatternRecognizer)]
    corpus = TEXTS[:400] + ["\n".join(TEXTS[i : i + 30]) for i in range(0, 1500, 30)]

    def found(cover: float) -> list[object]:
        monkeypatch.setattr(loader, "MAX_COVER", cover)
        out: list[object] = []
        for text in corpus:
            for recognizer in recognizers:
                out.append(recognizer._find(text, recognizer.spec.flags))
        return out

    windowed, whole = found(1e9), found(-1.0)
    assert windowed == whole
    assert sum(len(f) for f in whole if isinstance(f, tuple)) > 500
