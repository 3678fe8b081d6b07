"""Masks that keep just enough of a value to recognise its kind (`김*수`, `900101-1******`)."""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")


def _star_digits(value: str, keep: int) -> str:
    """Keep the first `keep` digits, star the rest; separators stay."""
    out, seen = [], 0
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def _star_tail(value: str, keep: int) -> str:
    return value[:keep] + "".join(" " if c.isspace() else "*" for c in value[keep:])


def mask_person(value: str) -> str:
    if re.search(r"[A-Za-z]", value):
        return " ".join(w[:1] + "*" * max(1, len(w) - 1) for w in value.split())
    if len(value) <= 2:
        return value[:1] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_address(value: str) -> str:
    words = value.split()
    if len(words) <= 2:
        return (words[0] + " ***") if words else "***"
    return " ".join(words[:2]) + " ***"


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else _star_tail(value, 1)


def mask_phone(value: str) -> str:
    digits = _DIGIT.findall(value)
    keep = 3 if len(digits) > 8 else 2
    masked = _star_digits(value, keep)
    # Show the last two digits so an operator can tell entries apart.
    idx = [i for i, c in enumerate(value) if c.isdigit()][-2:]
    chars = list(masked)
    for i in idx:
        chars[i] = value[i]
    return "".join(chars)


def mask(entity_type: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if entity_type == "PERSON":
        return mask_person(value)
    if entity_type in ("KR_RRN", "KR_FRN"):
        return _star_digits(value, 7)
    if entity_type == "DATE_OF_BIRTH":
        return _star_digits(value, 4) if re.match(r"\d{4}", value) else _star_digits(value, 2)
    if entity_type == "ADDRESS":
        return mask_address(value)
    if entity_type == "EMAIL_ADDRESS":
        return mask_email(value)
    if entity_type == "PHONE_NUMBER":
        return mask_phone(value)
    if entity_type == "CREDIT_CARD":
        return _star_digits(value, 4)
    return _star_tail(value, 2)
