"""What a recognizer found in the last text, shared by its `ko` and `en` instances.

Presidio analyses a mixed-script chunk twice, once per language, and most of our recognizers are
registered for both languages with the same configuration: the second pass would repeat the same
regex work on the same text (about a third of all recognizer time on a Korean corpus). A
recognizer keeps what it found, keyed by everything the result depends on (its configuration and
the text), and the second pass reuses it; only the `RecognizerResult`s, which carry the
instance's own name and id and which Presidio mutates, are built afresh for each instance.
"""

from __future__ import annotations

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
