"""OCR behind --ocr: synthetic ID-card-like images (PNG, JPEG, multi-page TIFF) and an image-only PDF,
rendered with a Hangul font at ~32 px, read by the Tesseract binary (Debian tesseract-ocr + kor data,
installed by the suite as root through tests/system.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from pii_audit.cli.app import app
from pii_audit.errors import UnsupportedFormat
from pii_audit.extract import ocr
from pii_audit.extract.pdf import NO_TEXT_LAYER
from pii_audit.extract.registry import extract, sniff
from tests.fixtures import PEOPLE, rrn
from tests.system import KNOWN, REQUIRE_ENV, require_debian_packages

FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")  # Debian fonts-nanum
HONG_RRN = rrn(dt.date(1990, 1, 1), 1)
CARD = f"성명: 홍길동\n주민등록번호: {HONG_RRN}\n주소: 서울특별시 노원구 노원로 270"
runner = CliRunner()


def _card(text: str, px: int = 32) -> Image.Image:
    """Dark text at `px` on a light card with a frame, lines one text height apart."""
    font = ImageFont.truetype(str(FONT), px)
    _, _, right, bottom = ImageDraw.Draw(Image.new("RGB", (1, 1))).multiline_textbbox((0, 0), text, font, spacing=px)
    image = Image.new("RGB", (right + 2 * px, bottom + 2 * px), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, image.width - 5, image.height - 5), outline=(90, 90, 160), width=3)  # a card's frame
    draw.multiline_text((px, px), text, font=font, fill=(20, 20, 20), spacing=px)
    return image


def _person(index: int) -> str:
    name, birth, address, _ = PEOPLE[index]
    return f"성명: {name}\n주민등록번호: {rrn(birth, 1 + index % 2)}\n주소: {address.split(',')[0]}"


def _encoded(image: Image.Image, kind: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **params)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fresh_probe() -> Iterator[None]:
    """The availability probe is cached per process: start and end each test without a stale answer."""
    ocr.unavailable.cache_clear()
    ocr.engine.cache_clear()
    yield
    ocr.unavailable.cache_clear()
    ocr.engine.cache_clear()


@pytest.fixture(scope="module")
def tesseract() -> str:
    exe = require_debian_packages(KNOWN["tesseract"], "tesseract")
    ocr.unavailable.cache_clear()
    problem = ocr.unavailable()
    if problem is not None or not FONT.exists():
        reason = problem or f"no Hangul font at {FONT}"
        message = f"{reason}: apt-get install {' '.join(KNOWN['tesseract'])}"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return exe


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory, tesseract: str) -> Path:
    root = tmp_path_factory.mktemp("scans")
    _card(CARD).save(root / "id-card.png")
    _card(_person(0)).save(root / "photo.jpg", "JPEG", quality=92)
    _card(_person(3)).save(root / "scan.pdf", "PDF", resolution=150)  # 박철민 (PEOPLE[2]) is often misread
    return root


def _scan(root: Path, *flags: str) -> tuple[dict[str, dict], str]:
    args = ["scan", str(root), "--format", "json", *flags, "--workers", "1", "--no-cache", "--no-english-model"]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return {f["path"]: f for f in report["files"]}, result.stderr


def _found(file: dict, entity: str) -> list[dict]:
    return [f for f in file["findings"] if f["entity_type"] == entity]


def test_scan_with_ocr_finds_the_card_holder(scans: Path) -> None:
    files, _ = _scan(scans, "--ocr")
    card = files["id-card.png"]
    assert card["status"] == "scanned" and card["format"] == "png"
    rrns = _found(card, "KR_RRN")
    assert [f["masked"] for f in rrns] == [HONG_RRN[:8] + "******"]
    assert rrns[0]["location"]["page"] == 1 and rrns[0]["location"]["line"] == 2
    assert any(f["location"]["page"] == 1 for f in _found(card, "PERSON"))
    assert _found(card, "ADDRESS") and card["severity"] in ("high", "critical")
    assert any("OCR" in note for note in card["notes"])

    photo = files["photo.jpg"]
    assert photo["format"] == "jpeg" and _found(photo, "KR_RRN") and _found(photo, "PERSON")

    pdf = files["scan.pdf"]
    assert pdf["format"] == "pdf" and NO_TEXT_LAYER not in pdf["notes"]
    assert [f["location"]["page"] for f in _found(pdf, "KR_RRN")] == [1]
    assert _found(pdf, "PERSON")


def test_without_ocr_images_are_skipped_with_the_reason(scans: Path) -> None:
    files, _ = _scan(scans)
    for path in ("id-card.png", "photo.jpg"):
        assert files[path]["status"] == "skipped"
        assert files[path]["reason"] == "image (OCR not enabled: --ocr)"
    assert files["scan.pdf"]["status"] == "scanned" and files["scan.pdf"]["notes"] == [NO_TEXT_LAYER]
    assert not files["scan.pdf"]["findings"]


def test_ocr_without_tesseract_is_a_notice_not_a_crash(
    scans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    files, stderr = _scan(scans, "--ocr")
    assert stderr.count("OCR unavailable: tesseract not installed") == 1  # one line at the start
    assert files["id-card.png"]["status"] == "skipped"
    assert files["id-card.png"]["reason"] == "OCR unavailable: tesseract not installed"
    assert files["scan.pdf"]["notes"] == ["no text layer (image-only; OCR unavailable: tesseract not installed)"]


def test_multi_page_tiff_locates_the_frame(tesseract: str) -> None:
    first, second = _card("접수 대장\n2024년 3월"), _card(_person(1))
    data = _encoded(first, "TIFF", save_all=True, append_images=[second], compression="tiff_lzw")
    assert sniff(data, "scan.dat") == "tiff"
    extraction = extract(data, "scan.tif", ocr=True)
    pages = {s.location.page for s in extraction.segments}
    assert pages == {1, 2}
    text = "\n".join(s.text for s in extraction.segments if s.location.page == 2)
    assert rrn(PEOPLE[1][1], 2) in text


def test_small_text_is_upscaled_and_transparency_flattened(tesseract: str) -> None:
    image = Image.new("RGBA", (300, 80), (0, 0, 0, 0))  # transparent: black once the alpha is dropped
    prepared = ocr.prepare(image)
    assert prepared.mode == "L" and prepared.width == 900 and prepared.getpixel((0, 0)) == 255  # by area
    big = Image.new("L", (2500, 2000), 255)
    assert ocr.prepare(big).size == big.size
    for px, factor in ((14, 3.0), (32, 1.5), (48, 1.0)):  # towards lines of ~45 px
        card = _card(CARD, px)
        assert ocr.line_height(card.convert("L")) == pytest.approx(px * 0.94, abs=2)
        assert ocr.prepare(card).width / card.width == pytest.approx(factor, abs=0.1)


def test_unreadable_and_disabled_images() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    with pytest.raises(UnsupportedFormat, match=r"^image \(OCR not enabled: --ocr\)$"):
        extract(png, "x.png")
    if ocr.unavailable() is None:
        from pii_audit.errors import CorruptFile

        with pytest.raises(CorruptFile, match="^png: "):
            extract(png, "x.png", ocr=True)
