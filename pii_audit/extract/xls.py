"""XLS (BIFF 5-8) through xlrd 2: one ROW segment per row of every sheet, as xlsx.py does (header row
as labels, cells like `B7`, dates as ISO). A workbook with a FILEPASS record is encrypted."""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence

import xlrd
from xlrd.biffh import XLRDError

from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.xlsx import sheet_segments
from pii_audit.model import Extraction, Segment


class XlsExtractor:
    format = "xls"

    def extract(self, data: bytes) -> Extraction:
        try:
            book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Quiet())
        except XLRDError as exc:
            if "encrypted" in str(exc).lower():
                raise EncryptedFile("encrypted: password-protected XLS") from None
            raise CorruptFile(f"xls: {_reason(exc)}") from None
        except (struct.error, IndexError, KeyError, ValueError, AssertionError, EOFError) as exc:
            raise CorruptFile(f"xls: {type(exc).__name__}") from None
        try:
            segments: list[Segment] = []
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                segments.extend(sheet_segments(sheet.name, _rows(sheet, book.datemode)))
                book.unload_sheet(index)
        finally:
            book.release_resources()
        return Extraction(format=self.format, segments=tuple(segments))


def _rows(sheet: xlrd.sheet.Sheet, datemode: int) -> Iterator[tuple[int, Sequence[object]]]:
    for r in range(sheet.nrows):
        yield r + 1, [_value(cell, datemode) for cell in sheet.row(r)]


def _value(cell: xlrd.sheet.Cell, datemode: int) -> object:
    kind = cell.ctype
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def _reason(exc: XLRDError) -> str:
    """xlrd's messages name the problem, not the content; keep only their first words."""
    return " ".join(str(exc).split()[:6])


class _Quiet:
    """xlrd prints warnings (e.g. about file sizes) to its log file; a library must not print."""

    def write(self, text: str) -> int:
        return len(text)
