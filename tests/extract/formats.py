"""Synthetic documents of every format, built in memory with made-up Korean people (Faker ko_KR,
fixed seed; RRNs made with the real check-digit rule)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

import docx
import xlwt
from faker import Faker
from pptx import Presentation
from pptx.util import Inches

from . import hwp_writer as hw

_fake = Faker("ko_KR")
_fake.seed_instance(4242)


def rrn(birth: dt.date, male: bool, serial: int) -> str:
    """A resident registration number that passes the checksum (century digit 1/2 or 3/4)."""
    gender = (1 if male else 2) + (2 if birth.year >= 2000 else 0)
    digits = f"{birth:%y%m%d}{gender}{serial % 100000:05d}"
    total = sum(int(d) * w for d, w in zip(digits, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True))
    return f"{digits[:6]}-{digits[6:]}{(11 - total % 11) % 10}"


@dataclass(frozen=True)
class Person:
    name: str
    birth: dt.date
    address: str
    rrn: str
    phone: str


def _people(n: int) -> list[Person]:
    out = []
    for i in range(n):
        birth = _fake.date_between(dt.date(1950, 1, 1), dt.date(2005, 12, 31))
        out.append(Person(_fake.name(), birth, _fake.address().replace("\n", " "), rrn(birth, i % 2 == 0, 1234 + i),
                          f"010-{2000 + i:04d}-{3000 + i:04d}"))  # fmt: skip
    return out


PEOPLE = _people(4)
P0, P1, P2, P3 = PEOPLE


def zip_bytes(members: list[tuple[str, bytes | str]], stored_first: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, body) in enumerate(members):
            method = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), body, compress_type=method)
    return out.getvalue()


# --- HWP ---------------------------------------------------------------------------------------


def hwp_bytes() -> bytes:
    long_text = f"{P2.name}의 진술서. " + "가나다라마바사 " * 400  # > 4095 bytes: the extended record size
    body = (
        hw.paragraph("정착지원 대상자 명단")
        + hw.paragraph(f"신청인 {P0.name}{hw.inline_control(3)}(생년월일 {P0.birth:%Y-%m-%d}){hw.inline_control(4)}")
        + hw.paragraph(f"주소:\t{P0.address}\n주민등록번호: {P0.rrn}".replace("\t", hw.inline_control(9)))
        + hw.paragraph("")
        + hw.table(
            [["성명", "생년월일", "주소", "주민등록번호"]]
            + [[p.name, f"{p.birth:%Y-%m-%d}", p.address, p.rrn] for p in PEOPLE[1:3]]
        )  # fmt: skip
        + hw.paragraph(long_text)
        + hw.paragraph("끝\uf53a")  # a Hancom private-use glyph
    )
    return hw.hwp_file(body)


# --- HWPX --------------------------------------------------------------------------------------

_HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
_HS = "http://www.hancom.co.kr/hwpml/2011/section"


def _hp(text: str, inner: str = "") -> str:
    return f"<hp:p><hp:run><hp:t>{escape(text)}</hp:t>{inner}</hp:run></hp:p>"


def _hwpx_table(rows: list[list[str]]) -> str:
    out = [f'<hp:tbl rowCnt="{len(rows)}" colCnt="{len(rows[0])}">']
    for r, row in enumerate(rows):
        out.append("<hp:tr>")
        for c, text in enumerate(row):
            out.append(f'<hp:tc><hp:subList>{_hp(text)}</hp:subList><hp:cellAddr colAddr="{c}" rowAddr="{r}"/></hp:tc>')
        out.append("</hp:tr>")
    out.append("</hp:tbl>")
    return "".join(out)


def hwpx_bytes() -> bytes:
    people = [[p.name, f"{p.birth:%Y-%m-%d}", p.address] for p in PEOPLE[:2]]
    table = _hwpx_table([["성명", "생년월일", "주소"], *people])
    textbox = f"<hp:rect><hp:drawText><hp:subList>{_hp('글상자: ' + P3.name)}</hp:subList></hp:drawText></hp:rect>"
    section = (
        f'<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="{_HS}" xmlns:hp="{_HP}">'
        + _hp("교육생 명단")
        + f"<hp:p><hp:run><hp:t>신청인 {P2.name}<hp:tab/>{P2.rrn}<hp:lineBreak/>"
        + f"{escape(P2.address)}</hp:t></hp:run></hp:p>"
        + f"<hp:p><hp:run>{table}<hp:t/></hp:run></hp:p>"
        + _hp("다음 문단", textbox)
        + "</hs:sec>"
    )
    return hwpx_bytes_with(section)


HP, HS, hp = _HP, _HS, _hp  # for tests that write sections of their own


def hwpx_bytes_with(section: str) -> bytes:
    """An HWPX package whose only section is `section` (XML, without the declaration is fine)."""
    return zip_bytes([
        ("mimetype", "application/hwp+zip"),
        ("version.xml", '<?xml version="1.0"?><hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version"/>'),
        ("Contents/header.xml", '<?xml version="1.0"?><hh:head xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head"/>'),
        ("Contents/section0.xml", section),
        ("Contents/content.hpf", '<?xml version="1.0"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf/"/>'),
        ("META-INF/container.xml",
         '<?xml version="1.0"?><ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container"/>'),
    ])  # fmt: skip


# --- XLS, PPTX ---------------------------------------------------------------------------------


def xls_bytes() -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("명단")
    sheet.write(0, 0, "2024년 명단")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, label in enumerate(["성명", "생년월일", "주소", "주민등록번호", "번호"]):
        sheet.write(1, c, label)
    for r, p in enumerate(PEOPLE, start=2):
        sheet.write(r, 0, p.name)
        sheet.write(r, 1, dt.datetime.combine(p.birth, dt.time()), date_style)
        sheet.write(r, 2, p.address)
        sheet.write(r, 3, p.rrn)
        sheet.write(r, 4, 9001011234568 + r)
    other = book.add_sheet("통계")
    other.write(0, 0, 2019)
    other.write(0, 1, 1047)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def encrypted_xls_bytes() -> bytes:
    """xlwt cannot encrypt: turn its WRITEACCESS record into a FILEPASS record of the same length."""
    data = xls_bytes()
    assert data.count(b"\x5c\x00\x70\x00") == 1
    return data.replace(b"\x5c\x00\x70\x00", b"\x2f\x00\x70\x00")


def pptx_bytes() -> bytes:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "정착 지원 대상자"
    shape = slide.shapes.add_table(3, 3, Inches(1), Inches(1.5), Inches(8), Inches(2))
    for r, row in enumerate([["성명", "주소", "주민등록번호"]] + [[p.name, p.address, p.rrn] for p in PEOPLE[:2]]):
        for c, text in enumerate(row):
            shape.table.cell(r, c).text = text
    slide.notes_slide.notes_text_frame.text = f"메모: {P2.name} {P2.phone}"
    second = deck.slides.add_slide(deck.slide_layouts[6])
    group = second.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(1), Inches(5), Inches(1))
    box.text_frame.text = f"{P3.name}, {P3.address}"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# --- ODF ---------------------------------------------------------------------------------------

_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
)


def _odf(kind: str, body: str, manifest_extra: str = "") -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS}>'
               f"<office:body>{body}</office:body></office:document-content>")  # fmt: skip
    manifest = (f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {_ODF_NS}>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}'
                "</manifest:file-entry></manifest:manifest>")  # fmt: skip
    return zip_bytes([("mimetype", f"application/vnd.oasis.opendocument.{kind}"), ("content.xml", content),
                      ("META-INF/manifest.xml", manifest)])  # fmt: skip


def _odf_row(cells: list[str], repeat: int = 1) -> str:
    inner = "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in cells)
    attr = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{attr}>{inner}</table:table-row>"


def odt_bytes(encrypted: bool = False) -> bytes:
    people = "".join(_odf_row([p.name, p.address, p.rrn]) for p in PEOPLE[:2])
    rows = _odf_row(["성명", "주소", "주민등록번호"]) + people
    body = (
        "<office:text><text:h>교육생 명단</text:h>"
        f'<text:p>신청인 <text:span>{P2.name}</text:span><text:s text:c="2"/>{P2.rrn}'
        f"<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>각주: {P3.name}</text:p>"
        "</text:note-body></text:note><text:line-break/>"
        f"{escape(P2.address)}</text:p>"
        f"<table:table table:name='표1'><table:table-column/>{rows}</table:table>"
        "<text:list><text:list-item><text:p>목록 항목</text:p></text:list-item></text:list>"
        "</office:text>"
    )
    extra = '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>' if encrypted else ""
    return _odf("text", body, extra)


def ods_bytes() -> bytes:
    header = _odf_row(["성명", "생년월일", "주소", "번호"])
    rows = "".join(
        "<table:table-row>"
        f"<table:table-cell office:value-type='string'><text:p>{p.name}</text:p></table:table-cell>"
        f"<table:table-cell office:value-type='date' office:date-value='{p.birth.isoformat()}'>"
        f"<text:p>{p.birth:%d/%m/%y}</text:p></table:table-cell>"
        f"<table:table-cell><text:p>{escape(p.address)}</text:p></table:table-cell>"
        "<table:table-cell office:value-type='float' office:value='9001011234568'>"
        "<text:p>9.00101E+12</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated='16380'/>"
        "</table:table-row>"
        for p in PEOPLE[:3]
    )
    empty = ("<table:table-row table:number-rows-repeated='1048000'>"
             "<table:table-cell table:number-columns-repeated='1024'/></table:table-row>")  # fmt: skip
    repeated = _odf_row([P0.phone, "반복"], repeat=5000)
    body = (f"<office:spreadsheet><table:table table:name='명단'>{header}{rows}{empty}</table:table>"
            f"<table:table table:name='반복'>{repeated}</table:table></office:spreadsheet>")  # fmt: skip
    return _odf("spreadsheet", body)


# --- RTF, HTML, JSON, XML ----------------------------------------------------------------------


def _rtf_escape(text: str) -> str:
    return "".join(f"\\'{b:02x}" for b in text.encode("cp949"))


def rtf_bytes() -> bytes:
    return (
        "{\\rtf1\\ansi\\ansicpg949\\deff0{\\fonttbl{\\f0\\fcharset129 Batang;}}\\f0\\fs20 "
        f"{_rtf_escape('성명: ' + P0.name)}\\par "
        f"{_rtf_escape('주소: ' + P0.address)}\\par "
        f"RRN {P0.rrn}\\par\\par "
        f"\\uc1\\u{ord(P1.name[0])}?\\u{ord(P1.name[1])}?{_rtf_escape(P1.name[2:])}\\par "
        "{\\*\\generator Riched20;}}"
    ).encode("ascii")


def html_bytes(charset: str = "euc-kr") -> bytes:
    rows = "".join(f"<tr><td>{p.name}</td><td>{escape(p.address)}</td><td>{p.rrn}</td></tr>" for p in PEOPLE[:2])
    page = (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>명단</title>\n'
        f'<style>td {{ color: red }}</style><script>var secret = "{P3.name}";</script></head>\n<body>\n'
        "<h1>교육생 명단</h1>\n"
        f"<p>신청인 &lt;{P2.name}&gt; &amp; 가족<br>주민번호 {P2.rrn}</p>\n"
        f"<div>주소: {escape(P2.address)}</div>\n"
        "<table>\n<tr><th>성명</th><th>주소</th><th>주민등록번호</th></tr>\n"
        f"{rows}\n</table>\n<p>끝&nbsp;</p>\n</body></html>\n"
    )
    return page.encode("cp949" if charset == "euc-kr" else charset)


def json_bytes() -> bytes:
    document = {
        "title": "교육생 명단",
        "people": [
            {
                "name": p.name,
                "birth": p.birth.isoformat(),
                "rrn": p.rrn,
                "address": {"full": p.address, "zip": "03000"},
                "phones": [p.phone],
            }
            for p in PEOPLE[:2]
        ],  # fmt: skip
    }
    return json.dumps(document, ensure_ascii=True, indent=2).encode()  # \uXXXX escapes for Hangul


def jsonl_bytes() -> bytes:
    return "".join(json.dumps({"name": p.name, "rrn": p.rrn}, ensure_ascii=False) + "\n" for p in PEOPLE).encode()


def xml_bytes(encoding: str = "utf-8") -> bytes:
    people = "".join(
        f'\n  <person id="{i}">\n    <name>{p.name}</name>\n    <birth>{p.birth.isoformat()}</birth>\n'
        f"    <address>{escape(p.address)}</address>\n    <rrn>{p.rrn}</rrn>\n  </person>"
        for i, p in enumerate(PEOPLE[:2], start=1)
    )
    note = f"  <note>비고: <b>{P2.name}</b> 면담</note>"
    text = f'<?xml version="1.0" encoding="{encoding}"?>\n<roster year="2024">{people}\n{note}\n</roster>\n'
    return text.encode("cp949" if encoding == "euc-kr" else encoding)


# --- DOCX with comments, tracked changes, notes and text boxes ---------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (f'xmlns:w="{_W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:v="urn:schemas-microsoft-com:vml" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')  # fmt: skip


def _wp(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{escape(text)}</w:t></w:r></w:p>"


def docx_extras_bytes() -> bytes:
    base = io.BytesIO()
    docx.Document().save(base)
    box = _wp(f"글상자 {P3.name}")
    body = (
        _wp("정착지원 신청서")
        + "<w:p><w:r><w:t>신청인 </w:t></w:r>"
        + f"<w:del w:id='1' w:author='x'><w:r><w:delText>{P0.name}</w:delText></w:r></w:del>"
        f"<w:ins w:id='2' w:author='x'><w:r><w:t>{P1.name}</w:t></w:r></w:ins>"
        "<w:r><w:footnoteReference w:id='1'/></w:r><w:commentRangeStart w:id='0'/></w:p>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:txbx>"
        f"<w:txbxContent>{box}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>본문 끝</w:t></w:r></w:p>"
    )
    footnotes = (f"<?xml version='1.0' encoding='UTF-8'?><w:footnotes {_NS}>"
                 f"<w:footnote w:type='separator' w:id='-1'><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
                 f"<w:footnote w:id='1'>{_wp('각주: 주민번호 ' + P0.rrn)}</w:footnote></w:footnotes>")  # fmt: skip
    comments = (f"<?xml version='1.0' encoding='UTF-8'?><w:comments {_NS}>"
                f"<w:comment w:id='0' w:author='검토자'>{_wp('메모: 주소 ' + P0.address)}</w:comment>"
                "</w:comments>")  # fmt: skip
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                at = text.index("<w:sectPr")
                data = (text[:at] + body + text[at:]).encode()
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    (
                        f'<Relationship Id="rIdF" Type="{rel}footnotes" Target="footnotes.xml"/>'
                        f'<Relationship Id="rIdC" Type="{rel}comments" Target="comments.xml"/></Relationships>'
                    ).encode(),
                )
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    (
                        f'<Override PartName="/word/footnotes.xml" ContentType="{ct}footnotes+xml"/>'
                        f'<Override PartName="/word/comments.xml" ContentType="{ct}comments+xml"/></Types>'
                    ).encode(),
                )
            target.writestr(info, data)
        target.writestr("word/footnotes.xml", footnotes)
        target.writestr("word/comments.xml", comments)
    return out.getvalue()
