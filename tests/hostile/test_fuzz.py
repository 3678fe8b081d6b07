"""Property tests: random and mutated bytes through every extractor. `registry.extract` may raise
only ExtractError subclasses; `scan_bytes` raises nothing at all (a bad file is a value).

Mutations start from a valid sample of each format (tests/hostile/corpus.py), so that they reach
the format's own parser rather than being sniffed as binary.
"""

from __future__ import annotations

import contextlib
import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pii_audit.detect.engine import Detection
from pii_audit.errors import ExtractError
from pii_audit.extract import registry
from pii_audit.interrupt import DeadlineExceeded, can_enforce, run_with_deadline
from pii_audit.model import FileRef, Status
from pii_audit.options import AuditOptions
from pii_audit.scan import scan_bytes
from tests.hostile import corpus

FORMATS = sorted(set(corpus.SAMPLES) & {*registry.EXTRACTORS, *getattr(registry, "CONTAINERS", {})})
HANG = 20.0  # seconds: far above any sample; a mutated input that takes this long is a hang
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


@functools.cache
def sample(fmt: str) -> bytes:
    return corpus.SAMPLES[fmt]()


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        if not out:
            break
        # Mostly past the header, so that the format is still recognised and its parser runs.
        low = 0 if draw(st.booleans()) and draw(st.booleans()) else min(len(out) - 1, 8)
        at = draw(st.integers(low, len(out) - 1))
        op = draw(st.sampled_from(("flip", "cut", "insert", "zero", "repeat")))
        if op == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del out[at:]
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "zero":
            out[at : at + draw(st.integers(1, 256))] = b"\0" * min(256, len(out) - at)
        else:
            out[at:at] = bytes(out[at : at + 32]) * draw(st.integers(1, 50))
    return bytes(out)


class NoDetector:
    def detect(self, text: str) -> list[Detection]:
        return []


def bounded(fn):  # type: ignore[no-untyped-def]
    """Run `fn` under a deadline where the platform allows it: a hang fails the test instead of
    stalling the suite."""
    if not can_enforce():
        return fn()
    try:
        return run_with_deadline(fn, HANG)
    except DeadlineExceeded:
        pytest.fail(f"no answer in {HANG} s: a hang")


def extract_or_extract_error(data: bytes, name: str) -> None:
    with contextlib.suppress(ExtractError):
        bounded(lambda: registry.extract(data, name))


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_mutated_files_raise_only_extract_errors(fmt: str, data: st.DataObject) -> None:
    blob = data.draw(mutated(sample(fmt)))
    extract_or_extract_error(blob, f"file.{corpus.SUFFIX.get(fmt, fmt)}")


@settings(max_examples=200, deadline=None, database=None)
@given(blob=st.binary(max_size=2048), name=st.sampled_from(["a.txt", "a.csv", "a.xlsx", "a", "a.eml", "a.gz"]))
def test_random_bytes_raise_only_extract_errors(blob: bytes, name: str) -> None:
    extract_or_extract_error(blob, name)


MAGIC = [
    b"PK\x03\x04",
    b"%PDF-1.7\n",
    bytes.fromhex("D0CF11E0A1B11AE1"),
    b"\x1f\x8b",
    b"7z\xbc\xaf\x27\x1c",
    b"SQLite format 3\x00",
    b"{\\rtf1",
    b"<?xml version='1.0'?>",
    b"From a@b Mon\n",
    b"",
]


@settings(max_examples=100, deadline=None, database=None)
@given(head=st.sampled_from(MAGIC), body=st.binary(max_size=2048))
def test_magic_then_noise_raise_only_extract_errors(head: bytes, body: bytes) -> None:
    extract_or_extract_error(head + body, "noise")


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(data=st.data())
def test_scan_bytes_never_raises(fmt: str, data: st.DataObject) -> None:
    blob = data.draw(mutated(sample(fmt)))
    ref = FileRef(path=f"f.{fmt}", location=f"/nonexistent/f.{fmt}", size=len(blob))
    opts = AuditOptions(english_model=None, key=b"k" * 32)
    results = bounded(lambda: scan_bytes(ref, blob, opts, NoDetector(), depth=0))  # type: ignore[arg-type]
    assert results and results[0].ref == ref
    for result in results:
        assert result.status is Status.SCANNED or result.reason
