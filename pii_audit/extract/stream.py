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
from typing import BinaryIO

from pii_audit.extract.base import iter_prose_segments
from pii_audit.extract.delimited import detect_delimiter, iter_rows
from pii_audit.extract.encoding import MIXED, decode_text
from pii_audit.extract.registry import guarded, sniff
from pii_audit.model import Extraction

# Line-based files larger than this are read as a stream rather than loaded.
STREAM_BYTES = 32 * 1024 * 1024
STREAMABLE = ("csv", "tsv", "text")
_HEAD = 65536
_ERRORS = "pii-audit-cp949"
_MAX_LINE = 1 << 20


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


def stream_lines(fh: BinaryIO, name: str) -> Extraction | None:
    """An Extraction whose segments are read from `fh` as they are consumed, or None when the file
    is not CSV, TSV or plain text (then `fh` is left at its start)."""
    head = fh.read(_HEAD + 1)
    fh.seek(0)
    kind = sniff(head, name)
    if kind not in STREAMABLE:
        return None
    text, encoding = decode_text(head, partial=True)
    lines = _lines(fh, encoding)
    notes = (f"encoding: {encoding}", "read as a stream (too large to load whole)")
    if kind == "text":
        return Extraction(
            format=kind, segments=guarded(kind, iter_prose_segments(lines_without_ends(lines))), notes=notes
        )
    text = text[: text.rfind("\n") + 1] or text  # whole lines only: a cut record would break the count
    delimiter = detect_delimiter(text, hint=kind) or ("\t" if kind == "tsv" else ",")
    fmt = "tsv" if delimiter == "\t" else "csv"
    return Extraction(format=fmt, segments=guarded(fmt, iter_rows(lines, delimiter, fmt)), notes=notes)


def _lines(fh: BinaryIO, encoding: str) -> Iterator[str]:
    """Lines with their ends (`\\n`, `\\r\\n` or `\\r`), decoded as they are read; NULs removed. A line
    longer than a MiB comes in pieces."""
    if encoding == MIXED:
        wrapper = io.TextIOWrapper(fh, encoding="utf-8", errors=_ERRORS, newline="")
    else:
        wrapper = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
    try:
        first = True
        # At most a MiB of text per read: a file without line ends is still read in bounded pieces.
        while line := wrapper.readline(_MAX_LINE):
            if first:
                line = line.lstrip("\ufeff")
                first = False
            yield line.replace("\x00", "") if "\x00" in line else line
    finally:
        wrapper.detach()  # the caller owns and closes the file


def lines_without_ends(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        yield line.rstrip("\r\n")
