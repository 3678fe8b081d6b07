import io
import struct
from pathlib import Path

import olefile
import pytest

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.hwp import HwpExtractor, para_text
from pii_audit.extract.hwp_distribution import msvc_rand
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import SegmentKind

from . import hwp_writer as hw
from .formats import P0, P1, P2, hwp_bytes

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "hwp"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"real HWP samples not present at {SAMPLES}")


def test_writer_makes_a_valid_compound_file() -> None:
    ole = olefile.OleFileIO(io.BytesIO(hwp_bytes()), raise_defects=olefile.DEFECT_INCORRECT)
    assert sorted("/".join(p) for p in ole.listdir()) == ["BodyText/Section0", "DocInfo", "FileHeader"]
    assert ole.openstream("FileHeader").read(17) == b"HWP Document File"


def test_paragraphs_table_and_locations() -> None:
    result = extract(hwp_bytes(), "신청서.dat")
    assert result.format == "hwp"
    prose = [(s.location.line, s.text) for s in result.segments if s.kind is SegmentKind.PROSE]
    assert prose[0] == (
        1,
        f"정착지원 대상자 명단\n신청인 {P0.name}(생년월일 {P0.birth:%Y-%m-%d})\n"
        f"주소:\t{P0.address}\n주민등록번호: {P0.rrn}",
    )
    rows = [s for s in result.segments if s.kind is SegmentKind.ROW]
    assert [s.text for s in rows] == [
        f"성명: {p.name}\n생년월일: {p.birth:%Y-%m-%d}\n주소: {p.address}\n주민등록번호: {p.rrn}" for p in (P1, P2)
    ]
    assert [f.cell for f in rows[0].fields] == ["T1R2C1", "T1R2C2", "T1R2C3", "T1R2C4"]
    assert rows[0].location.line == 5  # the paragraph that anchors the table
    assert prose[1][0] == 6 and prose[1][1].startswith(f"{P2.name}의 진술서.") and len(prose[1][1]) > 2048
    assert prose[1][1].endswith("\n끝\uf53a")  # the next paragraph of the block; a private-use glyph kept
    assert len(prose) == 2


def test_uncompressed_sections_are_read() -> None:
    data = hw.hwp_file(hw.paragraph(f"{P0.name} {P0.rrn}"), flags=0)
    assert [s.text for s in extract(data, "x").segments] == [f"{P0.name} {P0.rrn}"]


@pytest.mark.parametrize(
    ("flags", "reason"),
    [(0x3, "encrypted: password-protected HWP"), (0x7, "encrypted: password-protected HWP"),
     (0x11, "encrypted: DRM-protected HWP"), (0x15, "encrypted: DRM-protected HWP")],
)  # fmt: skip
def test_protected_documents_are_encrypted_not_empty(flags: int, reason: str) -> None:
    with pytest.raises(EncryptedFile, match=reason):
        extract(hw.hwp_file(hw.paragraph("x"), flags=flags), "x.hwp")


def test_msvc_rand_known_sequence() -> None:
    # srand(1) then rand(): the sequence every MSVC program printed (documented in many C textbooks)
    assert msvc_rand(1)[:5] == [41, 18467, 6334, 26500, 19169]


def test_distribution_document_is_decrypted_and_read() -> None:
    body = hw.paragraph(f"배포 명단 {P0.name} {P0.rrn}") + hw.table([["성명", "주민등록번호"], [P1.name, P1.rrn]])
    second = hw.paragraph(f"연락처 {P2.phone}")
    result = extract(hw.distribution_file([body, second]), "공고.hwp")
    assert result.format == "hwp"
    texts = [s.text for s in result.segments]
    assert texts == [f"배포 명단 {P0.name} {P0.rrn}", f"성명: {P1.name}\n주민등록번호: {P1.rrn}", f"연락처 {P2.phone}"]
    assert not any(hw.STUB in t for t in texts)  # the BodyText stub old readers show is not the document
    assert any("distribution document" in n for n in result.notes)


@pytest.mark.parametrize("seed", [0, 0xF, 0x10, 0xFFFFFFFF, 0x0BADBEEF])
def test_distribution_key_at_every_offset(seed: int) -> None:
    data = hw.distribution_file([hw.paragraph(P0.name)], seed=seed, key=bytes(range(100, 116)))
    assert [s.text for s in extract(data, "x.hwp").segments] == [P0.name]


def test_view_text_storage_without_the_flag_is_an_ordinary_document() -> None:
    # A ViewText storage alone (left by some writers) does not make a distribution document.
    data = hw.hwp_file(hw.paragraph(f"보도자료 문의 {P1.phone}"), extra={"ViewText/Section0": b"\x00" * 300})
    result = extract(data, "보도자료.hwp")
    assert [s.text for s in result.segments] == [f"보도자료 문의 {P1.phone}"] and result.notes == ()


