"""English names (detect/english_people.py): lexicon, cues, titles, NER, and what is not a name."""

from __future__ import annotations

import random

import pytest

from pii_audit.detect import english_people
from pii_audit.detect.engine import Detector
from pii_audit.detect.english_people import EnglishPersonRecognizer, _find, fold, lexicon


def names(text: str) -> list[str]:
    return [text[start:end] for start, end, _, _ in sorted(_find(text, []))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a known given name and surname, from many cultures, with nothing else around
        ("Tomasz Wójcik will review the budget.", ["Tomasz Wójcik"]),
        ("The minutes were taken by Chiamaka Eze.", ["Chiamaka Eze"]),
        ("Signed off by Yuki Matsumoto and Henrik Lindgren", ["Yuki Matsumoto", "Henrik Lindgren"]),
        ("Ask Priyanka Iyer about the forecast", ["Priyanka Iyer"]),
        ("Report prepared by Aleksandr V. Sokolov", ["Aleksandr V. Sokolov"]),
        ("Tran Thi Mai met Nguyen Van Duc", ["Tran Thi Mai", "Nguyen Van Duc"]),  # surname first
        ("Zoltan Kovacs", ["Zoltan Kovacs"]),  # without the accents
        # one part known, the other not
        ("Please loop in Odalys Benavides-Quiroga", ["Odalys Benavides-Quiroga"]),
        # cues before a single word
        ("Hi, my name is Anouk and I ordered a lamp", ["Anouk"]),
        ("Thanks, Sipho!", ["Sipho"]),
        ("I'm Rutendo, the new intern", ["Rutendo"]),
        ("Dear Ms. Abernathy,", ["Abernathy"]),
        ("Hello Dr Okonjo, thank you for the call", ["Okonjo"]),
        ("Client (J. Balogun) was seen at 10am", ["J. Balogun"]),
        # a known given name in a sentence
        ("Fatima booked the room for Thursday", ["Fatima"]),
        ("we spoke with Kwabena yesterday", ["Kwabena"]),
        # roles before names
        ("Coach Marisol praised the team", ["Marisol"]),
        ("Commissioner Anneliese Vogt voted against", ["Anneliese Vogt"]),
        # surname, given
        ("Lindqvist, Ingrid", ["Lindqvist, Ingrid"]),
        # a part of a name found in full is that person again
        ("Rahima Begum called on Monday. Rahima asked about the boiler.", ["Rahima Begum", "Rahima"]),
    ],
)
def test_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Annual Review Of Supplier Performance",  # a Title-Case heading
        "Meeting moved to Monday, 3 June",
        "Smith & Wesson recalled the model",
        "Donations to the Carter Center doubled",
        "Analysts at Morgan Stanley expect a cut",
        "Our office in Sofia opens in June",  # a place after `in`
        "She grew up in San Francisco",
        "Mr. Kim, a resettlement officer, said the numbers fell",  # a Korean surname alone
        "Mr. Henderson said the vote was close",  # a surname alone in prose
        "Jenkins build #42 failed on main",  # a tool named like a person
        "Deploy to the Phoenix cluster",
        "May brings the spring release",  # an ordinary word that is also a name
        "Model: Carter X200 Cordless Drill",
        "Program: refugee resettlement",  # a label, not a chat speaker
        "Name,Date of Birth,Address,Phone,Email,Joined",
        "Release notes for Harbor Dashboard",
        "https://maria.lopez@example.com/path and maria.lopez@example.com",
        "@Jonathan please check",  # a handle
        "Best regards,\nPeople Operations",
        "Citizens Advice Bradford and Shelter",
        # A department in an owner's field, and a supplier's legal form: business words, no one's name.
        "Owner: Supply Chain",
        "Owner: Quality Assurance",
        "Responsible: Procurement Planning",
        "Invoice from Crescent Components GmbH",
    ],
)
def test_not_names(text: str) -> None:
    assert names(text) == []


def test_chat_speakers_and_sign_offs() -> None:
    text = "[10:42] Aigerim: can you resend the file?\n[10:43] Tomás Ruiz: done\n\nBest regards,\nWiremu\n"
    assert names(text) == ["Aigerim", "Tomás Ruiz", "Wiremu"]


def test_names_in_capitals() -> None:
    assert names("HIROSHI TANAKA-LEWIS\nSoftware Engineer") == ["HIROSHI TANAKA-LEWIS"]
    assert names("Surname: OKONKWO    Given names: Ngozi Adaeze") == ["OKONKWO", "Ngozi Adaeze"]
    assert names("ANNUAL REPORT 2024") == [] and names("STATUS: OKONKWO") == []


