"""South Korean residential addresses, North Korean hometowns and US addresses (all synthetic)."""

from __future__ import annotations

import random
from dataclasses import dataclass

# (province, short form, city/district, roads, legal dongs/eup)
_KR: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("서울특별시", "서울", "강남구", ("테헤란로", "논현로", "봉은사로"), ("역삼동", "삼성동", "논현동")),
    ("서울특별시", "서울", "노원구", ("노원로", "동일로", "상계로"), ("상계동", "중계동", "월계동")),
    ("서울특별시", "서울", "관악구", ("신림로", "관악로", "남부순환로"), ("봉천동", "신림동")),
    ("서울특별시", "서울", "양천구", ("목동동로", "신월로", "오목로"), ("목동", "신정동", "신월동")),
    ("서울특별시", "서울", "송파구", ("올림픽로", "충민로", "송파대로"), ("문정동", "가락동", "잠실동")),
    ("서울특별시", "서울", "강서구", ("공항대로", "화곡로", "강서로"), ("화곡동", "등촌동", "가양동")),
    ("서울특별시", "서울", "마포구", ("월드컵로", "망원로", "양화로"), ("망원동", "합정동", "성산동")),
    ("경기도", "경기", "안산시 단원구", ("원곡로", "중앙대로", "고잔로"), ("원곡동", "고잔동", "선부동")),
    ("경기도", "경기", "부천시", ("부천로", "길주로", "소사로"), ("심곡동", "상동", "중동")),
    ("경기도", "경기", "수원시 권선구", ("권선로", "세권로", "동수원로"), ("권선동", "세류동", "곡반정동")),
    ("경기도", "경기", "안성시", ("중앙로", "서동대로", "공도로"), ("공도읍", "대덕면", "석정동")),
    ("경기도", "경기", "평택시", ("경기대로", "평택로", "중앙로"), ("팽성읍", "비전동", "세교동")),
    ("경기도", "경기", "화성시", ("봉담로", "동탄대로", "향남로"), ("봉담읍", "향남읍", "반송동")),
    ("경기도", "경기", "고양시 일산동구", ("중앙로", "일산로", "정발산로"), ("장항동", "마두동", "백석동")),
    ("인천광역시", "인천", "미추홀구", ("인하로", "주안로", "경원대로"), ("주안동", "용현동", "학익동")),
    ("인천광역시", "인천", "남동구", ("구월로", "인주대로", "논고개로"), ("구월동", "논현동", "만수동")),
    ("부산광역시", "부산", "해운대구", ("해운대로", "좌동로", "센텀중앙로"), ("우동", "좌동", "중동")),
    ("부산광역시", "부산", "사하구", ("낙동대로", "다대로", "하신번영로"), ("하단동", "괴정동", "다대동")),
    ("대구광역시", "대구", "달서구", ("달구벌대로", "월배로", "와룡로"), ("월성동", "상인동", "본동")),
    ("광주광역시", "광주", "광산구", ("임방울대로", "수완로", "하남대로"), ("수완동", "신가동", "월곡동")),
    ("대전광역시", "대전", "유성구", ("대학로", "유성대로", "계룡로"), ("봉명동", "궁동", "노은동")),
    ("울산광역시", "울산", "남구", ("번영로", "삼산로", "문수로"), ("삼산동", "달동", "무거동")),
    ("세종특별자치시", "세종", "", ("한누리대로", "도움1로", "보듬3로"), ("보람동", "아름동", "종촌동")),
    ("강원특별자치도", "강원", "춘천시", ("영서로", "후석로", "공지로"), ("석사동", "퇴계동", "후평동")),
    ("강원특별자치도", "강원", "원주시", ("능라동길", "단구로", "원일로"), ("단구동", "무실동", "명륜동")),
    ("충청북도", "충북", "청주시 흥덕구", ("가로수로", "직지대로", "풍산로"), ("복대동", "가경동", "봉명동")),
    ("충청남도", "충남", "천안시 서북구", ("불당대로", "번영로", "쌍용대로"), ("불당동", "쌍용동", "성정동")),
    (
        "전북특별자치도",
        "전북",
        "전주시 완산구",
        ("서신로", "홍산로", "효자로"),
        ("서신동", "효자동", "평화동"),
    ),
    ("전라남도", "전남", "순천시", ("연향로", "중앙로", "팔마로"), ("연향동", "조례동", "왕지동")),
    ("경상북도", "경북", "안동시", ("경동로", "퇴계로", "강남로"), ("옥동", "정하동", "용상동")),
    ("경상북도", "경북", "포항시 북구", ("중흥로", "새천년대로", "삼호로"), ("양덕동", "장성동", "두호동")),
    (
        "경상남도",
        "경남",
        "창원시 성산구",
        ("원이대로", "중앙대로", "창이대로"),
        ("상남동", "중앙동", "반송동"),
    ),
    ("제주특별자치도", "제주", "제주시", ("노연로", "연북로", "도령로"), ("노형동", "연동", "이도이동")),
)
APARTMENTS = (
    "래미안",
    "푸르지오",
    "자이",
    "힐스테이트",
    "대림",
    "한빛",
    "벽산",
    "신정",
    "보금자리",
    "LH천년나무",
    "은하수",
    "행복주택",
    "주공",
    "현대",
    "삼성",
    "한신",
    "e편한세상",
    "우성",
)

