"""What the Office Open XML readers (xlsx, docx, pptx) share: Strict packages made transitional,
relationships between parts, and the text of DrawingML shapes.

- **Strict** (ISO/IEC 29500 strict, Office's "Strict Open XML" save option) uses namespaces under
  `http://purl.oclc.org/ooxml/` where transitional files use `http://schemas.openxmlformats.org/…/2006/…`,
  for elements and relationship types alike; the part names and content types are the same. The
  libraries read only transitional, so a strict package is rewritten in memory, namespace for
  namespace (`…/ooxml/<area>/<name>` → `…/<area>/2006/<name>`), before they open it; a package that
  inflates past 512 MiB (or one part past 256 MiB) is not converted but reported as too large.
- **Relationships**: `part_targets` maps a part's relationship ids to (type, target part name).
- **DrawingML text** (`a:p` paragraphs of `a:r`/`a:fld` runs, `a:br` line breaks) is what shapes,
  text boxes and SmartArt hold in every OOXML format.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from pii_audit.errors import CorruptFile
from pii_audit.extract.xmldoc import MAX_MEMBER, local, read_xml

STRICT = b"http://purl.oclc.org/ooxml/"
_STRICT_NS = re.compile(rb"http://purl\.oclc\.org/ooxml/([A-Za-z]+)/([A-Za-z]+)")
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAX_STRICT = 512 * 1024 * 1024  # inflated bytes of a strict package rewritten in memory


def is_strict(archive: zipfile.ZipFile, main_part: str) -> bool:
    """True when the main part (xl/workbook.xml, word/document.xml…) is in strict namespaces."""
    try:
        with archive.open(main_part) as stream:
            return STRICT in stream.read(4096)
    except KeyError:
        return False


def transitional(data: bytes, main_part: str) -> bytes:
    """The package with strict namespaces renamed to their transitional twins; `data` itself when
    the package is not strict. XML parts and relationships are rewritten; other members are copied."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        if not is_strict(source, main_part):
            return data
        out = io.BytesIO()
        total = 0
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                with source.open(info) as stream:
                    body = stream.read(MAX_MEMBER + 1)  # bounded whatever the header claims
                total += len(body)
                if len(body) > MAX_MEMBER or total > _MAX_STRICT:
                    raise CorruptFile(f"ooxml: strict package too large to convert (over {_MAX_STRICT >> 20} MiB)")
                if info.filename.endswith((".xml", ".rels")):
                    body = _STRICT_NS.sub(rb"http://schemas.openxmlformats.org/\1/2006/\2", body)
                target.writestr(info, body)
    return out.getvalue()


def rels_name(part: str) -> str:
    """`xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def part_targets(archive: zipfile.ZipFile, part: str, fmt: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type suffix after the last '/', target part name)} for internal targets."""
    name = rels_name(part)
    if name not in archive.NameToInfo:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in read_xml(archive, name, fmt):
        if rel.tag != f"{{{_RELS}}}Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], resolved)
    return out


def drawing_paragraphs(root: Element) -> Iterator[str]:
    """The text of every DrawingML paragraph (`a:p`) under `root`, one string per paragraph,
    skipping the fallback copies of `mc:AlternateContent` (the choice already holds the text)."""
    stack = [iter(root)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        name = local(element)
        if name == "Fallback":
            continue
        if name == "p" and element.tag.startswith("{http://schemas.openxmlformats.org/drawingml/"):
            yield _drawing_paragraph(element)
            continue
        stack.append(iter(element))


def _drawing_paragraph(paragraph: Element) -> str:
    out: list[str] = []
    for element in paragraph.iter():
        name = local(element)
        if name == "t":
            out.append(element.text or "")
        elif name == "br":
            out.append("\n")
    return "".join(out)
