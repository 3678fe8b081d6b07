"""CSV and TSV: one ROW segment per record, labelled by the header row when there is one.

A record's `location.line` is the physical line where it starts (quoted fields may span lines).
`stream` yields the records as they are read; `iter_rows` reads any iterable of lines, so a file
too large to load is read line by line (`extract/stream.py`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from pii_audit.errors import CorruptFile, ExtractError
from pii_audit.extract.base import row_segment
from pii_audit.extract.encoding import decode_text, encoding_notes
from pii_audit.extract.tables import looks_like_header
from pii_audit.model import Extraction, Location, Segment

DELIMITERS = ("\t", ",", ";")  # tab first: it almost never occurs in prose
_SAMPLE_ROWS = 50
_SAMPLE_CHARS = 65536


def detect_delimiter(text: str, hint: str | None = None) -> str | None:
    """The delimiter that splits the first records into a consistent number (≥ 2) of short fields.

    `hint` ("csv"/"tsv": the format content sniffing already chose) loosens the thresholds, and so
    does a first row of short labels; without either we need three consistent records with fields
    that are not sentences, and answer None (plain text) when unsure. File names never
    decide: the same bytes named `people.xlsx` or `...` read as they do named `people.csv`.
    """
    if len(text) > _SAMPLE_CHARS:  # whole lines only: a cut record would break the count
        text = text[:_SAMPLE_CHARS]
        text = text[: text.rfind("\n") + 1] or text
    for delimiter in DELIMITERS:
        if delimiter in text and _consistent(text, delimiter, hint is not None):
            return delimiter
    return None


def _consistent(text: str, delimiter: str, hinted: bool) -> bool:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [r for r in islice(reader, _SAMPLE_ROWS) if any(c.strip() for c in r)]
    if not hinted and len(rows) >= 2 and _labelled_header(rows[0]):
        hinted = True  # a row of short labels is as good a hint as a `.csv` name ever was
    if len(rows) < (1 if hinted else 3):
        return False
    width, count = Counter(len(r) for r in rows).most_common(1)[0]
    if width < 2 or count < len(rows) * (0.6 if hinted else 0.9):
        return False
    cells = [c for r in rows if len(r) == width for c in r]
    empty = sum(1 for c in cells if not c.strip())
    words = sum(len(c.split()) for c in cells)
    # Prose split at its commas gives long, many-word fields; tables give short ones.
    return hinted or (empty <= len(cells) * 0.5 and words <= len(cells) * 4)


def _labelled_header(row: list[str]) -> bool:
    """Short labels (`성명`, `birth date`) in two or more columns: a header row. The first line of
    prose split at its commas has longer fields (`thanks for the call`)."""
    return len(row) >= 2 and looks_like_header(row) and all(len(c.split()) <= 3 for c in row)


class DelimitedExtractor:
    def __init__(self, format: str = "csv") -> None:
        self.format = format

    def extract(self, data: bytes) -> Extraction:
        streamed = self.stream(data)
        return Extraction(format=streamed.format, segments=tuple(streamed.segments), notes=streamed.notes)

    def stream(self, data: bytes) -> Extraction:
        text, encoding = decode_text(data)
        delimiter = detect_delimiter(text, hint=self.format)
        if delimiter is None:
            delimiter = "\t" if self.format == "tsv" else ","
        fmt = "tsv" if delimiter == "\t" else "csv"
        segments = iter_rows(io.StringIO(text, newline=""), delimiter, fmt)
        return Extraction(format=fmt, segments=segments, notes=encoding_notes(text, encoding))


class Misaligned(ExtractError):
    """A byte range of a split file did not end on a record boundary (a quote that CSV reads as
    text made the quote count lie): the file must be read by one reader."""


@dataclass(frozen=True)
class RowStart:
    """Where a byte range of a CSV/TSV file starts, as one reader of the whole file would be there:
    the physical line number of its first record and the header row read before it. `end_mark`:
    a line appended after the range that must come back as a record of its own, which proves the
    range ended on a record boundary (else Misaligned)."""

    line: int = 1
    headers: tuple[str, ...] | None = None
    first: bool = True  # still looking for the first real row (title lines, the header)
    end_mark: str | None = None


def header_state(lines: Iterable[str], delimiter: str) -> RowStart | None:
    """The header decision that `iter_rows` makes on the first rows of `lines`, once made (a row of
    two or more non-empty cells seen); None if `lines` end before it is made."""
    headers: list[str] | None = None
    for row in csv.reader(lines, delimiter=delimiter):
        if not any(c.strip() for c in row):
            continue
        if looks_like_header(row):
            headers = [c.strip() for c in row]
        if sum(1 for c in row if c.strip()) >= 2:
            return RowStart(headers=tuple(headers) if headers is not None else None, first=False)
    return None


def iter_rows(
    lines: Iterable[str], delimiter: str, fmt: str = "csv", start: RowStart | None = None
) -> Iterator[Segment]:
    """ROW segments from lines (with their line ends). CorruptFile on a malformed record."""
    start = start or RowStart()
    reader = csv.reader(lines, delimiter=delimiter)
    headers: list[str] | None = list(start.headers) if start.headers is not None else None
    first = start.first
    next_line = start.line  # physical line where the next record starts
    offset = start.line - 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            if start.end_mark is not None:
                raise Misaligned(f"{fmt}: a split range did not end on a record boundary") from None
            return
        except csv.Error:
            raise CorruptFile(f"{fmt}: malformed record") from None
        line, next_line = next_line, offset + reader.line_num + 1
        if start.end_mark is not None and row == [start.end_mark]:
            return
        if not any(c.strip() for c in row):
            continue
        if first:
            # A title line above the table (`전출입자 목록`) is not the header: wait for a real row.
            if sum(1 for c in row if c.strip()) >= 2:
                first = False
            if looks_like_header(row):
                headers = [c.strip() for c in row]
                continue
        segment = row_segment(headers or [], row, Location(line=line))
        if segment is not None:
            yield segment
