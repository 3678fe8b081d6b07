"""A Korean run of the whole report set (terminal, JSON, CSV, XLSX, HTML, SARIF): Korean words and
no English ones left, the PIPA category of every finding and file, a workbook LibreOffice converts
with Korean sheet names, and an HTML report that Chromium draws with Hangul glyphs."""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pii_audit.cli.app import app
from tests.conftest import REPORT_SCHEMA, SARIF_SCHEMA
from tests.fixtures import write_tree
from tests.report.png import ink
from tests.system import KNOWN, require_debian_packages, require_hangul_font

runner = CliRunner(env={"COLUMNS": "250"})
SHEETS = ["요약", "파일", "폴더", "소유자", "발견 항목", "검사하지 못한 파일"]
# Latin words a Korean report may hold: names of things (a format, a tool), not words of the report's language.
ALLOWED = {
    "pii",
    "audit",
    "pii-audit",
    "UTC",
    "N",
    "top",
    "format",
    "json",
    "reveal",
    "DRM",
    "ACL",
    "POSIX",
    "ID",
    "binary",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("korean")
    tree = write_tree(base / "tree")
    (tree / "blob.bin").write_bytes(b"\x00\x01binary\xff" * 10)  # a file not scanned, with its reason
    out = base / "out"
    out.mkdir()
    args = ["scan", str(tree), "--lang", "ko", "--no-cache", "--json", str(out / "r.json")]
    for fmt in ("csv", "xlsx", "html", "sarif"):
        args += [f"--{fmt}", str(out / f"r.{fmt}")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    return {"out": out, "terminal": result.stdout, "json": report, "names": _names(report)}


def _names(report: dict[str, Any]) -> set[str]:
    """Words that come from the scanned files and the machine, not from the report's language."""
    words: set[str] = set()
    for text in [*report["scan"]["roots"], report["tool"]["version"]]:
        words |= set(re.findall(r"[A-Za-z][A-Za-z0-9_.-]*", text))
    for f in report["files"]:
        for text in (f["path"], f.get("owner") or "", *f.get("readers", []), f.get("format") or ""):
            words |= set(re.findall(r"[A-Za-z][A-Za-z0-9_.-]*", text))
        for x in f["findings"]:
            words |= set(re.findall(r"[A-Za-z][A-Za-z0-9_.-]*", x["masked"]))
    return words


def english_left(text: str, names: set[str]) -> list[str]:
    """Latin words of two letters or more that are neither names from the scan nor allowed."""
    found = re.findall(r"[A-Za-z][A-Za-z0-9_.-]*", text)
    return sorted({w for w in found if w not in names and w not in ALLOWED and len(re.sub(r"[^A-Za-z]", "", w)) >= 2})


def test_json_is_valid_and_names_the_language(run: dict[str, Any]) -> None:
    report = run["json"]
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["lang"] == "ko" and report["report_version"] >= 3
    for f in report["files"]:
        assert len(f["reasons"]) == len(f["reason_codes"])
        assert not english_left(" ".join(f["reasons"]), run["names"]), f["reasons"]
        assert f["severity"] in ("critical", "high", "medium", "low", "none")  # enum values stay English


def test_categories_per_finding_and_file(run: dict[str, Any]) -> None:
    files = {f["path"]: f for f in run["json"]["files"]}
    export = files["export.csv"]
    by_type = {x["entity_type"]: x["legal_category"] for x in export["findings"]}
    assert by_type["KR_RRN"] == "unique_identifier" and by_type["PERSON"] == "personal"
    assert export["legal_categories"] == ["unique_identifier", "personal"]
    assert any(
        r == "고유식별정보 — 암호화 저장 의무 (개인정보 보호법 제24조제3항, 제24조의2제2항)" for r in export["reasons"]
    )
    note = files["note.txt"]  # a counselling note in the defector context: its personal data is sensitive
    assert note["contexts"] == ["defector"]
    assert note["findings"] and {x["legal_category"] for x in note["findings"]} == {"sensitive"}
    assert note["legal_categories"][0] == "sensitive"
    assert "북한이탈주민 관련 문맥" in note["reasons"]
    assert any(r.startswith("민감정보 — 처리 제한 (개인정보 보호법 제23조제1항)") for r in note["reasons"])
    staff = files["staff.txt"]
    assert {x["legal_category"] for x in staff["findings"]} == {"personal"}
    assert files["blob.bin"]["legal_categories"] == []


def test_terminal(run: dict[str, Any]) -> None:
    text = run["terminal"]
    assert "명 노출" in text and "노출 순위별 파일 (1 = 가장 먼저 조치)" in text
    assert "개인정보 보호법 분류: 고유식별정보 파일 1개, 민감정보 파일 1개" in text
    assert re.search(r"│ 1 │ (심각|높음) ", text) and "검사하지 못한 파일" in text and "지원하지 않는 형식" in text
    assert not english_left(text, run["names"])


def test_csv_keeps_machine_headers_and_says_reasons_in_korean(run: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO((run["out"] / "r.csv").read_text(encoding="utf-8-sig"))))
    assert {"rank", "severity", "reasons", "legal_categories"} <= set(rows[0])
    export = next(r for r in rows if r["path"] == "export.csv")
    assert export["legal_categories"] == "unique_identifier personal" and export["severity"] in ("critical", "high")
    assert "주민등록번호" in export["reasons"] and not english_left(export["reasons"], run["names"])


def test_xlsx_sheets_headers_font_and_widths(run: dict[str, Any]) -> None:
    wb = load_workbook(run["out"] / "r.xlsx")
    assert wb.sheetnames == SHEETS
    files = wb["파일"]
    head = [c.value for c in files[1]]
    assert head[:4] == ["순위", "경로", "위험도", "위험 점수"] and "개인정보 보호법 분류" in head
    assert files["A1"].font.name == "Malgun Gothic" and files["B2"].font.name == "Malgun Gothic"
    reasons_col = head.index("사유") + 1
    assert files.cell(1, reasons_col).column_letter
    category_col = files.cell(1, head.index("개인정보 보호법 분류") + 1).column_letter
    assert files.column_dimensions[category_col].width >= 2 * len("개인정보 보호법 분류")  # Hangul is two wide
    severities = {files.cell(r, 3).value for r in range(2, files.max_row + 1)}
    assert severities <= {"심각", "높음", "보통", "낮음", "없음"} and severities & {"심각", "높음"}
    texts = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not english_left("\n".join(texts), run["names"])


def test_xlsx_converts_in_libreoffice_with_korean_sheets(run: dict[str, Any], tmp_path: Path) -> None:
    soffice = require_debian_packages(KNOWN["soffice"], binary="soffice")
    out = tmp_path / "csv"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(run["out"] / "r.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    produced = {p.name: p for p in out.glob("*.csv")} if out.exists() else {}
    assert proc.returncode == 0 and produced, proc.stderr
    assert set(produced) == {f"r-{s}.csv" for s in SHEETS}
    rows = list(csv.reader(io.StringIO(produced["r-파일.csv"].read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["순위", "경로", "위험도"] and rows[1][2] in ("심각", "높음")


def _visible_text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>|<head>.*?</head>", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_html_is_korean(run: dict[str, Any]) -> None:
    page = (run["out"] / "r.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "<th>개인정보 보호법 분류</th>" in page
    text = _visible_text(page)
    assert "pii-audit 보고서" in text and "고유식별정보 포함 파일" in text
    assert not english_left(text, run["names"])


def _shoot(chromium: str, page: Path, shot: Path, profile: Path) -> bytes:
    subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1200,900", page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert shot.exists(), "chromium wrote no screenshot"
    return shot.read_bytes()


def test_html_screenshot_shows_hangul(run: dict[str, Any], tmp_path: Path) -> None:
    """Chromium draws the Korean report with Hangul glyphs, not boxes: the same page with every Hangul
    syllable replaced by 가 looks different (missing glyphs would all be the same box)."""
    chromium = require_debian_packages(KNOWN["chromium"], binary="chromium")
    require_hangul_font()
    page = (run["out"] / "r.html").read_text(encoding="utf-8")
    flat = tmp_path / "flat.html"
    flat.write_text(re.sub(r"[\uac00-\ud7a3]", "가", page), encoding="utf-8")
    real = _shoot(chromium, run["out"] / "r.html", tmp_path / "real.png", tmp_path / "profile")
    same = _shoot(chromium, flat, tmp_path / "flat.png", tmp_path / "profile2")
    total, dark, colours = ink(real)
    assert dark > total * 0.01, "screenshot is nearly blank"
    assert any(r > 150 and r - g > 100 and r - b > 100 for r, g, b in colours), "no severity colour on screen"
    assert ink(same)[1] != dark, "Hangul drawn as identical boxes: no font with Hangul"


def test_sarif_is_korean_and_valid(run: dict[str, Any]) -> None:
    sarif = json.loads((run["out"] / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    results = sarif["runs"][0]["results"]
    texts = [r["message"]["text"] for r in results]
    texts += [rule["fullDescription"]["text"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
    texts += [n["message"]["text"] for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any("주민등록번호" in t and re.search("파일 위험도 (심각|높음), 순위 1", t) for t in texts)
    rule_ids = {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}  # PERSON, KR_RRN…
    assert not english_left("\n".join(texts), run["names"] | rule_ids)
    assert {r["properties"]["legalCategory"] for r in results} >= {"unique_identifier", "personal", "sensitive"}
