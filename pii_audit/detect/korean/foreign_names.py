"""Foreign names written in Hangul (`응우옌 티 란`, `안나 코발스카`, `이바노바 올가`).

They have no Korean surname, so the surname-based recognizer cannot see them. A name here is two to
four space-separated words from the lists of common transliterated family and given names
(patterns/wordlists/foreign_names_hangul.yaml), at least one of them a family name and at least one
longer than a syllable (`장 민` reads as Korean words), standing as words of their own.
"""

from __future__ import annotations

import re

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


# Where a match can start: its first word is a whole Hangul run (not preceded by a syllable, and
# followed by a space or tab and the syllable that starts the next word) as long as a listed word
# at most. `re` finds those runs at a fraction of the cost of trying `_SEQUENCE` at every character.
_FIRST_WORD = re.compile(rf"(?<![가-힣])[가-힣]{{1,{max(map(len, _ALL))}}}(?=[ \t][가-힣])")


def foreign_names(text: str) -> list[tuple[int, int]]:
    """Spans of foreign names in Hangul in `text`: the matches of `_SEQUENCE.finditer`, tried
    only at the runs that can start one (`_FIRST_WORD`, whose run is a listed word)."""
    out: list[tuple[int, int]] = []
    if not any("가" <= ch <= "힣" for ch in text):
        return out
    end = 0
    for run in _FIRST_WORD.finditer(text):
        if run.start() < end or run.group() not in _ALL:
            continue
        m = _SEQUENCE.match(text, run.start(), timeout=1.0)
        if m is None:
            continue
        end = m.end()
        words = m.group().split()
        if any(w in FAMILY for w in words) and any(len(w) >= 2 for w in words):
            out.append((m.start(), m.end()))
    return out
