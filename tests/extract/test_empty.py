"""No silent empties: a document that yields no text says what it holds instead."""

from __future__ import annotations

import io

import docx
from openpyxl import Workbook

from pii_audit.detect.engine import Detector
from pii_audit.extract.empty import no_text_note
from pii_audit.extract.registry import extract
from pii_audit.model import FileRef
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_bytes

from . import hwp3_writer as w3
from . import hwp_writer as hw
from .formats import hwpx_bytes_with


def test_note_wording() -> None:
    assert no_text_note("1 section", {"image": 2, "table with empty cells": 1, "chart": 0}) == (
        "no text found in 1 section: 2 images, 1 table with empty cells"
    )
    assert no_text_note("the document", {}) == "no text found in the document: it holds no text-bearing content"


def test_hwp_with_an_empty_table_and_a_picture() -> None:
    picture = hw.record(71, 1, b" osg" + bytes(40)) + hw.record(85, 2, bytes(10))
    body = hw.table([["", ""], ["", ""]]) + hw.paragraph("\x0b" + "\0" * 6 + "\x0b") + picture
    result = extract(hw.hwp_file(body), "빈문서.hwp")
    assert list(result.segments) == []
    assert result.notes == ("no text found in 1 section of the body: 1 image, 1 table with empty cells",)


def test_hwpx_with_only_a_picture() -> None:
    section = '<hs:sec xmlns:hs="urn:s" xmlns:hp="urn:p"><hp:p><hp:run><hp:pic/><hp:t/></hp:run></hp:p></hs:sec>'
    result = extract(hwpx_bytes_with(section), "x.hwpx")
    assert result.notes == ("no text found in 1 section: 1 image",)


def test_docx_with_an_empty_table() -> None:
    document = docx.Document()
    document.add_table(rows=2, cols=2)
    out = io.BytesIO()
    document.save(out)
    result = extract(out.getvalue(), "x.docx")
    assert result.notes == ("no text found in the document: 1 table with empty cells",)


def test_hwp3_with_nothing() -> None:
    result = extract(w3.hwp3_file([w3.paragraph(" ")]), "x.hwp")
    assert result.notes == ("no text found in the paragraph list: it holds no text-bearing content",)


def test_a_streamed_workbook_with_nothing_is_not_a_clean_scan(detector: Detector) -> None:
    out = io.BytesIO()
    Workbook().save(out)
    data = out.getvalue()
    ref = FileRef(path="빈통합문서.xlsx", location="빈통합문서.xlsx", size=len(data))
    [result] = scan_bytes(ref, data, AuditOptions(key=b"k" * 32, file_timeout=None), detector, depth=0)
    assert result.status.value == "scanned"
    assert result.notes == ("no text found in this xlsx file: no cell, shape, note or header text",)
