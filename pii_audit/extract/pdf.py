"""PDF through pypdf: the text layer of each page, split into blocks of lines (`location.page` is
1-based, `location.line` is the line within the page's text)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.base import prose_segments
from pii_audit.model import Extraction, Location, Segment

NO_TEXT_LAYER = "no text layer (image-only; OCR not enabled)"


class PdfExtractor:
    format = "pdf"

    def extract(self, data: bytes) -> Extraction:
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
        for number, page in enumerate(pages, start=1):
            try:
                text = page.extract_text() or ""
            except Exception as exc:  # one bad page must not lose the others
                notes.append(f"page {number}: text extraction failed ({type(exc).__name__})")
                continue
            segments.extend(prose_segments(text, Location(page=number)))
        if not segments and not notes and pages:
            notes.append(NO_TEXT_LAYER)
        return Extraction(format=self.format, segments=tuple(segments), notes=tuple(notes))
