"""Hard negatives: documents with places, organisations, dates, ages and ID-shaped numbers but no PII."""

from __future__ import annotations

import datetime as dt

import openpyxl
from docx import Document

from pii_synth import dates, ids, places
from pii_synth.corpus.context import Ctx, josa
from pii_synth.writers import csv_text, save_document, save_workbook, write_text

ORGS = (
    "통일부",
    "남북하나재단",
    "하나원",
    "지역적응센터(하나센터)",
    "북한인권정보센터",
    "한국사회복지협의회",
    "경찰청",
    "법무부 출입국·외국인정책본부",
    "국립통일교육원",
    "대한적십자사",
)
NK_PROVINCES = sorted(places.NK_HOMETOWNS)
PRODUCTS = (
    "무선 마우스",
    "A4 복사용지 2500매",
    "USB 메모리 64GB",
    "프린터 토너",
    "사무용 의자",
    "외장 SSD 1TB",
    "모니터 27인치",
    "키보드",
    "멀티탭 6구",
    "화이트보드 마커",
)


def press_release_txt(ctx: Ctx, rel: str) -> None:
    s, rng = ctx.synth, ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    day = s.date_between(dt.date(2023, 1, 1), dt.date(2024, 12, 1))
    org1, org2, org3 = rng.sample(ORGS, 3)
    city1, city2, city3 = places.coarse_places(rng, 3)
    n = rng.randrange(800, 3000)
    text = (
        f"{org1}, 북한이탈주민 정착실태조사 결과 발표\n\n"
        f"{josa(org1, '과와')} {josa(org2, '은는')} {dates.korean_long(day)} "
        f"'{day.year - 1}년 북한이탈주민 정착실태조사' 결과를 "
        f"발표했다. 이번 조사는 {day.year - 1}년 7월 1일부터 8월 31일까지 "
        f"만 15세 이상 북한이탈주민 {n:,}명을 "
        f"대상으로 {city1}, {city2}, {city3} 등 전국에서 실시되었다.\n"
        f"조사 결과 고용률은 전년 대비 {rng.randrange(5, 30) / 10}%포인트 "
        f"상승한 {rng.randrange(550, 650) / 10}%로 "
        f"나타났으며, 월평균 임금은 {rng.randrange(200, 300)}만원으로 집계되었다. 응답자의 평균 연령은 "
        f"{rng.randrange(38, 47)}세였고, 출신 지역은 함경북도와 양강도가 "
        f"{rng.randrange(70, 85)}%를 차지했다.\n"
        f"{josa(org2, '은는')} 1997년 7월 14일 제정된 북한이탈주민의 보호 및 정착지원에 관한 법률에 따라 "
        f"{josa(org3, '과와')} 협력하여 "
        f"취업·교육 지원을 확대할 계획이다. 공모 결과는 {dates.korean_long(day + dt.timedelta(days=60))} "
        f"발표될 예정이다. 정책 간담회({day + dt.timedelta(days=20):%Y. %-m. %-d}.)는 {city1}에서 열린다.\n\n"
        f"<저작권자 통일뉴스, 무단전재 및 재배포 금지>\n"
    )
    write_text(path, text, "utf-8")


def english_news_txt(ctx: Ctx, rel: str) -> None:
    s, rng = ctx.synth, ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    day = s.date_between(dt.date(2023, 1, 1), dt.date(2024, 12, 1))
    n = rng.randrange(150, 2000)
    text = (
        f"SEOUL, {day:%B %d, %Y} - The Ministry of Unification said on Tuesday that {n} North Korean "
        f"defectors arrived in South Korea last year, most of them women aged 30 to 49. Officials in Seoul "
        f"and Busan said "
        f"the Korea Hana Foundation will expand job training from {day + dt.timedelta(days=30):%B %d}.\n"
        f"A spokesperson for the ministry, who declined to be named, said the number of arrivals from North "
        f"Hamgyong and Ryanggang provinces had fallen since the border closure in January 2020. Mr. Kim, a "
        f"resettlement officer in Incheon, said the average age of arrivals was {rng.randrange(30, 45)}.\n"
        f"The report, first published on {day - dt.timedelta(days=3):%d/%m/%Y}, covers Gyeonggi Province, "
        f"Incheon and Seoul.\n"
    )
    write_text(path, text, "utf-8")


