"""The same fixes on a real Samba share (smb://, writable, on 127.0.0.1): quarantine then restore
and protect then restore give back the share's files byte for byte with their times; a plan
changes nothing; a rescan of the protected share reports the files as encrypted."""

from __future__ import annotations

import io
import json
import shutil
import uuid
from pathlib import Path

import msoffcrypto
import pytest

from pii_audit.audit import Auditor
from pii_audit.cli.app import app
from pii_audit.detect.engine import Detector
from pii_audit.executor import ExecutionOptions
from pii_audit.options import AuditOptions
from pii_audit.report import json as json_report
from pii_audit.source.remote import forget_connections
from tests.fixtures import write_tree
from tests.remedy.conftest import RAW, ok, runner, snapshot
from tests.servers.samba import SambaShare

PASSWORD = "correct horse battery staple"


def _times(root: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime (to the 100 ns SMB keeps) of every file."""
    return {p: (sha, mtime // 100) for p, (sha, _, mtime) in snapshot(root).items()}


@pytest.fixture
def on_share(
    samba_writable_share: SambaShare,
    tmp_path: Path,
    detector: Detector,
    monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> tuple[Path, Path]:
    """A tree on the share (owned by the share's user, who may change it) and its report."""
    share = samba_writable_share
    for key, value in share.env.items():
        monkeypatch.setenv(key, value)
    disk, url = share.subdir(f"fix-{uuid.uuid4().hex[:8]}")
    write_tree(disk)
    for path in [disk, *disk.rglob("*")]:
        shutil.chown(path, share.user)
    run = Auditor(AuditOptions(key=b"share-tests"), lambda o: detector, ExecutionOptions(workers=1)).run([url])
    report = tmp_path / "run.json"
    report.write_text(json_report.render(run), encoding="utf-8")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["scan"]["files_scanned"] == 5 and "Pw-" not in report.read_text(encoding="utf-8")
    yield disk, report
    forget_connections()


def test_quarantine_and_restore_on_a_share(on_share: tuple[Path, Path], tmp_path: Path) -> None:
    disk, report = on_share
    before = _times(disk)
    dest = tmp_path / "q"
    ok(runner.invoke(app, ["quarantine", str(dest), "--from", str(report)]), 0)
    assert _times(disk) == before  # the plan changed nothing
    result = runner.invoke(app, ["quarantine", str(dest), "--from", str(report), "--apply"])
    ok(result, 0)
    moved = {p.relative_to(dest / "files").as_posix() for p in (dest / "files").rglob("*") if p.is_file()}
    assert moved and not moved & set(_times(disk)) and moved <= set(before)
    manifest = (dest / "manifest.jsonl").read_text(encoding="utf-8")
    assert "smb://" in manifest and "Pw-" not in manifest and not any(v in manifest for v in RAW)
    ok(runner.invoke(app, ["restore", str(dest), "--apply"]), 0)
    assert _times(disk) == before


def test_protect_and_restore_on_a_share(on_share: tuple[Path, Path], tmp_path: Path, detector: Detector) -> None:
    disk, report = on_share
    before = _times(disk)
    original = (disk / "roster.xlsx").read_bytes()
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    pw.chmod(0o600)
    result = runner.invoke(app, ["protect", "--from", str(report), "--password-file", str(pw), "--apply"])
    ok(result, 0)
    office = msoffcrypto.OfficeFile(io.BytesIO((disk / "roster.xlsx").read_bytes()))
    office.load_key(password=PASSWORD, verify_password=True)
    plain = io.BytesIO()
    office.decrypt(plain)
    assert plain.getvalue() == original
    assert (disk / "export.csv.7z").exists() and not (disk / "export.csv").exists()
    assert not list(disk.rglob(".pii-audit-*"))
    url = json.loads(report.read_text(encoding="utf-8"))["scan"]["roots"][0]
    again = Auditor(AuditOptions(key=b"share-tests"), lambda o: detector, ExecutionOptions(workers=1)).run([url])
    status = {e.result.ref.path: (e.result.status.value, e.result.reason) for e in again.files}
    assert status["roster.xlsx"][1] == "encrypted" and status["export.csv.7z"][1].startswith("encrypted")
    journal = report.with_name("run.journal.jsonl")
    ok(runner.invoke(app, ["restore", str(journal), "--password-file", str(pw), "--apply"]), 0)
    assert _times(disk) == before
