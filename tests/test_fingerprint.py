"""Fingerprints are HMAC-SHA256 of the normalised value, truncated: computed from a copied keyed
state, they must equal a fresh HMAC for every key length (a key longer than a block is hashed)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from pii_audit.fingerprint import combine, fingerprint, normalise


@pytest.mark.parametrize("key", [b"k" * 32, b"", b"x" * 64, bytes(range(200))])
def test_fingerprint_is_the_plain_hmac(key: bytes) -> None:
    for entity_type, value in [("PERSON", "김민민"), ("KR_RRN", "900101-1234567"), ("EMAIL_ADDRESS", "A.B@c.kr")]:
        expected = hmac.new(key, normalise(entity_type, value).encode("utf-8"), hashlib.sha256).hexdigest()[:24]
        assert fingerprint(key, entity_type, value) == expected
    expected = hmac.new(key, b"aa|bb", hashlib.sha256).hexdigest()[:24]
    assert combine(key, "aa", "bb") == expected


def test_keys_do_not_mix() -> None:
    assert fingerprint(b"a" * 32, "PERSON", "김민민") != fingerprint(b"b" * 32, "PERSON", "김민민")
    assert fingerprint(b"a" * 32, "PERSON", "김민민") == fingerprint(b"a" * 32, "PERSON", "김 민민")
