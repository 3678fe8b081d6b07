"""XLSX through openpyxl: every cell whose value (as the scan reads it: ISO dates, integers
without `.0`) holds a detected value gets the masked text; formulas, styles, number formats,
merged cells, column widths, sheets and their order stay as they were. Cell comments are masked
too. Workbooks with charts, images, pivot tables or macros are refused: openpyxl would drop them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from openpyxl import load_workbook

from pii_audit.errors import RemedyError
from pii_audit.extract.xlsx import render
from pii_audit.remedy.redact.values import Masker

FORMATS = ("xlsx",)

_LOST = (
    ("xl/charts/", "charts"),
    ("xl/media/", "images"),
    ("xl/drawings/drawing", "drawings"),
    ("xl/pivotTables/", "pivot tables"),
    ("xl/vbaProject.bin", "macros"),
    ("xl/embeddings/", "embedded objects"),
)


def _refuse_what_would_be_lost(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    lost = sorted({what for prefix, what in _LOST for n in names if n.startswith(prefix)})
    if lost:
        raise RemedyError(f"the workbook has {', '.join(lost)}, which the rewrite would drop: not redacted")


def rewrite(data: bytes, masker_for: Callable[[Callable[[str], bool]], Masker]) -> bytes:
    _refuse_what_would_be_lost(data)
    masker = masker_for(lambda s: True)
    book = load_workbook(io.BytesIO(data), keep_links=True, rich_text=False)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.text:
                    masked = masker.apply(cell.comment.text)
                    if masked != cell.comment.text:
                        cell.comment.text = masked
                if cell.data_type == "f" or cell.value is None:
                    continue  # a formula: its inputs are cells of their own
                shown = render(cell.value)
                if shown is None:
                    continue
                masked = masker.apply(shown)
                if masked != shown:
                    cell.value = masked  # the style (and its number format) stays with the cell
        if sheet.title != (new := masker.apply(sheet.title)):
            sheet.title = new[:31]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
