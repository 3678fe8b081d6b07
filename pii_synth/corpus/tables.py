"""Tabular documents: xlsx rosters, CP949/UTF-8 csv exports, UTF-16 text, staff and contact lists."""

from __future__ import annotations

import datetime as dt

import openpyxl
from docx import Document

from pii_synth import dates, places
from pii_synth.corpus.context import Ctx
from pii_synth.labels import LabelledFile
from pii_synth.persons import KoreanPerson
from pii_synth.writers import csv_text, save_document, save_workbook, write_text

REMARKS = (
    None,
    None,
    None,
    "취업 연계 희망",
    "건강검진 재검",
    "중국 체류 5년",
    "제3국 출생 자녀",
    "기초수급 신청",
    "임대주택 대기",
    "직업훈련 수강",
)
STAFF_TITLES = ("사회복지사", "팀장", "행정원", "상담사", "센터장", "주임", "과장")


def _label_person(
    lf: LabelledFile,
    p: KoreanPerson,
    *,
    with_address: bool,
    dob: str | None = None,
    rrn: bool = False,
    hometown: bool = True,
    phone: bool = True,
) -> None:
    lf.add("PERSON", p.full_name)
    if dob:
        lf.add("DATE_OF_BIRTH", dob)
    if rrn:
        lf.rrn(p)
    if with_address:
        lf.add("ADDRESS", p.address.text)
        lf.expose(p.rrn)
    if phone:
        lf.add("PHONE_NUMBER", p.mobile)
    if hometown and p.hometown:
        lf.add("ADDRESS", p.hometown, "hometown")


def xlsx_roster(ctx: Ctx, rel: str, rows: int, *, rrn_column: bool = False, date_cells: bool = True) -> None:
    """A defector roster workbook: title cell, header row, one person per row, a stats sheet."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "교육생명단"
    ws.append([f"{rng.choice((2023, 2024))}년 북한이탈주민 정착지원 교육생 명단 (대외비)"])
    ws.append([f"작성일: {s.date_between(dt.date(2023, 1, 1), dt.date(2024, 6, 30)):%Y-%m-%d} / 작성: 정착지원팀"])
    ws.append([])
    header = [
        "연번",
        "성명",
        "성별",
        "주민등록번호" if rrn_column else "생년월일",
        "주소",
        "연락처",
        "출신지",
        "입국일",
        "비고",
    ]
    if rrn_column:
        header += ["여권번호", "운전면허번호"]
    ws.append(header)
    date_fmt = rng.choice(("yyyy-mm-dd", "yyyy.mm.dd", 'yyyy"년" m"월" d"일"'))
    text_style = rng.choice(("dot", "dash", "compact", "korean"))
    for i in range(1, rows + 1):
        p = s.korean_person(defector=True)
        with_address = rng.random() > 0.1
        if rrn_column:
            ident: object = p.rrn
            dob_label = None
        elif date_cells:
            ident = dt.datetime(p.birth.year, p.birth.month, p.birth.day)
            dob_label = f"{p.birth:%Y-%m-%d}"
        else:
            ident = dob_label = dates.table_date(rng, p.birth, text_style)
        _label_person(lf, p, with_address=with_address, dob=dob_label, rrn=rrn_column)
        entry = p.entry_date or dt.date(2020, 1, 1)
        cells = [
            i,
            p.full_name,
            p.sex_ko,
            ident,
            p.address.text if with_address else None,
            p.mobile,
            p.hometown,
            dt.datetime(entry.year, entry.month, entry.day),
            rng.choice(REMARKS),
        ]
        if rrn_column:
            passport = p.passport or (s.passport() if rng.random() < 0.3 else None)
            licence = p.licence or (s.driver_licence() if rng.random() < 0.3 else None)
            cells += [lf.add("KR_PASSPORT", passport) or "-", lf.add("KR_DRIVER_LICENSE", licence) or "-"]
        ws.append(cells)
        row = ws.max_row
        ws.cell(row=row, column=8).number_format = "yyyy-mm-dd"
        if isinstance(ident, dt.datetime):
            ws.cell(row=row, column=4).number_format = date_fmt
    stats = wb.create_sheet("통계")
    stats.append(["출신지(도)", "인원"])
    for prov in sorted(places.NK_HOMETOWNS):
        stats.append([prov, rng.randrange(3, 80)])
    save_workbook(wb, path)


def csv_rrn_export(ctx: Ctx, rel: str, rows: int, *, encoding: str = "cp949") -> None:
    """정착금 지급대상-style export: RRN, address, phone, 입국일 (not a birth date), 출신지."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    out: list[list[object]] = [
        ["연번", "성명", "주민등록번호", "주소", "연락처", "입국일", "출신지", "지원구분", "금액"]
    ]
    for i in range(1, rows + 1):
        p = s.korean_person(defector=True)
        with_address = rng.random() > 0.08
        _label_person(lf, p, with_address=with_address, rrn=True)
        entry = p.entry_date or dt.date(2019, 1, 1)
        out.append(
            [
                i,
                p.full_name,
                p.rrn,
                p.address.text if with_address else "",
                p.mobile,
                f"{entry:%Y-%m-%d}",
                p.hometown,
                rng.choice(("정착기본금", "주거지원금", "고용지원금", "가산금")),
                rng.randrange(50, 800) * 10000,
            ]
        )
    write_text(path, csv_text(out), encoding)


