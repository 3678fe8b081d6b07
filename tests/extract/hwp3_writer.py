"""A minimal HWP 3.0 writer for fixtures, from the published layout (see pii_audit/extract/hwp3.py
for the reader's side): headers, font names, styles and a paragraph list of Johab text with
controls (tab, field, bookmark, date code, table with caption, footnote)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

SIGNATURE = b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05"
HANJA = 0x4A21  # a code in HWP's own Hanja table (no Unicode mapping in the reader)


def _codes(text: str) -> list[int]:
    """16-bit HWP codes: ASCII as is, Hangul and other KS X 1001 text as 상용조합형 (Johab)."""
    out: list[int] = []
    for ch in text:
        if ord(ch) < 0x80:
            out.append(ord(ch))
        else:
            out.append(int.from_bytes(ch.encode("johab"), "big"))
    return out


def _units(parts: Sequence[str | bytes]) -> tuple[bytes, int]:
    """Paragraph characters: text, or a control already encoded (code, data), with its unit count."""
    body = b""
    count = 0
    for part in parts:
        if isinstance(part, str):
            codes = _codes(part)
            body += struct.pack(f"<{len(codes)}H", *codes)
            count += len(codes)
        else:
            body += part
            count += _WSIZE[part[0]] if part[0] < 32 else 1
    return body + struct.pack("<H", 13), count + 1


# Character units of each control code (the format's table of special characters).
_WSIZE = [1, 4, 4, 4, 4, 4, 4, 42, 48, 4, 4, 4, 4, 1, 4, 4, 4, 4, 4, 4, 4, 4, 12, 5, 3, 3, 123, 4, 32, 4, 2, 2]


def paragraph(*parts: str | bytes, own_shape: bool = False, shapes: bool = False, lines: int = 1) -> bytes:
    chars, count = _units(parts)
    info = struct.pack("<BHHBBIB", 0 if own_shape else 1, count, lines, 1 if shapes else 0, 0, 0, 0) + bytes(31)
    out = info + (bytes(187) if own_shape else b"") + bytes(14 * lines)
    if shapes:  # the first character has a shape of its own, the rest repeat it
        out += b"\x00" + bytes(31) + b"\x01" * (count - 1)
    return out + chars


END = bytes(43)  # a paragraph of no characters ends a list


def tab() -> bytes:
    return struct.pack("<4H", 9, 400, 0, 9)


def field(text: str) -> bytes:
    string = (text + "\0").encode("utf-16-le")  # the reader skips field strings whatever they hold
    data = bytes(30) + struct.pack("<4I", len(string), 0, 0, 3) + string + b"\x01\x02\x03"
    return struct.pack("<HIH", 5, len(data), 5) + data


def bookmark() -> bytes:
    return struct.pack("<HIH", 6, 34, 6) + bytes(34)


def date_code() -> bytes:
    return struct.pack("<H", 8) + bytes(80 + 12) + struct.pack("<H", 8)


def hanja() -> bytes:
    return struct.pack("<H", HANJA)


def table(rows: Sequence[Sequence[str]], caption: str = "", kind: int = 0) -> bytes:
    """Control 10: box fields, one 27-byte cell record per cell (x, y at 4 and 6), a list per cell,
    then the caption list."""
    cells = [(c * 1000, r * 500, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    box = bytearray(84)
    struct.pack_into("<HH", box, 78, kind, len(cells))
    out = struct.pack("<HHHH", 10, 0, 0, 10) + bytes(box)
    for x, y, _ in cells:
        out += struct.pack("<HHHHHH", 0, 0, x, y, 1000, 500) + bytes(15)
    for *_, text in cells:
        out += paragraph(text) + END
    out += (paragraph(caption) if caption else b"") + END
    return out


def footnote(text: str) -> bytes:
    return struct.pack("<HHHH", 17, 0, 0, 17) + bytes(8 + 6) + paragraph(text) + END


def hwp3_file(paragraphs: Sequence[bytes], compressed: bool = True, password: bool = False) -> bytes:
    info = bytearray(128)
    struct.pack_into("<H", info, 96, 1 if password else 0)
    info[124] = 1 if compressed else 0
    fonts = b"".join(struct.pack("<H", 1) + "명조".encode("johab").ljust(40, b"\0") for _ in range(7))
    styles = struct.pack("<H", 1) + bytes(238)
    body = fonts + styles + b"".join(paragraphs) + END
    if compressed:
        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = deflater.compress(body) + deflater.flush()
    return SIGNATURE + bytes(info) + bytes(1008) + body
