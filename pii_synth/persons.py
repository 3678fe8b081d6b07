"""The :class:`Synth` factory: deterministic synthetic Korean and English persons."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker

from pii_synth import ids, names, places

EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "hana.example.org", "mail.example.com")


@dataclass(frozen=True)
class KoreanPerson:
    name: names.KoreanName
    male: bool
    birth: dt.date
    rrn: str
    rrn_post2020: bool
    address: places.KrAddress
    mobile: str
    home_phone: str | None
    email: str
    hometown: str | None  # North Korean hometown for defectors
    entry_date: dt.date | None  # date of entry into South Korea (NOT a birth date)
    passport: str | None
    licence: str | None
    roman: tuple[str, str]  # ("KIM Chol-su", "Chol-su Kim")
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return self.name.full

    @property
    def sex_ko(self) -> str:
        return "남" if self.male else "여"


@dataclass(frozen=True)
class EnglishPerson:
    first: str
    last: str
    birth: dt.date
    address: str
    phone: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


class Synth:
    """Deterministic generator of synthetic personal data (never real people).

    >>> s = Synth(seed=7)
    >>> p = s.korean_person(defector=True)
    >>> ids.is_valid_rrn(p.rrn) or p.rrn_post2020
    True
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake_ko = Faker("ko_KR")
        self.fake_ko.seed_instance(seed)
        self.fake_en = Faker("en_US")
        self.fake_en.seed_instance(seed + 1)
        self._used_names: set[str] = set()

    # -- names --------------------------------------------------------------------------------------
    def korean_name(self, male: bool | None = None, *, north: bool = False) -> names.KoreanName:
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        for _ in range(50):
            r = rng.random()
            if r < 0.04:
                surname = rng.choice(names.COMPOUND_SURNAMES)
            elif north or r < 0.12:
                surname = rng.choice(names.NK_SURNAMES)
            else:
                surname = self.fake_ko.last_name()
            if north and rng.random() < 0.7:
                given = rng.choice(names.NK_GIVEN_MALE if male else names.NK_GIVEN_FEMALE)
            elif rng.random() < 0.05:
                given = rng.choice(names.EXTRA_GIVEN)
            else:
                given = self.fake_ko.first_name_male() if male else self.fake_ko.first_name_female()
            name = names.KoreanName(surname, given)
            if name.full not in self._used_names:
                self._used_names.add(name.full)
                return name
        return name

    # -- dates --------------------------------------------------------------------------------------
    def birth_date(self, lo: int = 1945, hi: int = 2008) -> dt.date:
        start = dt.date(lo, 1, 1).toordinal()
        return dt.date.fromordinal(self.rng.randrange(start, dt.date(hi, 12, 31).toordinal()))

    def date_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        return dt.date.fromordinal(self.rng.randrange(lo.toordinal(), hi.toordinal() + 1))

    # -- identifiers --------------------------------------------------------------------------------
    def rrn(self, birth: dt.date, male: bool, **kw: bool) -> str:
        return ids.rrn(self.rng, birth, male, **kw)

    def invalid_rrn(self, kind: str | None = None) -> str:
        return ids.invalid_rrn(self.rng, kind)

    def frn(self, birth: dt.date | None = None, male: bool | None = None) -> str:
        birth = birth or self.birth_date(1950, 2020)
        return ids.frn(self.rng, birth, self.rng.random() < 0.5 if male is None else male)

    def passport(self) -> str:
        return ids.passport(self.rng)

    def driver_licence(self) -> str:
        return ids.driver_licence(self.rng)

    def mobile(self, sep: str = "-") -> str:
        return ids.mobile(self.rng, sep)

    def landline(self) -> str:
        return ids.landline(self.rng)

    def email_for(self, name: names.KoreanName, birth: dt.date | None = None) -> str:
        rng = self.rng
        given = names.romanize_syllables(name.given)
        sur = names.romanize_syllables(name.surname)
        local = rng.choice((given, given + sur[:2], sur + given[:4], given[:6]))
        if birth and rng.random() < 0.5:
            local += f"{birth:%y}"
        elif rng.random() < 0.5:
            local += str(rng.randrange(1, 999))
        return f"{local}@{rng.choice(EMAIL_DOMAINS)}"

    # -- places -------------------------------------------------------------------------------------
    def kr_address(self, **kw: object) -> places.KrAddress:
        return places.kr_address(self.rng, **kw)  # type: ignore[arg-type]

    def nk_hometown(self, detail: bool | None = None) -> str:
        return places.nk_hometown(self.rng, detail=detail)

    # -- persons ------------------------------------------------------------------------------------
    def korean_person(self, *, defector: bool = False, child: bool = False) -> KoreanPerson:
        rng = self.rng
        male = rng.random() < 0.45
        name = self.korean_name(male, north=defector and rng.random() < 0.5)
        birth = self.birth_date(2004, 2017) if child else self.birth_date(1945, 2006)
        entry = self.date_between(max(birth, dt.date(2000, 1, 1)), dt.date(2024, 6, 30)) if defector else None
        post2020 = bool(entry and entry >= dt.date(2020, 10, 5) and rng.random() < 0.6)
        rrn = self.rrn(birth, male, hyphen=rng.random() < 0.9, post2020=post2020)
        return KoreanPerson(
            name=name,
            male=male,
            birth=birth,
            rrn=rrn,
            rrn_post2020=post2020,
            address=self.kr_address(),
            mobile=self.mobile(),
            home_phone=self.landline() if rng.random() < 0.3 else None,
            email=self.email_for(name, birth),
            hometown=self.nk_hometown() if defector else None,
            entry_date=entry,
            passport=self.passport() if rng.random() < 0.3 else None,
            licence=self.driver_licence() if rng.random() < 0.2 else None,
            roman=names.romanized_forms(rng, name, style="mr" if defector else "rr"),
        )

    def english_person(self) -> EnglishPerson:
        f = self.fake_en
        first, last = f.first_name(), f.last_name()
        local = f"{first[0]}{last}".lower() + (str(self.rng.randrange(10, 99)) if self.rng.random() < 0.5 else "")
        return EnglishPerson(
            first=first,
            last=last,
            birth=self.birth_date(1940, 2005),
            address=places.us_address(self.rng),
            phone=ids.us_phone(self.rng),
            email=f"{local}@{self.rng.choice(EMAIL_DOMAINS)}",
        )
