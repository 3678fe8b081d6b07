"""HTML through the stdlib parser: the text a browser shows, without scripts and styles.

Block elements (p, div, li, br, headings…) end lines; consecutive lines form one PROSE segment, and a
heading, a rule or an empty block starts a new one. `location.line` is the source line of the
segment's first text. Tables become ROW segments (tables.table_segments) with `th` rows or a header-
like first row as labels; cells `T{t}R{r}C{c}`. Entities are decoded; the charset comes from a BOM,
then a `<meta>` declaration, then detection.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pii_audit.extract.base import row_segment
from pii_audit.extract.encoding import decode_text
from pii_audit.extract.tables import Cells, table_segments
from pii_audit.model import Extraction, Location, Segment

# Only what is never rendered: an unclosed <head> must not hide a page, and a <title> is shown too.
_HIDDEN = frozenset({"script", "style", "template"})
_BREAK = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "hr", "section", "article", "header", "footer"})
_BLOCK = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "br", "blockquote", "pre", "address", "form", "fieldset",
    "main", "nav", "aside", "figure", "figcaption", "caption", "body", "html", "center", "legend", "option",
    "title", "head",
    *_BREAK,
})  # fmt: skip
_CELLS = frozenset({"td", "th"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ALIASES = {"euc-kr": "cp949", "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "x-windows-949": "cp949"}
_MAX_NESTING = 100


def decode_html(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)[0]
    match = _META_CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii").lower()
        name = _ALIASES.get(name, name)
        try:
            return data.decode(name).replace("\x00", "")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


@dataclass
class _Table:
    rows: list[tuple[Cells, bool]] = field(default_factory=list)  # cells, all header cells
    row: Cells | None = None
    header_row: bool = True
    cell: list[str] | None = None
    line: int = 0


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[Segment] = []
        self.tables = 0
        self._hidden = 0
        self._pre = 0
        self._stack: list[_Table] = []
        self._line: list[str] = []
        self._line_no = 0
        self._block: list[str] = []
        self._block_line = 0

    # --- prose -------------------------------------------------------------------------------
    def _end_line(self) -> None:
        text = " ".join("".join(self._line).split()) if not self._pre else "".join(self._line).strip("\n")
        self._line = []
        if text:
            if not self._block:
                self._block_line = self._line_no
            self._block.append(text)

    def _flush(self) -> None:
        self._end_line()
        if self._block:
            self.segments.append(Segment(text="\n".join(self._block), location=Location(line=self._block_line)))
        self._block = []

    # --- parser events -----------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "table":
            self._flush()
            if len(self._stack) >= _MAX_NESTING:
                return
            self._close_cell()
            self._stack.append(_Table(line=self.getpos()[0]))
        elif tag == "tr" and self._stack:
            self._close_row()
            self._stack[-1].row, self._stack[-1].header_row = [], True
        elif tag in _CELLS and self._stack:
            table = self._stack[-1]
            self._close_cell()
            if table.row is None:
                table.row, table.header_row = [], True
            table.cell = []
            table.header_row = table.header_row and tag == "th"
        elif tag in _BREAK:
            self._flush()
        elif tag in _BLOCK:
            self._newline()
        if tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        elif tag == "table" and self._stack:
            self._close_row()
            self._emit(self._stack.pop())
        elif tag == "tr" and self._stack:
            self._close_row()
        elif tag in _CELLS and self._stack:
            self._close_cell()
        elif tag in _BREAK or tag == "p":
            self._flush() if tag in _BREAK else self._newline()
        elif tag in _BLOCK:
            self._newline()
        if tag == "pre":
            self._pre = max(self._pre - 1, 0)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._stack and self._stack[-1].cell is not None:
            self._stack[-1].cell.append(data)
            return
        if not self._line and data.strip():
            self._line_no = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        if self._pre and "\n" in data:
            first, *rest = data.split("\n")
            self._line.append(first)
            for part in rest:
                self._end_line()
                self._line.append(part)
            return
        self._line.append(data)

    def _newline(self) -> None:
        if self._stack and self._stack[-1].cell is not None:
            self._stack[-1].cell.append("\n")
        else:
            self._end_line()

    # --- tables ------------------------------------------------------------------------------
    def _close_cell(self) -> None:
        table = self._stack[-1] if self._stack else None
        if table is None or table.cell is None:
            return
        lines = (" ".join(line.split()) for line in "".join(table.cell).split("\n"))
        text = "\n".join(line for line in lines if line)
        if table.row is None:
            table.row = []
        table.row.append((len(table.row) + 1, text))
        table.cell = None

    def _close_row(self) -> None:
        self._close_cell()
        table = self._stack[-1]
        if table.row:
            table.rows.append((table.row, table.header_row))
        table.row = None

    def _emit(self, table: _Table) -> None:
        self.tables += 1
        t = self.tables
        rows = [(r, cells) for r, (cells, _) in enumerate(table.rows, start=1)]
        location = Location(line=table.line)
        if table.rows and table.rows[0][1] and len(rows) >= 2:  # a row of <th>: the header, whatever it says
            header = {c: text for c, text in rows[0][1]}
            for r, cells in rows[1:]:
                labels = [header.get(c) for c, _ in cells]
                segment = _labelled(labels, cells, t, r, location)
                if segment is not None:
                    self.segments.append(segment)
        else:
            self.segments.extend(table_segments(rows, lambda r, c: f"T{t}R{r}C{c}", location))

    def close(self) -> None:
        super().close()
        while self._stack:
            self._close_row()
            self._emit(self._stack.pop())
        self._flush()


def _labelled(labels: list[str | None], cells: Cells, t: int, r: int, location: Location) -> Segment | None:
    return row_segment(labels, [text for _, text in cells], location, [f"T{t}R{r}C{c}" for c, _ in cells])


class HtmlExtractor:
    format = "html"

    def extract(self, data: bytes) -> Extraction:
        parser = _Parser()
        parser.feed(decode_html(data))
        parser.close()
        return Extraction(format=self.format, segments=tuple(parser.segments))
