"""Prose documents: Korean counselling notes (many phrasings) and English case files."""

from __future__ import annotations

import datetime as dt

from pii_synth import dates, ids, places
from pii_synth.corpus.context import Ctx, josa, josa_ro
from pii_synth.labels import LabelledFile
from pii_synth.persons import KoreanPerson
from pii_synth.writers import write_text

SESSION_KINDS = ("정기상담", "위기상담", "전화상담", "가정방문", "방문상담", "사례관리")
FILLER = (
    "하나원 수료 후 취업 준비 중이며 요양보호사 자격 과정에 관심을 보였다.",
    "자녀의 학교 적응 문제로 담임교사와 면담을 희망함.",
    "기초생활수급 신청 절차와 필요 서류를 안내하였다.",
    "야간 아르바이트로 인해 수면이 부족하다고 호소함.",
    "임대아파트 관리비 체납 문제로 상담을 요청하였다.",
    "직업훈련(바리스타 과정) 수강 중이며 출석률이 양호하다.",
    "브로커 비용 상환 독촉 문제로 불안감을 표현함.",
    "한국 사회의 금융 제도(계좌, 카드)에 대한 이해가 부족하여 교육을 진행함.",
    "건강검진 결과 재검이 필요함.",
    "북한에 남은 가족의 안부를 걱정하며 우울감을 호소함.",
    "서울 소재 병원 진료를 연계하였다.",
)
RELATIONS = ("어머니", "언니", "남동생", "사촌 동생", "배우자", "이모", "지인")


def _honorific_subject(rng_choice: int, name: str) -> str:
    """Name + honorific + subject/topic particle, e.g. ``홍정자님은``, ``김철수 씨는``, ``리명일이``."""
    return (
        f"{name} 씨는",
        f"{name}씨가",
        f"{name}님은",
        f"{name} 님이",
        f"{name} 선생님은",
        josa(name, "은는"),
        josa(name, "이가"),
    )[rng_choice]


def counselling_entry(ctx: Ctx, lf: LabelledFile, counselor: str, year: int) -> list[str]:
    """One dated counselling record about one defector (labels go into ``lf``)."""
    s, rng = ctx.synth, ctx.synth.rng
    p = s.korean_person(defector=True)
    name, home = p.full_name, p.hometown or "함경북도 회령시"
    entry = p.entry_date or dt.date(2015, 1, 1)
    day = s.date_between(dt.date(year, 1, 1), dt.date(year, 12, 28))
    lf.add("PERSON", counselor)
    lf.add("PERSON", name)
    lf.add("ADDRESS", home, "hometown")
    lines = [f"■ {dates.korean_long(day)} {rng.choice(SESSION_KINDS)} (상담자: {counselor})"]
    variant = rng.randrange(8)
    dob: str | None = None
    if variant == 0:
        dob = rng.choice((dates.korean_long(p.birth), f"{p.birth:%y}년", f"{p.birth:%Y.%m.%d}"))
        lines.append(
            f"{_honorific_subject(rng.randrange(7), name)} {dob}생으로, {home}에서 살다가 {entry.year}년 탈북하였다."
        )
    elif variant == 1:
        dob = dates.table_date(rng, p.birth)
        lines.append(f"대상자: {name} / 생년월일: {dob} / 출신: {home}")
    elif variant == 2:
        dob = dates.korean_prose_dob(rng, p.birth).label
        lines.append(f"{name}({dob}, {home} 출신) 씨가 센터를 방문하였다.")
    elif variant == 3:
        dob = dates.table_date(rng, p.birth, rng.choice(("yydot", "dot", "dash")))
        lines.append(f"내담자 {name} 씨({dob})는 {home} 출신으로 {entry.year}년 {entry.month}월 국내에 입국하였다.")
    elif variant == 4:
        age = dates.age_on(p.birth, day)
        lines.append(
            f"{_honorific_subject(rng.randrange(7), name)} {age}세 {'남성' if p.male else '여성'}으로 "
            f"고향은 {home}이며, {entry.year}년 하나원을 수료하였다."
        )
    elif variant == 5:
        dob = dates.table_date(rng, p.birth, rng.choice(("korean", "dot", "slash")))
        lines.append(f"{name} 님의 생년월일은 {dob}이며 고향은 {home}이다. 입국일은 {entry:%Y-%m-%d}이다.")
    elif variant == 6:
        dob = f"{p.birth:%y}년"
        lines.append(f"{name} 선생님({dob}생, {home})께서 {dates.korean_long(day)} 센터를 처음 방문하셨다.")
    else:
        dob = dates.korean_prose_dob(rng, p.birth).label
        lines.append(f"상담 대상 {name}의 생년월일은 {dob}, 출신지는 {home}으로 확인되었다.")
    lf.add("DATE_OF_BIRTH", dob)
    _address_line(ctx, lf, p, lines)
    _extras(ctx, lf, p, lines)
    lines.append(" ".join(rng.sample(FILLER, rng.randrange(1, 4))))
    nxt = day + dt.timedelta(days=rng.randrange(7, 40))
    lines.append(f"다음 상담 예정일: {nxt.month}월 {nxt.day}일.")
    return lines


