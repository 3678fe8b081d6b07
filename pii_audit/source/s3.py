"""`s3://bucket[/prefix]`: Amazon S3 and S3-compatible stores (s3fs).

Credentials: botocore's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
AWS_PROFILE, instance roles…); PII_AUDIT_S3_ENDPOINT_URL for S3-compatible stores (MinIO, Ceph…);
PII_AUDIT_S3_ANON=1 for public buckets. Objects carry an ETag, which the cache uses. Owner and
audience come from each object's ACL and its bucket's policy (s3_access.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pii_audit.source.interface import Access
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

    def begin_walk(self) -> None:
        self._buckets: dict[str, tuple[Mapping[str, Any] | None, Mapping[str, Any], str]] = {}  # per walk

    def read_access(self, fs: Any, url: RemoteURL, info: Mapping[str, Any]) -> tuple[Access, float | None]:
        from dataclasses import replace

        from pii_audit.source.s3_access import access_of

        bucket, _, key = url.path.partition("/")
        acl = fs.call_s3("get_object_acl", Bucket=bucket, Key=key)
        policy, block, note = self._bucket(fs, bucket)
        access = access_of(acl, policy, block, bucket, key)
        return (replace(access, basis=f"{access.basis}; {note}") if note else access), None

    def _bucket(self, fs: Any, bucket: str) -> tuple[Mapping[str, Any] | None, Mapping[str, Any], str]:
        """The bucket's policy (None: none), public access block ({}: none) and what could not be read."""
        cache = getattr(self, "_buckets", None)
        if cache is None:
            cache = self._buckets = {}
        if bucket not in cache:
            from pii_audit.source.s3_access import policy_json

            policy: Mapping[str, Any] | None = None
            block: Mapping[str, Any] = {}
            unread = []
            try:
                policy = policy_json(fs.call_s3("get_bucket_policy", Bucket=bucket)["Policy"])
            except Exception as exc:
                if not _absent(exc, "NoSuchBucketPolicy"):
                    unread.append("bucket policy")
            try:
                block = fs.call_s3("get_public_access_block", Bucket=bucket)["PublicAccessBlockConfiguration"]
            except Exception as exc:
                if not _absent(exc, "NoSuchPublicAccessBlockConfiguration"):
                    unread.append("public access block")
            cache[bucket] = (policy, block, f"{' and '.join(unread)} not readable" if unread else "")
        return cache[bucket]


def _absent(exc: BaseException, code: str) -> bool:
    """s3fs turns "there is none" answers into OSError: look for the S3 error code in the chain."""
    seen: BaseException | None = exc
    while seen is not None:
        response = getattr(seen, "response", None)
        if isinstance(response, dict) and response.get("Error", {}).get("Code") == code:
            return True
        if code in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
