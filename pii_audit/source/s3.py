"""`s3://bucket[/prefix]`: Amazon S3 and S3-compatible stores (s3fs).

Credentials: botocore's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
AWS_PROFILE, instance roles…); PII_AUDIT_S3_ENDPOINT_URL for S3-compatible stores (MinIO, Ceph…);
PII_AUDIT_S3_ANON=1 for public buckets. Objects carry an ETag, which the cache uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pii_audit.source.remote import FsspecStore, RemoteURL, timeout


class S3Store(FsspecStore):
    scheme = "s3"
    module = "s3fs"
    extra = "s3"
    container = "bucket"

    def options(self, url: RemoteURL, env: Mapping[str, str]) -> dict[str, Any]:
        opts: dict[str, Any] = {
            "config_kwargs": {"connect_timeout": timeout(env), "read_timeout": 60, "retries": {"max_attempts": 2}}
        }
        endpoint = env.get("PII_AUDIT_S3_ENDPOINT_URL")
        if endpoint:
            opts["endpoint_url"] = endpoint
        if env.get("PII_AUDIT_S3_ANON", "") in ("1", "true", "yes"):
            opts["anon"] = True
        if url.user:
            opts["key"] = url.user
        if url.password is not None:
            opts["secret"] = url.password
        return opts

    def configure(self, fs: Any) -> None:
        fs.retries = 1  # s3fs retries each call 5 times by default: too slow to say "unreachable"
