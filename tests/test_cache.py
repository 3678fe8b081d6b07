"""The incremental cache: metadata hits without reading, content-hash hits, no raw values, 0600."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from pii_audit import cache as cache_mod
from pii_audit.audit import Auditor
from pii_audit.cache import ResultCache, persistent_key
from pii_audit.detect.engine import Detector
from pii_audit.executor import ExecutionOptions
from pii_audit.model import AuditRun, FileRef, FileResult, Finding, Location, PersonRecord, Status
from pii_audit.options import AuditOptions
from pii_audit.source.local import iter_files
from tests.test_executor import comparable, fake_factory, fake_tree

KEY = b"k" * 32


def ref_of(path: Path, rel: str = "a.txt") -> FileRef:
    st = path.stat()
    return FileRef(path=rel, location=str(path), size=st.st_size, mtime=st.st_mtime)


def result_for(ref: FileRef) -> list[FileResult]:
    finding = Finding("KR_RRN", 0.9, Location(line=1, start=0, end=14), "900101-1******", "fp", text="900101-1234567")
    member = FileRef(path=ref.path + "!in.csv", location=ref.location + "!in.csv", size=5, mtime=ref.mtime)
    return [
        FileResult(ref=ref, status=Status.SCANNED, format="text", findings=(finding,), seconds=0.5, notes=("n",)),
        FileResult(ref=member, status=Status.SCANNED, records=(PersonRecord(frozenset({"KR_RRN", "ADDRESS"}), "k1"),)),
    ]


@pytest.fixture()
def store(tmp_path: Path) -> ResultCache:
    return ResultCache(tmp_path / "c" / "cache.sqlite", AuditOptions(key=KEY))


def test_roundtrip_without_raw_values(tmp_path: Path, store: ResultCache) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x")
    ref = ref_of(f)
    store.store(ref, result_for(ref))
    got = store.lookup(ref)
    expected = result_for(ref)
    expected[0] = replace(expected[0], findings=(replace(expected[0].findings[0], text=None),))
    assert got == expected
    raw = sqlite3.connect(store.path).execute("SELECT payload FROM results").fetchone()[0]
    assert isinstance(raw, bytes) and b"1234567" not in raw
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_cached_findings_are_views_of_their_row_that_pickle_as_bytes(tmp_path: Path, store: ResultCache) -> None:
    """A warm run's findings stay in the row they were read with (no copy on the way to the
    report); sent to a process pool or Dask they pickle as their own bytes."""
    import pickle

    from pii_audit.finding_json import EncodedFindings

    f = tmp_path / "a.txt"
    f.write_text("x")
    ref = ref_of(f)
    store.store(ref, result_for(ref))
    got = store.lookup(ref)
    assert got is not None
    findings = got[0].findings
    assert isinstance(findings, EncodedFindings) and isinstance(findings.utf8, memoryview)
    again = pickle.loads(pickle.dumps(got))
    assert again == got and isinstance(again[0].findings.utf8, bytes)  # type: ignore[attr-defined]
    assert [x.masked for x in again[0].findings] == ["900101-1******"] and again[1].findings == ()


def test_metadata_hit_reads_nothing(tmp_path: Path, store: ResultCache, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x")
    ref = ref_of(f)
    store.store(ref, result_for(ref))
    monkeypatch.setattr(cache_mod, "content_hash", lambda *a: pytest.fail("read the file"))
    assert store.lookup(ref) is not None


def test_touched_file_hits_by_content_and_changed_file_misses(tmp_path: Path, store: ResultCache) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x")
    ref = ref_of(f)
    store.store(ref, result_for(ref))
    os.utime(f, (1_000_000, 1_000_000))
    touched = ref_of(f)
    got = store.lookup(touched)
    assert got is not None and got[0].ref == touched and got[1].ref.path == "a.txt!in.csv"
    copy = tmp_path / "b.txt"
    copy.write_text("x")
    assert store.lookup(ref_of(copy, "b.txt")) is not None  # a copy: same content
    f.write_text("y")
    assert store.lookup(ref_of(f)) is None


def test_other_key_or_options_miss(tmp_path: Path, store: ResultCache) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x")
    ref = ref_of(f)
    store.store(ref, result_for(ref))
    assert ResultCache(store.path, AuditOptions(key=b"z" * 32)).lookup(ref) is None
    assert ResultCache(store.path, AuditOptions(key=KEY, english_model=None)).lookup(ref) is None
    assert ResultCache(store.path, AuditOptions(key=KEY, reveal=True)).lookup(ref) is not None


def test_config_digest_is_the_same_in_every_process_with_a_patterns_dir(tmp_path: Path) -> None:
    """With PII_AUDIT_PATTERNS_DIR the digest covers two pattern folders; their order once depended
    on string hashing, which differs between processes: every run missed the cache."""
    import shutil
    import subprocess
    import sys

    from pii_audit.resources import PATTERNS_ROOT

    patterns = tmp_path / "patterns"
    patterns.mkdir()
    for rules in PATTERNS_ROOT.glob("*.yaml"):
        shutil.copy(rules, patterns / rules.name)
    probe = "from pii_audit.cache import source_digest; print(source_digest())"
    digests = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PII_AUDIT_PATTERNS_DIR": str(patterns), "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
        digests.add(done.stdout.strip())
    assert len(digests) == 1


def test_failed_results_not_stored(tmp_path: Path, store: ResultCache) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x")
    ref = ref_of(f)
    store.store(ref, [FileResult(ref=ref, status=Status.FAILED, reason="timeout")])
    assert store.lookup(ref) is None


def test_warm_run_equals_cold_and_scans_nothing(tmp_path: Path) -> None:
    root = fake_tree(tmp_path / "t")
    opts = AuditOptions(key=KEY)
    db = tmp_path / "c" / "cache.sqlite"
    cold = Auditor(opts, fake_factory, ExecutionOptions(workers=1), ResultCache(db, opts)).run([str(root)])
    warm_cache = ResultCache(db, opts)
    warm = Auditor(opts, fake_factory, ExecutionOptions(workers=1), warm_cache).run([str(root)])
    assert warm_cache.hits == len(list(iter_files(str(root)))) and warm_cache.misses == 0
    assert comparable(warm) == comparable(cold)


def test_persistent_key_file(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "key"
    key = persistent_key(path)
    assert persistent_key(path) == key and len(key) == 64
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_warm_report_is_the_cold_report_and_decodes_findings_only_on_demand(tmp_path: Path, detector: Detector) -> None:
    from pii_audit.finding_json import EncodedFindings
    from pii_audit.report.view import from_run
    from tests.fixtures import write_tree

    root = write_tree(tmp_path / "t")
    opts = AuditOptions(key=KEY, file_timeout=None)
    db = tmp_path / "c" / "cache.sqlite"

    def audit() -> AuditRun:
        return Auditor(opts, lambda o: detector, ExecutionOptions(workers=1), ResultCache(db, opts)).run([str(root)])

    cold, warm = audit(), audit()
    assert comparable(warm) == comparable(cold)
    roster = next(e.result for e in warm.files if e.result.ref.path == "roster.xlsx")
    assert isinstance(roster.findings, EncodedFindings) and len(roster.findings) == 16
    # Reports that read findings one by one decode them to the same values.
    cold_roster = next(e.result for e in cold.files if e.result.ref.path == "roster.xlsx")
    assert list(roster.findings) == list(cold_roster.findings)
    # The same report but for when each run happened (two runs may start in different seconds).
    when = {"started": "", "finished": ""}
    assert dataclasses.replace(from_run(warm), **when) == dataclasses.replace(from_run(cold), **when)


def test_remote_files_are_found_by_etag_before_mtime(store: ResultCache, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_mod, "content_hash", lambda *a: pytest.fail("hashed a remote file"))
    ref = FileRef(path="hr/a.xlsx", location="webdav://dav:8080/docs/hr/a.xlsx", size=10, mtime=100.0, etag="v1")
    store.store(ref, result_for(ref))
    assert store.lookup(replace(ref, mtime=200.0)) is not None  # touched (or a server's coarse mtime): same tag
    assert store.lookup(replace(ref, etag="v2")) is None  # rewritten within the same second
    assert store.lookup(replace(ref, size=11)) is None
    plain = FileRef(path="b.txt", location="smb://files/share/b.txt", size=3, mtime=5.0)  # SMB: no ETag
    store.store(plain, result_for(plain))
    assert store.lookup(plain) is not None and store.lookup(replace(plain, mtime=6.0)) is None


def test_a_cache_made_before_etags_gains_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE results (config TEXT NOT NULL, location TEXT NOT NULL, size INTEGER,"
        " mtime_ns INTEGER, sha256 TEXT, stored REAL, payload TEXT NOT NULL, PRIMARY KEY (config, location))"
    )
    db.close()
    cache = ResultCache(path, AuditOptions(key=KEY))
    ref = FileRef(path="a", location="s3://b/a", size=1, mtime=None, etag="e")
    cache.store(ref, result_for(ref))
    assert cache.lookup(ref) is not None
