"""The documents of a generated file share: business documents without personal data (negatives)
and a few rosters (positives). Each writer takes the share context, a relative path and returns
nothing; the file is registered (with its labels) in ``ctx.files``."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from html import escape
from xml.sax.saxutils import escape as xml_escape

import openpyxl

from pii_synth import dates
from pii_synth.corpus.context import Ctx
from pii_synth.share import vocab as v
from pii_synth.share.ooxml import DocxWriter
from pii_synth.share.pdf import Block, Para, Table, make_pdf
from pii_synth.share.prose import Prose
from pii_synth.writers import csv_text, save_workbook, write_text

_ZIP_TIME = (2024, 1, 2, 9, 0, 0)


class Share(Ctx):
    """The corpus context plus the prose factory of this share."""

    prose: Prose

    def __init__(self, ctx: Ctx, prose: Prose) -> None:
        super().__init__(docs=ctx.docs, synth=ctx.synth, scale=ctx.scale, files=ctx.files)
        self.prose = prose


# -- blocks of text shared by the formats ------------------------------------------------------------


def number_table(sh: Share, lang: str) -> list[list[str]]:
    """A small table of figures: rows of items or metrics by period."""
    r = sh.prose.rng
    if lang == "ko":
        head = ["구분", *[f"{q}분기" for q in (1, 2, 3, 4)], "합계"]
        labels = r.sample(v.ITEMS + v.METRICS, r.randrange(4, 12))
    else:
        head = ["Item", "Q1", "Q2", "Q3", "Q4", "Total"]
        labels = [m.capitalize() for m in r.sample(v.METRICS_EN, r.randrange(4, 12))]
    rows = [head]
    for label in labels:
        vals = [r.randrange(100, 90_000) for _ in range(4)]
        rows.append([label, *[f"{x:,}" for x in vals], f"{sum(vals):,}"])
    return rows


def report_blocks(sh: Share, lang: str, paragraphs: int) -> tuple[str, list[Block]]:
    """Title and body of a long report: headings, paragraphs, tables of figures."""
    p, r = sh.prose, sh.prose.rng
    if lang == "ko":
        kind = r.choice(("추진 현황 보고", "결과 보고서", "중간 점검 보고", "분석 보고서"))
        title = f"{p.year}년 {r.choice(v.PROJECTS)} {kind}"
        doc_no = f"{r.choice(v.DEPTS)[:2]}-{p.year}-{r.randrange(1, 999):03d}"
        meta = f"작성 부서: {r.choice(v.DEPTS)} / 보고일: {p.ko_date()} / 문서번호: {doc_no}"
    else:
        kind = r.choice(("quarterly report", "status report", "review", "business case"))
        title = f"{r.choice(v.PROJECTS_EN).capitalize()} - {kind} {p.year}"
        ref = f"{r.choice(('FIN', 'OPS', 'IT', 'QA'))}-{r.randrange(100, 999)}"
        meta = f"Prepared by {r.choice(v.DEPTS_EN)} | {p.en_date()} | Ref. {ref}"
    blocks: list[Block] = [Para(title, 16), Para(meta, 9)]
    n = 0
    section = 1
    while n < paragraphs:
        blocks.append(Para(f"{section}. {p.heading(lang)}", 12))
        section += 1
        for _ in range(r.randrange(3, 9)):
            blocks.append(Para(p.paragraph(lang)))
            n += 1
        if r.random() < 0.35:
            blocks.append(Table(number_table(sh, lang)))
    return title, blocks


def minutes_blocks(sh: Share, lang: str) -> tuple[str, list[Block]]:
    """Meeting minutes: attendees by role only, agenda, discussion, decisions, actions."""
    p, r = sh.prose, sh.prose.rng
    roles = r.sample(v.ROLES if lang == "ko" else v.ROLES_EN, r.randrange(3, 7))
    if lang == "ko":
        title = f"{r.choice(('운영위원회', '주간 업무', '품질 개선', '예산 심의', '안전보건위원회', 'TF'))} 회의록"
        head = [
            f"일시: {p.ko_date()} {r.randrange(9, 18)}:{r.choice(('00', '30'))}",
            f"장소: {r.choice(v.ROOMS)}",
            f"참석: {', '.join(roles)} (총 {len(roles) + r.randrange(0, 6)}명)",
        ]
        actions = [["번호", "조치 사항", "담당", "기한"]] + [
            [str(i + 1), r.choice(v.ACTIONS_KO), r.choice(v.DEPTS), p.ko_date()] for i in range(r.randrange(3, 8))
        ]
        sections = ("안건", "논의 내용", "결정 사항")
    else:
        title = f"{r.choice(('Steering committee', 'Weekly operations', 'Budget review', 'Safety committee'))} minutes"
        head = [
            f"Date: {p.en_date()}",
            f"Location: {r.choice(('Room 3A', 'Teams call', 'Plant 2 office', 'HQ boardroom'))}",
            f"Present: {', '.join(roles)}",
        ]
        actions = [["#", "Action", "Owner", "Due"]] + [
            [str(i + 1), r.choice(v.ACTIONS_EN), r.choice(v.DEPTS_EN), p.en_date()] for i in range(r.randrange(3, 8))
        ]
        sections = ("Agenda", "Discussion", "Decisions")
    blocks: list[Block] = [Para(title, 14), *(Para(h, 10) for h in head)]
    for s in sections:
        blocks.append(Para(s, 12))
        for _ in range(r.randrange(2, 7)):
            blocks.append(Para(p.paragraph(lang, 1, 4)))
    blocks.append(Table(actions))
    return title, blocks


_ARTICLES = (
    "목적",
    "정의",
    "적용 범위",
    "책임과 권한",
    "승인 절차",
    "예산의 집행",
    "계약의 체결",
    "검수",
    "보안 관리",
    "문서의 보존",
    "위반 시 조치",
    "교육",
    "예외",
    "시행일",
)


def policy_blocks(sh: Share, lang: str) -> tuple[str, list[Block]]:
    """A policy text: articles with numbered clauses."""
    p, r = sh.prose, sh.prose.rng
    if lang == "ko":
        title = f"{r.choice(('구매관리', '정보보안', '출장비 지급', '자산관리', '문서관리', '협력사 관리'))} 규정"
        blocks: list[Block] = [Para(title, 14), Para(f"제정 {p.ko_date()} / 개정 {p.ko_date()}", 9)]
        for i, name in enumerate(r.sample(_ARTICLES, r.randrange(6, len(_ARTICLES))), start=1):
            blocks.append(Para(f"제{i}조({name})", 11))
            for k in range(r.randrange(1, 4)):
                blocks.append(Para(f"{'①②③'[k]} {p.paragraph(lang, 1, 3)}"))
    else:
        title = f"{r.choice(('Procurement', 'Information security', 'Travel and expenses', 'Asset management'))} policy"
        blocks = [Para(title, 14), Para(f"Effective {p.en_date()}; last reviewed {p.en_date()}", 9)]
        for i in range(1, r.randrange(6, 14)):
            blocks.append(Para(f"Section {i}", 11))
            for k in range(r.randrange(1, 4)):
                blocks.append(Para(f"{i}.{k + 1} {p.paragraph(lang, 1, 3)}"))
    return title, blocks


def any_blocks(sh: Share, lang: str, lo: int, hi: int) -> tuple[str, list[Block]]:
    """A report of lo..hi paragraphs, a policy or minutes."""
    pick = sh.prose.rng.randrange(3)
    if pick == 0:
        return report_blocks(sh, lang, sh.prose.rng.randrange(lo, hi))
    return policy_blocks(sh, lang) if pick == 1 else minutes_blocks(sh, lang)


# -- writers ------------------------------------------------------------------------------------------


def _docx(blocks: list[Block], path_rel: str, sh: Share) -> None:
    _, path = sh.new(path_rel, negative=True)
    doc = DocxWriter()
    for b in blocks:
        if isinstance(b, Para):
            if b.size >= 14:
                doc.heading(b.text, 0)
            elif b.size >= 11:
                doc.heading(b.text, 1)
            else:
                doc.paragraph(b.text)
        else:
            doc.table(b.rows)
    path.write_bytes(doc.bytes())


def _pdf(blocks: list[Block], title: str, path_rel: str, sh: Share) -> None:
    _, path = sh.new(path_rel, negative=True)
    path.write_bytes(make_pdf(blocks, title))


def report(sh: Share, rel: str, lang: str, fmt: str) -> None:
    title, blocks = report_blocks(sh, lang, sh.prose.rng.randrange(40, 260))
    (_docx(blocks, rel, sh) if fmt == "docx" else _pdf(blocks, title, rel, sh))


def minutes(sh: Share, rel: str, lang: str, fmt: str) -> None:
    title, blocks = minutes_blocks(sh, lang)
    (_docx(blocks, rel, sh) if fmt == "docx" else _pdf(blocks, title, rel, sh))


def policy(sh: Share, rel: str, lang: str, fmt: str) -> None:
    title, blocks = policy_blocks(sh, lang)
    (_docx(blocks, rel, sh) if fmt == "docx" else _pdf(blocks, title, rel, sh))


def price_list(sh: Share, rel: str, lang: str, fmt: str) -> None:
    """Price list: product codes, specs, unit prices, barcodes, suppliers (xlsx, csv or pdf)."""
    p, r = sh.prose, sh.prose.rng
    from pii_synth import ids

    head = (
        ["품목코드", "품명", "규격", "단위", "단가(원)", "바코드", "공급사", "비고"]
        if lang == "ko"
        else ["SKU", "Product", "Spec", "Unit", "Unit price (USD)", "EAN-13", "Supplier", "Note"]
    )
    rows: list[list[object]] = []
    for _ in range(r.randrange(80, 900)):
        if lang == "ko":
            rows.append(
                [
                    p.code(),
                    r.choice(v.PRODUCTS),
                    f"{r.randrange(1, 500)}{r.choice(('mm', 'kg', 'L', 'EA', 'm'))}",
                    r.choice(("EA", "BOX", "SET", "M", "KG")),
                    r.randrange(100, 900_000) * 10,
                    ids.ean13(r),
                    p.company(),
                    r.choice(("", "", "단종 예정", "신규", "가격 인상", f"MOQ {r.randrange(10, 500)}")),
                ]
            )
        else:
            rows.append(
                [
                    p.code(),
                    p.fill("{product_en}", "en"),
                    f"{r.randrange(1, 500)} {r.choice(('mm', 'kg', 'L', 'pcs'))}",
                    r.choice(("EA", "BOX", "SET")),
                    round(r.randrange(100, 900_000) / 100, 2),
                    ids.ean13(r, "880"),
                    p.company_en(),
                    r.choice(("", "", "EOL", "new", f"MOQ {r.randrange(10, 500)}")),
                ]
            )
    _table_file(sh, rel, fmt, head, rows, "단가표" if lang == "ko" else "Price list")


def budget(sh: Share, rel: str, lang: str, fmt: str) -> None:
    """Budget by department and month (xlsx: one sheet per department)."""
    p, r = sh.prose, sh.prose.rng
    months = (
        [f"{m}월" for m in range(1, 13)]
        if lang == "ko"
        else [f"{m:%b}" for m in (dt.date(2024, k, 1) for k in range(1, 13))]
    )
    head = ["항목" if lang == "ko" else "Line", *months, "합계" if lang == "ko" else "Total"]
    depts = r.sample(v.DEPTS if lang == "ko" else v.DEPTS_EN, r.randrange(2, 8))
    if fmt != "xlsx":
        rows: list[list[object]] = []
        for d in depts:
            for item in r.sample(v.ITEMS, r.randrange(5, 15)):
                vals = [r.randrange(0, 50_000) * 1000 for _ in range(12)]
                rows.append([f"{d} / {item}", *vals, sum(vals)])
        _table_file(sh, rel, fmt, head, rows, f"{p.year} budget")
        return
    _, path = sh.new(rel, negative=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for d in depts:
        ws = wb.create_sheet(d[:28])
        ws.append([f"{p.year}년 {d} 예산" if lang == "ko" else f"{p.year} budget - {d}"])
        ws.append(head)
        for item in r.sample(v.ITEMS if lang == "ko" else v.ITEMS, r.randrange(8, len(v.ITEMS))):
            vals = [r.randrange(0, 50_000) * 1000 for _ in range(12)]
            ws.append([item, *vals, sum(vals)])
        ws.append([])
        ws.append(["비고" if lang == "ko" else "Notes", p.paragraph(lang, 1, 3)])
    save_workbook(wb, path)


def schedule(sh: Share, rel: str, lang: str, fmt: str) -> None:
    """Project schedule: tasks, owning departments, date cells (not birth dates), progress."""
    p, r = sh.prose, sh.prose.rng
    head = (
        ["WBS", "작업", "담당 부서", "시작일", "종료일", "진척률", "상태"]
        if lang == "ko"
        else ["WBS", "Task", "Owner", "Start", "End", "Progress", "Status"]
    )
    rows: list[list[object]] = []
    for i in range(r.randrange(40, 400)):
        start = p.date()
        end = start + dt.timedelta(days=r.randrange(3, 120))
        if lang == "ko":
            phase = r.choice(("요구사항 정의", "설계", "개발", "시험", "이관", "교육", "안정화", "검수"))
            task = f"{r.choice(v.PROJECTS)} - {phase}"
            owner, status = r.choice(v.DEPTS), r.choice(("진행", "완료", "지연", "대기"))
        else:
            phase = r.choice(("requirements", "design", "build", "test", "cutover", "training"))
            task = f"{r.choice(v.PROJECTS_EN)} - {phase}"
            owner, status = r.choice(v.DEPTS_EN), r.choice(("on track", "done", "late", "not started"))
        rows.append([f"{i // 10 + 1}.{i % 10 + 1}", task, owner, start, end, f"{r.randrange(0, 101)}%", status])
    _table_file(sh, rel, fmt, head, rows, "일정" if lang == "ko" else "Schedule")


def inventory(sh: Share, rel: str, lang: str, fmt: str) -> None:
    """Warehouse inventory: SKU, location, lot, quantities, expiry and count dates."""
    p, r = sh.prose, sh.prose.rng
    head = (
        ["SKU", "품명", "창고", "로케이션", "LOT", "수량", "유통기한", "최종실사일"]
        if lang == "ko"
        else ["SKU", "Item", "Warehouse", "Bin", "Lot", "Qty", "Expiry", "Last count"]
    )
    rows: list[list[object]] = []
    for _ in range(r.randrange(200, 2500)):
        rows.append(
            [
                p.code(),
                r.choice(v.PRODUCTS) if lang == "ko" else p.fill("{product_en}", "en"),
                r.choice(v.PLACES) if lang == "ko" else r.choice(v.CITIES_EN),
                f"{r.choice('ABCDEFGH')}-{r.randrange(1, 40):02d}-{r.randrange(1, 12):02d}",
                f"L{p.year % 100}{r.randrange(1, 13):02d}{r.randrange(1, 9999):04d}",
                r.randrange(0, 20_000),
                (p.date() + dt.timedelta(days=365)).isoformat(),
                p.date().isoformat(),
            ]
        )
    _table_file(sh, rel, fmt, head, rows, "재고" if lang == "ko" else "Inventory")


def _table_file(sh: Share, rel: str, fmt: str, head: list[str], rows: list[list[object]], title: str) -> None:
    _, path = sh.new(rel, negative=True)
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = title[:28]
        ws.append(head)
        for row in rows:
            ws.append(row)
        save_workbook(wb, path)
    elif fmt in ("csv", "tsv"):
        text = csv_text([head, *([_cell(c) for c in row] for row in rows)], "\t" if fmt == "tsv" else ",")
        write_text(path, text, "utf-8-sig" if sh.prose.rng.random() < 0.5 else "cp949")
    else:
        table = [head, *([_cell(c) for c in row] for row in rows)]
        blocks: list[Block] = [Para(title, 14)]
        blocks += [Table(table[i : i + 40]) for i in range(0, len(table), 40)]
        path.write_bytes(make_pdf(blocks, title))


def _cell(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}" if value >= 10_000 else str(value)
    return str(value)


def deck(sh: Share, rel: str, lang: str, fmt: str) -> None:
    """A slide deck: title slide, then slides of bullets and a table."""
    from pptx import Presentation
    from pptx.util import Inches

    p, r = sh.prose, sh.prose.rng
    _, path = sh.new(rel, negative=True)
    prs = Presentation()
    title, blocks = report_blocks(sh, lang, r.randrange(10, 50))
    s = prs.slides.add_slide(prs.slide_layouts[0])
    s.shapes.title.text = title
    s.placeholders[1].text = p.ko_date() if lang == "ko" else p.en_date()
    current = None
    for b in blocks[2:]:
        if isinstance(b, Para) and b.size >= 11:
            current = prs.slides.add_slide(prs.slide_layouts[1])
            current.shapes.title.text = b.text
            current.placeholders[1].text_frame.text = ""
        elif isinstance(b, Para) and current is not None:
            para = current.placeholders[1].text_frame.add_paragraph()
            para.text = b.text
        elif isinstance(b, Table):
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            slide.shapes.title.text = "수치 요약" if lang == "ko" else "Figures"
            ncols = len(b.rows[0])
            shape = slide.shapes.add_table(len(b.rows), ncols, Inches(0.5), Inches(1.5), Inches(9), Inches(4))
            for ri, row in enumerate(b.rows):
                for ci, text in enumerate(row):
                    shape.table.cell(ri, ci).text = text
    out = io.BytesIO()
    prs.core_properties.created = dt.datetime(2024, 1, 2, 9, 0, 0)
    prs.core_properties.modified = dt.datetime(2024, 1, 2, 9, 0, 0)
    prs.core_properties.last_modified_by = "pii_synth share"
    prs.save(out)
    path.write_bytes(out.getvalue())
    from pii_synth.writers import normalize_zip

    normalize_zip(path)


_HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
_HS = "http://www.hancom.co.kr/hwpml/2011/section"


def _hp(text: str) -> str:
    return f"<hp:p><hp:run><hp:t>{xml_escape(text)}</hp:t></hp:run></hp:p>"


def hwpx_doc(sh: Share, rel: str, lang: str, fmt: str) -> None:
    """An official letter (공문) or report in HWPX: paragraphs and tables in section0.xml."""
    p, r = sh.prose, sh.prose.rng
    _, path = sh.new(rel, negative=True)
    _, blocks = any_blocks(sh, "ko", 20, 120)
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="{_HS}" xmlns:hp="{_HP}">']
    parts.append(_hp(f"수신: {r.choice(v.PUBLIC_ORGS)} / 발신: {p.company()} {r.choice(v.DEPTS)}"))
    for b in blocks:
        if isinstance(b, Para):
            parts.append(_hp(b.text))
        else:
            cells = []
            for ri, row in enumerate(b.rows):
                cells.append("<hp:tr>")
                for ci, text in enumerate(row):
                    cells.append(
                        f"<hp:tc><hp:subList>{_hp(text)}</hp:subList>"
                        f'<hp:cellAddr colAddr="{ci}" rowAddr="{ri}"/></hp:tc>'
                    )
                cells.append("</hp:tr>")
            parts.append(
                f'<hp:p><hp:run><hp:tbl rowCnt="{len(b.rows)}" colCnt="{len(b.rows[0])}">'
                f"{''.join(cells)}</hp:tbl><hp:t/></hp:run></hp:p>"
            )
    parts.append("</hs:sec>")
    members = [
        ("mimetype", "application/hwp+zip"),
        ("version.xml", '<?xml version="1.0"?><hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version"/>'),
        ("Contents/header.xml", '<?xml version="1.0"?><hh:head xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head"/>'),
        ("Contents/section0.xml", "".join(parts)),
        ("Contents/content.hpf", '<?xml version="1.0"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf/"/>'),
        (
            "META-INF/container.xml",
            '<?xml version="1.0"?><ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container"/>',
        ),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, body) in enumerate(members):
            z.writestr(zipfile.ZipInfo(name, _ZIP_TIME), body, zipfile.ZIP_STORED if i == 0 else zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def web_doc(sh: Share, rel: str, lang: str, fmt: str) -> None:
    """An intranet page (html), a wiki page (md) or a notice (txt)."""
    _, path = sh.new(rel, negative=True)
    title, blocks = any_blocks(sh, lang, 8, 60)
    out: list[str] = []
    if fmt == "html":
        out.append(
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body>"
        )
        for b in blocks:
            if isinstance(b, Para):
                tag = "h1" if b.size >= 14 else "h2" if b.size >= 11 else "p"
                out.append(f"<{tag}>{escape(b.text)}</{tag}>")
            else:
                out.append(
                    "<table>"
                    + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in b.rows)
                    + "</table>"
                )
        out.append("</body></html>")
    else:
        for b in blocks:
            if isinstance(b, Para):
                prefix = ("# " if b.size >= 14 else "## " if b.size >= 11 else "") if fmt == "md" else ""
                out.append(prefix + b.text + "\n")
            elif fmt == "md":
                out.append("| " + " | ".join(b.rows[0]) + " |\n|" + "---|" * len(b.rows[0]))
                out.extend("| " + " | ".join(row) + " |" for row in b.rows[1:])
                out.append("")
            else:
                out.extend("\t".join(row) for row in b.rows)
                out.append("")
    write_text(path, "\n".join(out) + "\n", "utf-8")


# -- rosters (the people of the share) ------------------------------------------------------------------

ROSTER_KINDS = (
    "교육 참가자 명단",
    "경조사 지원 대상자",
    "협력사 출입자 명단",
    "동호회 회원 명부",
    "건강검진 대상자",
    "기숙사 입사자 명단",
)


def roster(sh: Share, rel: str, fmt: str, rows: int) -> None:
    """A roster of people: names, birth dates, addresses, phones, sometimes RRNs. Labelled."""
    s, r = sh.synth, sh.prose.rng
    lf, path = sh.new(rel)
    with_rrn = r.random() < 0.35
    head = ["번호", "성명", "생년월일", "주소", "휴대전화", "부서"] + (["주민등록번호"] if with_rrn else [])
    table: list[list[object]] = [list(head)]
    for i in range(rows):
        person = s.korean_person()
        lf.add("PERSON", person.full_name)
        birth: object
        if fmt == "xlsx":
            birth = dt.datetime(person.birth.year, person.birth.month, person.birth.day)
            lf.add("DATE_OF_BIRTH", f"{person.birth:%Y-%m-%d}")
        else:
            birth = dates.table_date(s.rng, person.birth)
            lf.add("DATE_OF_BIRTH", str(birth))
        lf.add("ADDRESS", person.address.text)
        lf.add("PHONE_NUMBER", person.mobile)
        lf.expose(person.rrn)
        row: list[object] = [i + 1, person.full_name, birth, person.address.text, person.mobile, r.choice(v.DEPTS)]
        if with_rrn:
            row.append(lf.rrn(person))
        table.append(row)
    title = r.choice(ROSTER_KINDS)
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "명단"
        for row in table:
            ws.append(row)
        save_workbook(wb, path)
    elif fmt == "csv":
        write_text(path, csv_text(table), "utf-8-sig" if r.random() < 0.5 else "cp949")
    else:
        doc = DocxWriter()
        doc.heading(title, 0)
        doc.paragraph(f"작성: {r.choice(v.DEPTS)} / {sh.prose.ko_date()}")
        doc.table([[str(c) for c in row] for row in table])
        path.write_bytes(doc.bytes())
