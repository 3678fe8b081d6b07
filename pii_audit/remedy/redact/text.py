"""Text formats (csv, tsv, txt, json, html, xml): the values are masked in the decoded text and
the text is encoded back in the file's own encoding, BOM and line ends, so the dialect, quoting
and everything else stay byte for byte. A file whose bytes would not survive that round trip
(mixed encodings, stray bytes) is refused."""

from __future__ import annotations

import codecs
from collections.abc import Callable

from pii_audit.errors import RemedyError
from pii_audit.extract.encoding import MIXED, decode_text
from pii_audit.remedy.redact.values import Masker

FORMATS = ("csv", "tsv", "text", "json", "html", "xml")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class Codec:
    """How to write text back exactly as the file held it."""

    def __init__(self, data: bytes) -> None:
        text, encoding = decode_text(data)
        if encoding == MIXED:
            raise RemedyError("lines in different encodings: cannot be rewritten faithfully")
        self.prefix, self.codec = b"", encoding.removesuffix("-sig")
        for bom, name in _BOMS:
            if data.startswith(bom):
                self.prefix, self.codec = bom, name
                break
        self.text = text.removeprefix("\ufeff")
        try:
            same = self.encode(self.text) == data
        except (UnicodeError, LookupError):
            same = False
        if not same:
            raise RemedyError(f"the text does not survive decoding and encoding again ({encoding}): not rewritten")

    def encode(self, text: str) -> bytes:
        return self.prefix + text.encode(self.codec)

    def can_encode(self, s: str) -> bool:
        try:
            s.encode(self.codec)
        except UnicodeError:
            return False
        return True


def rewrite(data: bytes, masker_for: Callable[[Callable[[str], bool]], Masker]) -> bytes:
    codec = Codec(data)
    return codec.encode(masker_for(codec.can_encode).apply(codec.text))