# North Korean provinces → cities/counties → a few dong/ri (hometowns of defectors)
NK_HOMETOWNS: dict[str, dict[str, tuple[str, ...]]] = {
    "함경북도": {
        "회령시": ("남문동", "역전동"),
        "청진시": ("수남구역", "포항구역"),
        "무산군": ("무산읍",),
        "온성군": ("온성읍",),
        "김책시": ("서흥동",),
    },
    "함경남도": {
        "함흥시": ("동흥산구역", "회상구역"),
        "단천시": ("신단천동", "운천동"),
        "신포시": ("신포동",),
    },
    "양강도": {
        "혜산시": ("혜화동", "연봉동", "위연동"),
        "김정숙군": ("김정숙읍",),
        "삼지연시": ("삼지연읍",),
    },
    "자강도": {"강계시": ("남문동", "공귀동"), "만포시": ("만포동",), "희천시": ("청년동",)},
    "평안북도": {"신의주시": ("본부동", "채하동", "역전동"), "정주시": ("정주동",), "구성시": ("남시동",)},
    "평안남도": {
        "평성시": ("역전동", "두무동"),
        "순천시": ("용봉동",),
        "안주시": ("남칠동",),
        "개천시": ("중앙동",),
    },
    "황해북도": {"사리원시": ("동리동", "구천동"), "송림시": ("석탄동",), "개성시": ("자남동",)},
    "황해남도": {"해주시": ("석미동", "옥계동"), "옹진군": ("옹진읍",)},
    "강원도": {"원산시": ("해안동", "명석동"), "문천시": ("옥평동",)},
    "평양시": {"중구역": ("창광동",), "모란봉구역": ("긴마을동",), "대동강구역": ("문수동",)},
    "남포시": {"항구구역": ("와우도동",)},
    "라선시": {"라진구역": ("역전동",)},
}

# Most defectors come from the border provinces.
NK_WEIGHTS = {"함경북도": 40, "양강도": 20, "함경남도": 10, "자강도": 4, "평안북도": 5, "평안남도": 5}

US_STATES = (
    ("Springfield", "IL", "627"),
    ("Austin", "TX", "787"),
    ("Portland", "OR", "972"),
    ("Columbus", "OH", "432"),
    ("Richmond", "VA", "232"),
    ("Fairfax", "VA", "220"),
    ("Los Angeles", "CA", "900"),
    ("Seattle", "WA", "981"),
    ("Atlanta", "GA", "303"),
    ("Denver", "CO", "802"),
    ("Boston", "MA", "021"),
    ("Annandale", "VA", "220"),
)
US_STREETS = (
    "Main St",
    "Oak Ave",
    "Maple Drive",
    "Cedar Lane",
    "Elm Street",
    "Washington Blvd",
    "Park Road",
    "Lakeview Ct",
    "Pine Street",
    "Sunset Ave",
    "Hillcrest Rd",
    "Jefferson Ave",
)


@dataclass(frozen=True)
class KrAddress:
    """A residential address: ``text`` is the full rendering, ``region`` the coarse (non-PII) part."""

    text: str
    province: str
    region: str
    dong: str


