"""HWP 5.0 (Hangul word processor binary): an OLE compound file of record streams.

Layout (HWP 5.0 file format revision 1.3, Hancom): the `FileHeader` stream starts with the signature
`HWP Document File` and holds properties at byte 36 (bit 0 compressed, bit 1 password, bit 2
distribution document, bit 4 DRM, bit 8 certificate encryption). The body is `BodyText/Section0..N`,
raw-deflated when compressed. A distribution document (bit 2) keeps its body encrypted in
`ViewText/Section0..N` with a key stored in the stream (hwp_distribution.py), and only a stub in
BodyText; a `ViewText/` storage without that bit is not one, and BodyText is read. A stream is
a sequence of records: a 32-bit header (tag 10 bits, level 10 bits, size 12 bits; size 0xFFF means a
32-bit size follows). A paragraph is PARA_HEADER, then at level + 1 its PARA_TEXT (UTF-16LE with
inline controls) and the controls it anchors (CTRL_HEADER); a table control (`tbl `) is followed by
one LIST_HEADER per cell (column at byte 8, row at 10) whose paragraphs are its siblings.

- Prose: consecutive non-empty paragraphs of one container (body, a footnote, a header, a text
  box…) form one PROSE segment. `location.line` is the 1-based number of the top-level paragraph
  (across sections) the text belongs to: nested text gets the line of its anchor.
- Tables: one ROW segment per row under a header row, or one per key:value form (see tables.py);
  fields carry cells `T{t}R{r}C{c}` (1-based table number, row, column).
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import olefile

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.empty import no_text_note
from pii_audit.extract.hwp_distribution import decrypt_section
from pii_audit.extract.tables import Cells, table_segments
from pii_audit.model import Extraction, Location, Segment

SIGNATURE = b"HWP Document File"
_COMPRESSED, _PASSWORD, _DISTRIBUTION, _DRM, _CERT_ENCRYPTED = 0x1, 0x2, 0x4, 0x10, 0x100
_PARA_HEADER, _PARA_TEXT, _CTRL_HEADER, _LIST_HEADER, _TABLE = 66, 67, 71, 72, 77
_TABLE_ID = b" lbt"  # the control id 'tbl ' as a little-endian 32-bit number
_RUBY_ID = b"tudt"  # 'tdut': 덧말 (ruby text), its base and ruby text held in the control header
_DRAWING_ID = b" osg"  # 'gso ': a drawing object (picture, shape, OLE object…)
_OLE, _PICTURE, _DRAWING = 84, 85, -1  # SHAPE_COMPONENT_OLE / _PICTURE records; -1 counts 'gso ' controls
_MAX_SECTION = 256 * 1024 * 1024  # inflated bytes of one section: beyond this it is a bomb, not a document
_SECTION = re.compile(r"Section(\d+)$")

# PARA_TEXT control characters (codes 0-31). Extended and inline controls occupy 8 code units (the
# code, a 12-byte parameter, the code again); character controls occupy one.
_WIDE_CONTROLS = frozenset([*range(1, 10), 11, 12, *range(14, 24)])
_CONTROL_TEXT = {9: "\t", 10: "\n", 24: "-", 30: " ", 31: " "}  # tab, line break, hyphen, kept/fixed spaces


def is_hwp(ole: olefile.OleFileIO) -> bool:
    if not ole.exists("FileHeader"):
        return False
    with ole.openstream("FileHeader") as stream:
        return bool(stream.read(len(SIGNATURE)) == SIGNATURE)


class HwpExtractor:
    format = "hwp"

    def extract(self, data: bytes) -> Extraction:
        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
        except (OSError, ValueError, struct.error, IndexError) as exc:
            raise CorruptFile(f"hwp: {type(exc).__name__}") from None
        with ole:
            if not ole.exists("FileHeader"):
                raise CorruptFile("hwp: no FileHeader stream")
            header = ole.openstream("FileHeader").read(256)
            if not header.startswith(SIGNATURE) or len(header) < 40:
                raise CorruptFile("hwp: bad FileHeader")
            (flags,) = struct.unpack_from("<I", header, 36)
            if flags & _PASSWORD:
                raise EncryptedFile("encrypted: password-protected HWP")
            if flags & (_DRM | _CERT_ENCRYPTED):
                raise EncryptedFile("encrypted: DRM-protected HWP")
            walker = _Walker()
            distribution = bool(flags & _DISTRIBUTION)
            if distribution:
                walker.notes.append("distribution document (배포용 문서): body decrypted from ViewText")
            sections = _sections(ole, "ViewText" if distribution else "BodyText")
            if distribution and not sections:
                raise CorruptFile("hwp: distribution document without ViewText sections")
            for path in sections:
                raw = ole.openstream(path).read()
                if distribution:
                    raw = decrypt_section(raw, path, walker.notes)
                body = _inflate(raw, walker.notes, path) if flags & _COMPRESSED else raw
                walker.section(_records(body, walker.notes, path))
        if not walker.segments:
            where = f"{len(sections)} section{'s' if len(sections) != 1 else ''} of the body"
            held = {"image": walker.objects[_PICTURE], "embedded OLE object": walker.objects[_OLE],
                    "drawing object": walker.objects[_DRAWING] - walker.objects[_PICTURE] - walker.objects[_OLE],
                    "table with empty cells": walker.tables}  # fmt: skip
            walker.notes.append(no_text_note(where, held))
        return Extraction(format=self.format, segments=tuple(walker.segments), notes=tuple(walker.notes))


def _sections(ole: olefile.OleFileIO, storage: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for path in ole.listdir(streams=True, storages=False):
        if len(path) == 2 and path[0] == storage and (match := _SECTION.match(path[1])):
            found.append((int(match.group(1)), "/".join(path)))
    return [path for _, path in sorted(found)]


def _inflate(raw: bytes, notes: list[str], path: str) -> bytes:
    inflater = zlib.decompressobj(-15)
    try:
        body = inflater.decompress(raw, _MAX_SECTION + 1)
    except zlib.error as exc:
        raise CorruptFile(f"hwp: {path}: bad compressed data") from exc
    if len(body) > _MAX_SECTION:
        raise CorruptFile(f"hwp: {path} inflates past {_MAX_SECTION // (1024 * 1024)} MiB")
    if not inflater.eof:
        notes.append(f"{path}: compressed stream cut short; read what was there")
    return body


@dataclass
class _Record:
    tag: int
    level: int
    body: bytes


def _records(data: bytes, notes: list[str], path: str) -> Iterator[_Record]:
    pos = 0
    while pos + 4 <= len(data):
        (header,) = struct.unpack_from("<I", data, pos)
        pos += 4
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        if size == 0xFFF:
            if pos + 4 > len(data):
                break
            (size,) = struct.unpack_from("<I", data, pos)
            pos += 4
        if pos + size > len(data):
            notes.append(f"{path}: last record cut short")
            return
        yield _Record(tag, level, data[pos : pos + size])
        pos += size


def para_text(body: bytes) -> str:
    """The text of a PARA_TEXT record, without its control characters (a table anchor, a field
    start, a footnote mark…). Private-use code points (Hancom's own glyphs) are kept as they are."""
    units = struct.unpack(f"<{len(body) // 2}H", body[: len(body) // 2 * 2])
    out: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit < 32:
            if unit in _CONTROL_TEXT:
                out.append(_CONTROL_TEXT[unit])
            i += 8 if unit in _WIDE_CONTROLS else 1
            continue
        out.append(chr(unit))
        i += 1
    # Rejoin surrogate pairs and drop lone ones, which a damaged record may hold.
    return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")


def ruby_text(body: bytes) -> str:
    """` base(ruby)` from a 덧말 control header: after the id, a 16-bit length and that many UTF-16
    units of base text, then the same for the ruby text. The base text is not in the paragraph's
    own text (the control stands in its place), so both are added after it."""
    parts: list[str] = []
    at = 4
    for _ in range(2):
        if at + 2 > len(body):
            break
        (length,) = struct.unpack_from("<H", body, at)
        parts.append(body[at + 2 : at + 2 + 2 * length].decode("utf-16-le", "ignore").strip())
        at += 2 + 2 * length
    base, ruby = (parts + ["", ""])[:2]
    if not base and not ruby:
        return ""
    return f" {base}({ruby})" if ruby else f" {base}"


@dataclass
class _Table:
    level: int  # of its CTRL_HEADER; its cells' LIST_HEADERs and paragraphs are one deeper
    number: int
    line: int
    cells: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    current: tuple[int, int] | None = None
    started: bool = False  # the TABLE record came: LIST_HEADERs before it are a caption, not cells


@dataclass
class _Paragraph:
    level: int
    cell: list[str] | None  # the texts of the table cell it is in, if any
    text: str = ""


class _Walker:
    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.notes: list[str] = []
        self.line = 0  # top-level paragraphs so far, across sections
        self.tables = 0
        self.objects: Counter[int] = Counter()  # what holds no text: pictures, OLE objects, drawings
        self._block: list[str] = []
        self._block_level = -1
        self._block_line = 0

    def section(self, records: Iterator[_Record]) -> None:
        stack: list[_Table] = []
        paragraph: _Paragraph | None = None
        for record in records:
            if record.tag in (_OLE, _PICTURE):
                self.objects[record.tag] += 1
            elif record.tag == _CTRL_HEADER and record.body[:4] == _DRAWING_ID:
                self.objects[_DRAWING] += 1
            if stack and record.level <= stack[-1].level:
                self._end(paragraph)
                paragraph = None
                while stack and record.level <= stack[-1].level:
                    self._table(stack.pop())
            if record.tag == _PARA_HEADER:
                self._end(paragraph)
                paragraph = _Paragraph(record.level, self._cell(stack, record.level))
                if record.level == 0:
                    self.line += 1
            elif record.tag == _PARA_TEXT and paragraph is not None and record.level == paragraph.level + 1:
                paragraph.text = para_text(record.body) + paragraph.text
            elif record.tag == _CTRL_HEADER and record.body[:4] == _RUBY_ID and paragraph is not None:
                paragraph.text += ruby_text(record.body)
            elif record.tag == _CTRL_HEADER and record.body[:4] == _TABLE_ID:
                self._end(paragraph)
                paragraph = None
                self._flush()
                self.tables += 1
                stack.append(_Table(record.level, self.tables, self.line))
            elif stack and record.level == stack[-1].level + 1:
                table = stack[-1]
                if record.tag == _TABLE:
                    table.started = True
                elif record.tag == _LIST_HEADER:
                    table.current = None
                    if table.started and len(record.body) >= 12:
                        column, row = struct.unpack_from("<HH", record.body, 8)
                        table.current = (row, column)
                        table.cells.setdefault(table.current, [])
        self._end(paragraph)
        while stack:
            self._table(stack.pop())
        self._flush()

    @staticmethod
    def _cell(stack: list[_Table], level: int) -> list[str] | None:
        if stack and level == stack[-1].level + 1 and stack[-1].current is not None:
            return stack[-1].cells[stack[-1].current]
        return None

    def _end(self, paragraph: _Paragraph | None) -> None:
        """A paragraph is complete: into its table cell, or into the current prose block."""
        if paragraph is None:
            return
        text = paragraph.text.strip("\r\n")
        if paragraph.cell is not None:
            paragraph.cell.append(text)
            return
        if not text.strip() or paragraph.level != self._block_level:
            self._flush()
        if text.strip():
            if not self._block:
                self._block_line = self.line
                self._block_level = paragraph.level
            self._block.append(text)

    def _flush(self) -> None:
        if self._block:
            location = Location(line=self._block_line or None)
            self.segments.append(Segment(text="\n".join(self._block), location=location))
        self._block = []
        self._block_level = -1

    def _table(self, table: _Table) -> None:
        self._flush()
        rows: dict[int, Cells] = {}
        for (row, column), texts in sorted(table.cells.items()):
            text = "\n".join(t for t in texts if t.strip()).strip()
            rows.setdefault(row + 1, []).append((column + 1, text))
        t = table.number
        location = Location(line=table.line or None)
        self.segments.extend(table_segments(sorted(rows.items()), lambda r, c: f"T{t}R{r}C{c}", location))
