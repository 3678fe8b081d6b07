"""A real S3 endpoint for tests: `moto_server` (pip `moto[server]`) on 127.0.0.1:<free port>.

def test_x(s3_store):
    bucket = s3_store.bucket("x")            # a fresh bucket
    s3_store.put(bucket, "dir/a.txt", b"...")
    # env for pii-audit: s3_store.env (endpoint, keys, region)
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.servers import free_port, say, visible, wait_for_port

KEY, SECRET, REGION = "testing-key-id", "testing-secret-key", "us-east-1"


@dataclass
class S3Store:
    endpoint_url: str
    start_seconds: float = 0.0
    _buckets: set[str] = field(default_factory=set)

    @property
    def env(self) -> dict[str, str]:
        return {
            "PII_AUDIT_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_DEFAULT_REGION": REGION,
        }

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            region_name=REGION,
        )

    def bucket(self, name: str) -> str:
        if name in self._buckets:
            raise ValueError(f"bucket {name!r} already handed out")
        self.client().create_bucket(Bucket=name)
        self._buckets.add(name)
        return name

    def put(self, bucket: str, key: str, data: bytes) -> None:
        self.client().put_object(Bucket=bucket, Key=key, Body=data)


@contextlib.contextmanager
def running_moto() -> Iterator[S3Store]:
    pytest.importorskip("moto.server", reason="moto[server] is not installed (it is in the dev extra)")
    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=30, alive=lambda: proc.poll() is None)
        yield S3Store(f"http://127.0.0.1:{port}", time.monotonic() - started)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def s3_store(pytestconfig: pytest.Config) -> Iterator[S3Store]:
    """A running moto S3 server for the whole session."""
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(running_moto())
        with visible(pytestconfig):
            say(f"moto_server ready on {store.endpoint_url} in {store.start_seconds:.2f} s")
        yield store