def kr_address(rng: random.Random, *, style: str | None = None, short_province: bool | None = None) -> KrAddress:
    """A plausible road-name (``road``) or lot-number (``lot``) address, often with 동/호."""
    prov, short, city, roads, dongs = rng.choice(_KR)
    if short_province is None:
        short_province = rng.random() < 0.2
    head = " ".join(p for p in ((short if short_province else prov), city) if p)
    dong = rng.choice(dongs)
    apt = rng.choice(APARTMENTS) + "아파트"
    unit = f"{rng.randrange(101, 121)}동 {rng.randrange(1, 26)}{rng.randrange(1, 5):02d}호"
    style = style or rng.choice(("road", "road", "road_apt", "road_apt_paren", "lot", "lot_apt", "road_floor"))
    if style.startswith("road"):
        num = str(rng.randrange(1, 999))
        if rng.random() < 0.3:
            num += f"-{rng.randrange(1, 60)}"
        base = f"{head} {rng.choice(roads)} {num}"
        if style == "road_apt":
            text = f"{base}, {unit}"
        elif style == "road_apt_paren":
            text = f"{base}, {unit} ({dong}, {apt})"
        elif style == "road_floor":
            text = f"{base} {rng.randrange(2, 6)}층"
        else:
            text = base
    else:
        lot = f"{rng.randrange(1, 999)}-{rng.randrange(1, 60)}"
        if style == "lot_apt":
            text = f"{head} {dong} {lot} {apt} {unit}"
        else:
            text = f"{head} {dong} {lot}" + ("번지" if rng.random() < 0.5 else "")
    return KrAddress(text=text, province=prov, region=head, dong=dong)


def nk_hometown(rng: random.Random, *, detail: bool | None = None) -> str:
    """``함경북도 회령시`` or, with a dong, ``양강도 혜산시 혜화동``."""
    provs = sorted(NK_HOMETOWNS)
    prov = rng.choices(provs, weights=[NK_WEIGHTS.get(p, 3) for p in provs])[0]
    city = rng.choice(sorted(NK_HOMETOWNS[prov]))
    if detail is None:
        detail = rng.random() < 0.3
    if detail:
        return f"{prov} {city} {rng.choice(NK_HOMETOWNS[prov][city])}"
    return f"{prov} {city}"


def us_address(rng: random.Random) -> str:
    city, state, zip3 = rng.choice(US_STATES)
    unit = f" Apt {rng.randrange(1, 40)}{rng.choice('ABCD')}" if rng.random() < 0.35 else ""
    street = f"{rng.randrange(10, 9999)} {rng.choice(US_STREETS)}{unit}"
    return f"{street}, {city}, {state} {zip3}{rng.randrange(100):02d}"


def provinces() -> list[str]:
    """South Korean province names (for statistics tables and other non-PII text)."""
    return sorted({row[0] for row in _KR})


def coarse_places(rng: random.Random, k: int) -> list[str]:
    """City or district names alone: coarse places, not personal data."""
    pool = sorted({row[1] for row in _KR} | {row[2].split()[0] for row in _KR if row[2]})
    return rng.sample(pool, k)


NK_PROVINCE_EN = {
    "함경북도": "North Hamgyong Province",
    "함경남도": "South Hamgyong Province",
    "양강도": "Ryanggang Province",
    "자강도": "Chagang Province",
    "평안북도": "North Pyongan Province",
    "평안남도": "South Pyongan Province",
    "황해북도": "North Hwanghae Province",
    "황해남도": "South Hwanghae Province",
    "강원도": "Kangwon Province",
    "평양시": "Pyongyang",
    "남포시": "Nampo",
    "라선시": "Rason",
}


def nk_hometown_en(hometown: str) -> str:
    """``함경북도 회령시`` → ``Hoeryong, North Hamgyong Province`` (simplified McCune–Reischauer)."""
    from pii_synth.names import romanize_syllables

    parts = hometown.split()
    prov, city = parts[0], parts[1]
    for suffix in ("구역", "시", "군"):
        if city.endswith(suffix) and len(city) > len(suffix):
            city = city[: -len(suffix)]
            break
    return f"{romanize_syllables(city, style='mr').capitalize()}, {NK_PROVINCE_EN[prov]}"
