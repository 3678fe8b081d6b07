import io
import zipfile
from pathlib import Path

import pytest

from pii_audit.errors import EncryptedFile
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import SegmentKind

from .formats import P0, P1, P2, P3, hwpx_bytes, zip_bytes

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "hwp"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"real HWPX samples not present at {SAMPLES}")


def test_paragraphs_table_once_and_text_box() -> None:
    result = extract(hwpx_bytes(), "x.zip")
    assert result.format == "hwpx"
    prose = [(s.location.line, s.text) for s in result.segments if s.kind is SegmentKind.PROSE]
    assert prose[0] == (1, f"교육생 명단\n신청인 {P2.name}\t{P2.rrn}\n{P2.address}")
    rows = [s for s in result.segments if s.kind is SegmentKind.ROW]
    expected = [f"성명: {p.name}\n생년월일: {p.birth:%Y-%m-%d}\n주소: {p.address}" for p in (P0, P1)]
    assert [s.text for s in rows] == expected
    assert [f.cell for f in rows[1].fields] == ["T1R3C1", "T1R3C2", "T1R3C3"] and rows[0].location.line == 3
    everything = "\n".join(s.text for s in result.segments)
    assert everything.count(P0.name) == 1  # cell paragraphs are not emitted again as prose
    assert (4, "다음 문단") in prose and (4, f"글상자: {P3.name}") in prose


def test_sniffed_without_mimetype_by_members() -> None:
    source = zipfile.ZipFile(io.BytesIO(hwpx_bytes()))
    members = [(n, source.read(n)) for n in ("Contents/header.xml", "Contents/section0.xml", "Contents/content.hpf")]
    assert sniff(zip_bytes(members, stored_first=False), "x") == "hwpx"


def test_encrypted_hwpx() -> None:
    manifest = ('<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                "<odf:file-entry><odf:encryption-data/></odf:file-entry></odf:manifest>")  # fmt: skip
    data = zip_bytes([("mimetype", "application/hwp+zip"), ("Contents/section0.xml", b"\x8a\x01garbage"),
                      ("META-INF/manifest.xml", manifest)])  # fmt: skip
    with pytest.raises(EncryptedFile, match="encrypted: password-protected HWPX"):
        extract(data, "x.hwpx")


@needs_samples
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hwpxlib-HeaderFooter.hwpx", ["꼬리말", "머리말 테스트"]),
        ("hwpxlib-SimpleTable.hwpx", ["1\n2", "5\n4"]),
        ("hwpxlib-Table.hwpx", ["C반 기말고사", "이름: 개똥이\n국어: 89\n영어: 65\n수학: 78", "이름: 육손이"]),
        ("hwpxlib-multipara.hwpx", ["김하성(27·샌디에이고 파드리스)", "3연승을 질주"]),
        ("hwpxlib-sample1.hwpx", ["우리는 수학 이다."]),
    ],
)
def test_real_files(name: str, expected: list[str]) -> None:
    result = extract((SAMPLES / name).read_bytes(), name)
    assert result.format == "hwpx"
    text = "\n".join(s.text for s in result.segments)
    for words in expected:
        assert words in text
    assert text.count("개똥이") <= 1


@needs_samples
def test_real_table_is_rows_with_header_labels() -> None:
    result = extract((SAMPLES / "hwpxlib-Table.hwpx").read_bytes(), "t")
    rows = [s for s in result.segments if s.kind is SegmentKind.ROW]
    assert len(rows) == 5 and [f.label for f in rows[0].fields] == ["이름", "국어", "영어", "수학"]