def _address_line(ctx: Ctx, lf: LabelledFile, p: KoreanPerson, lines: list[str]) -> None:
    rng = ctx.synth.rng
    addr, mob = p.address.text, p.mobile
    variant = rng.randrange(6)
    if variant == 0:
        lines.append("주소지는 아직 확정되지 않았다. 연락은 센터 사무실을 통해 하기로 함.")
        return
    lf.add("ADDRESS", addr)
    lf.add("PHONE_NUMBER", mob)
    lf.expose(p.rrn)
    if variant == 1 and p.home_phone:
        lf.add("PHONE_NUMBER", p.home_phone)
        lines.append(f"주거지는 {addr}이고 휴대전화 {mob}, 집 전화 {p.home_phone}.")
    elif variant in (1, 2):
        lines.append(f"현재 {addr}에 거주 중이며, 연락처는 {mob}이다.")
    elif variant == 3:
        lines.append(f"전입 예정지: {addr} (LH 임대주택 배정) / 휴대전화 {mob}")
    elif variant == 4:
        lines.append(f"주소: {addr} / 연락처: {mob}")
    else:
        lines.append(f"{josa_ro(addr)} 이사하였으며 새 번호는 {mob}이다.")


def _extras(ctx: Ctx, lf: LabelledFile, p: KoreanPerson, lines: list[str]) -> None:
    s, rng = ctx.synth, ctx.synth.rng
    extra: list[str] = []
    if rng.random() < 0.3:
        extra.append(f"전산 조회 결과 주민등록번호: {lf.rrn(p)}")
    if p.passport:
        lf.add("KR_PASSPORT", p.passport)
        extra.append(rng.choice((f"여권번호: {p.passport} (사본 보관)", f"여권(번호 {p.passport}) 발급을 마쳤다.")))
    if p.licence:
        lf.add("KR_DRIVER_LICENSE", p.licence)
        extra.append(
            rng.choice((f"운전면허({p.licence})를 취득하여 택배 일을 시작함.", f"운전면허번호 {p.licence} 확인."))
        )
    if rng.random() < 0.2:
        child = s.korean_person(child=True)
        frn = s.frn(child.birth, child.male)
        lf.add("PERSON", child.full_name)
        lf.add("KR_FRN", frn)
        particle = "과" if josa(child.full_name, "은는").endswith("은") else "와"
        extra.append(f"중국에서 출생한 자녀 {child.full_name}(외국인등록번호 {frn}){particle} 함께 생활하고 있다.")
    if rng.random() < 0.35:
        contact = s.korean_person()
        lf.add("PERSON", contact.full_name)
        lf.add("PHONE_NUMBER", contact.mobile)
        extra.append(f"비상 연락처는 {rng.choice(RELATIONS)} {contact.full_name} ({contact.mobile}).")
    if rng.random() < 0.25:
        staff = s.korean_name().full
        lf.add("PERSON", staff)
        extra.append(f"취업지원팀 {staff} {rng.choice(('과장', '주임', '팀장'))}에게 사례를 인계함.")
    if rng.random() < 0.25:
        extra.append(f"{josa(p.full_name, '을를')} 대상으로 금융교육 안내문을 발송함. {p.full_name}에게 재안내 예정.")
    if rng.random() < 0.3:
        sur = s.korean_name().surname
        extra.append(f"같은 단지에 사는 {sur} 씨와 교류가 있으며, {sur} 씨도 상담을 희망함.")
    lines.append(" ".join(extra) if extra else "특이사항 없음.")


