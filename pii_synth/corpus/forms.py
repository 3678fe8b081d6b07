"""Key:value personal cards (신상카드) and docx forms/tables."""

from __future__ import annotations

import datetime as dt

from docx import Document

from pii_synth import dates
from pii_synth.corpus.context import Ctx
from pii_synth.corpus.prose import counselling_entry
from pii_synth.writers import save_document, write_text

NOTES = (
    "중국 체류 기간 중의 경험에 대해 이야기하기를 어려워함.",
    "취업 의욕이 높음.",
    "만성 질환으로 통원 치료 중.",
)


def personal_card_txt(ctx: Ctx, rel: str, *, spaced_keys: bool = False) -> None:
    """[북한이탈주민 신상카드] key: value card for one person, an emergency contact and maybe a spouse."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    p = s.korean_person(defector=True)
    written = s.date_between(dt.date(2022, 1, 1), dt.date(2024, 6, 30))
    dob = dates.table_date(rng, p.birth, rng.choice(("korean", "dot", "dash")))

    def key(k: str) -> str:
        return " ".join(k) if spaced_keys and len(k) <= 4 else k

    lf.add("PERSON", p.full_name)
    lf.add("DATE_OF_BIRTH", dob)
    lf.add("ADDRESS", p.address.text)
    lf.add("PHONE_NUMBER", p.mobile)
    lf.add("EMAIL_ADDRESS", p.email)
    lf.add("ADDRESS", p.hometown, "hometown")
    lf.expose(p.rrn)
    sep = " : " if spaced_keys else ": "
    lines = [
        "[북한이탈주민 신상카드]",
        f"작성일{sep}{written:%Y-%m-%d}",
        "",
        f"{key('이름')}{sep}{p.full_name}",
        f"{key('주민등록번호')}{sep}{lf.rrn(p)}",
        f"{key('생년월일')}{sep}{dob}",
        f"{key('성별')}{sep}{p.sex_ko}",
        f"{key('주소')}{sep}{p.address.text}",
        f"{key('연락처')}{sep}{p.mobile}",
        f"{key('이메일')}{sep}{p.email}",
        f"{key('출신지')}{sep}{p.hometown}",
        f"{key('입국일')}{sep}{(p.entry_date or written):%Y-%m-%d}",
        f"{key('여권번호')}{sep}{lf.add('KR_PASSPORT', p.passport) or '미발급'}",
        f"{key('운전면허번호')}{sep}{lf.add('KR_DRIVER_LICENSE', p.licence) or '-'}",
    ]
    contact = s.korean_person()
    lf.add("PERSON", contact.full_name)
    lf.add("PHONE_NUMBER", contact.mobile)
    lines.append(
        f"{key('비상연락처')}{sep}{contact.full_name} ({rng.choice(('어머니', '언니', '형', '지인'))}) {contact.mobile}"
    )
    if rng.random() < 0.4:
        spouse = s.korean_person(defector=True)
        yy = f"{spouse.birth:%y}년"
        lf.add("PERSON", spouse.full_name)
        lf.add("DATE_OF_BIRTH", yy)
        lines.append(f"{key('가족관계')}{sep}배우자 {spouse.full_name} ({yy}생, 북한 거주)")
    if rng.random() < 0.3:
        child = s.korean_person(child=True)
        frn = s.frn(child.birth, child.male)
        lf.add("PERSON", child.full_name)
        lf.add("KR_FRN", frn)
        lines.append(f"{key('동반자녀')}{sep}{child.full_name} / 외국인등록번호 {frn}")
    lines += [
        "",
        f"특이사항: {rng.choice(NOTES)}",
    ]
    write_text(path, "\n".join(lines) + "\n", "utf-8")


def application_forms_docx(ctx: Ctx, rel: str, persons: int) -> None:
    """정착지원 신청서: one two-column table per applicant, with a child and FRN sometimes."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    doc = Document()
    for _ in range(persons):
        p = s.korean_person(defector=True)
        applied = s.date_between(dt.date(2023, 1, 1), dt.date(2024, 6, 30))
        doc.add_paragraph("정착지원 신청서")
        doc.add_paragraph(f"신청일: {dates.korean_long(applied)}        신청인: {p.full_name} (서명)")
        lf.add("PERSON", p.full_name)
        lf.add("ADDRESS", p.address.text)
        lf.add("PHONE_NUMBER", p.mobile)
        lf.expose(p.rrn)
        rows = [
            ("성명", p.full_name),
            ("주민등록번호", lf.rrn(p)),
            ("주소", p.address.text),
            ("휴대전화", p.mobile),
        ]
        if rng.random() < 0.5:
            child = s.korean_person(child=True)
            frn = s.frn(child.birth, child.male)
            lf.add("PERSON", child.full_name)
            lf.add("KR_FRN", frn)
            rows.append(("동반 자녀", f"{child.full_name} / {frn}"))
        else:
            rows.append(("동반 자녀", "없음"))
        rows.append(("외국인등록번호(해당자)", "-"))
        table = doc.add_table(rows=0, cols=2)
        for k, v in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = k, v
        doc.add_paragraph("")
    save_document(doc, path)


def consent_forms_docx(ctx: Ctx, rel: str, persons: int) -> None:
    """개인정보 수집·이용 동의서 in running text (name, birth date, address in one sentence)."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    doc = Document()
    for _ in range(persons):
        p = s.korean_person(defector=rng.random() < 0.7)
        dob = dates.table_date(rng, p.birth, rng.choice(("korean", "dot")))
        signed = s.date_between(dt.date(2023, 1, 1), dt.date(2024, 6, 30))
        for etype, value in (
            ("PERSON", p.full_name),
            ("DATE_OF_BIRTH", dob),
            ("ADDRESS", p.address.text),
            ("PHONE_NUMBER", p.mobile),
        ):
            lf.add(etype, value)
        lf.expose(p.rrn)
        doc.add_paragraph("개인정보 수집·이용 동의서")
        doc.add_paragraph(
            f"본인 {p.full_name}(생년월일: {dob}, 주소: {p.address.text}, 연락처: {p.mobile})은 "
            "정착지원 서비스 제공을 위한 개인정보 수집·이용에 동의합니다."
        )
        doc.add_paragraph(f"{dates.korean_long(signed)}   동의인 {p.full_name} (인)")
    save_document(doc, path)


def case_meeting_docx(ctx: Ctx, rel: str, entries: int, year: int) -> None:
    """사례회의 자료: prose entries followed by a summary table (name, birth date, address)."""
    s, rng = ctx.synth, ctx.synth.rng
    lf, path = ctx.new(rel)
    doc = Document()
    doc.add_paragraph(f"사례회의 자료 {year}{rng.choice(('상반기', '하반기'))}")
    doc.add_paragraph("작성 부서: 정착지원팀 / 보안등급: 대외비")
    counselor = s.korean_name().full
    for _ in range(entries):
        for line in counselling_entry(ctx, lf, counselor, year):
            doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("이름", "생년월일", "주소", "비고"), strict=True):
        cell.text = text
    for _ in range(rng.randrange(3, 7)):
        p = s.korean_person(defector=True)
        dob = f"{p.birth:%Y.%m.%d}"
        for etype, value in (("PERSON", p.full_name), ("DATE_OF_BIRTH", dob), ("ADDRESS", p.address.text)):
            lf.add(etype, value)
        lf.expose(p.rrn)
        cells = table.add_row().cells
        for cell, text in zip(
            cells, (p.full_name, dob, p.address.text, rng.choice(("종결", "지속관리", "의뢰"))), strict=True
        ):
            cell.text = text
    save_document(doc, path)
