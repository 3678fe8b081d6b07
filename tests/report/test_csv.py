"""CSV: parses back, a row per file or per finding, formulas defused, raw values only when revealed."""

from __future__ import annotations

import csv
import io

from pii_audit.report import csv_
from pii_audit.report.view import from_dict
from tests.report.sample import HOSTILE, RAW, sample_report


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8 (Korean names)
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_file_rows() -> None:
    rows = _rows(csv_.render(from_dict(sample_report())))
    assert [r["rank"] for r in rows] == ["1", "2", "3", "4", "5"]
    first = rows[0]
    assert first["path"] == "hr/roster.xlsx" and first["severity"] == "critical" and first["exposed"] == "2"
    assert first["KR_RRN"] == "1" and first["PHONE_NUMBER"] == "0"
    assert first["reasons"].startswith("2 people with name")
    assert rows[3]["status"] == "skipped" and rows[3]["reason"] == "unsupported: data"


def test_formula_injection_is_defused() -> None:
    rows = _rows(csv_.render(from_dict(sample_report())))
    assert rows[4]["path"] == "'+broken.pdf"
    findings = _rows(csv_.render(from_dict(sample_report()), findings=True))
    assert findings[2]["masked"] == "'-010-****-**78" and findings[3]["masked"] == "'@a***@example.org"
    for row in rows + findings:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert any(HOSTILE in r["path"] for r in rows)  # not a formula start: left as it is


def test_finding_rows_masked_without_reveal() -> None:
    text = csv_.render(from_dict(sample_report()), findings=True)
    rows = _rows(text)
    assert "text" not in rows[0]
    assert rows[0]["entity_type"] == "PERSON" and rows[0]["sheet"] == "명단" and rows[0]["cell"] == "A2"
    assert rows[2]["line"] == "3" and rows[2]["page"] == ""
    assert not any(raw in text for raw in RAW)


def test_finding_rows_with_reveal() -> None:
    rows = _rows(csv_.render(from_dict(sample_report(), reveal=True), findings=True))
    assert rows[0]["text"] == RAW[0]
    assert rows[2]["text"] == "'" + RAW[2]  # raw values are defused too
