"""Real files written by Hancom Office and Microsoft Office (../shared/samples: Apache Tika's and
other projects' test documents), read as a person opening them would: every file is read, except
the password-protected ones, which are `encrypted`.

Where the file carries its own rendering of its text (HWP's `PrvText` preview, written by the word
processor that saved it), our text must cover at least 90% of that reference's 3-grams, the issue's
acceptance measure. Elsewhere, phrases seen in the file with another reader must be present.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import olefile
import pytest

from pii_audit.errors import EncryptedFile
from pii_audit.extract.registry import extract

from ..conftest import SHARED, needs_shared

OFFICE = SHARED / "samples" / "office"
HWP = SHARED / "samples" / "hwp"


def trigram_coverage(reference: str, text: str) -> float:
    """The share of the reference's character 3-grams (whitespace removed) found in `text`."""

    def grams(s: str) -> set[str]:
        s = re.sub(r"\s+", "", s)
        return {s[i : i + 3] for i in range(len(s) - 2)}

    wanted = grams(reference)
    return len(wanted & grams(text)) / len(wanted) if wanted else 1.0


def _text(path: Path) -> str:
    result = extract(path.read_bytes(), path.name)
    return "\n".join(s.text for s in result.segments)


def _preview(path: Path) -> str:
    with olefile.OleFileIO(io.BytesIO(path.read_bytes())) as ole:
        text: str = ole.openstream("PrvText").read().decode("utf-16-le", "ignore")
    return text.replace("<", "").replace(">", "")  # the preview marks table cells with <…>


def test_coverage_measure() -> None:
    assert trigram_coverage("가나다라", "가나다라마") == 1.0
    assert trigram_coverage("가나다라", "가나다") == 0.5
    assert trigram_coverage("ab", "") == 1.0


@needs_shared("samples", "office")
@pytest.mark.parametrize(
    ("folder", "name"),
    [("office", "testHWP-v5-dist.hwp"), ("hwp", "viewtext.hwp"), ("office", "testHWP-v5b.hwp")],
)
def test_distribution_documents_are_read_whole(folder: str, name: str) -> None:
    path = (OFFICE if folder == "office" else HWP) / name
    result = extract(path.read_bytes(), name)
    text = "\n".join(s.text for s in result.segments)
    assert trigram_coverage(_preview(path), text) >= 0.9
    assert ("distribution document" in " ".join(result.notes)) == ("dist" in name or "viewtext" in name)


@needs_shared("samples", "office")
def test_the_distribution_stub_is_not_what_is_read() -> None:
    assert "배포용 문서입니다" not in _text(OFFICE / "testHWP-v5-dist.hwp")


@needs_shared("samples", "hwp")
def test_password_protected_hwp_stays_encrypted() -> None:
    with pytest.raises(EncryptedFile, match="password-protected HWP"):
        _text(HWP / "password-12345.hwp")


@needs_shared("samples", "office")
@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        (
            "testEXCEL.strict.xlsx",
            ["Test spreadsheet", "2nd row 2nd column", "I'm in bold blue, on a yellow background"],
        ),
        ("testEXCEL_textbox.xlsx", ["this is some autoshape text"]),
        (
            "testEXCEL_headers_footers.xlsx",
            ["John Smith82", "Header - Author: John Smith", "Footer - For Internal Use Only"],
        ),
        (
            "testWORD_text_box.docx",
            [
                f"This text is {where} of the document."
                for where in (
                    "directly in the body",
                    "inside of a text box in the body",
                    "inside of a text box in the header",
                    "inside of a text box in the footer",
                )
            ],
        ),
        ("testWORD_sdtInTextBox.docx", ["simple-text", "rich-text-content-control_inside-text-box"]),
        ("footnotes.docx", ["Eto ochen prostoy", "snoska"]),
        ("testComment.docx", ["comment"]),
    ],
)
def test_office_files_read_whole(name: str, phrases: list[str]) -> None:
    text = _text(OFFICE / name)
    for phrase in phrases:
        assert phrase in text
    assert text.count("this is some autoshape text") <= 1 and text.count("_inside-text-box") <= 1  # no fallback copies


@needs_shared("samples", "office")
def test_password_protected_word_stays_encrypted() -> None:
    with pytest.raises(EncryptedFile):
        _text(OFFICE / "testWORD_protected_passtika.docx")


@needs_shared("samples", "office")
def test_hwp_3_0_is_read() -> None:
    result = extract((OFFICE / "testHWP_3.0.hwp").read_bytes(), "testHWP_3.0.hwp")
    assert result.format == "hwp3"
    assert [s.text for s in result.segments] == ["테스트\ntest"]  # as LibreOffice's HWP filter reads it