def province_stats_csv(ctx: Ctx, rel: str) -> None:
    rng = ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    years = list(range(2015, 2024))
    rows: list[list[object]] = [["시도", *[str(y) for y in years], "합계"]]
    for prov in places.provinces():
        vals = [rng.randrange(0, 400) for _ in years]
        rows.append([prov, *vals, sum(vals)])
    write_text(path, "\ufeff" + csv_text(rows), "utf-8")


def origin_stats_xlsx(ctx: Ctx, rel: str) -> None:
    rng = ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "출신지별"
    ws.append(["북한이탈주민 출신지별 입국 현황 (단위: 명)"])
    ws.append(["출신지(도)", "남", "여", "합계", "평균연령", "집계기준일"])
    for prov in NK_PROVINCES:
        m, f = rng.randrange(5, 900), rng.randrange(20, 3000)
        ws.append([prov, m, f, m + f, rng.randrange(28, 48), dt.datetime(2024, 3, 31)])
        ws.cell(row=ws.max_row, column=6).number_format = "yyyy-mm-dd"
    save_workbook(wb, path)


def code_file_py(ctx: Ctx, rel: str) -> None:
    rng = ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    text = f'''"""roster-sync: copy roster exports into the case database."""
__version__ = "2.{rng.randrange(20)}.{rng.randrange(10)}"

import hashlib
import uuid

DB_URL = "postgresql://localhost:5432/cases"
MAX_ROWS = 1000000
EPOCH_MS_CUTOFF = {rng.randrange(1600000000000, 1799999999999)}
RRN_MASK = "******-*******"  # never log identifiers
PLACEHOLDER = "YYMMDD-NNNNNNN"
INVALID_RRN_EXAMPLE = "{ids.invalid_rrn(rng, "date")}"  # fails validation on purpose
SAMPLE_BARCODE = "{ids.ean13(rng)}"
ORDER_ID_RE = r"\\d{{8}}-\\d{{7}}"
BUILD = "{2023 + rng.randrange(2)}.{rng.randrange(1, 13):02d}.{rng.randrange(1, 28):02d}-rc1"
BATCH_NAMESPACE = uuid.UUID("12345678-1234-5678-1234-567812345678")
RETRY_DELAYS_MS = (250, 500, 1000, 2000)


def checksum(row: bytes) -> str:
    return hashlib.sha256(row).hexdigest()[:16]


def compatible(v: str) -> bool:
    major, minor, patch = (int(x) for x in v.split("."))
    return (major, minor) >= (1, 4) and patch != 13
'''
    write_text(path, text, "utf-8")


def tool_readme_md(ctx: Ctx, rel: str) -> None:
    _, path = ctx.new(rel, negative=True)
    text = (
        "# roster-sync\n\nImports roster exports (CSV/XLSX) into the case database.\n\n"
        "## Configuration\n\nSet `db_url` and `batch_size` (default 500). Identifiers are masked before "
        "logging; the placeholder format is `YYMMDD-NNNNNNN`.\n\n## License\n\nMIT. Copyright (c) 2021-2024 "
        "the roster-sync contributors.\n"
    )
    write_text(path, text, "utf-8")


def orders_csv(ctx: Ctx, rel: str, rows: int) -> None:
    """Orders with order numbers, EAN-13 barcodes, tracking numbers and order dates (not PII)."""
    s, rng = ctx.synth, ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    out: list[list[object]] = [["주문번호", "주문일", "상품명", "바코드", "수량", "단가", "송장번호", "배송지역"]]
    for _ in range(rows):
        day = s.date_between(dt.date(2023, 1, 1), dt.date(2024, 6, 30))
        out.append(
            [
                f"{day:%Y%m%d}-{rng.randrange(10**7):07d}",
                f"{day:%Y-%m-%d}",
                rng.choice(PRODUCTS),
                ids.ean13(rng),
                rng.randrange(1, 20),
                rng.randrange(10, 500) * 100,
                f"{rng.randrange(1000, 10000)}-{rng.randrange(1000, 10000)}-{rng.randrange(1000, 10000)}",
                places.coarse_places(rng, 1)[0],
            ]
        )
    write_text(path, csv_text(out), "cp949")


