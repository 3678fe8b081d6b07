"""Identifier generators: RRN, FRN, passport, driver licence, phones, barcodes.

Every function takes an explicit :class:`random.Random` so callers stay deterministic.
All numbers are synthetic; checksums follow the public algorithms so validators can be tested.
"""

from __future__ import annotations

import datetime as dt
import random
import re

RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
LICENCE_REGIONS = (11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28)
AREA_CODES = (
    "02",
    "031",
    "032",
    "033",
    "041",
    "042",
    "043",
    "044",
    "051",
    "052",
    "053",
    "054",
    "055",
    "061",
    "062",
    "063",
    "064",
)

_RRN_RE = re.compile(r"^(\d{6})-?(\d{7})$")


def _weighted_sum(digits12: str) -> int:
    return sum(int(d) * w for d, w in zip(digits12, RRN_WEIGHTS, strict=True))


def rrn_check_digit(digits12: str) -> int:
    """Check digit of a resident registration number: (11 - sum % 11) % 10."""
    return (11 - _weighted_sum(digits12) % 11) % 10


def frn_check_digit(digits12: str) -> int:
    """Check digit of a (pre-2020) foreigner registration number: (13 - sum % 11) % 10."""
    return (13 - _weighted_sum(digits12) % 11) % 10


def century_digit(year: int, male: bool, foreign: bool = False) -> int:
    """Seventh digit: 1/2 (1900s), 3/4 (2000s), 9/0 (1800s); foreigners 5/6 and 7/8."""
    if year < 1900:
        if foreign:
            raise ValueError("no FRN digit for births before 1900")
        return 9 if male else 0
    base = 1 if year < 2000 else 3
    if foreign:
        base += 4
    return base if male else base + 1


def year_of(digit: int, yy: int) -> int:
    """Full birth year from the century/sex digit and the two-digit year."""
    century = {1: 1900, 2: 1900, 5: 1900, 6: 1900, 3: 2000, 4: 2000, 7: 2000, 8: 2000, 9: 1800, 0: 1800}
    return century[digit] + yy


def _fmt(digits13: str, hyphen: bool) -> str:
    return f"{digits13[:6]}-{digits13[6:]}" if hyphen else digits13


def rrn(rng: random.Random, birth: dt.date, male: bool, *, hyphen: bool = True, post2020: bool = False) -> str:
    """A resident registration number for ``birth``/sex.

    ``post2020=True`` imitates numbers issued since October 2020: the six digits after the
    century/sex digit are random, so the old check digit holds only by chance.
    """
    head = birth.strftime("%y%m%d") + str(century_digit(birth.year, male))
    if post2020:
        return _fmt(head + "".join(str(rng.randrange(10)) for _ in range(6)), hyphen)
    region = f"{rng.randrange(0, 96):02d}{rng.randrange(0, 100):02d}"
    body = head + region + str(rng.randrange(10))
    return _fmt(body + str(rrn_check_digit(body)), hyphen)


def frn(rng: random.Random, birth: dt.date, male: bool, *, hyphen: bool = True) -> str:
    """A foreigner registration number (digit 5–8) with the legacy FRN check digit."""
    head = birth.strftime("%y%m%d") + str(century_digit(birth.year, male, foreign=True))
    # office code (2 digits, even-numbered per the legacy rule), serial, registrant type
    body = head + f"{rng.randrange(0, 50) * 2:02d}" + f"{rng.randrange(100):02d}" + str(rng.choice((7, 8, 9)))
    return _fmt(body + str(frn_check_digit(body)), hyphen)


