"""Romanised Korean names: the patterns led by a surname, tried only where a surname stands, find
exactly what scanning every position finds."""

from __future__ import annotations

import random

import pytest
import regex

from pii_audit.detect.english_names import _find, _patterns, _surname_first, _surnames

# Words and what stands between them: surnames in both cases, hyphenated and plain given names,
# and before a word letters, digits, `-` or `_` (the lookbehind), odd white space, other scripts.
_WORDS = ["KIM", "Kim", "LEE", "Lee", "PAK", "Ri", "NAMGUNG", "Chol-su", "CHOL-SU", "Myong-il", "Seo-yeon", "Kumok",
          "Anna", "KIMS", "Kimchi", "김", "1"]  # fmt: skip
_BETWEEN = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "\x1c", "-", "_", "x", "é", ",", "("]


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_BETWEEN) + rng.choice(_WORDS) for _ in range(rng.randint(1, 8))) for _ in range(n)]


@pytest.mark.parametrize("which", [0, 3])
def test_surname_first_is_finditer(which: int) -> None:
    pattern = _patterns()[which]
    _, capitals, either = _surnames()
    surnames = either if which == 0 else capitals
    texts = _texts(which, 2000) + ["KIM Chol-su met Ri Myong-il and PAK Kumok", "xKIM Chol-su -LEE Seo-yeon"]
    found = 0
    for text in texts:
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in _surname_first(pattern, text, surnames)] == expected, repr(text)
        found += bool(expected)
    assert found > 100  # the pieces do make names


def test_names_found() -> None:
    text = "Case: KIM Chol-su and PAK Kumok met Chol-su Kim.\nxKIM Myong-il is not one."
    assert [text[s:e] for s, e, _ in _find(text)] == ["KIM Chol-su", "Chol-su Kim", "PAK Kumok"]


def test_text_without_capitals_is_skipped_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    from pii_audit.detect import english_names

    texts = ["성명: 김민민\n주소: 서울특별시 노원구 노원로 1", "kim chol-su born 1990", "name: ri kumok (b. 1985)"]
    gated = [english_names._find(t) for t in texts]
    monkeypatch.setattr(english_names, "_CAPITAL", regex.compile(""))  # every text reaches the patterns
    assert [english_names._find(t) for t in texts] == gated == [(), (), ()]
    assert english_names._find("KIM Chol-su") != ()
