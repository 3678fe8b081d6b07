"""English text through the whole detector: addresses, phone numbers, e-mail versus URL credentials."""

from __future__ import annotations

import pytest

from pii_audit.detect.engine import Detector


def found(detector: Detector, text: str) -> set[tuple[str, str]]:
    return {(d.entity_type, text[d.start : d.end]) for d in detector.detect(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Please ship it to 3907 Willow Bend Suite 88, Fairhaven, WA 98225.",
            "3907 Willow Bend Suite 88, Fairhaven, WA 98225",
        ),
        ("Office closed; my home is 19 Princes Crescent, Leeds LS6 3BT", "19 Princes Crescent, Leeds LS6 3BT"),
        ("Write to P.O. Box 4410, Tulsa, OK 74159 by Friday", "P.O. Box 4410, Tulsa, OK 74159"),
    ],
)
def test_english_address_wins_over_name_guesses(detector: Detector, text: str, expected: str) -> None:
    # NER tags parts of street and town names as people (`Willow Bend`, `Fairhaven`): the address
    # span is reported, and no PERSON inside it.
    result = found(detector, text)
    assert ("ADDRESS", expected) in result
    start = text.index(expected)
    assert not any(kind == "PERSON" and start <= text.index(value) < start + len(expected) for kind, value in result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You can reach me at (555) 010-1234 after six.", "(555) 010-1234"),
        ("cell 555.010.1234", "555.010.1234"),
        ("Our London desk: +44 20 7946 0958", "+44 20 7946 0958"),
        ("ring 020 7946 0958 any time", "020 7946 0958"),
        ("front desk 212-555-0143 ext. 204", "212-555-0143 ext. 204"),
    ],
)
def test_phone_numbers(detector: Detector, text: str, expected: str) -> None:
    assert ("PHONE_NUMBER", expected) in found(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "git remote add origin https://deploy:hunter2@git.example.com/app.git",
        "MONGO_URL=mongodb+srv://svc:pw123@cluster0.example.net/prod?retryWrites=true",
        "pip install git+https://ghp_abc123@github.com/acme/tool.git",
    ],
)
def test_url_credentials_are_not_email_addresses(detector: Detector, text: str) -> None:
    assert not any(kind == "EMAIL_ADDRESS" for kind, _ in found(detector, text))


def test_mailto_is_still_an_email(detector: Detector) -> None:
    assert ("EMAIL_ADDRESS", "ana.ruiz@example.org") in found(detector, '<a href="mailto:ana.ruiz@example.org">')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Referred: Yasmin Al-Khatib (12/05/1984), lapsed permit", "12/05/1984"),
        ("Dennis Okoro (1947-11-23) moved in", "1947-11-23"),
        ("She was born on the 4th of June, 1988.", "4th of June, 1988"),
    ],
)
def test_english_birth_dates(detector: Detector, text: str, expected: str) -> None:
    assert ("DATE_OF_BIRTH", expected) in found(detector, text)


@pytest.mark.parametrize(
    "text", ["Board Meeting (12/05/2023) minutes", "Release Notes (2023-01-15)", "Invoice of 4th of June, 2023"]
)
def test_dates_in_brackets_after_other_words_are_not_birth_dates(detector: Detector, text: str) -> None:
    assert not any(kind == "DATE_OF_BIRTH" for kind, _ in found(detector, text))
