"""DOCX through python-docx, in document order: body paragraphs interleaved with tables, then the
headers and footers of every section, text boxes, footnotes, endnotes and comments. A Strict Open
XML document is made transitional first (ooxml.py).

- Prose: consecutive non-empty paragraphs form one PROSE segment; a blank paragraph or a table ends
  it. `location.line` is the 1-based number of the block's first body paragraph (blank paragraphs
  count, table contents do not); prose outside the body has `line=None`. Tracked insertions are
  text; tracked deletions follow their paragraph as a line of their own (still in the file). Text
  boxes are read once (a drawing's VML fallback copy is skipped), as blocks of their own.
- Tables: fields carry cells `T{t}R{r}C{c}` (1-based table number in document order, row, and
  layout-grid column). A table whose first row is a header row gives one ROW segment per following
  row; a key:value form (`성명 | 홍길동`, also alternating `성명 | 홍길동 | 생년월일 | 1980-01-01`)
  gives one ROW segment for the whole table, so a person's form stays one record; any other table
  gives unlabelled row segments. Nested tables are extracted as tables of their own.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.parser import parse_xml
from docx.table import Table, _Cell
from lxml import etree

from pii_audit.errors import CorruptFile
from pii_audit.extract.empty import no_text_note
from pii_audit.extract.ooxml import transitional
from pii_audit.extract.tables import Cells, table_segments
from pii_audit.model import Extraction, Location, Segment

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Parts beside the body whose text a reader of the file sees: (relationship type suffix, item element).
_NOTE_PARTS = (("/footnotes", "footnote"), ("/endnotes", "endnote"), ("/comments", "comment"))
# Not text: field codes, text moved away (it is repeated where it moved to), the VML copy of a drawing,
# and text boxes (read once, as blocks of their own).
_SKIP = frozenset({f"{_W}instrText", f"{_W}delInstrText", f"{_W}moveFrom", f"{_W}txbxContent", _MC_FALLBACK})
_HELD = {f"{_W}drawing": "drawing or image", f"{_W}pict": "drawing or image", f"{_W}object": "embedded object"}
_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


class DocxExtractor:
    format = "docx"

    def extract(self, data: bytes) -> Extraction:
        try:
            document = docx.Document(io.BytesIO(_as_plain_document(transitional(data, "word/document.xml"))))
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise CorruptFile(f"docx: {type(exc).__name__}") from None
        walker = _Walker()
        walker.walk(document.element.body, document, number_lines=True)
        seen: set[str] = set()
        for section in document.sections:
            parts = (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer)  # fmt: skip
            for part in parts:
                if part.is_linked_to_previous or str(part.part.partname) in seen:
                    continue  # no definition of its own, or a part another section already gave
                seen.add(str(part.part.partname))
                walker.walk(part._element, part, number_lines=False)
                _text_boxes(walker, part._element, part)
        _text_boxes(walker, document.element.body, document)
        for note in _note_parts(document):
            walker.walk(note, document, number_lines=False)
            _text_boxes(walker, note, document)
        if not walker.segments and not walker.notes:
            held = Counter(_HELD.get(e.tag, "") for e in document.element.body.iter() if isinstance(e.tag, str))
            held["table with empty cells"] = walker.tables
            walker.notes.append(no_text_note("the document", {k: v for k, v in held.items() if k}))
        return Extraction(format=self.format, segments=tuple(walker.segments), notes=tuple(walker.notes))


_MAIN_TYPES = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",  # .docm
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",  # .dotx
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",  # .dotm
)
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _as_plain_document(data: bytes) -> bytes:
    """python-docx opens only the .docx main-part type; templates and macro documents have the
    same body, so relabel their main part (in memory; the file is never touched)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if not any(t in types for t in _MAIN_TYPES):
            return data
        for t in _MAIN_TYPES:
            types = types.replace(t, _DOCUMENT_TYPE)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                body = types if info.filename == "[Content_Types].xml" else source.read(info)
                target.writestr(info, body)
    return out.getvalue()