def counselling_notes_txt(ctx: Ctx, rel: str, entries: int, year: int) -> None:
    s = ctx.synth
    lf, path = ctx.new(rel)
    counselor = s.korean_name().full
    lines = [f"{year}년 상담일지 (하나센터 정착지원팀)", "※ 내부 자료 - 외부 반출 금지", ""]
    for _ in range(entries):
        lines.extend(counselling_entry(ctx, lf, counselor, year))
        lines.append("")
    write_text(path, "\n".join(lines), "utf-8")


def _english_korean_client(ctx: Ctx, lf: LabelledFile, n: int, worker: str) -> list[str]:
    s, rng = ctx.synth, ctx.synth.rng
    p = s.korean_person(defector=True)
    passport_order, western = p.roman
    dob = dates.english_dob(rng, p.birth)
    origin = places.nk_hometown_en(p.hometown or "함경북도 회령시")
    addr = places.us_address(rng) if rng.random() < 0.5 else None
    phone = s.mobile() if addr is None else None
    lf.add("PERSON", passport_order)
    lf.add("DATE_OF_BIRTH", dob.label)
    lf.add("ADDRESS", origin, "hometown")
    title = "Mr." if p.male else "Ms."
    sur = western.split()[-1]
    lines = [f"CASE {n:04d} - caseworker: {worker}", f"Client: {passport_order}"]
    if rng.random() < 0.5:
        lines.append(f"Korean name: {lf.add('PERSON', p.full_name)}")
    if rng.random() < 0.5:
        lines.append(f"DOB: {dob.label}")
        lines.append(f"Place of origin: {origin}")
    else:
        lf.add("PERSON", western)
        lines.append(f"{western} was born {dob.label} in {origin} and left North Korea in {p.birth.year + 25}.")
    if addr:
        lf.add("ADDRESS", addr)
        lf.expose(p.rrn)
        phone = ids.us_phone(rng) if rng.random() < 0.7 else None
        lines.append(f"{title} {sur} currently resides at {addr}.")
    else:
        kr = p.address.text
        lf.add("ADDRESS", kr)
        lf.expose(p.rrn)
        lines.append(f"Residential address (Korea): {kr}")
    if phone:
        lf.add("PHONE_NUMBER", phone)
        lines.append(f"Phone: {phone}")
    if p.passport and rng.random() < 0.5:
        lines.append(f"ROK passport no. {lf.add('KR_PASSPORT', p.passport)}")
    lines.append(
        f"{title} {sur} is {dates.age_on(p.birth, dt.date(2024, 1, 1))} years old and was referred on "
        f"{s.date_between(dt.date(2022, 1, 1), dt.date(2024, 6, 1)):%B %d, %Y}."
    )
    return lines


def _english_us_client(ctx: Ctx, lf: LabelledFile, n: int, worker: str) -> list[str]:
    s, rng = ctx.synth, ctx.synth.rng
    p = s.english_person()
    dob = dates.english_dob(rng, p.birth)
    for etype, value in (
        ("PERSON", p.full_name),
        ("DATE_OF_BIRTH", dob.label),
        ("ADDRESS", p.address),
        ("PHONE_NUMBER", p.phone),
        ("EMAIL_ADDRESS", p.email),
    ):
        lf.add(etype, value)
    lf.expose(f"{p.full_name}|{p.birth}")
    if rng.random() < 0.5:
        body = [
            f"Name: {p.full_name}",
            f"Date of birth: {dob.label}",
            f"Address: {p.address}",
            f"Phone: {p.phone} / Email: {p.email}",
        ]
    else:
        body = [
            f"{p.full_name}, born {dob.label}, lives at {p.address}. "
            f"Reach {'him' if rng.random() < 0.5 else 'her'} at {p.phone} or {p.email}."
        ]
    follow_up = s.date_between(dt.date(2024, 1, 1), dt.date(2024, 12, 1))
    return [
        f"CASE {n:04d} - caseworker: {worker}",
        *body,
        f"Follow-up visit scheduled for {follow_up:%m/%d/%Y}.",
    ]


def english_case_file(ctx: Ctx, rel: str, cases: int) -> None:
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    worker = s.english_person().full_name
    lf.add("PERSON", worker)
    lines = [
        "RESETTLEMENT CASE NOTES - CONFIDENTIAL",
        "Program: refugee resettlement, Seoul liaison office",
        "",
    ]
    for n in range(1, cases + 1):
        make = _english_korean_client if rng.random() < 0.6 else _english_us_client
        lines.extend(make(ctx, lf, n, worker))
        lines.append("")
    write_text(path, "\n".join(lines), "utf-8")
