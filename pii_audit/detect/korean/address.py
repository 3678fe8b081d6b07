"""ADDRESS recognizer: South Korean, North Korean (hometowns) and English street addresses.

Formats (reference: 도로명주소법 and its 시행령 for road-name addresses; 행정안전부 행정구역 현황;
the romanisation of Korean road names):

* Road-name address: ``[우편번호] 시·도 시·군·구 [구] [읍·면] …로|…길|…대로|…번길 [지하] 건물번호[-부번]``
  then an optional detail (``, 106동 2303호``, ``2층``, ``B1``, ``101호``) and the reference in
  parentheses (``(중계동, 대림아파트)``).
* Lot-number address: ``시·도 시·군·구 [읍·면] 동|리|가 [산] 번지[-호][번지]`` then an optional
  building name with ``동``/``호``.
* Without the 시·도 (``강남구 테헤란로 152``): accepted with a lower score.
* ``시·도 시·군·구 동`` without a number (``서울 송파구 잠실동``): low score (0.5), 0.65 after an address
  cue; ``시·도 시·군·구`` alone only after an address cue (주소, 거주지, …) at 0.6.
* Postal codes: a 5-digit code written just before an address (``(06236) 서울…``, ``06236 서울…``)
  is part of the address span. A code standing alone is reported only after ``우편번호``/``zip`` and
  at the lowest score (0.4): it names an area, not a home, so callers may drop it by threshold.
* North Korean hometowns: 도/직할시 + 시·군·구역 [+ 동·리·읍·구역], e.g. ``양강도 혜산시 혜화동``,
  ``평양시 중구역``; ``강원도`` is the South's too, so it counts only with a city or county that only
  the North has (원산시, 문천시, …). A province or city alone counts only after a hometown cue on the
  same line (``출신지: 함경북도``). English: ``Hoeryong, North Hamgyong Province`` (McCune-Reischauer
  and Revised Romanization). These results carry ``north_korean=True`` in their metadata.
* Korean addresses in English (``123 Teheran-ro, Gangnam-gu, Seoul 06236``); other English street
  addresses are detect/english_address.py's.

Not addresses: a province or city alone, organisation names (``강남구청``), road names without a
number, statistics tables. Spans stop before particles (이고, 에서, …) and punctuation.

All patterns have bounded repetitions over disjoint token classes (no nested unbounded
quantifiers), and every search runs under the ``regex`` module's timeout.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pii_audit.detect.korean.gazetteer import Gazetteer, load_gazetteer, trie_pattern
from pii_audit.detect.shared import LastText

logger = logging.getLogger(__name__)

ENTITY = "ADDRESS"

_H = "가-힣"
_S = r"[ \t\u00a0\u3000]"
_SP = _S + "+"
_SO = _S + "*"
# Particles and endings that may follow a place name; they are never part of the span.
_PARTICLE = (
    r"(?:이었으며|이었고|이었다|입니다|이에요|이예요|이며|이고|이다|이나|이라|이면|이니|에서|에게|에도|에는"
    r"|으로|이랑|하고|까지|부터|에|로|은|는|이|가|을|를|의|와|과|도|임|인|쪽)"
)
_BOUND = rf"(?=(?:{_PARTICLE})?(?![{_H}]))"

_GENERIC_SGG = rf"[{_H}]{{1,5}}(?:시|군|구)"
_GENERIC_GU = rf"[{_H}]{{1,5}}구"
_EUP = rf"[{_H}]{{1,5}}\d{{0,2}}(?:읍|면)"
_DONG = rf"[{_H}]{{1,7}}(?:\d{{1,2}}가|\d{{0,2}}동|리)"
_RI = rf"[{_H}]{{1,5}}리"
_ROAD = rf"[{_H}][{_H}0-9]{{0,19}}(?:로|길)(?:{_SO}\d{{1,4}}(?:번길|번가길|가길|길))?"
# What may not follow a building or lot number: more digits, units of time, money, counts …
_GUARD = r"(?!\d|\.\d|,\d{3}(?![\d-])|-\d|[년월일명개원세%가길]|번(?!지)|km|회|차|시간|분|호선|번째)"
_BLDG = rf"(?:지하{_SO})?\d{{1,5}}(?:-\d{{1,5}})?{_GUARD}"
_LOT = rf"(?:산{_SO})?\d{{1,5}}(?:-\d{{1,5}})?(?:{_SO}번지|{_GUARD})"
_UNIT = (
    rf"(?:(?:\d{{1,4}}|[A-Za-z])-?{_SO}동(?:{_SO}(?:\d{{1,5}}{_SO}호|\d{{1,3}}{_SO}층))?(?!안)|\d{{1,5}}{_SO}호"
    rf"|\d{{1,4}}-\d{{1,5}}{_SO}호|(?:지하{_SO})?\d{{1,3}}{_SO}층(?:{_SO}\d{{1,5}}{_SO}호)?"
    rf"|[Bb]\d{{1,2}}(?:{_SO}층)?(?![A-Za-z0-9]))"
)
_BUILDING = rf"[{_H}A-Za-z0-9][{_H}A-Za-z0-9&·\-]{{0,24}}"
_HOUSING = r"(?:아파트|APT|빌라|맨션|오피스텔|하이츠|타운|빌|주택|연립|하우스|캐슬|팰리스|파크|자이|푸르지오|래미안)"
# "주공아파트 101-1203": 동-호 written with a hyphen, trusted only after a housing name.
_DETAIL = (
    rf"(?:{_SO},?{_SO}(?:{_BUILDING}{_SP}){{0,2}}{_UNIT}"
    rf"|{_SO},?{_SO}(?:{_BUILDING}{_SP})?[{_H}A-Za-z0-9]{{0,20}}{_HOUSING}{_SO}\d{{1,4}}-\d{{1,5}}(?!\d))"
)
_REF = (
    rf"(?:{_SO}\((?:[{_H}0-9]{{1,10}}(?:동|가|리|읍|면)(?:{_SO}[,，]{_SO}[^()\n]{{1,30}})?"
    rf"|[{_H}A-Za-z0-9 ]{{1,25}}(?:{_HOUSING}|마을|빌딩|단지)(?:{_SO},?{_SO}{_UNIT})?)\))"
)
_TAIL = rf"(?P<detail>{_DETAIL}{{0,2}})(?P<ref>{_REF})?(?P<detail2>{_DETAIL})?"
# A postal code written just before an address joins its span (looked up behind a match: an optional
# prefix at the start of the big patterns would defeat the regex engine's first-character scan).
_POSTAL_BEFORE = regex.compile(rf"(?<!\d)(?:\(\d{{5}}\)|\[\d{{5}}\]|\d{{5}}){_SO}$")
_NUMBERED = (
    rf"(?:(?P<road>{_ROAD}){_SO}(?P<num>{_BLDG})"
    rf"|(?:(?P<dong>{_DONG})(?:{_SP}{_RI})?{_SP})?(?P<lot>{_LOT}))"
)
_NK_SUB = rf"[{_H}]{{1,6}}\d{{0,2}}(?:동|리|읍|구역|노동자구|지구)"
# Common words that end like a 동/리 but are not places ("회령시 노동 …").
_NK_SUB_STOP = frozenset(
    ["이동", "활동", "행동", "운동", "노동", "출동", "합동", "공동", "변동", "기동", "감동", "작동", "충동"]
    + ["소동", "파동", "폭동", "난동", "요동", "지구", "관리", "처리", "정리"]
)

_ADDRESS_CUE = regex.compile(
    r"(?:현?주소지?|실?거주지|주거지|거주|주\s*소|전입\s*예정지|전입지|address|residence|domicile"
    r"|lives\s+at|living\s+at|resides\s+at)\s*(?:\([^()\n]{0,12}\))?\s*(?:[:：=|]|은|는|이|가)?\s*"
    r"(?:\(?\d{5}\)?\s*)?$",
    regex.IGNORECASE,
)
_ADDRESS_CUE_AFTER = regex.compile(rf"{_SO}(?:에|에서|으로|로){_SO}(?:거주|살|전입|이사|주소)")
# "역삼동 일대", "우동 1500 일원": an area in news prose, not somebody's home.
_AREA_AFTER = regex.compile(
    rf"{_SO}(?:일대|일원|지역|인근|근처|주변|관내|전역|곳곳|등지|일부|부근|상권|재개발|재건축){_BOUND}"
)
# An address followed by an organisation or a venue ("… 110 서울시청", "… 110에서 열린") or introduced as an
# organisation's seat is not a residence: such spans are kept but demoted to 0.45.
_ORG_AFTER = regex.compile(
    rf"{_SO}[,(]?{_SO}(?:[{_H}A-Za-z0-9]{{0,14}}(?:청사|시청|구청|군청|도청|센터|본사|본부|본점|사옥|회관|재단|공단|"
    rf"대학교|대학|병원|지점|지사|사무소|연구원|연구소|협회|학교|교회|성당|호텔|컨벤션|박물관|도서관|공원|역){_BOUND}"
    rf"|(?:에서|에)?{_SO}(?:열린|열리는|개최|진행된|진행되는|열렸다|위치한|소재한|있는{_SO}(?:본사|센터|사무실)))"
)
_ORG_BEFORE = regex.compile(
    r"(?:본사|본점|사무소|사무실|센터|기관|회사|법인|소재지|위치|오시는\s*길|청사|office|headquarters|venue)"
    r"\s*(?:주소|위치|address)?\s*[:：|]?\s*$",
    regex.IGNORECASE,
)
_HOMETOWN_CUE = regex.compile(
    r"(?:출신지|출신|고향|원적지?|본적지?|출생지|태어난\s*곳|home\s*town|place\s+of\s+(?:origin|birth)|birthplace"
    r"|native\s+of|born\s+in)\s*(?:[:：=|]|은|는|이|-)?\s*$",
    regex.IGNORECASE,
)
_POSTAL_ALONE = regex.compile(
    r"(?:우편번호|우\s*\)|zip\s*(?:code)?|postal\s*code|post\s*code)\s*[:：]?\s*\(?(?P<code>(?<!\d)\d{5})\)?(?!\d)",
    regex.IGNORECASE,
)

_KR_EN_ROAD = r"[A-Z][A-Za-z0-9]{0,30}(?:[- ][A-Za-z0-9]{1,30}){0,2}-(?:daero|ro|gil)(?:[ ]\d{1,4}(?:beon)?-?gil)?"
_KR_EN_UNIT = r"(?:(?:Apt\.?|Apartment|Unit|Suite|Room|Rm\.?|#)[ ]?\d{1,4}(?:-\d{1,5})?|\d{1,4}-dong[ ]\d{1,5}-ho)"
_KR_EN_DIST = r"[A-Z][a-z]{1,20}(?:-[a-z0-9]{1,10})?-(?:gu|si|gun|eup|myeon|dong|do)(?![A-Za-z])"
_KR_EN_CITY = (
    r"(?:Seoul|Busan|Pusan|Daegu|Taegu|Incheon|Inchon|Gwangju|Kwangju|Daejeon|Taejon|Ulsan|Sejong|Jeju"
    r"|Gyeonggi|Gangwon|Chungbuk|Chungnam|Jeonbuk|Jeonnam|Gyeongbuk|Gyeongnam|[A-Z][a-z]{1,20}-do)"
    r"(?:[ ](?:Special[ ]City|Metropolitan[ ]City|City|Province"
    r"|Special[ ]Self-Governing[ ](?:City|Province)))?"
)
_KR_EN = (
    rf"(?<![\w-])(?:(?P<unit0>{_KR_EN_UNIT}),?[ ])?"
    rf"(?:(?P<num>\d{{1,5}}(?:-\d{{1,5}})?),?[ ](?P<road>{_KR_EN_ROAD})"
    rf"|(?P<road2>{_KR_EN_ROAD})[ ]\d{{1,5}}(?:-\d{{1,5}})?)"
    rf"(?![\w-])(?:,?[ ](?P<unit>{_KR_EN_UNIT}))?(?P<dists>(?:,[ ]?{_KR_EN_DIST}){{0,3}})"
    rf"(?:,[ ]?(?P<city>{_KR_EN_CITY}))?(?:,?[ ]\d{{5}}(?!\d))?"
    r"(?:,[ ]?(?:Republic[ ]of[ ]Korea|South[ ]Korea|Korea))?"
)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    score: float
    north_korean: bool = False


class _Rated:
    """A candidate whose score is worked out only when `_resolve` needs it: to order it against a
    candidate of the same length it overlaps, or because it is kept. In a roster each address is
    found whole, again from its district and as a coarse `시·도 시·군·구 road` span; the shorter two
    lose on length alone, and their cue and organisation tests (most of a match's cost after the
    regex) are never run. `rate` returns None when those tests say there is no candidate at all
    (a coarse span that names an organisation's seat): it is then skipped as if never found."""

    __slots__ = ("start", "end", "north_korean", "_rate", "_score")

    def __init__(self, start: int, end: int, rate: Callable[[], float | None]) -> None:
        self.start, self.end, self.north_korean = start, end, False
        self._rate: Callable[[], float | None] | None = rate
        self._score: float | None = None

    @property
    def present(self) -> bool:
        if self._rate is not None:
            self._score, self._rate = self._rate(), None
        return self._score is not None

    @property
    def score(self) -> float:
        present = self.present
        assert present and self._score is not None, "the score of a candidate that is not there"
        return self._score


def _present(c: _Candidate | _Rated) -> bool:
    return not isinstance(c, _Rated) or c.present


_AnyCandidate = _Candidate | _Rated


@dataclass(frozen=True)
class _Patterns:
    sk_full: regex.Pattern[str]
    sk_from_district: regex.Pattern[str]
    sk_coarse: regex.Pattern[str]
    sk_partial: regex.Pattern[str]
    sido_before: regex.Pattern[str]
    sk_dong_lot: regex.Pattern[str]
    sk_road_unit: regex.Pattern[str]
    nk_full: regex.Pattern[str]
    nk_token: regex.Pattern[str]
    kr_en: regex.Pattern[str]
    en_nk: regex.Pattern[str]
    en_nk_token: regex.Pattern[str]
    sejong: frozenset[str]
    # Where `sk_from_district` can start (see `_district_starts`): the first three characters of each
    # 시·군·구 name, and the two-character names whole; None when a name has a space among its first three.
    district_prefixes: _Prefixes | None
    nk_stems: dict[str, str]
    south_districts: frozenset[str]
    kangwon_north: frozenset[str]
    kangwon_north_en: frozenset[str]
    kangwon_aliases: frozenset[str]
    kangwon_en: frozenset[str]


@functools.lru_cache(maxsize=4)
def _compile(directory: Path | None) -> _Patterns:
    gz: Gazetteer = load_gazetteer(directory)
    sido = trie_pattern(gz.south_aliases())
    sgg = trie_pattern(d for div in gz.south for d in div.districts)
    sgg_any = trie_pattern(gz.south_districts())
    nk_prov = trie_pattern(gz.north_aliases())
    nk_names = gz.north_districts()
    # Defectors often drop the 시/군 ("함경북도 회령 출신"); stems are only used after a province or a cue.
    nk_stems = {n[:-1]: n for n in nk_names if n[-1] in "시군" and len(n) >= 3}
    nk_city = trie_pattern([*nk_names, *nk_stems])
    kangwon = [d for d in gz.north if d.ambiguous_with_south]
    en_prov = trie_pattern(n for d in gz.north for n in d.en)
    en_city = trie_pattern(
        [
            *(n for d in gz.north for n in d.en_districts),
            *(n for d in gz.north if d.name.endswith("시") for n in d.en),
        ]
    )
    compile_ = regex.compile
    sk_full = compile_(
        rf"(?<![{_H}])(?P<sido>{sido})"
        rf"(?:{_SP}(?:(?P<sgg>{sgg})|(?P<sggx>{_GENERIC_SGG})))?(?:{_SP}(?P<gu>{_GENERIC_GU}))?"
        rf"(?:{_SP}(?P<eup>{_EUP}))?{_SP}{_NUMBERED}{_TAIL}"
    )
    sk_from_district = compile_(
        rf"(?<![{_H}])(?P<sgg>{sgg_any})(?:{_SP}(?P<gu>{_GENERIC_GU}))?"
        rf"(?:{_SP}(?P<eup>{_EUP}))?{_SP}{_NUMBERED}{_TAIL}"
    )
    sk_coarse = compile_(
        rf"(?<![{_H}])(?P<sido>{sido}){_SP}(?P<sgg>{sgg})(?:{_SP}(?P<gu>{_GENERIC_GU}))?(?:{_SP}(?P<eup>{_EUP}))?"
        rf"(?:{_SP}(?P<dong>{_DONG})|{_SP}(?P<road>{_ROAD}))?{_BOUND}"
    )
    # Partial addresses people write: a district (or a city without its 시, before a 구) and a
    # neighbourhood (`관악구 봉천동`, `시흥시 정왕동`, `성남 분당구 정자동`), a neighbourhood and a lot
    # number with a building (`역삼동 823-4 (역삼푸르지오아파트 105동 902호)`), and a road and a number
    # with a unit (`센텀시티 1로 45, 파크타워 3동 1203호`).
    city_stems = trie_pattern(d[:-1] for d in gz.south_districts() if d.endswith("시") and len(d) >= 3 and " " not in d)
    sk_partial = compile_(
        rf"(?<![{_H}])(?:(?P<sgg>{sgg_any})|(?P<stem>{city_stems})(?={_SP}{_GENERIC_GU}))"
        rf"(?:{_SP}(?P<gu>{_GENERIC_GU}))?(?:{_SP}(?P<eup>{_EUP}))?{_SP}(?P<dong>{_DONG}|{_EUP}){_BOUND}"
    )
    # after a 시·도 the whole-address patterns decide (`경북 안동시 풍천면 인구 …` is a statistic)
    sido_before = compile_(rf"(?<![{_H}])(?:{sido}){_SP}$")
    sk_dong_lot = compile_(rf"(?<![{_H}])(?P<dong>{_DONG}){_SP}(?P<lot>{_LOT}){_TAIL}")
    sk_road_unit = compile_(
        rf"(?<![{_H}])(?P<road>[{_H}][{_H}0-9]{{0,15}}{_SP}\d{{1,3}}(?:로|길)|{_ROAD}){_SO}(?P<num>{_BLDG})"
        rf"(?P<detail>{_DETAIL}{{1,2}})"
    )
    nk_full = compile_(
        rf"(?<![{_H}])(?P<prov>{nk_prov}){_SP}(?P<city>{nk_city})(?:{_SP}(?P<city2>{nk_city}))?"
        rf"(?:{_SP}(?P<sub>{_NK_SUB})(?:{_SP}\d{{1,3}}(?:인민반|반))?{_BOUND}|{_BOUND})"
    )
    nk_token = compile_(rf"(?<![{_H}])(?P<tok>{nk_prov}|{nk_city}){_BOUND}")
    en_nk = regex.compile(
        rf"(?<![A-Za-z])(?P<city>{en_city}|[A-Z][a-z]{{2,15}}(?=[ ](?:City|County)|-(?:si|gun|kun)))"
        rf"(?:[ ](?:City|County)|-(?:si|gun|kun|guyok))?(?:,[ ]?|[ ]in[ ]|[ ])(?P<prov>{en_prov})"
        r"(?:[ ]Province)?(?![A-Za-z])"
    )
    en_nk_token = regex.compile(rf"(?<![A-Za-z])(?:{en_prov}|{en_city})(?:[ ]Province)?(?![A-Za-z])")
    return _Patterns(
        sk_full=sk_full,
        sk_from_district=sk_from_district,
        sk_coarse=sk_coarse,
        sk_partial=sk_partial,
        sido_before=sido_before,
        sk_dong_lot=sk_dong_lot,
        sk_road_unit=sk_road_unit,
        nk_full=nk_full,
        nk_token=nk_token,
        kr_en=regex.compile(_KR_EN),
        en_nk=en_nk,
        en_nk_token=en_nk_token,
        nk_stems=nk_stems,
        district_prefixes=_prefixes(gz.south_districts()),
        sejong=frozenset(a for d in gz.south if not d.districts for a in d.aliases),
        south_districts=frozenset(gz.south_districts()),
        kangwon_north=frozenset(x for d in kangwon for x in (*d.districts, *d.subdistricts)),
        kangwon_north_en=frozenset(x for d in kangwon for x in d.en_districts),
        kangwon_aliases=frozenset(a for d in kangwon for a in d.aliases),
        kangwon_en=frozenset(a for d in kangwon for a in d.en),
    )


@dataclass(frozen=True)
class _Prefixes:
    """Where a 시·군·구 name of the gazetteer can begin: a word start (`(?<![가-힣])`, as the district
    patterns open) with one of the names' first and second characters (`pair`), then the first three
    characters of a name (`three`) or a two-character name whole (`two`)."""

    pair: re.Pattern[str]
    three: frozenset[str]
    two: frozenset[str]


def _prefixes(names: set[str]) -> _Prefixes | None:
    """None when a name has a space among its first three characters (the patterns match any run of
    spaces there)."""
    words = [" ".join(n.split()) for n in names]
    if any(len(w) < 2 or any(ch.isspace() for ch in w[:3]) for w in words):
        return None
    firsts, seconds = (re.escape("".join(sorted({w[i] for w in words}))) for i in (0, 1))
    return _Prefixes(
        pair=re.compile(rf"(?<![가-힣])[{firsts}][{seconds}]"),
        three=frozenset(w[:3] for w in words if len(w) >= 3),
        two=frozenset(w for w in words if len(w) == 2),
    )


def _district_starts(text: str, prefixes: _Prefixes) -> list[int]:
    """Every offset where a 시·군·구 name could begin a match of `sk_from_district`: a superset of
    that pattern's match starts, found without trying its prefix tree at every word."""
    three, two = prefixes.three, prefixes.two
    out = []
    for m in prefixes.pair.finditer(text):
        start = m.start()
        if text[start : start + 3] in three or text[start : start + 2] in two:
            out.append(start)
    return out


_FOUND: LastText[tuple[_Candidate, ...]] = LastText()
_HANGUL = regex.compile(f"[{_H}]")
# Cheap gates: the expensive finders run only when their anchor words occur at all.
_HOMETOWN_WORD = regex.compile(r"출신|고향|원적|본적|출생지|태어난|home\s*town|origin|birth|native", regex.IGNORECASE)
_KR_EN_HINT = regex.compile(r"-(?:daero|ro|gil)(?![A-Za-z])")
# Every numbered Korean address has a road (…로/…길) or an area (동/리/가/읍/면) right before a number.
_NUMBER_ANCHOR = regex.compile(rf"[로길동리가읍면]{_SO}(?:지하|산)?{_SO}\d")
# How far an address reaches before its anchor (시·도 … road name) and after it (number, detail, reference).
_REACH_BEFORE, _REACH_AFTER = 100, 220
_DIGIT = regex.compile(r"\d")
# A neighbourhood and a lot number (`sk_dong_lot`) always hold its last syllable (동/리/가), a space and
# the number (`산` may come first): the anchors of a road's number (`노원로 12`) are not among them.
_DONG_LOT_ANCHOR = regex.compile(rf"[동리가]{_SP}(?:산{_SO})?\d")
# A road address without its district is trusted only with a unit (`3동 1203호`, `2층`).
_UNIT_ANCHOR = regex.compile(rf"\d{_SO}(?:호|층)(?![{_H}])")
# Every partial address ends in a neighbourhood, 읍 or 면 right after a district word.
_PARTIAL_ANCHOR = regex.compile(rf"[시군구]{_SP}[{_H}]{{1,7}}\d{{0,2}}(?:동|리|가|읍|면)")
_LATIN = regex.compile(r"[A-Za-z]")


def _windows(text: str, anchor: regex.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` ranges around each anchor occurrence."""
    spans: list[tuple[int, int]] = []
    for m in anchor.finditer(text):
        lo, hi = max(0, m.start() - before), min(len(text), m.end() + after)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


# What stands before an address on its line repeats row after row in a roster (`주소: `, `주소: 서울특별시 `):
# the two searches of it are kept per prefix (bounded).
@functools.lru_cache(maxsize=1024)
def _cue_before(prefix: str) -> bool:
    return _ADDRESS_CUE.search(prefix) is not None


@functools.lru_cache(maxsize=1024)
def _org_before(prefix: str) -> bool:
    return _ORG_BEFORE.search(prefix) is not None


def _line_ends(text: str, end: int) -> bool:
    """The line (or the text) ends at `end`: nothing follows on it for the patterns read after an
    address (`_ADDRESS_CUE_AFTER`, `_ORG_AFTER`, `_AREA_AFTER` all need a word on the same line)."""
    return end >= len(text) or text[end] == "\n"


def _line_prefix(text: str, start: int, width: int = 40) -> str:
    line_start = text.rfind("\n", max(0, start - width), start) + 1  # only the window: lines can be long
    return text[max(line_start, start - width) : start]


def _by_length_then_score(cluster: list[_AnyCandidate]) -> list[_AnyCandidate]:
    """`sorted(cluster, key=lambda c: (c.start - c.end, -c.score, c.start))` over the candidates
    that are there, asking whether a `_Rated` one is there, and its score, only when it shares its
    length with another (a candidate that is not there is dropped then, or by `_resolve` if its
    turn comes)."""
    ordered = sorted(cluster, key=lambda c: (c.start - c.end, c.start))
    out: list[_AnyCandidate] = []
    i = 0
    while i < len(ordered):
        j = i + 1
        length = ordered[i].end - ordered[i].start
        while j < len(ordered) and ordered[j].end - ordered[j].start == length:
            j += 1
        group = ordered[i:j]
        if len(group) > 1:
            group = sorted((c for c in group if _present(c)), key=lambda c: (-c.score, c.start))
        out += group
        i = j
    return out


def _covering(cluster: list[_AnyCandidate]) -> _AnyCandidate | None:
    """The one candidate `_resolve` keeps of a cluster of several when one is longer than every
    other, overlaps every other and is there (a roster's address, found whole, again from its
    district and as a coarse span): the longest comes first and alone in its length, so it is
    chosen, and every other overlaps it. None: decide the cluster in full."""
    if len(cluster) < 2:
        return None
    longest = cluster[0]
    for c in cluster[1:]:
        if c.end - c.start > longest.end - longest.start:
            longest = c
    size = longest.end - longest.start
    for c in cluster:
        if c is not longest and (c.end - c.start >= size or c.end <= longest.start or c.start >= longest.end):
            return None
    return longest if _present(longest) else None


def _resolve(candidates: Sequence[_AnyCandidate]) -> list[_Candidate]:
    """Keep the longest of overlapping candidates (then the higher score); order by position.

    Candidates are swept into clusters of transitively overlapping spans first, so the pairwise
    choice only runs inside a cluster (a few spans), never over the whole segment.
    """
    kept: list[_Candidate] = []
    cluster: list[_AnyCandidate] = []
    cluster_end = -1
    for cand in [*sorted(candidates, key=lambda c: (c.start, c.end)), None]:
        if cand is not None and cand.start < cluster_end:
            cluster.append(cand)
            cluster_end = max(cluster_end, cand.end)
            continue
        chosen: list[_AnyCandidate] = []
        whole = _covering(cluster)
        if whole is not None:
            chosen.append(whole)
        else:
            for c in _by_length_then_score(cluster):
                if all(c.end <= k.start or c.start >= k.end for k in chosen) and _present(c):
                    chosen.append(c)
        kept.extend(_Candidate(c.start, c.end, c.score, c.north_korean) for c in sorted(chosen, key=lambda c: c.start))
        if cand is not None:
            cluster, cluster_end = [cand], cand.end
    return kept


class AddressRecognizer(EntityRecognizer):
    """Residential addresses (Korean road-name and lot-number, English) and North Korean hometowns.

    Works without NLP artifacts. Each result's ``recognition_metadata`` holds ``recognizer_name`` and
    ``north_korean`` (True for a North Korean hometown). See the module docstring for the formats.
    """

    def __init__(
        self,
        supported_language: str = "ko",
        name: str | None = None,
        *,
        gazetteer_dir: Path | None = None,
        timeout: float = 2.0,
    ) -> None:
        self._gazetteer_dir = gazetteer_dir
        self._timeout = timeout
        self._patterns: _Patterns | None = None
        self._recognizer_name = name or "AddressRecognizer"
        super().__init__(
            supported_entities=[ENTITY],
            name=self._recognizer_name,
            supported_language=supported_language,
        )

    def load(self) -> None:
        self._patterns = _compile(self._gazetteer_dir)

    def analyze(
        self, text: str, entities: list[str] | None, nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and ENTITY not in entities:
            return []
        if self._patterns is None:
            self.load()
        # The `ko` and `en` instances find the same candidates in a mixed-script chunk: see shared.py.
        found = _FOUND.get((self._patterns, self._timeout), text, lambda: tuple(self.find(text)))
        results = []
        for cand in found:
            results.append(
                RecognizerResult(
                    entity_type=ENTITY,
                    start=cand.start,
                    end=cand.end,
                    score=round(cand.score, 2),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self._recognizer_name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        "north_korean": cand.north_korean,
                    },
                )
            )
        return results

    # -- finders ---------------------------------------------------------------------------------

    def find(self, text: str) -> list[_Candidate]:
        """Address spans in ``text`` with scores, overlaps resolved."""
        if self._patterns is None:
            self.load()
        assert self._patterns is not None
        p = self._patterns
        hangul = _HANGUL.search(text) is not None
        digit = _DIGIT.search(text) is not None
        latin = _LATIN.search(text) is not None
        cands: list[_AnyCandidate] = []
        # Each anchor's windows are found once: two finders read each.
        numbered = _windows(text, _NUMBER_ANCHOR, _REACH_BEFORE, _REACH_AFTER) if hangul and digit else []
        after_cues = _windows(text, _HOMETOWN_WORD, 0, 40) if hangul or latin else []
        if hangul and digit:
            cands += self._south_numbered(text, p, numbered)
        if hangul:
            cands += self._south_coarse(text, p)
            cands += self._south_partial(text, p, digit, cands)
            cands += self._north(text, p, after_cues)
        if latin:
            cands += self._english(text, p, digit, after_cues)
        if digit:
            for m in self._iter(_POSTAL_ALONE, text):
                cands.append(_Candidate(m.start("code"), m.end("code"), 0.4))
        return _resolve(cands)

    def _iter(
        self, pattern: regex.Pattern[str], text: str, windows: list[tuple[int, int]] | None = None
    ) -> list[regex.Match[str]]:
        out: list[regex.Match[str]] = []
        for lo, hi in windows if windows is not None else [(0, len(text))]:
            try:
                out.extend(pattern.finditer(text, pos=lo, endpos=hi, timeout=self._timeout))
            except TimeoutError:
                logger.warning("address pattern timed out on a %d-character segment", len(text))
        return out

    def _iter_at(
        self, pattern: regex.Pattern[str], text: str, windows: list[tuple[int, int]], starts: list[int]
    ) -> list[regex.Match[str]]:
        """`_iter(pattern, text, windows)` for a pattern whose matches (never empty) can only begin at
        one of `starts` (sorted): the pattern is matched at those offsets only, left to right,
        skipping offsets inside the last match, as `finditer` finds them."""
        out: list[regex.Match[str]] = []
        j = 0
        for lo, hi in windows:
            j = bisect.bisect_left(starts, lo, j)
            last = lo
            while j < len(starts) and starts[j] < hi:
                start = starts[j]
                j += 1
                if start < last:
                    continue
                try:
                    m = pattern.match(text, start, hi, timeout=self._timeout)
                except TimeoutError:
                    logger.warning("address pattern timed out on a %d-character segment", len(text))
                    break
                if m is not None:
                    out.append(m)
                    last = m.end()
        return out

    def _address_cue(self, text: str, start: int, end: int) -> bool:
        return bool(
            _cue_before(_line_prefix(text, start))
            or not _line_ends(text, end)
            and _ADDRESS_CUE_AFTER.match(text, end, end + 20)
        )

    @staticmethod
    def _hometown_cue(text: str, start: int) -> bool:
        return bool(_HOMETOWN_CUE.search(_line_prefix(text, start, 30)))

    @staticmethod
    def _postal_start(text: str, start: int) -> int:
        m = _POSTAL_BEFORE.search(text, max(0, start - 12), start)
        return m.start() if m else start

    @staticmethod
    def _organisation(text: str, start: int, end: int) -> bool:
        return bool(
            not _line_ends(text, end)
            and (_ORG_AFTER.match(text, end, end + 30) or _AREA_AFTER.match(text, end, end + 12))
            or _org_before(_line_prefix(text, start))
        )

    def _numbered(self, text: str, start: int, end: int, score: float) -> _Candidate:
        if self._organisation(text, start, end):
            score = 0.45
        return _Candidate(start, end, min(score, 0.95))

    def _rated(self, text: str, start: int, end: int, score: float, cue_bonus: float) -> _Rated:
        """`_numbered(text, start, end, score + cue_bonus if there is an address cue)`, worked out
        only when asked (see `_Rated`)."""

        def rate() -> float:
            cued = score
            if self._address_cue(text, start, end):
                cued += cue_bonus
            return self._numbered(text, start, end, cued).score

        return _Rated(start, end, rate)

    def _south_numbered(self, text: str, p: _Patterns, windows: list[tuple[int, int]]) -> list[_AnyCandidate]:
        """`windows`: around each `_NUMBER_ANCHOR`."""
        out: list[_AnyCandidate] = []
        for m in self._iter(p.sk_full, text, windows):
            if m["lot"] is not None and not (m["dong"] or m["eup"]):
                continue  # a bare number right after the 시·군·구 is not a lot number
            if m["sgg"] or (m["sido"] in p.sejong and not m["sggx"]):
                score = 0.85
            else:
                score = 0.75 if m["sggx"] else 0.7
            start = self._postal_start(text, m.start())
            if m["detail"] or m["ref"] or start < m.start():
                score += 0.05
            out.append(self._rated(text, start, m.end(), score, 0.05))
        if p.district_prefixes is None or not windows:
            from_district = self._iter(p.sk_from_district, text, windows)
        else:
            from_district = self._iter_at(
                p.sk_from_district, text, windows, _district_starts(text, p.district_prefixes)
            )
        for m in from_district:
            if m["lot"] is not None and not (m["dong"] or m["eup"]):
                continue
            start = self._postal_start(text, m.start())
            score = 0.75 if (m["detail"] or m["ref"] or start < m.start()) else 0.7
            out.append(self._rated(text, start, m.end(), score, 0.15))
        return out

    def _south_coarse(self, text: str, p: _Patterns) -> list[_AnyCandidate]:
        """Rated lazily (see `_Rated`): a coarse span inside a whole address is never tested."""
        out: list[_AnyCandidate] = []
        for m in self._iter(p.sk_coarse, text):
            out.append(_Rated(m.start(), m.end(), self._coarse_rate(text, m.start(), m.end(), bool(m["dong"]))))
        return out

    def _coarse_rate(self, text: str, start: int, end: int, dong: bool) -> Callable[[], float | None]:
        def rate() -> float | None:
            if self._organisation(text, start, end):
                return None
            cue = self._address_cue(text, start, end)
            if dong:
                return 0.65 if cue else 0.5
            return 0.6 if cue else None

        return rate

    def _south_partial(self, text: str, p: _Patterns, digit: bool, found: Sequence[_AnyCandidate]) -> list[_Candidate]:
        """Addresses without their 시·도 (see _compile): lower scores than whole ones. A match inside
        an address already found is skipped before any test (it would lose to it anyway)."""
        # Sorted on first use: whether a lazily rated candidate is there is asked only then.
        spans: list[tuple[int, int]] = []
        starts: list[int] = []
        ready = False

        def inside(start: int, end: int) -> bool:
            nonlocal ready
            if not ready:
                spans.extend(sorted((c.start, c.end) for c in found if _present(c)))
                starts.extend(s for s, _ in spans)
                ready = True
            if not spans:
                return False
            i = bisect.bisect_right(starts, start) - 1
            return any(spans[j][0] <= start and end <= spans[j][1] for j in range(max(0, i - 2), i + 1))

        out = []
        for m in self._iter(p.sk_partial, text, _windows(text, _PARTIAL_ANCHOR, 40, 20)):
            if inside(m.start(), m.end()) or p.sido_before.search(text, max(0, m.start() - 12), m.start()):
                continue
            dong = m["dong"]
            if dong in _NK_SUB_STOP or self._organisation(text, m.start(), m.end()):
                continue
            cue = self._address_cue(text, m.start(), m.end())
            out.append(_Candidate(m.start(), m.end(), 0.65 if cue else 0.55))
        if not digit:
            return out
        # Its windows are the numbered ones cut to `_DONG_LOT_ANCHOR` (same reach): a roster's road
        # addresses open none.
        for m in self._iter(p.sk_dong_lot, text, _windows(text, _DONG_LOT_ANCHOR, _REACH_BEFORE, _REACH_AFTER)):
            if m["dong"] in _NK_SUB_STOP or inside(m.start(), m.end()):
                continue
            cue = self._address_cue(text, m.start(), m.end())
            if m["detail"] or m["ref"] or cue:
                out.append(self._numbered(text, m.start(), m.end(), 0.7 if cue else 0.6))
        for m in self._iter(p.sk_road_unit, text, _windows(text, _UNIT_ANCHOR, 80, 12)):
            if inside(m.start(), m.end()):
                continue
            cue = self._address_cue(text, m.start(), m.end())
            out.append(self._numbered(text, m.start(), m.end(), 0.7 if cue else 0.6))
        return out

    def _north(self, text: str, p: _Patterns, after_cues: list[tuple[int, int]]) -> list[_Candidate]:
        """`after_cues`: the windows after each `_HOMETOWN_WORD`."""
        out = []
        for m in self._iter(p.nk_full, text):
            hometown = self._hometown_cue(text, m.start())
            city = p.nk_stems.get(m["city"], m["city"])
            if (
                m["prov"] in p.kangwon_aliases
                and not hometown
                and (city not in p.kangwon_north or city in p.south_districts)
            ):
                continue  # the South's 강원도
            end, score = m.end(), 0.85
            if m["sub"]:
                if m["sub"] in _NK_SUB_STOP:
                    end = m.end("city2") if m["city2"] else m.end("city")
                else:
                    score = 0.9
            if hometown:
                score += 0.05
            out.append(_Candidate(m.start(), end, score, north_korean=True))
        for m in self._iter(p.nk_token, text, after_cues):
            tok = p.nk_stems.get(m["tok"], m["tok"])
            if tok in p.south_districts or not self._hometown_cue(text, m.start()):
                continue
            out.append(_Candidate(m.start(), m.end(), 0.6, north_korean=True))
        return out

    def _english(self, text: str, p: _Patterns, digit: bool, after_cues: list[tuple[int, int]]) -> list[_Candidate]:
        """`after_cues`: the windows after each `_HOMETOWN_WORD`."""
        out = []
        if digit:
            for m in self._iter(p.kr_en, text) if _KR_EN_HINT.search(text) else ():
                score = 0.85 if (m["dists"] or m["city"]) else 0.7
                if self._address_cue(text, m.start(), m.end()):
                    score += 0.1
                out.append(self._numbered(text, m.start(), m.end(), score))
        for m in self._iter(p.en_nk, text) if p.en_nk_token.search(text) else ():
            hometown = self._hometown_cue(text, m.start())
            if m["prov"] in p.kangwon_en and m["city"] not in p.kangwon_north_en and not hometown:
                continue
            out.append(_Candidate(m.start(), m.end(), 0.9 if hometown else 0.85, north_korean=True))
        for m in self._iter(p.en_nk_token, text, after_cues):
            if self._hometown_cue(text, m.start()):
                out.append(_Candidate(m.start(), m.end(), 0.6, north_korean=True))
        return out
