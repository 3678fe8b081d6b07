"""RTF, HTML, JSON and XML."""

import json
import time

import pytest

from pii_audit.errors import CorruptFile
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import SegmentKind

from .formats import P0, P1, P2, P3, PEOPLE, html_bytes, json_bytes, jsonl_bytes, rtf_bytes, xml_bytes


def test_rtf_cp949_pairs_and_unicode_escapes() -> None:
    result = extract(rtf_bytes(), "x.txt")
    assert result.format == "rtf"
    assert [s.text for s in result.segments] == [f"성명: {P0.name}\n주소: {P0.address}\nRRN {P0.rrn}", P1.name]
    assert result.segments[1].location.line == 5


@pytest.mark.parametrize("charset", ["euc-kr", "utf-8"])
def test_html_visible_text_blocks_and_tables(charset: str) -> None:
    result = extract(html_bytes(charset), "page.txt")
    assert result.format == "html"
    prose = [(s.location.line, s.text) for s in result.segments if s.kind is SegmentKind.PROSE]
    assert prose[0] == (2, "명단")  # the title
    assert (5, "교육생 명단") in prose
    assert (6, f"신청인 <{P2.name}> & 가족\n주민번호 {P2.rrn}\n주소: {P2.address}") in prose
    assert prose[-1][1] == "끝"
    rows = [s for s in result.segments if s.kind is SegmentKind.ROW]
    assert [s.text for s in rows] == [f"성명: {p.name}\n주소: {p.address}\n주민등록번호: {p.rrn}" for p in (P0, P1)]
    assert rows[0].fields[2].cell == "T1R2C3" and rows[0].location.line == 8
    assert all(P3.name not in s.text for s in result.segments)  # script content is not text


def test_json_objects_are_records_with_key_paths() -> None:
    result = extract(json_bytes(), "export.csv")
    assert result.format == "json"
    texts = [s.text for s in result.segments]
    assert texts[0] == "title: 교육생 명단"
    first = result.segments[1]
    assert first.kind is SegmentKind.ROW
    assert first.text == (f"name: {P0.name}\nbirth: {P0.birth.isoformat()}\nrrn: {P0.rrn}\n"
                          f"address.full: {P0.address}\naddress.zip: 03000\nphones: {P0.phone}")  # fmt: skip
    assert [f.cell for f in first.fields][:4] == ["$.people[0].name", "$.people[0].birth", "$.people[0].rrn",
                                                  "$.people[0].address.full"]  # fmt: skip
    assert result.segments[2].text.startswith(f"name: {P1.name}")


def test_json_lines() -> None:
    result = extract(jsonl_bytes(), "log")
    assert result.format == "json"
    assert [(s.location.line, s.text) for s in result.segments] == [
        (i, f"name: {p.name}\nrrn: {p.rrn}") for i, p in enumerate(PEOPLE, start=1)
    ]


def test_json_too_deep_is_corrupt_not_a_crash() -> None:
    start = time.perf_counter()
    for depth in (201, 100_000):
        data = b"[" * depth + b"]" * depth
        assert sniff(data, "x") == "json"
        with pytest.raises(CorruptFile, match="json: nested deeper than 200"):
            extract(data, "x.json")
    deep_objects = ('{"a":' * 300 + "1" + "}" * 300).encode()
    with pytest.raises(CorruptFile, match="nested deeper than 200"):
        extract(deep_objects, "x.json")
    assert time.perf_counter() - start < 2


def test_json_at_the_depth_limit_is_read() -> None:
    data = ("[" * 199 + '{"name": "홍길동"}' + "]" * 199).encode()
    assert extract(data, "x.json").segments[0].text == "name: 홍길동"


def test_invalid_json_is_read_as_text() -> None:
    result = extract(f'{{"name": "{P0.name}", oops\n'.encode(), "x.json")
    assert result.format == "text" and P0.name in result.segments[0].text


@pytest.mark.parametrize("encoding", ["utf-8", "euc-kr"])
def test_xml_records(encoding: str) -> None:
    result = extract(xml_bytes(encoding), "data.txt")
    assert result.format == "xml"
    texts = [(s.location.line, s.kind, s.text) for s in result.segments]
    assert (2, SegmentKind.ROW, "year: 2024") in texts
    expected = f"id: 1\nname: {P0.name}\nbirth: {P0.birth.isoformat()}\naddress: {P0.address}\nrrn: {P0.rrn}"
    assert (3, SegmentKind.ROW, expected) in texts
    assert (15, SegmentKind.PROSE, f"비고: {P2.name} 면담") in texts  # mixed content reads as one


_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]><lolz>&lol9;</lolz>"
)


def test_billion_laughs_is_not_expanded() -> None:
    start = time.perf_counter()
    result = extract(_BOMB, "bomb.xml")
    assert time.perf_counter() - start < 1
    assert result.format == "text" and "entities" in result.notes[0]
    assert sum(len(s.text) for s in result.segments) < len(_BOMB) + 10


def test_xxe_is_not_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    for doctype in (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>', f'<!DOCTYPE r SYSTEM "file://{secret}">'):
        data = f'<?xml version="1.0"?>{doctype}<r><a>&x;</a></r>'.encode()
        result = extract(data, "x.xml")
        assert all("TOP-SECRET-VALUE" not in s.text for s in result.segments)


def test_not_well_formed_xml_is_text() -> None:
    result = extract(f"<root><a>{P0.name}</b>".encode(), "x.xml")
    assert result.format == "text" and P0.name in result.segments[0].text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xef\xbb\xbf  {\\rtf1 hello}", "rtf"),
        (b"  <!doctype HTML><p>x</p>", "html"),
        (b"<div>fragment</div>", "html"),
        (b'<?xml version="1.0"?><a/>', "xml"),
        (b"<root attr='1'><b/></root>", "xml"),
        (b"< not markup", "text"),
        ("<명단><이름>홍길동</이름></명단>".encode(), "xml"),
        (b'  {"a": 1}', "json"),
        (b"[1, 2]", "json"),
        ("[참고] 안내문입니다.".encode(), "text"),
        (json.dumps({"이름": P0.name}, ensure_ascii=False).encode("utf-16"), "json"),
    ],
)
def test_sniff_markup(data: bytes, kind: str) -> None:
    assert sniff(data, "x.csv") == kind
