"""protect: Office files encrypted in place, the rest into AES-256 7z; each decrypts to the very
bytes it was; real LibreOffice opens them only with the password; a rescan calls them encrypted;
restore decrypts them back; Ctrl-C in the middle leaves every file whole."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import msoffcrypto
import py7zr
import pytest

from pii_audit.cli.app import app
from pii_audit.detect.engine import Detector
from tests.remedy.conftest import RAW, Case, audit, ok, runner, snapshot
from tests.system import KNOWN, UNO_MODULE, require_debian_packages

PASSWORD = "correct horse battery staple"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def pw(tmp_path: Path) -> Path:
    path = tmp_path / "pw"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def _office_plain(path: Path, password: str = PASSWORD) -> bytes:
    import io

    with path.open("rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        assert office.is_encrypted()
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out)
    return out.getvalue()


def _sevenzip_plain(path: Path, tmp: Path, password: str = PASSWORD) -> dict[str, bytes]:
    out = tmp / f"x-{path.name}"
    with py7zr.SevenZipFile(path, "r", password=password) as z:
        z.extractall(path=out)
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _protect(case: Case, pw: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["protect", "--from", str(case.report), "--password-file", str(pw), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def test_plan_changes_nothing(case: Case, pw: Path) -> None:
    before = snapshot(case.root)
    code, out, err = _protect(case, pw, "--min-severity", "low")
    assert code == 0, out + err
    assert snapshot(case.root) == before
    assert "encrypt in place" in out and "into export.csv.7z" in out
    assert not case.report.with_name("run.journal.jsonl").exists()


def test_protect_decrypts_to_the_same_bytes_and_rescans_as_encrypted(
    case: Case, pw: Path, tmp_path: Path, detector: Detector
) -> None:
    before = {p: (case.root / p).read_bytes() for p in case.severities()}
    chosen = sorted(p for p, s in case.severities().items() if s in ("high", "critical"))
    assert {"roster.xlsx", "letters/roster.docx", "export.csv"} <= set(chosen)
    os.chmod(case.root / "export.csv", 0o640)
    os.utime(case.root / "export.csv", ns=(1, (case.root / "roster.xlsx").stat().st_mtime_ns))
    code, out, err = _protect(case, pw, "--apply")
    assert code == 0, out + err
    for path in chosen:
        f = case.root / path
        if path.endswith((".xlsx", ".docx")):
            assert _office_plain(f) == before[path]
            assert f.read_bytes() != before[path]
        else:
            assert not f.exists()
            assert _sevenzip_plain(f.with_name(f.name + ".7z"), tmp_path) == {f.name: before[path]}
    assert stat.S_IMODE((case.root / "export.csv.7z").stat().st_mode) == 0o640  # the original's mode
    untouched = set(case.severities()) - set(chosen)
    assert all((case.root / p).read_bytes() == before[p] for p in untouched)
    journal = case.report.with_name("run.journal.jsonl")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    text = journal.read_text(encoding="utf-8")
    assert PASSWORD not in text and not any(v in text for v in RAW)
    assert len(text.splitlines()) == len(chosen)

    files = {f["path"]: f for f in audit(case.root, detector)["files"]}
    old = {f["path"]: f for f in case.data["files"]}
    for path in chosen:
        now = files[path] if path in files else files[path + ".7z"]
        assert now["status"] == "skipped" and now["reason"].startswith("encrypted"), now
        assert now["risk_score"] < old[path]["risk_score"]


def test_restore_decrypts_back(case: Case, pw: Path, tmp_path: Path) -> None:
    before = snapshot(case.root)
    assert _protect(case, pw, "--apply", "--min-severity", "low")[0] == 0
    assert snapshot(case.root) != before
    journal = case.report.with_name("run.journal.jsonl")
    wrong = tmp_path / "wrong"
    wrong.write_text("not the password\n", encoding="utf-8")
    wrong.chmod(0o600)
    protected = snapshot(case.root)
    result = runner.invoke(app, ["restore", str(journal), "--apply", "--password-file", str(wrong)])
    ok(result, 3)
    assert "wrong password?" in result.stdout
    assert snapshot(case.root) == protected  # nothing half-done, no temporary files
    result = runner.invoke(app, ["restore", str(journal), "--apply", "--password-file", str(pw)])
    ok(result, 0)
    assert snapshot(case.root) == before  # bytes, modes and mtimes
    ok(runner.invoke(app, ["restore", str(journal), "--apply"]), 0)  # nothing left: no password asked


def test_password_only_from_a_file_or_a_terminal(case: Case, tmp_path: Path) -> None:
    before = snapshot(case.root)
    result = runner.invoke(app, ["protect", "--from", str(case.report), "--apply"])
    ok(result, 2)
    assert "--password-file" in result.stderr
    result = runner.invoke(app, ["protect", "--from", str(case.report), "--apply", "--password-file", str(tmp_path)])
    ok(result, 2)
    assert snapshot(case.root) == before


def test_libreoffice_opens_them_only_with_the_password(case: Case, pw: Path, tmp_path: Path) -> None:
    require_debian_packages(KNOWN[UNO_MODULE], UNO_MODULE)
    soffice = require_debian_packages(KNOWN["soffice"], "soffice")
    docs = ["roster.xlsx", "letters/roster.docx"]
    plain = tmp_path / "plain"
    for d in docs:
        (plain / d).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(case.root / d, plain / d)
    assert _protect(case, pw, "--apply", "--path", "roster.*")[0] == 0
    args = []
    for d in docs:
        args += [
            str(plain / d),
            "-",
            str(case.root / d),
            PASSWORD,
            str(case.root / d),
            "-",
            str(case.root / d),
            "wrong",
        ]
    env = {**os.environ, "PATH": f"{Path(soffice).parent}:{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        ["/usr/bin/python3", str(Path(__file__).with_name("lo_read.py")), str(tmp_path / "profile"), *args],
        capture_output=True, text=True, timeout=300, env=env, check=True,
    )  # fmt: skip
    results = json.loads(run.stdout)
    for i, d in enumerate(docs):
        original, with_pw, without, wrong = results[4 * i : 4 * i + 4]
        assert original["opened"] and with_pw["opened"], d
        assert not without["opened"] and not wrong["opened"], d
        content = {k: v for k, v in with_pw.items() if k != "opened"}
        assert content == {k: v for k, v in original.items() if k != "opened"}, d
        assert any(RAW[0] in json.dumps(v, ensure_ascii=False) for v in content.values()), d  # real cells, not blanks


def test_ctrl_c_leaves_every_file_whole(case: Case, pw: Path, tmp_path: Path) -> None:
    """A real SIGINT to a running `protect --apply`: every file is the original or a protected copy
    that decrypts to it, no temporary file remains, and restore gives back the exact tree."""
    many = case.root / "many"
    many.mkdir()
    data = json.loads(case.report.read_text(encoding="utf-8"))
    entries = {f["path"]: f for f in data["files"]}
    for i in range(40):
        for name in ("roster.xlsx", "export.csv"):
            copy = f"many/{i:02d}-{name}"
            shutil.copy2(case.root / name, case.root / copy)
            data["files"].append({**entries[name], "path": copy})
    case.report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = snapshot(case.root)
    journal = case.report.with_name("run.journal.jsonl")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pii_audit", "protect", "--from", str(case.report),
         "--password-file", str(pw), "--apply"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and len(journal.read_bytes().splitlines()) >= 5:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "protect finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err

    done = 0
    for path, (digest, _, _) in before.items():
        f = case.root / path
        archive = f.with_name(f.name + ".7z")
        if f.exists() and hashlib.sha256(f.read_bytes()).hexdigest() == digest:
            continue  # untouched (or its archive finished but not yet the removal)
        done += 1
        if archive.exists():
            assert not f.exists()
            [(name, content)] = _sevenzip_plain(archive, tmp_path).items()
        else:
            content = _office_plain(f)
        assert hashlib.sha256(content).hexdigest() == digest, path
    assert 0 < done < len(before)
    assert not [p for p in case.root.rglob(".pii-audit-*")]

    result = runner.invoke(app, ["restore", str(journal), "--apply", "--password-file", str(pw)])
    ok(result, 0)
    assert snapshot(case.root) == before


def test_named_files_without_a_report(case: Case, pw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the journal of a run without a report goes here
    before = snapshot(case.root)
    result = runner.invoke(app, ["protect", str(case.root / "staff.txt"), "--password-file", str(pw), "--apply"])
    ok(result, 0)
    assert (case.root / "staff.txt.7z").exists() and not (case.root / "staff.txt").exists()
    journal = tmp_path / "pii-audit.journal.jsonl"
    ok(runner.invoke(app, ["restore", str(journal), "--password-file", str(pw), "--apply"]), 0)
    assert snapshot(case.root) == before
