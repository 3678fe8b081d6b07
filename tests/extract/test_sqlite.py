"""SQLite databases: one row segment per row, located by table, column and rowid."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import pytest

from pii_audit.detect.engine import Detector
from pii_audit.errors import CorruptFile
from pii_audit.extract.registry import extract, sniff
from pii_audit.extract.sqlite import SqliteExtractor
from pii_audit.model import FileRef, SegmentKind, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_bytes
from tests.fixtures import PEOPLE, rrn


def db_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, 성명 TEXT, 주민등록번호 TEXT, 주소 TEXT, photo BLOB)")
        db.executemany(
            "INSERT INTO members (성명, 주민등록번호, 주소, photo) VALUES (?, ?, ?, ?)",
            [(n, rrn(b, 1 + i % 2), a, b"\x89PNG\x00\xff") for i, (n, b, a, _) in enumerate(PEOPLE)],
        )
        db.execute('CREATE TABLE "odd ""name""" (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID')
        db.execute('INSERT INTO "odd ""name""" VALUES (\'phone\', ?)', (PEOPLE[0][3],))
    db.close()
    return path.read_bytes()


def test_sqlite_rows(tmp_path: Path, detector: Detector) -> None:
    data = db_bytes(tmp_path)
    assert sniff(data, "app.bin") == "sqlite"
    extraction = extract(data, "app.db")
    rows = [s for s in extraction.segments if s.location.sheet == "members"]
    assert len(rows) == len(PEOPLE) and all(s.kind is SegmentKind.ROW for s in rows)
    assert rows[0].text.startswith(f"id: 1\n성명: {PEOPLE[0][0]}")
    assert "photo" not in rows[0].text  # binary BLOBs are not text
    odd = [s for s in extraction.segments if s.location.sheet == 'odd "name"']
    assert odd and odd[0].fields[0].cell == "k @ row 1"

    (result,) = scan_bytes(FileRef(path="app.db", location="/x/app.db"), data, AuditOptions(key=b"k"), detector, 0)
    found = [f for f in result.findings if f.entity_type == "KR_RRN"]
    assert result.status is Status.SCANNED and len(found) == len(PEOPLE)
    assert found[1].location.sheet == "members" and found[1].location.cell == "주민등록번호 @ rowid 2"


def test_row_cap_is_a_note(tmp_path: Path) -> None:
    extraction = SqliteExtractor(max_rows=2).extract(db_bytes(tmp_path))
    assert any("only the first 2 rows" in n for n in extraction.notes)


def test_corrupt_sqlite_and_no_leftovers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The extractor's working copy goes to the temp directory: a private one here, so that what
    # other processes do in the machine's /tmp cannot make this test pass or fail.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    data = db_bytes(tmp_path)
    broken = data[:100] + bytes(len(data) - 100)
    with pytest.raises(CorruptFile, match="sqlite"):
        extract(broken, "broken.db")
    extract(data, "app.db")  # and a good one
    assert os.listdir(private) == []
