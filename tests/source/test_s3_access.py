"""Owner and audience of S3 objects on a real S3 endpoint (moto_server): a public-read object and a
private one with the same bytes, and a bucket policy that opens a prefix to anyone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pii_audit.source import remote
from pii_audit.source.s3_access import access_of, policy_readers
from tests.fixtures import PEOPLE, write_roster
from tests.servers.s3 import S3Store
from tests.source.helpers import report, scan


@pytest.fixture(autouse=True)
def fresh_sessions() -> Iterator[None]:
    remote.forget_connections()
    yield
    remote.forget_connections()


def _files(s3_store: S3Store, url: str) -> dict[str, dict]:
    return {f["path"]: f for f in report(scan([url], s3_store.env))["files"]}


def test_public_read_object_ranks_above_its_private_twin(s3_store: S3Store, tmp_path: Path) -> None:
    bucket = s3_store.bucket("acl-objects")
    data = write_roster(tmp_path / "r.xlsx").read_bytes()
    client = s3_store.client()
    client.put_object(Bucket=bucket, Key="a-private.xlsx", Body=data)  # sorts first: a tie would keep it first
    client.put_object(Bucket=bucket, Key="public.xlsx", Body=data, ACL="public-read")
    files = _files(s3_store, f"s3://{bucket}")
    public, private = files["public.xlsx"], files["a-private.xlsx"]
    assert public["exposed_persons"] == private["exposed_persons"] == len(PEOPLE)
    assert public["audience"] == "everyone" and public["readers"] == ["AllUsers (public)"]
    assert f"readable by AllUsers (public) (object ACL in s3://{bucket})" in public["reasons"]
    assert private["audience"] == "owner-only" and public["rank"] < private["rank"]
    assert public["owner"] and public["owner"] == private["owner"]
    assert public["actions"][0] == "restrict-access"


def test_a_public_bucket_policy_opens_its_prefix(s3_store: S3Store, tmp_path: Path) -> None:
    bucket = s3_store.bucket("policy-objects")
    data = write_roster(tmp_path / "r.xlsx").read_bytes()
    client = s3_store.client()
    client.put_object(Bucket=bucket, Key="pub/roster.xlsx", Body=data)
    client.put_object(Bucket=bucket, Key="internal/roster.xlsx", Body=data)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/pub/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    files = _files(s3_store, f"s3://{bucket}")
    opened, internal = files["pub/roster.xlsx"], files["internal/roster.xlsx"]
    assert opened["audience"] == "everyone" and opened["access_inherited"] is True
    assert opened["actions"][0] == "move"  # the bucket decides: moving the object is the fix
    assert internal["audience"] == "owner-only" and opened["rank"] < internal["rank"]


ACL = {"Owner": {"ID": "owner-id", "DisplayName": "records"}, "Grants": []}


def test_policy_conditions_and_public_access_block() -> None:
    statement = {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:Get*"], "Resource": "arn:aws:s3:::b/*"}
    assert policy_readers({"Statement": [statement]}, "b", "k.csv") == (True, False)
    conditional = {**statement, "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}}
    assert policy_readers({"Statement": [conditional]}, "b", "k.csv") == (False, True)
    denied = {**statement, "Effect": "Deny"}
    assert policy_readers({"Statement": [denied]}, "b", "k.csv") == (False, False)
    other = {**statement, "Resource": "arn:aws:s3:::b/pub/*"}
    assert policy_readers({"Statement": [other]}, "b", "k.csv") == (False, False)
    blocked = access_of(ACL, {"Statement": [statement]}, {"RestrictPublicBuckets": True}, "b", "k.csv")
    assert blocked.audience.value == "owner-only" and blocked.owner == "records"
    everyone = {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}
    public_acl = {**ACL, "Grants": [{"Grantee": everyone, "Permission": "READ"}]}
    assert access_of(public_acl, None, {}, "b", "k").audience.value == "everyone"
    assert access_of(public_acl, None, {"IgnorePublicAcls": True}, "b", "k").audience.value == "owner-only"
    shared = {**ACL, "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "partner"}, "Permission": "READ"}]}
    assert access_of(shared, None, {}, "b", "k").readers == ("partner",)