def csv_member_export(ctx: Ctx, rel: str, rows: int, *, delimiter: str = ",", bom: bool = True) -> None:
    """동아리 회원명단-style UTF-8 export: birth date, phone, email, address (sometimes empty), 가입일."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    style = rng.choice(("dash", "dot", "compact", "slash"))
    out: list[list[object]] = [["이름", "생년월일", "휴대폰", "이메일", "주소", "가입일"]]
    for _ in range(rows):
        p = s.korean_person(defector=rng.random() < 0.5)
        with_address = rng.random() > 0.25
        dob = dates.table_date(rng, p.birth, style)
        _label_person(lf, p, with_address=with_address, dob=dob, hometown=False)
        lf.add("EMAIL_ADDRESS", p.email)
        joined = s.date_between(dt.date(2022, 1, 1), dt.date(2024, 6, 30))
        out.append(
            [
                p.full_name,
                dob,
                p.mobile,
                p.email,
                p.address.text if with_address else "",
                f"{joined:%Y-%m-%d}",
            ]
        )
    write_text(path, ("\ufeff" if bom else "") + csv_text(out, delimiter), "utf-8")


def utf16_transfer_list(ctx: Ctx, rel: str, rows: int) -> None:
    """전출입자 목록 saved by a Windows tool: UTF-16 with BOM, tab-separated."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    lines = ["전출입자 목록 (주민센터 회신분)", "성명\t생년월일\t전입주소\t전화번호\t전입일자"]
    for _ in range(rows):
        p = s.korean_person(defector=True)
        dob = dates.table_date(rng, p.birth, "yydot" if rng.random() < 0.5 else "dot")
        _label_person(lf, p, with_address=True, dob=dob, hometown=False)
        moved = s.date_between(dt.date(2021, 1, 1), dt.date(2024, 6, 30))
        lines.append(f"{p.full_name}\t{dob}\t{p.address.text}\t{p.mobile}\t{moved:%Y.%m.%d}")
    write_text(path, "\n".join(lines) + "\n", "utf-16", newline="\r\n")


def staff_list_docx(ctx: Ctx, rel: str, rows: int) -> None:
    """직원 비상연락망: names, titles, phones, emails — PII but nobody is exposed (no address)."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    doc = Document()
    doc.add_paragraph(f"직원 비상연락망 ({rng.choice((2023, 2024))}.{rng.randrange(1, 13)}.)")
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("성명", "직위", "휴대전화", "이메일", "내선"), strict=True):
        cell.text = text
    for i in range(1, rows + 1):
        name = s.korean_name().full
        phone, email = s.mobile(), f"staff{i:02d}@hana.example.org"
        lf.add("PERSON", name)
        lf.add("PHONE_NUMBER", phone)
        lf.add("EMAIL_ADDRESS", email)
        cells = table.add_row().cells
        for cell, text in zip(
            cells, (name, rng.choice(STAFF_TITLES), phone, email, str(rng.randrange(200, 300))), strict=True
        ):
            cell.text = text
    doc.add_paragraph("※ 비상시 팀장에게 먼저 연락 바랍니다. 대표번호는 홈페이지 참조.")
    save_document(doc, path)


def staff_list_csv(ctx: Ctx, rel: str, rows: int) -> None:
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    out: list[list[object]] = [["부서", "성명", "직급", "사무실", "휴대폰"]]
    for _ in range(rows):
        name, office, mob = s.korean_name().full, s.landline(), s.mobile()
        for etype, value in (("PERSON", name), ("PHONE_NUMBER", office), ("PHONE_NUMBER", mob)):
            lf.add(etype, value)
        out.append(
            [
                rng.choice(("정착지원팀", "취업지원팀", "행정팀", "교육팀")),
                name,
                rng.choice(STAFF_TITLES),
                office,
                mob,
            ]
        )
    write_text(path, csv_text(out), "cp949")


def english_contacts_csv(ctx: Ctx, rel: str, rows: int) -> None:
    """An en_US volunteer/client contact list with US addresses."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    out: list[list[object]] = [["Name", "Date of Birth", "Address", "Phone", "Email", "Joined"]]
    for _ in range(rows):
        p = s.english_person()
        with_address = rng.random() > 0.15
        dob = f"{p.birth:%m/%d/%Y}" if rng.random() < 0.6 else f"{p.birth:%Y-%m-%d}"
        for etype, value in (
            ("PERSON", p.full_name),
            ("DATE_OF_BIRTH", dob),
            ("PHONE_NUMBER", p.phone),
            ("EMAIL_ADDRESS", p.email),
        ):
            lf.add(etype, value)
        if with_address:
            lf.add("ADDRESS", p.address)
            lf.expose(f"{p.full_name}|{p.birth}")
        joined = s.date_between(dt.date(2021, 1, 1), dt.date(2024, 6, 30))
        out.append([p.full_name, dob, p.address if with_address else "", p.phone, p.email, f"{joined:%m/%d/%Y}"])
    write_text(path, csv_text(out), "utf-8")
