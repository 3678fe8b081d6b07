"""Search an ID pattern only in windows around the runs of digits its matches need.

digit_runs.py skips a pattern whose matches hold `d` digits in a row when a text has no run that
long. Business text has years, amounts and order numbers, so most of it passes that gate and was
scanned whole. Yet a match is short: when every match of a pattern is at most `W` characters long
(`match_bounds`, read off the pattern like digit_runs.py) and holds `d >= 1` digits in a row, it
lies around one run of digits of the text. Let the match be `[s, e)` with `e - s <= W`, holding the
digits `[p, p + d)` of a maximal run `[rs, re)` of the text (`re - rs >= d`). Then
`s >= e - W >= p + d - W >= rs + d - W` and `e <= s + W <= p + W <= re - d + W`: the match lies in
the window `[rs + d - W, re - d + W)`. So only those windows are searched (`find_in_windows`), and
the matches are exactly those of one `finditer` over the whole text:

- Windows that overlap or touch are merged into disjoint, sorted windows `[a, b)`; a superset of a
  window is still a window. Every match of the pattern lies within one of them.
- Each window is searched with `finditer(text, a, b + R)` on the unsliced text. `regex` lets
  lookbehinds and `\\b` see before `pos`, so whether a match starts at a position `s`, and which,
  does not depend on `pos`. `endpos` acts as the end of the string, so `R`, the reach, bounds how
  far past its start an attempt may read (every character it may consume, plus what lookaheads and
  `\\b` read): an attempt starting at `s < b` reads only characters before `s + R <= b + R`, so it
  finds what it finds in the whole text. Attempts at `s >= b` may find a match the whole text does
  not have (a `(?!\\d)` at the cut): the search of the window stops at the first match starting at
  `b` or later, and keeps none of it.
- Leftmost-first search, by induction over the matches of the whole text: its search resumes at the
  end of its previous match, which lies in an earlier window or in this one. No match starts in a
  gap between windows, so the first match of the whole text at or after a window's start `a` is the
  first match of the window's search; every later one starts at or after the previous match's end,
  within the same window (found by the same search, which also resumes there) or in a later one.
  Empty matches, which would make `finditer` step one character on, cannot occur: each match holds
  `d >= 1` digits.

A pattern whose width is unbounded (`\\d+`) or not understood (anchors other than `\\b`/`\\B`,
conditionals, lookarounds inside lookbehinds, inline flags, syntax only `regex` knows, other
flags) has no bounds, and is scanned whole as before. So is a text whose windows would cost more
than `MAX_COVER` of one pass (`worth_it`: each call costs about `CALL_COST` characters' worth, and
windows closer than that are merged: a superset of a window is still a window).

What counts as a digit is `regex`'s `\\d` (Unicode decimal digits), as for digit_runs.py's runs and
for the `\\d`, `[0-9]` and digit literals that digit_runs.py counts in a pattern.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import regex

from pii_audit.detect.digit_runs import MIN_GATED

_LONG_RUN = regex.compile(rf"\d{{{MIN_GATED},}}")
_PLAIN_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE
# One windowed search (a `finditer` call with its timeout) costs about as much as searching this many
# characters (2.6 µs against 14 ns a character, measured on a generated share's texts): windows closer
# than that are merged, and each window counts this much on top of its length.
CALL_COST = 200
# The windows are searched when their cost is at most this share of the text's length; otherwise one
# pass over the whole text (numeric tables: runs every few characters). Chosen on the texts of a
# generated 20 MB share (benchmarks/README.md): 0.5 to 1.0 gave the same time within noise.
MAX_COVER = 0.7


@dataclass(frozen=True)
class Bounds:
    """`width`: the longest match; `reach`: how far past its start an attempt may read (>= width)."""

    width: int
    reach: int


@dataclass(frozen=True)
class DigitRuns:
    """The runs of at least MIN_GATED digits of one text, in text order."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    longest: int  # 0 when there is none


def digit_runs(text: str, minimum: int = MIN_GATED) -> DigitRuns:
    """Every run of at least `minimum` digits (`\\d`) in `text`: one search, shared by every pattern."""
    finder = _LONG_RUN if minimum == MIN_GATED else regex.compile(rf"\d{{{max(1, minimum)},}}")
    spans = [m.span() for m in finder.finditer(text)]
    starts = tuple(s for s, _ in spans)
    ends = tuple(e for _, e in spans)
    return DigitRuns(starts, ends, max((e - s for s, e in spans), default=0))


