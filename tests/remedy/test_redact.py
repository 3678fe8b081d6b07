"""redact: masked copies keep their structure (cells, formats, formulas, dialect, encoding, zip
members) and a rescan of each finds nothing; formats that cannot be rewritten faithfully are
refused with the reason; nothing is written without --apply, and never over a file."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from pii_audit.cli.app import app
from pii_audit.detect.engine import Detector
from pii_audit.errors import RemedyError
from pii_audit.model import FileRef
from pii_audit.options import AuditOptions
from pii_audit.remedy.redact.run import redact
from pii_audit.scan import scan_bytes
from tests.extract import formats
from tests.fixtures import PEOPLE, rrn, write_roster
from tests.remedy.conftest import RAW, ok, runner, snapshot

FORMAT_RAW = [v for p in formats.PEOPLE for v in (p.name, p.rrn)]


def _rescan(data: bytes, name: str, detector: Detector) -> list[str]:
    """Entity types a scan finds in `data` (what any report of the copy would list)."""
    results = scan_bytes(FileRef(path=name, location=name, size=len(data)), data, AuditOptions(key=b"t"), detector, 0)
    assert results[0].status.value == "scanned", results[0].reason
    return [f.entity_type for r in results for f in r.findings]


def _raw(data: bytes, name: str, detector: Detector) -> set[str]:
    """The raw values a revealing scan of `data` reports."""
    ref = FileRef(path=name, location=name, size=len(data))
    results = scan_bytes(ref, data, AuditOptions(key=b"t", reveal=True), detector, 0)
    return {f.text for r in results for f in r.findings if f.text}


def _book(path: Path) -> Path:
    """The roster, plus a formula, a bold header, a column width and a number format to keep."""
    write_roster(path)
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws["G1"] = "인원"
    ws["G2"] = "=COUNTA(A2:A5)"
    ws["H2"] = 1234.5
    ws["H2"].number_format = "#,##0.00"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["C"].width = 42
    ws.freeze_panes = "A2"
    second = wb.create_sheet("메모")
    second["A1"] = "비고"
    wb.save(path)
    return path


def test_xlsx_keeps_every_cell_but_the_values(tmp_path: Path, detector: Detector) -> None:
    source = _book(tmp_path / "roster.xlsx")
    result = redact(source.read_bytes(), source.name, detector)
    assert result.counts["PERSON"] == len(PEOPLE) and result.counts["PHONE_NUMBER"] == len(PEOPLE)
    assert _rescan(result.data, "out.xlsx", detector) == []
    before, after = load_workbook(source), load_workbook(io.BytesIO(result.data))
    assert before.sheetnames == after.sheetnames
    changed = 0
    for ws in before.worksheets:
        new = after[ws.title]
        assert (ws.max_row, ws.max_column, ws.freeze_panes) == (new.max_row, new.max_column, new.freeze_panes)
        for row in ws.iter_rows():
            for cell in row:
                twin = new[cell.coordinate]
                assert (twin.font.b, twin.number_format) == (cell.font.b, cell.number_format), cell.coordinate
                if twin.value != cell.value:
                    changed += 1
                    assert isinstance(twin.value, str) and len(twin.value) > 0
    assert changed == 4 * len(PEOPLE)  # name, birth date, address, phone of each person; nothing else
    ws = after.active
    assert ws is not None
    assert ws["G2"].value == "=COUNTA(A2:A5)" and ws["H2"].value == 1234.5 and ws["A1"].value == "성명"
    assert ws.column_dimensions["C"].width == 42
    assert isinstance(ws["E2"].value, type(before.active["E2"].value))  # the entry date (not personal) stays a date
    text = json.dumps([[str(c.value) for c in row] for row in ws.iter_rows()], ensure_ascii=False)
    assert not any(v in text for v in RAW[:12])


def test_csv_keeps_dialect_encoding_and_shape(tmp_path: Path, detector: Detector) -> None:
    lines = ["성명;주민등록번호;주소;비고"] + [
        f'{n};{rrn(b, 1 + i % 2)};"{a}";메모 {i}' for i, (n, b, a, _) in enumerate(PEOPLE)
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("cp949")
    result = redact(data, "x.csv", detector)
    assert _rescan(result.data, "x.csv", detector) == []
    text = result.data.decode("cp949")  # still CP949, still CRLF
    assert text.count("\r\n") == len(lines) and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    original = list(csv.reader(io.StringIO(data.decode("cp949"), newline=""), delimiter=";"))
    assert [len(r) for r in rows] == [len(r) for r in original]
    assert rows[0] == original[0] and [r[3] for r in rows] == [r[3] for r in original]
    assert not any(v in text for v in RAW)
    assert '"' in text  # the quoted address column keeps its quotes


def test_full_mask_keeps_lengths(detector: Detector) -> None:
    name = PEOPLE[0][0]
    data = f"성명,연락처\n{name},010-2345-6789\n".encode()
    result = redact(data, "x.csv", detector, full=True)
    assert result.data.decode() == "성명,연락처\n███,█████████████\n"
    cp949 = redact(data.decode().encode("cp949"), "x.csv", detector, full=True).data.decode("cp949")
    assert cp949 == "성명,연락처\n■■■,■■■■■■■■■■■■■\n"  # CP949 has no █


GENERATED: dict[str, Callable[[], bytes]] = {
    "docx": formats.docx_extras_bytes,
    "pptx": formats.pptx_bytes,
    "hwpx": formats.hwpx_bytes,
    "html": formats.html_bytes,
    "json": formats.json_bytes,
    "xml": formats.xml_bytes,
}


@pytest.mark.parametrize("kind", sorted(GENERATED))
def test_documents_rescan_clean_with_the_same_structure(kind: str, detector: Detector) -> None:
    data = GENERATED[kind]()
    assert _rescan(data, f"x.{kind}", detector)  # there is something to redact
    result = redact(data, f"x.{kind}", detector)
    assert result.kind == kind
    assert _rescan(result.data, f"x.{kind}", detector) == []
    if kind in ("docx", "pptx", "hwpx"):
        with zipfile.ZipFile(io.BytesIO(data)) as a, zipfile.ZipFile(io.BytesIO(result.data)) as b:
            assert [(i.filename, i.compress_type) for i in a.infolist()] == [
                (i.filename, i.compress_type) for i in b.infolist()
            ]
            blob = b"".join(b.read(n) for n in b.namelist()).decode("utf-8", "replace")
            kept = [n for n in a.namelist() if a.read(n) == b.read(n)]
            assert kept and len(kept) < len(a.namelist())  # only the parts with text changed
    elif kind == "json":

        def shape(x: object) -> object:
            if isinstance(x, dict):
                return {k: shape(v) for k, v in x.items()}
            if isinstance(x, list):
                return [shape(v) for v in x]
            return type(x).__name__

        assert shape(json.loads(result.data)) == shape(json.loads(data))
        blob = json.dumps(json.loads(result.data), ensure_ascii=False)
    else:
        encoding = "cp949" if kind == "html" else "utf-8"
        blob = result.data.decode(encoding)
        assert blob.count("<") == data.decode(encoding).count("<")  # every tag stays
    # Redaction masks what detection finds: a value the scan of the original did not report (a lone
    # name in a text box, a <script> string) stays, and nothing the scan reported does.
    found = _raw(data, f"x.{kind}", detector)
    assert found and not [v for v in found if v in blob]
    assert not [v for v in FORMAT_RAW if v in blob and any(v in f for f in found)]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\n%%EOF\n", "PDF text is placed by drawing commands"),
        (formats.xls_bytes(), "legacy XLS"),
        (formats.hwp_bytes(), "HWP 5 binary"),
    ],
)
def test_formats_that_cannot_be_rewritten_are_refused(data: bytes, reason: str, detector: Detector) -> None:
    with pytest.raises(RemedyError, match=reason):
        redact(data, "x.bin", detector)


def test_a_workbook_with_a_chart_is_refused(tmp_path: Path, detector: Detector) -> None:
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["성명", "연락처", "점수"])
    ws.append([PEOPLE[0][0], PEOPLE[0][3], 3])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=2))
    ws.add_chart(chart, "E2")
    wb.save(tmp_path / "c.xlsx")
    with pytest.raises(RemedyError, match="charts"):
        redact((tmp_path / "c.xlsx").read_bytes(), "c.xlsx", detector)


def test_cli_plans_writes_once_and_journals(tmp_path: Path) -> None:
    source = tmp_path / "in" / "export.csv"
    source.parent.mkdir()
    lines = ["성명,주민등록번호,주소"] + [f"{n},{rrn(b, 1)},{a}" for n, b, a, _ in PEOPLE]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "masked.csv"
    out.parent.mkdir()
    before = snapshot(tmp_path)
    plan = runner.invoke(app, ["redact", str(source), "-o", str(out)])
    ok(plan, 0)
    assert "12 values" in plan.stdout and snapshot(tmp_path) == before
    done = runner.invoke(app, ["redact", str(source), "-o", str(out), "--apply"])
    ok(done, 0)
    assert out.exists() and oct(out.stat().st_mode & 0o777) == "0o600"
    assert source.read_text(encoding="utf-8") == "\n".join(lines) + "\n"  # the original is untouched
    journal = out.parent / "pii-audit.journal.jsonl"
    entry = json.loads(journal.read_text(encoding="utf-8"))
    assert entry["action"] == "redact" and entry["counts"] == {"ADDRESS": 4, "KR_RRN": 4, "PERSON": 4}
    assert not any(v in journal.read_text(encoding="utf-8") + out.read_text(encoding="utf-8") for v in RAW)
    again = runner.invoke(app, ["redact", str(source), "-o", str(out), "--apply"])
    ok(again, 2)
    assert "never overwrites" in again.stderr
    pdf = tmp_path / "in" / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    refused = runner.invoke(app, ["redact", str(pdf), "-o", str(tmp_path / "out" / "b.pdf"), "--apply"])
    ok(refused, 3)
    assert "cannot be redacted faithfully" in refused.stdout and not (tmp_path / "out" / "b.pdf").exists()
    assert not [p for p in tmp_path.rglob(".pii-audit-*")]
    os.remove(out)


def test_libreoffice_shows_the_masked_values(tmp_path: Path, detector: Detector) -> None:
    import subprocess

    from tests.system import KNOWN, UNO_MODULE, require_debian_packages

    require_debian_packages(KNOWN[UNO_MODULE], UNO_MODULE)
    soffice = require_debian_packages(KNOWN["soffice"], "soffice")
    source = _book(tmp_path / "roster.xlsx")
    masked = tmp_path / "masked.xlsx"
    masked.write_bytes(redact(source.read_bytes(), source.name, detector).data)
    env = {**os.environ, "PATH": f"{Path(soffice).parent}:{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        ["/usr/bin/python3", str(Path(__file__).with_name("lo_read.py")), str(tmp_path / "profile"),
         str(source), "-", str(masked), "-"],
        capture_output=True, text=True, timeout=300, env=env, check=True,
    )  # fmt: skip
    original, copy = json.loads(run.stdout)
    assert original["opened"] and copy["opened"]
    before, after = original["sheets"]["명단"], copy["sheets"]["명단"]
    assert len(before) == len(after) and [len(r) for r in before] == [len(r) for r in after]
    name, masked_name = before[1][0], after[1][0]
    assert name == PEOPLE[0][0] and masked_name == name[0] + "*" + name[-1]
    assert before[0] == after[0] and [r[4] for r in before] == [r[4] for r in after]  # header, entry dates
    assert not any(v in json.dumps(copy, ensure_ascii=False) for v in RAW)
