"""A minimal PDF writer for fixtures: text through a Type0 font with a ToUnicode map, so Korean text
extracts correctly without any font file (the glyphs are never drawn, only mapped)."""

from __future__ import annotations


def make_pdf(pages: list[list[str]]) -> bytes:
    """One page per list of lines. An empty list makes a page without a text layer."""
    chars = sorted({ch for lines in pages for line in lines for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree exists
    tree = add(b"")
    cmap = "\n".join(f"<{cid[ch]:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch in chars)
    to_unicode = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{cmap}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    cmap_obj = add(_stream(to_unicode))
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Fixture /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /Fixture /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >> /DW 1000 >>"
    )
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /Fixture /Encoding /Identity-H "
        f"/DescendantFonts [{descendant} 0 R] /ToUnicode {cmap_obj} 0 R >>".encode()
    )
    kids = []
    for lines in pages:
        ops = ["BT /F1 12 Tf 14 TL 50 800 Td"]
        for line in lines:
            ops.append("<" + "".join(f"{cid[ch]:04X}" for ch in line) + "> Tj T*")
        ops.append("ET")
        content = add(_stream("\n".join(ops).encode()))
        kids.append(
            add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
                f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects[tree - 1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def make_cells_pdf(rows: list[list[str]], gap: float = 3.0, size: int = 10) -> bytes:
    """One page of table cells as a spreadsheet prints them: every cell drawn on its own at an
    absolute position (`Tm`), cells of a row `gap` points apart, no space characters between them."""
    lines = [" ".join(row) for row in rows]  # every character the page uses, for the font's map
    data = make_pdf([lines])
    chars = sorted({ch for line in lines for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    ops = []
    for r, row in enumerate(rows):
        x = 50.0
        for text in row:
            code = "".join(f"{cid[ch]:04X}" for ch in text)
            ops.append(f"BT /F1 {size} Tf 1 0 0 1 {x:.1f} {780 - r * 16} Tm <{code}> Tj ET")
            x += len(text) * size + gap
    return _replace_content(data, "\n".join(ops).encode())


def _replace_content(data: bytes, content: bytes) -> bytes:
    """`data` (one page from make_pdf) with its page content stream replaced; offsets rewritten."""
    start = data.index(b"BT /F1 12 Tf")
    end = data.index(b"ET", start) + 2
    head = data[: data.rindex(b"<< /Length", 0, start)]
    body = data[end:]
    rebuilt = head + _stream(content)[: -len(b"\nendstream")] + body
    return _fix_xref(rebuilt)


def _fix_xref(data: bytes) -> bytes:
    """Recompute the cross-reference table after an edit."""
    import re

    objects = [(int(m.group(1)), m.start()) for m in re.finditer(rb"(?m)^(\d+) 0 obj\n", data)]
    body = data[: data.index(b"xref\n")]
    xref = len(body)
    table = f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    table += b"".join(f"{offset:010d} 00000 n \n".encode() for _, offset in sorted(objects))
    root = re.search(rb"/Root (\d+) 0 R", data)
    assert root is not None
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root {root.group(1).decode()} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return body + table + trailer.encode()
