"""Generic XML through defusedxml's SAX parser: no entity is expanded (billion laughs) and nothing
is fetched (XXE); a document that declares entities is read as plain text instead, unexpanded.

Records: an element whose children include leaves (elements without element children) is a record:
one ROW segment of its attributes and its leaf children's text (and their attributes), each labelled
by element or attribute name. Mixed text directly in a record element (document-like XML) becomes a
PROSE segment. `location.line` is the line where the element starts. Text that is not well-formed
XML is read as plain text. Encodings Python's expat cannot read (EUC-KR, CP949) are decoded first.
"""

from __future__ import annotations

import io
import re
import xml.sax
from dataclasses import dataclass, field
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from pii_audit.extract.base import row_segment
from pii_audit.extract.text import TextExtractor
from pii_audit.model import Extraction, Location, Segment, SegmentKind

_DECLARATION = re.compile(rb"""^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_EXPAT_NATIVE = {"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}


@dataclass
class _Open:
    name: str
    line: int
    attrs: list[tuple[str, str]]
    fields: list[tuple[str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    children: int = 0
    direct: bool = False  # holds text of its own besides its children's: mixed content


class _Handler(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.segments: list[Segment] = []
        self._stack: list[_Open] = []

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802 (SAX API)
        if self._stack:
            self._stack[-1].children += 1
        locator = getattr(self, "_locator", None)
        line = locator.getLineNumber() if locator is not None else 0
        self._stack.append(_Open(name, line, [(k, v) for k, v in attrs.items() if v.strip()]))

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].text.append(content)
            self._stack[-1].direct = self._stack[-1].direct or bool(content.strip())

    def endElement(self, name: str) -> None:  # noqa: N802 (SAX API)
        element = self._stack.pop()
        text = "".join(element.text).strip()
        parent = self._stack[-1] if self._stack else None
        if element.children == 0 and parent is not None:
            parent.text.append(f" {text} " if text else "")  # inline in mixed content (`<p>a <b>b</b> c</p>`)
            if text:
                parent.fields.append((element.name, text))
            parent.fields.extend((f"{element.name}.{k}", v) for k, v in element.attrs)
            return
        location = Location(line=element.line or None)
        if element.children == 0:  # a root without children
            labels_values = [*element.attrs, (element.name, text)] if text else element.attrs
        elif element.direct:  # document-like: the text reads as one, inline elements included
            labels_values = element.attrs
            self.segments.append(Segment(text=" ".join(text.split()), location=location, kind=SegmentKind.PROSE))
        else:
            labels_values = element.attrs + element.fields
        if labels_values:
            segment = row_segment([k for k, _ in labels_values], [v for _, v in labels_values], location)
            if segment is not None:
                self.segments.append(segment)


class XmlExtractor:
    format = "xml"

    def extract(self, data: bytes) -> Extraction:
        handler = _Handler()
        parser = make_parser()
        parser.setContentHandler(handler)
        parser.setFeature(xml.sax.handler.feature_external_ges, False)
        parser.setFeature(xml.sax.handler.feature_external_pes, False)
        try:
            parser.parse(io.BytesIO(_expat_readable(data)))
        except DefusedXmlException:
            return _as_text(data, "XML declares entities or external references: read as text, unexpanded")
        except (xml.sax.SAXException, UnicodeError, LookupError, ValueError):
            return _as_text(data, "not well-formed XML: read as text")
        segments = sorted(handler.segments, key=lambda s: s.location.line or 0)
        return Extraction(format=self.format, segments=tuple(segments))


def _expat_readable(data: bytes) -> bytes:
    """Expat reads UTF-8/16 and Latin-1 only: re-encode anything else (EUC-KR…) as UTF-8."""
    match = _DECLARATION.match(data[:200])
    if not match or match.group(2).decode("ascii").lower() in _EXPAT_NATIVE:
        return data
    codec = match.group(2).decode("ascii").lower()
    codec = {"euc-kr": "cp949", "ks_c_5601-1987": "cp949"}.get(codec, codec)
    text = data.decode(codec)
    text = re.sub(r"""(<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""", r'\1"utf-8"', text, count=1)
    return text.encode("utf-8")


def _as_text(data: bytes, note: str) -> Extraction:
    fallback = TextExtractor().extract(data)
    return Extraction(format="text", segments=fallback.segments, notes=(note,))
