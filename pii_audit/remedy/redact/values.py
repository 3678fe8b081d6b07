"""Masking detected values wherever they occur: in one string, or across the runs of a paragraph
(Word and Hangul split text into runs at every change of format, sometimes inside a name)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pii_audit.mask import mask

FULL_FILLS = ("█", "■", "*")  # the first one the output's encoding can hold


@dataclass(frozen=True)
class Value:
    text: str  # the raw value (held in memory only, never written anywhere but masked)
    entity_type: str


def fill_for(can_encode: Callable[[str], bool]) -> str:
    return next(c for c in FULL_FILLS if can_encode(c))


def full_mask(value: str, fill: str) -> str:
    """Every character but spaces replaced: the same length, nothing of the value left."""
    return "".join(c if c.isspace() else fill for c in value)


def _escaped(value: str) -> set[str]:
    """The forms a value takes inside markup and JSON, besides itself."""
    return {value, html.escape(value, quote=False), html.escape(value), json.dumps(value)[1:-1]}


class Masker:
    """Replaces each value (and, with `escaped`, its HTML/JSON-escaped forms) by its mask: the
    report's mask (`김*수`), or with `full` the whole value in `fill` characters."""

    def __init__(self, values: Iterable[Value], full: bool = False, fill: str = "█", escaped: bool = False) -> None:
        self.masks: dict[str, str] = {}
        for v in sorted(set(values), key=lambda v: (-len(v.text), v.text, v.entity_type)):
            raw = v.text
            if not raw.strip() or raw in self.masks:
                continue
            masked = full_mask(raw, fill) if full else _keep_edges(raw, mask(v.entity_type, raw))
            if masked == raw:  # a mask that keeps everything (a very short value): hide it all
                masked = full_mask(raw, fill)
            for form in _escaped(raw) if escaped else {raw}:
                self.masks.setdefault(form, masked)
        keys = sorted(self.masks, key=len, reverse=True)  # longest first: leftmost-longest matches
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        if self._pattern is None:
            return []
        return [(m.start(), m.end(), self.masks[m.group()]) for m in self._pattern.finditer(text)]

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.masks[m.group()], text)

    def apply_runs(self, texts: Sequence[str]) -> list[str]:
        """Mask values across consecutive runs: a value's mask goes into the run where the value
        starts, and its other characters leave the runs they were in (formatting stays per run)."""
        full = "".join(texts)
        spans = self.spans(full)
        if not spans:
            return list(texts)
        out = []
        start = 0
        for t in texts:
            end = start + len(t)
            pieces, cursor = [], start
            for s, e, rep in spans:
                if e <= start or s >= end:
                    continue
                if s >= start:
                    pieces += [full[cursor:s], rep]
                cursor = max(cursor, min(e, end))
            pieces.append(full[cursor:end])
            out.append("".join(pieces))
            start = end
        return out


def _keep_edges(raw: str, masked: str) -> str:
    """`mask` strips the value; keep the spaces around it so the text keeps its layout."""
    stripped = raw.strip()
    if not stripped:
        return masked
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()) :]
    return lead + masked + trail