def test_damaged_distribution_documents() -> None:
    plain = hw.hwp_file(
        hw.paragraph("x"), flags=0x5, extra={"ViewText/Section0": hw.record(67, 0, bytes(256)) + bytes(32)}
    )
    with pytest.raises(CorruptFile, match="ViewText/Section0: no distribution document data record"):
        extract(plain, "x.hwp")
    with pytest.raises(CorruptFile, match="distribution document without ViewText sections"):
        extract(hw.hwp_file(hw.paragraph("x"), flags=0x5), "x.hwp")
    cut = hw.distribution_file([hw.paragraph(P0.name * 50)])
    ole = olefile.OleFileIO(io.BytesIO(cut))
    section = ole.openstream("ViewText/Section0").read()
    streams = {p: ole.openstream(p).read() for p in ("FileHeader", "DocInfo", "BodyText/Section0")}
    truncated = hw.compound_file({**streams, "ViewText/Section0": section[:-7]})
    result = extract(truncated, "x.hwp")
    assert any("encrypted stream cut short" in n for n in result.notes)


def test_control_characters() -> None:
    # extended control (table anchor), inline field start/end, tab, line break, hyphen, fixed space
    text = f"가{hw.inline_control(11)}나{hw.inline_control(3)}다{hw.inline_control(9)}라\n마\x18바\x1f사\r"
    assert para_text(text.encode("utf-16-le")) == "가나다\t라\n마-바 사"
    assert para_text("\ud83d\ude00 \ud800".encode("utf-16-le", "surrogatepass")) == "\U0001f600 "
    assert para_text(b"\x41\x00\x42") == "A"  # an odd byte out


def test_not_hwp_and_damaged() -> None:
    fake = hw.compound_file({"FileHeader": b"Something Else".ljust(256, b"\0")})
    assert sniff(fake, "a.hwp") == "ole"
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, 1)
    bad = hw.compound_file({"FileHeader": header.ljust(256, b"\0"), "BodyText/Section0": b"\xff" * 100})
    with pytest.raises(CorruptFile, match="hwp: BodyText/Section0: bad compressed data"):
        extract(bad, "a.hwp")


@needs_samples
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sample-5017.hwp", ["한글 2005 예제 파일입니다.", "머리말입니다", "다음 문단", "이건 각주이지요.", "A0\nB0"]),
        ("footnote-endnote.hwp", ["각주참조", "각주입니다.", "미주 두 번째입니다."]),
        ("headerfooter.hwp", ["첫 페이지", "이것은 머리말입니다.", "이것은 꼬리말입니다."]),
        ("lists.hwp", ["글머리표 두 번째", "문단번호 세 번째 (새 번호)", "3-2-3"]),
        ("textbox.hwp", ["글상자"]),
        ("table.hwp", []),  # one table of empty cells
    ],
)
def test_real_files(name: str, expected: list[str]) -> None:
    result = extract((SAMPLES / name).read_bytes(), name)
    assert result.format == "hwp"
    text = "\n".join(s.text for s in result.segments)
    for words in expected:
        assert words in text
    assert all(s.location.line for s in result.segments)


@needs_samples
def test_real_private_use_glyph_is_kept() -> None:
    result = HwpExtractor().extract((SAMPLES / "sample-5017.hwp").read_bytes())
    assert any("\uf53a글 워드 프로세서" in s.text for s in result.segments)


@needs_samples
def test_real_table_cells_are_rows() -> None:
    result = extract((SAMPLES / "sample-5017.hwp").read_bytes(), "x")
    rows = [s for s in result.segments if s.kind is SegmentKind.ROW]
    assert rows[0].text == "A0\nB0" and [f.cell for f in rows[0].fields] == ["T1R1C1", "T1R1C2"]


@needs_samples
@pytest.mark.parametrize(
    ("name", "reason"),
    [("password-12345.hwp", "encrypted: password-protected HWP")],
)
def test_real_protected_files(name: str, reason: str) -> None:
    data = (SAMPLES / name).read_bytes()
    assert sniff(data, name) == "hwp"
    with pytest.raises(EncryptedFile, match=reason):
        extract(data, name)


def test_ruby_text_is_read_after_its_paragraph() -> None:
    def string(text: str) -> bytes:
        return struct.pack("<H", len(text)) + text.encode("utf-16-le")

    ruby = b"tudt" + string("洪吉童") + string("홍길동") + struct.pack("<IIIHI", 0, 50, 0, 0, 0)
    body = hw.paragraph(f"성명 {hw.inline_control(23)} 귀하") + hw.record(71, 1, ruby)
    assert [s.text for s in extract(hw.hwp_file(body), "x.hwp").segments] == ["성명  귀하 洪吉童(홍길동)"]
