"""E-mail end to end: headers as labelled cells, bodies in any transfer encoding and Korean
charset, attachments and attached messages as members, mbox messages as members."""

from __future__ import annotations

import base64
import quopri
import urllib.parse

import pytest

from pii_audit.detect.engine import Detector
from pii_audit.extract.mail import html_text, looks_like_eml, looks_like_mbox
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import FileRef, FileResult, Limits, SegmentKind, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_bytes
from tests.fixtures import PEOPLE, rrn

from .containers import FIRST_RRN_MASK, ROSTER_CSV

NAME, BIRTH, ADDRESS, PHONE = PEOPLE[1]
BODY = f"안녕하세요.\n\n{NAME}님 주민등록번호 {rrn(BIRTH, 2)}, 주소 {ADDRESS}, 연락처 {PHONE} 입니다.\n"


def _word(text: str, charset: str = "ks_c_5601-1987") -> str:
    raw = text.encode("utf-8" if charset == "utf-8" else "cp949")
    return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="


def eml_bytes() -> bytes:
    csv_b64 = base64.encodebytes(ROSTER_CSV.encode("cp949")).decode()
    qp_body = quopri.encodestring(BODY.encode("euc-kr")).decode()
    inner = (
        f"From: {_word('담당자', 'utf-8')} <staff@example.kr>\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + base64.encodebytes(f"전달: {PEOPLE[2][0]} {rrn(PEOPLE[2][1], 1)} {PEOPLE[2][2]}\n".encode()).decode()
    )
    rfc2231 = urllib.parse.quote("정착지원 명단.csv".encode())
    return (
        f"Return-Path: <sender@example.kr>\r\nFrom: {_word('김담당')} <sender@example.kr>\r\n"
        f"To: {_word(NAME, 'euc-kr')} <lee@example.kr>, {_word('박철민', 'utf-8')} <park@example.kr>\r\n"
        f"Subject: {_word('교육생 명단 송부')}\r\nDate: Mon, 4 Mar 2024 10:00:00 +0900\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="MIX"\r\n\r\n'
        "--MIX\r\n"
        'Content-Type: multipart/alternative; boundary="ALT"\r\n\r\n'
        "--ALT\r\n"
        'Content-Type: text/plain; charset="ks_c_5601-1987"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        f"{qp_body}\r\n"
        "--ALT\r\n"
        'Content-Type: text/html; charset="utf-8"\r\n\r\n<p>duplicate of the plain part</p>\r\n'
        "--ALT--\r\n"
        "--MIX\r\n"
        f"Content-Type: text/csv\r\nContent-Disposition: attachment; filename*=UTF-8''{rfc2231}\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{csv_b64}\r\n"
        "--MIX\r\n"
        "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
        "--MIX\r\n"
        f"Content-Type: message/rfc822\r\n\r\n{inner}\r\n"
        "--MIX--\r\n"
    ).encode("ascii")


def scan(data: bytes, name: str, detector: Detector, limits: Limits | None = None) -> dict[str, FileResult]:
    opts = AuditOptions(key=b"test-key", limits=limits or Limits())
    results = scan_bytes(FileRef(path=name, location=f"/tmp/{name}"), data, opts, detector, depth=0)
    return {r.ref.path: r for r in results}


def types(result: FileResult) -> set[str]:
    return {f.entity_type for f in result.findings}


def test_eml_headers_body_and_attachments(detector: Detector) -> None:
    data = eml_bytes()
    assert sniff(data, "mail.dat") == "eml"
    extraction = extract(data, "mail.eml")
    header = extraction.segments[0]
    assert header.kind is SegmentKind.ROW
    assert f"To: {NAME} <lee@example.kr>" in header.text and "Subject: 교육생 명단 송부" in header.text
    assert "duplicate" not in "\n".join(s.text for s in extraction.segments)  # the HTML twin is not read

    results = scan(data, "mail.eml", detector)
    assert set(results) == {
        "mail.eml",
        "mail.eml!정착지원 명단.csv",
        "mail.eml!attachment-2.bin",
        "mail.eml!message-3.eml",
    }
    mail = results["mail.eml"]
    assert {"KR_RRN", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS"} <= types(mail)
    assert any(f.location.cell == "To" and f.entity_type == "EMAIL_ADDRESS" for f in mail.findings)
    attachment = results["mail.eml!정착지원 명단.csv"]
    assert attachment.format == "csv"
    rrns = [f.masked for f in attachment.findings if f.entity_type == "KR_RRN"]
    assert len(rrns) == 4 and rrns[0].startswith(FIRST_RRN_MASK)
    assert "KR_RRN" in types(results["mail.eml!message-3.eml"])


def test_raw_8bit_cp949_header_and_undeclared_charset() -> None:
    data = (
        b"From: sender@example.kr\r\nTo: " + NAME.encode("cp949") + b" <lee@example.kr>\r\nSubject: hi\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + BODY.encode("cp949")
    )
    extraction = extract(data, "old.eml")
    text = "\n".join(s.text for s in extraction.segments)
    assert f"To: {NAME} <lee@example.kr>" in text and ADDRESS in text


def test_html_only_body() -> None:
    html = f"<html><head><style>p {{}}</style></head><body><p>{NAME}</p><p>주소: {ADDRESS}&nbsp;</p></body></html>"
    data = (
        "From: a@example.kr\r\nTo: b@example.kr\r\nMIME-Version: 1.0\r\n"
        'Content-Type: text/html; charset="euc-kr"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + base64.encodebytes(html.encode("euc-kr")).decode()
    ).encode()
    text = "\n".join(s.text for s in extract(data, "h.eml").segments)
    assert NAME in text and f"주소: {ADDRESS}" in text and "<p>" not in text and "{}" not in text
    assert html_text("<div>a<br>b</div><script>x</script>") == "\na\nb"


def test_mbox_messages_are_members(detector: Detector) -> None:
    first = eml_bytes()
    second = (
        "From: c@example.kr\r\nTo: d@example.kr\r\nSubject: 두번째\r\n\r\n"
        f">From the desk of {PEOPLE[3][0]}: 주민등록번호 {rrn(PEOPLE[3][1], 2)}\r\n"
    ).encode()
    data = b"From sender@example.kr Mon Mar  4 10:00:00 2024\r\n" + first + b"\r\n"
    data += b"From c@example.kr Tue Mar  5 11:00:00 2024\r\n" + second
    assert sniff(data, "inbox") == "mbox"
    results = scan(data, "inbox", detector)
    assert {"inbox!message-1.eml", "inbox!message-2.eml", "inbox!message-1.eml!정착지원 명단.csv"} <= set(results)
    assert results["inbox!message-2.eml"].status is Status.SCANNED
    assert "KR_RRN" in types(results["inbox!message-2.eml"])
    two = extract(data, "inbox").members[1].data
    assert b"\nFrom the desk" in two  # mboxrd quoting undone


@pytest.mark.parametrize(
    ("data", "mail"),
    [
        (b"Received: from x\r\nFrom: a@b\r\nSubject: s\r\n\r\nbody", True),
        (b"Subject: note\nTo: me\n\nbody", False),  # no field only mail has
        (b"Name: Kim\nPhone: 010-1234-5678\n", False),
        ("성명: 정민호\n연락처: 010-9876-5432\n".encode(), False),
        (b"From: a@b\nTo: c@d\nthis line is prose\n", False),
    ],
)
def test_eml_sniff(data: bytes, mail: bool) -> None:
    assert looks_like_eml(data) is mail


def test_mbox_sniff_needs_headers() -> None:
    assert not looks_like_mbox(b"From the start of the war...\nit was a long time ago\n")
