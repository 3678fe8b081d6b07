"""A minimal HWP 5.0 writer for fixtures: no Python library writes HWP, and olefile cannot create
compound files, so this writes both layers itself.

Compound File Binary (MS-CFB), version 3: 512-byte sectors, one FAT sector (so at most 128 sectors,
64 KiB), streams under 4096 bytes in the mini stream (64-byte mini sectors), directory entries as a
red-black tree per storage (balanced, leaves of the deepest level red). HWP: a FileHeader stream, a
DocInfo stream and BodyText/Section0 of PARA_HEADER / PARA_TEXT records, raw-deflated, optionally
with tables (CTRL_HEADER 'tbl ', TABLE, one LIST_HEADER per cell), and distribution documents
(their sections encrypted in ViewText/).
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_SECTOR = 512
_MINI = 64
_CUTOFF = 4096
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    black: bool = True
    start: int = _END


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A CFB file holding `streams` ("Storage/Stream" paths)."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        *storages, name = path.split("/")
        parent = root
        for storage in storages:
            found = next((c for c in parent.children if c.name == storage), None)
            if found is None:
                found = _Entry(storage, 1)
                parent.children.append(found)
            parent = found
        parent.children.append(_Entry(name, 2, data))
    entries = _number(root)
    for entry in entries:
        entry.child = _tree(sorted(entry.children, key=_cfb_order), 0, _depth(len(entry.children)))

    # Small streams into the mini stream, large ones into sectors of their own.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    large = [e for e in entries if e.kind == 2 and len(e.data) >= _CUTOFF]
    for entry in entries:
        if entry.kind == 2 and 0 < len(entry.data) < _CUTOFF:
            entry.start = len(mini_fat)
            count = -(-len(entry.data) // _MINI)
            mini_fat.extend(range(entry.start + 1, entry.start + count))
            mini_fat.append(_END)
            mini_stream += entry.data.ljust(count * _MINI, b"\0")

    fat: list[int] = [_FATSECT]
    sectors: list[bytes] = []

    def place(data: bytes) -> int:
        start = len(fat)
        count = max(1, -(-len(data) // _SECTOR))
        fat.extend(range(start + 1, start + count))
        fat.append(_END)
        for i in range(count):
            sectors.append(data[i * _SECTOR : (i + 1) * _SECTOR].ljust(_SECTOR, b"\0"))
        return start

    directory_size = -(-len(entries) // 4) * 4
    directory_start = len(fat)
    directory_count = directory_size // 4
    fat.extend(range(directory_start + 1, directory_start + directory_count))
    fat.append(_END)
    sectors.extend([b""] * directory_count)  # filled once every start sector is known
    mini_fat_start = place(b"".join(struct.pack("<I", n) for n in mini_fat)) if mini_fat else _END
    mini_fat_count = -(-len(mini_fat) * 4 // _SECTOR)
    if mini_stream:
        root.start = place(bytes(mini_stream))
    root.data = bytes(mini_stream)
    for entry in large:
        entry.start = place(entry.data)
    if len(fat) > _SECTOR // 4:
        raise ValueError("fixture too large for one FAT sector")

    records = b"".join(_directory_entry(e) for e in entries) + _directory_entry(None) * (directory_size - len(entries))
    for i in range(directory_count):
        sectors[i] = records[i * _SECTOR : (i + 1) * _SECTOR]

    header = bytearray(_SECTOR)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    fields = (0, 1, directory_start, 0, _CUTOFF, mini_fat_start, mini_fat_count, _END, 0)
    struct.pack_into("<IIIIIIIII", header, 40, *fields)
    difat = [0] + [_FREE] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat_sector = b"".join(struct.pack("<I", n) for n in fat).ljust(_SECTOR, b"\xff")
    return bytes(header) + fat_sector + b"".join(sectors)


def _number(root: _Entry) -> list[_Entry]:
    out: list[_Entry] = []
    todo = [root]
    while todo:
        entry = todo.pop(0)
        entry.sid = len(out)
        out.append(entry)
        todo.extend(entry.children)
    return out


def _cfb_order(entry: _Entry) -> tuple[int, str]:
    """Siblings compare by name length first, then by upper-cased name."""
    return len(entry.name), entry.name.upper()


def _depth(count: int) -> int:
    depth = 0
    while (1 << (depth + 1)) - 1 < count:
        depth += 1
    return depth


def _tree(nodes: list[_Entry], level: int, deepest: int) -> int:
    """A balanced binary search tree; with the nodes of the deepest level red, every path has the
    same number of black nodes."""
    if not nodes:
        return _NOSTREAM
    middle = len(nodes) // 2
    node = nodes[middle]
    node.black = level < deepest or level == 0
    node.left = _tree(nodes[:middle], level + 1, deepest)
    node.right = _tree(nodes[middle + 1 :], level + 1, deepest)
    return node.sid


def _directory_entry(entry: _Entry | None) -> bytes:
    if entry is None:
        out = bytearray(128)
        struct.pack_into("<III", out, 68, _NOSTREAM, _NOSTREAM, _NOSTREAM)
        return bytes(out)
    name = entry.name.encode("utf-16-le") + b"\0\0"
    out = bytearray(128)
    out[: len(name)] = name
    struct.pack_into("<HBB", out, 64, len(name), entry.kind, 1 if entry.black else 0)
    struct.pack_into("<III", out, 68, entry.left, entry.right, entry.child)
    size = len(entry.data) if entry.kind in (2, 5) else 0
    start = entry.start if size else (0 if entry.kind == 1 else _END)
    struct.pack_into("<IQ", out, 116, start, size)
    return bytes(out)


# --- HWP records -------------------------------------------------------------------------------

_PARA_HEADER, _PARA_TEXT, _CTRL_HEADER, _LIST_HEADER, _TABLE = 66, 67, 71, 72, 77


def record(tag: int, level: int, body: bytes) -> bytes:
    if len(body) >= 0xFFF:
        return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(body)) + body
    return struct.pack("<I", tag | level << 10 | len(body) << 20) + body


def inline_control(code: int) -> str:
    """An inline or extended control: the code, 6 units of parameters, the code again."""
    return chr(code) + "\0" * 6 + chr(code)


def paragraph(text: str, level: int = 0) -> bytes:
    """PARA_HEADER + PARA_TEXT; `text` may hold control characters (see inline_control)."""
    units = len(text.encode("utf-16-le")) // 2 + 1
    header = struct.pack("<IIHBBHHHI", units, 0, 0, 0, 0, 1, 0, 1, 0)
    out = record(_PARA_HEADER, level, header)
    return out + record(_PARA_TEXT, level + 1, (text + "\r").encode("utf-16-le"))


def table(rows: Sequence[Sequence[str]], level: int = 0) -> bytes:
    """A paragraph anchoring a table (extended control 11) with one paragraph per cell."""
    anchor = inline_control(11)
    units = 9
    out = record(_PARA_HEADER, level, struct.pack("<IIHBBHHHI", units, 0x800, 0, 0, 0, 1, 0, 1, 0))
    out += record(_PARA_TEXT, level + 1, (anchor + "\r").encode("utf-16-le"))
    out += record(_CTRL_HEADER, level + 1, b" lbt" + bytes(40))
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    out += record(_TABLE, level + 2, struct.pack("<IHH", 0, n_rows, n_cols) + bytes(18))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = struct.pack("<HHI", 1, 0, 0x20) + struct.pack("<HHHH", c, r, 1, 1) + bytes(22)
            out += record(_LIST_HEADER, level + 2, cell)
            out += paragraph(text, level + 2)
    return out


def hwp_file(body: bytes, flags: int = 0x1, extra: dict[str, bytes] | None = None) -> bytes:
    """An HWP 5.0 file whose BodyText/Section0 holds `body` (records); flags bit 0 = compressed."""
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags)
    header = header.ljust(256, b"\0")
    doc_info = record(0x10, 0, struct.pack("<HIIIIIII", 1, 1, 1, 1, 1, 1, 1, 0))

    def pack(data: bytes) -> bytes:
        if not flags & 0x1:
            return data
        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        return deflater.compress(data) + deflater.flush()

    streams = {"FileHeader": header, "DocInfo": pack(doc_info), "BodyText/Section0": pack(body)}
    streams.update(extra or {})
    return compound_file(streams)


# --- distribution documents (배포용 문서) ----------------------------------------------------------
# Written by running the HWP 5.0 specification's encoding forward: the section is deflated, padded
# to the AES block and encrypted with AES-128-ECB under a key placed in a 256-byte record that is
# scrambled with a mask drawn from MSVC's srand/rand.

_DISTRIBUTE_DOC_DATA = 28


def _vc_rand(seed: int) -> Iterator[int]:
    while True:
        seed = (seed * 0x343FD + 0x269EC3) % 2**32
        yield seed >> 16 & 0x7FFF


def _distribution_record(seed: int, key: bytes) -> bytes:
    plain = bytearray(random.Random(seed).randbytes(256))
    at = 4 + seed % 16
    plain[at : at + 16] = key
    mask = bytearray()
    numbers = _vc_rand(seed)
    while len(mask) < 256:
        byte, count = next(numbers) % 256, next(numbers) % 16 + 1
        mask.extend([byte] * count)
    data = bytearray(p ^ m for p, m in zip(plain, mask[:256], strict=True))
    data[0:4] = struct.pack("<I", seed)  # the seed is stored as it is
    return record(_DISTRIBUTE_DOC_DATA, 0, bytes(data))


def distribution_section(body: bytes, seed: int = 0x5EED1234, key: bytes = b"0123456789ABCDEF") -> bytes:
    """A ViewText section: the key record, then `body` deflated and encrypted."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(body) + deflater.flush()
    packed += b"\0" * (-len(packed) % 16)
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - the format's own mode
    return _distribution_record(seed, key) + encryptor.update(packed) + encryptor.finalize()


STUB = "이 문서는 상위 버전의 배포용 문서입니다. 최신 뷰어로 여십시오."


def distribution_file(sections: Sequence[bytes], flags: int = 0x5, **keys: Any) -> bytes:
    """A distribution document: a stub paragraph in BodyText (what old readers show), the real
    sections (records) encrypted in ViewText/Section<N>."""
    extra = {f"ViewText/Section{n}": distribution_section(body, **keys) for n, body in enumerate(sections)}
    return hwp_file(paragraph(STUB), flags=flags, extra=extra)
