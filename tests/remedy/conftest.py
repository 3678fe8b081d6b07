"""A scanned synthetic tree, and private copies of it (with a report pointing at the copy) for
tests that change files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from pii_audit.audit import Auditor
from pii_audit.detect.engine import Detector
from pii_audit.executor import ExecutionOptions
from pii_audit.options import AuditOptions
from pii_audit.report import json as json_report
from tests.fixtures import PEOPLE, open_dir, rrn, write_tree
from tests.servers.samba import samba_writable_share  # noqa: F401 (a fixture for test_share.py)

runner = CliRunner()

# Values the fixture tree holds: none may appear in a plan, a manifest or a journal.
RAW = [v for name, birth, address, phone in PEOPLE for v in (name, address, phone)]
RAW += [rrn(b, 1 + i % 2) for i, (_, b, _, _) in enumerate(PEOPLE)] + ["홍정자", "010-4457-3000"]


def ok(result: Result, code: int) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output


@dataclass(frozen=True)
class Case:
    root: Path  # the copy of the tree
    report: Path  # its report (the scan's, with the root pointing at the copy)
    data: dict  # type: ignore[type-arg]

    def severities(self) -> dict[str, str]:
        return {f["path"]: f["severity"] for f in self.data["files"]}


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `root`: sha256, mode and mtime (ns), computed here, not by the code under test."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.lstat()
            out[path.relative_to(root).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                st.st_mode,
                st.st_mtime_ns,
            )
    return out


def write_docx(path: Path) -> Path:
    """A Word roster: a paragraph and a table of generated people."""
    from docx import Document

    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_paragraph("교육생 명단")
    table = doc.add_table(rows=1, cols=3)
    for cell, label in zip(table.rows[0].cells, ("성명", "주민등록번호", "주소"), strict=True):
        cell.text = label
    for i, (name, birth, address, _) in enumerate(PEOPLE):
        for cell, value in zip(table.add_row().cells, (name, rrn(birth, 1 + i % 2), address), strict=True):
            cell.text = value
    doc.save(str(path))
    return path


def audit(root: Path, detector: Detector) -> dict:  # type: ignore[type-arg]
    """The JSON report of a scan of `root`, through the session's detector (a `scan` command would
    load the models again: the CLI itself is covered in tests/cli)."""
    run = Auditor(AuditOptions(key=b"remedy-tests"), lambda o: detector, ExecutionOptions(workers=1)).run([str(root)])
    return json.loads(json_report.render(run))  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def scanned(detector: Detector) -> Iterator[tuple[Path, dict]]:  # type: ignore[type-arg]
    with open_dir("pii-audit-remedy-") as base:  # world-readable files, as on a shared disk: some critical
        tree = write_tree(base / "tree")
        tree.chmod(0o755)
        write_docx(tree / "letters" / "roster.docx")
        (tree / "letters").chmod(0o755)
        os.chmod(tree / "staff.txt", 0o640)  # modes other than the default must come back too
        yield tree, audit(tree, detector)


@pytest.fixture
def case(scanned: tuple[Path, dict], tmp_path: Path) -> Case:  # type: ignore[type-arg]
    tree, data = scanned
    root = tmp_path / "data"
    shutil.copytree(tree, root, copy_function=shutil.copy2)
    data = json.loads(json.dumps(data))
    data["scan"]["roots"] = [str(root)]
    report = tmp_path / "run.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return Case(root, report, data)
