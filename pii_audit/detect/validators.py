"""Validators for YAML pattern recognizers, referenced from `patterns/*.yaml` by name.

Each validator takes the text a pattern matched and answers three ways, as Presidio's
`PatternRecognizer.validate_result` does: True (certain: score 1.0), False (not this entity: the
match is dropped), None (plausible but unproven: keep the pattern's score; context decides).
Validators never raise: anything they cannot read is False.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

Validator = Callable[[str], bool | None]

# Characters people put between digit groups; they are ignored, anything else is rejected.
_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212 .()/\u00a0\t")


_DROP_SEPARATORS = str.maketrans("", "", "".join(_SEPARATORS))


def _digits(text: str) -> str | None:
    """The ASCII digits of `text` (full-width digits too), or None if it holds a non-separator."""
    if text.isascii():  # the common case, without the loop: there a decimal is one of 0-9
        digits = text.translate(_DROP_SEPARATORS)
        return digits if not digits or digits.isdigit() else None
    out: list[str] = []
    for ch in text:
        if ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        elif ch not in _SEPARATORS:
            return None
    return "".join(out)


def _is_sequential(d: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(d, d[1:], strict=False)}
    return steps in ({1}, {9})


def _is_dummy(d: str) -> bool:
    """All one digit (000000-0000000) or a run like 1234567890123: placeholders, not people."""
    return len(set(d)) == 1 or _is_sequential(d)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_RRN_CENTURY = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "9": 1800, "0": 1800}
_FRN_CENTURY = {"5": 1900, "6": 1900, "7": 2000, "8": 2000}
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def _birth_date_ok(d: str, centuries: dict[str, int]) -> bool:
    century = centuries.get(d[6])
    if century is None:
        return False
    born = _date(century + int(d[:2]), int(d[2:4]), int(d[4:6]))
    return born is not None and born <= date.today()


def _weighted_sum(d: str) -> int:
    return sum(int(c) * w for c, w in zip(d, _RRN_WEIGHTS, strict=False))


def _dummy_id13(d: str) -> bool:
    # A tail of one repeated digit (900101-1111111, 900101-1000000) is a filled-in placeholder.
    return _is_dummy(d) or len(set(d[7:])) == 1


def kr_rrn(text: str) -> bool | None:
    """Korean resident registration number (주민등록번호), YYMMDD-GNNNNNN.

    G is the century/sex digit: 1-2 born 1900-1999, 3-4 born 2000-2099, 9/0 born 1800-1899;
    5-8 are foreigner numbers (see `kr_frn`) and rejected here. YYMMDD must be a real date,
    not in the future. Checksum: s = sum(d_i * w_i) with w = 2,3,4,5,6,7,8,9,2,3,4,5 over the
    first 12 digits, check = (11 - s % 11) % 10. Numbers issued since October 2020 have random
    tails (no checksum), so a failed checksum with a valid date is None, a passing one True.
    Reference: 주민등록법 시행규칙 제2조; Presidio `KrRrnRecognizer`.
    """
    d = _digits(text)
    if d is None or len(d) != 13 or _dummy_id13(d) or not _birth_date_ok(d, _RRN_CENTURY):
        return False
    return True if (11 - _weighted_sum(d) % 11) % 10 == int(d[12]) else None


def kr_frn(text: str) -> bool | None:
    """Korean foreigner registration number (외국인등록번호), YYMMDD-GNNNNNN with G in 5-8.

    5-6 born 1900-1999, 7-8 born 2000-2099; YYMMDD must be a real, past date. The pre-2020
    check digit is (13 - s % 11) % 10 with the RRN weights. The office (digits 8-9) and
    registrant-type (digit 12) conventions are not enforced: numbers seen in real forms and
    every number issued since 2020 break them. A passing check is True; a failing one None
    (keep, needs context); a bad date or G False.
    Reference: 출입국관리법 시행규칙; the widely used pre-2020 FRN check (e.g. KISA guides).
    """
    d = _digits(text)
    if d is None or len(d) != 13 or _dummy_id13(d) or not _birth_date_ok(d, _FRN_CENTURY):
        return False
    return True if (13 - _weighted_sum(d) % 11) % 10 == int(d[12]) else None


def kr_brn(text: str) -> bool | None:
    """Korean business registration number (사업자등록번호), NNN-NN-NNNNN.

    NNN is the tax office, NN the business type, then a serial and a check digit:
    s = sum(d_i * w_i) for w = 1,3,7,1,3,7,1,3,5 plus floor(d9 * 5 / 10);
    check = (10 - s % 10) % 10. The checksum is mandatory: True or False.
    Reference: 국세청 사업자등록번호 체계; Presidio `KrBrnRecognizer`.
    """
    d = _digits(text)
    # Tax office codes run 101-9xx, so a leading 0 (a phone number, say) is never a BRN.
    if d is None or len(d) != 10 or _is_dummy(d) or d[0] == "0":
        return False
    s = sum(int(c) * w for c, w in zip(d, (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=False))
    s += int(d[8]) * 5 // 10
    return (10 - s % 10) % 10 == int(d[9])


_PASSPORT_TYPES = frozenset("MSRODG")


def kr_passport(text: str) -> bool | None:
    """Korean passport number (여권번호).

    Old form: a type letter (M multiple, S single, R travel certificate, O official,
    D diplomatic, G official) + 8 digits, e.g. M12345678. New form (since December 2021):
    letter, 3 digits, letter, 4 digits, e.g. M123A4567. There is no public checksum, so a
    well-formed number is None; dummies (one repeated digit, 12345678) are False.
    Reference: 여권법 시행령; 외교부 차세대 전자여권 안내 (2021).
    """
    t = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if len(t) != 9 or t[0] not in _PASSPORT_TYPES or not t.isascii():
        return False
    body = t[1:]
    if body.isdigit():
        digits = body
    elif body[:3].isdigit() and body[3].isalpha() and body[3].isupper() and body[4:].isdigit():
        digits = body[:3] + body[4:]
    else:
        return False
    if _is_dummy(digits) or body.isdigit() and _date_shaped(body):
        return False
    return None


def _date_shaped(d: str) -> bool:
    """Eight digits that read as a date (`S20240611`: a build or batch id, not a passport)."""
    return d[:2] in ("19", "20") and _date(int(d[:4]), int(d[4:6]), int(d[6:])) is not None


# Region codes of the numeric licence form; 27 was never issued, 28 is 경기북부.
_DL_REGION_CODES = frozenset([*range(11, 27), 28])
_DL_REGION_NAMES = (
    "서울", "부산", "경기", "강원", "충북", "충남", "전북", "전남",
    "경북", "경남", "제주", "대구", "인천", "광주", "대전", "울산",
)  # fmt: skip


def kr_driver_license(text: str) -> bool | None:
    """Korean driver licence number (운전면허번호).

    Numeric form (since 2011): RR-YY-NNNNNN-CC, RR a region code 11-26 or 28, YY the year of
    issue, six serial digits, a check digit and a reissue count. Old form: the region's name
    then YY-NNNNNN-CC (서울 12-345678-90). The check digit rule is not public, so a well-formed
    number is None; an unknown region or a dummy serial is False. Order and product numbers
    shaped alike are why the YAML recognizer requires context.
    Reference: 도로교통법 시행규칙 별표 / 경찰청 운전면허번호 체계 (2011 개편).
    """
    t = text.strip()
    for name in _DL_REGION_NAMES:
        if t.startswith(name):
            d = _digits(t[len(name) :])
            return False if d is None or len(d) != 10 or _is_dummy(d[2:8]) else None
    d = _digits(t)
    if d is None or len(d) != 12 or int(d[:2]) not in _DL_REGION_CODES or _is_dummy(d[4:10]):
        return False
    return None


def luhn(text: str) -> bool | None:
    """Luhn (mod 10) check over 13-19 digits, spaces and dashes allowed; one repeated digit fails.

    Reference: ISO/IEC 7812-1 Annex B.
    """
    d = _digits(text)
    if d is None or not 13 <= len(d) <= 19 or len(set(d)) == 1:
        return False
    total = 0
    for i, c in enumerate(reversed(d)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def credit_card(text: str) -> bool | None:
    """Payment card number: `luhn` plus a card-issuer first digit.

    Major industry identifier 2-6 (Mastercard 2-series, Amex/JCB/Diners 3, Visa 4, Mastercard 5,
    Discover/UnionPay 6) or 9 (Korean domestic cards); 8 (EAN-13 barcodes such as 880...) and
    others are False. Reference: ISO/IEC 7812-1.
    """
    d = _digits(text)
    if d is None or not d or d[0] not in "234569":
        return False
    return luhn(text)


_KR_AREA_CODES = frozenset(
    ["031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055"] + ["061", "062", "063", "064"]
)
_KR_LEGACY_MOBILE = frozenset(["011", "016", "017", "018", "019"])
_PERSONAL_NUMBER_DIGIT = frozenset("2345678")  # 050X


def _kr_national(d: str) -> tuple[str, str] | None:
    """Split a national number into (prefix, subscriber) if its length fits the prefix."""
    lengths: tuple[int, ...]
    if d.startswith("010"):
        prefix, lengths = d[:3], (11,)
    elif d[:3] in _KR_LEGACY_MOBILE:
        prefix, lengths = d[:3], (10, 11)
    elif d.startswith("02"):
        prefix, lengths = d[:2], (9, 10)
    elif d[:3] in _KR_AREA_CODES:
        prefix, lengths = d[:3], (10, 11)
    elif d.startswith("070"):
        prefix, lengths = d[:3], (11,)
    elif d.startswith("080"):
        prefix, lengths = d[:3], (10, 11)
    elif d[:3] == "050" and d[3:4] in _PERSONAL_NUMBER_DIGIT:
        prefix, lengths = d[:4], (11, 12)
    elif d[:2] in ("15", "16", "18"):
        prefix, lengths = d[:4], (8,)
    else:
        return None
    return (prefix, d[len(prefix) :]) if len(d) in lengths else None


def kr_phone(text: str) -> bool | None:
    """Korean telephone number, any separators (-, space, dot, parentheses).

    Mobile 010 + 8 digits; legacy 011/016/017/018/019 + 7-8; Seoul 02 + 7-8; area codes
    031-033, 041-044, 051-055, 061-064 + 7-8; 070 + 8 (VoIP); 080 + 7-8 (toll free);
    050X (X 2-8) personal numbers + 7-8; 15XX/16XX/18XX-XXXX representative numbers. The
    international form +82 (or 0082) drops the leading 0: +82 10-1234-5678, +82-2-123-4567,
    +82 (0)10-.... Landline exchanges start with 2-9. A well-formed number is None (no checksum);
    an impossible prefix or length, or a subscriber part of one repeated digit, is False.
    Reference: 전기통신번호관리세칙 (과학기술정보통신부 고시).
    """
    t = text.strip()
    plus = t.startswith("+")
    d = _digits(t[1:] if plus else t)
    if d is None:
        return False
    if d.startswith("0082"):
        d, plus = d[2:], True
    if plus:
        if not d.startswith("82"):
            return False
        d = d[2:]
        d = "0" + (d[1:] if d.startswith("0") else d)
    split = _kr_national(d)
    if split is None:
        return False
    prefix, subscriber = split
    if len(set(subscriber)) == 1:
        return False
    landline = prefix == "02" or prefix in _KR_AREA_CODES
    if landline and subscriber[0] in "01":
        return False
    return None


_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}\s*$", re.IGNORECASE)


def _nanp_digits(text: str) -> str | None:
    """The ten digits of a North American number (country code `1`/`001` and an extension
    `x123`/`ext. 123` removed), or None."""
    t = _EXTENSION.sub("", text.strip()).removeprefix("+")
    d = _digits(t)
    if d is None:
        return None
    if len(d) == 13 and d.startswith("001"):
        d = d[3:]
    elif len(d) == 11 and d[0] == "1":
        d = d[1:]
    return d if len(d) == 10 else None


def nanp_phone(text: str) -> bool | None:
    """North American (NANP, +1) number: NPA-NXX-XXXX, e.g. (212) 555-0143, +1 212 555 0143,
    with an optional extension (`x204`, `ext. 12`).

    The area code (NPA) and exchange (NXX) start with 2-9, and the area code is not an N11
    service code. N11 exchanges are reserved too, but test data and written-down numbers use
    them, and a missed phone costs more than a rare false one. Well-formed is None; anything
    else False. Reference: NANPA numbering plan.
    """
    d = _nanp_digits(text)
    if d is None:
        return False
    npa, nxx = d[:3], d[3:6]
    if npa[0] in "01" or nxx[0] in "01" or npa[1:] == "11":
        return False
    return None


def phone_shaped(text: str) -> bool | None:
    """A number written in the North American shape, `(555) 010-1234`, `555.010.1234`,
    `555-010-1234`, whose area code or exchange the numbering plan does not allow: made-up,
    sample and mistyped numbers are still what a person wrote down as their phone. The numbers
    `nanp_phone` accepts are its job (False here, so the two never report one number twice);
    placeholders (one digit throughout, 123-456-7890) are False too.
    """
    d = _nanp_digits(text)
    if d is None or nanp_phone(text) is None or _is_dummy(d) or len(set(d)) <= 2:
        return False
    return None


def intl_phone(text: str) -> bool | None:
    """International number written with a leading +: E.164 allows at most 15 digits.

    Well-formed (+, 8-15 digits, not one repeated digit) is None; else False. Korean (+82) and
    NANP (+1) numbers have their own validators. Reference: ITU-T E.164.
    """
    t = text.strip()
    if not t.startswith("+"):
        return False
    d = _digits(t[1:])
    if d is None or not 8 <= len(d) <= 15 or d[0] == "0" or len(set(d[2:])) == 1:
        return False
    return None


def uk_phone(text: str) -> bool | None:
    """United Kingdom number in national form: 0 + 9 or 10 digits, e.g. 020 7946 0958,
    0161 496 0000, 07700 900123, (01632) 960123. The first digit after the 0 is 1, 2, 3, 7 or 8
    (geographic, non-geographic, mobile, freephone); one repeated digit is a placeholder.
    Well-formed is None; else False. Reference: Ofcom National Telephone Numbering Plan.
    """
    d = _digits(text.strip())
    if d is None or len(d) not in (10, 11) or d[0] != "0" or d[1] not in "12378":
        return False
    if len(set(d[1:])) == 1 or len(set(d[-7:])) == 1 or _is_sequential(d[1:]):
        return False
    return None


def email(text: str) -> bool | None:
    """E-mail address: RFC 5321 limits (local part <= 64, whole <= 254), no empty dot-separated
    parts, a top-level domain of letters. Well-formed is None (the regex already demands a
    sane shape); anything else False. Reference: RFC 5321 section 4.5.3.1.
    """
    local, at, domain = text.rpartition("@")
    if not at or not local or len(local) > 64 or len(text) > 254:
        return False
    labels = domain.split(".")
    if ".." in local or local[0] == "." or local[-1] == "." or len(labels) < 2:
        return False
    if any(not label or len(label) > 63 for label in labels) or not labels[-1].isalpha():
        return False
    return None


VALIDATORS: dict[str, Validator] = {
    "kr_rrn": kr_rrn,
    "kr_frn": kr_frn,
    "kr_brn": kr_brn,
    "kr_passport": kr_passport,
    "kr_driver_license": kr_driver_license,
    "luhn": luhn,
    "credit_card": credit_card,
    "kr_phone": kr_phone,
    "nanp_phone": nanp_phone,
    "phone_shaped": phone_shaped,
    "uk_phone": uk_phone,
    "intl_phone": intl_phone,
    "email": email,
}
