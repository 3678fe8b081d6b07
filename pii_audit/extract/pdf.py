"""PDF through pypdf: the text layer of each page, split into blocks of lines (`location.page` is
1-based, `location.line` is the line within the page's text).

With OCR on (`--ocr`), a page without a text layer (a scan) is read from its embedded images
(pypdf decodes them; no renderer needed), each OCR'd with Tesseract, in page order."""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract import ocr as engine
from pii_audit.extract.base import prose_segments
from pii_audit.model import Extraction, Location, Segment

NO_TEXT_LAYER = "no text layer (image-only; OCR not enabled)"


class PdfExtractor:
    format = "pdf"

    def extract(self, data: bytes, *, ocr: bool = False) -> Extraction:
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise EncryptedFile()
            pages = list(reader.pages)
        except (FileNotDecryptedError, DependencyError):
            # A password we do not have, or a cipher (AES) whose library is not installed.
            raise EncryptedFile() from None
        except PdfReadError as exc:
            raise CorruptFile(f"pdf: {type(exc).__name__}") from None
        segments: list[Segment] = []
        notes: list[str] = []
        ocr_pages: list[int] = []
        for number, page in enumerate(pages, start=1):
            try:
                text = page.extract_text() or ""
            except Exception as exc:  # one bad page must not lose the others
                notes.append(f"page {number}: text extraction failed ({type(exc).__name__})")
                continue
            page_segments = prose_segments(text, Location(page=number))
            if not page_segments and ocr and engine.unavailable() is None:
                page_segments = prose_segments(_ocr_page(page, number, notes), Location(page=number))
                if page_segments:
                    ocr_pages.append(number)
            segments.extend(page_segments)
        if ocr_pages:
            shown = ", ".join(map(str, ocr_pages[:20])) + (", …" if len(ocr_pages) > 20 else "")
            notes.append(f"text from OCR (tesseract kor+eng) on page(s) {shown}: may hold misread characters")
        if not segments and not notes and pages:
            problem = engine.unavailable() if ocr else None
            if not ocr:
                notes.append(NO_TEXT_LAYER)
            elif problem is not None:
                notes.append(f"no text layer (image-only; {problem})")
            else:
                notes.append("no text layer, and OCR found no text in its images")
        return Extraction(format=self.format, segments=tuple(segments), notes=tuple(notes))


def _ocr_page(page: PageObject, number: int, notes: list[str]) -> str:
    """The OCR text of a page's embedded images (a scan is usually one full-page image)."""
    texts: list[str] = []
    try:
        images = list(page.images)
    except Exception as exc:  # an image filter pypdf cannot decode (JBIG2…), a damaged XObject
        notes.append(f"page {number}: images not readable for OCR ({type(exc).__name__})")
        return ""
    for index, item in enumerate(images, start=1):
        try:
            image = item.image
        except Exception as exc:
            notes.append(f"page {number}: image {index} not decodable for OCR ({type(exc).__name__})")
            continue
        if image is None or engine.too_small(image):
            continue
        if engine.too_large(image):
            notes.append(f"page {number}: image {index} larger than {engine.MAX_PIXELS} pixels, not OCR'd")
            continue
        try:
            texts.append(engine.recognise(image))
        except engine.OcrFailed as exc:
            notes.append(f"page {number}: {exc}")
    return "\n\n".join(texts)
