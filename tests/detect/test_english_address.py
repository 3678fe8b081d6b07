"""English street addresses, PO boxes and military mail (detect/english_address.py)."""

from __future__ import annotations

import random
import re
import time

import pytest
import regex

from pii_audit.detect import english_address
from pii_audit.detect.english_address import EnglishAddressRecognizer, find_addresses


def spans(text: str) -> list[str]:
    return [text[start:end] for start, end, _ in find_addresses(text)]


VALID = [
    ("1234 Elm Street, Springfield, IL 62704", "1234 Elm Street, Springfield, IL 62704"),
    ("221B Baker Street, London", "221B Baker Street, London"),
    ("Send it to 55 Main St., Apt 4B, Boston, MA 02108 today", "55 Main St., Apt 4B, Boston, MA 02108"),
    ("10 Downing Street, London SW1A 2AA", "10 Downing Street, London SW1A 2AA"),
    ("1600 Pennsylvania Avenue NW, Washington, DC 20500", "1600 Pennsylvania Avenue NW, Washington, DC 20500"),
    ("He lives at 742 Evergreen Terrace, Springfield.", "742 Evergreen Terrace, Springfield"),
    # a rarer suffix with a unit, a town and a ZIP
    ("ship to 3907 Willow Bend Suite 88, Fairhaven, WA 98225 please", "3907 Willow Bend Suite 88, Fairhaven, WA 98225"),
    ("Unit 7, 41 Harcourt Rd, Dublin 2, Ireland", "Unit 7, 41 Harcourt Rd, Dublin 2, Ireland"),
    ("Flat 2, 19 Princes Crescent, Leeds LS6 3BT", "Flat 2, 19 Princes Crescent, Leeds LS6 3BT"),
    ("88 Queen St W, Toronto, ON M5H 2M5", "88 Queen St W, Toronto, ON M5H 2M5"),
    ("14 Wattle Close, Ballarat VIC 3350", "14 Wattle Close, Ballarat VIC 3350"),
    # street type first, number after the street, in English or continental order
    ("1221 Avenue of the Americas, New York, NY 10020", "1221 Avenue of the Americas, New York, NY 10020"),
    ("Our flat: 8 rue des Lilas, 69003 Lyon", "8 rue des Lilas, 69003 Lyon"),
    ("Lindenstraße 41, 50674 Köln, Germany", "Lindenstraße 41, 50674 Köln, Germany"),
    ("Ryttarvägen 9, 752 36 Uppsala", "Ryttarvägen 9, 752 36 Uppsala"),
    ("She moved to 905 Mannerheimintie 4 Apt. 12, Porvoo", "905 Mannerheimintie 4 Apt. 12, Porvoo"),
    ("Calle Mayor 23, 28013 Madrid", "Calle Mayor 23, 28013 Madrid"),
    ("700 Broadway, Denver, CO 80203", "700 Broadway, Denver, CO 80203"),
    # PO boxes and military mail
    ("P.O. Box 4410, Tulsa, OK 74159", "P.O. Box 4410, Tulsa, OK 74159"),
    ("PO Box 92", "PO Box 92"),
    ("PSC 4115, Box 2231\nAPO AE 09630", "PSC 4115, Box 2231\nAPO AE 09630"),
    # the town line below the street line
    ("Ruth\n31 Orchard Lane\nMilford, CT 06460\n", "31 Orchard Lane\nMilford, CT 06460"),
    ("12 Kings Road\nCardiff CF10 3AT", "12 Kings Road\nCardiff CF10 3AT"),
]

NEGATIVE = [
    "Top 5 Tips For Spring",
    "We shipped 3 New Features Today",
    "Release 4 Park notes",
    "Chapter 12 Point of View",
    "Take Highway 61 south",
    "Springfield, IL",
    "London NW1",
    "Version 2 Drive",
    "It took 15 Days in the Valley",
    "2024-03-01 12:00:01 INFO Worker 3 Station ready",
    "Elm Street",
    "Room 12",
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_address_span(text: str, expected: str) -> None:
    assert spans(text) == [expected]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_an_address(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("12 Main Street", 0.65, 0.75),  # a common suffix alone
        ("12 Main Street, Boston, MA 02110", 0.85, 0.95),
        ("She lives at 78 Oak Grove.", 0.55, 0.65),  # a rarer suffix needs the cue
        ("Head office: 500 Market Street, San Francisco, CA 94105", 0.4, 0.45),  # a business's seat
    ],
)
def test_scores(text: str, low: float, high: float) -> None:
    ((_, _, score),) = find_addresses(text)
    assert low <= score <= high


