"""XLSX: opens in openpyxl with the promised sheets, filters, frozen headers and charts, and converts
with headless LibreOffice; names never become formulas; raw values only when revealed."""

from __future__ import annotations

import csv
import html
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pii_audit.report import xlsx
from pii_audit.report.view import from_dict
from tests.report.sample import HOSTILE, RAW, sample_report
from tests.system import KNOWN, require_debian_packages

SHEETS = ["Summary", "Files", "Folders", "Owners", "Findings", "Not scanned"]


@pytest.fixture(scope="module")
def soffice() -> str:
    return require_debian_packages(KNOWN["soffice"], binary="soffice")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    path.write_bytes(xlsx.render(from_dict(sample_report())))
    return path


def test_sheets_filters_frozen_headers(book: Path) -> None:
    wb = load_workbook(book)
    assert wb.sheetnames == SHEETS
    for name in SHEETS[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws["A1"].font.bold, name
    assert wb["Files"].auto_filter.ref == wb["Files"].dimensions
    files = wb["Files"]
    header = [c.value for c in files[1]]
    assert header[:4] == ["rank", "path", "severity", "risk_score"]
    assert [files.cell(r, 2).value for r in range(2, files.max_row + 1)][0] == "hr/roster.xlsx"
    assert files.max_row == 1 + 3  # scanned files only; the others are under "Not scanned"
    assert files["C2"].fill.fgColor.rgb.endswith("C00000")  # critical
    assert files.column_dimensions["B"].width > 10
    not_scanned = wb["Not scanned"]
    assert [[c.value for c in row] for row in not_scanned.iter_rows(min_row=2)] == [
        ["blob.bin", "skipped", "unsupported: data"],
        ["+broken.pdf", "failed", "corrupt: <xref>"],
    ]
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=2, max_col=2) if r[0].value}
    assert summary["Distinct people exposed"] == 3 and summary["Files failed"] == 1


def test_charts(book: Path) -> None:
    with zipfile.ZipFile(book) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        assert all(b"barChart" in z.read(n) for n in charts)
    assert len(load_workbook(book)["Summary"]._charts) == 2


def test_names_are_text_never_formulas(tmp_path: Path) -> None:
    data = sample_report()
    data["files"][2]["path"] = '=HYPERLINK("http://evil","x")'
    data["files"][1]["path"] = "bad\x01control\x1fchars.csv"
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx.render(from_dict(data)))
    ws = load_workbook(path)["Files"]
    cell = next(c for c in ws["B"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert any("bad\\x01control\\x1fchars" in str(c.value) for c in ws["B"])  # shown escaped, as people read paths


def test_raw_values_only_when_revealed(tmp_path: Path, book: Path) -> None:
    def strings(path: Path) -> str:
        # openpyxl may write non-ASCII text as character references (&#54861;): unescape before searching
        with zipfile.ZipFile(path) as z:
            return html.unescape("".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))

    assert not any(raw in strings(book) for raw in RAW)
    findings = load_workbook(book)["Findings"]
    assert "text" not in [c.value for c in findings[1]]
    revealed = tmp_path / "revealed.xlsx"
    revealed.write_bytes(xlsx.render(from_dict(sample_report(), reveal=True)))
    assert "text" in [c.value for c in load_workbook(revealed)["Findings"][1]]
    assert RAW[0] in strings(revealed)


def test_libreoffice_converts_every_sheet(soffice: str, book: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    # 44,34,76 = comma, quote, UTF-8; the last -1 exports every sheet to a file of its own (LibreOffice >= 7.2)
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    produced = {p.name: p for p in out.glob("*.csv")} if out.exists() else {}
    assert proc.returncode == 0 and produced, proc.stderr
    assert set(produced) == {f"report-{s}.csv" for s in SHEETS}
    files = list(csv.reader(io.StringIO(produced["report-Files.csv"].read_text(encoding="utf-8"))))
    assert files[0][:3] == ["rank", "path", "severity"]
    assert files[1][1] == "hr/roster.xlsx" and files[1][2] == "critical"
    assert any(HOSTILE in row[1] for row in files[1:])  # shown as text, not evaluated
