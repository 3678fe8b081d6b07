"""One table per validator (valid and invalid rows) plus property tests: never raise."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_audit.detect.validators import (
    VALIDATORS,
    credit_card,
    email,
    intl_phone,
    kr_brn,
    kr_driver_license,
    kr_frn,
    kr_passport,
    kr_phone,
    kr_rrn,
    luhn,
    nanp_phone,
)

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def _with_check(first12: str, base: int) -> str:
    s = sum(int(c) * w for c, w in zip(first12, _WEIGHTS, strict=True))
    return first12 + str((base - s % 11) % 10)


def make_rrn(born: date, serial: str = "12345") -> str:
    """A synthetic RRN with the real checksum: G is 1/2 for 1900s births, 3/4 for 2000s."""
    g = ("1" if born.year < 2000 else "3") if int(serial[0]) % 2 == 0 else ("2" if born.year < 2000 else "4")
    return _with_check(born.strftime("%y%m%d") + g + serial, 11)


def _flip_check(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


_rng = random.Random(20240229)
_BIRTHS = [
    date(1950, 1, 1) + timedelta(days=_rng.randrange((date(2019, 12, 31) - date(1950, 1, 1)).days)) for _ in range(40)
] + [date(1952, 2, 29), date(2000, 2, 29), date(2016, 2, 29)]
_GENERATED = [make_rrn(b, f"{_rng.randrange(100000):05d}") for b in _BIRTHS]
_GENERATED = [r for r in _GENERATED if len(set(r[7:])) > 1]


@pytest.mark.parametrize("number", _GENERATED)
def test_generated_rrns_pass(number: str) -> None:
    assert kr_rrn(number) is True
    assert kr_rrn(f"{number[:6]}-{number[6:]}") is True


@pytest.mark.parametrize("number", _GENERATED)
def test_generated_rrns_with_bad_checksum_need_context(number: str) -> None:
    # Since October 2020 tails are random: a valid date with a failed checksum stays a candidate.
    assert kr_rrn(_flip_check(number)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900101-1234568", True),
        ("9001011234568", True),
        ("900101 1234568", True),
        ("900101–1234568", True),  # en dash
        ("120229-4123450", True),  # 2012-02-29, leap year
        ("900101-1234567", None),  # failed checksum, real date
        ("900230-1234567", False),  # Feb 30
        ("010229-3123456", False),  # 2001 not a leap year
        ("000229-3123456", None),  # 2000 is a leap year
        ("900101-5123456", False),  # century digit 5 = foreigner
        ("900101-7123456", False),
        ("301231-3123456", False),  # born in the future
        ("991231-9123456", None),  # 1899, century digit 9
        ("991301-1234567", False),  # month 13
        ("000000-0000000", False),
        ("111111-1111111", False),
        ("123456-1234567", False),
        ("900101-1000000", False),
        ("900101-123456", False),  # too short
        ("90010a-1234568", False),
        ("", False),
    ],
)
def test_kr_rrn(text: str, expected: bool | None) -> None:
    assert kr_rrn(text) is expected


def test_full_width_digits_are_digits() -> None:
    assert kr_rrn("９００１０１-１２３４５６８") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900101-5123681", True),
        ("050505-7123782", True),
        ("880101-6123460", True),
        ("900101-5123682", None),  # failed old checksum
        ("900101-5113681", None),  # odd issuing office (digits 8-9)
        ("900101-5123456", None),  # 12th digit 5 breaks the old rule
        ("900231-5123681", False),  # Feb 31
        ("300101-7123456", False),  # born in the future
        ("900101-1234568", False),  # citizen
        ("555555-5555555", False),
        ("900101-51236", False),
    ],
)
def test_kr_frn(text: str, expected: bool | None) -> None:
    assert kr_frn(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123-45-67891", True),
        ("220-81-05122", True),
        ("1048123454", True),
        ("104 81 23454", True),
        ("123-45-67890", False),
        ("220-81-05123", False),
        ("000-00-00000", False),
        ("012-34-56789", False),
        ("123-45-6789", False),
        ("abc-de-fghij", False),
    ],
)
def test_kr_brn(text: str, expected: bool | None) -> None:
    assert kr_brn(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M48261937", None),
        ("S73019284", None),
        ("M703K2918", None),
        ("D815B2947", None),
        ("M11111111", False),
        ("M12345678", False),
        ("S20240611", False),  # a date: a build or batch id
        ("M000A0000", False),
        ("X48261937", False),
        ("M4826193", False),
        ("M48a61937", False),
        ("m703k2918", False),
    ],
)
def test_kr_passport(text: str, expected: bool | None) -> None:
    assert kr_passport(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11-19-482915-01", None),
        ("28-05-730218-12", None),
        ("261948291501", None),
        ("서울 12-804731-90", None),
        ("경기 05-291846-78", None),
        ("제주12-804731-90", None),
        ("27-19-482915-01", False),  # region 27 does not exist
        ("10-19-482915-01", False),
        ("29-19-482915-01", False),
        ("11-19-111111-01", False),
        ("11-19-123456-01", False),
        ("서울 12-804731-9", False),
        ("평양 12-804731-90", False),
        ("11-19-482915", False),
    ],
)
def test_kr_driver_license(text: str, expected: bool | None) -> None:
    assert kr_driver_license(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4532-0151-1283-0366", True),
        ("4532015112830366", True),
        ("5123 4567 8901 2346", True),
        ("378282246310005", True),
        ("4532-0151-1283-0367", False),
        ("4444444444444444", False),
        ("0000000000000", False),
        ("123456789012", False),  # 12 digits
        ("12345678901234567890", False),  # 20 digits
    ],
)
def test_luhn(text: str, expected: bool | None) -> None:
    assert luhn(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4532-0151-1283-0366", True),
        ("9410-1234-5678-9010", True),
        ("8801043001232", False),  # EAN-13 barcode: passes Luhn-shape checks but 8 is no issuer
        ("1234567890128", False),
        ("4532-0151-1283-0367", False),
    ],
)
def test_credit_card(text: str, expected: bool | None) -> None:
    assert credit_card(text) is expected


def test_ean_barcode_would_pass_luhn() -> None:
    assert luhn("8801043001232") is True  # why credit_card checks the issuer digit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010-1234-5678", None),
        ("01012345678", None),
        ("010.1234.5678", None),
        ("010 1234 5678", None),
        ("011-234-5678", None),
        ("016-1234-5678", None),
        ("02-723-4567", None),
        ("(02) 2123-4567", None),
        ("02)723-4567", None),
        ("031-234-5678", None),
        ("044-300-1234", None),
        ("064-712-3456", None),
        ("070-4321-8765", None),
        ("080-234-5678", None),
        ("0504-1234-5678", None),
        ("1588-1234", None),
        ("1644-1234", None),
        ("+82 10-1234-5678", None),
        ("+82-2-2123-4567", None),
        ("+82 (0)10 9876 5432", None),
        ("+82-010-9876-5432", None),
        ("0082-10-9876-5432", None),
        ("010-123-4567", False),  # 010 needs 8 digits
        ("010-1234-56789", False),
        ("070-123-4567", False),
        ("02-0123-4567", False),  # exchange starting 0
        ("031-123-4567", False),  # exchange starting 1
        ("005-1234-5678", False),
        ("034-234-5678", False),  # no area 034
        ("045-234-5678", False),
        ("0501-1234-5678", False),
        ("010-0000-0000", False),
        ("1988-12", False),
        ("+1 212 555 0143", False),
        ("+82 99-1234-5678", False),
        ("phone", False),
    ],
)
def test_kr_phone(text: str, expected: bool | None) -> None:
    assert kr_phone(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(212) 555-0143", None),
        ("+1 212 555 0143", None),
        ("1-800-275-2273", None),
        ("415.555.2671", None),
        ("(212) 155-0143", False),
        ("911-555-0143", False),
        ("212-911-0143", None),
        ("012-555-0143", False),
        ("212-555-014", False),
    ],
)
def test_nanp_phone(text: str, expected: bool | None) -> None:
    assert nanp_phone(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+44 20 7946 0958", None),
        ("+81-3-1234-5678", None),
        ("+49 (30) 1234567", None),
        ("+44 20", False),
        ("+33 1234 5678 9012 3456", False),
        ("44 20 7946 0958", False),
        ("+0 1234 5678", False),
    ],
)
def test_intl_phone(text: str, expected: bool | None) -> None:
    assert intl_phone(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hong.gildong@example.co.kr", None),
        ("J.Doe@Example.ORG", None),
        ("a..b@example.com", False),
        (".a@example.com", False),
        ("a@example", False),
        ("a@example.c0m", False),
        ("a@-.com", None),  # the regex, not the validator, guards label shapes
        ("a@example..com", False),
        ("@example.com", False),
        ("x" * 65 + "@example.com", False),
    ],
)
def test_email(text: str, expected: bool | None) -> None:
    assert email(text) is expected


_digitish = st.text(alphabet=st.sampled_from("0123456789-+. ()/–서울경기MSRX@a"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALIDATORS)), st.one_of(st.text(max_size=40), _digitish))
def test_validators_never_raise(name: str, text: str) -> None:
    assert VALIDATORS[name](text) in (True, False, None)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2019, 12, 31)), st.integers(0, 99999))
def test_rrn_rule_round_trip(born: date, serial: int) -> None:
    number = make_rrn(born, f"{serial:05d}")
    expected = not (len(set(number[7:])) == 1 or len(set(number)) == 1)
    assert kr_rrn(number) is expected


def test_every_validator_is_documented() -> None:
    for name, fn in VALIDATORS.items():
        assert fn.__doc__ and len(fn.__doc__.strip()) > 40, name


def test_digits_fast_path_is_the_per_character_definition() -> None:
    import random
    import unicodedata

    from pii_audit.detect.validators import _SEPARATORS, _digits

    def plain(text: str) -> str | None:
        out = []
        for ch in text:
            if ch.isdecimal():
                out.append(str(unicodedata.decimal(ch)))
            elif ch not in _SEPARATORS:
                return None
        return "".join(out)

    rng = random.Random(5)
    alphabet = "0123456789" * 3 + "-. ()/+\tx\u2010\u00a0٣０²"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert _digits(text) == plain(text), text
