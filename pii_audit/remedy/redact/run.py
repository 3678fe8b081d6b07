"""Detect, rewrite, check: the masked copy is scanned again with the same detector, and values
still found (a value the first masks left recognisable, or one that only shows once its
neighbours are masked) are masked in full on another round. After three rounds with something
still found, the copy is refused: it is never written."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pii_audit.errors import RemedyError
from pii_audit.extract.registry import sniff
from pii_audit.model import FileRef, Finding, Status
from pii_audit.options import AuditOptions
from pii_audit.remedy.redact import ooxml, text, xlsx
from pii_audit.remedy.redact.values import Masker, Value, fill_for
from pii_audit.scan import scan_bytes

if TYPE_CHECKING:
    from pii_audit.detect.engine import Detector

Rewriter = Callable[[bytes, Callable[[Callable[[str], bool]], Masker]], bytes]

REWRITERS: dict[str, Rewriter] = {
    **{kind: text.rewrite for kind in text.FORMATS},
    **{kind: xlsx.rewrite for kind in xlsx.FORMATS},
    **{kind: ooxml.rewrite_format(kind) for kind in ooxml.FORMATS},
}

_REFUSED = {
    "pdf": "PDF text is placed by drawing commands: it cannot be redacted faithfully",
    "hwp": "HWP 5 binary documents cannot be rewritten faithfully (save it as HWPX first)",
    "xls": "legacy XLS cannot be rewritten faithfully (save it as XLSX first)",
    "doc": "legacy DOC cannot be rewritten faithfully (save it as DOCX first)",
    "png": "an image: its text is pixels, which this tool does not redact",
    "jpeg": "an image: its text is pixels, which this tool does not redact",
    "tiff": "an image: its text is pixels, which this tool does not redact",
    "gif": "an image: its text is pixels, which this tool does not redact",
}
ROUNDS = 3


def refusal(kind: str) -> str:
    return _REFUSED.get(kind, f"{kind}: redaction is not supported for this format")


def check_format(data: bytes, name: str) -> str:
    """The format, by content; RemedyError with the reason for one that cannot be redacted."""
    kind = sniff(data, name)
    if kind not in REWRITERS:
        raise RemedyError(refusal(kind))
    return kind


@dataclass(frozen=True)
class Redacted:
    kind: str
    data: bytes
    counts: dict[str, int]  # values found and masked, per entity type (in the original)
    rounds: int  # rewrites made: 1 when the first masks sufficed, 0 when nothing was found


def _found(data: bytes, name: str, detector: Detector, opts: AuditOptions, floor: float) -> list[Finding]:
    results = scan_bytes(FileRef(path=name, location=name, size=len(data)), data, opts, detector, depth=0)
    if results[0].status is not Status.SCANNED:
        raise RemedyError(f"cannot be read ({results[0].reason})")
    return [f for r in results for f in r.findings if f.score >= floor and f.text]


def _values(found: Sequence[Finding]) -> set[Value]:
    return {Value(f.text, f.entity_type) for f in found if f.text}


def plan(data: bytes, name: str, detector: Detector, min_confidence: float = 0.0) -> tuple[str, dict[str, int]]:
    """The format and the values that a redaction would mask, per type (nothing is rewritten)."""
    kind = check_format(data, name)
    found = _found(data, name, detector, _opts(len(data)), min_confidence)
    return kind, dict(sorted(Counter(f.entity_type for f in found).items()))


def redact(data: bytes, name: str, detector: Detector, full: bool = False, min_confidence: float = 0.0) -> Redacted:
    kind = check_format(data, name)
    rewrite = REWRITERS[kind]
    opts = _opts(len(data))
    found = _found(data, name, detector, opts, min_confidence)
    counts = dict(sorted(Counter(f.entity_type for f in found).items()))
    current = data
    for round_ in range(1, ROUNDS + 1):
        if not found:
            return Redacted(kind, current, counts, round_ - 1)
        values, whole = _values(found), full or round_ > 1

        def masker_for(can_encode: Callable[[str], bool], values: set[Value] = values, whole: bool = whole) -> Masker:
            return Masker(values, full=whole, fill=fill_for(can_encode), escaped=kind in text.FORMATS)

        current = rewrite(current, masker_for)
        found = _found(current, name, detector, opts, min_confidence)
    if found:
        kinds = ", ".join(f"{t} {n}" for t, n in sorted(Counter(f.entity_type for f in found).items()))
        raise RemedyError(f"{len(found)} values still found after {ROUNDS} rounds of masking ({kinds}): not written")
    return Redacted(kind, current, counts, ROUNDS)


def _opts(size: int) -> AuditOptions:
    # Raw values in memory only (reveal), every finding listed, no per-file deadline, and a random
    # key: fingerprints made here are never compared with anything.
    return AuditOptions(
        reveal=True, key=secrets.token_bytes(32), max_findings=0, file_timeout=None, max_file_bytes=max(size, 1) + 1
    )
