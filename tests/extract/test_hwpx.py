import io
import zipfile
from pathlib import Path

import pytest

from pii_audit.errors import EncryptedFile
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import SegmentKind

from .formats import HP, HS, P0, P1, P2, P3, hp, hwpx_bytes, hwpx_bytes_with, zip_bytes

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


def _section(body: str) -> bytes:
    return hwpx_bytes_with(f'<hs:sec xmlns:hs="{HS}" xmlns:hp="{HP}">{body}</hs:sec>')


def test_caption_memo_hidden_comment_and_shapes_are_read_once() -> None:
    caption = f'<hp:caption side="TOP"><hp:subList>{hp(f"표 1. {P0.name} 연락처")}</hp:subList></hp:caption>'
    table = (
        f'<hp:tbl rowCnt="1" colCnt="2">{caption}<hp:tr>'
        + "".join(
            f'<hp:tc><hp:subList>{hp(t)}</hp:subList><hp:cellAddr colAddr="{c}" rowAddr="0"/></hp:tc>'
            for c, t in enumerate([P1.name, P1.phone])
        )
        + "</hp:tr></hp:tbl>"
    )
    note = hp(f"확인 필요 {P2.rrn}")
    memo = f'<hp:ctrl><hp:fieldBegin type="MEMO"><hp:subList>{note}</hp:subList></hp:fieldBegin></hp:ctrl>'
    hidden = (
        f"<hp:ctrl><hp:hiddenComment><hp:subList>{hp(f'숨은 설명 {P3.name}')}</hp:subList></hp:hiddenComment></hp:ctrl>"
    )
    shape = f"<hp:ellipse><hp:drawText><hp:subList>{hp('도형 글')}</hp:subList></hp:drawText></hp:ellipse>"
    body = f"<hp:p><hp:run>{table}<hp:t/></hp:run></hp:p>" + hp("본문", memo + hidden + shape)
    texts = [s.text for s in extract(_section(body), "x.hwpx").segments]
    assert texts == [f"표 1. {P0.name} 연락처", f"{P1.name}\n{P1.phone}", "본문", f"확인 필요 {P2.rrn}",
                     f"숨은 설명 {P3.name}", "도형 글"]  # fmt: skip


def test_a_document_whose_only_text_is_a_caption() -> None:
    caption = f"<hp:caption><hp:subList>{hp('신청자 명단')}</hp:subList></hp:caption>"
    body = f'<hp:p><hp:run><hp:tbl rowCnt="0" colCnt="0">{caption}</hp:tbl><hp:t/></hp:run></hp:p>'
    assert [s.text for s in extract(_section(body), "x.hwpx").segments] == ["신청자 명단"]


def test_ruby_text() -> None:
    ruby = '<hp:dutmal posType="TOP"><hp:mainText>{}</hp:mainText><hp:subText>{}</hp:subText></hp:dutmal>'
    inline = "<hp:p><hp:run><hp:t>성명 </hp:t>" + ruby.format("洪吉童", "홍길동") + "<hp:t> 귀하</hp:t></hp:run></hp:p>"
    as_runs = ("<hp:p><hp:run><hp:t>한자</hp:t></hp:run>" + ruby.format("<hp:t>한자</hp:t>", "<hp:t>hanja</hp:t>")
               + "<hp:run><hp:t>는</hp:t></hp:run></hp:p>")  # fmt: skip
    texts = [s.text for s in extract(_section(inline + "<hp:p/>" + as_runs), "x.hwpx").segments]
    assert texts == ["성명 洪吉童(홍길동) 귀하", "한자(hanja)는"]


def test_member_names_with_backslashes() -> None:
    source = zipfile.ZipFile(io.BytesIO(hwpx_bytes()))
    members = [(n.replace("/", "\\"), source.read(n)) for n in source.namelist() if n != "mimetype"]
    data = zip_bytes(members, stored_first=False)
    assert sniff(data, "x") == "hwpx"
    assert [s.text for s in extract(data, "x").segments] == [s.text for s in extract(hwpx_bytes(), "x").segments]
