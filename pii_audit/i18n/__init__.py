"""Report languages: gettext catalogs (`locale/<lang>/LC_MESSAGES/pii_audit.po`, compiled to `.mo`).

English is the source language: its strings are the msgids, so `en` needs no catalog. Every text a
person reads in a report goes through a `Translator`; machine-read keys and enum values (`critical`,
`PERSON`, JSON keys) never do. `scripts/i18n.py` extracts the msgids, updates the `.po` files and
compiles the `.mo` files that ship in the package.

The language of a run: `--lang`, else PII_AUDIT_LANG, else `lang` in the config file, else the
locale (LC_ALL, LC_MESSAGES, LANG: `ko_KR.UTF-8` gives Korean), else English.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

DOMAIN = "pii_audit"
LANGS = ("en", "ko")
DEFAULT = "en"
ENV = "PII_AUDIT_LANG"


class Lang(str, Enum):
    en = "en"
    ko = "ko"


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return message


def localedir() -> str:
    return str(Path(__file__).resolve().parent / "locale")  # package data, as pii_audit.resources finds it


def from_locale(env: Mapping[str, str] | None = None) -> str | None:
    """The report language the POSIX locale asks for (`ko_KR.UTF-8` -> `ko`), or None."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if not value:
            continue
        code = value.split(".", 1)[0].split("_", 1)[0].split("@", 1)[0].lower()
        return code if code in LANGS else None  # the first one set decides, as in setlocale
    return None


def default_lang(env: Mapping[str, str] | None = None) -> str:
    """PII_AUDIT_LANG, else the locale, else English (for commands without a config file)."""
    env = os.environ if env is None else env
    value = (env.get(ENV) or "").strip().lower()
    if value in LANGS:
        return value
    return from_locale(env) or DEFAULT


@dataclass(frozen=True)
class Translator:
    """Translations for one language, with the number and date formats that go with them."""

    lang: str
    catalog: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalog.pgettext(context, message)

    def number(self, n: int | float, digits: int = 0) -> str:
        """A count or score for people: grouped thousands in Korean (1,234명); English keeps the plain
        digits its reports have always printed."""
        spec = f",.{digits}f" if isinstance(n, float) or digits else ","
        if self.lang == DEFAULT:
            spec = spec.replace(",", "")
        return format(n, spec)

    def datetime(self, stamp: str) -> str:
        """An ISO 8601 time stamp of the report. English keeps it as it is; other languages write
        it with the catalog's pattern (Korean: 2026년 12월 3일 07:05:00 (UTC))."""
        if self.lang == DEFAULT:
            return stamp
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return stamp
        offset = when.utcoffset()
        if offset is None:
            tz = ""
        elif not offset:
            tz = "UTC"
        else:
            minutes = int(offset.total_seconds() // 60)
            sign = "+" if minutes >= 0 else "-"
            tz = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        pattern = self.gettext("{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d} {tz}")
        return pattern.format(
            year=when.year,
            month=when.month,
            day=when.day,
            hour=when.hour,
            minute=when.minute,
            second=when.second,
            tz=tz,
        ).strip()


@functools.cache
def translator(lang: str = DEFAULT) -> Translator:
    """The translator of a language; English (the msgids themselves) for `en` or an unknown code."""
    if lang not in LANGS or lang == DEFAULT:
        return Translator(DEFAULT, gettext.NullTranslations())
    catalog = gettext.translation(DOMAIN, localedir(), languages=[lang])
    return Translator(lang, catalog)
