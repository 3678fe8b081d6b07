"""Findings encoded where they are found (`finding_json.packed`): the same report and cache as objects."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from pii_audit.cache import ResultCache
from pii_audit.finding_json import EncodedFindings, encode, packed
from pii_audit.model import FileRef, FileResult, Finding, Location, Status
from pii_audit.options import AuditOptions

KEY = b"k" * 32


def _result(text: str | None = None, contexts: tuple[str, ...] = ()) -> FileResult:
    ref = FileRef(path="a.csv", location="/x/a.csv", size=10, mtime=1.0)
    findings = (
        Finding("PERSON", 0.9, Location(line=2, start=0, end=3), "홍**", "fp1", text=text),
        Finding("KR_RRN", 1.0, Location(line=2, start=4, end=18), "900101-1******", "fp2", note="n"),
    )
    return FileResult(
        ref=ref,
        status=Status.SCANNED,
        format="csv",
        findings=findings,
        entity_counts=(("KR_RRN", 1), ("PERSON", 1)),
        context_terms=contexts,
    )


def test_packed_findings_are_the_report_text_with_their_categories() -> None:
    for contexts in ((), ("defector",)):
        plain = _result(contexts=contexts)
        got = packed(plain)
        assert isinstance(got.findings, EncodedFindings)
        sensitive = contexts != ()
        assert got.findings.json == encode(plain.findings, sensitive)
        assert tuple(got.findings) == plain.findings
        assert got == plain  # equal results: only the findings' representation differs
        categories = {d["legal_category"] for d in json.loads(got.findings.json)}
        assert ("sensitive" in categories) is sensitive


def test_findings_with_raw_values_stay_objects() -> None:
    revealed = _result(text="홍길동")
    assert packed(revealed) is revealed
    empty = replace(_result(), findings=())
    assert packed(empty) is empty


def test_the_cache_stores_packed_and_plain_results_alike(tmp_path: Path) -> None:
    payloads = []
    for n, result in enumerate((_result(), packed(_result()))):
        target = tmp_path / f"a{n}.csv"
        target.write_text("x")
        ref = FileRef(path="a.csv", location=str(target), size=1, mtime=target.stat().st_mtime)
        cache = ResultCache(tmp_path / f"c{n}" / "cache.sqlite", AuditOptions(key=KEY))
        cache.store(ref, [replace(result, ref=ref)])
        payloads.append(sqlite3.connect(cache.path).execute("SELECT payload FROM results").fetchone()[0])
        assert cache.lookup(ref) == [replace(_result(), ref=ref)]
    assert payloads[0] == payloads[1]
