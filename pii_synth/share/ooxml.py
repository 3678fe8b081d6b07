"""A fast deterministic DOCX writer: python-docx's default package (styles, theme, settings, fonts)
with ``word/document.xml`` written directly, as Word lays out paragraphs, headings and tables."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from pii_synth.writers import FIXED_TIME

_ZIP_TIME = (2024, 1, 2, 9, 0, 0)


@functools.cache
def _template() -> tuple[tuple[tuple[str, bytes], ...], str, str]:
    """(members other than document.xml, document head up to <w:body>, the body's sectPr)."""
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.author = props.last_modified_by = "pii_synth share"
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as z:
        members = tuple((n, z.read(n)) for n in z.namelist() if n != "word/document.xml")
        xml = z.read("word/document.xml").decode("utf-8")
    head = xml[: xml.index("<w:body>") + len("<w:body>")]
    sect = xml[xml.index("<w:sectPr") : xml.index("</w:body>")]
    return members, head, sect


def _p(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _tbl(rows: Sequence[Sequence[str]]) -> str:
    ncols = max(len(r) for r in rows)
    w = 8640 // max(ncols, 1)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for _ in range(ncols))
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    ]
    for row in rows:
        cells = list(row) + [""] * (ncols - len(row))
        out.append("<w:tr>")
        out.extend(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{_p(c)}</w:tc>' for c in cells)
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


class DocxWriter:
    """Append headings, paragraphs and tables; ``bytes()`` gives the package."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def heading(self, text: str, level: int = 1) -> None:
        self.parts.append(_p(text, "Title" if level == 0 else f"Heading{level}"))

    def paragraph(self, text: str) -> None:
        self.parts.append(_p(text))

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        self.parts.append(_tbl(rows))
        self.parts.append("<w:p/>")

    def bytes(self) -> bytes:
        members, head, sect = _template()
        document = head + "".join(self.parts) + sect + "</w:body></w:document>"
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members[:4]:
                z.writestr(_info(name), data)
            z.writestr(_info("word/document.xml"), document.encode("utf-8"))
            for name, data in members[4:]:
                z.writestr(_info(name), data)
        return out.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
