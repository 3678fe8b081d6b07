"""The store seam: a root's scheme picks one store; globs mean the same on every store."""

from __future__ import annotations

from pathlib import Path

import pytest

from pii_audit.errors import UsageError
from pii_audit.model import FileRef
from pii_audit.source.interface import UNKNOWN_ACCESS, Audience, Store
from pii_audit.source.local import LocalStore
from pii_audit.source.matching import matches, selected
from pii_audit.source.registry import StoreKind, kind_of, store_for


@pytest.mark.parametrize(
    ("root", "kind"),
    [
        ("/srv/share", StoreKind.LOCAL),
        ("relative/dir", StoreKind.LOCAL),
        ("smb:/not-a-url", StoreKind.LOCAL),
        ("smb://u@h/share", StoreKind.SMB),
        ("SMB://h/share", StoreKind.SMB),
        ("s3://bucket/x", StoreKind.S3),
        ("sftp://h/dir", StoreKind.SFTP),
    ],
)
def test_a_root_picks_its_store_by_scheme(root: str, kind: StoreKind) -> None:
    assert kind_of(root) is kind
    store = store_for(root)
    assert isinstance(store, Store) and store.scheme == kind.value
    assert store_for(root) is store  # one instance per kind and process


def test_an_unknown_scheme_is_a_usage_error_without_the_password() -> None:
    with pytest.raises(UsageError) as info:
        store_for("ftp://alice:hunter2@h/x")
    assert "ftp://" in str(info.value) and "hunter2" not in str(info.value)


@pytest.mark.parametrize(
    ("rel", "patterns", "expected"),
    [
        ("hr/roster.xlsx", ["*.xlsx"], True),  # the name
        ("hr/roster.xlsx", ["hr/*"], True),  # the path from the root
        ("hr/roster.xlsx", ["roster"], False),
        ("hr/roster.xlsx", ["*.XLSX"], False),  # case-sensitive, on every store
        ("a/b/c.csv", ["a/*"], True),  # fnmatch: * crosses /
    ],
)
def test_glob_matching(rel: str, patterns: list[str], expected: bool) -> None:
    assert matches(rel, patterns) is expected


def test_exclude_wins_over_include() -> None:
    assert selected("hr/a.xlsx", ["*.xlsx"], ["hr/*"]) is False
    assert selected("hr/a.xlsx", [], []) is True
    assert selected("hr/a.csv", ["*.xlsx"], []) is False


def test_local_store_reads_stats_and_knows_the_audience(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_bytes(b"0123456789")
    store = LocalStore()
    (ref,) = list(store.walk(str(tmp_path)))
    assert (ref.path, ref.size) == ("d/a.txt", 10)
    assert store.read(ref, 4) == b"01234"  # one byte past the limit: "too large"
    with store.open(ref) as fh:
        assert fh.read() == b"0123456789"
    (tmp_path / "d" / "a.txt").write_bytes(b"01")
    assert store.stat(ref).size == 2
    # pytest's tmp_path sits in a 0700 folder: owner-only, whatever the file's mode (tests/source/test_local_access.py)
    assert store.access(ref).audience is Audience.OWNER_ONLY and store.access(ref) == ref.access
    assert Store.access(store, ref) == UNKNOWN_ACCESS  # what a store that cannot tell says
    assert store.label(str(tmp_path / "d")) == "d"


def test_a_table_store_refuses_byte_reads() -> None:
    from pii_audit.source.interface import TableStore

    class Tables(TableStore):
        def walk(self, root, include=(), exclude=(), prefix=""):  # type: ignore[no-untyped-def]
            return iter(())

        def stat(self, ref: FileRef) -> FileRef:
            return ref

        def table(self, ref, sample):  # type: ignore[no-untyped-def]
            raise NotImplementedError

    with pytest.raises(OSError):
        Tables().open(FileRef(path="t", location="postgresql://h/db/public.t"))
