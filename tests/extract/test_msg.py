"""Outlook .msg (OLE compound file of MAPI properties): headers, bodies in UTF-16 and 8-bit code pages,
compressed RTF, attachments as members, attached messages as `.eml` members. Fixtures are written with
the compound-file writer of the HWP tests (no library writes .msg)."""

from __future__ import annotations

import contextlib
import struct

import pytest

from pii_audit.detect.engine import Detector
from pii_audit.errors import CorruptFile
from pii_audit.extract.msg import decompress_rtf
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import FileRef, FileResult, Limits, SegmentKind, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_bytes
from tests.fixtures import PEOPLE, rrn

from .containers import FIRST_RRN_MASK, ROSTER_CSV
from .hwp_writer import compound_file

NAME, BIRTH, ADDRESS, PHONE = PEOPLE[1]
BODY = f"안녕하세요.\n\n{NAME}님 주민등록번호 {rrn(BIRTH, 2)}, 주소 {ADDRESS}, 연락처 {PHONE} 입니다.\n"
FORWARDED = f"전달: {PEOPLE[2][0]} 주민등록번호 {rrn(PEOPLE[2][1], 1)} 주소 {PEOPLE[2][2]}\n"


def wide(tag: int, text: str) -> tuple[str, bytes]:
    return f"__substg1.0_{tag:04X}001F", text.encode("utf-16-le") + b"\0\0"


def narrow(tag: int, text: str, codec: str = "cp949") -> tuple[str, bytes]:
    return f"__substg1.0_{tag:04X}001E", text.encode(codec) + b"\0"


def properties(header: int, longs: dict[int, int]) -> tuple[str, bytes]:
    body = b"".join(struct.pack("<IIi", tag << 16 | 0x0003, 6, value) + bytes(4) for tag, value in longs.items())
    return "__properties_version1.0", bytes(header) + body


def storage(prefix: str, *items: tuple[str, bytes]) -> dict[str, bytes]:
    return {f"{prefix}/{name}" if prefix else name: data for name, data in items}


def msg_bytes() -> bytes:
    streams = storage(
        "",
        wide(0x0037, "교육생 명단 송부"),
        wide(0x1000, BODY),
        wide(0x0C1A, "김담당"),
        wide(0x0C1F, "sender@example.kr"),
        wide(0x0E04, NAME),
        properties(32, {0x3FFD: 949}),
    )
    streams |= storage(
        "__recip_version1.0_#00000000",
        wide(0x3001, NAME),
        wide(0x39FE, "lee@example.kr"),
        properties(8, {0x0C15: 1}),
    )
    streams |= storage(
        "__attach_version1.0_#00000000",
        wide(0x3707, "명단.csv"),
        ("__substg1.0_37010102", ROSTER_CSV.encode("cp949")),
        properties(8, {0x3705: 1}),
    )
    streams |= storage(  # an 8-bit short name only, in the message's code page
        "__attach_version1.0_#00000001",
        narrow(0x3704, "메모.txt"),
        ("__substg1.0_37010102", "메모 없음\n".encode("cp949")),
        properties(8, {0x3705: 1}),
    )
    inner = "__attach_version1.0_#00000002/__substg1.0_3701000D"
    streams |= storage("__attach_version1.0_#00000002", wide(0x3001, "전달"), properties(8, {0x3705: 5}))
    streams |= storage(inner, wide(0x0037, "fwd"), wide(0x1000, FORWARDED), properties(24, {}))
    streams |= storage(
        f"{inner}/__attach_version1.0_#00000000",
        wide(0x3707, "inner.csv"),
        ("__substg1.0_37010102", ROSTER_CSV.encode("utf-8")),
        properties(8, {0x3705: 1}),
    )
    streams |= storage(  # by reference: the file is elsewhere
        "__attach_version1.0_#00000003", wide(0x3707, "link.xlsx"), properties(8, {0x3705: 2})
    )
    return compound_file(streams)


def scan(data: bytes, name: str, detector: Detector) -> dict[str, FileResult]:
    opts = AuditOptions(key=b"test-key", limits=Limits())
    results = scan_bytes(FileRef(path=name, location=f"/tmp/{name}"), data, opts, detector, depth=0)
    return {r.ref.path: r for r in results}


def types(result: FileResult) -> set[str]:
    return {f.entity_type for f in result.findings}


