"""Office Open XML as Microsoft Office writes it beyond what the libraries write: Strict packages,
text boxes and shapes, headers and footers, comments and defined names."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from pii_audit.errors import CorruptFile
from pii_audit.extract.registry import extract, sniff
from pii_audit.extract.xlsx_parts import header_footer_text
from pii_audit.model import SegmentKind

from . import ooxml_writer as ow
from .builders import docx_bytes
from .formats import P0, P1, P2, P3, docx_extras_bytes, pptx_bytes


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "명단"
    ws.append(["성명", "연락처"])
    ws.append([P0.name, P0.phone])
    ws.oddHeader.center.text = f"담당 {P1.name}"
    ws.oddFooter.right.text = "대외비 &P쪽"
    ws["B2"].comment = Comment(f"본인 확인: {P2.rrn}", "작성자")
    other = wb.create_sheet("참고")
    other.append(["메모 없음"])
    wb.defined_names["담당자"] = DefinedName("담당자", attr_text=f'"{P3.name}"')
    wb.defined_names["범위"] = DefinedName("범위", attr_text="'명단'!$A$1:$B$2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _texts(data: bytes) -> list[str]:
    return [s.text for s in extract(data, "x.xlsx").segments]


def test_xlsx_headers_footers_comments_and_defined_names() -> None:
    result = extract(_workbook(), "명단.xlsx")
    segments = list(result.segments)
    assert segments[0].text == f"성명: {P0.name}\n연락처: {P0.phone}" and segments[0].kind is SegmentKind.ROW
    prose = [(s.location.sheet, s.location.cell, s.text) for s in segments if s.kind is SegmentKind.PROSE]
    assert prose == [
        ("명단", None, f"담당 {P1.name}\n대외비 쪽"),  # header and footer, codes dropped (&P: the page number)
        ("명단", "B2", f"본인 확인: {P2.rrn}"),  # a note, at its cell
        (None, None, f"담당자: {P3.name}"),  # a text constant; the range name is not text
    ]


def test_header_footer_codes() -> None:
    assert header_footer_text('&L&"맑은 고딕,굵게"&12이름 &KFF0000홍길동&C&P / &N&R&D &T') == "이름 홍길동\n/"
    assert header_footer_text("R&&D 팀&X2&Y") == "R&D 팀2"
    assert header_footer_text("&K01+033빨강") == "빨강"


def test_xlsx_text_boxes_once_with_their_anchor_cell() -> None:
    data = ow.with_drawing(_workbook(), [(6, 2, [f"연락 담당 {P1.name}", P1.phone])], alternate=[f"비고 {P2.name}"])
    result = extract(data, "x.xlsx")
    shapes = [(s.location.cell, s.text) for s in result.segments if s.location.cell in ("G3", "A21")]
    assert shapes == [
        ("G3", f"연락 담당 {P1.name}\n{P1.phone}"),
        ("A21", f"비고 {P2.name}"),
    ]  # the fallback copy is not read


def test_xlsx_drawing_beside_comments() -> None:
    data = ow.with_drawing(_workbook(), [(0, 0, ["글상자"])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"comments" in archive.read("xl/worksheets/_rels/sheet1.xml.rels")
    texts = _texts(data)
    assert "글상자" in texts and any(P2.rrn in t for t in texts)


def test_strict_workbook_reads_like_its_transitional_twin() -> None:
    plain = ow.with_drawing(_workbook(), [(6, 2, [f"연락 담당 {P1.name}"])])
    strict = ow.strict(plain)
    with zipfile.ZipFile(io.BytesIO(strict)) as archive:
        workbook = archive.read("xl/workbook.xml")
        assert b"purl.oclc.org/ooxml/spreadsheetml/main" in workbook and b"schemas.openxmlformats" not in workbook
    assert sniff(strict, "x") == "xlsx"
    assert _texts(strict) == _texts(plain)
    assert any(P0.name in t for t in _texts(strict))


def test_strict_word_and_powerpoint_read_like_their_twins() -> None:
    for plain, name in (
        (docx_bytes(), "document.xml"),
        (docx_extras_bytes(), "document.xml"),
        (pptx_bytes(), "presentation.xml"),
    ):
        strict = ow.strict(plain)
        with zipfile.ZipFile(io.BytesIO(strict)) as archive:
            main = next(n for n in archive.namelist() if n.endswith(name))
            assert b"http://purl.oclc.org/ooxml/" in archive.read(main)
        before, after = extract(plain, "x"), extract(strict, "x")
        assert [s.text for s in after.segments] == [s.text for s in before.segments] != []


def test_threaded_comment_and_its_legacy_copy_are_one_comment() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["성명", P0.name])
    notice = "[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment.\n\nComment:\n    "
    ws["B1"].comment = Comment(notice + f"연락처 {P1.phone}", "tc={0}")
    out = io.BytesIO()
    wb.save(out)
    thread = (
        '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        f'<threadedComment ref="B1" id="{{1}}"><text>연락처 {P1.phone}</text></threadedComment>'
        f'<threadedComment ref="C5" id="{{2}}"><text>답글 {P2.name}</text></threadedComment></ThreadedComments>'
    )
    rel = (
        '<Relationship Id="rIdTc" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
        'Target="../threadedComments/threadedComment1.xml"/>'
    )

    def change(name: str, body: bytes) -> bytes:
        if name == "xl/worksheets/_rels/sheet1.xml.rels":
            return body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        return body

    data = ow.edit(out.getvalue(), change, {"xl/threadedComments/threadedComment1.xml": thread.encode()})
    comments = [(s.location.cell, s.text) for s in extract(data, "x.xlsx").segments if s.location.cell]
    assert comments == [("B1", notice.strip() + f"\n    연락처 {P1.phone}"), ("C5", f"답글 {P2.name}")]


def test_rich_text_shared_and_inline_strings_are_whole() -> None:
    wb = Workbook()
    wb.active.append(["x", "y"])
    out = io.BytesIO()
    wb.save(out)
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        f"<si><r><t>성명 </t></r><r><rPr><b/></rPr><t>{P0.name}</t></r>"
        '<rPh sb="0" eb="2"><t>ホン</t></rPh></si></sst>'  # a phonetic guide is not the text
    )
    inline = f'<c r="B1" t="inlineStr"><is><r><t>연락처 </t></r><r><t>{P0.phone}</t></r></is></c>'
    shared_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    shared_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

    def change(name: str, body: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            body = body.replace(b'<c r="A1" t="inlineStr"><is><t>x</t></is></c>', b'<c r="A1" t="s"><v>0</v></c>')
            return body.replace(b'<c r="B1" t="inlineStr"><is><t>y</t></is></c>', inline.encode())
        if name == "[Content_Types].xml":
            override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{shared_type}"/>'
            return body.replace(b"</Types>", override.encode() + b"</Types>")
        if name == "xl/_rels/workbook.xml.rels":
            rel = f'<Relationship Id="rIdS" Type="{shared_rel}" Target="sharedStrings.xml"/>'
            return body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        return body

    data = ow.edit(out.getvalue(), change, {"xl/sharedStrings.xml": sst.encode()})
    assert _texts(data) == [f"성명 {P0.name}\n연락처 {P0.phone}"]


def test_a_strict_bomb_is_not_inflated_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from pii_audit.extract import ooxml

    strict = ow.strict(_workbook())
    monkeypatch.setattr(ooxml, "MAX_MEMBER", 1000)  # a part larger than this stands for a bomb
    with pytest.raises(CorruptFile, match="strict package too large to convert"):
        extract(strict, "x.xlsx")
