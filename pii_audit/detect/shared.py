"""What a recognizer found in the last text, shared by its `ko` and `en` instances.

Presidio analyses a mixed-script chunk twice, once per language, and most of our recognizers are
registered for both languages with the same configuration: the second pass would repeat the same
regex work on the same text (about a third of all recognizer time on a Korean corpus). A
recognizer keeps what it found, keyed by everything the result depends on (its configuration and
the text), and the second pass reuses it; only the `RecognizerResult`s, which carry the
instance's own name and id and which Presidio mutates, are built afresh for each instance.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LastText(Generic[T]):
    """A one-entry cache: `(key, text) -> value`. One entry is enough, because the two passes over
    a chunk are consecutive. Values must be immutable (tuples): both instances read the same one.
    Safe to share between threads: an entry is replaced whole, never mutated."""

    __slots__ = ("_entry",)

    def __init__(self) -> None:
        self._entry: tuple[object, str, T] | None = None

    def get(self, key: object, text: str, compute: Callable[[], T]) -> T:
        entry = self._entry
        # Tuple comparison tests identity first: the same configuration objects compare cheaply.
        if entry is not None and (entry[1] is text or entry[1] == text) and entry[0] == key:
            return entry[2]
        value = compute()
        self._entry = (key, text, value)
        return value


class RecentTexts(Generic[T]):
    """A cache of the last `size` entries `(key, text) -> value`, for a value computed before the
    recognizers run and read again when they do (english_people._LEXICAL: the lines spaCy reads are
    chosen for a batch of chunks ahead of their analysis). Values must be immutable. Safe to share
    between threads as far as a dict is: an entry is added or dropped whole."""

    __slots__ = ("_entries", "_size")

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[tuple[object, str], T] = {}

    def get(self, key: object, text: str, compute: Callable[[], T]) -> T:
        entries = self._entries
        value = entries.get((key, text), _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        value = compute()
        if len(entries) >= self._size:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del entries[next(iter(entries))]  # the oldest
        entries[(key, text)] = value
        return value


_MISSING = object()
