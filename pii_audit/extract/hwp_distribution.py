"""HWP 5.0 distribution documents (배포용 문서): the body in `ViewText/Section<N>`, readable without
any password because the key travels in the stream itself.

As the HWP 5.0 format specification (revision 1.3, "배포용 문서 데이터" and the ViewText storage)
describes it, each ViewText section begins with one DISTRIBUTE_DOC_DATA record of 256 bytes, then
the section itself, encrypted with AES-128 in ECB mode (and raw-deflated under that when the
document is compressed, as BodyText is). The 256 bytes are scrambled: their first 4 bytes seed the
Microsoft Visual C runtime's `srand`/`rand`, and the generator fills a 256-byte mask by runs (a
byte value from one `rand()`, a run length of 1-16 from the next); XOR with the mask gives the
data, in which a 80-byte hash string starts at offset `4 + (seed & 0xF)`. Its first 16 bytes are
the AES key.
"""

from __future__ import annotations

import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from pii_audit.errors import CorruptFile

DISTRIBUTE_DOC_DATA = 28  # HWPTAG_BEGIN (16) + 12
_DATA_SIZE = 256
_KEY_SIZE = 16


def msvc_rand(seed: int) -> list[int]:
    """The first 512 outputs of MSVC's `rand()` after `srand(seed)`: 512 covers the worst case of
    256 runs of one byte, each taking two calls."""
    state = seed & 0xFFFFFFFF
    out: list[int] = []
    for _ in range(2 * _DATA_SIZE):
        state = (state * 214013 + 2531011) & 0xFFFFFFFF
        out.append((state >> 16) & 0x7FFF)
    return out


def scramble_mask(seed: int) -> bytes:
    """The 256-byte XOR mask for `seed`: runs of (value `rand() & 0xFF`, length `(rand() & 0xF) + 1`)."""
    numbers = iter(msvc_rand(seed))
    mask = bytearray()
    while len(mask) < _DATA_SIZE:
        value = next(numbers) & 0xFF
        length = (next(numbers) & 0x0F) + 1
        mask += bytes([value]) * length
    return bytes(mask[:_DATA_SIZE])


def section_key(data: bytes) -> bytes:
    """The AES-128 key held in the 256 bytes of a DISTRIBUTE_DOC_DATA record."""
    (seed,) = struct.unpack_from("<I", data, 0)
    plain = bytes(a ^ b for a, b in zip(data, scramble_mask(seed), strict=True))
    offset = 4 + (seed & 0x0F)
    return plain[offset : offset + _KEY_SIZE]


def decrypt_section(raw: bytes, path: str, notes: list[str]) -> bytes:
    """The section stream under the encryption of a ViewText section (still compressed when the
    document is). CorruptFile when the stream does not start with the record that holds the key."""
    if len(raw) < 4 + _DATA_SIZE:
        raise CorruptFile(f"hwp: {path}: distribution document section too short")
    (header,) = struct.unpack_from("<I", raw, 0)
    tag, size = header & 0x3FF, header >> 20
    if tag != DISTRIBUTE_DOC_DATA or size != _DATA_SIZE:
        raise CorruptFile(f"hwp: {path}: no distribution document data record")
    key = section_key(raw[4 : 4 + _DATA_SIZE])
    body = raw[4 + _DATA_SIZE :]
    whole = len(body) - len(body) % 16
    if whole != len(body):
        notes.append(f"{path}: encrypted stream cut short; read what was there")
    decryptor = Cipher(algorithms.AES(key), modes.ECB()).decryptor()  # noqa: S305 - the format's own cipher mode
    return decryptor.update(body[:whole]) + decryptor.finalize()
