"""Keyed fingerprints: identity of a value without the value (a plain hash of a 13-digit RRN
falls to brute force, so every fingerprint is an HMAC under a secret key)."""

from __future__ import annotations

import hmac
import re
import secrets

_NOISE = re.compile(r"[\s\-.,/()]+")


def normalise(entity_type: str, value: str) -> str:
    return entity_type + ":" + _NOISE.sub("", value.casefold())


def fingerprint(key: bytes, entity_type: str, value: str) -> str:
    # hmac.digest: the one-shot C HMAC, the same bytes as hmac.new(...).digest() without its objects.
    return hmac.digest(key, normalise(entity_type, value).encode("utf-8"), "sha256").hex()[:24]


def combine(key: bytes, *parts: str) -> str:
    """A fingerprint of several fingerprints (e.g. name + birth date)."""
    return hmac.digest(key, "|".join(parts).encode("ascii"), "sha256").hex()[:24]


def ephemeral_key() -> bytes:
    """A key for one run: persons are still counted across files, but nothing links runs."""
    return secrets.token_bytes(32)
