"""quarantine -> restore gives back the same tree; plans change nothing; changed files, links and
a destination inside the root are refused; an interruption leaves the original whole."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pii_audit.cli.app import app
from tests.remedy.conftest import RAW, Case, ok, runner, snapshot


def _quarantine(case: Case, dest: Path, *extra: str) -> str:
    result = runner.invoke(app, ["quarantine", str(dest), "--from", str(case.report), *extra])
    return result.stdout + result.stderr


def test_plan_changes_nothing(case: Case, tmp_path: Path) -> None:
    before = snapshot(case.root)
    result = runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(case.report)])
    ok(result, 0)
    assert snapshot(case.root) == before
    assert not (tmp_path / "q").exists()
    chosen = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("quarantine")}
    expected = {p for p, s in case.severities().items() if s in ("high", "critical")}
    assert chosen == expected and expected
    assert "add --apply" in result.stderr
    assert not any(v in result.stdout + result.stderr for v in RAW)


def test_quarantine_then_restore_is_identical(case: Case, tmp_path: Path) -> None:
    before = snapshot(case.root)
    critical = {p for p, s in case.severities().items() if s == "critical"}
    assert critical, "the fixture tree has critical files"
    dest = tmp_path / "q"
    result = runner.invoke(
        app, ["quarantine", str(dest), "--from", str(case.report), "--min-severity", "critical", "--apply"]
    )
    ok(result, 0)
    after = snapshot(case.root)
    assert set(before) - set(after) == critical  # exactly the critical files left the tree
    for path in critical:
        moved = dest / "files" / path
        assert moved.read_bytes() and snapshot(dest / "files")[path][0] == before[path][0]
    assert stat.S_IMODE(dest.stat().st_mode) == 0o700
    manifest = dest / "manifest.jsonl"
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o600
    assert not any(v in manifest.read_text(encoding="utf-8") for v in RAW)

    ok(runner.invoke(app, ["restore", str(manifest)]), 0)  # a plan: nothing back yet
    assert snapshot(case.root) == after
    ok(runner.invoke(app, ["restore", str(manifest), "--apply"]), 0)
    assert snapshot(case.root) == before  # bytes, modes and mtimes
    assert not list((dest / "files").rglob("*"))
    again = runner.invoke(app, ["restore", str(dest), "--apply"])  # the folder works as well
    ok(again, 0)
    assert "0 restored" in again.stderr


def test_staff_mode_survives(case: Case, tmp_path: Path) -> None:
    mode = stat.S_IMODE((case.root / "staff.txt").stat().st_mode)
    assert mode == 0o640
    dest = tmp_path / "q"
    out = _quarantine(case, dest, "--min-severity", "low", "--path", "staff.txt", "--apply")
    assert not (case.root / "staff.txt").exists(), out
    assert stat.S_IMODE((dest / "files" / "staff.txt").stat().st_mode) == 0o640
    ok(runner.invoke(app, ["restore", str(dest), "--apply"]), 0)
    assert stat.S_IMODE((case.root / "staff.txt").stat().st_mode) == 0o640


def test_changed_since_the_report_is_left_alone(case: Case, tmp_path: Path) -> None:
    critical = sorted(p for p, s in case.severities().items() if s in ("high", "critical"))
    assert len(critical) >= 3
    grown, touched, older = (case.root / p for p in critical[:3])
    grown.write_bytes(grown.read_bytes() + b"\n")
    os.utime(touched)  # same size, modified after the scan started
    st = older.stat()
    os.utime(older, ns=(st.st_atime_ns, st.st_mtime_ns - 86_400 * 10**9))  # same size, an older time (a restore)
    before = snapshot(case.root)
    result = runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(case.report), "--apply"])
    ok(result, 3)
    assert f"{critical[0]}  (changed since the report (size" in result.stdout
    assert f"{critical[1]}  (changed since the report (modified since the scan)" in result.stdout
    assert f"{critical[2]}  (changed since the report (modified since the scan)" in result.stdout
    left = snapshot(case.root)
    assert all(left[p] == before[p] for p in critical[:3])


def test_symbolic_links_are_not_followed(case: Case, tmp_path: Path) -> None:
    critical = sorted(p for p, s in case.severities().items() if s == "critical")[0]
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours\n", encoding="utf-8")
    victim = case.root / critical
    st = victim.stat()
    victim.unlink()
    victim.symlink_to(outside)
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
    result = runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(case.report), "--apply"])
    ok(result, 3)
    assert f"{critical}  (a symbolic link (never followed))" in result.stdout
    assert victim.is_symlink() and outside.read_text(encoding="utf-8") == "not ours\n"


def test_destination_inside_the_root_is_refused(case: Case) -> None:
    before = snapshot(case.root)
    result = runner.invoke(app, ["quarantine", str(case.root / "q"), "--from", str(case.report), "--apply"])
    ok(result, 2)
    assert "inside a scanned root" in result.stderr
    assert snapshot(case.root) == before


def test_not_a_report_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "run.json"
    bad.write_text("{}", encoding="utf-8")
    ok(runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(bad)]), 2)


def test_interrupted_copy_leaves_the_original(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the copy is being synced: the original stays, no temporary file or entry remains."""
    before = snapshot(case.root)
    real_fsync = os.fsync

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    dest = tmp_path / "q"
    result = runner.invoke(app, ["quarantine", str(dest), "--from", str(case.report), "--apply"])
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert result.exit_code == 130, result.output  # Ctrl-C, not a crash
    assert snapshot(case.root) == before
    assert [p for p in dest.rglob("*") if p.is_file()] == []  # no temporary file, no manifest entry


