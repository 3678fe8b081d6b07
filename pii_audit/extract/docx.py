"""DOCX through python-docx, in document order: body paragraphs interleaved with tables, then the
headers and footers of every section.

- Prose: consecutive non-empty paragraphs form one PROSE segment; a blank paragraph or a table ends
  it. `location.line` is the 1-based number of the block's first body paragraph (blank paragraphs
  count, table contents do not); header/footer prose has `line=None`.
- Tables: fields carry cells `T{t}R{r}C{c}` (1-based table number in document order, row, and
  layout-grid column). A table whose first row is a header row gives one ROW segment per following
  row; a key:value form (`성명 | 홍길동`, also alternating `성명 | 홍길동 | 생년월일 | 1980-01-01`)
  gives one ROW segment for the whole table, so a person's form stays one record; any other table
  gives unlabelled row segments. Nested tables are extracted as tables of their own.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from pii_audit.errors import CorruptFile
from pii_audit.extract.base import row_segment
from pii_audit.extract.tables import has_label_word, is_label, looks_like_header
from pii_audit.model import Extraction, Location, Segment

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

Cells = list[tuple[int, str]]  # (1-based grid column, text) of the distinct cells of a row


class DocxExtractor:
    format = "docx"

    def extract(self, data: bytes) -> Extraction:
        try:
            document = docx.Document(io.BytesIO(_as_plain_document(data)))
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
                text = Paragraph(element, parent).text
                if text.strip():
                    first = first or number
                    block.append(text)
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
        numbered = [(r, cells) for r, cells in enumerate(rows, start=1) if any(text for _, text in cells)]
        if _is_form([cells for _, cells in numbered]):
            self._form(t, numbered)
        elif len(numbered) >= 2 and looks_like_header([text for _, text in numbered[0][1]]):
            header = _header_map(numbered[0][1])
            for r, cells in numbered[1:]:
                self._row(t, r, cells, [header.get(c) for c, _ in cells])
        else:
            for r, cells in numbered:
                self._row(t, r, cells, [])
        # Nested tables: python-docx's cell text leaves them out.
        for row in table.rows:
            for cell in _distinct(row.cells):
                for nested in cell.tables:
                    self._table(nested)

    def _row(self, t: int, r: int, cells: Cells, headers: list[str | None]) -> None:
        refs = [f"T{t}R{r}C{c}" for c, _ in cells]
        segment = row_segment(headers, [text for _, text in cells], Location(), refs)
        if segment is not None:
            self.segments.append(segment)

    def _form(self, t: int, rows: list[tuple[int, Cells]]) -> None:
        labels: list[str | None] = []
        values: list[str] = []
        refs: list[str | None] = []
        for r, cells in rows:
            for i in range(0, len(cells), 2):
                pair = cells[i : i + 2]
                if len(pair) == 1:  # a lone cell (a section title across the form): unlabelled
                    labels.append(None)
                    column, value = pair[0]
                else:
                    labels.append(pair[0][1])
                    column, value = pair[1]
                values.append(value)
                refs.append(f"T{t}R{r}C{column}")
        segment = row_segment(labels, values, Location(), refs)
        if segment is not None:
            self.segments.append(segment)


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
            out.append((column, cell.text.strip()))
        previous = cell
        column += 1
    return out


def _header_map(cells: Cells) -> dict[int, str]:
    """Grid column → header text; a merged header cell labels every column it spans."""
    out: dict[int, str] = {}
    for i, (column, text) in enumerate(cells):
        end = cells[i + 1][0] if i + 1 < len(cells) else column + 1
        for c in range(column, end):
            out[c] = text
    return out


def _is_form(rows: list[Cells]) -> bool:
    """Labels (known form words) in the even positions, values in the odd ones.

    Names and labels are both short Hangul words, so the label vocabulary is what tells a form
    (`성명 | 홍길동`) from a two-column list of people (`홍길동 | 010-…`); values rarely are labels,
    which tells a form from a header row (`성명 | 생년월일`).
    """
    keys = [cells[i][1] for cells in rows for i in range(0, len(cells) - 1, 2) if cells[i][1]]
    values = [cells[i][1] for cells in rows for i in range(1, len(cells), 2) if cells[i][1]]
    if not keys:
        return False
    labelled = [k for k in keys if is_label(k) and has_label_word(k)]
    value_labels = [v for v in values if is_label(v) and has_label_word(v)]
    return len(labelled) >= len(keys) * 0.5 and len(value_labels) < max(len(values), 1) * 0.25
