"""HWP 3.0 (한글 97 and earlier) from fixtures written by hwp3_writer.py."""

from __future__ import annotations

import struct

import pytest

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import SegmentKind

from . import hwp3_writer as w
from .formats import P0, P1, P2, P3


def _document(compressed: bool = True) -> bytes:
    return w.hwp3_file(
        [
            w.paragraph("신청인 명단", own_shape=True, shapes=True, lines=2),
            w.paragraph(f"성명 {P0.name}", w.tab(), f"주민등록번호 {P0.rrn}", w.bookmark()),
            w.paragraph("작성일 ", w.date_code(), w.field("작성자"), f" 담당 {P3.name}", w.hanja()),
            w.paragraph(""),  # an empty paragraph ends the prose block
            w.paragraph(w.table([["성명", "연락처"], [P1.name, P1.phone]], caption="표 1 연락처")),
            w.paragraph(f"비고 {P2.name}", w.footnote(f"각주 {P2.rrn}"), "."),
        ],
        compressed=compressed,
    )


@pytest.mark.parametrize("compressed", [True, False])
def test_paragraphs_controls_table_and_footnote(compressed: bool) -> None:
    data = _document(compressed)
    assert sniff(data, "x.dat") == "hwp3"
    result = extract(data, "옛문서.hwp")
    assert result.format == "hwp3"
    prose = [(s.location.line, s.text) for s in result.segments if s.kind is SegmentKind.PROSE]
    assert prose == [
        (1, f"신청인 명단\n성명 {P0.name}\t주민등록번호 {P0.rrn}\n작성일  담당 {P3.name}"),
        (5, "표 1 연락처"),
        (6, f"비고 {P2.name}."),
        (6, f"각주 {P2.rrn}"),
    ]
    rows = [s for s in result.segments if s.kind is SegmentKind.ROW]
    assert [r.text for r in rows] == [f"성명: {P1.name}\n연락처: {P1.phone}"]
    assert [f.cell for f in rows[0].fields] == ["T1R2C1", "T1R2C2"]
    assert result.notes == ("1 Hanja/symbol characters in HWP 3.0's own codes not decoded",)


def test_text_box_cells_are_prose() -> None:
    data = w.hwp3_file([w.paragraph(w.table([[f"글상자 {P0.name}"]], kind=1))])
    assert [s.text for s in extract(data, "x").segments] == [f"글상자 {P0.name}"]


def test_password_protected() -> None:
    with pytest.raises(EncryptedFile, match="password-protected HWP 3.0"):
        extract(w.hwp3_file([w.paragraph("x")], password=True), "x.hwp")


def test_damaged() -> None:
    whole = _document(compressed=False)
    cut = extract(whole[: len(whole) - 300], "x.hwp")
    assert cut.notes[0] == "document ends inside a paragraph; read what was there"
    assert any(P0.rrn in s.text for s in cut.segments)
    with pytest.raises(CorruptFile, match="hwp3: file shorter than its headers"):
        extract(w.SIGNATURE + bytes(100), "x.hwp")
    bad = w.hwp3_file([w.paragraph("가", b"\x0b\x00" + bytes(4))], compressed=False)  # a picture cut short
    assert extract(bad, "x.hwp").notes[0].startswith("document ends inside a paragraph")
    no_cells = w.hwp3_file([w.paragraph("가", struct.pack("<4H", 10, 0, 0, 10) + bytes(84))], compressed=False)
    with pytest.raises(CorruptFile, match="hwp3: a box with no cells"):
        extract(no_cells, "x.hwp")