def test_msg_headers_body_and_attachments(detector: Detector) -> None:
    data = msg_bytes()
    assert sniff(data, "mail.dat") == "msg"
    extraction = extract(data, "mail.msg")
    header = extraction.segments[0]
    assert header.kind is SegmentKind.ROW
    assert "From: 김담당 <sender@example.kr>" in header.text
    assert f"To: {NAME} <lee@example.kr>" in header.text and "Subject: 교육생 명단 송부" in header.text

    results = scan(data, "mail.msg", detector)
    assert set(results) == {
        "mail.msg",
        "mail.msg!명단.csv",
        "mail.msg!메모.txt",
        "mail.msg!전달.eml",
        "mail.msg!전달.eml!inner.csv",
        "mail.msg!link.xlsx",
    }
    mail = results["mail.msg"]
    assert mail.status is Status.SCANNED and mail.format == "msg"
    assert {"KR_RRN", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS"} <= types(mail)
    body_rrn = next(f for f in mail.findings if f.entity_type == "KR_RRN")
    assert body_rrn.location.line is not None and body_rrn.masked.startswith(rrn(BIRTH, 2)[:8])
    assert any(f.location.cell == "To" and f.entity_type == "EMAIL_ADDRESS" for f in mail.findings)

    roster = results["mail.msg!명단.csv"]
    assert roster.format == "csv"
    rrns = [f.masked for f in roster.findings if f.entity_type == "KR_RRN"]
    assert len(rrns) == 4 and rrns[0].startswith(FIRST_RRN_MASK)
    assert results["mail.msg!메모.txt"].status is Status.SCANNED
    forwarded = results["mail.msg!전달.eml"]
    assert forwarded.format == "eml" and "KR_RRN" in types(forwarded)
    assert len([f for f in results["mail.msg!전달.eml!inner.csv"].findings if f.entity_type == "KR_RRN"]) == 4
    link = results["mail.msg!link.xlsx"]
    assert link.status is Status.SKIPPED and link.reason == "attachment by reference: not in the message"


def test_8bit_body_in_the_message_code_page_and_html_fallback() -> None:
    data = compound_file(storage("", narrow(0x0037, "제목"), narrow(0x1000, BODY), properties(32, {0x3FFD: 949})))
    text = "\n".join(s.text for s in extract(data, "old.msg").segments)
    assert "Subject: 제목" in text and ADDRESS in text

    html = f"<html><body><p>{NAME}</p><p>주소: {ADDRESS}</p></body></html>".encode()
    data = compound_file(storage("", wide(0x0037, "x"), ("__substg1.0_10130102", html), properties(32, {})))
    text = "\n".join(s.text for s in extract(data, "html.msg").segments)
    assert f"주소: {ADDRESS}" in text and "<p>" not in text


def test_compressed_rtf_body() -> None:
    # The example of [MS-OXRTFCP] 3.1.4.1: LZFu with references into the primed dictionary.
    sample = bytes.fromhex(
        "2d0000002b0000004c5a4675f1c5c7a703000a007263706731323542320af32068656c090020627705b06c647d0a800fa0"
    )
    assert decompress_rtf(sample) == b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"
    # An RTF-only body (no PR_BODY, no HTML), stored uncompressed ("MELA"), Hangul as \uN escapes.
    rtf = ("{\\rtf1\\ansi " + "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in ADDRESS) + "}").encode()
    value = struct.pack("<IIII", len(rtf) + 12, len(rtf), 0x414C454D, 0) + rtf
    data = compound_file(storage("", wide(0x0037, "rtf"), ("__substg1.0_10090102", value), properties(32, {})))
    text = "\n".join(s.text for s in extract(data, "rtf.msg").segments)
    assert ADDRESS in text


def test_damaged_msg_is_corrupt_not_a_crash() -> None:
    data = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "__substg1.0_0037001F".encode("utf-16-le") + bytes(64)
    assert sniff(data, "mail.msg") == "msg"
    with pytest.raises(CorruptFile, match="^msg: "):
        extract(data, "mail.msg")
    good = msg_bytes()
    for cut in (len(good) // 3, len(good) // 2, len(good) - 600):
        with contextlib.suppress(CorruptFile):  # a damaged file may still give what was there
            extract(good[:cut], "cut.msg")
