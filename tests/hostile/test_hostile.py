"""The hostile corpus through the real command line: nothing crashes, hangs, escapes the root, or
changes a file; every case is in the report with a status and, when not scanned, a reason."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from pii_audit.extract import registry
from tests.conftest import REPORT_SCHEMA
from tests.hostile import corpus

FILE_TIMEOUT = 2  # seconds; the slow-by-design case needs far more
SCHEMA = REPORT_SCHEMA


@dataclass
class Outcome:
    root: Path
    cases: list[corpus.Case]
    report: dict
    returncode: int
    stderr: str
    before: dict[str, tuple[str, int, int]]
    after: dict[str, tuple[str, int, int]]

    def file(self, path: str) -> dict:
        matches = [f for f in self.report["files"] if f["path"] == path]
        assert matches, f"{path!r} is missing from the report"
        return matches[0]


def snapshot(root: Path, age_atime: bool = False) -> dict[str, tuple[str, int, int]]:
    """(sha256, mtime_ns, atime_ns) of every regular file under `root`, links not followed.

    `age_atime` first sets each access time before its modification time, so that any later
    read updates it even under `relatime`: a read by the scan would show.
    """
    out: dict[str, tuple[str, int, int]] = {}
    for dirpath, _, names in os.walk(os.fsencode(root)):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                continue
            if age_atime:
                os.utime(path, ns=(st.st_mtime_ns - 10**11, st.st_mtime_ns), follow_symlinks=False)
                st = os.lstat(path)
            out[os.fsdecode(path)] = (_digest(path), st.st_mtime_ns, st.st_atime_ns)
    return out


def _digest(path: bytes) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOATIME", 0))
    except PermissionError:
        return "unreadable"  # not root: mode-000 files (and O_NOATIME on others' files)
    with os.fdopen(fd, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PII_AUDIT_"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"))
    return env


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    base = tmp_path_factory.mktemp("hostile")
    root, outside, home = base / "root", base / "outside", base / "home"
    for d in (root, outside, home):
        d.mkdir()
    cases = corpus.build(root, outside)
    before = snapshot(root, age_atime=True)
    report_path = base / "report.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pii_audit",
            "scan",
            str(root),
            "--format",
            "json",
            "--output",
            str(report_path),
            "--no-english-model",
            "--file-timeout",
            str(FILE_TIMEOUT),
            "--max-members",
            "100",
            "--log-level",
            "debug",
            "--log-file",
            str(base / "scan.log"),
        ],
        capture_output=True,
        text=True,
        env=cli_env(home),
        timeout=300,
    )
    after = snapshot(root)
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    yield Outcome(root, cases, report, proc.returncode, proc.stderr, before, after)
    corpus.restore_permissions(root)
    shutil.rmtree(base, ignore_errors=True)


def test_the_corpus_is_large_and_covers_every_format() -> None:
    formats = {*registry.EXTRACTORS, *getattr(registry, "CONTAINERS", {})}
    missing = sorted(formats - set(corpus.SAMPLES))
    assert not missing, f"add a valid sample for {missing} to tests/hostile/corpus.py SAMPLES"


def test_the_run_ends_normally(outcome: Outcome) -> None:
    assert outcome.returncode in (0, 1), outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    assert len(outcome.cases) >= 50
    jsonschema.validate(outcome.report, SCHEMA)


def test_every_case_is_accounted_for(outcome: Outcome) -> None:
    wrong = []
    for case in outcome.cases:
        entry = outcome.file(case.path)
        if entry["status"] not in case.expect:
            wrong.append(f"{case.path}: {entry['status']} ({entry['reason']}), expected {sorted(case.expect)}")
        elif case.reason and case.reason.lower() not in (entry["reason"] or "").lower():
            wrong.append(f"{case.path}: reason {entry['reason']!r} lacks {case.reason!r}")
        if entry["status"] != "scanned":
            assert entry["reason"], case.path
    assert not wrong, "\n".join(wrong)


def test_every_member_and_file_has_a_status_and_reason(outcome: Outcome) -> None:
    for entry in outcome.report["files"]:
        assert entry["status"] in ("scanned", "skipped", "failed")
        assert entry["status"] == "scanned" or entry["reason"], entry["path"]


def test_nothing_escapes_the_root(outcome: Outcome) -> None:
    for entry in outcome.report["files"]:
        path = entry["path"]
        for part in path.split("!"):
            assert not part.startswith("/"), path
            assert ".." not in part.split("/"), path
    # The targets outside were never read: their links are skipped, and nothing else names them.
    assert not any("outside-target" in f["path"] for f in outcome.report["files"])


def test_timeouts_and_limits_are_reported_on_their_file(outcome: Outcome) -> None:
    # Which cases are slow depends on the detector's speed. The deadline grows with the file's size
    # (--file-timeout per 4 MiB), so the 20 MB line gets 10 s: scanned, or failed with the reason.
    timed_out = [f["path"] for f in outcome.report["files"] if (f["reason"] or "").startswith("timed out after")]
    assert set(timed_out) <= {c.path for c in outcome.cases if c.expect == corpus.SCANNED_OR_FAILED}
    long_line = outcome.file("text/long-line.txt")
    assert long_line["status"] == "scanned" or long_line["reason"] == f"timed out after {FILE_TIMEOUT * 5:g} s"
    assert outcome.file("ooxml/bomb.docx")["reason"].startswith("limit:")
    members = [f for f in outcome.report["files"] if f["path"].startswith("archives/nested-12.zip!")]
    assert members and max(f["path"].count("!") for f in members) <= 6  # default --max-depth 5, +1 reported
    many = [f for f in outcome.report["files"] if f["path"].startswith("archives/many-members.zip!")]
    assert len(many) <= 101  # --max-members 100
    notes = outcome.file("archives/many-members.zip").get("notes", [])
    assert any("limit" in n for n in notes), notes  # the members past the limit are accounted for


def test_bombs_are_one_failed_entry_each(outcome: Outcome) -> None:
    for path in ("archives/42-style.zip", "archives/overlapping.zip"):
        assert outcome.file(path)["status"] == "failed" and "zip bomb" in outcome.file(path)["reason"]
        assert not [f for f in outcome.report["files"] if f["path"].startswith(path + "!")]


def test_content_decides_the_format_not_the_name(outcome: Outcome) -> None:
    csv = outcome.file("names/people.csv")
    assert csv["format"] == "csv" and {"PHONE_NUMBER", "KR_RRN", "ADDRESS"} <= set(csv["entity_counts"])
    for same_bytes in ("names/people.xlsx", "names/..."):
        assert outcome.file(same_bytes)["format"] == "csv"
        assert outcome.file(same_bytes)["entity_counts"] == csv["entity_counts"]


def test_text_with_stray_bytes_is_scanned_with_a_note(outcome: Outcome) -> None:
    stray = outcome.file("text/stray-bytes.txt")
    assert stray["entity_counts"].get("PHONE_NUMBER") == 1
    assert any("replaced" in n for n in stray["notes"])


def test_entity_declarations_are_not_resolved() -> None:
    docx = corpus.ooxml_with_doctype(corpus.SAMPLES["docx"](), "word/document.xml", corpus.XXE_DOCTYPE, "xxe")
    xlsx = corpus.ooxml_with_doctype(corpus.SAMPLES["xlsx"](), "xl/sharedStrings.xml", corpus.XXE_DOCTYPE, "xxe")
    for data, name in ((docx, "x.docx"), (xlsx, "x.xlsx")):
        try:
            extraction = registry.extract(data, name)
        except registry.ExtractError:
            continue  # refusing the document is fine too
        assert not any("root:" in s.text for s in extraction.segments)


def test_scanning_changes_no_file(outcome: Outcome) -> None:
    assert outcome.before.keys() == outcome.after.keys()
    changed = [p for p in outcome.before if outcome.before[p][:2] != outcome.after[p][:2]]
    assert not changed, f"content or mtime changed: {changed}"


def test_access_times_are_kept_where_the_os_allows(outcome: Outcome) -> None:
    if os.geteuid() != 0 and not all(os.stat(p).st_uid == os.geteuid() for p in outcome.before):
        pytest.skip("O_NOATIME needs ownership of the files")
    moved = [p for p in outcome.before if outcome.before[p][2] != outcome.after[p][2]]
    assert not moved, f"atime changed: {moved[:5]}"
