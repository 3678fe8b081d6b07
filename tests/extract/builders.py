"""Synthetic fixture files, built in memory. All people are made up (Faker ko_KR, fixed seed)."""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.document import Document
from faker import Faker
from openpyxl import Workbook

fake = Faker("ko_KR")
Faker.seed(20240315)

PEOPLE = [(fake.name(), fake.address().replace("\n", " "), f"010-{1000 + i:04d}-{2000 + i:04d}") for i in range(5)]
BIG_ID = 9001011234568  # 13 digits: must not come back as 9001011234568.0


def xlsx_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "명단"
    ws.append(["2024년 교육생 명단 (대외비)"])  # a title row above the header
    ws.append(["성명", "생년월일", "주소", "연락처", "번호", "점수"])
    for i, (name, address, phone) in enumerate(PEOPLE):
        ws.append([name, dt.datetime(1980 + i, 1, 2), address, phone, BIG_ID + i, 3.0 if i else 2.5])
    ws["B4"] = dt.datetime(1981, 1, 2, 13, 45)  # a date with a time keeps it
    stats = wb.create_sheet("통계")
    stats.append([2019, 1047])  # numbers first: no header
    stats.append([2020, 229])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    doc: Document = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "대외비 - 정착지원팀"
    doc.sections[0].footer.paragraphs[0].text = "담당: 홍길동 010-9999-0000"
    doc.add_paragraph("정착지원 신청서")
    doc.add_paragraph(f"신청인 {PEOPLE[0][0]}은 면담을 요청하였다.")
    doc.add_paragraph("")
    doc.add_paragraph("아래 명단을 확인한다.")
    roster = doc.add_table(rows=1, cols=3)
    for cell, label in zip(roster.rows[0].cells, ["성명", "주소", "연락처"], strict=True):
        cell.text = label
    for name, address, phone in PEOPLE[:2]:
        row = roster.add_row().cells
        row[0].text, row[1].text, row[2].text = name, address, phone
    doc.add_paragraph("신청서 양식:")
    form = doc.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        form.rows, [("성명", PEOPLE[2][0]), ("주소", PEOPLE[2][1]), ("연락처", PEOPLE[2][2])], strict=True
    ):
        row.cells[0].text, row.cells[1].text = label, value
    wide = doc.add_table(rows=2, cols=4)
    values = [
        ("성명", PEOPLE[3][0], "생년월일", "1980-01-01"),
        ("주소", PEOPLE[3][1], "연락처", PEOPLE[3][2]),
    ]
    for row, texts in zip(wide.rows, values, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    merged = doc.add_table(rows=2, cols=3)
    top = merged.cell(0, 0).merge(merged.cell(0, 1))
    top.text = "인적사항"
    merged.cell(0, 2).text = "비고"
    for cell, text in zip(merged.rows[1].cells, [PEOPLE[4][0], PEOPLE[4][2], "없음"], strict=True):
        cell.text = text
    doc.add_paragraph("끝.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def csv_text() -> str:
    lines = ["성명,주소,연락처,메모"]
    for i, (name, address, phone) in enumerate(PEOPLE):
        memo = '"첫 줄\n둘째 줄"' if i == 1 else "없음"
        lines.append(f'{name},"{address}",{phone},{memo}')
    return "\r\n".join(lines) + "\r\n"
