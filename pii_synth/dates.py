"""Birth-date renderings: how they appear in text and how they are labelled (never with 생)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class DateText:
    text: str  # as written in the document
    label: str  # the DATE_OF_BIRTH value as labelled (a substring of ``text``)


def table_date(rng: random.Random, d: dt.date, style: str | None = None) -> str:
    """Compact renderings used in tables and forms."""
    style = style or rng.choice(("dot", "dash", "dash", "yydot", "compact", "slash", "korean"))
    return {
        "dot": f"{d:%Y.%m.%d}",
        "dash": f"{d:%Y-%m-%d}",
        "yydot": f"{d:%y.%m.%d}",
        "compact": f"{d:%Y%m%d}",
        "slash": f"{d:%Y/%m/%d}",
        "korean": f"{d.year}년 {d.month}월 {d.day}일",
        "korean0": f"{d:%Y}년 {d:%m}월 {d:%d}일",
    }[style]


def korean_prose_dob(rng: random.Random, d: dt.date) -> DateText:
    """A birth date inside a Korean sentence fragment (``text`` includes 생 when it is part of the phrase)."""
    kind = rng.randrange(7)
    if kind == 0:
        label = f"{d.year}년 {d.month}월 {d.day}일"
        return DateText(label + "생", label)
    if kind == 1:
        label = f"{d.year}. {d.month}. {d.day}"
        return DateText(label + ".", label)
    if kind == 2:
        label = f"{d:%y}년"
        return DateText(label + "생", label)
    if kind == 3:
        label = f"{d:%y.%m.%d}"
        return DateText(label, label)
    if kind == 4:
        label = f"{d:%Y-%m-%d}"
        return DateText(label, label)
    if kind == 5:
        label = f"{d:%y}.{d.month}.{d.day}"
        return DateText(label + "생", label)
    label = f"{d:%Y.%m.%d}"
    return DateText(label + "생", label)


def english_dob(rng: random.Random, d: dt.date) -> DateText:
    kind = rng.randrange(4)
    if kind == 0:
        label = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    elif kind == 1:
        label = f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    elif kind == 2:
        label = f"{d:%m/%d/%Y}"
    else:
        label = f"{d:%Y-%m-%d}"
    return DateText(label, label)


def korean_long(d: dt.date) -> str:
    return f"{d.year}년 {d.month}월 {d.day}일"


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
