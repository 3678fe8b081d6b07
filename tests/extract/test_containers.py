"""Archives and compressed files end to end through scan_bytes: members as `outer!member`, names
made safe, every member accounted for, limits as reported results instead of crashes."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pii_audit.cli.app import app
from pii_audit.detect.engine import Detector
from pii_audit.errors import CorruptFile, EncryptedFile
from pii_audit.extract.archive import member_name
from pii_audit.extract.container import Budget, safe_name
from pii_audit.extract.registry import extract, sniff
from pii_audit.model import FileRef, FileResult, Limits, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_bytes

from .containers import (
    FIRST_RRN_MASK,
    ROSTER_CSV,
    encrypt_flags,
    nested_bomb,
    overlapping_zip,
    symlink_zip,
    tar_bytes,
    zip_bytes,
)

ROSTER = ROSTER_CSV.encode("cp949")


def scan(data: bytes, name: str, detector: Detector, limits: Limits | None = None) -> dict[str, FileResult]:
    opts = AuditOptions(key=b"test-key", limits=limits or Limits())
    results = scan_bytes(FileRef(path=name, location=f"/tmp/{name}"), data, opts, detector, depth=0)
    paths = [r.ref.path for r in results]
    assert len(paths) == len(set(paths)), "one result per member"
    return {r.ref.path: r for r in results}


def rrns(result: FileResult) -> list[str]:
    return [f.masked for f in result.findings if f.entity_type == "KR_RRN"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (zip_bytes({"a.txt": b"x"}), "zip"),
        (tar_bytes({"a.txt": b"x"}, mode="w"), "tar"),
        (tar_bytes({"a.txt": b"x"}), "gzip"),
        (gzip.compress(b"x"), "gzip"),
        (bz2.compress(b"x"), "bzip2"),
        (lzma.compress(b"x"), "xz"),
        (b"BZh is not a bzip2 stream\n", "text"),
        (b"7z\xbc\xaf\x27\x1c" + bytes(30), "7z"),
    ],
)
def test_sniff_containers(data: bytes, kind: str) -> None:
    assert sniff(data, "whatever.bin") == kind


def test_zip_in_zip_with_cp949_names(detector: Detector) -> None:
    inner = zip_bytes({"명단.csv": ROSTER, "자료/메모.txt": "특이사항 없음\n".encode("cp949")}, legacy_names=True)
    with zipfile.ZipFile(io.BytesIO(inner)) as archive:
        assert not any(i.flag_bits & 0x800 for i in archive.infolist()), "fixture must not set the UTF-8 flag"
        assert [member_name(i) for i in archive.infolist()] == ["명단.csv", "자료/메모.txt"]
    outer = zip_bytes({"inner/안쪽.zip": inner, "readme.txt": b"backup of 2024\n"}, legacy_names=True)
    results = scan(outer, "outer.zip", detector)
    assert set(results) == {
        "outer.zip",
        "outer.zip!inner/안쪽.zip",
        "outer.zip!inner/안쪽.zip!명단.csv",
        "outer.zip!inner/안쪽.zip!자료/메모.txt",
        "outer.zip!readme.txt",
    }
    roster = results["outer.zip!inner/안쪽.zip!명단.csv"]
    assert roster.status is Status.SCANNED and roster.format == "csv"
    assert len(rrns(roster)) == 4 and rrns(roster)[0].startswith(FIRST_RRN_MASK)
    assert results["outer.zip"].format == "zip" and results["outer.zip"].status is Status.SCANNED


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/명단.csv", "etc/명단.csv"),
        ("/abs/x.txt", "abs/x.txt"),
        ("C:\\Users\\kim\\a.txt", "Users/kim/a.txt"),
        ("a/./b/../c.txt", "a/b/c.txt"),
        ("name\x1b[31m.txt", "name_[31m.txt"),
        ("../..", ""),
    ],
)
def test_safe_name(raw: str, safe: str) -> None:
    assert safe_name(raw) == safe


def test_unsafe_names_are_reported_safely(detector: Detector) -> None:
    data = zip_bytes({"../../etc/명단.csv": ROSTER, "/abs/x.txt": b"a", "../..": b"b"})
    results = scan(data, "evil.zip", detector)
    assert set(results) == {"evil.zip", "evil.zip!etc/명단.csv", "evil.zip!abs/x.txt", "evil.zip!member-3"}
    assert any("made safe" in n for n in results["evil.zip"].notes)
    assert len(rrns(results["evil.zip!etc/명단.csv"])) == 4


def test_zip_symlink_not_followed(detector: Detector) -> None:
    results = scan(symlink_zip("/etc/passwd"), "links.zip", detector)
    link = results["links.zip!link-to-secret"]
    assert link.status is Status.SKIPPED and link.reason == "symbolic link: not followed"
    assert results["links.zip!ok.txt"].status is Status.SCANNED


def test_encrypted_zip(detector: Detector) -> None:
    data = encrypt_flags(zip_bytes({"명단.csv": ROSTER, "b.txt": b"x"}))
    with pytest.raises(EncryptedFile, match="encrypted: password-protected zip"):
        extract(data, "secret.zip")
    result = scan(data, "secret.zip", detector)["secret.zip"]
    assert result.status is Status.SKIPPED and result.encrypted


def test_partly_encrypted_zip(detector: Detector) -> None:
    data = encrypt_flags(zip_bytes({"명단.csv": ROSTER, "b.txt": b"x"}), names={b"b.txt"})
    results = scan(data, "mixed.zip", detector)
    assert results["mixed.zip!b.txt"].status is Status.SKIPPED and results["mixed.zip!b.txt"].encrypted
    assert len(rrns(results["mixed.zip!명단.csv"])) == 4


def test_zip_bomb_is_a_skipped_member(detector: Detector) -> None:
    data = zip_bytes({"zeros.bin": bytes(4 * 1024 * 1024), "명단.csv": ROSTER})
    results = scan(data, "bomb.zip", detector, Limits(max_ratio=50))
    bomb = results["bomb.zip!zeros.bin"]
    assert bomb.status is Status.SKIPPED and bomb.reason and bomb.reason.startswith("zip bomb suspected: ratio ")
    assert len(rrns(results["bomb.zip!명단.csv"])) == 4  # the scan goes on


def test_lying_header_is_bounded() -> None:
    """A member whose header claims a small size cannot inflate past it (zipfile stops at the
    declared size and the CRC check fails): a failed member, not a memory blow-up."""
    data = bytearray(zip_bytes({"zeros.bin": bytes(2 * 1024 * 1024)}))
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + size_at : at + size_at + 4] = (1000).to_bytes(4, "little")
    extraction = extract(bytes(data), "liar.zip", Limits(), Budget(10 * 1024 * 1024))
    (member,) = extraction.members
    assert getattr(member, "status", None) == "failed" and member.data == b""


def test_inflated_budget_is_shared_across_nesting(detector: Detector) -> None:
    inner = zip_bytes({"a.txt": bytes(600_000), "b.txt": bytes(600_000)})
    outer = zip_bytes({"one.zip": inner, "two.zip": inner})
    results = scan(outer, "outer.zip", detector, Limits(max_inflated_bytes=2_000_000))
    over = [p for p, r in results.items() if r.reason and r.reason.startswith("inflated size limit reached")]
    assert over == ["outer.zip!two.zip!b.txt"]


def test_member_limit_is_a_note(detector: Detector) -> None:
    data = zip_bytes({f"{i}.txt": b"x" for i in range(5)})
    results = scan(data, "many.zip", detector, Limits(max_members=2))
    assert len(results) == 3
    assert any(n.startswith("member limit reached") for n in results["many.zip"].notes)


def test_nested_bomb_is_one_failed_entry(detector: Detector) -> None:
    # 6 members a level, 5 levels: 7,776 leaves in a small file. The member limit counts across
    # every level of the one top-level file, and the bomb is one entry, not thousands.
    data = nested_bomb(fanout=6, depth=5)
    results = scan(data, "42.zip", detector, Limits(max_members=500))
    assert list(results) == ["42.zip"]
    bomb = results["42.zip"]
    assert bomb.status is Status.FAILED
    assert bomb.reason == "zip bomb: member limit across nesting (more than 500 members in one file)"


def test_nesting_within_the_member_limit_is_scanned(detector: Detector) -> None:
    data = nested_bomb(fanout=3, depth=3)  # 3 + 9 + 27 members
    results = scan(data, "ok.zip", detector, Limits(max_members=39))
    assert len(results) == 1 + 3 + 9 + 27
    assert all(r.status is Status.SCANNED for r in results.values())


@pytest.mark.parametrize("shared", [True, False])
def test_overlapping_entries_are_one_failed_entry(detector: Detector, shared: bool) -> None:
    results = scan(overlapping_zip(300, shared=shared), "overlap.zip", detector)
    assert list(results) == ["overlap.zip"]
    assert results["overlap.zip"].status is Status.FAILED
    assert (results["overlap.zip"].reason or "").startswith("zip bomb: overlapping entries")


def test_overlapping_bomb_inside_an_archive_fails_alone(detector: Detector) -> None:
    data = zip_bytes({"bomb.zip": overlapping_zip(50), "명단.csv": ROSTER})
    results = scan(data, "outer.zip", detector)
    assert results["outer.zip!bomb.zip"].status is Status.FAILED
    assert len(rrns(results["outer.zip!명단.csv"])) == 4  # the rest of the archive is still scanned


def test_deep_nesting_stops_with_skipped_members(detector: Detector) -> None:
    data = zip_bytes({"leaf.txt": b"leaf\n"})
    for level in range(8, 0, -1):  # deep.zip!level1.zip!level2.zip!…!level8.zip!leaf.txt
        data = zip_bytes({f"level{level}.zip": data})
    results = scan(data, "deep.zip", detector, Limits(max_depth=3))
    deepest = "deep.zip!level1.zip!level2.zip!level3.zip"
    assert any("nesting deeper than 3" in n for n in results[deepest].notes)
    skipped = results[deepest + "!level4.zip"]
    assert skipped.status is Status.SKIPPED and skipped.reason == "not scanned: nesting deeper than 3"
    assert len(results) == 5


def test_corrupt_zip() -> None:
    with pytest.raises(CorruptFile):
        extract(b"PK\x05\x06" + bytes(10), "broken.zip")


def test_tar_gz(detector: Detector) -> None:
    data = tar_bytes({"backup/명단.csv": ROSTER, "../../escape.txt": b"up"}, symlink="backup/shadow")
    results = scan(data, "backup.tar.gz", detector)
    assert results["backup.tar.gz"].format == "tar.gz"
    assert len(rrns(results["backup.tar.gz!backup/명단.csv"])) == 4
    assert results["backup.tar.gz!escape.txt"].status is Status.SCANNED
    assert results["backup.tar.gz!backup/shadow"].reason == "symbolic link: not followed"


def test_plain_tar_and_xz_tar() -> None:
    for mode, fmt in (("w", "tar"), ("w:xz", "tar.xz"), ("w:bz2", "tar.bz2")):
        extraction = extract(tar_bytes({"a/b.txt": b"hello"}, mode=mode), "x.tar", Limits())
        assert extraction.format == fmt and [m.name for m in extraction.members] == ["a/b.txt"]


def test_gzip_member_named_by_header(detector: Detector) -> None:
    out = io.BytesIO()
    with gzip.GzipFile(filename="roster.csv", mode="wb", fileobj=out) as stream:
        stream.write(ROSTER)
    results = scan(out.getvalue(), "export.gz", detector)
    assert len(rrns(results["export.gz!roster.csv"])) == 4


@pytest.mark.parametrize(
    ("compress", "name"),
    [(gzip.compress, "명단.csv.gz"), (bz2.compress, "명단.csv.bz2"), (lzma.compress, "명단.csv.xz")],
)
def test_single_file_compressed(detector: Detector, compress: Callable[[bytes], bytes], name: str) -> None:
    results = scan(compress(ROSTER), name, detector)
    assert len(rrns(results[f"{name}!명단.csv"])) == 4


def test_compression_bomb_and_truncation() -> None:
    bomb = extract(gzip.compress(bytes(8 * 1024 * 1024)), "zeros.gz", Limits(max_ratio=100))
    (member,) = bomb.members
    assert getattr(member, "reason", "").startswith("compression bomb suspected")
    cut = gzip.compress(ROSTER * 50)
    truncated = extract(cut[: len(cut) // 2], "half.csv.gz", Limits())
    assert any(n.startswith("truncated stream") for n in truncated.notes)
    assert 0 < len(truncated.members[0].data) < len(ROSTER * 50)


def test_7z(detector: Detector) -> None:
    py7zr = pytest.importorskip("py7zr")
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        archive.writestr(ROSTER, "자료/명단.csv")
        archive.writestr(b"nothing", "empty.txt")
    results = scan(out.getvalue(), "files.7z", detector)
    assert len(rrns(results["files.7z!자료/명단.csv"])) == 4
    assert results["files.7z!empty.txt"].status is Status.SCANNED
    locked = io.BytesIO()
    with py7zr.SevenZipFile(locked, "w", password="pw") as archive:
        archive.writestr(ROSTER, "명단.csv")
    with pytest.raises(EncryptedFile, match="encrypted: password-protected 7z"):
        extract(locked.getvalue(), "locked.7z")


def test_cli_reports_members(tmp_path: Path) -> None:
    inner = zip_bytes({"명단.csv": ROSTER}, legacy_names=True)
    (tmp_path / "outer.zip").write_bytes(zip_bytes({"inner/명단.zip": inner, "zeros.bin": bytes(300)}))
    (tmp_path / "locked.zip").write_bytes(encrypt_flags(zip_bytes({"a.csv": ROSTER})))
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1, result.output
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert set(files) == {
        "outer.zip",
        "outer.zip!inner/명단.zip",
        "outer.zip!inner/명단.zip!명단.csv",
        "outer.zip!zeros.bin",
        "locked.zip",
    }
    roster = files["outer.zip!inner/명단.zip!명단.csv"]
    assert roster["entity_counts"].get("KR_RRN") == 4
    assert files["locked.zip"]["status"] == "skipped" and files["locked.zip"]["reason"].startswith("encrypted")


def test_tar_gz_bomb_stops_walking() -> None:
    data = tar_bytes({"zeros.bin": bytes(8 * 1024 * 1024), "명단.csv": ROSTER})
    extraction = extract(data, "bomb.tgz", Limits(max_ratio=50))
    assert extraction.members == ()
    assert any(n.startswith("compression bomb suspected") for n in extraction.notes)


def test_damaged_outlook_msg_is_corrupt() -> None:  # readable .msg files: tests/extract/test_msg.py
    data = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "__substg1.0_0037001F".encode("utf-16-le") + bytes(64)
    assert sniff(data, "mail.msg") == "msg"
    with pytest.raises(CorruptFile, match="^msg: "):
        extract(data, "mail.msg")


def test_a_bomb_alone_never_loads_the_korean_model(tmp_path: Path) -> None:
    """Kiwi (about 500 MB) loads on the first Korean text, not before: a scan of bombs and English
    text stays small. In a fresh process, since this one may have loaded it already."""
    (tmp_path / "42.zip").write_bytes(nested_bomb(fanout=16, depth=4))
    (tmp_path / "overlap.zip").write_bytes(overlapping_zip(300))
    (tmp_path / "note.txt").write_text("Nothing personal here.\n", encoding="utf-8")
    probe = (
        "import sys, json\n"
        "from pii_audit.cli.app import app\n"
        "from typer.testing import CliRunner\n"
        f"args = ['scan', {str(tmp_path)!r}, '--no-cache', '--workers', '1', '--format', 'json']\n"
        "r = CliRunner().invoke(app, args)\n"
        "print(json.dumps({'code': r.exit_code, 'kiwi': 'kiwipiepy' in sys.modules, 'out': r.stdout}))\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=600)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    statuses = {f["path"]: f["status"] for f in json.loads(seen["out"])["files"]}
    assert statuses == {"42.zip": "failed", "overlap.zip": "failed", "note.txt": "scanned"}
    assert seen["kiwi"] is False
