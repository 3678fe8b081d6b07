"""Report file formats rendered from a report view: one entry per format, one renderer each."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pii_audit.report.view import ReportView


class FileFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    html = "html"
    sarif = "sarif"


def render(fmt: FileFormat, view: ReportView, findings: bool = False) -> bytes:
    """The file's bytes. `findings` makes the CSV a row per finding instead of a row per file.
    Renderers are imported here: openpyxl alone costs a run that writes no file 0.2 s."""
    from pii_audit.report import csv_, html, sarif, xlsx

    if fmt is FileFormat.csv:
        return csv_.render(view, findings=findings).encode("utf-8")
    if fmt is FileFormat.xlsx:
        return xlsx.render(view)
    if fmt is FileFormat.html:
        return html.render(view).encode("utf-8")
    return sarif.render(view).encode("utf-8")
