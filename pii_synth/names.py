"""Korean names (South and North Korean styles) and their romanization."""

from __future__ import annotations

import random
from dataclasses import dataclass

COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고")
# Surnames as written in the North (initial ㄹ kept): 리, 림, 류, 로, 량
NK_SURNAMES = ("리", "림", "류", "로", "량", "김", "박", "최", "한", "강", "조", "장", "정", "홍", "주", "문")
NK_GIVEN_MALE = (
    "명일",
    "룡남",
    "철수",
    "광혁",
    "혁철",
    "충성",
    "영남",
    "성철",
    "정남",
    "국철",
    "일남",
    "광철",
    "영철",
    "강혁",
    "만수",
    "철진",
    "경일",
    "광명",
    "은철",
    "룡철",
    "금철",
    "학철",
    "정혁",
    "송철",
)
NK_GIVEN_FEMALE = (
    "은숙",
    "옥희",
    "금순",
    "설화",
    "향미",
    "경희",
    "명숙",
    "순희",
    "춘화",
    "은정",
    "복실",
    "정임",
    "옥순",
    "금옥",
    "련희",
    "류경",
    "명희",
    "혜영",
    "설경",
    "은향",
    "향숙",
    "춘실",
    "옥란",
    "영란",
)
EXTRA_GIVEN = ("준", "혁", "훈", "진", "윤", "결", "솔", "별", "보람", "아름", "한결", "다은", "하늘", "서윤")

# Conventional spellings of common surnames (South Korean passports / North Korean usage).
SURNAME_ROMAN: dict[str, tuple[str, ...]] = {
    "김": ("Kim",),
    "이": ("Lee", "Yi"),
    "리": ("Ri",),
    "박": ("Park", "Pak"),
    "최": ("Choi", "Choe"),
    "정": ("Jung", "Jong"),
    "강": ("Kang",),
    "조": ("Cho", "Jo"),
    "윤": ("Yoon", "Yun"),
    "장": ("Jang", "Chang"),
    "임": ("Lim",),
    "림": ("Rim",),
    "한": ("Han",),
    "오": ("Oh",),
    "서": ("Seo", "So"),
    "신": ("Shin", "Sin"),
    "권": ("Kwon",),
    "황": ("Hwang",),
    "안": ("Ahn", "An"),
    "송": ("Song",),
    "류": ("Ryu",),
    "유": ("Yoo", "Yu"),
    "전": ("Jeon", "Jon"),
    "홍": ("Hong",),
    "고": ("Ko",),
    "문": ("Moon", "Mun"),
    "양": ("Yang",),
    "손": ("Son",),
    "배": ("Bae",),
    "백": ("Baek", "Paek"),
    "허": ("Heo", "Ho"),
    "남": ("Nam",),
    "심": ("Shim", "Sim"),
    "노": ("Noh", "No"),
    "로": ("Ro",),
    "하": ("Ha",),
    "곽": ("Kwak",),
    "성": ("Sung", "Song"),
    "차": ("Cha",),
    "주": ("Joo", "Ju"),
    "우": ("Woo", "U"),
    "구": ("Koo", "Ku"),
    "나": ("Na",),
    "민": ("Min",),
    "진": ("Jin",),
    "지": ("Ji",),
    "엄": ("Eom", "Om"),
    "량": ("Ryang",),
    "남궁": ("Namgung",),
    "황보": ("Hwangbo",),
    "제갈": ("Jegal",),
    "선우": ("Sunwoo",),
    "독고": ("Dokgo",),
}

_RR_INITIAL = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_MR_INITIAL = (
    "k",
    "kk",
    "n",
    "t",
    "tt",
    "r",
    "m",
    "p",
    "pp",
    "s",
    "ss",
    "",
    "ch",
    "tch",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_RR_MEDIAL = (
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
)
_MR_MEDIAL = (
    "a",
    "ae",
    "ya",
    "yae",
    "o",
    "e",
    "yo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "u",
    "ui",
    "i",
)
_MR_VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}
_FINAL = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)


@dataclass(frozen=True)
class KoreanName:
    surname: str
    given: str

    @property
    def full(self) -> str:
        return self.surname + self.given


def romanize_syllables(text: str, *, style: str = "rr") -> str:
    """Per-syllable romanization (Revised Romanization or simplified McCune–Reischauer)."""
    initials, medials = (_RR_INITIAL, _RR_MEDIAL) if style == "rr" else (_MR_INITIAL, _MR_MEDIAL)
    out: list[str] = []
    prev_final: str | None = None  # None at the start of a word
    for ch in text:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            out.append(ch)
            prev_final = None
            continue
        ini = code // 588
        initial = initials[ini]
        if style != "rr" and prev_final in ("", "n", "m", "ng", "l") and ini in _MR_VOICED:
            initial = _MR_VOICED[ini]  # McCune–Reischauer voices k/t/p/ch between voiced sounds
        final = _FINAL[code % 28]
        out.append(initial + medials[(code % 588) // 28] + final)
        prev_final = final
    return "".join(out)


def romanize_given(given: str, *, style: str = "rr") -> str:
    """``철수`` → ``Cheol-su`` (rr) or ``Chol-su`` (mr)."""
    word = romanize_syllables(given, style=style)
    if len(given) < 2:
        return word.capitalize()
    first = romanize_syllables(given[0], style=style)
    return f"{first}-{word[len(first) :]}".capitalize()


def romanize_surname(rng: random.Random, surname: str, *, style: str = "rr") -> str:
    options = SURNAME_ROMAN.get(surname)
    if options:
        return options[-1] if style == "mr" and len(options) > 1 else options[0]
    return romanize_syllables(surname, style=style).capitalize()


def romanized_forms(rng: random.Random, name: KoreanName, *, style: str | None = None) -> tuple[str, str]:
    """Two common renderings: ``KIM Chol-su`` (passport order) and ``Chol-su Kim`` (Western order)."""
    style = style or rng.choice(("rr", "mr"))
    sur = romanize_surname(rng, name.surname, style=style)
    given = romanize_given(name.given, style=style)
    return f"{sur.upper()} {given}", f"{given} {sur}"
