"""OpenDocument (ODT, ODS, ODP): the zip's `content.xml`, parsed without expanding entities.

- Text documents and presentations: paragraphs (`text:p`, `text:h`) and tables as in xmldoc.py; notes,
  text boxes and annotations are read as blocks of their own. A presentation's slide number is
  `location.page`.
- Spreadsheets: every `table:table` is a sheet, read as xlsx.py reads one (header row as labels,
  cells like `B7`); dates from `office:date-value` as ISO, numbers from `office:value`.
- `number-columns-repeated` / `number-rows-repeated`: empty runs only advance the position (sheets
  end in a million empty rows); a repeated non-empty cell or row is read at most `_MAX_REPEAT` times.
- A manifest with `manifest:encryption-data` means the parts are encrypted.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from xml.etree.ElementTree import Element

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.xlsx import sheet_segments
from pii_audit.extract.xmldoc import DocumentWalker, local, pruned, read_xml
from pii_audit.model import Extraction, Segment

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_MAX_REPEAT = 100
_MAX_COLUMNS = 16384
_ROW_GROUPS = frozenset({"table-header-rows", "table-rows", "table-row-group"})
_SKIP = frozenset({"note", "frame", "annotation", "table", "tracked-changes"})  # read elsewhere, or not text


class _Odf:
    paragraph = frozenset({"p", "h"})
    table = "table"
    nested = frozenset({"note-body", "text-box", "annotation"})

    def text(self, paragraph: Element) -> str:
        return paragraph_text(paragraph)

    def captions(self, table: Element) -> list[Element]:
        return []  # an ODF caption is a paragraph beside the table, read in its place

    def rows(self, table: Element) -> list[tuple[int, list[tuple[int, Element]]]]:
        return [(r, cells) for r, cells in _grid(table) if cells]


def paragraph_text(paragraph: Element) -> str:
    """A paragraph's own text: spans, links, spaces (`text:s c=`), tabs and line breaks, without
    notes, frames and annotations."""
    out = [paragraph.text or ""]
    stack: list[tuple[Element, Iterator[Element]]] = [(paragraph, iter(paragraph))]
    while stack:
        element, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                out.append(element.tail or "")
            continue
        name = local(child)
        if name in _SKIP or name in ("p", "h"):
            out.append(child.tail or "")
        elif name in ("s", "tab", "line-break"):
            count = _int(child.get(f"{_TEXT}c"), 1) if name == "s" else 1
            out.append({"s": " " * min(count, 1000), "tab": "\t", "line-break": "\n"}[name])
            out.append(child.tail or "")
        else:
            out.append(child.text or "")
            stack.append((child, iter(child)))
    return "".join(out)


def _int(value: str | None, default: int) -> int:
    try:
        return max(int(value or default), 1)
    except ValueError:
        return default


def _grid(table: Element) -> Iterator[tuple[int, list[tuple[int, Element]]]]:
    """(1-based row, [(1-based column, cell)]) with repeats expanded within bounds; empty runs skipped."""
    r = 0
    for row in pruned(table, frozenset({"table-row", "table"})):
        if local(row) != "table-row":
            continue
        repeat = _int(row.get(f"{_TABLE}number-rows-repeated"), 1)
        cells = list(_cells(row))
        if not any(_has_content(cell) for _, cell in cells):
            r += repeat
            continue
        for _ in range(min(repeat, _MAX_REPEAT)):
            r += 1
            yield r, cells
        r += max(repeat - _MAX_REPEAT, 0)


def _cells(row: Element) -> Iterator[tuple[int, Element]]:
    c = 0
    for cell in row:
        if local(cell) not in ("table-cell", "covered-table-cell"):
            continue
        repeat = _int(cell.get(f"{_TABLE}number-columns-repeated"), 1)
        if local(cell) == "covered-table-cell" or not _has_content(cell):
            c += repeat
            continue
        for _ in range(min(repeat, _MAX_REPEAT)):
            c += 1
            yield c, cell
        c += max(repeat - _MAX_REPEAT, 0)
        if c > _MAX_COLUMNS:
            return


def _has_content(cell: Element) -> bool:
    return cell.get(f"{_OFFICE}value-type") is not None or any(t.strip() for t in cell.itertext())


def _cell_value(cell: Element) -> object:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind == "date":
        value = cell.get(f"{_OFFICE}date-value") or ""
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    if kind == "float":
        try:
            return float(cell.get(f"{_OFFICE}value") or "")
        except ValueError:
            pass
    texts = [paragraph_text(p) for p in cell if local(p) in ("p", "h")]
    return "\n".join(t for t in texts if t.strip()) or None


def _sheet_rows(table: Element) -> Iterator[tuple[int, Sequence[object]]]:
    for r, cells in _grid(table):
        values: list[object] = [None] * (cells[-1][0] if cells else 0)
        for c, cell in cells:
            values[c - 1] = _cell_value(cell)
        yield r, values


class OdfExtractor:
    def __init__(self, fmt: str) -> None:
        self.format = fmt

    def extract(self, data: bytes) -> Extraction:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise CorruptFile(f"{self.format}: {type(exc).__name__}") from None
        with archive:
            names = set(archive.namelist())
            manifest = "META-INF/manifest.xml"
            if manifest in names and b"encryption-data" in archive.read(manifest):
                raise EncryptedFile("encrypted: password-protected ODF")
            if "content.xml" not in names:
                raise CorruptFile(f"{self.format}: no content.xml")
            root = read_xml(archive, "content.xml", self.format)
        body = next((e for e in root if local(e) == "body"), None)
        kind = next(iter(body), None) if body is not None else None
        if kind is None:
            return Extraction(format=self.format, segments=())
        segments: list[Segment] = []
        if local(kind) == "spreadsheet":
            for table in pruned(kind, frozenset({"table"})):
                if local(table) == "table":
                    segments.extend(sheet_segments(table.get(f"{_TABLE}name") or "", _sheet_rows(table)))
            return Extraction(format=self.format, segments=tuple(segments))
        walker = DocumentWalker(_Odf(), self.format)
        pages = [e for e in kind if local(e) == "page"]
        if local(kind) in ("presentation", "drawing") and pages:
            for number, page in enumerate(pages, start=1):
                walker.page = number
                walker.body(page)
        else:
            walker.body(kind)
        return Extraction(format=self.format, segments=tuple(walker.segments))
