"""s3:// against a real moto S3 server (tests/servers/s3.py) through the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pii_audit.source import remote
from tests.servers import free_port
from tests.servers.s3 import SECRET, S3Store
from tests.source.helpers import EXPECTED_PATHS, assert_found_people, by_path, report, scan, store_files


@pytest.fixture(autouse=True)
def fresh_sessions() -> Iterator[None]:
    remote.forget_connections()
    yield
    remote.forget_connections()


@pytest.fixture(scope="module")
def bucket(s3_store: S3Store, tmp_path_factory: pytest.TempPathFactory) -> str:
    name = s3_store.bucket("records")
    for rel, data in store_files(tmp_path_factory.mktemp("s3-src")).items():
        s3_store.put(name, f"dept/{rel}", data)
    s3_store.put(name, "elsewhere/not-under-the-prefix.txt", b"outside")
    return name


def _objects(s3_store: S3Store, bucket: str) -> dict[str, Any]:
    listing = s3_store.client().list_objects_v2(Bucket=bucket)
    return {o["Key"]: (o["ETag"], o["LastModified"], o["Size"]) for o in listing.get("Contents", [])}


def test_bucket_prefix_scan_finds_people_with_relative_paths(s3_store: S3Store, bucket: str) -> None:
    before = _objects(s3_store, bucket)
    rep = report(scan([f"s3://{bucket}/dept"], s3_store.env))
    assert set(by_path(rep)) == EXPECTED_PATHS
    assert_found_people(rep)
    assert rep["scan"]["roots"] == [f"s3://{bucket}/dept"]
    assert _objects(s3_store, bucket) == before, "a scan never writes to the store"


def test_whole_bucket_next_to_a_local_directory(s3_store: S3Store, bucket: str, tmp_path: Path) -> None:
    local = tmp_path / "local"
    local.mkdir()
    (local / "note.txt").write_text("회의록\n", encoding="utf-8")
    rep = report(scan([str(local), f"s3://{bucket}"], s3_store.env))
    paths = {f["path"] for f in rep["files"]}
    assert {"local/note.txt", "records/dept/hr/roster.xlsx", "records/elsewhere/not-under-the-prefix.txt"} <= paths
    assert "records/dept/archive.zip!export.csv" in paths


def test_secret_in_url_is_never_echoed(s3_store: S3Store, bucket: str) -> None:
    env = {**s3_store.env, "AWS_SECRET_ACCESS_KEY": ""}
    result = scan([f"s3://testing-key-id:{SECRET}@{bucket}/dept"], env)
    rep = report(result)
    assert SECRET not in result.output
    assert rep["scan"]["roots"] == [f"s3://testing-key-id@{bucket}/dept"]


def test_missing_bucket_exits_2_with_one_line(s3_store: S3Store) -> None:
    result = scan(["s3://no-such-bucket/x"], s3_store.env)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == ["error: s3://no-such-bucket/x: no such bucket: no-such-bucket"]


def test_unreachable_endpoint_exits_2(s3_store: S3Store) -> None:
    env = {
        **s3_store.env,
        "PII_AUDIT_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "PII_AUDIT_REMOTE_TIMEOUT": "2",
    }
    result = scan(["s3://records/dept"], env)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot connect" in lines[0] and "Traceback" not in result.output, result.output
