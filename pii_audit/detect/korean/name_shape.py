"""Is a surname-initial Hangul word a name at all? Word-level tests, no context.

Most Korean common nouns and organisation names can start with a surname syllable (`부서`, `감사실`,
`인사과`, `원고`, `차량`, `고려대`, `신한`), so a name shape alone proves nothing. These tests say
when a word is *not* a name: Kiwi knows it as a common word (its dictionary, not its guess for an
unknown word), it ends like an office, department, school or place, or it is a listed organisation;
and when a bare three-syllable word reads like one by name statistics (a surname and two common
given-name syllables). Word lists: patterns/wordlists/korean_names.yaml.
"""

from __future__ import annotations

from functools import lru_cache

from pii_audit.detect.kiwi_tokenizer import kiwi
from pii_audit.resources import WORDLISTS, read_yaml

_WORDS = read_yaml(WORDLISTS / "korean_names.yaml")
GIVEN_SYLLABLES = frozenset(_WORDS["given_syllables"])
ORGANISATIONS = frozenset(_WORDS["organisations"])
ORG_ENDINGS: tuple[str, ...] = tuple(_WORDS["org_endings"])
ORG_ENDINGS_WEAK: tuple[str, ...] = tuple(_WORDS["org_endings_weak"])
_COMMON_TAGS = frozenset({"NNG", "NNB", "NR", "NP", "VV", "VA", "XR", "MAG", "MM", "IC", "VX", "XPN", "MAJ"})


@lru_cache(maxsize=65536)
def _tokens(word: str) -> tuple[tuple[str, str, int, bool], ...]:
    return tuple((t.form, t.tag, t.len, bool(t.oov)) for t in kiwi().tokenize(word))


@lru_cache(maxsize=65536)
def known_common(word: str, strict: bool = False) -> bool:
    """Kiwi reads `word` as a dictionary common word, particles aside: `부서`, `감사실`, `정보`+`는`.
    `strict` also reads a known word at its start as a common compound (`방과`+`후`), which costs
    names that begin like a word (`엄지`+`후`, `유지`+`안`): only for evidence that is weak anyway.
    A name Kiwi does not know is one out-of-vocabulary token or splits after the surname; a name it
    knows is a proper noun."""
    toks = _tokens(word)
    if not toks:
        return False
    form, tag, length, oov = toks[0]
    if oov or tag == "NNP" or length < 2 or tag not in _COMMON_TAGS:
        return False
    if strict or length == len(word):
        return True
    # `정보`+`는`; not `주지`+`ㄴ` (`주진`), a contraction Kiwi makes up for a word it does not know.
    return all(t[1].startswith("J") and not _jamo(t[0]) for t in toks[1:])


def _jamo(form: str) -> bool:
    return any("\u1100" <= ch <= "\u11ff" or "\u3131" <= ch <= "\u318e" for ch in form)


def stem_known(word: str) -> bool:
    """The word without its last syllable is a word Kiwi knows (`감사`+실, `전주`+역, `맹주`+원)."""
    toks = _tokens(word[:-1])
    return len(toks) == 1 and not toks[0][3] and toks[0][2] == len(word) - 1


def organisation(word: str, strict: bool = False) -> bool:
    """A listed organisation, or a three-syllable word with an organisation's ending. `strict` also
    reads endings that end given names too (`원`, `국`…) when what precedes them is a known word."""
    if word in ORGANISATIONS:
        return True
    if len(word) >= 3 and word.endswith(ORG_ENDINGS) and stem_known(word):
        return True
    if len(word) >= 3 and word.endswith(("대", "갑", "역", "팀", "과", "실", "방", "봇")):
        return not given_pair(word[1:])
    return strict and len(word) >= 3 and word.endswith(ORG_ENDINGS_WEAK) and stem_known(word)


def given_pair(given: str) -> bool:
    return all(ch in GIVEN_SYLLABLES for ch in given)


def not_a_name(word: str, strict: bool = False) -> bool:
    """True when `word` (surname + given name, no particle) is a common word or an organisation."""
    return organisation(word, strict) or known_common(word, strict)


def reads_as_name(word: str, surname: int) -> bool:
    """Name statistics for a bare three-syllable word: a one-syllable surname, two common given-name
    syllables, and nothing Kiwi knows (`정하람`, `문서진`, but not `정보는`, `이야기`, `감사실`)."""
    if surname != 1 or len(word) != 3 or not given_pair(word[1:]):
        return False
    return not not_a_name(word, strict=True)


def particle_follows(word: str, length: int) -> bool:
    """Kiwi reads `word` (a name and what is glued to it) as the first `length` characters and a
    particle: `정하람`+`에게`, but not `함경남`+`도` (`함경남도` is one place name)."""
    toks = _starts(word)
    rest = [t for start, t in toks if start >= length]
    return (
        any(start == length for start, _ in toks)
        and all(start + t[2] <= length for start, t in toks if start < length)
        and bool(rest)
        and all(t[1].startswith("J") for t in rest)
    )


@lru_cache(maxsize=65536)
def _starts(word: str) -> tuple[tuple[int, tuple[str, str, int, bool]], ...]:
    return tuple((t.start, (t.form, t.tag, t.len, bool(t.oov))) for t in kiwi().tokenize(word))
