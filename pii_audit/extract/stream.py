"""Files too large to load whole: CSV, TSV and plain text read line by line from an open file.

The format and encoding are decided on the first 64 KiB, as for a loaded file; the rest is
decoded as it is read (undecodable bytes become U+FFFD), so memory stays bounded by one segment
group however large the file. Other formats must be loaded to be parsed (zip-based documents,
PDF, OLE), and stay bounded by `--max-file-mb`.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from pii_audit.extract.base import iter_prose_segments
from pii_audit.extract.delimited import RowStart, detect_delimiter, iter_rows
from pii_audit.extract.encoding import MIXED, decode_text
from pii_audit.extract.registry import guarded, sniff
from pii_audit.model import Extraction, Segment

# Line-based files larger than this are read as a stream rather than loaded.
STREAM_BYTES = 32 * 1024 * 1024
STREAMABLE = ("csv", "tsv", "text")
HEAD = 65536
_ERRORS = "pii-audit-cp949"
MAX_LINE = 1 << 20


def _cp949_fallback(exc: UnicodeError) -> tuple[str, int]:
    """A UTF-8 decode error handler for files that mix UTF-8 and CP949 lines: the bytes that are
    not UTF-8 are read as one CP949 character when they make one."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    pair = exc.object[exc.start : exc.start + 2]
    try:
        return bytes(pair).decode("cp949"), exc.start + 2
    except UnicodeDecodeError:
        return "\ufffd", exc.start + 1


codecs.register_error(_ERRORS, _cp949_fallback)


@dataclass(frozen=True)
class Dialect:
    """How a streamed file is read, decided once from its first 64 KiB: a file read in byte ranges
    by several workers (pii_audit/split.py) reads every range exactly as one reader would."""

    kind: str  # "csv", "tsv" or "text"
    encoding: str
    delimiter: str | None = None  # None for text

    @property
    def format(self) -> str:
        if self.delimiter is None:
            return "text"
        return "tsv" if self.delimiter == "\t" else "csv"

    @property
    def notes(self) -> tuple[str, ...]:
        return (f"encoding: {self.encoding}", "read as a stream (too large to load whole)")


def dialect_of(head: bytes, name: str) -> Dialect | None:
    """The dialect of a file that starts with `head` (its first 64 KiB and a byte), or None when
    it is not CSV, TSV or plain text."""
    kind = sniff(head, name)
    if kind not in STREAMABLE:
        return None
    text, encoding = decode_text(head, partial=True)
    if kind == "text":
        return Dialect(kind=kind, encoding=encoding)
    text = text[: text.rfind("\n") + 1] or text  # whole lines only: a cut record would break the count
    delimiter = detect_delimiter(text, hint=kind) or ("\t" if kind == "tsv" else ",")
    return Dialect(kind=kind, encoding=encoding, delimiter=delimiter)


def stream_lines(fh: BinaryIO, name: str) -> Extraction | None:
    """An Extraction whose segments are read from `fh` as they are consumed, or None when the file
    is not CSV, TSV or plain text (then `fh` is left at its start)."""
    head = fh.read(HEAD + 1)
    fh.seek(0)
    dialect = dialect_of(head, name)
    if dialect is None:
        return None
    return Extraction(
        format=dialect.format, segments=segments(read_lines(fh, dialect.encoding), dialect), notes=dialect.notes
    )


def segments(lines: Iterator[str], dialect: Dialect, start: RowStart | None = None) -> Iterator[Segment]:
    """The segments of `lines` (with their ends) read in `dialect`; `start`: where a byte range
    of the file begins (its first line number and the header row found before it)."""
    fmt = dialect.format
    if dialect.delimiter is None:
        first = start.line if start else 1
        return guarded(fmt, iter_prose_segments(lines_without_ends(lines), first_line=first))
    return guarded(fmt, iter_rows(lines, dialect.delimiter, fmt, start))


def read_lines(fh: BinaryIO, encoding: str, first: bool = True) -> Iterator[str]:
    """Lines with their ends (`\\n`, `\\r\\n` or `\\r`), decoded as they are read; NULs removed. A line
    longer than a MiB comes in pieces. `first`: `fh` is at the file's start (a BOM is dropped)."""
    if not first and encoding == "utf-8-sig":
        encoding = "utf-8"  # mid-file: a U+FEFF there is text, as the reader from the start sees it
    if encoding == MIXED:
        wrapper = io.TextIOWrapper(fh, encoding="utf-8", errors=_ERRORS, newline="")
    else:
        wrapper = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
    try:
        # At most a MiB of text per read: a file without line ends is still read in bounded pieces.
        while line := wrapper.readline(MAX_LINE):
            if first:
                line = line.lstrip("\ufeff")
                first = False
            yield line.replace("\x00", "") if "\x00" in line else line
    finally:
        wrapper.detach()  # the caller owns and closes the file


def lines_without_ends(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        yield line.rstrip("\r\n")


class _Range(io.RawIOBase):
    """Bytes `start` to `end` of an open file, read as a file of their own."""

    def __init__(self, fh: BinaryIO, start: int, end: int) -> None:
        super().__init__()
        self._fh = fh
        self._left = end - start
        fh.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        data = self._fh.read(len(view))
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)


def open_range(fh: BinaryIO, start: int, end: int) -> BinaryIO:
    """Bytes `start` to `end` of `fh` as a buffered binary file (the caller closes `fh`)."""
    return io.BufferedReader(_Range(fh, start, end), buffer_size=1 << 20)
