"""Who owns an S3 object and who can read it: the object's ACL and its bucket's policy, as the S3
API reports them (GetObjectAcl, GetBucketPolicy, GetPublicAccessBlock).

- `everyone`: the object ACL grants READ (or FULL_CONTROL) to AllUsers (the public) or to
  AuthenticatedUsers (any AWS account in the world), or a bucket policy statement allows
  `s3:GetObject` to Principal `*` on a resource that matches the object (`inherited`: the
  bucket decides, so the fix is to move the object or change the policy) — unless the bucket's
  public access block ignores public ACLs or restricts public policies;
- `organisation`: the ACL grants reading to other accounts, or a public policy statement carries a
  Condition (a VPC, an IP range, an organisation id);
- `owner-only`: only the owning account (IAM policies inside that account are not read).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from typing import Any

from pii_audit.model import Access, Audience

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
_READS = ("READ", "FULL_CONTROL")
_GET = ("s3:GetObject", "s3:*", "*", "s3:Get*")


def acl_readers(acl: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(public readers, other accounts) granted reading by an object ACL."""
    owner = (acl.get("Owner") or {}).get("ID")
    public, others = [], []
    for grant in acl.get("Grants") or []:
        if grant.get("Permission") not in _READS:
            continue
        grantee = grant.get("Grantee") or {}
        uri = grantee.get("URI")
        if uri == ALL_USERS:
            public.append("AllUsers (public)")
        elif uri == AUTHENTICATED_USERS:
            public.append("AuthenticatedUsers (any AWS account)")
        elif grantee.get("ID") and grantee.get("ID") != owner:
            others.append(str(grantee.get("DisplayName") or grantee.get("ID")))
        elif grantee.get("EmailAddress"):
            others.append(str(grantee["EmailAddress"]))
    return public, others


def policy_readers(policy: Mapping[str, Any], bucket: str, key: str) -> tuple[bool, bool]:
    """(public without condition, public with a condition) for `s3:GetObject` on the object."""
    arn = f"arn:aws:s3:::{bucket}/{key}"
    public = conditional = False
    statements = policy.get("Statement") or []
    for st in statements if isinstance(statements, list) else [statements]:
        if not isinstance(st, Mapping) or st.get("Effect") != "Allow" or not _anyone(st.get("Principal")):
            continue
        if not any(a in _GET or fnmatch.fnmatchcase("s3:GetObject", a) for a in _strings(st.get("Action"))):
            continue
        if not any(fnmatch.fnmatchcase(arn, r) for r in _strings(st.get("Resource"))):
            continue
        if st.get("Condition"):
            conditional = True
        else:
            public = True
    return public, conditional


def _anyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in _strings(principal.get("AWS"))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def access_of(
    acl: Mapping[str, Any], policy: Mapping[str, Any] | None, block: Mapping[str, Any], bucket: str, key: str
) -> Access:
    """The audience of `s3://bucket/key` from its ACL, the bucket policy (None: no policy) and the
    bucket's public access block configuration ({} when there is none)."""
    public, others = acl_readers(acl)
    if block.get("IgnorePublicAcls"):
        public = []
    by_policy, conditional = policy_readers(policy or {}, bucket, key)
    if block.get("RestrictPublicBuckets"):
        by_policy = conditional = False
    owner = acl.get("Owner") or {}
    name = owner.get("DisplayName") or owner.get("ID")
    where = f"s3://{bucket}"
    if public:
        return Access(name, Audience.EVERYONE, tuple(public), f"object ACL in {where}")
    if by_policy:
        return Access(name, Audience.EVERYONE, ("anyone (Principal *)",), f"bucket policy of {where}", inherited=True)
    if others or conditional:
        readers = tuple(others) + (("Principal * under a condition",) if conditional else ())
        basis = f"bucket policy of {where}" if conditional and not others else f"object ACL in {where}"
        return Access(name, Audience.ORGANISATION, readers, basis, inherited=conditional and not others)
    return Access(name, Audience.OWNER_ONLY, (), f"object ACL and bucket policy of {where}")


def policy_json(text: str) -> Mapping[str, Any]:
    data = json.loads(text)
    return data if isinstance(data, Mapping) else {}
