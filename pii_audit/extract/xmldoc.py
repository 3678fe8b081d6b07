"""A walk over XML word-processing documents (HWPX sections, ODF content) that reads every text
once: a paragraph's own text excludes what is nested in it (table cells, text boxes, notes), which
is read as a table or as blocks of its own, after the paragraph.

- Prose: consecutive non-empty paragraphs of one container form one PROSE segment; `location.line`
  is the 1-based number of the top-level paragraph the text belongs to (nested text: its anchor's).
- Tables: see tables.table_segments; cells `T{t}R{r}C{c}` (table number in document order).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from typing import Protocol
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from pii_audit.errors import CorruptFile
from pii_audit.extract.tables import Cells, table_segments
from pii_audit.model import Location, Segment

MAX_NESTING = 100  # tables in text boxes in tables…: a document deeper than this is built to hurt
MAX_MEMBER = 256 * 1024 * 1024  # inflated bytes of one XML part


def local(element: Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_xml(archive: zipfile.ZipFile, name: str, fmt: str) -> Element:
    """A zip member parsed without expanding entities (billion laughs) or fetching anything (XXE)."""
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER:
        raise CorruptFile(f"{fmt}: {name} inflates past {MAX_MEMBER // (1024 * 1024)} MiB")
    try:
        return fromstring(archive.read(info))
    except (ParseError, DefusedXmlException) as exc:
        raise CorruptFile(f"{fmt}: {type(exc).__name__} in {name}") from None


def pruned(root: Element, stop: frozenset[str]) -> Iterator[Element]:
    """Descendants in document order; an element whose local name is in `stop` is yielded but not
    entered."""
    stack = [iter(root)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        yield element
        if local(element) not in stop:
            stack.append(iter(element))


class Dialect(Protocol):
    paragraph: frozenset[str]  # local names of paragraphs
    table: str  # local name of a table
    nested: frozenset[str]  # containers of paragraphs that may sit inside a paragraph (text box, note)

    def text(self, paragraph: Element) -> str:
        """The paragraph's own text, without nested containers and tables."""
        ...

    def rows(self, table: Element) -> list[tuple[int, list[tuple[int, Element]]]]:
        """(1-based row, [(1-based column, container of the cell's paragraphs)]) of a table."""
        ...

    def captions(self, table: Element) -> list[Element]:
        """Containers of paragraphs that belong to the table but not to a cell (its caption), read
        as blocks of their own before its rows."""
        ...


class DocumentWalker:
    def __init__(self, dialect: Dialect, fmt: str) -> None:
        self.dialect = dialect
        self.format = fmt
        self.segments: list[Segment] = []
        self.line = 0
        self.page: int | None = None  # set by the caller while it walks one page (a slide)
        self.tables = 0
        self._block: list[str] = []
        self._block_key: object = None
        self._block_line = 0
        self._stop = dialect.paragraph | dialect.nested | {dialect.table}

    def body(self, root: Element, depth: int = 0) -> None:
        """The paragraphs and tables of a container, in order; top level when depth is 0."""
        if depth > MAX_NESTING:
            raise CorruptFile(f"{self.format}: nested deeper than {MAX_NESTING}")
        for element in pruned(root, self._stop):
            name = local(element)
            if name in self.dialect.paragraph:
                self._paragraph(element, root, depth)
            elif name == self.dialect.table:
                self._table(element, depth)
            elif name in self.dialect.nested:
                self._flush()
                self.body(element, depth + 1)
        self._flush()

    def _paragraph(self, paragraph: Element, container: Element, depth: int) -> None:
        if depth == 0:
            self.line += 1
        text = self.dialect.text(paragraph).strip("\r\n")
        if not text.strip() or container is not self._block_key:
            self._flush()
        if text.strip():
            if not self._block:
                self._block_line = self.line
                self._block_key = container
            self._block.append(text)
        self._nested(paragraph, depth)

    def _nested(self, paragraph: Element, depth: int) -> None:
        stop = self.dialect.nested | {self.dialect.table}
        for element in pruned(paragraph, stop):
            name = local(element)
            if name == self.dialect.table:
                self._table(element, depth + 1)
            elif name in self.dialect.nested:
                self._flush()
                self.body(element, depth + 1)

    def _table(self, table: Element, depth: int) -> None:
        if depth > MAX_NESTING:
            raise CorruptFile(f"{self.format}: nested deeper than {MAX_NESTING}")
        self._flush()
        for caption in self.dialect.captions(table):
            self.body(caption, depth + 1)
        self.tables += 1
        t = self.tables
        rows: list[tuple[int, Cells]] = []
        inner: list[Element] = []  # what cells hold besides their paragraphs' text: read after the table
        for r, cells in self.dialect.rows(table):
            row: Cells = []
            for c, cell in cells:
                texts: list[str] = []
                for element in pruned(cell, self._stop):
                    name = local(element)
                    if name in self.dialect.paragraph:
                        texts.append(self.dialect.text(element).strip())
                    if name in self._stop:
                        inner.append(element)
                row.append((c, "\n".join(t for t in texts if t)))
            rows.append((r, row))
        location = Location(line=self.line or None, page=self.page)
        self.segments.extend(table_segments(rows, lambda r, c: f"T{t}R{r}C{c}", location))
        for element in inner:
            name = local(element)
            if name in self.dialect.paragraph:
                self._nested(element, depth)
            elif name == self.dialect.table:
                self._table(element, depth + 1)
            elif name in self.dialect.nested:
                self.body(element, depth + 1)
        self._flush()

    def _flush(self) -> None:
        if self._block:
            location = Location(line=self._block_line or None, page=self.page)
            self.segments.append(Segment(text="\n".join(self._block), location=location))
        self._block = []
        self._block_key = None


def section_order(names: Sequence[str], prefix: str, suffix: str) -> list[str]:
    """Members `prefix<N>suffix` by N."""
    found: list[tuple[int, str]] = []
    for name in names:
        middle = name[len(prefix) : len(name) - len(suffix)] if name.startswith(prefix) else ""
        if name.endswith(suffix) and middle.isdigit():
            found.append((int(middle), name))
    return [name for _, name in sorted(found)]