def test_move_interrupted_before_removal_restores_cleanly(case: Case, tmp_path: Path) -> None:
    """A move recorded but whose original was not yet removed: restore drops only the copy."""
    before = snapshot(case.root)
    dest = tmp_path / "q"
    ok(runner.invoke(app, ["quarantine", str(dest), "--from", str(case.report), "--apply"]), 0)
    for moved in (dest / "files").rglob("*"):
        if moved.is_file():
            original = case.root / moved.relative_to(dest / "files")
            original.write_bytes(moved.read_bytes())
            st = moved.stat()
            os.chmod(original, stat.S_IMODE(st.st_mode))
            os.utime(original, ns=(st.st_atime_ns, st.st_mtime_ns))
    ok(runner.invoke(app, ["restore", str(dest), "--apply"]), 0)
    assert snapshot(case.root) == before
    assert not [p for p in (dest / "files").rglob("*") if p.is_file()]


def test_restore_never_overwrites(case: Case, tmp_path: Path) -> None:
    dest = tmp_path / "q"
    ok(runner.invoke(app, ["quarantine", str(dest), "--from", str(case.report), "--apply"]), 0)
    moved = next(p for p in (dest / "files").rglob("*") if p.is_file())
    newcomer = case.root / moved.relative_to(dest / "files")
    newcomer.write_text("a new file with the same name\n", encoding="utf-8")
    result = runner.invoke(app, ["restore", str(dest), "--apply"])
    ok(result, 3)
    assert "a different file now exists at the original path" in result.stdout
    assert newcomer.read_text(encoding="utf-8") == "a new file with the same name\n"
    assert moved.exists()


def test_owner_selects_files(case: Case, tmp_path: Path) -> None:
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    owners = {f["owner"] for f in case.data["files"]}
    assert owners == {me}, owners  # the report names the owner of each file
    mine = runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(case.report), "--owner", me])
    ok(mine, 0)
    assert mine.stdout.count("quarantine ") == sum(
        1 for f in case.data["files"] if f["severity"] in ("high", "critical")
    )
    nobody = runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(case.report), "--owner", "nob*"])
    ok(nobody, 0)
    assert "quarantine " not in nobody.stdout and "plan: 0 to quarantine" in nobody.stderr


def test_named_files_without_a_report(case: Case, tmp_path: Path) -> None:
    before = snapshot(case.root)
    dest = tmp_path / "q"
    named = [str(case.root / "staff.txt"), str(case.root / "press.txt")]
    ok(runner.invoke(app, ["quarantine", str(dest), *named]), 0)
    assert snapshot(case.root) == before
    both = runner.invoke(app, ["quarantine", str(dest), *named, "--from", str(case.report)])
    ok(both, 2)
    ok(runner.invoke(app, ["quarantine", str(dest), *named, "--apply"]), 0)
    assert set(before) - set(snapshot(case.root)) == {"staff.txt", "press.txt"}
    ok(runner.invoke(app, ["restore", str(dest), "--apply"]), 0)
    assert snapshot(case.root) == before
