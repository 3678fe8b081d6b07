"""Single-file gzip, bzip2 and xz: one member, inflated in bounded chunks.

The member is named after the gzip FNAME header, else after the outer name without its suffix.
A stream that turns out to hold a tarball (`ustar` at 257 of the inflated head) is read as a tar
(`x.tar.gz!dir/file`, not `x.tar.gz!x.tar!dir/file`). A truncated stream is scanned as far as it
goes, with a note; concatenated streams (multi-member gzip, pbzip2) are read to the end.
"""

from __future__ import annotations

import bz2
import lzma
import posixpath
import zlib
from collections.abc import Callable
from typing import Protocol

from pii_audit.errors import CorruptFile
from pii_audit.extract.archive import TarExtractor
from pii_audit.extract.container import Budget, Members, safe_name
from pii_audit.model import Extraction, Limits

_SUFFIXES = {
    "gzip": {".gz": "", ".gzip": "", ".tgz": ".tar", ".z": ""},
    "bzip2": {".bz2": "", ".bz": "", ".tbz2": ".tar", ".tbz": ".tar"},
    "xz": {".xz": "", ".txz": ".tar"},
}
_TAR_FORMAT = {"gzip": "tar.gz", "bzip2": "tar.bz2", "xz": "tar.xz"}
_ERRORS = (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError)


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...
    @property
    def needs_input(self) -> bool: ...
    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, max_length: int = -1) -> bytes: ...


class CompressedExtractor:
    def __init__(self, format: str) -> None:
        self.format = format

    def extract(self, data: bytes, name: str, limits: Limits, budget: Budget) -> Extraction:
        try:
            head, _ = inflate(self.format, data, 511)
        except _ERRORS as exc:
            raise CorruptFile(f"{self.format}: {type(exc).__name__}") from None
        if head[257:262] == b"ustar":
            return TarExtractor(_TAR_FORMAT[self.format]).extract(data, name, limits, budget)
        sink = Members(limits, budget)
        member = sink.name(_member_name(self.format, data, name), "content")
        cap, reason = sink.cap(0, len(data))
        try:
            content, truncated = inflate(self.format, data, cap)
        except _ERRORS as exc:
            raise CorruptFile(f"{self.format}: {type(exc).__name__}") from None
        budget.charge(len(content))
        if len(content) > cap:
            sink.skip(member, reason)
            return sink.extraction(self.format)
        notes = [f"truncated stream: scanned the first {len(content)} bytes"] if truncated else []
        sink.add(member, content)
        return sink.extraction(self.format, notes=notes)


def inflate(format: str, data: bytes, cap: int) -> tuple[bytes, bool]:
    """At most `cap + 1` inflated bytes (one more than allowed tells the caller it was too much),
    and whether the input ended mid-stream. Raises the codec's error on input that is not its
    format at all; damage after some output only ends the output."""
    if format == "gzip":
        return _gunzip(data, cap)
    factory: Callable[[], _Decompressor] = bz2.BZ2Decompressor if format == "bzip2" else lzma.LZMADecompressor
    return _unpack(factory, data, cap)


def _gunzip(data: bytes, cap: int) -> tuple[bytes, bool]:
    out = bytearray()
    rest = data
    while rest:
        stream = zlib.decompressobj(31)
        tail = rest
        try:
            while True:
                out += stream.decompress(tail, cap + 1 - len(out))  # max_length >= 1: 0 would mean unlimited
                if len(out) > cap:
                    return bytes(out), False
                tail = stream.unconsumed_tail
                if stream.eof:
                    break
                if not tail:
                    return bytes(out), True
        except zlib.error:
            if not out:
                raise
            return bytes(out), True
        rest = stream.unused_data
        if not rest.startswith(b"\x1f\x8b"):
            break  # trailing padding or junk after the last member
    return bytes(out), False


def _unpack(factory: Callable[[], _Decompressor], data: bytes, cap: int) -> tuple[bytes, bool]:
    out = bytearray()
    rest = data
    while rest:
        stream = factory()
        try:
            out += stream.decompress(rest, cap + 1 - len(out))
            while not stream.eof and len(out) <= cap:
                if stream.needs_input:
                    return bytes(out), True
                out += stream.decompress(b"", cap + 1 - len(out))
        except (OSError, EOFError, lzma.LZMAError, ValueError):
            if not out:
                raise
            return bytes(out), True
        if len(out) > cap:
            return bytes(out), False
        rest = stream.unused_data
        if not rest.strip(b"\x00"):
            break  # xz stream padding
    return bytes(out), False


def _member_name(format: str, data: bytes, outer: str) -> str:
    if format == "gzip":
        original = _gzip_fname(data)
        if original:
            return posixpath.basename(safe_name(original)) or original
    stem, ext = posixpath.splitext(outer)
    replacement = _SUFFIXES[format].get(ext.lower())
    if replacement is None or not stem:
        return f"{outer}.out" if outer else "content"
    return stem + replacement


def _gzip_fname(data: bytes) -> str | None:
    """The original file name from the gzip header (RFC 1952: FLG.FNAME, after FEXTRA)."""
    if len(data) < 10 or not data[3] & 0x08:
        return None
    at = 10
    if data[3] & 0x04:  # FEXTRA: two-byte length, then the field
        at += 2 + int.from_bytes(data[at : at + 2], "little")
    end = data.find(b"\x00", at, at + 4096)
    if end <= at:
        return None
    raw = data[at:end]
    for codec in ("utf-8", "cp949", "latin-1"):  # the RFC says latin-1; Korean tools write the others
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return None
