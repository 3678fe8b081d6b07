"""The text of a workbook outside its cells, which openpyxl's streaming reader does not give:
per sheet, page headers and footers, comments (notes) and threaded comments, and the text of
drawing shapes and text boxes; per workbook, defined names that hold text constants.

- Headers and footers (`headerFooter` in the sheet part, after the cells) are found by scanning the
  sheet's bytes as they inflate, so a huge sheet is never parsed twice. Their formatting codes
  (`&L`/`&C`/`&R` sections, `&P` page number, `&"font"`, `&12` size, `&K` colour…) are dropped; `&&`
  is an ampersand.
- Comments: one PROSE segment per comment, `location.cell` its cell. A threaded comment is read
  only when no legacy note for the same cell carries its text already (Excel writes both).
- Shapes: one PROSE segment per shape's text, `location.cell` the cell its anchor starts in.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from pii_audit.extract.base import column_letter
from pii_audit.extract.ooxml import drawing_paragraphs, part_targets
from pii_audit.extract.xmldoc import MAX_MEMBER, local, read_xml
from pii_audit.model import Location, Segment

_CHUNK = 1024 * 1024
_HEADER_FOOTER = re.compile(rb"<(?:\w+:)?(?:odd|even|first)(?:Header|Footer)(?:\s[^>]*)?>([^<]*)<")
_CODES = re.compile(r'&(?:"[^"]*"|K(?:[0-9A-Fa-f]{6}|\d\d[+-S]\d{3})|\d+|[A-Za-z])')
_DEFINED_TEXT = re.compile(r'^=?\s*"((?:[^"]|"")*)"\s*$')


@dataclass(frozen=True)
class SheetPart:
    title: str
    part: str  # zip member name of the worksheet


def sheet_parts(archive: zipfile.ZipFile, fmt: str = "xlsx") -> list[SheetPart]:
    """The worksheets in workbook order, with their part names."""
    workbook = "xl/workbook.xml"
    targets = part_targets(archive, workbook, fmt)
    out: list[SheetPart] = []
    for element in read_xml(archive, workbook, fmt).iter():
        if local(element) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if local_attr(k) == "id"), "")
        kind, part = targets.get(rid, ("", ""))
        if kind == "worksheet" and part in archive.NameToInfo:
            out.append(SheetPart(element.get("name", ""), part))
    return out


def local_attr(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def sheet_extras(archive: zipfile.ZipFile, sheet: SheetPart, fmt: str = "xlsx") -> Iterator[Segment]:
    """Headers and footers, comments and shape text of one sheet."""
    where = Location(sheet=sheet.title)
    texts = [t for t in (header_footer_text(raw) for raw in _header_footers(archive, sheet.part)) if t]
    if texts:
        yield Segment(text="\n".join(dict.fromkeys(texts)), location=where)
    seen: set[tuple[str, str]] = set()
    targets = part_targets(archive, sheet.part, fmt)
    for kind, part in sorted(targets.values(), key=lambda t: t[0] != "comments"):  # notes before threads
        if part not in archive.NameToInfo:
            continue
        if kind in ("comments", "threadedComment"):
            yield from _comments(archive, part, sheet.title, seen, fmt)
        elif kind == "drawing":
            yield from _drawing(archive, part, sheet.title, fmt)


def defined_name_texts(archive: zipfile.ZipFile, fmt: str = "xlsx") -> Iterator[Segment]:
    """Defined names whose value is a text constant (`="…"`), as `name: text`."""
    for element in read_xml(archive, "xl/workbook.xml", fmt).iter():
        if local(element) != "definedName" or element.get("name", "").startswith("_xlnm."):
            continue
        match = _DEFINED_TEXT.match(element.text or "")
        value = match.group(1).replace('""', '"') if match else ""
        if value.strip():
            yield Segment(text=f"{element.get('name', '')}: {value}", location=Location())


def header_footer_text(raw: str) -> str:
    """The visible text of a header/footer string: sections on lines of their own, codes dropped."""
    text = raw.replace("&&", "\0")
    sections = re.split(r"&[LCR]", text)
    cleaned = (_CODES.sub("", s).replace("\0", "&").strip() for s in sections)
    return "\n".join(s for s in cleaned if s)


def _header_footers(archive: zipfile.ZipFile, part: str) -> Iterator[str]:
    """Header/footer strings of a sheet part, found in its bytes as they inflate (bounded)."""
    tail = b""
    found = b""
    read = 0
    with archive.open(part) as stream:
        while read < MAX_MEMBER:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            window = tail + chunk
            at = window.find(b"eaderFooter")  # headerFooter: whatever the prefix, after the cells
            if found or at >= 0:
                found += window if found else window[max(0, at - 64) :]
                tail = b""
                if len(found) > _CHUNK:  # a header is short; past this it is not what we look for
                    break
                continue
            tail = window[-64:]
    for match in _HEADER_FOOTER.finditer(found):
        yield html.unescape(match.group(1).decode("utf-8", "replace"))


def _comments(
    archive: zipfile.ZipFile, part: str, title: str, seen: set[tuple[str, str]], fmt: str
) -> Iterator[Segment]:
    for element in read_xml(archive, part, fmt).iter():
        if local(element) not in ("comment", "threadedComment"):
            continue
        ref = element.get("ref", "")
        body = next((e for e in element if local(e) == "text"), None)
        if body is None:
            continue
        text = "".join(e.text or "" for e in body.iter() if local(e) == "t") or (body.text or "")
        text = text.strip()
        # Excel's legacy copy of a thread begins with a notice, then holds the thread's text
        key = (ref, text)
        if not text or key in seen or any(r == ref and text in t for r, t in seen):
            continue
        seen.add(key)
        yield Segment(text=text, location=Location(sheet=title, cell=ref or None))


def _drawing(archive: zipfile.ZipFile, part: str, title: str, fmt: str) -> Iterator[Segment]:
    for anchor in read_xml(archive, part, fmt):
        if local(anchor) not in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor", "AlternateContent"):
            continue
        lines = [p for p in drawing_paragraphs(anchor) if p.strip()]
        if lines:
            yield Segment(text="\n".join(lines), location=Location(sheet=title, cell=_anchor_cell(anchor)))


def _anchor_cell(anchor: Element) -> str | None:
    start = next((e for e in anchor.iter() if local(e) == "from"), None)
    if start is None:
        return None
    values = {local(e): (e.text or "").strip() for e in start}
    if not (values.get("col", "").isdigit() and values.get("row", "").isdigit()):
        return None
    return f"{column_letter(int(values['col']))}{int(values['row']) + 1}"
