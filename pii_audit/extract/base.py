"""The extractor seam: bytes in, text segments with locations out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from pii_audit.model import Extraction, Field, Location, Segment, SegmentKind


class Extractor(Protocol):
    """One format. `extract` raises an ExtractError subclass for a file it cannot read."""

    format: str

    def extract(self, data: bytes) -> Extraction: ...


def row_segment(
    headers: Sequence[str | None],
    values: Sequence[str | None],
    location: Location,
    cells: Sequence[str | None] | None = None,
) -> Segment | None:
    """Render one table row as `header: value` lines, one Field per non-empty cell, so that the
    column header travels with its cell as context and the row stays one record.

    Returns None for a row with no non-empty value.
    """
    parts: list[str] = []
    fields: list[Field] = []
    pos = 0
    for i, value in enumerate(values):
        if value is None:
            continue
        value = str(value).strip()
        if not value:
            continue
        label = headers[i] if i < len(headers) else None
        label = (label or "").strip() or None
        prefix = f"{label}: " if label else ""
        start = pos + len(prefix)
        parts.append(prefix + value)
        cell = cells[i] if cells is not None and i < len(cells) else None
        fields.append(Field(label=label, start=start, end=start + len(value), cell=cell))
        pos += len(prefix) + len(value) + 1  # "\n" joins the parts
    if not fields:
        return None
    return Segment(text="\n".join(parts), location=location, kind=SegmentKind.ROW, fields=tuple(fields))


def prose_segments(text: str, location: Location | None = None) -> list[Segment]:
    """Split text into blocks of consecutive non-blank lines; each block is one segment whose
    `location.line` is its first line (1-based). Blocks are the unit of record linkage."""
    return list(iter_prose_segments(text.splitlines(), location))


# A block longer than this is cut into segments of this many lines: a huge file without blank
# lines must still stream in bounded pieces.
MAX_BLOCK_LINES = 500


def iter_prose_segments(
    lines: Iterable[str], location: Location | None = None, first_line: int = 1
) -> Iterator[Segment]:
    """`prose_segments` over lines as they come (without line ends): a streamed file, or a range of
    one whose first line is `first_line`."""
    base = location or Location()
    block: list[str] = []
    start = first_line
    first_line = 0
    for number, line in enumerate(lines, start=start):
        if line.strip():
            if not block:
                first_line = number
            block.append(line)
            if len(block) < MAX_BLOCK_LINES:
                continue
        if block:
            yield _prose(block, first_line, base)
            block = []
    if block:
        yield _prose(block, first_line, base)


def _prose(lines: list[str], first_line: int, base: Location) -> Segment:
    loc = Location(line=first_line, page=base.page, sheet=base.sheet)
    return Segment(text="\n".join(lines), location=loc, kind=SegmentKind.PROSE)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
