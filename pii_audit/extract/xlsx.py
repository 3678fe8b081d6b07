"""XLSX through openpyxl in read-only (streaming) mode: one ROW segment per row of every sheet.

The header of a sheet is its first row with two or more non-empty cells, if that row is mostly
labels; rows above it (titles) and every row of a sheet without a header are rendered unlabelled.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pii_audit.errors import CorruptFile
from pii_audit.extract.base import column_letter, row_segment
from pii_audit.extract.tables import looks_like_header
from pii_audit.model import Extraction, Location, Segment


class XlsxExtractor:
    format = "xlsx"

    def extract(self, data: bytes) -> Extraction:
        # openpyxl warns about every feature it does not read (validation, conditional formats…)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            except (zipfile.BadZipFile, InvalidFileException, ParseError, KeyError) as exc:
                raise CorruptFile(f"xlsx: {type(exc).__name__}") from None
            try:
                segments: list[Segment] = []
                for sheet in workbook.worksheets:
                    segments.extend(_sheet_rows(sheet))
            finally:
                workbook.close()
        return Extraction(format=self.format, segments=tuple(segments))


def _sheet_rows(sheet: Any) -> list[Segment]:
    sheet.reset_dimensions()  # some writers record a wrong <dimension>; it would truncate the rows
    return sheet_segments(str(sheet.title), enumerate(sheet.iter_rows(values_only=True), start=1))


def sheet_segments(title: str, rows: Iterable[tuple[int, Sequence[object]]]) -> list[Segment]:
    """ROW segments of one sheet from (1-based row number, values from column A): the header is the
    first row with two or more non-empty cells if it is mostly labels. Shared by xlsx, xls and ods."""
    headers: list[str] | None = None
    segments: list[Segment] = []
    for number, row in rows:
        values = [render(v) for v in row]
        filled = [v for v in values if v]
        if not filled:
            continue
        if headers is None and len(filled) >= 2:
            if looks_like_header([v for v in row if v is not None and str(v).strip()]):
                headers = [v or "" for v in values]
                continue
            headers = []  # the first real row is data: this sheet has no header
        cells = [f"{column_letter(i)}{number}" for i in range(len(values))]
        segment = row_segment(headers or [], values, Location(sheet=title), cells)
        if segment is not None:
            segments.append(segment)
    return segments


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