def is_valid_rrn(value: str, *, today: dt.date | None = None) -> bool:
    """True when ``value`` has a real birth date, a matching century digit and a good check digit."""
    m = _RRN_RE.match(value.strip())
    if not m:
        return False
    digits = m[1] + m[2]
    digit = int(digits[6])
    if digit in (5, 6, 7, 8):
        return False
    try:
        birth = dt.date(year_of(digit, int(digits[:2])), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    if birth > (today or dt.date.today()):
        return False
    return rrn_check_digit(digits[:12]) == int(digits[12])


def is_valid_frn(value: str) -> bool:
    m = _RRN_RE.match(value.strip())
    if not m:
        return False
    digits = m[1] + m[2]
    digit = int(digits[6])
    if digit not in (5, 6, 7, 8):
        return False
    try:
        dt.date(year_of(digit, int(digits[:2])), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return frn_check_digit(digits[:12]) == int(digits[12])


def invalid_rrn(rng: random.Random, kind: str | None = None) -> str:
    """An RRN-shaped string that fails validation: ``checksum``, ``date`` or ``century`` defect."""
    kind = kind or rng.choice(("checksum", "date", "century"))
    birth = dt.date(rng.randrange(1940, 2005), rng.randrange(1, 13), rng.randrange(1, 29))
    male = rng.random() < 0.5
    good = rrn(rng, birth, male).replace("-", "")
    if kind == "checksum":
        bad = (int(good[12]) + rng.randrange(1, 10)) % 10
        digits = good[:12] + str(bad)
    elif kind == "date":
        month, day = rng.choice(((13, 1), (0, 10), (2, 30), (4, 31), (rng.randrange(1, 13), 0), (6, 32)))
        body = f"{birth:%y}{month:02d}{day:02d}" + good[6:12]
        digits = body + str(rrn_check_digit(body))
    elif kind == "century":
        # a 1900s birth year with a 2000s digit (or vice versa) that puts the birth in the future
        body = f"{rng.randrange(40, 99):02d}{birth:%m%d}" + rng.choice("34") + good[7:12]
        digits = body + str(rrn_check_digit(body))
    else:
        raise ValueError(f"unknown defect {kind!r}")
    return _fmt(digits, True)


def passport(rng: random.Random) -> str:
    """Korean passport numbers: old ``M12345678`` or new (2021+) ``M123A4567``."""
    lead = rng.choice("MMMMS")
    if rng.random() < 0.5:
        return lead + "".join(str(rng.randrange(10)) for _ in range(8))
    letter = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
    return (
        lead
        + "".join(str(rng.randrange(10)) for _ in range(3))
        + letter
        + "".join(str(rng.randrange(10)) for _ in range(4))
    )


def driver_licence(rng: random.Random, *, issued_year: int | None = None) -> str:
    """``RR-YY-NNNNNN-CC`` with a region code 11–26 or 28."""
    region = rng.choice(LICENCE_REGIONS)
    yy = (issued_year or rng.randrange(1995, 2024)) % 100
    return f"{region:02d}-{yy:02d}-{rng.randrange(10**6):06d}-{rng.randrange(100):02d}"


def mobile(rng: random.Random, sep: str = "-") -> str:
    return sep.join(("010", f"{rng.randrange(2000, 10000):04d}", f"{rng.randrange(10000):04d}"))


def landline(rng: random.Random, area: str | None = None) -> str:
    area = area or rng.choice(AREA_CODES)
    middle = rng.randrange(200, 1000) if area == "02" or rng.random() < 0.5 else rng.randrange(2000, 10000)
    return f"{area}-{middle}-{rng.randrange(10000):04d}"


def us_phone(rng: random.Random) -> str:
    area = rng.choice((201, 212, 213, 305, 312, 404, 415, 503, 512, 617, 702, 713, 718, 805, 917, 971))
    exchange = rng.randrange(200, 1000)
    line = rng.randrange(10000)
    style = rng.randrange(3)
    if style == 0:
        return f"({area}) {exchange}-{line:04d}"
    if style == 1:
        return f"{area}-{exchange}-{line:04d}"
    return f"+1 {area}-{exchange}-{line:04d}"


def ean13(rng: random.Random, prefix: str = "880") -> str:
    """A valid EAN-13 (GS1 Korea prefix 880 by default) that is NOT a valid RRN."""
    while True:
        body = prefix + "".join(str(rng.randrange(10)) for _ in range(12 - len(prefix)))
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
        code = body + str((10 - total % 10) % 10)
        if not is_valid_rrn(code):
            return code


def business_reg_no(rng: random.Random) -> str:
    """Korean business registration number ``NNN-NN-NNNNN`` with its check digit."""
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    digits = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(8)]
    total = sum(d * w for d, w in zip(digits, weights, strict=True)) + (digits[8] * 5) // 10
    check = (10 - total % 10) % 10
    s = "".join(map(str, digits)) + str(check)
    return f"{s[:3]}-{s[3:5]}-{s[5:]}"
