"""Choosing targets from a report: archive members point at their outer file, several roots are
told apart by name, and selectors (severity, glob, top) narrow the list worst first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pii_audit.remedy.guard import check
from pii_audit.remedy.targets import select
from pii_audit.report.view import from_dict


def _file(path: str, severity: str, score: float, size: int | None = 3) -> dict[str, Any]:
    return {"path": path, "status": "scanned", "rank": 1, "risk_score": score, "severity": severity, "size": size,
            "reasons": [f"{severity} reason"], "findings": []}  # fmt: skip


def _report(roots: list[str], files: list[dict[str, Any]]) -> dict[str, Any]:
    scan = {"roots": roots, "started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:00:01+00:00",
            "files_seen": len(files), "files_scanned": len(files), "files_skipped": 0, "files_failed": 0,
            "bytes_scanned": 0}  # fmt: skip
    return {"tool": {"name": "pii-audit", "version": "0"}, "scan": scan, "files": files}


def test_members_point_at_their_archive(tmp_path: Path) -> None:
    (tmp_path / "old.zip").write_bytes(b"zip")
    view = from_dict(
        _report(
            [str(tmp_path)],
            [
                _file("old.zip", "none", 0),
                _file("old.zip!a.csv", "high", 60, None),
                _file("old.zip!b.csv", "critical", 90, None),
            ],
        )
    )
    [target] = select(view, "high")
    assert (target.path, target.severity, target.size, target.members) == (
        "old.zip",
        "critical",
        3,
        ("!a.csv", "!b.csv"),
    )
    assert target.location == str(tmp_path / "old.zip") and target.unreachable is None


def test_a_bang_in_a_real_name_is_the_file(tmp_path: Path) -> None:
    (tmp_path / "wow!.csv").write_bytes(b"abc")
    [target] = select(from_dict(_report([str(tmp_path)], [_file("wow!.csv", "high", 60)])), "high")
    assert target.path == "wow!.csv" and target.location == str(tmp_path / "wow!.csv")


def test_several_roots_and_selectors(tmp_path: Path) -> None:
    for root in ("a", "b"):
        (tmp_path / root / "sub").mkdir(parents=True)
    roots = [str(tmp_path / "a"), str(tmp_path / "b")]
    files = [_file("a/sub/x.csv", "critical", 80), _file("b/sub/x.csv", "critical", 95), _file("b/y.txt", "medium", 30)]
    view = from_dict(_report(roots, files))
    assert [t.location for t in select(view, "critical")] == [
        str(tmp_path / "b" / "sub" / "x.csv"),
        str(tmp_path / "a" / "sub" / "x.csv"),
    ]
    assert [t.path for t in select(view, "low", top=1)] == ["b/sub/x.csv"]
    assert [t.path for t in select(view, "low", globs=["*.txt"])] == ["b/y.txt"]
    assert [t.path for t in select(view, "low", globs=["a/*"])] == ["a/sub/x.csv"]


def test_outside_the_root_and_urls_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.csv").write_bytes(b"abc")
    view = from_dict(_report([str(root)], [_file("../secret.csv", "critical", 90)]))
    [target] = select(view, "high")
    assert check(target, float("inf")).refused == "outside the scanned root"
    url = from_dict(_report(["s3://bucket/prefix"], [_file("x.csv", "critical", 90)]))
    [remote] = select(url, "high")
    assert remote.unreachable and check(remote, 0).refused == remote.unreachable


def test_a_linked_folder_is_not_followed(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (elsewhere / "x.csv").write_bytes(b"abc")
    (root / "link").symlink_to(elsewhere)
    [target] = select(from_dict(_report([str(root)], [_file("link/x.csv", "critical", 90)])), "high")
    assert check(target, float("inf")).refused == "reached through a symbolic link (never followed)"


def test_owner_selector(tmp_path: Path) -> None:
    (tmp_path / "z.zip").write_bytes(b"zip")
    files = [
        {**_file("a.csv", "high", 60), "owner": "alice"},
        {**_file("b.csv", "critical", 90), "owner": "S-1-5-21-1-2-3-1105"},
        _file("c.csv", "high", 70),  # the store did not say
        {**_file("z.zip!m.csv", "critical", 80, None), "owner": "alice"},  # a member: its container's owner
    ]
    view = from_dict(_report([str(tmp_path)], files))
    assert [t.path for t in select(view, "high", owners=["alice"])] == ["z.zip", "a.csv"]
    assert [t.path for t in select(view, "high", owners=["S-1-5-21-1-2-3-1105"])] == ["b.csv"]
    assert [t.path for t in select(view, "high", owners=["(owner unknown)"])] == ["c.csv"]
    assert len(select(view, "high")) == 4
