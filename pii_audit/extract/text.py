"""Plain text: decoded with Korean-aware detection, split into blocks of non-blank lines."""

from __future__ import annotations

from pii_audit.extract.base import iter_prose_segments, prose_segments
from pii_audit.extract.encoding import decode_text, encoding_notes
from pii_audit.model import Extraction


class TextExtractor:
    format = "text"

    def extract(self, data: bytes) -> Extraction:
        text, encoding = decode_text(data)
        segments = tuple(prose_segments(text))
        return Extraction(format=self.format, segments=segments, notes=encoding_notes(text, encoding))

    def stream(self, data: bytes) -> Extraction:
        text, encoding = decode_text(data)
        return Extraction(
            format=self.format, segments=iter_prose_segments(text.splitlines()), notes=encoding_notes(text, encoding)
        )