def test_a_rarer_suffix_alone_is_not_an_address() -> None:
    assert spans("We met at 78 Oak Grove.") == ["78 Oak Grove."]  # `at` is a cue
    assert spans("Ran 78 Oak Grove") == []


def test_recognizer_results() -> None:
    recognizer = EnglishAddressRecognizer("en")
    (result,) = recognizer.analyze("Mail: 9 Pine Road, Bath BA1 2QH", ["ADDRESS"])
    assert (result.entity_type, result.start, result.end) == ("ADDRESS", 6, 31)
    assert result.recognition_metadata["recognizer_name"] == "EnglishAddressRecognizer"
    assert recognizer.analyze("Mail: 9 Pine Road, Bath BA1 2QH", ["PERSON"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "12 " + "Main " * 20_000,
        "12 Main Street" + ", Boston" * 12_000,
        "PO Box 1" + ", Tulsa" * 12_000,
        "1 " + "Avenue of the " * 7_000,
        "Lindenstraße 4" + " Apt. 3" * 12_000,
    ],
    ids=range(5),
)
def test_adversarial_input_returns_quickly(text: str) -> None:
    started = time.perf_counter()
    find_addresses(text[:100_000])
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize(
    ("pattern", "hint", "least"),
    [
        (english_address._NUMBER_FIRST, english_address._NUMBER_FIRST_HINT, 100),
        (english_address._SUFFIXED, english_address._SUFFIXED_HINT, 100),
    ],
)
def test_lines_with_a_hint_hold_every_match(pattern: regex.Pattern[str], hint: re.Pattern[str], least: int) -> None:
    """Scanning only the lines that hold the pattern's hint finds what scanning the text finds."""
    rng = random.Random(7)
    lines = [t for t, _ in VALID] + NEGATIVE + ["", "the 3 of us met in 2024.", "매출 3 개 분기", "(Hauptstraße 5"]
    texts = ["\n".join(rng.choice(lines) for _ in range(rng.randint(1, 6))) for _ in range(300)]
    found = 0
    for text in texts:
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in english_address._on_lines(pattern, hint, text, 2.0)] == expected, repr(text)
        found += len(expected)
    assert found > least


def test_street_type_lines_hold_every_match() -> None:
    """`_type_first` scans the lines whose lower-cased text holds a street type: it finds what
    `_TYPE_FIRST.finditer` finds on the whole text, with the types in any case (`regex` folds `ſ`
    to `s`, `ẞ` to `ß`, `K` to `k`), and on text that lower-casing lengthens (`İ`)."""
    rng = random.Random(7)
    odd = {"s": "ſ", "S": "ſ", "ß": "ẞ", "k": "\u212a"}
    lines = [t for t, _ in VALID] + NEGATIVE + ["", "the 3 of us met in 2024.", "İstanbul 5 Avenue Foch"]
    for word in english_address._STREET_FIRST_WORDS:
        word = word.replace("[ ]", " ").replace("\\.", ".")
        for form in (word, word.upper(), word.lower(), "".join(odd.get(ch, ch) for ch in word)):
            lines += [f"12 {form} Foch", f"Lives at 7, {form} Verde Sol, Lisboa", f"{form} Mayor Grande 45"]
    texts = ["\n".join(rng.choice(lines) for _ in range(rng.randint(1, 6))) for _ in range(600)]
    texts += lines
    found = 0
    for text in texts:
        expected = [m.span() for m in english_address._TYPE_FIRST.finditer(text)]
        assert [m.span() for m in english_address._type_first(text, 2.0)] == expected, repr(text)
        found += len(expected)
    assert found > 300


def test_anchor_written_from_the_space_answers_as_the_plain_pattern() -> None:
    """`_ANCHOR` starts at the space (for speed): it finds a match exactly where the plain form of
    what every address holds, a digit by a letter across a space, finds one."""
    plain = regex.compile(r"\d[A-Za-z]?,?[ ]\p{L}|\p{L}\.?[ ]\d")
    rng = random.Random(11)
    pieces = ["12", "7b", "x", "é", "매출", " ", " ", "  ", ",", ".", "-", "\n"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    answers = [bool(english_address._ANCHOR.search(t)) for t in texts]
    assert answers == [bool(plain.search(t)) for t in texts]
    assert sum(answers) > 100  # and some texts hold one