def test_a_chat_speaker_may_have_a_name_that_is_also_a_word() -> None:
    assert names("[09:12] Grace: on my way\n[09:13] Reminder: standup") == ["Grace"]


def test_no_name_inside_an_address() -> None:
    assert names("Deliver to 12 Martin Luther King Blvd, Newark, NJ 07102") == []
    assert names("Visit 4821 Grace Hollow Suite 9, Lakeview, OR 97630") == []


def test_scores_rank_evidence() -> None:
    found = {"".join(t.split()): s for t, s in ((t, s) for t, s in _scored("Ines Duarte and Nkosana Dube met"))}
    assert found["InesDuarte"] == pytest.approx(0.85)  # both parts known
    assert 0.7 <= found["NkosanaDube"] < 0.85  # one part known


def _scored(text: str) -> list[tuple[str, float]]:
    return [(text[s:e], score) for s, e, score, _ in _find(text, [])]


def test_ner_only_names() -> None:
    # in a sentence: reported on its own, at a low score
    text = "We hired Xochitl Tzompantzi last week"
    start = text.index("Xochitl")
    assert _find(text, [(start, start + 18)]) == [(start, start + 18, 0.6, False)]
    # after `from`/`in` (a place?), or with an ordinary word or a street type in it: weak, kept
    # only beside other personal data
    for text in ("Letter from Xochitl Tzompantzi about the lease", "The gala at Storm Vantix was loud"):
        start = text.index(" ", text.index("from" if "from" in text else "at ") + 2) + 1
        end = start + len(" ".join(text[start:].split()[:2]))
        assert [weak for *_, weak in _find(text, [(start, end)])] == [True]
    # NER spans that are organisations or followed by one are not kept
    text = "Fonterra Co-operative Group posted results"
    assert _find(text, [(0, len("Fonterra Co-operative"))]) == []


def test_lexicon_matching_ignores_case_and_accents() -> None:
    lex = lexicon()
    assert fold("Zsófia") == "zsofia" and "zsofia" in lex.given
    assert fold("O’Neil's") == "o'neil"
    assert "may" in lex.ambiguous and "january" in lex.not_name


def test_recognizer_reports_lone_names_not_weak() -> None:
    recognizer = EnglishPersonRecognizer()
    (result,) = recognizer.analyze("Ines Duarte presented the data", ["PERSON"])
    assert (result.entity_type, result.start, result.end) == ("PERSON", 0, 11)
    assert result.recognition_metadata["weak"] is False
    assert recognizer.analyze("Ines Duarte presented the data", ["ADDRESS"]) == []


def test_detector_reports_a_lone_name(detector: Detector) -> None:
    text = "Please cc Rosalind Achterberg on the order"
    assert [(d.entity_type, text[d.start : d.end]) for d in detector.detect(text)] == [
        ("PERSON", "Rosalind Achterberg")
    ]


def test_detector_drops_a_ner_only_guess_without_other_data(detector: Detector) -> None:
    # NER may tag product names; a guess with no word-list support stays out of a text with no other data.
    text = "The Lumora Vantix ships next week"
    assert [d for d in detector.detect(text) if d.entity_type == "PERSON"] == []


@pytest.mark.parametrize(
    "text",
    ["Abcd " * 20_000, "J. " * 30_000, "Ab van de " * 10_000, "[10:00] Anna: hi\n" * 6_000, "Smith, John " * 8_000],
    ids=range(5),
)
def test_adversarial_input_returns_quickly(text: str) -> None:
    import time

    started = time.perf_counter()
    _find(text[:100_000], [])
    assert time.perf_counter() - started < 10.0


def test_organisations_are_scanned_for_only_where_some_name_is() -> None:
    """`_organisations` skips the case-folding scan on a text whose lower-cased form holds no
    organisation's name: it finds what the scan finds, in any case, with `ſ` and the Kelvin sign
    (which `regex` folds to `s` and `k`) and with text that lower-casing lengthens (`İ`)."""
    lex = lexicon()
    rng = random.Random(5)
    odd = {"s": "ſ", "k": "\u212a", "K": "\u212a"}
    names = ["Morgan Stanley", "Smith & Wesson", "Johns Hopkins University", "Dr Martens", "Trader Joe's"]
    forms = [f(n) for n in names for f in (str, str.upper, str.lower, lambda n: "".join(odd.get(c, c) for c in n))]
    pieces = [*forms, "İstanbul", "the", "Morgan", "Stanleyx", "xMorgan Stanley", " ", ", ", "\n", "매출", "é"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(2000)]
    found = 0
    for text in texts:
        expected = [m.span() for m in lex.organisations.finditer(text)]
        assert english_people._organisations(text, lex) == expected, repr(text)
        found += len(expected)
    assert found > 500