def invoice_txt(ctx: Ctx, rel: str) -> None:
    s, rng = ctx.synth, ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    day = s.date_between(dt.date(2023, 1, 1), dt.date(2024, 6, 30))
    lines = [
        "전자세금계산서",
        f"승인번호: {day:%Y%m%d}-{rng.randrange(10**8):08d}-{rng.randrange(10**8):08d}",
        f"공급자 등록번호: {ids.business_reg_no(rng)}  상호: (주)한빛오피스",
        f"공급받는자 등록번호: {ids.business_reg_no(rng)}  상호: 사단법인 하나센터",
        f"작성일자: {day:%Y-%m-%d}",
        "",
    ]
    total = 0
    for _ in range(rng.randrange(3, 8)):
        qty, price = rng.randrange(1, 10), rng.randrange(10, 300) * 1000
        total += qty * price
        lines.append(f"{rng.choice(PRODUCTS)}\t{qty}\t{price:,}\t{qty * price:,}\t품번 {ids.ean13(rng)}")
    lines += ["", f"합계금액: {total:,}원  (부가세 포함)", f"운송장번호: {rng.randrange(10**11, 10**12)}"]
    write_text(path, "\n".join(lines) + "\n", "utf-8")


def meeting_minutes_txt(ctx: Ctx, rel: str) -> None:
    """Minutes with dates, ages, surname-only references and coarse places — nothing identifying."""
    s, rng = ctx.synth, ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    day = s.date_between(dt.date(2023, 1, 1), dt.date(2024, 6, 30))
    sur1, sur2 = s.korean_name().surname, s.korean_name().surname
    city1, city2 = places.coarse_places(rng, 2)
    text = (
        f"운영위원회 회의록\n일시: {dates.korean_long(day)} 14:00 / 장소: 센터 2층 회의실\n\n"
        f"1. 지난 회의({day - dt.timedelta(days=30):%Y.%m.%d}) 결과 보고\n"
        f"2. 만 {rng.randrange(40, 60)}세 이상 참여자의 취업 프로그램 확대 논의. 참여자 평균 연령은 "
        f"{rng.randrange(35, 45)}세, 최연소 {rng.randrange(19, 25)}세.\n"
        f"3. {sur1} 씨 사례는 개인정보 보호를 위해 익명 처리하여 보고함. {sur2} 모 씨 민원 건은 종결.\n"
        f"4. {city1}·{city2} 지역 협력기관 방문 일정: {day + dt.timedelta(days=14):%m월 %d일}.\n"
        f"5. 차기 회의: {dates.korean_long(day + dt.timedelta(days=28))}, "
        f"설립일({1998 + rng.randrange(10)}년 "
        f"{rng.randrange(1, 13)}월 {rng.randrange(1, 28)}일) 기념행사 준비 포함.\n"
    )
    write_text(path, text, "utf-8")


def headlines_docx(ctx: Ctx, rel: str) -> None:
    s, rng = ctx.synth, ctx.synth.rng
    _, path = ctx.new(rel, negative=True)
    doc = Document()
    year = rng.choice((2022, 2023, 2024))
    doc.add_paragraph(f"{year}년 언론보도 모음")
    topics = (
        "하나원, 교육생 수료식 개최",
        "탈북청소년 장학생 선발 결과 발표",
        "'북한이탈주민의 날' 제정 추진",
        "지역적응센터 운영 평가 결과 공개, 우수기관 5곳 선정",
        "정착지원 예산 편성",
        "취업박람회 개최, 기업 40곳 참여",
        "탈북민 건강검진 지원 확대",
    )
    for topic in rng.sample(topics, 5):
        day = s.date_between(dt.date(year, 1, 1), dt.date(year, 12, 28))
        doc.add_paragraph(f"{day:%Y. %-m. %-d}. {rng.choice(ORGS)} {topic} ({places.coarse_places(rng, 1)[0]})")
    save_document(doc, path)
