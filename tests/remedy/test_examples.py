"""Issue 17's "done when", on a copy of the bundled examples/data: protect --min-severity critical
encrypts exactly the critical files and a rescan reports each as encrypted; the roster opens with
the password and gives the same cells; redact on the examples' xlsx and csv gives copies that
rescan clean with the same shape."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import msoffcrypto
import pytest
from openpyxl import load_workbook

from pii_audit.cli.app import app
from pii_audit.detect.engine import Detector
from pii_audit.remedy.redact.run import redact
from tests.fixtures import open_dir
from tests.remedy.conftest import audit, ok, runner, snapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
ROSTER = "명단/2024_북한이탈주민_교육생_명단.xlsx"
EXPORT = "exports/정착금_지급대상_cp949.csv"


@pytest.fixture
def examples() -> Iterator[Path]:
    with open_dir("pii-audit-examples-") as base:
        root = base / "data"
        shutil.copytree(EXAMPLES, root, copy_function=shutil.copy2)
        for d in [root, *root.rglob("*")]:
            if d.is_dir():
                d.chmod(0o755)
        yield root


def _cells(data: bytes) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for ws in book.worksheets for row in ws.iter_rows()]


def test_protect_exactly_the_critical_files(examples: Path, tmp_path: Path, detector: Detector) -> None:
    report = tmp_path / "run.json"
    report.write_text(json.dumps(audit(examples, detector), ensure_ascii=False), encoding="utf-8")
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    critical = {f["path"] for f in files if f["severity"] == "critical"}
    assert ROSTER in critical and len(critical) < len(files)
    before = snapshot(examples)
    roster = (examples / ROSTER).read_bytes()
    pw = tmp_path / "pw"
    pw.write_text("a long enough password\n", encoding="utf-8")
    pw.chmod(0o600)
    args = ["protect", "--from", str(report), "--min-severity", "critical", "--password-file", str(pw), "--apply"]
    ok(runner.invoke(app, args), 0)
    after = snapshot(examples)
    changed = {p for p in before if after.get(p) != before[p]}
    assert changed == critical
    rescan = {f["path"]: f for f in audit(examples, detector)["files"]}
    for path in critical:
        now = rescan[path] if path.endswith(".xlsx") else rescan[path + ".7z"]
        assert (
            now["reason"].startswith("encrypted")
            and now["risk_score"] < {f["path"]: f for f in files}[path]["risk_score"]
        )
    office = msoffcrypto.OfficeFile(io.BytesIO((examples / ROSTER).read_bytes()))
    office.load_key(password="a long enough password", verify_password=True)
    plain = io.BytesIO()
    office.decrypt(plain)
    assert _cells(plain.getvalue()) == _cells(roster)


def test_redact_the_examples_xlsx_and_csv(detector: Detector) -> None:
    roster = (EXAMPLES / ROSTER).read_bytes()
    masked = redact(roster, "roster.xlsx", detector)
    assert sum(masked.counts.values()) > 100
    assert [len(r) for r in _cells(masked.data)] == [len(r) for r in _cells(roster)]
    again = redact(masked.data, "again.xlsx", detector)
    assert again.counts == {} and again.rounds == 0  # a rescan of the copy finds nothing
    export = (EXAMPLES / EXPORT).read_bytes()
    copy = redact(export, "export.csv", detector)
    rows = list(csv.reader(io.StringIO(copy.data.decode("cp949"), newline="")))
    assert [len(r) for r in rows] == [len(r) for r in csv.reader(io.StringIO(export.decode("cp949"), newline=""))]
    assert redact(copy.data, "again.csv", detector).counts == {}
