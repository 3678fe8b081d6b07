"""A small deterministic PDF writer for generated documents (no dependency).

Lines of plain ASCII are set in the base-14 Helvetica (WinAnsi), as English office PDFs are. Lines
with Hangul use a Type0 font over the Adobe-Korea1 CID font ``HYSMyeongJo-Medium`` with the
predefined ``UniKS-UCS2-H`` encoding (codes are UCS-2), the way ReportLab writes Korean without
embedding a font: viewers with the Adobe Korean font pack draw it, and a ``ToUnicode`` map makes
the text extractable everywhere. No font file is embedded (none can be assumed on a fresh machine).
Content streams are Flate-compressed, one per page; a table is drawn cell by cell at absolute
positions, as spreadsheet and report exports do.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

PAGE_W, PAGE_H = 595, 842
MARGIN = 56


@dataclass(frozen=True)
class Para:
    text: str
    size: float = 10.0


@dataclass(frozen=True)
class Table:
    rows: Sequence[Sequence[str]]
    size: float = 8.0


Block = Para | Table


def _ascii(line: str) -> bool:
    return line.isascii() and line.isprintable()


def wrap(text: str, size: float, width: float = PAGE_W - 2 * MARGIN) -> list[str]:
    limit = width / size
    lines: list[str] = []
    for raw in text.split("\n"):
        words = raw.split(" ")
        cur: list[str] = []
        used = 0.0
        for word in words:
            w = 0.55 * len(word) + 0.225 * (len(word.encode("utf-8")) - len(word)) + 0.3
            if cur and used + w > limit:
                lines.append(" ".join(cur))
                cur, used = [], 0.0
            cur.append(word)
            used += w
        lines.append(" ".join(cur))
    return lines


def _literal(line: str) -> str:
    return "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _show(line: str) -> tuple[str, str]:
    """(font resource, string operand) for one run of text."""
    if _ascii(line):
        return "F1", _literal(line)
    return "F2", "<" + line.encode("utf-16-be", "replace").hex().upper() + ">"


def _to_unicode(chars: set[str]) -> bytes:
    """A ToUnicode CMap for the UCS-2 codes used (code = Unicode), as a subsetting producer writes it."""
    used = sorted(c for c in chars if ord(c) <= 0xFFFF)
    pairs = [f"<{ord(c):04X}> <{ord(c):04X}>" for c in used]
    chunks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]
    body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Korea1-UCS2 def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{body}endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()


def _stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 6)
        return f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _pages(blocks: Sequence[Block], chars: set[str]) -> list[str]:
    """Lay out the blocks top to bottom; one content stream (text) per page."""
    pages: list[list[str]] = [[]]
    y = float(PAGE_H - MARGIN)

    def need(height: float) -> None:
        nonlocal y
        if y - height < MARGIN:
            pages.append([])
            y = float(PAGE_H - MARGIN)

    for block in blocks:
        if isinstance(block, Para):
            for line in wrap(block.text, block.size):
                need(block.size * 1.45)
                y -= block.size * 1.45
                if line:
                    font, operand = _show(line)
                    chars.update(line)
                    pages[-1].append(f"BT /{font} {block.size:g} Tf {MARGIN} {y:.1f} Td {operand} Tj ET")
            y -= block.size * 0.6
        else:
            ncols = max(len(r) for r in block.rows)
            col_w = (PAGE_W - 2 * MARGIN) / max(ncols, 1)
            for row in block.rows:
                need(block.size * 1.6)
                y -= block.size * 1.6
                for c, cell in enumerate(row):
                    if not cell:
                        continue
                    font, operand = _show(cell)
                    chars.update(cell)
                    x = MARGIN + c * col_w
                    pages[-1].append(f"BT /{font} {block.size:g} Tf 1 0 0 1 {x:.1f} {y:.1f} Tm {operand} Tj ET")
            y -= block.size
    return ["\n".join(ops) for ops in pages]


def make_pdf(blocks: Sequence[Block], title: str = "") -> bytes:
    chars: set[str] = set()
    contents = _pages(blocks, chars)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    helv = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    cmap = add(_stream(_to_unicode(chars)))
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HYSMyeongJo-Medium "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Korea1) /Supplement 1 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /HYSMyeongJo-Medium /Flags 6 "
        b"/FontBBox [0 -148 1001 880] /ItalicAngle 0 /Ascent 880 /Descent -148 /CapHeight 880 /StemV 59 >> "
        b"/DW 1000 /W [1 95 500] >>"
    )
    korean = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /HYSMyeongJo-Medium-UniKS-UCS2-H /Encoding /UniKS-UCS2-H "
        f"/DescendantFonts [{descendant} 0 R] /ToUnicode {cmap} 0 R >>".encode()
    )
    resources = f"<< /Font << /F1 {helv} 0 R /F2 {korean} 0 R >> >>"
    kids = []
    for text in contents:
        content = add(_stream(text.encode("latin-1")))
        kids.append(
            add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Contents {content} 0 R "
                f"/Resources {resources} >>".encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    objects[tree - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    title_hex = "FEFF" + title.encode("utf-16-be").hex().upper()
    info = add(f"<< /Producer (pii_synth share) /CreationDate (D:20240102090000Z) /Title <{title_hex}> >>".encode())
    out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
