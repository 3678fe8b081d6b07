"""Characters that every match of a pattern contains, read off the pattern itself.

A text without one of them cannot match, so the pattern's scan is skipped: an e-mail needs `@`, an
international number `+`, yet without this gate each pattern would be tried at every letter or
digit of a roster (the e-mail pattern alone cost about a tenth of all pattern time on one).

Like digit_runs.py, the set is a guarantee, not a guess: it is computed on Python's parse of the
pattern (`re`'s parser; the patterns use the syntax both engines share) and holds only characters
that are certainly consumed by every match: literals of the pattern's sequence, of groups in it,
of repetitions that occur at least once, and those common to every branch of an alternation.
Lookarounds, classes, back-references and anything not understood add nothing; under IGNORECASE
only ASCII characters that are not letters count; other flags, or syntax only the `regex` module knows, give an
empty set (no gate).
"""

from __future__ import annotations

import re
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_PLAIN_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE


def required_chars(source: str, flags: int) -> frozenset[str]:
    """Characters that every match of `source` (compiled with `flags`) contains; empty when the
    pattern cannot be read or guarantees none."""
    if flags & ~_PLAIN_FLAGS:
        return frozenset()
    try:
        parsed = sre_parse.parse(source, flags)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows: no set, no gate
        return frozenset()
    found = _sequence(list(parsed))
    if flags & re.IGNORECASE:
        found = {c for c in found if c.isascii() and not c.isalpha()}
    return frozenset(found)


def lacks_any(text: str, chars: frozenset[str]) -> bool:
    """`text` misses one of `chars`: no match of a pattern that requires them is possible."""
    return any(c not in text for c in chars)


def _sequence(items: list[tuple[Any, Any]]) -> set[str]:
    found: set[str] = set()
    for op, av in items:
        found |= _node(op, av)
    return found


def _node(op: Any, av: Any) -> set[str]:
    if op is sre_c.LITERAL:
        return {chr(av)}
    if op is sre_c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre_c.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre_c.BRANCH:
        options = [_sequence(list(branch)) for branch in av[1]]
        return set.intersection(*options) if options else set()
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
        low, _, item = av
        return _sequence(list(item)) if low >= 1 else set()
    return set()  # classes, lookarounds (they consume nothing), back-references, …: nothing certain
