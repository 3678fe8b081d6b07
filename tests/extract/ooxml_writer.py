"""OOXML fixtures the libraries do not write: Strict Open XML packages, drawing text boxes and shapes
in a workbook, threaded comments. Built by editing packages that openpyxl / python-docx wrote."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

# Strict namespaces of ISO/IEC 29500-1 (Annex A, strict schemas), written out here rather than
# derived, so that the reader's own mapping is checked against a list it did not make.
STRICT_NAMESPACES = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "http://purl.oclc.org/ooxml/wordprocessingml/main",
    "http://schemas.openxmlformats.org/presentationml/2006/main": "http://purl.oclc.org/ooxml/presentationml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        "http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": (
        "http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": (
        "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "http://purl.oclc.org/ooxml/officeDocument/extendedProperties"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": (
        "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes"
    ),
}


def edit(data: bytes, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes] | None = None) -> bytes:
    """A copy of the package with each member passed through `change` (None drops it), plus `add`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = change(info.filename, source.read(info))
            if body is not None:
                target.writestr(info.filename, body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def strict(data: bytes) -> bytes:
    """The package as Office saves it with "Strict Open XML": strict namespaces in the XML parts
    and strict relationship types (…/ooxml/officeDocument/relationships/<type>)."""

    def change(name: str, body: bytes) -> bytes:
        if not name.endswith((".xml", ".rels")):
            return body
        text = body.decode("utf-8")
        for old, new in STRICT_NAMESPACES.items():
            text = text.replace(old, new)
        if name.endswith("workbook.xml"):
            text = re.sub(r"<(\w+:)?workbook ", r'<\1workbook conformance="strict" ', text, count=1)
        return text.encode("utf-8")

    return edit(data, change)


_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _shape(texts: list[str]) -> str:
    paragraphs = "".join(f'<a:p><a:r><a:rPr lang="ko-KR"/><a:t>{t}</a:t></a:r></a:p>' for t in texts)
    return (
        '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/>'
        f"</xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</xdr:txBody></xdr:sp>"
    )


def _anchor(col: int, row: int, inner: str) -> str:
    return (
        f"<xdr:twoCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
        f"<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{col + 3}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{row + 4}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>{inner}<xdr:clientData/></xdr:twoCellAnchor>"
    )


def with_drawing(data: bytes, boxes: list[tuple[int, int, list[str]]], alternate: list[str] | None = None) -> bytes:
    """The workbook with a drawing on its first sheet: a text box per (column, row, paragraphs), and
    optionally one shape inside mc:AlternateContent whose Fallback repeats the same text."""
    anchors = "".join(_anchor(c, r, _shape(t)) for c, r, t in boxes)
    if alternate:
        anchors += (
            f'<mc:AlternateContent xmlns:mc="{_MC}"><mc:Choice Requires="a14">{_anchor(0, 20, _shape(alternate))}'
            f"</mc:Choice><mc:Fallback>{_anchor(0, 20, _shape(alternate))}</mc:Fallback></mc:AlternateContent>"
        )
    drawing = f'<?xml version="1.0" encoding="UTF-8"?><xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}">{anchors}</xdr:wsDr>'
    relationship = f'<Relationship Id="rIdDr1" Type="{_REL}/drawing" Target="../drawings/drawing1.xml"/>'
    rels_part = "xl/worksheets/_rels/sheet1.xml.rels"
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        has_rels = rels_part in source.namelist()
    add = {"xl/drawings/drawing1.xml": drawing.encode()}
    if not has_rels:
        add[rels_part] = (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationship}</Relationships>'
        ).encode()

    def change(name: str, body: bytes) -> bytes | None:
        if name == rels_part:
            return body.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
        if name == "xl/worksheets/sheet1.xml":
            element = f'<drawing xmlns:r="{_REL}" r:id="rIdDr1"/>'
            return body.replace(b"</worksheet>", element.encode() + b"</worksheet>")
        if name == "[Content_Types].xml":
            override = (
                '<Override PartName="/xl/drawings/drawing1.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
            )
            return body.replace(b"</Types>", override.encode() + b"</Types>")
        return body

    return edit(data, change, add)
