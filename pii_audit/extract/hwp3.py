"""HWP 3.0 (한글 3.0 to 97): one binary stream, read as Hancom's published "HWP 3.0 file format" lays it out.

Layout: a 30-byte signature (`HWP Document File V3.00 \\x1a\\x01\\x02\\x03\\x04\\x05`), 128 bytes of
document information (a password flag at 96, a compression flag at 124, the length of the
information block at 126), 1008 bytes of summary and that information block; then, raw-deflated
when compressed: font names (7 groups of a count and 40-byte names), styles (a count, 238 bytes
each) and the paragraph list.

A paragraph: 43 bytes of information (previous-shape flag, character count, line count,
character-shape flag, …, a 31-byte representative character shape), its own 187-byte paragraph
shape unless it reuses the previous one, 14 bytes per line, then per character a one-byte flag and
a 31-byte shape when the flag is 0 (only when the character-shape flag is set), then the
characters: 16-bit codes, where 상용조합형 (Johab) Hangul has the top bit set and codes below 32
are controls with data of their own. Tables and text boxes (10), pictures (11), hidden comments
(15), headers and footers (16) and footnotes (17) carry paragraph lists of their own (table cells,
captions, notes), read where they stand. A list ends with a paragraph of no characters.

Each top-level paragraph is one line (`location.line`, 1-based); consecutive non-empty paragraphs
form a PROSE block, and nested lists (cells, notes) give blocks of their own. Hanja and symbols in
HWP's own code tables have no Unicode mapping here: they are left out and counted in a note.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.empty import no_text_note
from pii_audit.extract.tables import Cells, table_segments
from pii_audit.model import Extraction, Location, Segment

SIGNATURE = b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05"
_INFO, _SUMMARY = 128, 1008
_FONT_NAME, _STYLE = 40, 20 + 31 + 187
_PARA_INFO, _PARA_SHAPE, _CHAR_SHAPE, _LINE = 43, 187, 31, 14
_MAX_BODY = 256 * 1024 * 1024
_MAX_DEPTH = 30  # lists in cells in text boxes…: deeper than this is built to hurt
_END_PARA = 13
# Extra bytes after the code of each fixed-size control (the code repeated at their end included).
_FIXED = {7: 82, 8: 94, 9: 6, 18: 6, 19: 6, 20: 6, 21: 6, 22: 22, 23: 8, 24: 4, 25: 4, 26: 244, 28: 62, 30: 2, 31: 2}
_TEXT = {9: "\t", 24: "-", 30: " ", 31: " "}
_SKIP_BLOCK = frozenset({0, 1, 2, 3, 4, 12, 27, 29})  # a 32-bit length, the code again, then that many bytes


def is_hwp3(data: bytes) -> bool:
    return data.startswith(SIGNATURE[:23])


class Hwp3Extractor:
    format = "hwp3"

    def extract(self, data: bytes) -> Extraction:
        if len(data) < len(SIGNATURE) + _INFO + _SUMMARY or not data.startswith(SIGNATURE[:23]):
            raise CorruptFile("hwp3: file shorter than its headers")
        info = data[len(SIGNATURE) : len(SIGNATURE) + _INFO]
        (password,) = struct.unpack_from("<H", info, 96)
        if password:
            raise EncryptedFile("encrypted: password-protected HWP 3.0")
        compressed = info[124]
        (info_block,) = struct.unpack_from("<H", info, 126)
        body = data[len(SIGNATURE) + _INFO + _SUMMARY + info_block :]
        notes: list[str] = []
        if compressed:
            inflater = zlib.decompressobj(-15)
            try:
                body = inflater.decompress(body, _MAX_BODY + 1)
            except zlib.error:
                raise CorruptFile("hwp3: bad compressed data") from None
            if len(body) > _MAX_BODY:
                raise CorruptFile(f"hwp3: body inflates past {_MAX_BODY // (1024 * 1024)} MiB")
            if not inflater.eof:
                notes.append("compressed body cut short; read what was there")
        reader = _Reader(body, notes)
        try:
            reader.skip_fonts_and_styles()
            reader.body()
        except _Truncated:
            notes.append("document ends inside a paragraph; read what was there")
        reader.flush()
        if not reader.segments:
            held = {"picture": reader.pictures, "table with empty cells": reader.tables}
            notes.append(no_text_note("the paragraph list", held))
        if reader.unmapped:
            notes.append(f"{reader.unmapped} Hanja/symbol characters in HWP 3.0's own codes not decoded")
        return Extraction(format=self.format, segments=tuple(reader.segments), notes=tuple(notes))


class _Truncated(Exception):
    pass


@dataclass
class _Table:
    cells: list[tuple[int, int, str]]  # (y, x, text) in the box's own units
    caption: str


@dataclass
class _Paragraph:
    text: str
    nested: list[_Table | str] = field(default_factory=list)  # what its controls hold, in order


@dataclass
class _Reader:
    data: bytes
    notes: list[str]
    pos: int = 0
    line: int = 0
    tables: int = 0
    pictures: int = 0
    unmapped: int = 0
    segments: list[Segment] = field(default_factory=list)
    _block: list[str] = field(default_factory=list)
    _block_line: int = 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise _Truncated
        out = self.data[self.pos : self.pos + size]
        self.pos += size
        return out

    def word(self) -> int:
        value: int = struct.unpack("<H", self.take(2))[0]
        return value

    def dword(self) -> int:
        value: int = struct.unpack("<I", self.take(4))[0]
        return value

    def skip_fonts_and_styles(self) -> None:
        for _ in range(7):
            self.take(self.word() * _FONT_NAME)
        self.take(self.word() * _STYLE)

    def body(self) -> None:
        """The top-level list: prose blocks, tables as rows, what controls hold after their paragraph."""
        while (paragraph := self.paragraph(0)) is not None:
            self.line += 1
            if paragraph.text.strip():
                if not self._block:
                    self._block_line = self.line
                self._block.append(paragraph.text)
            elif not paragraph.nested:
                self.flush()
            for item in paragraph.nested:
                self.flush()
                if isinstance(item, _Table):
                    self.table(item)
                elif item.strip():
                    self.segments.append(Segment(text=item, location=Location(line=self.line)))
        self.flush()

    def table(self, table: _Table) -> None:
        location = Location(line=self.line or None)
        if table.caption.strip():
            self.segments.append(Segment(text=table.caption, location=location))
        self.tables += 1
        t = self.tables
        rows_at = sorted({y for y, _, _ in table.cells})
        columns_at = sorted({x for _, x, _ in table.cells})
        rows: dict[int, Cells] = {}
        for y, x, text in sorted(table.cells):
            rows.setdefault(rows_at.index(y) + 1, []).append((columns_at.index(x) + 1, text.strip()))
        self.segments.extend(table_segments(sorted(rows.items()), lambda r, c: f"T{t}R{r}C{c}", location))

    def list_text(self, depth: int) -> str:
        """A nested paragraph list (a cell, a note, a caption) as one text, nested lists inline."""
        if depth > _MAX_DEPTH:
            raise CorruptFile(f"hwp3: nested deeper than {_MAX_DEPTH}")
        lines: list[str] = []
        while (paragraph := self.paragraph(depth)) is not None:
            lines.append(paragraph.text)
            for item in paragraph.nested:
                if isinstance(item, _Table):
                    lines.extend([item.caption, *(text for _, _, text in sorted(item.cells))])
                else:
                    lines.append(item)
        return "\n".join(line for line in lines if line.strip())

    def paragraph(self, depth: int) -> _Paragraph | None:
        """The next paragraph of a list; None for the empty paragraph that ends it."""
        head = self.take(_PARA_INFO)
        reuse_shape, has_shapes = head[0], head[5]
        count, lines = struct.unpack_from("<HH", head, 1)
        if count == 0:
            return None
        if not reuse_shape:
            self.take(_PARA_SHAPE)
        self.take(lines * _LINE)
        if has_shapes:
            for _ in range(count):
                if self.take(1)[0] == 0:
                    self.take(_CHAR_SHAPE)
        out: list[str] = []
        paragraph = _Paragraph("")
        units = 0
        while units < count:
            code = self.word()
            if code == _END_PARA:
                break
            units += _WSIZE[code] if code < 32 else 1
            if code >= 32:
                out.append(self.character(code))
            else:
                self.control(code, out, paragraph.nested, depth)
        paragraph.text = "".join(out)
        return paragraph

    def character(self, code: int) -> str:
        if code < 0x80:
            return chr(code)
        if code >= 0x8000:
            try:
                return struct.pack(">H", code).decode("johab")
            except UnicodeDecodeError:
                pass
        self.unmapped += 1
        return ""

    def control(self, code: int, out: list[str], nested: list[_Table | str], depth: int) -> None:
        """Read a control's data, and the paragraph lists it holds into `nested`."""
        if code in _FIXED:
            self.take(_FIXED[code])
            out.append(_TEXT.get(code, ""))
        elif code in _SKIP_BLOCK or code == 6:  # a 32-bit length, the code again, that many bytes
            size = self.dword()
            self.take(2 + size)
        elif code == 5:  # field code: fixed fields, then three strings and binary data of given lengths
            self.take(4 + 2 + 30)
            lengths = struct.unpack("<4I", self.take(16))
            self.take(sum(lengths))
        elif code == 10:  # table, text box, equation, button: cells, each a list, then a caption list
            self.take(6)
            box = self.take(84)
            kind, count = struct.unpack_from("<HH", box, 78)
            if count == 0:
                raise CorruptFile("hwp3: a box with no cells")
            places = [struct.unpack_from("<HH", self.take(27), 4) for _ in range(count)]
            texts = [self.list_text(depth + 1) for _ in range(count)]
            caption = self.list_text(depth + 1)
            if kind == 0:
                nested.append(_Table([(y, x, text) for (x, y), text in zip(places, texts, strict=True)], caption))
            else:
                nested.append("\n".join(t for t in (*texts, caption) if t.strip()))
        elif code == 11:  # picture: fixed fields, a block of its own, then the caption list
            self.pictures += 1
            self.take(6)
            follow = self.dword()
            self.take(344 + follow)
            nested.append(self.list_text(depth + 1))
        elif code == 14:  # line
            self.take(6 + 84)
        elif code in (15, 16, 17):  # hidden comment, header/footer, footnote/endnote
            self.take(6 + 8 + {15: 0, 16: 2, 17: 6}[code])
            nested.append(self.list_text(depth + 1))
        else:
            raise CorruptFile(f"hwp3: unknown control code {code}")

    def flush(self) -> None:
        if self._block:
            location = Location(line=self._block_line or None)
            self.segments.append(Segment(text="\n".join(self._block), location=location))
        self._block = []


# Character units each control occupies in a paragraph's count (HWP 3.0 format, special characters).
_WSIZE = [1, 4, 4, 4, 4, 4, 4, 42, 48, 4, 4, 4, 4, 1, 4, 4, 4, 4, 4, 4, 4, 4, 12, 5, 3, 3, 123, 4, 32, 4, 2, 2]
