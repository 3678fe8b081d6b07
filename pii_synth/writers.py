"""Deterministic file writers (text in any encoding, csv, xlsx, docx)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FIXED_TIME = dt.datetime(2024, 1, 2, 9, 0, 0)
_ZIP_TIME = (2024, 1, 2, 9, 0, 0)
_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def write_text(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if newline != "\n":
        text = text.replace("\n", newline)
    path.write_bytes(text.encode(encoding))


def csv_text(rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def normalize_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed member timestamps so that output bytes are reproducible."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into <dcterms:modified>; pin it
                data = _CORE_TIME.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)


def save_workbook(wb: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "pii-audit synth"
    wb.properties.lastModifiedBy = "pii-audit synth"
    wb.save(path)
    normalize_zip(path)


def save_document(doc: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    props = doc.core_properties
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.author = "pii-audit synth"
    props.last_modified_by = "pii-audit synth"
    props.revision = 1
    doc.save(path)
    normalize_zip(path)


def docx_text(path: Path) -> str:
    """Paragraph and table-cell text of a docx (used by tests to check labels)."""
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    """Cell text of a workbook; date cells rendered ISO (``1985-07-02``)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    parts: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, dt.datetime):
                    parts.append(f"{v:%Y-%m-%d}")
                elif v is not None:
                    parts.append(str(v))
    wb.close()
    return "\n".join(parts)


def file_text(path: Path) -> str:
    """Decode any corpus file to text (txt/csv in UTF-8, UTF-16 with BOM or CP949; xlsx; docx)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return xlsx_text(path)
    if suffix == ".docx":
        return docx_text(path)
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp949")
