"""RTF through striprtf, which honours `\\ansicpg949` and font charsets for `\\'hh` pairs (two bytes
of CP949 make one Hangul syllable) and decodes `\\uN` escapes; embedded pictures are dropped. The
text is split into blocks of non-blank lines like plain text."""

from __future__ import annotations

from striprtf.striprtf import rtf_to_text

from pii_audit.extract.base import prose_segments
from pii_audit.extract.encoding import decode_text
from pii_audit.model import Extraction


class RtfExtractor:
    format = "rtf"

    def extract(self, data: bytes) -> Extraction:
        # RTF is 7-bit with escapes; some writers put raw 8-bit text in anyway.
        source, _ = decode_text(data)
        text = rtf_to_text(source, encoding="cp949", errors="replace")
        return Extraction(format=self.format, segments=tuple(prose_segments(text)))
