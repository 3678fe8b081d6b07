"""Images (PNG, JPEG, TIFF; sniffed by magic bytes): text by OCR when the run asks for it.

Without `--ocr` an image is skipped with reason `image (OCR not enabled: --ocr)`; with it but no
usable Tesseract, with the reason why (`OCR unavailable: …`). A scanned ID card or a photographed
roster is then read like prose: `location.page` is 1 for a single image, the frame number of a
multi-page TIFF, and `location.line` the line of the OCR text.
"""

from __future__ import annotations

from pii_audit.errors import UnsupportedFormat
from pii_audit.extract import ocr as engine
from pii_audit.extract.base import prose_segments
from pii_audit.model import Extraction, Location, Segment

IMAGE_FORMATS = ("png", "jpeg", "tiff")
OCR_NOTE = "text from OCR (tesseract kor+eng): may hold misread characters"


class ImageExtractor:
    def __init__(self, format: str) -> None:
        self.format = format

    def extract(self, data: bytes, *, ocr: bool = False) -> Extraction:
        if not ocr:
            raise UnsupportedFormat(engine.NOT_ENABLED)
        problem = engine.unavailable()
        if problem is not None:
            raise UnsupportedFormat(problem)
        segments: list[Segment] = []
        notes = [OCR_NOTE]
        for number, frame in engine.frames(data, self.format):
            if engine.too_small(frame):
                continue
            text = engine.recognise(frame)
            segments.extend(prose_segments(text, Location(page=number)))
        total = engine.frame_count(data)
        if total > engine.MAX_FRAMES:
            notes.append(f"frames past the first {engine.MAX_FRAMES} of {total} not read")
        return Extraction(format=self.format, segments=tuple(segments), notes=tuple(notes))
