"""PERSON in Latin script.

- Romanized Korean names in either order, McCune-Reischauer or Revised Romanization:
  `KIM Chol-su`, `Chol-su Kim`, `Kumok YU`, `Ri Myong-il` (a hyphenated given name, or an
  upper-case surname, marks the name; surnames from patterns/wordlists/romanized_surnames.yaml).
- Any capitalised two-to-four-word name that is the value of a name field (`Name: Dennis Boone`,
  a `Full name` column).
Other English names come from spaCy's NER when the English model is installed. A surname alone
(`Kim`) is never a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.lines import label_before, squash
from pii_audit.detect.shared import LastText
from pii_audit.resources import WORDLISTS, read_yaml

WORDLIST = WORDLISTS / "romanized_surnames.yaml"
NAME_LABELS = (
    "name",
    "fullname",
    "applicant",
    "client",
    "patient",
    "member",
    "contact",
    "employee",
    "staff",
    "student",
    "beneficiary",
    "recipient",
    "guardian",
    "counsellor",
    "counselor",
    "caseworker",
    "성명",
    "이름",
    "대상자",
    "신청인",
    "보호자",
    "담당자",
)
_GIVEN_HYPHEN = r"[A-Z][a-z]{1,5}-[a-z]{1,5}"
_WORD = r"[A-Z][A-Za-z'\-]{1,20}"
# Capitalised words that precede or follow a surname in prose without making a name.
_NOT_GIVEN = frozenset(
    [
        "Dear",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "Prof",
        "The",
        "From",
        "To",
        "And",
        "For",
        "With",
        "Team",
        "Dept",
        "Department",
        "Director",
        "Chief",
        "Manager",
        "Officer",
        "Professor",
        "President",
        "Minister",
        "Ambassador",
        "Mayor",
        "Governor",
        "Chairman",
        "Said",
        "Says",
        "Told",
        "Asked",
        "Office",
        "Center",
        "Centre",
        "Group",
        "Korea",
        "Korean",
        "North",
        "South",
        "Seoul",
        "Busan",
        "Family",
        "Case",
        "Contact",
        "Client",
        "Staff",
    ]
)


_CAPITAL = regex.compile(r"[A-Z]")


@lru_cache(maxsize=1)
def _capital_first(surnames: frozenset[str]) -> bool:
    """Every listed surname starts with a capital A-Z (as every other part of the patterns does)."""
    return all("A" <= s[:1] <= "Z" for s in surnames)


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The surnames as written in the list, those of two letters or more in capitals, and both."""
    listed = frozenset(str(s) for s in read_yaml(WORDLIST)["surnames"])
    capitals = frozenset(s.upper() for s in listed if len(s) > 1)
    return listed, capitals, listed | capitals


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern[str], ...]:
    listed, capitals, _ = _surnames()
    # Longest first, then by spelling: the same pattern in every process (a set's order changes with
    # the hash seed, and then compiled_patterns would find nothing kept); two different surnames of
    # one length never match at the same place, so their order does not change a match.
    cap = "|".join(sorted(listed, key=lambda s: (-len(s), s)))
    upper = "|".join(sorted(capitals, key=lambda s: (-len(s), s)))
    return (
        # KIM Chol-su / Kim Chol-su / KIM CHOL-SU
        regex.compile(rf"(?<![\w-])(?:{upper}|{cap})\s+(?:{_GIVEN_HYPHEN}|[A-Z]{{2,6}}-[A-Z]{{2,6}})(?![\w-])"),
        # Chol-su Kim / Chol-su KIM
        regex.compile(rf"(?<![\w-]){_GIVEN_HYPHEN}\s+(?:{upper}|{cap})(?![\w-])"),
        # Kumok YU, KIM Kumok: one part in capitals marks the surname
        regex.compile(rf"(?<![\w-])[A-Z][a-z]{{2,10}}\s+(?:{upper})(?![\w-])"),
        regex.compile(rf"(?<![\w-])(?:{upper})\s+[A-Z][a-z]{{2,10}}(?![\w-])"),
    )


