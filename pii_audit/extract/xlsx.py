"""XLSX through openpyxl in read-only (streaming) mode: one ROW segment per row of every sheet,
then the sheet's headers and footers, comments and shape text (xlsx_parts.py); last, defined names
that hold text. A Strict Open XML workbook is made transitional first (ooxml.py).

`stream` yields the rows as openpyxl reads them (a million-row sheet is never held whole);
`extract` collects them. The header of a sheet is its first row with two or more non-empty cells, if that row is mostly
labels; rows above it (titles) and every row of a sheet without a header are rendered unlabelled.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pii_audit.errors import CorruptFile
from pii_audit.extract.base import column_letter, row_segment
from pii_audit.extract.ooxml import transitional
from pii_audit.extract.tables import looks_like_header
from pii_audit.extract.xlsx_parts import defined_name_texts, sheet_extras, sheet_parts
from pii_audit.model import Extraction, Location, Segment


class XlsxExtractor:
    format = "xlsx"

    def extract(self, data: bytes) -> Extraction:
        streamed = self.stream(data)
        return Extraction(format=self.format, segments=tuple(streamed.segments))

    def stream(self, data: bytes) -> Extraction:
        """The workbook is opened now (a damaged one raises CorruptFile here); rows are read as
        the segments are consumed, once."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                data = transitional(data, "xl/workbook.xml")
                workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                archive = zipfile.ZipFile(io.BytesIO(data))
            except (zipfile.BadZipFile, InvalidFileException, ParseError, KeyError) as exc:
                raise CorruptFile(f"xlsx: {type(exc).__name__}") from None
        return Extraction(format=self.format, segments=_workbook_segments(workbook, archive))


def _workbook_segments(workbook: Any, archive: zipfile.ZipFile) -> Iterator[Segment]:
    try:
        parts = {sheet.title: sheet for sheet in sheet_parts(archive)}
        # openpyxl warns about every feature it does not read (validation, conditional formats…)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()  # some writers record a wrong <dimension>; it would truncate the rows
                yield from iter_sheet_segments(str(sheet.title), enumerate(sheet.iter_rows(values_only=True), start=1))
                if str(sheet.title) in parts:
                    yield from sheet_extras(archive, parts[str(sheet.title)])
        yield from defined_name_texts(archive)
    finally:
        workbook.close()
        archive.close()


def sheet_segments(title: str, rows: Iterable[tuple[int, Sequence[object]]]) -> list[Segment]:
    """ROW segments of one sheet (see `iter_sheet_segments`), as a list. Shared by xls and ods."""
    return list(iter_sheet_segments(title, rows))


def iter_sheet_segments(title: str, rows: Iterable[tuple[int, Sequence[object]]]) -> Iterator[Segment]:
    """ROW segments of one sheet from (1-based row number, values from column A): the header is the
    first row with two or more non-empty cells if it is mostly labels. A header label with no value
    under it in any row (a header misjudged, a note typed beside the table) would be read nowhere:
    such labels come last, as a row of their own."""
    headers: list[str] | None = None
    header_row = 0
    used: set[int] = set()
    for number, row in rows:
        values = [render(v) for v in row]
        filled = [v for v in values if v]
        if not filled:
            continue
        if headers is None and len(filled) >= 2:
            if looks_like_header([v for v in row if v is not None and str(v).strip()]):
                headers = [v or "" for v in values]
                header_row = number
                continue
            headers = []  # the first real row is data: this sheet has no header
        cells = [f"{column_letter(i)}{number}" for i in range(len(values))]
        segment = row_segment(headers or [], values, Location(sheet=title), cells)
        if segment is not None:
            used.update(i for i, v in enumerate(values) if v)
            yield segment
    unused = [label if i not in used else None for i, label in enumerate(headers or [])]
    if any(unused):
        cells = [f"{column_letter(i)}{header_row}" for i in range(len(unused))]
        segment = row_segment([], unused, Location(sheet=title), cells)
        if segment is not None:
            yield segment


def render(value: object) -> str | None:
    """A cell value as people read it: ISO dates, integers without `.0`."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
