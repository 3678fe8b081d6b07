"""Findings as JSON: the report's per-finding object, and a lazily decoded sequence of them.

The cache keeps a file's findings as the JSON text the report prints, as UTF-8 bytes (masked;
never a raw value; with their PIPA categories), so a warm rescan copies those bytes into the
report instead of rebuilding tens of thousands of objects, or even decoding and encoding the text
again. `EncodedFindings` decodes it only when something reads the findings one by one (the
terminal, CSV, XLSX, HTML and SARIF reports, allowlists, baselines).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from typing import Any, overload

from pii_audit import legal
from pii_audit.model import FileResult, Finding, Location

# UTF-8 text as bytes, or as a view into a larger buffer (a cache row): what `bytes.join` copies.
Utf8 = bytes | memoryview


def finding_to_dict(f: Finding, sensitive_file: bool | None = None) -> dict[str, Any]:
    """The report's object for a finding; with `sensitive_file` (whether the file is in a sensitive
    context) also its PIPA `legal_category` (pii_audit/legal.py)."""
    out: dict[str, Any] = {"entity_type": f.entity_type}
    if sensitive_file is not None:
        out["legal_category"] = legal.finding_category(f.entity_type, sensitive_file)
    out |= {
        "score": f.score,
        "location": f.location.to_dict(),
        "masked": f.masked,
        "fingerprint": f.fingerprint,
    }
    if f.north_korean:
        out["north_korean"] = True
    if f.note:
        out["note"] = f.note
    if f.text is not None:
        out["text"] = f.text
    return out


def finding_from_dict(data: dict[str, Any]) -> Finding:
    return Finding(
        entity_type=data["entity_type"],
        score=data["score"],
        location=Location(**data["location"]),
        masked=data["masked"],
        fingerprint=data["fingerprint"],
        text=data.get("text"),
        north_korean=bool(data.get("north_korean", False)),
        note=data.get("note"),
    )


def encode(findings: Sequence[Finding], sensitive_file: bool | None = None) -> str:
    """The JSON array of the findings, as the report prints it (compact, UTF-8 text), with each
    finding's `legal_category` when `sensitive_file` is given. `EncodedFindings` are copied as they
    are: the cache encodes them with their categories."""
    if isinstance(findings, EncodedFindings):
        return findings.json
    items = [finding_to_dict(f, sensitive_file) for f in findings]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def encode_utf8(findings: Sequence[Finding], sensitive_file: bool | None = None) -> Utf8:
    """`encode`'s text as UTF-8: `EncodedFindings` give their bytes as they hold them."""
    if isinstance(findings, EncodedFindings):
        return findings.utf8
    return encode(findings, sensitive_file).encode("utf-8")


def packed(result: FileResult) -> FileResult:
    """`result` with its findings held as the report's JSON text (`EncodedFindings`, with their
    categories), encoded once where the file was read: a worker sends one string instead of
    thousands of objects, and the parent's cache and JSON report copy that text instead of each
    encoding the findings again. Findings holding a raw value (`--reveal`) stay objects."""
    findings = result.findings
    if not findings or isinstance(findings, EncodedFindings) or any(f.text is not None for f in findings):
        return result
    text = encode_utf8(findings, legal.is_sensitive_context(result.context_terms))
    return dataclasses.replace(result, findings=EncodedFindings(text, len(findings)))


class EncodedFindings(Sequence[Finding]):
    """An immutable sequence of findings held as their JSON text in UTF-8 (`utf8`: bytes, or a
    read-only view into the cache row they came from, never copied); decoded on first access."""

    __slots__ = ("utf8", "_count", "_items")

    def __init__(self, text: Utf8 | str, count: int) -> None:
        self.utf8: Utf8 = text.encode("utf-8") if isinstance(text, str) else text
        self._count = count
        self._items: tuple[Finding, ...] | None = None

    @property
    def json(self) -> str:
        """The JSON text."""
        return str(self.utf8, "utf-8")

    def _decoded(self) -> tuple[Finding, ...]:
        if self._items is None:
            self._items = tuple(finding_from_dict(d) for d in json.loads(bytes(self.utf8)))
        return self._items

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | Sequence[Finding]:
        return self._decoded()[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._decoded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EncodedFindings):
            return self.utf8 == other.utf8
        if isinstance(other, Sequence):
            return self._decoded() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.utf8)

    def __repr__(self) -> str:
        return f"EncodedFindings({self._count} findings)"

    def __reduce__(self) -> tuple[Any, ...]:  # pickles as its text (Dask, process pools)
        return (EncodedFindings, (bytes(self.utf8), self._count))
