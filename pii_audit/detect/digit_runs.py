"""How many digits in a row every match of a pattern contains, read off the pattern itself.

A text whose longest run of digits is shorter cannot match, so the pattern's scan is skipped: most
text (prose, and rosters without IDs) has no run of ten or thirteen digits, yet every ID pattern
would otherwise be tried at each of its positions. One search gives the longest run of a text
for all patterns (`longest_run`).

The bound is a guarantee, not a guess: it is computed on Python's parse of the pattern (`re`'s
parser; the patterns use the syntax both engines share), counting only what is certainly a digit
(a digit, `\\d`, a class of digits) and treating anything else, or anything not understood
(back-references, syntax only the `regex` module knows, other flags), as a break or as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import regex

# Runs shorter than this are not worth a gate: they are everywhere (dates, phone numbers).
MIN_GATED = 5
_LONG_RUN = regex.compile(rf"\d{{{MIN_GATED},}}")
_DIGIT_CHAR = regex.compile(r"\d")  # a digit of the text: what `\d` matches, Unicode decimal digits
_PLAIN_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE


@dataclass(frozen=True)
class _Runs:
    """Lower bounds over every string a node matches: digits at its start, at its end, anywhere in
    a row; `whole`: the length when every character it matches is a digit (0: it matches nothing or
    only empty strings of digits), None when it may match anything else."""

    prefix: int
    suffix: int
    best: int
    whole: int | None


_BREAK = _Runs(0, 0, 0, None)
_EMPTY = _Runs(0, 0, 0, 0)
_DIGIT = _Runs(1, 1, 1, 1)


def min_digit_run(source: str, flags: int) -> int:
    """Digits in a row that every match of `source` (compiled with `flags`) contains; 0 when the
    pattern cannot be read or guarantees nothing."""
    if flags & ~_PLAIN_FLAGS:
        return 0
    try:
        parsed = sre_parse.parse(source, flags)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows: no bound, no gate
        return 0
    return _sequence(list(parsed)).best


def longest_run(text: str) -> int:
    """The longest run of digits (`\\d`) in `text`, or 0 when it is shorter than MIN_GATED."""
    return max((m.end() - m.start() for m in _LONG_RUN.finditer(text)), default=0)


def _sequence(items: list[tuple[Any, Any]]) -> _Runs:
    runs = _EMPTY
    for op, av in items:
        runs = _then(runs, _node(op, av))
    return runs


def _then(a: _Runs, b: _Runs) -> _Runs:
    return _Runs(
        prefix=a.prefix if a.whole is None else a.whole + b.prefix,
        suffix=b.suffix if b.whole is None else b.whole + a.suffix,
        best=max(a.best, b.best, a.suffix + b.prefix),
        whole=None if a.whole is None or b.whole is None else a.whole + b.whole,
    )


def _node(op: Any, av: Any) -> _Runs:
    if op is sre_c.LITERAL:
        return _DIGIT if _DIGIT_CHAR.fullmatch(chr(av)) else _BREAK  # what `\d` matches in the text
    if op is sre_c.IN:
        return _DIGIT if _digit_set(av) else _BREAK
    if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
        return _EMPTY  # zero-width: consumes nothing, breaks no run
    if op is sre_c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre_c.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre_c.BRANCH:
        options = [_sequence(list(branch)) for branch in av[1]]
        wholes = [o.whole for o in options]
        return _Runs(
            prefix=min(o.prefix for o in options),
            suffix=min(o.suffix for o in options),
            best=min(o.best for o in options),
            whole=None if any(w is None for w in wholes) else min(w for w in wholes if w is not None),
        )
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
        low, _, item = av
        one = _sequence(list(item))
        if one.whole is not None:
            return _Runs(low * one.whole, low * one.whole, low * one.whole, low * one.whole)
        if low == 0:
            return _BREAK
        return _Runs(one.prefix, one.suffix, max(one.best, one.suffix + one.prefix if low > 1 else 0), None)
    return _BREAK  # back-references, conditionals, any character, …: nothing is certain


def _digit_set(items: list[tuple[Any, Any]]) -> bool:
    """A character class whose every member is a decimal digit."""
    for op, av in items:
        if op is sre_c.LITERAL and _DIGIT_CHAR.fullmatch(chr(av)):
            continue
        if op is sre_c.RANGE and ord("0") <= av[0] <= av[1] <= ord("9"):
            continue
        if op is sre_c.CATEGORY and av is sre_c.CATEGORY_DIGIT:
            continue
        return False
    return bool(items)