class _Walker:
    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.notes: list[str] = []
        self.tables = 0

    def walk(self, container: Any, parent: Any, number_lines: bool) -> None:
        block: list[str] = []
        first = 0
        number = 0
        for kind, element in _blocks(container):
            if kind == "p":
                number += 1
                text, deleted = paragraph_text(element)
                lines = [t for t in (text, deleted) if t.strip()]
                if lines:
                    first = first or number
                    block.extend(lines)
                    continue
            self._flush(block, first if number_lines else None)
            block, first = [], 0
            if kind == "tbl":
                self._table(Table(element, parent))
        self._flush(block, first if number_lines else None)

    def _flush(self, block: list[str], line: int | None) -> None:
        if block:
            self.segments.append(Segment(text="\n".join(block), location=Location(line=line)))

    def _table(self, table: Table) -> None:
        self.tables += 1
        t = self.tables
        try:
            rows = [_row_cells(row) for row in table.rows]
        except (ValueError, IndexError):  # a broken merge (vMerge with no cell above): keep the rest
            self.notes.append(f"table {t}: unreadable layout, skipped")
            return
        numbered = list(enumerate(rows, start=1))
        self.segments.extend(table_segments(numbered, lambda r, c: f"T{t}R{r}C{c}", Location()))
        # Nested tables: the cell text leaves them out.
        for row in table.rows:
            for cell in _distinct(row.cells):
                for nested in cell.tables:
                    self._table(nested)


def _blocks(container: Any) -> Iterator[tuple[str, Any]]:
    """Paragraphs and tables in order; content controls (`w:sdt`) are looked into."""
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield "p", child
        elif child.tag == f"{_W}tbl":
            yield "tbl", child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _distinct(cells: tuple[_Cell, ...]) -> list[_Cell]:
    """A merged cell repeats once per grid column it spans; keep it once."""
    out: list[_Cell] = []
    for cell in cells:
        if not out or cell._tc is not out[-1]._tc:
            out.append(cell)
    return out


def _row_cells(row: Any) -> Cells:
    column = row.grid_cols_before + 1
    out: Cells = []
    previous = None
    for cell in row.cells:
        if previous is None or cell._tc is not previous._tc:
            out.append((column, _cell_text(cell._tc)))
        previous = cell
        column += 1
    return out


def _cell_text(tc: Any) -> str:
    lines: list[str] = []
    for kind, element in _blocks(tc):
        if kind == "p":
            lines.extend(t for t in paragraph_text(element) if t)
    return "\n".join(lines).strip()


def paragraph_text(p: Any) -> tuple[str, str]:
    """(current text, tracked deletions) of a `w:p`. Inserted runs (`w:ins`), hyperlinks, fields and
    inline content controls count as text; deleted runs are kept apart, since a deleted name or
    address is still in the file."""
    text: list[str] = []
    deleted: list[str] = []
    stack = [iter(p)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{_W}t":
            text.append(element.text or "")
        elif tag == f"{_W}delText":
            deleted.append(element.text or "")
        elif tag in _CHARS:
            text.append(_CHARS[tag])
        elif len(element):
            stack.append(iter(element))
    return "".join(text), "".join(deleted)


def _text_boxes(walker: _Walker, root: Any, parent: Any) -> None:
    """Text boxes once each: drawings carry a VML fallback copy of the same box, which is skipped."""
    for box in root.iter(f"{_W}txbxContent"):
        if not any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
            walker.walk(box, parent, number_lines=False)


def _note_parts(document: Any) -> Iterator[Any]:
    """Footnotes, endnotes and comments, each note as a container of paragraphs and tables."""
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        for suffix, item in _NOTE_PARTS:
            if rel.reltype.endswith(suffix):
                root = parse_xml(rel.target_part.blob)
                for note in root.iterchildren(f"{_W}{item}"):
                    if note.get(f"{_W}type") in (None, "normal"):  # not the separator lines
                        yield note
