"""Foreign names written in Hangul (`응우옌 티 란`, `안나 코발스카`, `이바노바 올가`).

They have no Korean surname, so the surname-based recognizer cannot see them. A name here is two to
four space-separated words from the lists of common transliterated family and given names
(patterns/wordlists/foreign_names_hangul.yaml), at least one of them a family name and at least one
longer than a syllable (`장 민` reads as Korean words), standing as words of their own.
"""

from __future__ import annotations

import regex

from pii_audit.detect.korean.gazetteer import trie_pattern
from pii_audit.resources import WORDLISTS, read_yaml

_WORDS = read_yaml(WORDLISTS / "foreign_names_hangul.yaml")
FAMILY = frozenset(_WORDS["family"])
GIVEN = frozenset(_WORDS["given"])
_ALL = FAMILY | GIVEN
_WORD = trie_pattern(_ALL)  # a prefix tree: the scan costs little more than for one word
_PARTICLE = "(?:께서|에게|한테|이|가|은|는|의|을|를|와|과|도|씨|님)"
_SEQUENCE = regex.compile(rf"(?<![가-힣])(?:{_WORD})(?:[ \t](?:{_WORD})){{1,3}}(?={_PARTICLE}?(?![가-힣]))")


def foreign_names(text: str) -> list[tuple[int, int]]:
    """Spans of foreign names in Hangul in `text`."""
    out: list[tuple[int, int]] = []
    if not any("가" <= ch <= "힣" for ch in text):
        return out
    for m in _SEQUENCE.finditer(text, overlapped=False, timeout=1.0):
        words = m.group().split()
        if any(w in FAMILY for w in words) and any(len(w) >= 2 for w in words):
            out.append((m.start(), m.end()))
    return out