# Where a match that starts with a surname can start: a capitalised run of ASCII letters followed by
# white space (`re`'s \s takes in every character `regex`'s does), or a run of capitals for the
# surnames in capitals. Finding these and matching the pattern only there gives what `finditer`
# gives, in a fraction of the time: the pattern's lookbehind and surname alternation would be tried
# at every position of the text.
_CAPITALISED_RUN = re.compile(r"[A-Z][A-Za-z]*(?=\s)")
_CAPITALS_RUN = re.compile(r"[A-Z]+(?=\s)")


@lru_cache(maxsize=4)
def _runs(surnames: frozenset[str]) -> re.Pattern[str] | None:
    """The run that a match starting with one of `surnames` starts with, if there is one."""
    if not all(s.isascii() and s.isalpha() and s[0].isupper() for s in surnames):
        return None
    return _CAPITALS_RUN if all(s.isupper() for s in surnames) else _CAPITALISED_RUN


def _surname_first(pattern: regex.Pattern[str], text: str, surnames: frozenset[str]) -> Iterator[regex.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose matches start with one of `surnames`, not
    preceded by a letter and followed by white space: such a surname is a whole run of `_runs`, so
    the pattern is matched only at those."""
    runs = _runs(surnames)
    if runs is None:
        yield from pattern.finditer(text, timeout=1.0)
        return
    end = 0
    for run in runs.finditer(text):
        if run.start() >= end and run.group() in surnames:
            m = pattern.match(text, run.start(), timeout=1.0)
            if m is not None:
                end = m.end()
                yield m


# `Andrew Smith, born July 15, 1946`, `Jane Doe (DOB 1/2/1980)`: a name introducing a birth date or age.
_BEFORE_BIRTH = regex.compile(
    rf"{_WORD}(?:[ ]+(?:{_WORD}|[A-Z]\.)){{1,3}}(?=,?\s*\(?(?:born|b\.|DOB|D\.O\.B|"
    r"date of birth|aged?\s+\d|\d{1,3}[ -]years?[ -]old))"
)
# One space between the words: `Surname: OKONKWO      Given names: …` is two fields, not one name.
_LABELLED = regex.compile(rf"{_WORD}(?:[ ](?:{_WORD}|[A-Z]\.)){{1,3}}")


class LatinNameRecognizer(EntityRecognizer):
    name: str

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=["PERSON"],
            supported_language=supported_language,
            name=f"LatinNameRecognizer_{supported_language}",
        )

    def load(self) -> None:
        _patterns()  # compiled with the Detector (before workers fork from it), not on a first text

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        # The `ko` and `en` instances find the same names in a mixed-script chunk: see shared.py.
        found = _FOUND.get(None, text, lambda: _find(text))
        return [self._result(start, end, score) for start, end, score in found]

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult("PERSON", start, end, score, recognition_metadata={"recognizer_name": self.name})


_FOUND: LastText[tuple[tuple[int, int, float], ...]] = LastText()


def _find(text: str) -> tuple[tuple[int, int, float], ...]:
    """(start, end, score) of every Latin-script name in `text`."""
    results: list[tuple[int, int, float]] = []
    listed, capitals, either = _surnames()
    if _CAPITAL.search(text) is None and _capital_first(listed):
        return ()  # every pattern starts a word with a capital A-Z: Korean text has none
    surname_first, hyphen_first, capitals_last, capitals_first = _patterns()
    for matches, score in (
        (_surname_first(surname_first, text, either), 0.85),
        (hyphen_first.finditer(text, timeout=1.0), 0.85),
        (capitals_last.finditer(text, timeout=1.0), 0.7),
        (_surname_first(capitals_first, text, capitals), 0.7),
    ):
        for m in matches:
            if any(w in _NOT_GIVEN for w in m.group().split()):
                continue
            results.append((m.start(), m.end(), score))
    for m in _BEFORE_BIRTH.finditer(text, timeout=1.0):
        if not any(w in _NOT_GIVEN for w in m.group().split()):
            results.append((m.start(), m.end(), 0.8))
    for m in _LABELLED.finditer(text, timeout=1.0):
        label = label_before(text, m.start())
        if label and any(squash(label).endswith(x) or x in squash(label) for x in NAME_LABELS):
            results.append((m.start(), m.end(), 0.85))
    return tuple(results)