def windows(runs: DigitRuns, digits: int, bounds: Bounds, length: int, gap: int = 0) -> list[tuple[int, int]]:
    """Disjoint, sorted windows of a `length`-character text that hold every match of a pattern with
    these bounds whose matches hold `digits >= 1` digits in a row; windows less than `gap` apart
    merged (the characters between them are searched too)."""
    spread = max(0, bounds.width - digits)
    merged: list[tuple[int, int]] = []
    for start, end in zip(runs.starts, runs.ends, strict=True):
        if end - start < digits:
            continue
        a, b = max(0, start - spread), min(length, end + spread)
        if merged and a <= merged[-1][1] + gap:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def worth_it(spans: list[tuple[int, int]], length: int, cover: float = MAX_COVER) -> bool:
    """Searching `spans` of a `length`-character text is likely cheaper than one whole-text pass."""
    return len(spans) * CALL_COST + sum(b - a for a, b in spans) <= cover * length


def find_in_windows(
    compiled: regex.Pattern[str], text: str, spans: list[tuple[int, int]], reach: int, timeout: float
) -> Iterator[regex.Match[str]]:
    """The matches of `compiled.finditer(text)` when `spans` hold all of them (see the module's
    docstring), in the same order. `timeout` bounds the time of all windows together, as it bounds
    one whole-text search: TimeoutError once it is spent (the matches before it are kept)."""
    deadline = time.monotonic() + timeout
    length = len(text)
    for a, b in spans:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("regex timed out")
        for match in compiled.finditer(text, a, min(length, b + reach), timeout=left):
            if match.start() >= b:
                break  # past the window: the cut may have made it; the whole text's is in no window
            yield match


def match_bounds(source: str, flags: int) -> Bounds | None:
    """The width and reach of every match of `source` (compiled with `flags`); None when unbounded
    or not understood."""
    if flags & ~_PLAIN_FLAGS:
        return None
    try:
        parsed = sre_parse.parse(source, flags)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows: no bounds, whole-text scan
        return None
    try:
        width, reach = _Measure(bool(flags & re.IGNORECASE)).sequence(list(parsed))
    except _Unbounded:
        return None
    return Bounds(width, reach)


class _Unbounded(Exception):
    """The pattern's matches have no known bound."""


class _Measure:
    """(width, reach) of parse-tree nodes: the most characters a node consumes, and the most past its
    start that matching it may read."""

    def __init__(self, ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.groups: dict[int, int] = {}  # group number -> its width, once its group is closed

    def sequence(self, items: list[tuple[Any, Any]]) -> tuple[int, int]:
        width = reach = 0
        for op, av in items:
            w, r = self.node(op, av)
            reach = max(reach, width + r)
            width += w
        return width, max(width, reach)

    def node(self, op: Any, av: Any) -> tuple[int, int]:
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.IN, sre_c.ANY):
            return 1, 1  # one character; no case folding here maps one character to several
        if op is sre_c.SUBPATTERN:
            group, add_flags, del_flags, body = av
            if add_flags or del_flags:
                raise _Unbounded
            measured = self.sequence(list(body))
            if group is not None:
                self.groups[group] = measured[0]
            return measured
        if op is sre_c.ATOMIC_GROUP:
            return self.sequence(list(av))
        if op is sre_c.BRANCH:
            options = [self.sequence(list(branch)) for branch in av[1]]
            return max(w for w, _ in options), max(r for _, r in options)
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            low, high, item = av
            w, r = self.sequence(list(item))
            if high == sre_c.MAXREPEAT:
                raise _Unbounded
            return (high * w, (high - 1) * w + r) if high else (0, 0)
        if op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            direction, body = av
            if direction > 0:
                return 0, self.sequence(list(body))[1]  # a lookahead reads what its body would consume
            if not _plain(list(body)):
                raise _Unbounded  # a lookbehind that could read forward
            return 0, 0  # a lookbehind reads only before the position, which `pos` does not hide
        if op is sre_c.AT and av in (sre_c.AT_BOUNDARY, sre_c.AT_NON_BOUNDARY):
            return 0, 1  # reads the character before (visible before `pos`) and the one at the position
        if op is sre_c.GROUPREF and not self.ignore_case and av in self.groups:
            width = self.groups[av]
            return width, width
        raise _Unbounded  # other anchors, conditionals, open or unknown back-references, …


def _plain(items: list[tuple[Any, Any]]) -> bool:
    """Only consuming nodes: no assertion, anchor or back-reference anywhere inside."""
    for op, av in items:
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.IN, sre_c.ANY):
            continue
        if op is sre_c.SUBPATTERN and _plain(list(av[-1])):
            continue
        if op is sre_c.ATOMIC_GROUP and _plain(list(av)):
            continue
        if op is sre_c.BRANCH and all(_plain(list(branch)) for branch in av[1]):
            continue
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT) and _plain(list(av[2])):
            continue
        return False
    return True
